/* num.h: the Chinese/Arabic numeral parser.
 *
 * Reads numerals such as "3845", "233,333，333,434.344", "１２．５", "1.2万",
 * "3千万亿", "六十四万零一百四十三", "肆佰叁拾萬", "三万五", "一二三",
 * "约3万余", "三五百", "十几", "二分之一", "百分之三十" and gives their value
 * as a plain decimal string, computed exactly with decimal digit arithmetic
 * (no floating point).
 *
 * Conventions chosen where usage or peers disagree (tests/num/ holds the
 * peer data, tests/num/unsupported.tsv the rows not supported):
 *  - elision: a lone digit after a unit scales to the next unit down
 *    (三万五 = 35000, 一百二 = 120, 百二萬 = 1200000, 1万6 = 16000) unless 零
 *    intervenes or the Arabic part has several digits (一百零二 = 102,
 *    1万600 = 10600, 1百01 = 101);
 *  - a bare leading 十 百 千 万 means one of it (千一 = 1100, 萬九 = 19000),
 *    so in running text 万一 reads as 11000: the caller decides where a
 *    numeral may start;
 *  - ranges (三五百, 十五六, 一万六七, 八九亿) give the lower bound, ABOUT;
 *    几/数/多/余/来 forms give the lower bound, OVER (几十万 = 100000);
 *  - 兆 is 10^12 (一兆 = 1000000000000) except before a unit it prefixes
 *    (兆瓦 兆帕 兆赫 兆字节 ...), where it is left to the unit;
 *  - 千 before 克 瓦 伏 帕 赫 焦 卡 is the unit prefix when the number before
 *    it is complete (一千克 = 1 千克, 十五六千瓦时 = 15 千瓦时, 30万千瓦 =
 *    300000 千瓦), but a multiplier after an elidable digit (一万三千瓦 =
 *    13000 瓦); 千米 is always read as a multiplier (两千米 = 2000 米);
 *  - 两 closes a digit string only when another digit follows it, so 二两
 *    is 2 两 (the weight) while 幺八五洞幺拐两零 is a digit string;
 *  - two consecutive digits alone (七八, 三四) are a range, other digit
 *    runs are positional (一一 = 11, 一二三 = 123, 二〇〇二 = 2002);
 *  - 点 is a decimal point only when a digit follows and the digits are not
 *    a clock time (三点五十分 is 3, the rest left to the caller);
 *  - A分之B is B/A; non-terminating results (三分之一) are rounded to 12
 *    decimals, ABOUT; 百分之B and 千分之B keep B with unit "%" or "‰",
 *    like 30% does.
 */
#ifndef PL_NUM_H
#define PL_NUM_H

#include <stddef.h>

#include "doc.h"

typedef struct pl_num {
	char value[64]; /* plain decimal, no exponent, no separators, no
			 * trailing ".0": "3845", "547590000", "0.5", "-1" */
	int approx;	/* PL_APPROX_* */
	char unit[64];	/* pl_num_expr: the unit text after the number, e.g.
			 * "元", "个", "港元", ""; pl_num_parse: "" except "%"
			 * or "‰" for 百分之/千分之 forms */
	size_t len;	/* bytes of input consumed by the numeral (including
			 * approx markers and sign) */
} pl_num;

/* Parses the numeral at the very start of s[0..n) (UTF-8, need not be
 * NUL-terminated): an optional approx prefix (约 大约 大概 → ABOUT; 近 将近
 * 接近 不到 不足 不超过 最多 → UNDER; 超过 超 逾 至少 不少于 → OVER), an
 * optional sign (负 負 - − － 零下), the number, and an optional approx
 * suffix (余 多 来 几 以上 有余 → OVER; 左右 上下 → ABOUT; 以下 以内 →
 * UNDER). When markers disagree the directional one wins over ABOUT, and
 * OVER with UNDER gives ABOUT (约3万余 is OVER).
 * Returns PL_OK and fills *out (value, approx, len; unit is "" or a percent
 * sign), or PL_ERR when there is no number at the start of s or it is too
 * large (more than 36 integer digits); *out is then zeroed. Nothing is
 * allocated; out is owned by the caller. */
int pl_num_parse(const char *s, size_t n, pl_num *out);

/* Parses a whole expression such as "约3万余元", "123元1角1分",
 * "六十四万零一百四十三元一角七分", "两个亿卢布", "肆佰叁拾萬圆整": surrounding
 * white space is ignored, the numeral is read by pl_num_parse(), currency
 * sub-units after 元/圆/圓/块/塊 (N角 or N毛 = N/10, N分 = N/100, or a lone
 * digit as in 三块五) are folded into the value, a trailing 整 (and 正 or 钱
 * after a folded currency) is dropped, a trailing 左右/上下/以上/以下/以内
 * sets approx, and unit is the remaining text (cut to 63 bytes on a
 * character boundary).
 * Returns PL_OK and fills *out, or PL_ERR with *why (if why is not NULL) set
 * to a short static reason ("empty", "no number at the start", ...) when the
 * text is not a number; *out is then zeroed. Nothing is allocated; the
 * caller owns out and must not free *why. */
int pl_num_expr(const char *s, size_t n, pl_num *out, const char **why);

#endif
