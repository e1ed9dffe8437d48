/* literals.c: the literal strings every match of a pattern must contain
 * (see literals.h). A small recursive-descent reader of the PCRE2 syntax
 * the rule files use: literal characters, groups, alternation, classes,
 * escapes, quantifiers and lookarounds.
 *
 * What is required, by construction:
 * - a sequence requires what each of its mandatory items requires, and a
 *   run of adjacent mandatory literal characters is one string;
 * - an alternation requires, of each alternative, that alternative's most
 *   selective factor: their union is one factor (none if an alternative
 *   requires nothing);
 * - an item that may occur zero times, a lookaround (it consumes nothing),
 *   a class, an escape such as \d or a dot requires nothing and ends a run.
 * Every state lives on the stack; the nesting depth is capped. */
#include <string.h>

#include "literals.h"
#include "utf8.h"

#define LIT_MAX_DEPTH 32

typedef struct lit_parser {
	const char *p;
	int bad;   /* something not understood: the pattern gets no factor */
	int depth;
	int caseless; /* the pattern began with (?i) (pl_needs_of only) */
} lit_parser;

static size_t lit_minlen(const pl_need_factor *f)
{
	size_t m = (size_t)-1;
	for (size_t i = 0; i < f->nalts; i++)
		if (f->len[i] < m)
			m = f->len[i];
	return f->nalts ? m : 0;
}

/* a is more selective than b: longer shortest alternative, then fewer. */
static int lit_better(const pl_need_factor *a, const pl_need_factor *b)
{
	size_t ma = lit_minlen(a), mb = lit_minlen(b);
	return ma != mb ? ma > mb : a->nalts < b->nalts;
}

/* Keeps f among the PL_NEED_FACTORS most selective factors of l. */
static void lit_add(pl_needs *l, const pl_need_factor *f)
{
	if (f->nalts == 0 || lit_minlen(f) == 0)
		return;
	if (l->n < PL_NEED_FACTORS) {
		l->f[l->n++] = *f;
		return;
	}
	size_t worst = 0;
	for (size_t i = 1; i < l->n; i++)
		if (lit_better(&l->f[worst], &l->f[i]))
			worst = i;
	if (lit_better(f, &l->f[worst]))
		l->f[worst] = *f;
}

static const pl_need_factor *lit_best(const pl_needs *l)
{
	const pl_need_factor *b = NULL;
	for (size_t i = 0; i < l->n; i++)
		if (b == NULL || lit_better(&l->f[i], b))
			b = &l->f[i];
	return b;
}

static void lit_flush(pl_needs *l, const char *run, size_t *rlen)
{
	if (*rlen == 0)
		return;
	pl_need_factor f;
	f.nalts = 1;
	f.id[0] = PL_LIT_NONE;
	f.len[0] = (unsigned char)*rlen;
	memcpy(f.alt[0], run, *rlen);
	lit_add(l, &f);
	*rlen = 0;
}

static size_t lit_utf8_len(unsigned char c)
{
	return c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

static int lit_is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* 1 when the character lit[0..len) has no other case, so that (?i) matches
 * it as written: ASCII other than letters, CJK punctuation and Han. Other
 * characters are left out, not looked up (Unicode has case pairs in many
 * scripts, and symbols such as the Kelvin sign fold to ASCII letters). */
static int lit_caseless_same(const char *lit, size_t len)
{
	unsigned char c = (unsigned char)lit[0];
	if (len == 1)
		return c < 0x80 && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
	if (len != 3)
		return 0;
	uint32_t cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(lit[1] & 0x3F) << 6) |
		      (uint32_t)(lit[2] & 0x3F);
	return (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0x3400 && cp <= 0x4DBF) ||
	       (cp >= 0x4E00 && cp <= 0x9FFF);
}

/* Skips to just past the byte close; sets bad if there is none. */
static const char *lit_skip_to(lit_parser *ps, const char *p, char close)
{
	const char *q = strchr(p, close);
	if (q == NULL) {
		ps->bad = 1;
		return p + strlen(p);
	}
	return q + 1;
}

/* p is just past a backslash: skips the escape. */
static const char *lit_skip_escape(lit_parser *ps, const char *p)
{
	char n = *p++;
	if ((n == 'x' || n == 'p' || n == 'P' || n == 'N' || n == 'o' || n == 'g' || n == 'k') &&
	    *p == '{')
		return lit_skip_to(ps, p, '}');
	if ((n == 'g' || n == 'k') && (*p == '<' || *p == '\''))
		return lit_skip_to(ps, p + 1, *p == '<' ? '>' : '\'');
	if (n == 'c' && *p != '\0')
		return p + 1;
	while (n >= '0' && n <= '9' && *p >= '0' && *p <= '9')
		p++;
	return p;
}

