/* literals.h: the literal strings every match of a pattern must contain.
 *
 * Read off a PCRE2 pattern's source, so a sentence that lacks them is not
 * worth a regex search: "{NUM}{ITEMS}已完成整改" needs one of 个 项 条 处
 * and then 已完成整改. Found as a list of factors, each a set of
 * alternatives: a match contains at least one alternative of every factor.
 * The reading is conservative: anything it does not understand (inline
 * options such as (?i), \Q...\E, conditionals, verbs) gives no factor at
 * all, and a pattern with no factor is always searched. check-rules checks
 * every example a rule matches against its factors, so a reading error
 * would show there. */
#ifndef PL_LITERALS_H
#define PL_LITERALS_H

#include <stddef.h>
#include <stdint.h>

#define PL_NEED_FACTORS 4  /* factors kept per pattern: the most selective */
#define PL_NEED_ALTS 16    /* alternatives per factor, at most */
#define PL_NEED_LEN 48     /* bytes per alternative, at most */

#define PL_LIT_MAX 512 /* literals a pl_litcache (below) holds */
typedef struct pl_need_factor {
	size_t nalts;
	unsigned short id[PL_NEED_ALTS]; /* in a pl_litcache, or PL_LIT_NONE */
	unsigned char len[PL_NEED_ALTS];
	char alt[PL_NEED_ALTS][PL_NEED_LEN];
	/* set by pl_litcache_add(): in ids, the bit of every alternative's
	 * id; cached 1 when every alternative has one (none is PL_LIT_NONE) */
	int cached;
	uint64_t ids[PL_LIT_MAX / 64];
} pl_need_factor;

typedef struct pl_needs {
	size_t n; /* 0: nothing known, every text may match */
	pl_need_factor f[PL_NEED_FACTORS];
} pl_needs;

/* Reads the factors of pattern (UTF-8, as compiled with PCRE2_UTF and no
 * other option) into *out. Never fails: out->n is 0 when nothing is known. */
void pl_needs_of(const char *pattern, pl_needs *out);

/* 0 when s[0..n) lacks every alternative of some factor (then the pattern
 * cannot match inside it), else 1. */
int pl_needs_met(const pl_needs *nd, const char *s, size_t n);

/* The distinct literals of many patterns, and which of them one text holds,
 * so that a text is read once for all of them however many patterns name
 * them (the extract rules share 个|项|条|处, 问题, 完成...). The text is
 * read a character at a time: where a character begins some literal (one
 * bit of a hash says it may), those literals are compared there. A
 * character is a lead byte and the continuation bytes after it, as many as
 * it announces, so every place a literal (whole characters) can stand is
 * the start of a character. */
#define PL_LIT_FIRST_BITS 12 /* buckets of literals by their first character */
#define PL_LIT_NONE 0xffff
typedef struct pl_litcache {
	size_t n;
	const char *lit[PL_LIT_MAX]; /* point into the needs registered */
	unsigned char len[PL_LIT_MAX];
	/* the first eight bytes of each (pl_load8 order), and the mask of
	 * those a shorter one has: most literals are compared in one step */
	uint64_t head[PL_LIT_MAX], head_mask[PL_LIT_MAX];
	/* for the current text, once read: 1 + the offset of the last
	 * place the literal stands, 0 when it is not there; read 0: not
	 * read yet */
	int read;
	size_t last[PL_LIT_MAX];
	uint64_t held[PL_LIT_MAX / 64]; /* bit id: last[id] is not 0 */
	/* the literals by the hash of their first character: bucket h is
	 * by_first[first_start[h] .. first_start[h + 1]); bit h of first:
	 * bucket h is not empty */
	uint64_t first[(1u << PL_LIT_FIRST_BITS) / 64];
	uint16_t first_start[(1u << PL_LIT_FIRST_BITS) + 1];
	uint16_t by_first[PL_LIT_MAX];
} pl_litcache;

/* Gives every alternative of nd an id in c (PL_LIT_NONE once c is full).
 * nd must outlive c. */
void pl_litcache_add(pl_litcache *c, pl_needs *nd);
/* Starts a new text: forgets what was found. */
void pl_litcache_reset(pl_litcache *c);
/* pl_needs_met() for the text s[0..n) of the last reset, which is read
 * once, when first asked about. */
int pl_needs_met_cached(const pl_needs *nd, pl_litcache *c, const char *s, size_t n);
/* The same, and when met, *last (unless last is NULL) gets the last offset
 * in s where a match can begin: every match holds an alternative of every
 * factor at or after its start, so none begins after the last place some
 * factor's alternatives stand (n when that is not known). A search need
 * try no later start (rules.h: pl_search_upto). */
int pl_needs_met_upto(const pl_needs *nd, pl_litcache *c, const char *s, size_t n,
		      size_t *last);

