/* test_num.c: unit tests for the numeral parser (pipeline/num.c).
 * Prints a line per failure, then "N passed, N failed"; exits 1 on failure.
 * The peer data sets are run through the CLI by tests/num/run.sh. */
#include <stdio.h>
#include <string.h>

#include "num.h"

/* ---- a tiny test harness ----------------------------------------------- */

static int test_passed, test_failed;

#define test_cond(descr, cond)                                                                     \
	do {                                                                                       \
		if (cond) {                                                                        \
			test_passed++;                                                             \
		} else {                                                                           \
			test_failed++;                                                             \
			printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, descr);                     \
		}                                                                                  \
	} while (0)

#define test_report()                                                                              \
	do {                                                                                       \
		printf("%d passed, %d failed\n", test_passed, test_failed);                        \
		return test_failed ? 1 : 0;                                                        \
	} while (0)

/* ---- helpers ----------------------------------------------------------- */

enum { X = PL_APPROX_EXACT, O = PL_APPROX_OVER, A = PL_APPROX_ABOUT, U = PL_APPROX_UNDER };

/* pl_num_parse(in) gives value and approx; len < 0 means all of in. */
static int parse_is(const char *in, const char *value, int approx, int len)
{
	pl_num num;
	size_t want = len < 0 ? strlen(in) : (size_t)len;
	if (pl_num_parse(in, strlen(in), &num) != PL_OK) {
		printf("  parse(%s): error\n", in);
		return 0;
	}
	if (strcmp(num.value, value) != 0 || num.approx != approx || num.len != want) {
		printf("  parse(%s): got %s %s len %zu\n", in, num.value,
		       pl_approx_name(num.approx), num.len);
		return 0;
	}
	return 1;
}

/* pl_num_expr(in) gives value, unit and approx. */
static int expr_is(const char *in, const char *value, const char *unit, int approx)
{
	pl_num num;
	const char *why = NULL;
	if (pl_num_expr(in, strlen(in), &num, &why) != PL_OK) {
		printf("  expr(%s): error: %s\n", in, why ? why : "(no reason)");
		return 0;
	}
	if (strcmp(num.value, value) != 0 || strcmp(num.unit, unit) != 0 || num.approx != approx) {
		printf("  expr(%s): got %s [%s] %s\n", in, num.value, num.unit,
		       pl_approx_name(num.approx));
		return 0;
	}
	return 1;
}

/* pl_num_parse() of the digits d[0..n) alone (read without the decimal
 * arithmetic when there are 18 or fewer) equals its reading of the same
 * digits with a space after them, which the general parser reads. */
static int plain_same(const char *d, size_t n)
{
	char spaced[64];
	memcpy(spaced, d, n);
	spaced[n] = ' ';
	pl_num a, b;
	int ra = pl_num_parse(d, n, &a), rb = pl_num_parse(spaced, n + 1, &b);
	if (ra != rb || (ra == PL_OK && (strcmp(a.value, b.value) != 0 || a.approx != b.approx ||
					 strcmp(a.unit, b.unit) != 0 || a.len != n || b.len != n))) {
		printf("  parse(%.*s): %s len %zu; with a space: %s len %zu\n", (int)n, d,
		       ra == PL_OK ? a.value : "error", a.len, rb == PL_OK ? b.value : "error", b.len);
		return 0;
	}
	return 1;
}

/* Both functions reject in, and pl_num_expr gives a reason. */
static int rejected(const char *in)
{
	pl_num num;
	const char *why = NULL;
	int p = pl_num_parse(in, strlen(in), &num);
	int e = pl_num_expr(in, strlen(in), &num, &why);
	return p == PL_ERR && e == PL_ERR && why != NULL && why[0] != '\0' && num.value[0] == '\0';
}