/* p is at '[': skips the class. */
static const char *lit_skip_class(lit_parser *ps, const char *p)
{
	p++;
	if (*p == '^')
		p++;
	if (*p == ']')
		p++;
	for (;;) {
		if (*p == '\0') {
			ps->bad = 1;
			return p;
		}
		if (*p == '\\') {
			if (p[1] == '\0') {
				ps->bad = 1;
				return p + 1;
			}
			p = lit_skip_escape(ps, p + 1);
		} else if (*p == '[' && p[1] == ':') {
			const char *q = strstr(p + 2, ":]");
			p = q ? q + 2 : p + 1;
		} else if (*p == ']') {
			return p + 1;
		} else {
			p++;
		}
	}
}

/* A quantifier at ps->p, if any: returns 1 and sets *min. */
static int lit_quantifier(lit_parser *ps, size_t *min)
{
	const char *p = ps->p;
	if (*p == '?' || *p == '*') {
		*min = 0;
		p++;
	} else if (*p == '+') {
		*min = 1;
		p++;
	} else if (*p == '{') {
		const char *q = p + 1;
		size_t m = 0;
		int digits = 0;
		while (*q >= '0' && *q <= '9') {
			m = m < 100000 ? m * 10 + (size_t)(*q - '0') : m;
			q++;
			digits++;
		}
		if (*q == ',') {
			q++;
			while (*q >= '0' && *q <= '9')
				q++;
		}
		if (!digits || *q != '}')
			return 0; /* not a quantifier: a literal '{' (an item) */
		*min = m;
		p = q + 1;
	} else {
		return 0;
	}
	if (*p == '?' || *p == '+') /* lazy, possessive */
		p++;
	ps->p = p;
	return 1;
}

/* p at '(': skips the group's opening ((, (?:, (?>, (?|, (?<name>, a
 * lookaround) and enters it (depth + 1). *look: a lookaround, which
 * consumes nothing. Sets bad for options, comments, conditionals, verbs,
 * and nesting past the cap. */
static const char *lit_group_open(lit_parser *ps, const char *p, int *look)
{
	*look = 0;
	p++;
	if (p[0] == '?') {
		if (p[1] == ':' || p[1] == '>' || p[1] == '|') {
			p += 2;
		} else if (p[1] == '=' || p[1] == '!') {
			p += 2;
			*look = 1;
		} else if (p[1] == '<' && (p[2] == '=' || p[2] == '!')) {
			p += 3;
			*look = 1;
		} else if (p[1] == '<' || p[1] == '\'' || (p[1] == 'P' && p[2] == '<')) {
			p += p[1] == 'P' ? 3 : 2;
			p = lit_skip_to(ps, p, p[-1] == '\'' ? '\'' : '>');
		} else {
			ps->bad = 1; /* options, comments, conditionals... */
			return p;
		}
	} else if (p[0] == '*') {
		ps->bad = 1; /* verbs */
		return p;
	}
	if (ps->bad || ++ps->depth > LIT_MAX_DEPTH)
		ps->bad = 1;
	return p;
}

static void lit_alternation(lit_parser *ps, pl_needs *out);

static void lit_sequence(lit_parser *ps, pl_needs *out)
{
	char run[PL_NEED_LEN];
	size_t rlen = 0;
	out->n = 0;
	while (!ps->bad) {
		const char *p = ps->p;
		char c = *p;
		if (c == '\0' || c == '|' || c == ')')
			break;
		enum { LIT, GROUP, NOTHING } kind = NOTHING;
		char lit[4];
		size_t llen = 0;
		pl_needs sub;
		sub.n = 0;
		if (c == '(') {
			int look = 0;
			p = lit_group_open(ps, p, &look);
			if (ps->bad)
				break;
			ps->p = p;
			lit_alternation(ps, &sub);
			ps->depth--;
			if (ps->bad || *ps->p != ')') {
				ps->bad = 1;
				break;
			}
			ps->p++;
			if (look)
				sub.n = 0; /* consumes nothing */
			kind = GROUP;
		} else {
			if (c == '[') {
				p = lit_skip_class(ps, p);
			} else if (c == '\\') {
				char n = p[1];
				if (n == '\0' || n == 'Q' || n == 'E') {
					ps->bad = 1;
					break;
				}
				if (lit_is_alnum(n)) {
					p = lit_skip_escape(ps, p + 1);
				} else {
					/* \. \( \{ \中 ...: the character itself */
					llen = lit_utf8_len((unsigned char)n);
					for (size_t i = 0; i < llen; i++) {
						if (p[1 + i] == '\0') {
							ps->bad = 1;
							break;
						}
						lit[i] = p[1 + i];
					}
					kind = LIT;
					p += 1 + llen;
				}
			} else if (c == '.' || c == '^' || c == '$' || c == '{') {
				p++; /* '{' that starts no quantifier is a literal: skipped */
			} else if (c == '*' || c == '+' || c == '?') {
				ps->bad = 1; /* a quantifier with nothing before it */
				break;
			} else {
				llen = lit_utf8_len((unsigned char)c);
				for (size_t i = 0; i < llen; i++) {
					if (p[i] == '\0') {
						ps->bad = 1;
						break;
					}
					lit[i] = p[i];
				}
				p += llen;
				kind = LIT;
			}
			ps->p = p;
		}
		if (ps->bad)
			break;
		if (kind == LIT && ps->caseless && !lit_caseless_same(lit, llen))
			kind = NOTHING; /* matched in either case: not one string */
		size_t min = 1;
		int quantified = lit_quantifier(ps, &min);
		if (kind == LIT && min > 0) {
			if (rlen + llen > PL_NEED_LEN)
				lit_flush(out, run, &rlen);
			memcpy(run + rlen, lit, llen);
			rlen += llen;
			if (quantified) /* "a+b": "ab" is not sure to appear */
				lit_flush(out, run, &rlen);
			continue;
		}
		lit_flush(out, run, &rlen);
		if (kind == GROUP && min > 0)
			for (size_t i = 0; i < sub.n; i++)
				lit_add(out, &sub.f[i]);
	}
	lit_flush(out, run, &rlen);
}

