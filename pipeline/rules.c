/* rules.c: the rule-file loader. Keeps file:line for every rule, expands
 * {MACRO} references, compiles each pattern once (and JITs it), and reports
 * a bad line with file:line:column, the line itself and a caret under it. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rules.h"
#include "utf8.h"

#define RULES_MATCH_LIMIT 1000000
#define RULES_DEPTH_LIMIT 10000

struct rules_macro {
	char *name;
	char *body;
};

static void *rules_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);
	if (q == NULL) {
		fprintf(stderr, "bulletin: out of memory\n");
		abort();
	}
	return q;
}

static char *rules_xstrndup(const char *s, size_t n)
{
	char *p = rules_xrealloc(NULL, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* An example's text: searched as documents are, and PCRE2's JIT reads
 * whole words past the end of a subject (arena.c says the same of the
 * documents' text), so the copy ends with zeroed room for them. */
#define RULES_EXAMPLE_PAD 64
static char *rules_example_text(const char *s, size_t n)
{
	char *p = calloc(1, n + 1 + RULES_EXAMPLE_PAD);
	if (p == NULL) {
		fprintf(stderr, "bulletin: out of memory\n");
		abort();
	}
	memcpy(p, s, n);
	return p;
}

pcre2_match_context *pl_rules_match_context(void)
{
	pcre2_match_context *mc = pcre2_match_context_create(NULL);
	if (mc != NULL) {
		pcre2_set_match_limit(mc, RULES_MATCH_LIMIT);
		pcre2_set_depth_limit(mc, RULES_DEPTH_LIMIT);
	}
	return mc;
}

/* Formats "file:line:col: error: msg" + the line + a caret line into e.
 * col is 1-based in bytes; tabs in the line are copied into the caret line
 * so the caret sits under the right character. */
static int rules_error(pl_err *e, const char *file, int line, const char *text,
		       size_t col, const char *msg)
{
	char caret[512];
	size_t i = 0, k = 0;
	for (; i + 1 < col && text[i] != '\0' && k < sizeof caret - 2; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c == '\t')
			caret[k++] = '\t';
		else if ((c & 0xC0) != 0x80) { /* one column per character, */
			caret[k++] = ' ';
			if (c >= 0xE1 && k < sizeof caret - 2) /* two for CJK */
				caret[k++] = ' ';
		}
	}
	caret[k++] = '^';
	caret[k] = '\0';
	return pl_errf(e, PL_EUSAGE, "%s:%d:%zu: error: %s\n    %.400s\n    %s",
		       file, line, col, msg, text, caret);
}

/* Expands {NAME} macros in src. map[i] receives the source offset that output
 * byte i came from, so a PCRE2 error offset can be mapped back to the line.
 * Returns a malloc'd string (caller frees) or NULL with *bad at the unknown
 * macro (or the one that makes the pattern too long) and *why saying which.
 * A literal "{" not followed by a known NAME} (a quantifier such as {0,8})
 * is copied as is. The expansion is capped at RULES_EXPAND_MAX bytes: each
 * macro may use the one before twice, so 30 short lines could otherwise
 * ask for gigabytes. */
