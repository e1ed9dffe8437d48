/* test_literals.c: the literals read off a pattern (literals.c), and that a
 * text holding a match always meets them; the characters a match can begin
 * with, and that a search tried only there finds what PCRE2's own search
 * finds. */
#include <string.h>

#include "literals.h"
#include "rules.h"
#include "test.h"
#include "utf8.h"

/* The factors of pattern as "[a|b] [c]", in the order kept. */
static const char *show(const char *pattern)
{
	static char buf[4096];
	pl_needs nd;
	pl_needs_of(pattern, &nd);
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < nd.n; i++) {
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s[", i ? " " : "");
		for (size_t k = 0; k < nd.f[i].nalts; k++)
			n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%.*s", k ? "|" : "",
					      nd.f[i].len[k], nd.f[i].alt[k]);
		n += (size_t)snprintf(buf + n, sizeof buf - n, "]");
	}
	return buf;
}

static int met(const char *pattern, const char *text)
{
	pl_needs nd;
	pl_needs_of(pattern, &nd);
	return pl_needs_met(&nd, text, strlen(text));
}

/* pl_needs_met_cached() against pl_needs_met() for every pattern on every
 * text made of the pieces below, which include the literals' characters
 * cut short and stray continuation bytes: the set of byte pairs read off a
 * text must never rule out a literal the text holds. */
static int cached_agrees(void)
{
	static const char *const patterns[] = {
		"(?:个|项|条|处)问题", "已完成整改", "ICP备|公网安备", "a\\.b", "·[0-9]", "中文|x",
		"(?:发现|交办)(?:的)?问题[0-9]+(?:个|项)", "整改", "\xf0\x9f\x98\x80好",
	};
	static const char *const pieces[] = {
		"个", "项", "问题", "问", "题", "已完成", "整改", "已", "\xe5\xae", "\xae\x8c",
		"\x8c", "\xe6", "ICP", "备", "公网安备", "a.b", "a", ".", "b", "·", "7", "中文",
		"x", "交办", "的", " ", "\xf0\x9f\x98\x80", "\xf0\x9f", "好", "\xc2",
	};
	enum { NP = sizeof patterns / sizeof patterns[0], NQ = sizeof pieces / sizeof pieces[0] };
	static pl_needs nd[NP];
	static pl_litcache c;
	memset(&c, 0, sizeof c);
	for (size_t p = 0; p < NP; p++) {
		pl_needs_of(patterns[p], &nd[p]);
		pl_litcache_add(&c, &nd[p]);
	}
	unsigned seed = 12345;
	char text[256];
	for (int round = 0; round < 20000; round++) {
		size_t n = 0;
		seed = seed * 1103515245u + 12345u;
		for (unsigned k = (seed >> 16) % 9; k > 0; k--) {
			seed = seed * 1103515245u + 12345u;
			const char *q = pieces[(seed >> 16) % NQ];
			size_t m = strlen(q);
			memcpy(text + n, q, m);
			n += m;
		}
		pl_litcache_reset(&c);
		for (size_t p = 0; p < NP; p++)
			if (pl_needs_met_cached(&nd[p], &c, text, n) != pl_needs_met(&nd[p], text, n))
				return 0;
	}
	return 1;
}

/* pl_search_upto() with the bound pl_needs_met_upto() gives finds what
 * pl_search() finds, from every character of texts made of the pieces
 * below (a literal often stands twice, the match holding the later one);
 * when the literals are not met, pl_search() finds nothing. *pruned counts
 * the searches the bound cut short, so the test shows it was tried. */