static void lit_alternation(lit_parser *ps, pl_needs *out)
{
	pl_needs seq;
	lit_sequence(ps, &seq);
	if (ps->bad || *ps->p != '|') {
		*out = seq;
		return;
	}
	pl_need_factor u;
	u.nalts = 0;
	int ok = 1;
	for (;;) {
		const pl_need_factor *b = lit_best(&seq);
		if (b == NULL || u.nalts + b->nalts > PL_NEED_ALTS) {
			ok = 0;
		} else if (ok) {
			for (size_t i = 0; i < b->nalts; i++) {
				u.id[u.nalts] = PL_LIT_NONE;
				u.len[u.nalts] = b->len[i];
				memcpy(u.alt[u.nalts], b->alt[i], b->len[i]);
				u.nalts++;
			}
		}
		if (ps->bad || *ps->p != '|')
			break;
		ps->p++;
		lit_sequence(ps, &seq);
	}
	out->n = 0;
	if (ok)
		lit_add(out, &u);
}

void pl_needs_of(const char *pattern, pl_needs *out)
{
	lit_parser ps = {pattern, 0, 0, 0};
	/* (?i) for the whole pattern (image file names in boilerplate.rules):
	 * the characters without case are still literals. Options anywhere
	 * else are not read. */
	if (strncmp(pattern, "(?i)", 4) == 0) {
		ps.p += 4;
		ps.caseless = 1;
	}
	lit_alternation(&ps, out);
	if (ps.bad || *ps.p != '\0') /* an unbalanced ')' too */
		out->n = 0;
}

int pl_needs_met(const pl_needs *nd, const char *s, size_t n)
{
	for (size_t i = 0; i < nd->n; i++) {
		const pl_need_factor *f = &nd->f[i];
		size_t k = 0;
		while (k < f->nalts && pl_memfind(s, n, f->alt[k], f->len[k]) == NULL)
			k++;
		if (k == f->nalts)
			return 0;
	}
	return 1;
}

/* The character at s[i] (i < n) as a number, its first byte lowest; *len is
 * its length: the lead byte and the continuation bytes after it, no more
 * than the lead byte announces. A stray continuation byte is a character
 * of its own, so the reading of a text is back in step at the next lead
 * byte, and a literal is read alike wherever it stands. */
static uint32_t lit_char(const unsigned char *s, size_t n, size_t i, size_t *len)
{
	unsigned char b = s[i];
	if (b < 0xC0) {
		*len = 1;
		return b;
	}
	size_t want = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2, k = 1;
	uint32_t v = b;
	while (k < want && i + k < n && (s[i + k] & 0xC0) == 0x80) {
		v |= (uint32_t)s[i + k] << (8 * k);
		k++;
	}
	*len = k;
	return v;
}

static unsigned lit_first_hash(uint32_t v)
{
	return (v * 0x9E3779B1u) >> (32 - PL_LIT_FIRST_BITS);
}

static unsigned lit_first_of(const pl_litcache *c, size_t id)
{
	size_t len;
	return lit_first_hash(lit_char((const unsigned char *)c->lit[id], c->len[id], 0, &len));
}