#define RULES_EXPAND_MAX (64 * 1024)
static char *rules_expand(const pl_ruleset *rs, const char *src, size_t **map,
			  size_t *bad, const char **why, int depth)
{
	size_t cap = strlen(src) * 2 + 16, len = 0;
	char *out = rules_xrealloc(NULL, cap);
	size_t *m = rules_xrealloc(NULL, cap * sizeof *m);
	for (size_t i = 0; src[i] != '\0';) {
		const char *body = NULL;
		size_t skip = 0;
		if (src[i] == '{' && (src[i + 1] == '_' ||
				      (src[i + 1] >= 'A' && src[i + 1] <= 'Z'))) {
			size_t j = i + 1;
			while (src[j] == '_' || (src[j] >= 'A' && src[j] <= 'Z') ||
			       (src[j] >= '0' && src[j] <= '9'))
				j++;
			if (src[j] == '}') {
				for (size_t k = 0; k < rs->nmacros; k++)
					if (strlen(rs->macros[k].name) == j - i - 1 &&
					    memcmp(rs->macros[k].name, src + i + 1, j - i - 1) == 0)
						body = rs->macros[k].body;
				if (body == NULL || depth > 8) {
					*bad = i;
					*why = "unknown macro";
					free(out);
					free(m);
					return NULL;
				}
				skip = j + 1 - i;
			}
		}
		size_t add = body ? strlen(body) : 1;
		if (len + add > RULES_EXPAND_MAX) {
			*bad = i;
			*why = "pattern too long once macros are expanded (over 64 KB)";
			free(out);
			free(m);
			return NULL;
		}
		while (len + add + 1 > cap) {
			cap *= 2;
			out = rules_xrealloc(out, cap);
			m = rules_xrealloc(m, cap * sizeof *m);
		}
		if (body) {
			memcpy(out + len, body, add);
			for (size_t k = 0; k < add; k++)
				m[len + k] = i;
			len += add;
			i += skip;
		} else {
			out[len] = src[i];
			m[len++] = i++;
		}
	}
	out[len] = '\0';
	m[len] = len ? m[len - 1] + 1 : 0;
	*map = m;
	return out;
}

/* Splits the next whitespace-separated token off *s. */
static int rules_token(char **s, char **tok, size_t *toklen)
{
	char *p = *s;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0')
		return 0;
	*tok = p;
	while (*p != '\0' && *p != ' ' && *p != '\t')
		p++;
	*toklen = (size_t)(p - *tok);
	*s = p;
	return 1;
}

static pl_rule *rules_push(pl_ruleset *rs)
{
	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 32;
		rs->rules = rules_xrealloc(rs->rules, rs->cap * sizeof *rs->rules);
	}
	pl_rule *r = &rs->rules[rs->n++];
	memset(r, 0, sizeof *r);
	return r;
}

static int rules_add_example(pl_rule *r, const char *text, int never, int line)
{
	r->examples = rules_xrealloc(r->examples,
				     (r->nexamples + 1) * sizeof *r->examples);
	pl_example *x = &r->examples[r->nexamples++];
	memset(x, 0, sizeof *x);
	x->line = line;
	x->never = never;
	const char *arrow = never ? NULL : strstr(text, " => ");
	if (arrow != NULL) {
		x->text = rules_example_text(text, (size_t)(arrow - text));
		const char *v = arrow + 4;
		while (*v == ' ')
			v++;
		x->expect = rules_xstrndup(v, strlen(v));
	} else {
		x->text = rules_example_text(text, strlen(text));
	}
	return PL_OK;
}

/* 1 when src is literals joined by | (no character PCRE2 reads as syntax
 * but |) and nd is one factor holding each of them and nothing else. */
static int rules_literal_only(const char *src, const pl_needs *nd)
{
	if (strpbrk(src, "\\^$.[](){}?*+") != NULL || nd->n != 1)
		return 0;
	const pl_need_factor *f = &nd->f[0];
	size_t nalts = 0;
	for (const char *p = src;; p++) {
		size_t len = strcspn(p, "|"), k = 0;
		while (k < f->nalts && !(f->len[k] == len && memcmp(f->alt[k], p, len) == 0))
			k++;
		if (len == 0 || k == f->nalts)
			return 0;
		nalts++;
		p += len;
		if (*p == '\0')
			break;
	}
	return nalts == f->nalts;
}

