/* test_stages.c: each stage through the one stage interface, with the
 * project's own rules (run from the project root). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ucnv.h>

#include "stage.h"
#include "test.h"
#include "utf8.h"

static pl_opts opts = {.rules_dir = "rules", .max_doc_bytes = 1 << 20};
static pl_arena *arena;

/* Runs decode, then `stage` (if not decode) on bytes; returns the doc. */
static pl_doc run(const pl_stage *stage, const char *bytes, size_t n, int *rc)
{
	pl_doc d;
	memset(&d, 0, sizeof d);
	pl_arena_reset(arena);
	d.arena = arena;
	d.id = "test";
	d.bytes = (const unsigned char *)bytes;
	d.nbytes = n;
	pl_err e = {{0}, 0};
	void *sd = NULL, *ss = NULL;
	if (pl_stage_decode.open(&sd, &opts, &e) != PL_OK) {
		*rc = -99;
		return d;
	}
	*rc = pl_stage_decode.run(sd, &d, &e);
	if (*rc == PL_OK && stage != &pl_stage_decode) {
		if (stage->open(&ss, &opts, &e) != PL_OK) {
			fprintf(stderr, "%s\n", e.msg);
			*rc = -99;
		} else {
			*rc = stage->run(ss, &d, &e);
		}
		stage->close(ss);
	}
	pl_stage_decode.close(sd);
	return d;
}

#define S(x) x, sizeof(x) - 1

/* utf8 in charset cs, with ICU, into a static buffer; its length in *n. */
static const char *encode(const char *cs, const char *utf8, size_t *n)
{
	static char out[8192];
	UErrorCode status = U_ZERO_ERROR;
	int32_t len = ucnv_convert(cs, "UTF-8", out, (int32_t)sizeof out, utf8, -1, &status);
	*n = U_SUCCESS(status) ? (size_t)len : 0;
	return out;
}

/* Passages for the GB18030 screen: Chinese (simplified and traditional),
 * Japanese and Korean, each over 64 characters. */
static const char zh_hans[] =
	"根据中央生态环境保护督察反馈意见,省委省政府高度重视,成立整改工作领导小组,"
	"制定整改方案,明确责任单位和完成时限。截至目前,督察反馈的四十二项问题中,"
	"已完成整改三十项,其余十二项正在按时序进度推进。群众举报的信访件全部办结,"
	"责令整改企业一百八十六家,立案处罚九十七家,罚款金额五百四十万元。";
static const char zh_hant[] =
	"根據中央生態環境保護督察反饋意見,省委省政府高度重視,成立整改工作領導小組,"
	"制定整改方案,明確責任單位和完成時限。截至目前,督察反饋的四十二項問題中,"
	"已完成整改三十項,其餘十二項正在按時序進度推進。群眾舉報的信訪件全部辦結,"
	"責令整改企業一百八十六家,立案處罰九十七家,罰款金額五百四十萬元。";
static const char ja[] =
	"環境保護の監察の結果を受けて、地方政府は問題を解決するための計画を立てました。"
	"これまでに指摘された四十二件の問題のうち、三十件はすでに改善が完了しており、"
	"残りの十二件も予定どおりに進められています。住民から寄せられた苦情はすべて処理され、"
	"企業に対する指導も続けられています。";
static const char ko[] =
	"환경 보호 감찰 결과에 따라 지방 정부는 문제를 해결하기 위한 계획을 세웠습니다. "
	"지금까지 지적된 마흔두 건의 문제 가운데 서른 건은 이미 개선이 끝났고, "
	"나머지 열두 건도 일정에 맞추어 진행되고 있습니다. 주민들이 제기한 민원은 모두 "
	"처리되었으며 기업에 대한 지도도 계속되고 있습니다. 정부는 앞으로도 점검을 이어 갈 것입니다.";

/* pl_decode_utf8_stats() the plain way, a character at a time, with the
 * same early stop: what its sixteen-byte blocks must agree with. */
static void stats_plain(const unsigned char *b, size_t n, size_t *bad, size_t *multi,
			size_t *nuls)
{
	*bad = *multi = *nuls = 0;
	for (size_t i = 0; i < n;) {
		if (b[i] < 0x80) {
			*nuls += b[i] == 0;
			i++;
			continue;
		}
		size_t k = pl_utf8_seq(b + i, n - i);
		if (k > 0) {
			(*multi)++;
			i += k;
			continue;
		}
		(*bad)++;
		i++;
		if (*bad * 10 > *multi + (n - i) / 2)
			return;
	}
}