/* Groups the literals by their first character's hash (counting sort). */
static void lit_index(pl_litcache *c)
{
	memset(c->first, 0, sizeof c->first);
	memset(c->first_start, 0, sizeof c->first_start);
	for (size_t id = 0; id < c->n; id++)
		c->first_start[lit_first_of(c, id) + 1]++;
	for (size_t h = 0; h < (1u << PL_LIT_FIRST_BITS); h++)
		c->first_start[h + 1] = (uint16_t)(c->first_start[h + 1] + c->first_start[h]);
	uint16_t fill[1u << PL_LIT_FIRST_BITS];
	memcpy(fill, c->first_start, sizeof fill);
	for (size_t id = 0; id < c->n; id++) {
		unsigned h = lit_first_of(c, id);
		c->by_first[fill[h]++] = (uint16_t)id;
		c->first[h >> 6] |= (uint64_t)1 << (h & 63);
	}
}

void pl_litcache_add(pl_litcache *c, pl_needs *nd)
{
	for (size_t i = 0; i < nd->n; i++) {
		pl_need_factor *f = &nd->f[i];
		for (size_t k = 0; k < f->nalts; k++) {
			size_t j = 0;
			while (j < c->n && !(c->len[j] == f->len[k] &&
					     memcmp(c->lit[j], f->alt[k], f->len[k]) == 0))
				j++;
			/* an empty literal is held by every text: searched */
			if (j == c->n && c->n < PL_LIT_MAX && f->len[k] > 0) {
				unsigned char head[8] = {0};
				size_t m = f->len[k] < 8 ? f->len[k] : 8;
				memcpy(head, f->alt[k], m);
				c->head[c->n] = pl_load8(head);
				c->head_mask[c->n] = m == 8 ? ~(uint64_t)0 : ((uint64_t)1 << (8 * m)) - 1;
				c->lit[c->n] = f->alt[k];
				c->len[c->n++] = f->len[k];
			}
			f->id[k] = j < c->n ? (unsigned short)j : PL_LIT_NONE;
		}
		f->cached = 1;
		memset(f->ids, 0, sizeof f->ids);
		for (size_t k = 0; k < f->nalts; k++) {
			if (f->id[k] == PL_LIT_NONE)
				f->cached = 0;
			else
				f->ids[f->id[k] / 64] |= (uint64_t)1 << (f->id[k] % 64);
		}
	}
	lit_index(c);
}

void pl_litcache_reset(pl_litcache *c)
{
	c->read = 0;
}

/* memcmp(a, b, n) == 0 for the few bytes of a literal (most are one to
 * three characters), compared here rather than in a call per try. */
static int lit_same(const unsigned char *a, const char *b, size_t n)
{
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t x, y;
		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		if (x != y)
			return 0;
	}
	for (; i < n; i++)
		if (a[i] != (unsigned char)b[i])
			return 0;
	return 1;
}

/* The literals a character that may begin some begins; at is its offset.
 * The text is read forwards, so each literal's last place is the one kept.
 * While eight bytes remain, the first eight of a literal (or all of a
 * shorter one) are compared in one step. */
static void lit_try(pl_litcache *c, unsigned h, const unsigned char *s, size_t at,
		    size_t rest)
{
	uint64_t here = rest >= 8 ? pl_load8(s) : 0;
	for (size_t k = c->first_start[h]; k < c->first_start[h + 1]; k++) {
		uint16_t id = c->by_first[k];
		size_t len = c->len[id];
		int same;
		if (rest >= 8) /* the first eight bytes, then any after them */
			same = (here & c->head_mask[id]) == c->head[id] &&
			       (len <= 8 || (len <= rest && lit_same(s + 8, c->lit[id] + 8, len - 8)));
		else
			same = len <= rest && lit_same(s, c->lit[id], len);
		if (!same)
			continue;
		c->last[id] = at + 1;
		c->held[id / 64] |= (uint64_t)1 << (id % 64);
	}
}

/* Reads the text s[0..n) once: which literals it holds. */
static void lit_read(pl_litcache *c, const char *text, size_t n)
{
	const unsigned char *s = (const unsigned char *)text;
	memset(c->last, 0, c->n * sizeof *c->last);
	memset(c->held, 0, (c->n + 63) / 64 * sizeof *c->held);
	size_t i = 0;
	/* While four bytes remain, the common cases inline, from one load
	 * of four bytes: a whole three-byte character (lead 1110xxxx, then
	 * two 10xxxxxx) and an ASCII one. */
	while (n - i >= 4) {
		uint32_t v, w = pl_load4(s + i);
		size_t len;
		if ((w & PL_UTF8_3_MASK) == PL_UTF8_3_WANT) {
			v = w & 0xFFFFFFu;
			len = 3;
		} else if (s[i] < 0x80) {
			v = s[i];
			len = 1;
		} else {
			v = lit_char(s, n, i, &len);
		}
		unsigned h = lit_first_hash(v);
		if ((c->first[h >> 6] >> (h & 63)) & 1)
			lit_try(c, h, s + i, i, n - i);
		i += len;
	}
	while (i < n) { /* the last three bytes or fewer */
		size_t len;
		unsigned h = lit_first_hash(lit_char(s, n, i, &len));
		if ((c->first[h >> 6] >> (h & 63)) & 1)
			lit_try(c, h, s + i, i, n - i);
		i += len;
	}
	c->read = 1;
}