static int rules_compile(pl_ruleset *rs, pl_rule *r, const char *file,
			 int line, const char *text, size_t pat_col, pl_err *e)
{
	size_t *map = NULL, bad = 0;
	const char *pat = text + pat_col, *why = NULL;
	char *src = rules_expand(rs, pat, &map, &bad, &why, 0);
	if (src == NULL)
		return rules_error(e, file, line, text, pat_col + bad + 1, why);
	int code;
	PCRE2_SIZE off;
	r->re = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED,
			      PCRE2_UTF | PCRE2_UCP, &code, &off, NULL);
	if (r->re == NULL) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(code, msg, sizeof msg);
		size_t col = pat_col + (off <= strlen(src) ? map[off] : 0) + 1;
		free(src);
		free(map);
		return rules_error(e, file, line, text, col, (const char *)msg);
	}
	free(map);
	(void)pcre2_jit_compile(r->re, PCRE2_JIT_COMPLETE); /* failure: interpreter */
	uint32_t cap = 0;
	pcre2_pattern_info(r->re, PCRE2_INFO_CAPTURECOUNT, &cap);
	if (cap + 1 > rs->max_pairs)
		rs->max_pairs = cap + 1;
	r->source = src;
	pl_search_prepare(r->re, src, &r->re_at, &r->starts);
	/* An anchored pattern (^ in every branch) whose start characters are
	 * known fails at once where it fails (strip looks at the first
	 * character before anything else): its literals, read off every
	 * line, would cost more. One that can begin with anything, such as
	 * (?i)^\S*\.(?:jpe?g|png)$, may read a whole line before it fails. */
	uint32_t all = 0;
	pcre2_pattern_info(r->re, PCRE2_INFO_ALLOPTIONS, &all);
	if ((all & PCRE2_ANCHORED) && r->starts.known)
		r->needs.n = 0;
	else
		pl_needs_of(src, &r->needs);
	r->literal_only = rules_literal_only(src, &r->needs);
	r->g_num = pl_rule_group(r, "num");
	r->g_unit = pl_rule_group(r, "unit");
	r->g_approx = pl_rule_group(r, "approx");
	r->g_pre = pl_rule_group(r, "pre");
	r->g_post = pl_rule_group(r, "post");
	r->g_v = pl_rule_group(r, "v");
	return PL_OK;
}

/* The offset of the first byte of s[0..n) that is not valid UTF-8 (a NUL
 * counts: the line would end there), or (size_t)-1. */
static size_t rules_invalid_utf8(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t k = pl_utf8_seq((const unsigned char *)s + i, n - i);
		if (k == 0 || s[i] == '\0')
			return i;
		i += k;
	}
	return (size_t)-1;
}