/* Random texts from pieces a block must take (ASCII, three-byte
 * characters) and pieces it must leave to the byte loop (NUL, two- and
 * four-byte characters, 0xE0 and 0xED sequences valid and not, stray and
 * missing continuation bytes), at every offset from a block's start. */
static int stats_agree(void)
{
	static const char *const pieces[] = {
	    "a", "\n", "7", "环", "境", "\xEF\xBC\x8C", "\xE3\x80\x82", "\xEE\x80\x80",
	    "\xEC\xBF\xBF", "", "\xC2\xB7", "\xF0\x9F\x98\x80", "\xE0\xA0\x80",
	    "\xE0\x80\x80", "\xED\x9F\xBF", "\xED\xA0\x80", "\x80", "\xBF", "\xE4\xB8",
	    "\xE4", "\xFF", "\xC0\xAF", "\xF5\x80\x80\x80"};
	const size_t npieces = sizeof pieces / sizeof *pieces;
	unsigned long long x = 88172645463325252ULL; /* xorshift64: fixed, no seed */
	unsigned char text[400];
	for (int round = 0; round < 100000; round++) {
		size_t n = 0;
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		size_t want = x % 120;
		while (n < want) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			/* one piece in eight from them all, the rest common:
			 * most blocks are taken, many refused */
			const char *p = pieces[(x >> 8) % 8 == 0 ? x % npieces : x % 9];
			size_t len = p[0] ? strlen(p) : 1; /* "" is one NUL byte */
			memcpy(text + n, p, len);
			n += len;
		}
		size_t bad, multi, nuls, pbad, pmulti, pnuls;
		pl_decode_utf8_stats(text, n, &bad, &multi, &nuls);
		stats_plain(text, n, &pbad, &pmulti, &pnuls);
		if (bad != pbad || multi != pmulti || nuls != pnuls) {
			fprintf(stderr, "round %d: bad %zu/%zu multi %zu/%zu nuls %zu/%zu\n", round,
				bad, pbad, multi, pmulti, nuls, pnuls);
			return 0;
		}
	}
	return 1;
}