int pl_needs_met_upto(const pl_needs *nd, pl_litcache *c, const char *s, size_t n,
		      size_t *last)
{
	/* read at the first question with a factor: asked once for every
	 * rule of a text, most of them find it read */
	if (nd->n > 0 && !c->read)
		lit_read(c, s, n);
	/* Most questions are answered no by a factor none of whose
	 * literals the text holds: found from the bits first. */
	size_t words = (c->n + 63) / 64;
	for (size_t i = 0; i < nd->n; i++) {
		const pl_need_factor *f = &nd->f[i];
		if (!f->cached)
			continue;
		uint64_t any = 0;
		for (size_t w = 0; w < words; w++)
			any |= f->ids[w] & c->held[w];
		if (any == 0)
			return 0;
	}
	size_t upto = n;
	for (size_t i = 0; i < nd->n; i++) {
		const pl_need_factor *f = &nd->f[i];
		/* 1 + the last place of any alternative so far; n + 1 once
		 * one is found with pl_memfind, which tells only the first.
		 * Without last, the first alternative there answers. */
		size_t at = 0;
		for (size_t k = 0; k < f->nalts && at <= n && (last != NULL || at == 0); k++) {
			if (f->id[k] != PL_LIT_NONE)
				at = c->last[f->id[k]] > at ? c->last[f->id[k]] : at;
			else if (pl_memfind(s, n, f->alt[k], f->len[k]) != NULL)
				at = n + 1;
		}
		if (at == 0) /* no alternative of this factor is there */
			return 0;
		if (at - 1 < upto)
			upto = at - 1;
	}
	if (last != NULL)
		*last = upto;
	return 1;
}

int pl_needs_met_cached(const pl_needs *nd, pl_litcache *c, const char *s, size_t n)
{
	return pl_needs_met_upto(nd, c, s, n, NULL);
}

/* ---- Start characters (pl_starts_of) ----
 * The same reader walks the pattern once more. Of a sequence, the first
 * item's start characters count, and the next item's too while every item
 * before it can match the empty string; of an alternation, every branch's.
 * A lookaround or an assertion (^ $ \b \B \A \z \Z) consumes nothing, so
 * it only lets the next item count. */

static void st_add(pl_starts *s, uint32_t lo, uint32_t hi)
{
	for (; lo < 128 && lo <= hi; lo++)
		s->ascii[lo >> 6] |= (uint64_t)1 << (lo & 63);
	if (lo > hi)
		return;
	if (s->n == PL_STARTS_MAX) {
		s->known = 0;
		return;
	}
	s->lo[s->n] = lo;
	s->hi[s->n++] = hi;
	uint32_t a = lo > 0x4E00 ? lo : 0x4E00, z = hi < 0x9FFF ? hi : 0x9FFF;
	for (uint32_t c = a; c <= z && a <= z; c++)
		s->han[(c - 0x4E00) >> 6] |= (uint64_t)1 << ((c - 0x4E00) & 63);
	if (hi - lo >= 255) {
		memset(s->bloom, 0xff, sizeof s->bloom);
		return;
	}
	for (uint32_t c = lo;; c++) {
		s->bloom[(c >> 6) & 3] |= (uint64_t)1 << (c & 63);
		if (c == hi)
			break;
	}
}

/* The characters \s stands for with PCRE2_UCP: the separators (Zs, Zl,
 * Zp) and tab, line feed, vertical tab, form feed and carriage return;
 * and U+0085 and U+180E besides, which other Unicode versions count as
 * space (one start character too many costs only an attempt). */
static void st_add_space(pl_starts *s)
{
	static const uint32_t space[][2] = {
	    {0x09, 0x0D},     {0x20, 0x20},     {0x85, 0x85},     {0xA0, 0xA0},
	    {0x1680, 0x1680}, {0x180E, 0x180E}, {0x2000, 0x200A}, {0x2028, 0x2029},
	    {0x202F, 0x202F}, {0x205F, 0x205F}, {0x3000, 0x3000},
	};
	for (size_t i = 0; i < sizeof space / sizeof space[0]; i++)
		st_add(s, space[i][0], space[i][1]);
}

/* One character of a class at *pp (after a backslash: an escaped
 * punctuation character). Returns 0 for what stands for many characters
 * (\d, \p{..}, [:alpha:], \x{..}: not worth reading); sets bad at the end
 * of the pattern. */