/* Reads the rule file f (named path in messages); the caller closes f. */
static int rules_load_stream(pl_ruleset *rs, FILE *f, const char *path,
			     const pl_rule_kind *kinds, pl_err *e)
{
	rs->files = rules_xrealloc(rs->files, (rs->nfiles + 1) * sizeof *rs->files);
	const char *file = rs->files[rs->nfiles++] = rules_xstrndup(path, strlen(path));

	char *buf = NULL;
	size_t bufcap = 0;
	ssize_t got;
	int lineno = 0, rc = PL_OK;
	pl_rule *last = NULL;
	while (rc == PL_OK && (got = getline(&buf, &bufcap, f)) >= 0) {
		lineno++;
		size_t n = (size_t)got;
		while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
			buf[--n] = '\0';
		/* Examples are searched as the stages search documents,
		 * without PCRE2's UTF check: they must be valid UTF-8. */
		size_t bad = rules_invalid_utf8(buf, n);
		if (bad != (size_t)-1) {
			rc = rules_error(e, file, lineno, buf, bad + 1, "not valid UTF-8");
			break;
		}
		char *s = buf, *tok;
		size_t toklen;
		int indented = (buf[0] == ' ' || buf[0] == '\t');
		if (!rules_token(&s, &tok, &toklen) || tok[0] == '#')
			continue;
		if (indented) {
			if (last == NULL) {
				rc = rules_error(e, file, lineno, buf, (size_t)(tok - buf) + 1,
						 "indented line with no rule above it");
				break;
			}
			while (*s == ' ' || *s == '\t')
				s++;
			if (toklen == 7 && memcmp(tok, "example", 7) == 0 && *s)
				rules_add_example(last, s, 0, lineno);
			else if (toklen == 5 && memcmp(tok, "never", 5) == 0 && *s)
				rules_add_example(last, s, 1, lineno);
			else if (toklen == 5 && memcmp(tok, "scope", 5) == 0 &&
				 (strcmp(s, "part") == 0 || strcmp(s, "total") == 0))
				last->scope_part = strcmp(s, "part") == 0;
			else
				rc = rules_error(e, file, lineno, buf, (size_t)(tok - buf) + 1,
						 "expected 'example TEXT [=> VALUE UNIT]', "
						 "'never TEXT' or 'scope part|total'");
			continue;
		}
		if (toklen == 6 && memcmp(tok, "define", 6) == 0) {
			char *name;
			size_t namelen;
			if (!rules_token(&s, &name, &namelen)) {
				rc = rules_error(e, file, lineno, buf, (size_t)(s - buf) + 1,
						 "define needs a NAME and a pattern");
				break;
			}
			while (*s == ' ' || *s == '\t')
				s++;
			size_t *map = NULL, bad = 0;
			const char *why = NULL;
			char *body = rules_expand(rs, s, &map, &bad, &why, 0);
			if (body == NULL) {
				rc = rules_error(e, file, lineno, buf,
						 (size_t)(s - buf) + bad + 1, why);
				break;
			}
			free(map);
			rs->macros = rules_xrealloc(rs->macros,
						    (rs->nmacros + 1) * sizeof *rs->macros);
			rs->macros[rs->nmacros].name = rules_xstrndup(name, namelen);
			rs->macros[rs->nmacros++].body = body;
			last = NULL;
			continue;
		}
		const pl_rule_kind *k = kinds;
		while (k->name != NULL &&
		       !(strlen(k->name) == toklen && memcmp(k->name, tok, toklen) == 0))
			k++;
		if (k->name == NULL) {
			rc = rules_error(e, file, lineno, buf, (size_t)(tok - buf) + 1,
					 "unknown rule kind for this file");
			break;
		}
		char *id, *field = NULL;
		size_t idlen, fieldlen = 0;
		if (!rules_token(&s, &id, &idlen) ||
		    (k->has_field && !rules_token(&s, &field, &fieldlen))) {
			rc = rules_error(e, file, lineno, buf, (size_t)(s - buf) + 1,
					 k->has_field ? "expected ID FIELD PATTERN"
						      : "expected ID PATTERN");
			break;
		}
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0') {
			rc = rules_error(e, file, lineno, buf, (size_t)(s - buf) + 1,
					 "missing pattern");
			break;
		}
		pl_rule *r = rules_push(rs);
		r->kind = rules_xstrndup(tok, toklen);
		r->id = rules_xstrndup(id, idlen);
		r->field = field ? rules_xstrndup(field, fieldlen) : NULL;
		r->file = file;
		r->line = lineno;
		size_t wl = strlen(file) + idlen + 32;
		r->where = rules_xrealloc(NULL, wl);
		snprintf(r->where, wl, "%s:%d '%s'", file, lineno, r->id);
		rc = rules_compile(rs, r, file, lineno, buf, (size_t)(s - buf), e);
		last = r;
	}
	free(buf);
	return rc;
}

static int rules_load_file(pl_ruleset *rs, const char *path,
			   const pl_rule_kind *kinds, pl_err *e)
{
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return pl_errf(e, PL_EUSAGE, "%s: cannot open rule file", path);
	int rc = rules_load_stream(rs, f, path, kinds, e);
	fclose(f);
	return rc;
}