/* The characters a match of a pattern can begin with, read off its source
 * by the same reader, so a search need only try the positions where one of
 * them stands (rules.h: pl_search). In Chinese text most rules begin with a
 * number or a keyword, while PCRE2's own start test sees only the first
 * byte, which nearly every Han character shares with them. Conservative as
 * above: a pattern that could begin with anything (a dot, a negated class,
 * \d, which with PCRE2_UCP is every decimal digit), one that can match the
 * empty string, and anything not understood (options, back-references, \G,
 * \K, verbs) give known = 0, and such a pattern is searched as it always
 * was. check-rules and the rules fuzzer compare both searches. */
#define PL_STARTS_MAX 64 /* non-ASCII ranges kept; more: not known */
typedef struct pl_starts {
	int known;          /* 0: any character may begin a match */
	int anchored;       /* set by pl_search_prepare (rules.h): the pattern
			     * matches only where a search starts, if at all */
	int jit;            /* set by pl_search_prepare: the pattern and its
			     * anchored twin have JIT code, so pl_search
			     * calls it without pcre2_match's checks */
	uint64_t ascii[2];  /* bit c: ASCII character c may begin one */
	/* bit cp - U+4E00 for the CJK Unified Ideographs (most of a
	 * Chinese text): one look, no search of the ranges */
	uint64_t han[(0xA000 - 0x4E00) / 64];
	uint64_t bloom[4];  /* bit (cp & 255) of every non-ASCII range's cp */
	size_t n;
	uint32_t lo[PL_STARTS_MAX], hi[PL_STARTS_MAX]; /* non-ASCII ranges */
	/* The characters that can stand second in a match, when every match
	 * has two characters or more and that set is known (PREFILTER: a
	 * digit or numeral, then 万 亿 余 多 or a counter word; {NUM}{ITEMS}:
	 * a digit, a numeral, a counter word and the like): next_known, then
	 * ASCII and Han as above, and next_other 1 when some other character
	 * may. Set by pl_starts_next_of(), after pl_starts_of(). */
	int next_known, next_other;
	uint64_t next_ascii[2];
	uint64_t next_han[(0xA000 - 0x4E00) / 64];
	/* With next_known and known: the characters that may begin a match
	 * or follow its first, as above (either_other: some other one may).
	 * A character outside them, after any other, means that no match
	 * begins at either of the two. */
	int either_other;
	uint64_t either_ascii[2];
	uint64_t either_han[(0xA000 - 0x4E00) / 64];
} pl_starts;

/* Reads the start characters of pattern (UTF-8, as compiled with PCRE2_UTF
 * and PCRE2_UCP and no other option) into *out. Never fails. */
void pl_starts_of(const char *pattern, pl_starts *out);

/* Reads the characters that can stand second in a match into *out
 * (next_known 0 when not known, or when a match can be shorter than two
 * characters). */
void pl_starts_next_of(const char *pattern, pl_starts *out);

/* Bit cp of a set kept as an ASCII and a Han bitmap (pl_starts'); -1 for
 * a code point that is neither. */
static inline int pl_starts_bit(const uint64_t *ascii, const uint64_t *han, uint32_t cp)
{
	if (cp < 128)
		return (int)((ascii[cp >> 6] >> (cp & 63)) & 1);
	if (cp - 0x4E00 < 0xA000 - 0x4E00)
		return (int)((han[(cp - 0x4E00) >> 6] >> ((cp - 0x4E00) & 63)) & 1);
	return -1;
}

/* 1 when code point cp may follow the first character of a match (always
 * 1 when !s->next_known). */
static inline int pl_starts_next_has(const pl_starts *s, uint32_t cp)
{
	if (!s->next_known)
		return 1;
	int bit = pl_starts_bit(s->next_ascii, s->next_han, cp);
	return bit >= 0 ? bit : s->next_other;
}

/* 1 when code point cp may begin a match or follow the first character of
 * one (only with s->known and s->next_known). */
static inline int pl_starts_either_has(const pl_starts *s, uint32_t cp)
{
	int bit = pl_starts_bit(s->either_ascii, s->either_han, cp);
	return bit >= 0 ? bit : s->either_other;
}

/* 1 when code point cp may begin a match (always 1 when !s->known). */
static inline int pl_starts_has(const pl_starts *s, uint32_t cp)
{
	if (!s->known)
		return 1;
	int bit = pl_starts_bit(s->ascii, s->han, cp);
	if (bit >= 0)
		return bit;
	if (!((s->bloom[(cp >> 6) & 3] >> (cp & 63)) & 1))
		return 0;
	for (size_t i = 0; i < s->n; i++)
		if (cp >= s->lo[i] && cp <= s->hi[i])
			return 1;
	return 0;
}

#endif