static int st_class_char(lit_parser *ps, const char **pp, uint32_t *cp)
{
	const char *p = *pp;
	if (*p == '\\') {
		if (p[1] == '\0' || lit_is_alnum(p[1])) {
			if (p[1] == '\0')
				ps->bad = 1;
			return 0;
		}
		p++;
	} else if (*p == '[' && p[1] == ':') {
		return 0;
	}
	if (*p == '\0') {
		ps->bad = 1;
		return 0;
	}
	size_t len;
	size_t need = lit_utf8_len((unsigned char)*p);
	for (size_t i = 1; i < need; i++)
		if (p[i] == '\0') {
			ps->bad = 1;
			return 0;
		}
	*cp = pl_utf8_decode(p, &len);
	*pp = p + need;
	return 1;
}

/* p at '[': adds the class's characters to s when add; returns past it. */
static const char *st_class(lit_parser *ps, const char *p, pl_starts *s, int add)
{
	const char *end = lit_skip_class(ps, p);
	if (ps->bad || !add)
		return end;
	p++;
	if (*p == '^') {
		s->known = 0; /* nearly everything */
		return end;
	}
	int first = 1;
	while (p < end - 1) {
		uint32_t lo, hi;
		if (*p == ']' && !first)
			break;
		first = 0;
		if (!st_class_char(ps, &p, &lo)) {
			s->known = 0;
			return end;
		}
		hi = lo;
		if (*p == '-' && p[1] != ']' && p + 1 < end - 1) {
			p++;
			if (!st_class_char(ps, &p, &hi) || hi < lo) {
				s->known = 0;
				return end;
			}
		}
		st_add(s, lo, hi);
	}
	return end;
}

static int st_alternation(lit_parser *ps, pl_starts *s, int add);

/* Returns 1 when the sequence at ps->p can match the empty string. */
static int st_sequence(lit_parser *ps, pl_starts *s, int add)
{
	int empty = 1; /* everything so far can match the empty string */
	while (!ps->bad) {
		const char *p = ps->p;
		char c = *p;
		if (c == '\0' || c == '|' || c == ')')
			break;
		int here = add && empty, item_empty = 0;
		if (c == '(') {
			int look = 0;
			p = lit_group_open(ps, p, &look);
			if (ps->bad)
				break;
			ps->p = p;
			int inner = st_alternation(ps, s, here && !look);
			ps->depth--;
			if (ps->bad || *ps->p != ')') {
				ps->bad = 1;
				break;
			}
			ps->p++;
			item_empty = look || inner;
		} else if (c == '[') {
			ps->p = st_class(ps, p, s, here);
		} else if (c == '\\' && (p[1] == '\0' || strchr("QEGKgk0123456789", p[1]) != NULL)) {
			ps->bad = 1; /* back-references, \G, \K, quoting */
			break;
		} else if (c == '\\' && strchr("bBAzZ", p[1]) != NULL) {
			item_empty = 1;
			ps->p = p + 2;
		} else if (c == '\\' && p[1] == 's') {
			if (here)
				st_add_space(s);
			ps->p = p + 2;
		} else if (c == '\\' && lit_is_alnum(p[1])) {
			if (here)
				s->known = 0; /* \d \w \p{..} \x{..} \N ... */
			ps->p = lit_skip_escape(ps, p + 1);
		} else if (c == '.') {
			if (here)
				s->known = 0;
			ps->p = p + 1;
		} else if (c == '^' || c == '$') {
			item_empty = 1;
			ps->p = p + 1;
		} else if (c == '*' || c == '+' || c == '?') {
			ps->bad = 1;
			break;
		} else { /* a character, or an escaped punctuation character */
			uint32_t cp;
			const char *q = p;
			if (!st_class_char(ps, &q, &cp))
				break;
			if (here)
				st_add(s, cp, cp);
			ps->p = q;
		}
		if (ps->bad)
			break;
		size_t min = 1;
		if (lit_quantifier(ps, &min) && min == 0)
			item_empty = 1;
		empty = empty && item_empty;
	}
	return empty;
}

static int st_alternation(lit_parser *ps, pl_starts *s, int add)
{
	int empty = st_sequence(ps, s, add);
	while (!ps->bad && *ps->p == '|') {
		ps->p++;
		empty |= st_sequence(ps, s, add);
	}
	return empty;
}

/* ---- Second characters (pl_starts_next_of) ----
 * The reader walks the pattern once more, and gives of each piece the
 * characters its matches can begin with (first), the characters that can
 * stand second in its matches of two characters or more (second), and
 * which lengths its matches can have: none, one, or more. Of a sequence
 * P then Y, the second character comes from P (P matched two or more),
 * from Y's first (P matched one) or from Y's second (P matched none). The
 * sets may hold characters that no match puts there, and the lengths say
 * "can" where a match may not: both only cost a walk a position it need
 * not try. A lookaround or an assertion matches none; a lookahead's
 * limits are not read. Anything that may match more than one character
 * without saying which (\R, \X, \C) or that is not understood sets bad. */