int pl_rules_load_buffer(pl_ruleset *rs, const char *name, const char *text,
			 size_t n, const pl_rule_kind *kinds, pl_err *e)
{
	if (n == 0) /* fmemopen() refuses an empty buffer; nothing to load */
		return PL_OK;
	FILE *f = fmemopen((void *)(uintptr_t)text, n, "r");
	if (f == NULL)
		return pl_errf(e, PL_EUSAGE, "%s: cannot read rule text", name);
	int rc = rules_load_stream(rs, f, name, kinds, e);
	fclose(f);
	return rc;
}

static int rules_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int pl_rules_load(pl_ruleset *rs, const char *path, const pl_rule_kind *kinds,
		  pl_err *e)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return pl_errf(e, PL_EUSAGE, "%s: no such rule file or directory", path);
	if (!S_ISDIR(st.st_mode))
		return rules_load_file(rs, path, kinds, e);
	DIR *dir = opendir(path);
	if (dir == NULL)
		return pl_errf(e, PL_EUSAGE, "%s: cannot open rule directory", path);
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(dir)) != NULL) {
		size_t l = strlen(de->d_name);
		if (l > 6 && strcmp(de->d_name + l - 6, ".rules") == 0) {
			names = rules_xrealloc(names, (n + 1) * sizeof *names);
			size_t pl = strlen(path) + l + 2;
			names[n] = rules_xrealloc(NULL, pl);
			snprintf(names[n++], pl, "%s/%s", path, de->d_name);
		}
	}
	closedir(dir);
	if (n > 1) /* names is NULL in an empty directory */
		qsort(names, n, sizeof *names, rules_cmp);
	int rc = PL_OK;
	for (size_t i = 0; i < n; i++) {
		if (rc == PL_OK)
			rc = rules_load_file(rs, names[i], kinds, e);
		free(names[i]);
	}
	free(names);
	return rc;
}

const char *pl_rules_macro(const pl_ruleset *rs, const char *name)
{
	for (size_t i = 0; i < rs->nmacros; i++)
		if (strcmp(rs->macros[i].name, name) == 0)
			return rs->macros[i].body;
	return NULL;
}

int pl_rules_macro_pattern(const pl_ruleset *rs, const char *name, pcre2_code **re,
			   pcre2_code **re_at, pl_starts *starts)
{
	*re = *re_at = NULL;
	const char *src = pl_rules_macro(rs, name);
	if (src == NULL)
		return 0;
	int code;
	PCRE2_SIZE off;
	*re = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP, &code,
			    &off, NULL);
	if (*re == NULL)
		return -1;
	(void)pcre2_jit_compile(*re, PCRE2_JIT_COMPLETE);
	pl_search_prepare(*re, src, re_at, starts);
	return 1;
}

/* How many characters a match can begin with, Han and ASCII exactly,
 * other ranges as their widths (a range held twice counts twice). */
static size_t rules_start_chars(const pl_starts *starts)
{
	size_t count = 0;
	for (size_t i = 0; i < 2; i++)
		count += (size_t)__builtin_popcountll(starts->ascii[i]);
	for (size_t i = 0; i < sizeof starts->han / sizeof starts->han[0]; i++)
		count += (size_t)__builtin_popcountll(starts->han[i]);
	for (size_t i = 0; i < starts->n; i++)
		if (starts->hi[i] < 0x4E00 || starts->lo[i] > 0x9FFF)
			count += starts->hi[i] - starts->lo[i] + 1;
	return count;
}

static int rules_has_jit(const pcre2_code *re)
{
	size_t size = 0;
	return pcre2_pattern_info(re, PCRE2_INFO_JITSIZE, &size) == 0 && size > 0;
}