static int upto_agrees(size_t *pruned)
{
	static const char *const patterns[] = {
		"(?<num>[0-9]+)(?:个|项)问题", "(?:发现|交办)问题(?<num>[0-9]+)(?:个|项)",
		"(?<num>[0-9]+)(?:个|项)(?:问题)?已(?:完成整改|整改)", "(?<=类)问题(?<num>[0-9]+)个",
		"对(?<num>[0-9]+)个单位(?=[^。]{0,10}问责)",
	};
	static const char *const pieces[] = {
		"个", "项", "问题", "已", "完成整改", "整改", "发现", "交办", "类", "对", "单位",
		"问责", "。", "3", "12", ",", "其中",
	};
	enum { NP = sizeof patterns / sizeof patterns[0], NQ = sizeof pieces / sizeof pieces[0] };
	static pl_needs nd[NP];
	static pl_litcache c;
	memset(&c, 0, sizeof c);
	pcre2_code *re[NP], *re_at[NP];
	pl_starts st[NP];
	int ok = 1;
	for (size_t p = 0; p < NP; p++) {
		int code;
		PCRE2_SIZE off;
		re[p] = pcre2_compile((PCRE2_SPTR)patterns[p], PCRE2_ZERO_TERMINATED,
				      PCRE2_UTF | PCRE2_UCP, &code, &off, NULL);
		ok &= re[p] != NULL;
		if (re[p] != NULL)
			(void)pcre2_jit_compile(re[p], PCRE2_JIT_COMPLETE);
		pl_search_prepare(re[p], patterns[p], &re_at[p], &st[p]);
		pl_needs_of(patterns[p], &nd[p]);
		ok &= nd[p].n > 0;
		pl_litcache_add(&c, &nd[p]);
	}
	pcre2_match_data *m1 = pcre2_match_data_create(16, NULL);
	pcre2_match_data *m2 = pcre2_match_data_create(16, NULL);
	unsigned seed = 4242;
	char text[512] = {0}; /* defined past n: PCRE2 JIT reads ahead in blocks */
	*pruned = 0;
	for (int round = 0; ok && round < 5000; round++) {
		size_t n = 0;
		seed = seed * 1103515245u + 12345u;
		for (unsigned k = (seed >> 16) % 16; k > 0; k--) {
			seed = seed * 1103515245u + 12345u;
			const char *q = pieces[(seed >> 16) % NQ];
			memcpy(text + n, q, strlen(q));
			n += strlen(q);
		}
		pl_litcache_reset(&c);
		for (size_t p = 0; ok && p < NP; p++) {
			size_t last = 0;
			int is_met = pl_needs_met_upto(&nd[p], &c, text, n, &last);
			for (size_t at = 0, cl; ok && at <= n; at += cl) {
				cl = 1;
				if (at < n)
					(void)pl_utf8_decode(text + at, &cl);
				int r1 = pl_search(re[p], re_at[p], &st[p], text, n, at, m1, NULL);
				if (!is_met) {
					ok = r1 == PCRE2_ERROR_NOMATCH;
					continue;
				}
				int r2 = pl_search_upto(re[p], re_at[p], &st[p], text, n, at, last, m2,
							NULL);
				ok = r1 == r2;
				for (int g = 0; ok && g < r1; g++)
					ok = pcre2_get_ovector_pointer(m1)[g] ==
						 pcre2_get_ovector_pointer(m2)[g];
				*pruned += at <= last && last + 1 < n;
			}
		}
	}
	pcre2_match_data_free(m1);
	pcre2_match_data_free(m2);
	for (size_t p = 0; p < NP; p++) {
		pcre2_code_free(re[p]);
		pcre2_code_free(re_at[p]);
	}
	return ok;
}

/* The bound pl_needs_met_upto() gives pattern on text. */
static size_t upto_of(const char *pattern, const char *text)
{
	static pl_needs nd;
	static pl_litcache c;
	memset(&c, 0, sizeof c);
	pl_needs_of(pattern, &nd);
	pl_litcache_add(&c, &nd);
	pl_litcache_reset(&c);
	size_t last = (size_t)-1;
	if (!pl_needs_met_upto(&nd, &c, text, strlen(text), &last))
		return (size_t)-2;
	return last;
}

/* Under (?i), every text PCRE2 matches meets the literals read off the
 * pattern: the Kelvin sign matches k, the long s matches s, Å matches å. */
static int caseless_met(void)
{
	static const char *const patterns[] = {"(?i)k中", "(?i)中s文", "(?i)\u00e5x中", "(?i)ab.c"};
	static const char *const texts[] = {
		"k中", "K中", "\u212a中", "中s文", "中S文", "中\u017f文", "\u00c5X中", "\u212bx中", "AB.C",
	};
	pcre2_match_data *md = pcre2_match_data_create(4, NULL);
	int ok = md != NULL, matched = 0;
	for (size_t p = 0; ok && p < sizeof patterns / sizeof patterns[0]; p++) {
		int code;
		PCRE2_SIZE off;
		pcre2_code *re = pcre2_compile((PCRE2_SPTR)patterns[p], PCRE2_ZERO_TERMINATED,
					       PCRE2_UTF | PCRE2_UCP, &code, &off, NULL);
		ok = re != NULL;
		for (size_t t = 0; ok && t < sizeof texts / sizeof texts[0]; t++)
			if (pcre2_match(re, (PCRE2_SPTR)texts[t], strlen(texts[t]), 0, 0, md, NULL) >= 0) {
				matched++;
				ok = met(patterns[p], texts[t]);
			}
		pcre2_code_free(re);
	}
	pcre2_match_data_free(md);
	return ok && matched == 9; /* every text matched its pattern */
}