#define NX_RANGES 128 /* ranges a set keeps; more: any */
typedef struct nx_set {
	int any; /* any character */
	size_t n;
	uint32_t lo[NX_RANGES], hi[NX_RANGES];
} nx_set;

typedef struct nx_piece {
	int none, one, more; /* the lengths a match can have: 0, 1, 2 or more */
	nx_set first, second;
} nx_piece;

static void nx_clear(nx_set *a)
{
	a->any = 0;
	a->n = 0;
}

static void nx_add(nx_set *a, uint32_t lo, uint32_t hi)
{
	for (size_t i = 0; i < a->n; i++)
		if (a->lo[i] == lo && a->hi[i] == hi)
			return;
	if (a->n == NX_RANGES) {
		a->any = 1;
		return;
	}
	a->lo[a->n] = lo;
	a->hi[a->n++] = hi;
}

static void nx_union(nx_set *a, const nx_set *b)
{
	a->any |= b->any;
	for (size_t i = 0; i < b->n && !a->any; i++)
		nx_add(a, b->lo[i], b->hi[i]);
}

/* The characters of a start set (pl_starts_of's reading of one item): its
 * ASCII bitmap as runs, then its other ranges. */
static void nx_from_starts(nx_set *a, const pl_starts *s)
{
	nx_clear(a);
	a->any = !s->known;
	for (uint32_t c = 0; c < 128 && !a->any;) {
		if (!((s->ascii[c >> 6] >> (c & 63)) & 1)) {
			c++;
			continue;
		}
		uint32_t e = c;
		while (e + 1 < 128 && ((s->ascii[(e + 1) >> 6] >> ((e + 1) & 63)) & 1))
			e++;
		nx_add(a, c, e);
		c = e + 1;
	}
	for (size_t i = 0; i < s->n && !a->any; i++)
		nx_add(a, s->lo[i], s->hi[i]);
}

static void nx_alternation(lit_parser *ps, nx_piece *out);

/* 1 when a start set holds a character that is neither ASCII nor Han. */
static int st_other(const pl_starts *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->lo[i] < 0x4E00 || s->hi[i] > 0x9FFF)
			return 1;
	return 0;
}

/* One item that matches exactly one character, at ps->p: its characters
 * into y->first. Returns 0 (ps->p unmoved) when the item is not one. */
static int nx_one_char(lit_parser *ps, nx_piece *y)
{
	const char *p = ps->p, *q = p;
	int any = 0;     /* one character, of many */
	int as_set = 0;  /* a class or \s: read into a set as pl_starts_of reads it */
	uint32_t cp = 0; /* else the one character */
	if (*p == '[' || (*p == '\\' && p[1] == 's')) {
		pl_starts st;
		memset(&st, 0, sizeof st);
		st.known = 1;
		if (*p == '[') {
			q = st_class(ps, p, &st, 1);
		} else {
			st_add_space(&st);
			q = p + 2;
		}
		nx_from_starts(&y->first, &st);
		as_set = 1;
	} else if (*p == '.') {
		any = 1;
		q = p + 1;
	} else if (*p == '\\' && p[1] != '\0' && strchr("dDwWShHvV", p[1]) != NULL) {
		any = 1;
		q = p + 2;
	} else if (*p == '\\' && (p[1] == 'p' || p[1] == 'P' || p[1] == 'x') && p[2] == '{') {
		any = 1; /* \p{Han}, \x{4E00} */
		q = lit_skip_to(ps, p + 3, '}');
	} else if (*p == '\\' && (p[1] == 'p' || p[1] == 'P') && lit_is_alnum(p[2])) {
		any = 1; /* \pL: the letter is the property's, not a character */
		q = p + 3;
	} else if (*p == '\\' && p[1] == 'x') {
		any = 1; /* \xhh: up to two hex digits */
		q = p + 2;
		for (int k = 0; k < 2 && ((*q >= '0' && *q <= '9') || (*q >= 'a' && *q <= 'f') ||
					  (*q >= 'A' && *q <= 'F'));
		     k++)
			q++;
	} else if (*p == '\\' && (p[1] == '\0' || lit_is_alnum(p[1]))) {
		return 0;
	} else if (*p == '\0' || strchr("()|^$*+?", *p) != NULL) {
		return 0;
	} else if (!st_class_char(ps, &q, &cp)) { /* a character, or an escaped one */
		return 0;
	}
	if (!as_set) {
		nx_clear(&y->first);
		if (any)
			y->first.any = 1;
		else
			nx_add(&y->first, cp, cp);
	}
	ps->p = q;
	y->none = y->more = 0;
	y->one = 1;
	nx_clear(&y->second);
	return 1;
}