void pl_search_prepare(const pcre2_code *re, const char *src, pcre2_code **re_at,
		       pl_starts *starts)
{
	*re_at = NULL;
	uint32_t all = 0;
	pcre2_pattern_info(re, PCRE2_INFO_ALLOPTIONS, &all);
	pl_starts_of(src, starts);
	pl_starts_next_of(src, starts);
	/* An anchored pattern (^ in every branch) is tried at one place
	 * anyway; its start characters can still spare that attempt. */
	starts->anchored = (all & PCRE2_ANCHORED) != 0;
	/* PCRE2's JIT skips ahead to a pattern's first characters by
	 * itself, faster than the walk, while they are few (督察|督查组;
	 * (?<=类)问题...); past three (发现|梳理|排查|反馈|..., a number)
	 * it tries the pattern at nearly every Han character (their first
	 * bytes are a handful), and the walk, which looks at whole
	 * characters, wins. Measured rule by rule over the benchmark
	 * corpus. */
	if (!starts->known || starts->anchored ||
	    rules_start_chars(starts) <= 3) {
		starts->jit = rules_has_jit(re);
		return;
	}
	int code;
	PCRE2_SIZE off;
	*re_at = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED,
			       PCRE2_UTF | PCRE2_UCP | PCRE2_ANCHORED, &code, &off, NULL);
	if (*re_at == NULL) /* out of memory: the plain search is as good */
		starts->known = 0;
	else
		(void)pcre2_jit_compile(*re_at, PCRE2_JIT_COMPLETE);
	starts->jit = rules_has_jit(re) && (*re_at == NULL || rules_has_jit(*re_at));
}

/* pcre2_match(re, s, n, at, PCRE2_NO_UTF_CHECK, md, mc), through the JIT
 * fast path when re has JIT code: the same result without the argument
 * checks, which cost as much as a failed attempt at one place (the walk
 * below makes hundreds of thousands of them). The subject is valid UTF-8
 * (pl_search's contract) and no option is passed, so nothing they would
 * catch can happen. */
static int rules_match(const pcre2_code *re, int jit, const char *s, size_t n, size_t at,
		       pcre2_match_data *md, pcre2_match_context *mc)
{
	if (jit)
		return pcre2_jit_match(re, (PCRE2_SPTR)s, n, at, 0, md, mc);
	return pcre2_match(re, (PCRE2_SPTR)s, n, at, PCRE2_NO_UTF_CHECK, md, mc);
}

int pl_search(const pcre2_code *re, const pcre2_code *re_at, const pl_starts *starts,
	      const char *s, size_t n, size_t at, pcre2_match_data *md,
	      pcre2_match_context *mc)
{
	return pl_search_upto(re, re_at, starts, s, n, at, n, md, mc);
}

/* The walk of pl_search_upto() for a pattern whose matches all begin with
 * one of its start characters and then one of the characters that may
 * stand second (pl_starts_next_of: PREFILTER, the {NUM}{ITEMS} rules).
 * The character after q is read first: where it can neither begin a match
 * nor follow a first character, no match begins at q or at it, and the
 * walk passes both without reading q's (most characters of a notice). A
 * digit not followed by a counter word is passed here too, not by a call
 * of the JIT code. Positions from at to before end are tried. */
static int search_pairs(const pcre2_code *re_at, const pl_starts *starts, const char *s,
			size_t n, size_t at, size_t end, pcre2_match_data *md,
			pcre2_match_context *mc)
{
	/* text is valid UTF-8 (PCRE2_NO_UTF_CHECK): the lead byte tells the
	 * length, as in pl_utf8_decode(), by its top four bits */
	static const unsigned char len_of[16] = {1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 4};
	const unsigned char *u = (const unsigned char *)s;
	for (size_t q = at; q < end;) {
		size_t r = q + len_of[u[q] >> 4];
		if (r >= n) /* no character after q */
			break;
		size_t rl, ql;
		uint32_t next;
		int either;
		if (u[r] >= 0xE4 && u[r] <= 0xE9 && n - r >= 3) {
			/* U+4000-U+9FFF, most of a Chinese text: as in the
			 * walk below */
			uint32_t h = ((uint32_t)(u[r] & 0x0F) << 12 | (uint32_t)(u[r + 1] & 0x3F) << 6 |
				      (u[r + 2] & 0x3F)) -
				     0x4E00;
			next = h + 0x4E00;
			either = h < 0xA000 - 0x4E00 ? (int)((starts->either_han[h >> 6] >> (h & 63)) & 1)
						     : pl_starts_either_has(starts, next);
			rl = 3;
		} else {
			next = pl_utf8_decode(s + r, &rl);
			either = pl_starts_either_has(starts, next);
		}
		if (!either) {
			q = r + rl;
			continue;
		}
		if (pl_starts_next_has(starts, next) &&
		    pl_starts_has(starts, pl_utf8_decode(s + q, &ql))) {
			int rc = rules_match(re_at, starts->jit, s, n, q, md, mc);
			if (rc != PCRE2_ERROR_NOMATCH)
				return rc;
		}
		q = r;
	}
	return PCRE2_ERROR_NOMATCH;
}