int main(void)
{
	arena = pl_arena_new();
	int rc;
	pl_doc d;

	/* decode */
	test_cond("decode: UTF-8 counted sixteen bytes at a time as byte by byte", stats_agree());
	d = run(&pl_stage_decode, S("\xEF\xBB\xBF环保督察"), &rc);
	test_cond("decode: UTF-8 BOM stripped", rc == PL_OK && strcmp(d.text, "环保督察") == 0 &&
							strcmp(d.encoding, "utf-8") == 0);
	d = run(&pl_stage_decode, S("\xFF\xFE\xAF\x73\xDD\x4F"), &rc); /* 环保 UTF-16LE */
	test_cond("decode: UTF-16LE with BOM", rc == PL_OK && strcmp(d.text, "环保") == 0 &&
						      strcmp(d.encoding, "utf-16le") == 0);
	d = run(&pl_stage_decode, S(""), &rc);
	test_cond("decode: empty input is dropped as empty", rc == PL_DROP && strcmp(d.status, "empty") == 0);
	d = run(&pl_stage_decode, S("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10"), &rc);
	test_cond("decode: a PNG is binary", rc == PL_ERR && strcmp(d.status, "error:binary") == 0);
	d = run(&pl_stage_decode, S("环保督察整改\xFF工作取得实效,群众满意度持续提升。"), &rc);
	test_cond("decode: one invalid byte in UTF-8 becomes U+FFFD",
		  rc == PL_OK && strstr(d.text, "整改\xEF\xBF\xBD工作") != NULL && d.replaced == 1 &&
		      strncmp(d.status, "warning:invalid-bytes=1", 23) == 0);
	d = run(&pl_stage_decode, S("环保督察整改\0工作取得实效。"), &rc);
	test_cond("decode: a NUL byte is dropped and reported",
		  rc == PL_OK && strcmp(d.text, "环保督察整改工作取得实效。") == 0 &&
		      strcmp(d.status, "warning:nul-bytes=1") == 0);
	/* 省委环保督察整改工作取得实效 in GB18030 */
	static const char gb[] = "\xca\xa1\xce\xaf\xbb\xb7\xb1\xa3\xb6\xbd\xb2\xec\xd5\xfb\xb8\xc4"
				 "\xb9\xa4\xd7\xf7\xc8\xa1\xb5\xc3\xca\xb5\xd0\xa7\xa1\xa3";
	d = run(&pl_stage_decode, gb, sizeof gb - 1, &rc);
	test_cond("decode: GB18030 detected and converted",
		  rc == PL_OK && strcmp(d.text, "省委环保督察整改工作取得实效。") == 0 &&
		      strcmp(d.encoding, "gb18030") == 0);

	/* Converted text: every U+FFFD in it is counted, a substitution for an
	 * illegal pair (0x81 0x7F) and one the input spelled (84 31 A4 37),
	 * beside a full-width comma (A3 AC: EF BC 8C in UTF-8), which shares
	 * its first byte. */
	{
		size_t zn;
		const char *z = encode("GB18030", zh_hans, &zn);
		char mixed[4096];
		size_t half = zn / 2 & ~(size_t)1; /* on a two-byte boundary */
		while (half > 0 && (unsigned char)z[half - 1] < 0x80)
			half--;
		size_t m = 0;
		memcpy(mixed + m, z, half);
		m += half;
		memcpy(mixed + m, "\x81\x7F\x84\x31\xA4\x37\xA3\xAC\x81\x7F", 10);
		m += 10;
		memcpy(mixed + m, z + half, zn - half);
		m += zn - half;
		d = run(&pl_stage_decode, mixed, m, &rc);
		size_t fffd = 0;
		for (size_t i = 0; rc == PL_OK && i + 3 <= d.len; i++)
			fffd += memcmp(d.text + i, "\xEF\xBF\xBD", 3) == 0;
		test_cond("decode: GB18030 with bad pairs: each U+FFFD counted",
			  rc == PL_OK && strcmp(d.encoding, "gb18030") == 0 && fffd >= 3 &&
			      d.replaced == fffd && strstr(d.text, "\xEF\xBC\x8C") != NULL);
	}

	/* The GB18030 screen passes plain simplified Chinese and nothing ICU
	 * would read as another charset; what it passes decodes as before. */
	size_t n;
	const char *b = encode("GB18030", zh_hans, &n);
	test_cond("decode screen: simplified Chinese in GB18030 passes",
		  n > 0 && pl_decode_is_gb_chinese((const unsigned char *)b, n));
	d = run(&pl_stage_decode, b, n, &rc);
	test_cond("decode screen: what it passes decodes as GB18030",
		  rc == PL_OK && strcmp(d.text, zh_hans) == 0 && strcmp(d.encoding, "gb18030") == 0);
	b = encode("GB18030", zh_hant, &n);
	test_cond("decode screen: traditional Chinese in GB18030 (GBK) passes",
		  n > 0 && pl_decode_is_gb_chinese((const unsigned char *)b, n));
	d = run(&pl_stage_decode, b, n, &rc);
	test_cond("decode screen: ... and decodes as GB18030",
		  rc == PL_OK && strcmp(d.text, zh_hant) == 0 && strcmp(d.encoding, "gb18030") == 0);
	test_cond("decode screen: a short text is left to the detector",
		  !pl_decode_is_gb_chinese((const unsigned char *)gb, sizeof gb - 1));
	b = encode("GB18030", zh_hans, &n);
	char cut[8192];
	memcpy(cut, b, n);
	cut[n / 2] = 0x7F; /* a lead byte's trail replaced: ill-formed */
	cut[n / 2 - 1] = (char)0xB0;
	test_cond("decode screen: ill-formed GB18030 is left to the detector",
		  !pl_decode_is_gb_chinese((const unsigned char *)cut, n));
	static const struct { const char *cs, *text, *label; } other[] = {
		{"Big5", zh_hant, "big5"},    {"Big5", zh_hans, NULL},
		{"EUC-JP", ja, "euc-jp"},     {"Shift_JIS", zh_hant, NULL},
		{"Shift_JIS", ja, "shift_jis"}, {"EUC-KR", ko, "euc-kr"},
	};
	for (size_t i = 0; i < sizeof other / sizeof other[0]; i++) {
		b = encode(other[i].cs, other[i].text, &n);
		char name[96];
		snprintf(name, sizeof name, "decode screen: %s text in %s is left to the detector",
			 other[i].text == zh_hans ? "simplified" : other[i].text == zh_hant ? "traditional"
				: other[i].text == ja ? "Japanese" : "Korean", other[i].cs);
		test_cond(name, n > 0 && !pl_decode_is_gb_chinese((const unsigned char *)b, n));
		if (other[i].label == NULL)
			continue;
		d = run(&pl_stage_decode, b, n, &rc);
		snprintf(name, sizeof name, "decode: %s detected and converted", other[i].cs);
		test_cond(name, rc == PL_OK && strcmp(d.text, other[i].text) == 0 &&
				       strcmp(d.encoding, other[i].label) == 0);
	}

	/* normalise */
	d = run(&pl_stage_normalise, S("２０１７年，共４２项。\r\n\xE3\x80\x80\xC2\xA0全文  完"), &rc);
	test_cond("normalise: full-width digits and punctuation to ASCII, spaces folded",
		  rc == PL_OK && strcmp(d.text, "2017年,共42项。\n全文 完") == 0);
	/* Han runs are copied four bytes at a time: the spare byte must
	 * not show, whatever follows the run (a dropped zero-width space,
	 * a line end, the end of the text) */
	d = run(&pl_stage_normalise, S("甲乙\xE2\x80\x8B丙 丁\n戊己\xE2\x80\x8B"), &rc);
	test_cond("normalise: Han runs around dropped and folded characters",
		  rc == PL_OK && strcmp(d.text, "甲乙丙 丁\n戊己") == 0 && d.len == strlen(d.text));
	d = run(&pl_stage_normalise, S("省委第三環(huán)境保護(hù)督察組"), &rc);
	test_cond("normalise: pinyin ruby removed and t2s applied",
		  rc == PL_OK && strcmp(d.text, "省委第三环境保护督察组") == 0 &&
		      strcmp(d.script, "traditional") == 0);
	d = run(&pl_stage_normalise, S("各市(州)印发《细则(试行)》,PM2.5(PM2.5)下降,31个省(区、市)"), &rc);
	test_cond("normalise: real parentheticals survive",
		  rc == PL_OK && strcmp(d.text, "各市(州)印发《细则(试行)》,PM2.5(PM2.5)下降,31个省(区、市)") == 0 &&
		      strcmp(d.script, "simplified") == 0);

	/* strip */
	d = run(&pl_stage_strip, S("您当前的位置 :首页 > 新闻\n标题在这里\n2017年08月12日 07:34:27 来源: 浙江在线\n"
				   "正文第一段,省环保督察整改工作取得实效,确保问题整改到位。\n"
				   "责任编辑: 金晨\n分享到:\n微信\n"),
		&rc);
	test_cond("strip: furniture removed, body kept",
		  rc == PL_OK && strcmp(d.text, "正文第一段,省环保督察整改工作取得实效,确保问题整改到位。") == 0);
	test_cond("strip: title, date and publisher captured",
		  d.title && strcmp(d.title, "标题在这里") == 0 && d.date && strcmp(d.date, "2017-08-12") == 0 &&
		      d.publisher && strcmp(d.publisher, "浙江在线") == 0);
	test_cond("strip: dropped lines counted", d.dropped_lines == 6);
	d = run(&pl_stage_strip, S("我市环保督察整改工作取得实效,安康市60个问题已完成整改。\n安康市委高度重视。\n"
				   "中共安康市委 安康市人民政府\n2018年8月31日"),
		&rc);
	test_cond("strip: a signature and its date are kept; the date is the publication date",
		  rc == PL_OK && strstr(d.text, "中共安康市委 安康市人民政府\n2018年8月31日") != NULL &&
		      d.date && strcmp(d.date, "2018-08-31") == 0);
	test_cond("strip: a city's own notice gets city and province",
		  d.city && strcmp(d.city, "安康市") == 0 && d.province && strcmp(d.province, "陕西省") == 0);

	/* dedup */
	d = run(&pl_stage_dedup, S("第一段正文内容足够长,省环保督察整改工作取得实效,确保整改到位。\n一、短标题\n"
				   "第二段正文,同样足够长,不会被误删,问题整改全部到位并销号。\n一、短标题\n"
				   "第一段正文内容足够长,省环保督察整改工作取得实效,确保整改到位。"),
		&rc);
	test_cond("dedup: a repeated paragraph is kept once, short lines may repeat",
		  rc == PL_OK && d.dropped_lines == 1 &&
		      strcmp(d.text, "第一段正文内容足够长,省环保督察整改工作取得实效,确保整改到位。\n一、短标题\n"
				     "第二段正文,同样足够长,不会被误删,问题整改全部到位并销号。\n一、短标题") == 0);

	/* extract */
	d = run(&pl_stage_extract, S("截至8月底,环保督察反馈的42项问题,30项已完成整改,12项达到时序进度要求。"), &rc);
	test_cond("extract: three facts", rc == PL_OK && d.nfacts == 3);
	test_cond("extract: offsets point at the number",
		  d.nfacts == 3 && d.facts[0].end - d.facts[0].start == 2 &&
		      memcmp(d.text + d.facts[0].start, "42", 2) == 0 &&
		      memcmp(d.text + d.facts[1].start, "30", 2) == 0);
	test_cond("extract: check column confirms 42 = 30 + 12", d.check && strcmp(d.check, "ok") == 0);
	d = run(&pl_stage_extract, S("安全生产考核巡查发现问题隐患3100项,已整改完成3000项。"), &rc);
	test_cond("extract: an off-topic sentence gives nothing", rc == PL_OK && d.nfacts == 0);
	/* A sentence ends at 。 ; ! ? wherever the mark stands (the search
	 * for it reads sixteen bytes at a time): the audit sentence before it
	 * is off topic, the inspection one after it gives its fact. */
	{
		static const char *const marks[] = {"。", ";", "!", "?"};
		int split = 1;
		for (size_t m = 0; m < 4 && split; m++)
			for (size_t pad = 0; pad <= 40 && split; pad++) {
				char t[256];
				int len = snprintf(t, sizeof t, "审计%.*s发现问题12个%s督察组共发现问题125个。",
						   (int)pad, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
						   marks[m]);
				d = run(&pl_stage_extract, t, (size_t)len, &rc);
				split = rc == PL_OK && d.nfacts == 1 && strcmp(d.facts[0].value, "125") == 0;
			}
		test_cond("extract: a sentence ends at each mark, at any offset", split);
	}
	d = run(&pl_stage_extract, S("环保督察组对19个党组织、81名责任人员(厅级干部11人)进行责任追究。"), &rc);
	test_cond("extract: totals before a bracketed breakdown", rc == PL_OK && d.nfacts >= 2 &&
								    !d.facts[0].part && !d.facts[1].part);

	d = run(&pl_stage_extract, S("环保督察组对5个党组织、81名责任人员(厅级干部11人、处级干部37人)进行责任追究。"), &rc);
	test_cond("extract: a breakdown that does not add up is reported",
		  rc == PL_OK && d.check && strcmp(d.check, "persons_accountable 81 != 11+37") == 0);
	d = run(&pl_stage_extract, S("环保督察反馈的42项问题,已完成整改30项,10项正在整改。"), &rc);
	test_cond("extract: found != completed + in progress is reported, not fixed",
		  rc == PL_OK && d.check && strcmp(d.check, "issues_found 42 != 30+10") == 0 &&
		      d.nfacts == 3 && strcmp(d.facts[0].value, "42") == 0);
	d = run(&pl_stage_extract, S("环保督察共问责100人。被处理人员中,党纪政务处分48人、诫勉谈话17人。"), &rc);
	test_cond("extract: a sanction list is parts of the total before it, and may fall short",
		  rc == PL_OK && d.nfacts == 3 && !d.facts[0].part && d.facts[1].part && d.facts[2].part &&
		      strcmp(d.check, "ok") == 0);
	d = run(&pl_stage_extract, S("环保督察期间,党纪政务处分48人。"), &rc);
	test_cond("extract: a sanction item without its total is not a fact", rc == PL_OK && d.nfacts == 0);
	d = run(&pl_stage_extract, S("环保督察组交办的2000件群众举报问题已全部办结。"), &rc);
	test_cond("extract: all resolved equals received", rc == PL_OK && d.nfacts == 2 && strcmp(d.check, "ok") == 0);
	d = run(&pl_stage_extract, S("环保督察组梳理出的六十个具体问题,已完成整改四十五项,罚款4.39亿元,受理举报28.6万件。"), &rc);
	test_cond("extract: Chinese numerals and decimals with 万/亿",
		  rc == PL_OK && d.nfacts == 4 && strcmp(d.facts[0].value, "60") == 0 &&
		      strcmp(d.facts[1].value, "45") == 0 && strcmp(d.facts[2].value, "439000000") == 0 &&
		      strcmp(d.facts[2].unit, "亿元") == 0 && strcmp(d.facts[3].value, "286000") == 0);
	d = run(&pl_stage_extract, S("环保督察以来,约谈300余人,罚款不足10万元,立案查处约200家。"), &rc);
	test_cond("extract: approximation markers", rc == PL_OK && d.nfacts == 3 &&
							d.facts[0].approx == PL_APPROX_OVER &&
							d.facts[1].approx == PL_APPROX_UNDER &&
							d.facts[2].approx == PL_APPROX_ABOUT);

	pl_arena_free(arena);
	return test_report();
}