/* 1 when has() holds every character of yes and none of no. */
static int holds(const pl_starts *st, int (*has)(const pl_starts *, uint32_t), const char *yes,
		 const char *no)
{
	for (size_t i = 0, cl; yes[i]; i += cl)
		if (!has(st, pl_utf8_decode(yes + i, &cl)))
			return 0;
	for (size_t i = 0, cl; no[i]; i += cl)
		if (has(st, pl_utf8_decode(no + i, &cl)))
			return 0;
	return 1;
}

/* 1 when the start characters of pattern are known and hold every
 * character of yes and none of no. */
static int starts(const char *pattern, const char *yes, const char *no)
{
	pl_starts st;
	pl_starts_of(pattern, &st);
	return st.known && holds(&st, pl_starts_has, yes, no);
}

/* Every code point PCRE2 matches with \s (UTF, UCP) is a start character
 * of \sx. */
static int space_starts_cover_pcre2(void)
{
	int code;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR) "\\s", PCRE2_ZERO_TERMINATED,
				       PCRE2_UTF | PCRE2_UCP | PCRE2_ANCHORED, &code, &off, NULL);
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	pl_starts st;
	pl_starts_of("\\sx", &st);
	int ok = re != NULL && md != NULL && st.known, spaces = 0;
	for (uint32_t cp = 0; ok && cp <= 0x10FFFF; cp++) {
		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		char u[4];
		size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
		if (n == 1)
			u[0] = (char)cp;
		else {
			static const unsigned char lead[] = {0, 0, 0xC0, 0xE0, 0xF0};
			for (size_t k = n - 1; k > 0; k--)
				u[k] = (char)(0x80 | ((cp >> (6 * (n - 1 - k))) & 0x3F));
			u[0] = (char)(lead[n] | (cp >> (6 * (n - 1))));
		}
		if (pcre2_match(re, (PCRE2_SPTR)u, n, 0, 0, md, NULL) >= 0) {
			spaces++;
			ok = pl_starts_has(&st, cp);
		}
	}
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	return ok && spaces > 20; /* the test saw the spaces */
}

static int unknown(const char *pattern)
{
	pl_starts st;
	pl_starts_of(pattern, &st);
	return !st.known;
}

/* 1 when the characters after the first of pattern are known and hold
 * every character of yes and none of no. */
static int next(const char *pattern, const char *yes, const char *no)
{
	pl_starts st;
	pl_starts_of(pattern, &st);
	pl_starts_next_of(pattern, &st);
	return st.next_known && holds(&st, pl_starts_next_has, yes, no);
}

/* 1 when pl_search_prepare gives pattern an anchored twin to walk with. */
static int walked(const char *pattern)
{
	int code;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
				       PCRE2_UTF | PCRE2_UCP, &code, &off, NULL);
	if (re == NULL)
		return -1;
	pcre2_code *re_at;
	pl_starts st;
	pl_search_prepare(re, pattern, &re_at, &st);
	int walk = re_at != NULL;
	pcre2_code_free(re_at);
	pcre2_code_free(re);
	return walk;
}

/* pl_search() and pcre2_match() agree, from every character of text: the
 * same return code and the same match. */