int pl_search_upto(const pcre2_code *re, const pcre2_code *re_at, const pl_starts *starts,
		   const char *s, size_t n, size_t at, size_t last, pcre2_match_data *md,
		   pcre2_match_context *mc)
{
	/* Anchored: a match would begin at `at`, with a start character. */
	if (at > last || pl_search_cannot_start(starts, s, n, at))
		return PCRE2_ERROR_NOMATCH;
	/* a plain search finds no match beginning after last: there is
	 * none */
	if (re_at == NULL)
		return rules_match(re, starts->jit, s, n, at, md, mc);
	/* PCRE2's unanchored search tries each position from at, one
	 * character at a time, and returns the first match: trying only
	 * where a match can begin finds the same one. */
	const unsigned char *u = (const unsigned char *)s;
	size_t end = last < n ? last + 1 : n;
	if (starts->next_known && starts->known)
		return search_pairs(re_at, starts, s, n, at, end, md, mc);
	for (size_t q = at; q < end;) {
		unsigned char c = u[q];
		size_t cl;
		int may;
		if (c >= 0xE4 && c <= 0xE9 && n - q >= 3) {
			/* U+4000-U+9FFF, most of a Chinese text: decoded and
			 * looked up here, without the general tests (re_at is
			 * there, so starts is known) */
			uint32_t h = ((uint32_t)(c & 0x0F) << 12 | (uint32_t)(u[q + 1] & 0x3F) << 6 |
				      (u[q + 2] & 0x3F)) -
				     0x4E00;
			may = h < 0xA000 - 0x4E00 ? (int)((starts->han[h >> 6] >> (h & 63)) & 1)
						  : pl_starts_has(starts, h + 0x4E00);
			cl = 3;
		} else {
			cl = 1;
			may = pl_starts_has(starts, c < 0x80 ? c : pl_utf8_decode(s + q, &cl));
		}
		if (may) {
			int rc = rules_match(re_at, starts->jit, s, n, q, md, mc);
			if (rc != PCRE2_ERROR_NOMATCH)
				return rc;
		}
		q += cl;
	}
	return PCRE2_ERROR_NOMATCH;
}

int pl_rule_group(const pl_rule *r, const char *name)
{
	int n = pcre2_substring_number_from_name(r->re, (PCRE2_SPTR)name);
	return n < 0 ? -1 : n;
}

void pl_rules_free(pl_ruleset *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		pl_rule *r = &rs->rules[i];
		pcre2_code_free(r->re);
		pcre2_code_free(r->re_at);
		free(r->kind);
		free(r->id);
		free(r->field);
		free(r->source);
		free(r->where);
		for (size_t k = 0; k < r->nexamples; k++) {
			free(r->examples[k].text);
			free(r->examples[k].expect);
		}
		free(r->examples);
	}
	free(rs->rules);
	for (size_t i = 0; i < rs->nmacros; i++) {
		free(rs->macros[i].name);
		free(rs->macros[i].body);
	}
	free(rs->macros);
	for (size_t i = 0; i < rs->nfiles; i++)
		free(rs->files[i]);
	free(rs->files);
	memset(rs, 0, sizeof *rs);
}