static void nx_piece_clear(nx_piece *y)
{
	y->none = y->one = y->more = 0;
	nx_clear(&y->first);
	nx_clear(&y->second);
}

static void nx_item(lit_parser *ps, nx_piece *y)
{
	nx_piece_clear(y);
	const char *p = ps->p;
	if (*p == '(') {
		int look = 0;
		p = lit_group_open(ps, p, &look);
		if (ps->bad)
			return;
		ps->p = p;
		nx_alternation(ps, y);
		ps->depth--;
		if (ps->bad || *ps->p != ')') {
			ps->bad = 1;
			return;
		}
		ps->p++;
		if (look) { /* consumes nothing */
			nx_piece_clear(y);
			y->none = 1;
		}
	} else if (*p == '^' || *p == '$') {
		y->none = 1;
		ps->p = p + 1;
	} else if (*p == '\\' && p[1] != '\0' && strchr("bBAzZ", p[1]) != NULL) {
		y->none = 1;
		ps->p = p + 2;
	} else if (!nx_one_char(ps, y)) {
		ps->bad = 1;
		return;
	}
	if (ps->bad)
		return;
	const char *q = ps->p;
	size_t min = 1;
	if (!lit_quantifier(ps, &min))
		return;
	/* Copies of y, each of its lengths: none when none are there or
	 * each is empty; one when one copy has one and the others (if any
	 * must be there) are empty; more when a copy has more, or two have
	 * one (unless at most one copy: ?). */
	int at_most_one = *q == '?';
	int one = y->one && (min <= 1 || y->none);
	int more = y->more || (y->one && !at_most_one);
	if (y->one && !at_most_one) /* a second copy's first, after a first of one */
		nx_union(&y->second, &y->first);
	y->none = y->none || min == 0;
	y->one = one;
	y->more = more;
}

/* A sequence of items at ps->p, up to | or ) or the end, into *out. */
static void nx_sequence(lit_parser *ps, nx_piece *out)
{
	nx_piece_clear(out);
	out->none = 1; /* the empty sequence */
	nx_piece y;
	while (!ps->bad) {
		char c = *ps->p;
		if (c == '\0' || c == '|' || c == ')')
			break;
		nx_item(ps, &y);
		if (ps->bad)
			break;
		/* P (out so far) then Y */
		if (out->one)
			nx_union(&out->second, &y.first);
		if (out->none) {
			nx_union(&out->second, &y.second);
			nx_union(&out->first, &y.first);
		}
		int none = out->none && y.none;
		int one = (out->none && y.one) || (out->one && y.none);
		int more = out->more || (out->one && (y.one || y.more)) || (out->none && y.more);
		out->none = none;
		out->one = one;
		out->more = more;
	}
}

static void nx_alternation(lit_parser *ps, nx_piece *out)
{
	nx_sequence(ps, out);
	nx_piece b;
	while (!ps->bad && *ps->p == '|') {
		ps->p++;
		nx_sequence(ps, &b);
		out->none |= b.none;
		out->one |= b.one;
		out->more |= b.more;
		nx_union(&out->first, &b.first);
		nx_union(&out->second, &b.second);
	}
}

void pl_starts_next_of(const char *pattern, pl_starts *out)
{
	out->next_known = 0;
	lit_parser ps = {pattern, 0, 0, 0};
	nx_piece all;
	nx_alternation(&ps, &all);
	/* every match must have a second character, and its set be known */
	if (ps.bad || *ps.p != '\0' || all.none || all.one || all.second.any)
		return;
	/* the ranges as pl_starts keeps them: ASCII and Han bitmaps, and
	 * next_other for any other character */
	pl_starts second;
	memset(&second, 0, sizeof second);
	second.known = 1;
	for (size_t i = 0; i < all.second.n; i++)
		st_add(&second, all.second.lo[i], all.second.hi[i]);
	if (!second.known) /* too many ranges */
		return;
	memcpy(out->next_ascii, second.ascii, sizeof out->next_ascii);
	memcpy(out->next_han, second.han, sizeof out->next_han);
	out->next_other = st_other(&second);
	out->next_known = 1;
	out->either_other = out->next_other || st_other(out);
	for (size_t k = 0; k < 2; k++)
		out->either_ascii[k] = out->ascii[k] | out->next_ascii[k];
	for (size_t k = 0; k < sizeof out->han / sizeof *out->han; k++)
		out->either_han[k] = out->han[k] | out->next_han[k];
}

void pl_starts_of(const char *pattern, pl_starts *out)
{
	memset(out, 0, sizeof *out);
	out->known = 1;
	lit_parser ps = {pattern, 0, 0, 0};
	int empty = st_alternation(&ps, out, 1);
	if (ps.bad || *ps.p != '\0' || empty)
		out->known = 0;
}