static int same_search(const char *pattern, const char *text)
{
	int code;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
				       PCRE2_UTF | PCRE2_UCP, &code, &off, NULL);
	if (re == NULL)
		return 0;
	(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	pcre2_code *re_at;
	pl_starts st;
	pl_search_prepare(re, pattern, &re_at, &st);
	pcre2_match_data *m1 = pcre2_match_data_create(16, NULL);
	pcre2_match_data *m2 = pcre2_match_data_create(16, NULL);
	size_t n = strlen(text);
	int same = re_at != NULL || (st.known && st.anchored); /* what is tested */
	for (size_t at = 0, cl; same && at <= n; at += cl) {
		cl = 1;
		if (at < n)
			(void)pl_utf8_decode(text + at, &cl);
		int r1 = pcre2_match(re, (PCRE2_SPTR)text, n, at, 0, m1, NULL);
		int r2 = pl_search(re, re_at, &st, text, n, at, m2, NULL);
		same = r1 == r2;
		for (int g = 0; same && g < r1; g++)
			same = pcre2_get_ovector_pointer(m1)[2 * g] == pcre2_get_ovector_pointer(m2)[2 * g] &&
			       pcre2_get_ovector_pointer(m1)[2 * g + 1] ==
				   pcre2_get_ovector_pointer(m2)[2 * g + 1];
	}
	pcre2_match_data_free(m1);
	pcre2_match_data_free(m2);
	pcre2_code_free(re_at);
	pcre2_code_free(re);
	return same;
}