int main(void)
{
	/* Digits alone: every string of one to four digits, and longer ones
	 * up to past the 18 read directly, with leading zeros */
	int same = 1;
	char d[32];
	for (size_t n = 1; n <= 4; n++) {
		size_t count = 1;
		for (size_t k = 0; k < n; k++)
			count *= 10;
		for (size_t v = 0; v < count; v++) {
			snprintf(d, sizeof d, "%0*zu", (int)n, v);
			same &= plain_same(d, n);
		}
	}
	unsigned long long x = 88172645463325252ULL; /* xorshift64: fixed, no seed */
	for (int t = 0; t < 20000; t++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		size_t n = 5 + x % 16; /* 5 to 20 digits */
		for (size_t k = 0; k < n; k++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			/* zeros often, so that leading runs of them come up */
			d[k] = (char)('0' + (x % 3 == 0 ? 0 : (x >> 8) % 10));
		}
		same &= plain_same(d, n);
	}
	test_cond("digits alone read as the general parser reads them", same);

	/* Arabic: separators, full-width forms, decimals */
	test_cond("plain integer", parse_is("3845", "3845", X, -1));
	test_cond("thousands separators", parse_is("1,040,000", "1040000", X, -1));
	test_cond("mixed separators", parse_is("233,333，333,434.344", "233333333434.344", X, -1));
	test_cond("full-width comma", parse_is("82，225.00", "82225", X, -1));
	test_cond("comma not a separator", parse_is("3，4个", "3", X, 1));
	test_cond("long first group", parse_is("12345,678", "12345", X, 5));
	test_cond("full-width digits", parse_is("１２．５", "12.5", X, -1));
	test_cond("leading zero", parse_is("01.10", "1.1", X, -1));
	test_cond("leading point", parse_is(".77", "0.77", X, -1));
	test_cond("negative", parse_is("-10.1", "-10.1", X, -1));
	test_cond("negative with space", parse_is("负 1,200,000", "-1200000", X, -1));
	test_cond("negative zero", parse_is("-0", "0", X, -1));

	/* Chinese, mixed, exact big values */
	test_cond("4.39亿 exactly", parse_is("4.39亿", "439000000", X, -1));
	test_cond("28.6万", parse_is("28.6万", "286000", X, -1));
	test_cond("1.2万", parse_is("1.2万", "12000", X, -1));
	test_cond("3千万亿", parse_is("3千万亿", "3000000000000000", X, -1));
	test_cond("200亿零四千230", parse_is("200亿零四千230", "20000004230", X, -1));
	test_cond("sections", parse_is("一亿五千万零六千三百五十五", "150006355", X, -1));
	test_cond("大写", parse_is("玖仟捌佰柒拾陆万伍仟肆佰叁拾贰亿玖仟捌佰柒拾陆万伍仟肆佰叁拾贰",
				   "9876543298765432", X, -1));
	test_cond("traditional", parse_is("負壹佰貳拾萬", "-1200000", X, -1));
	test_cond("廿 卅 卌",
		  parse_is("五百卅四", "534", X, -1) && parse_is("一萬零卌", "10040", X, -1));
	test_cond("decimal in Chinese", parse_is("零点零零零零一二三", "0.0000123", X, -1));
	test_cond("decimal then 万", parse_is("二十点一万", "201000", X, -1));
	test_cond("digit string", parse_is("一九零三九七一", "1903971", X, -1));
	test_cond("digit string 〇", parse_is("二〇〇二", "2002", X, -1));
	test_cond("phone digits", parse_is("幺八五洞幺拐两零柒幺玖", "18501720719", X, -1));
	test_cond("一一 is 11", parse_is("一一", "11", X, -1));
	test_cond("fraction", parse_is("十六分之三", "0.1875", X, -1));
	test_cond("repeating fraction", parse_is("三分之一", "0.333333333333", A, -1));
	test_cond("兆 as 10^12", parse_is("一兆零三百万两千三百", "1000003002300", X, -1));
	test_cond("兆瓦 is a unit", parse_is("5兆瓦", "5", X, 1));

	/* elision */
	test_cond("三万五", parse_is("三万五", "35000", X, -1));
	test_cond("一百二", parse_is("一百二", "120", X, -1));
	test_cond("一千二", parse_is("一千二", "1200", X, -1));
	test_cond("两万三", parse_is("两万三", "23000", X, -1));
	test_cond("一百零二 no elision", parse_is("一百零二", "102", X, -1));
	test_cond("百二萬", parse_is("百二萬", "1200000", X, -1));
	test_cond("1万600 no elision", parse_is("1万600", "10600", X, -1));
	test_cond("1万6 elides", parse_is("1万6", "16000", X, -1));

	/* approx markers and ranges */
	test_cond("3000多 over", parse_is("3000多", "3000", O, -1));
	test_cond("约5万 about", parse_is("约5万", "50000", A, -1));
	test_cond("不足10 under", parse_is("不足10", "10", U, -1));
	test_cond("100余 over", parse_is("100余", "100", O, -1));
	test_cond("20左右 about", parse_is("20左右", "20", A, -1));
	test_cond("十多万 over", parse_is("十多万", "100000", O, -1));
	test_cond("三五百", parse_is("三五百", "300", A, -1));
	test_cond("十五六", parse_is("十五六", "15", A, -1));
	test_cond("四十五六万", parse_is("四十五六万", "450000", A, -1));
	test_cond("一万六七", parse_is("一万六七", "16000", A, -1));
	test_cond("三四十万", parse_is("三四十万", "300000", A, -1));
	test_cond("八九亿", parse_is("八九亿", "800000000", A, -1));
	test_cond("几十万", parse_is("几十万", "100000", O, -1));
	test_cond("数十亿", parse_is("数十亿", "1000000000", O, -1));
	test_cond("十几", parse_is("十几", "10", O, -1));
	test_cond("来 is not 来自", parse_is("3000来自", "3000", X, 4));

	/* stops: len is the numeral only */
	test_cond("clock time", parse_is("三点五十分", "3", X, 3));
	test_cond("一千克 is 1 kg", parse_is("一千克", "1", X, 3));
	test_cond("两千米 is 2000 m", parse_is("两千米", "2000", X, 6));
	test_cond("二两 is 2 liang", parse_is("二两", "2", X, 3));
	test_cond("百分点", parse_is("5百分点", "5", X, 1));

	/* expressions */
	test_cond("约3万余元", expr_is("约3万余元", "30000", "元", O));
	test_cond("123元1角1分", expr_is("123元1角1分", "123.11", "元", X));
	test_cond("六十四万零一百四十三元一角七分",
		  expr_is("六十四万零一百四十三元一角七分", "640143.17", "元", X));
	test_cond("两个亿卢布", expr_is("两个亿卢布", "200000000", "卢布", X));
	test_cond("肆佰叁拾萬圆整", expr_is("肆佰叁拾萬圆整", "4300000", "圆", X));
	test_cond("二十五万三千二百泰铢", expr_is("二十五万三千二百泰铢", "253200", "泰铢", X));
	test_cond("壹元零壹分", expr_is("壹元零壹分", "1.01", "元", X));
	test_cond("块 and 钱", expr_is("一百三十五块六角七分钱", "135.67", "块", X) &&
				   expr_is("一百块钱", "100", "块钱", X));
	test_cond("三块五", expr_is("三块五", "3.5", "块", X));
	test_cond("零下", expr_is("零下四摄氏度", "-4", "摄氏度", X));
	test_cond("percent", expr_is("百分之三十", "30", "%", X) && expr_is("30%", "30", "%", X));
	test_cond("trailing approx", expr_is(" 4亿元左右 ", "400000000", "元", A));
	test_cond("half", expr_is("半个", "0.5", "个", X));

	/* rejections */
	test_cond("abc rejected", rejected("abc"));
	test_cond("empty rejected", rejected(""));
	test_cond("元 rejected", rejected("元"));
	test_cond("lone sign rejected", rejected("-"));
	test_cond("约翰 rejected", rejected("约翰"));
	test_cond("千克 rejected", rejected("千克"));
	test_cond("几个 rejected", rejected("几个"));
	test_cond("too large rejected", rejected("9999999999999999999999999999999999999"));

	test_report();
}