int main(void)
{
	test_cond("a literal run", strcmp(show("已完成整改"), "[已完成整改]") == 0);
	test_cond("an optional item ends a run",
		  strcmp(show("已(?:基本)?完成"), "[已] [完成]") == 0);
	test_cond("alternation: one factor of every branch",
		  strcmp(show("(?:问题|整改任务)"), "[问题|整改任务]") == 0);
	test_cond("a branch that needs nothing: no factor", strcmp(show("(?:问题|[0-9]+)"), "") == 0);
	test_cond("an empty branch: no factor", strcmp(show("(?:问题|)"), "") == 0);
	test_cond("classes, dots and escapes need nothing",
		  strcmp(show("[0-9]+个\\d.问题"), "[个] [问题]") == 0);
	test_cond("an escaped metacharacter is a literal", strcmp(show("a\\.b"), "[a.b]") == 0);
	test_cond("lookarounds consume nothing",
		  strcmp(show("(?<!移送)问题(?!移送)"), "[问题]") == 0);
	test_cond("named groups are groups",
		  strcmp(show("(?<num>[0-9]+)(?<unit>个|项)问题"), "[个|项] [问题]") == 0);
	test_cond("+ keeps one, {2,} keeps one, {0,3} and * none",
		  strcmp(show("a+b{2,}c{0,3}d*"), "[a] [b]") == 0);
	test_cond("a '{' that starts no quantifier is skipped", strcmp(show("x{y"), "[x] [y]") == 0);
	test_cond("inline options: nothing known", strcmp(show("问题(?i)x"), "") == 0 &&
							 strcmp(show("(?s)问题"), "") == 0);
	test_cond("(?i) first: characters without case are still literals",
		  strcmp(show("(?i)ICP备|公网安备"), "[备|公网安备]") == 0 &&
		      strcmp(show("(?i)^\\S*\\.(?:jpe?g|png)$"), "[.]") == 0 &&
		      strcmp(show("(?i)a-b中文c"), "[-] [中文]") == 0);
	test_cond("(?i) first: a text PCRE2 matches meets the literals", caseless_met());
	test_cond("(?i) first: letters, and symbols that fold to them, are not",
		  strcmp(show("(?i)abc"), "") == 0 && strcmp(show("(?i)\u212a"), "") == 0 &&
		      strcmp(show("(?i)\u00c5\u0391"), "") == 0);
	test_cond("\\Q...\\E: nothing known", strcmp(show("\\Q问题\\E"), "") == 0);
	test_cond("an unbalanced ')': nothing known", strcmp(show("问题)"), "") == 0);
	test_cond("an unclosed '(': nothing known", strcmp(show("(问题"), "") == 0);
	test_cond("an unclosed class: nothing known", strcmp(show("[问题"), "") == 0);
	test_cond("nesting past the cap: nothing known",
		  strcmp(show("(((((((((((((((((((((((((((((((((问题)))))))))))))))))))))))))))))))))"),
			 "") == 0);

	test_cond("met: the text holds a match",
		  met("(?:发现|交办)(?:的)?问题[0-9]+(?:个|项)", "督察组交办问题42项,已整改"));
	test_cond("not met: a factor is missing",
		  !met("(?:发现|交办)(?:的)?问题[0-9]+(?:个|项)", "督察组交办群众举报42件"));
	test_cond("nothing known: always met", met("(?i)abc", "xyz"));
	test_cond("met, with the text's byte pairs looked at first: as without",
		  cached_agrees());
	/* 个 last stands at 12 and 问题 at 4 */
	test_cond("upto: a match begins no later than every factor's last place",
		  upto_of("[0-9]+个(?:的)?问题", "3个问题,5个") == 4);
	test_cond("upto: unknown for a literal past the cache", upto_of("(?i)x", "abc") == 3);
	size_t pruned = 0;
	test_cond("upto: searches cut at the bound find what whole searches find",
		  upto_agrees(&pruned) && pruned > 1000);

	test_cond("starts: a number with optional words before it",
		  starts("(?<pre>约|近)?(?<num>(?<![0-9.])[0-9]+|[一二三])(个|项)", "约近0159一二三",
			 "个项超a."));
	test_cond("starts: every branch", starts("abc|d|(?:e|f)g", "adef", "bcg"));
	test_cond("starts: optional items let the next one count", starts("x?(?:y|z)*w+v", "xyzw", "v"));
	test_cond("starts: lookarounds consume nothing",
		  starts("(?=ab)c", "c", "ab") && starts("(?<=类)问题", "问", "类题"));
	test_cond("starts: assertions consume nothing", starts("\\b^$a", "a", "b^$"));
	test_cond("starts: a class, its ranges and an escaped ]",
		  starts("[a-c中-丰\\]]x", "abc中丰]", "dx-"));
	test_cond("starts: ] first in a class and - last are literals", starts("[]a-]", "]a-", "b"));
	test_cond("starts: an escaped metacharacter", starts("\\.5", ".", "5\\"));
	test_cond("starts: {0} makes an item optional", starts("a{0}b", "ab", ""));
	test_cond("starts: a literal { that starts no quantifier", starts("{x", "{", "x"));
	test_cond("starts: an empty branch lets the next item count", starts("(a|)b", "ab", ""));
	test_cond("starts: \\s stands for the spaces",
		  starts("^[\\[【(]?\\s*(?:责任编辑|编辑)\\s*:", "[【( \t\r\n\v\f\u3000\u00a0\u2028责编",
			 "x:辑a"));
	test_cond("starts: \\s holds every character PCRE2 matches with it",
		  space_starts_cover_pcre2());
	test_cond("starts: unknown for what can match the empty string",
		  unknown("a?") && unknown("(?=a)") && unknown("a|"));
	test_cond("starts: unknown for any character",
		  unknown(".b") && unknown("[^a]b") && unknown("\\db") && unknown("\\p{Han}") &&
		      unknown("[\\d]") && unknown("[[:alpha:]]"));
	test_cond("starts: unknown for options, references, \\G, \\K and verbs",
		  unknown("(?i)ab") && unknown("(a)\\1") && unknown("\\1a") && unknown("\\Ga") &&
		      unknown("a\\Kb") && unknown("(*UTF)a") && unknown("(?(1)a|b)"));
	test_cond("starts: a backward range is not read", unknown("[z-a]"));
	test_cond("next: after a first item of one character, the rest's starts",
		  next("(?:[0-9]|[一二])(?:万|亿)?(?:余|多)?(?:个|项)", "万亿余多个项", "一0件a") &&
		      next("a(?=x)(?:b|c)d", "bc", "axd") && next("\\.[0-9]+", "0189", "a.") &&
		      next("[^a]\\((?<n>中)", "(", "中a") && next("\\d\\s?x", " \tx", "y"));
	test_cond("next: of every branch, every optional or repeated item, past lookarounds",
		  next("ab|cd", "bd", "ac") && next("a?bc", "bc", "a") && next("a+b", "ab", "c") &&
		      next("(?:a|bc)d", "cd", "ab") && next("(?=a)ab", "b", "a") &&
		      next("(?<![0-9])[0-9]个", "个", "0") && next("\\bab", "b", "a") &&
		      next("x(?:ab)*c", "ac", "bx") && next("[a-c]{2,}", "abc", "d") &&
		      next("(?:a|){2}bc", "abc", "d") &&
		      next("\\pLa|\\x41b|\\x{4e00}c", "abc", "LA41"));
	test_cond("next: the shape of the extract rules",
		  next("(?<pre>约|超过)?(?<num>(?<![0-9.])[0-9]+|[一二]+)(?<unit>个|项)",
		       "过0一个项", "约超中"));
	test_cond("next: unknown where a match can be shorter than two, or anything second",
		  !next("a", "", "") && !next("ab?", "", "") && !next("a(?:b|)", "", "") &&
		      !next("(?:ab)*", "", "") && !next("a|bc", "", "") && !next("(?=ab)a", "", "") &&
		      !next("(?:ab|c)+", "", "") && !next("(?:a|){2}", "", "") &&
		      !next("a.b", "", "") && !next("a\\db", "", "") && !next("a[^b]", "", ""));
	test_cond("next: unknown for what the reader does not take",
		  !next("(a)\\1", "", "") && !next("a\\Rb", "", "") && !next("a\\Xb", "", "") &&
		      !next("(?i)ab", "", "") && !next("a\\tb", "", "") && !next("\\Qab\\E", "", ""));
	test_cond("next: characters outside Han and ASCII may follow when the rest has one",
		  next("a[\u3000b]", "b\u3000\u00e9", "c") && next("a[中文]", "中文", "\u00e9c"));
	pl_starts many;
	pl_starts_of("一|丁|七|丄|丅|丆|万|丈|三|上|下|丌|不|与|丏|丐|丑|丒|专|且|丕|世|丗|丘|丙|业|丛|东|丝|"
		     "丞|丟|丠|両|丢|丣|两|严|並|丧|丨|丩|个|丫|丬|中|丮|丯|丰|丱|串|丳|临|丵|丶|丷|丸|"
		     "丹|为|主|丼|丽|举|丿|乀|乁",
		     &many);
	test_cond("starts: more ranges than kept: unknown", !many.known);

	static const char *const texts[] = {
		"截至2020年8月底,梳理形成的42项问题,约30项已完成整改,十二项达到时序进度要求;交办2,688件。",
		"aaaaab abab 12.5万元 一二三个 类问题3个 ]x",
		"",
		"约30项",
		"aaab",
		"xy",
		"责任编辑 : 张三\t审核:李四\u3000编辑:",
		/* U+4000 and U+4DC0: lead byte 0xE4 like most Han, below
		 * U+4E00 */
		"\u4000x \u4dc0x 一x 二y \u4000",
		"1万2亿3余4多5个6元7.8a9 10项二十多件a.1b2",
		"9.(万)1.万",
		"x1、2,3、4 、5",
	};
	static const char *const patterns[] = {
		/* one pattern on two lines, in parentheses (one string) */
		("(?<pre>约|近)?(?<num>(?<![0-9.])(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)|(?<![一二三])[一二三十]+)"
		 "(?<unit>个|项|件)"),
		"(?:剩余|其余|还有)?[0-9]+项",
		/* more than three start characters each, so that the walk
		 * is what is compared (fewer are left to PCRE2: below) */
		"(?<=类)(?:问题|任务|事项|案件)[0-9]+个",
		"x?(?:a|b|c)+b",
		"[0-9]+(?=万)",
		"^(?:截至|约)[0-9]+",
		"^(?:aaa|a)b|^x",
		"\\s*(?:编辑|审核)\\s*:",
		"(?:\u4000|\u4dc0|一|二)x",
		/* the character after the first is known: PREFILTER's shape,
		 * a first item of one character, the rest a sequence */
		"(?:[0-9]|[一二三十])(?:万|亿)?(?:余|多)?(?:个|项|件|元)",
		"[0-9a-c](?:\\.|x)?[0-9]",
		"[0-9.](?=万)万",
		/* a character outside Han and ASCII after the first, or
		 * first: the walk passes neither */
		"[0-9](?:、|,)[0-9]",
		"(?:、|[0-9])[0-9]",
	};
	for (size_t p = 0; p < sizeof patterns / sizeof patterns[0]; p++)
		for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++)
			test_cond("search: tried only where a match begins, it finds the same",
				  same_search(patterns[p], texts[t]));
	test_cond("search: three start characters or fewer are left to PCRE2, four walked",
		  walked("(?<=类)问题[0-9]+个") == 0 && walked("督察|督查组") == 0 &&
		      walked("安全生产|安全隐患|消防") == 0 && walked("达到|正在|按时") == 0 &&
		      walked("反诈|诈骗|安全|消防") == 1 &&
		      walked("[0-9]+个") == 1);
	return test_report();
}
