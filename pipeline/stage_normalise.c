/* stage_normalise.c: NFKC (utf8proc), whitespace folding, removal of inline
 * pinyin ruby artefacts, then traditional -> simplified (OpenCC t2s).
 * In:  d->text is valid UTF-8 without NUL (decode guarantees it).
 * Out: d->text replaced (arena), d->script set.
 * Owns: the opencc handle and the compiled pinyin pattern (state).
 * Errors: per document, never fatal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <opencc/opencc.h>
#include <pcre2.h>
#include <utf8proc.h>

#include "opencc_data.h"
#include "read.h"
#include "rules.h"
#include "stage.h"
#include "utf8.h"

/* Code points below this bound get a bit in the lookup tables below. */
#define NORMALISE_TABLE 0x30000
/* st->flags, per code point: */
#define NORMALISE_F_HAN 1     /* pl_is_han() */
/* OpenCC t2s changes the code point on its own (what names a text's
 * script) */
#define NORMALISE_F_TRAD 2
/* the code point is in a key of t2s's phrases (or t2s makes more than one
 * character of it): runs of these go to OpenCC */
#define NORMALISE_F_PHRASE 4
/* t2s changes the code point on its own or inside one of its phrases; a
 * run of phrase characters without one comes out of OpenCC as it went in */
#define NORMALISE_F_CHANGES 8
_Static_assert((NORMALISE_F_HAN | NORMALISE_F_TRAD | NORMALISE_F_PHRASE | NORMALISE_F_CHANGES) < 16,
	       "flags are four bits: a pair of them is a byte (st->t2s_need)");

typedef struct normalise_state {
	opencc_t cc;
	/* bit set: NFKC leaves the code point alone wherever it stands (no
	 * decomposition, combining class 0, not a composition partner) */
	unsigned char *nfkc_stable;
	/* NORMALISE_F_* of each code point: the scan of every text reads
	 * one byte a character */
	unsigned char *flags;
	/* The same flags for U+4000-U+9FFF, looked up by the bytes: entry
	 * (lead - 0xE4) << 16 | third << 8 | second, so that the inner loop
	 * over a run of such characters reads the key with one two-byte
	 * load. Three quarters of each 256-byte row stay 0, never read. */
	unsigned char *han_flags;
	/* normalise_t2s_need(prev, f) at [prev << 4 | f], for every pair of
	 * flags (four bits each): one load in the scan's inner loop */
	unsigned char t2s_need[256];
	/* what t2s makes of each code point on its own, 0 where it leaves
	 * it alone */
	uint32_t *t2s;
	/* 1: the dictionaries are those opencc_data.c describes, and text is
	 * converted run by run; 0: every text goes through OpenCC whole */
	int by_run;
	pcre2_code *pinyin;
	pcre2_match_data *md;
	pcre2_match_context *mc;
} normalise_state;

/* Tone-marked lowercase syllables in brackets right after a Han character:
 * 環(huán)境 -> 環境. A real parenthetical such as (试行), (州) or (PM2.5)
 * has no tone mark and is left alone. */
#define TONE "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
static const char normalise_pinyin_re[] =
    "(?<=\\p{Han})\\((?:[a-zü" TONE "]*[" TONE "][a-zü" TONE "]*)"
    "(?:[ '][a-zü" TONE "]+)*\\)";

static void normalise_close(void *state)
{
	normalise_state *st = state;
	if (st == NULL)
		return;
	if (st->cc != NULL && st->cc != (opencc_t)-1)
		opencc_close(st->cc);
	free(st->nfkc_stable);
	free(st->t2s);
	free(st->flags);
	free(st->han_flags);
	pcre2_code_free(st->pinyin);
	pcre2_match_data_free(st->md);
	pcre2_match_context_free(st->mc);
	free(st);
}

static int normalise_bit(const unsigned char *t, uint32_t cp)
{
	return cp < NORMALISE_TABLE && (t[cp >> 3] >> (cp & 7) & 1);
}

/* st->flags of cp (flags is st->flags); above the table, only pl_is_han()
 * can be true. A caller with a loop keeps st->flags in a local: read
 * through st, it was loaded again for every character, since a store or
 * a call in the loop might have changed st. */
static unsigned normalise_flags(const unsigned char *flags, uint32_t cp)
{
	return cp < NORMALISE_TABLE ? flags[cp] : pl_is_han(cp) ? NORMALISE_F_HAN : 0;
}

/* NFKC-stable code points, from utf8proc's own data: no decomposition and
 * combining class 0. Composition can still join a character to a following
 * one only when that one is a combining mark (class > 0, never stable) or
 * one of the few class-0 vowel signs and jamo that compose; the blocks that
 * hold those are left out, so text using them takes the full NFKC path. */
static void normalise_build_nfkc(normalise_state *st)
{
	for (uint32_t cp = 0; cp < NORMALISE_TABLE; cp++) {
		if ((cp >= 0x0900 && cp <= 0x1DFF) || (cp >= 0xD800 && cp <= 0xDFFF) ||
		    (cp >= 0x11000 && cp <= 0x11FFF))
			continue;
		const utf8proc_property_t *p = utf8proc_get_property((utf8proc_int32_t)cp);
		/* Spaces NFKC turns into U+0020 are folded by
		 * normalise_space() anyway. */
		int space = cp == 0xA0 || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200A) ||
			    cp == 0x202F || cp == 0x205F;
		if ((p->decomp_seqindex == UINT16_MAX && p->combining_class == 0) || space)
			st->nfkc_stable[cp >> 3] |= (unsigned char)(1u << (cp & 7));
	}
}

/* Asks OpenCC once, at start-up, what t2s makes of each character on its
 * own, one per line, in one call (no key of its dictionaries holds a line
 * end). With the dictionaries opencc_data.c describes (known), only their
 * keys' characters can change, and they are all that is asked; with
 * others, every code point of the Han and CJK punctuation blocks. */
static int normalise_build_traditional(normalise_state *st, int known, pl_err *e)
{
	static const uint32_t ranges[][2] = {
		{0x2E80, 0x9FFF}, {0xF900, 0xFAFF}, {0xFE30, 0xFE4F}, {0xFF00, 0xFFEF},
		{0x20000, 0x2FFFF},
	};
	size_t n = 0;
	if (known) {
		n = pl_t2s_char_keys_n + pl_t2s_phrase_chars_n;
	} else {
		for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++)
			n += ranges[r][1] - ranges[r][0] + 1;
	}
	uint32_t *cps = malloc(n * sizeof *cps);
	char *in = malloc(n * 5 + 1);
	if (cps == NULL || in == NULL) {
		free(cps);
		free(in);
		return pl_errf(e, PL_EFATAL, "normalise: out of memory");
	}
	n = 0;
	if (known) { /* a phrase character that is also a key is asked twice */
		memcpy(cps, pl_t2s_char_keys, pl_t2s_char_keys_n * sizeof *cps);
		memcpy(cps + pl_t2s_char_keys_n, pl_t2s_phrase_chars,
		       pl_t2s_phrase_chars_n * sizeof *cps);
		n = pl_t2s_char_keys_n + pl_t2s_phrase_chars_n;
	} else {
		for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++)
			for (uint32_t cp = ranges[r][0]; cp <= ranges[r][1]; cp++)
				cps[n++] = cp;
	}
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		len += (size_t)utf8proc_encode_char((utf8proc_int32_t)cps[i],
						    (utf8proc_uint8_t *)in + len);
		in[len++] = '\n';
	}
	in[len] = '\0';
	char *out = opencc_convert_utf8(st->cc, in, len);
	if (out == NULL) {
		free(cps);
		free(in);
		return pl_errf(e, PL_EFATAL, "normalise: opencc: %s", opencc_error());
	}
	const char *a = in, *b = out;
	for (size_t i = 0; i < n; i++) {
		uint32_t cp = cps[i];
		const char *ae = strchr(a, '\n'), *be = strchr(b, '\n');
		if (ae == NULL || be == NULL)
			break;
		if (ae - a != be - b || memcmp(a, b, (size_t)(ae - a)) != 0) {
			st->flags[cp] |= NORMALISE_F_TRAD | NORMALISE_F_CHANGES;
			/* one character for one: the table; anything
			 * else is left to OpenCC, as a phrase is */
			size_t k = 0;
			uint32_t to = be > b && (unsigned char)*b >= 0x80
					      ? pl_utf8_decode(b, &k)
					      : (uint32_t)(unsigned char)*b;
			if (k == 0)
				k = 1;
			if (b + k == be && to != 0)
				st->t2s[cp] = to;
			else
				st->flags[cp] |= NORMALISE_F_PHRASE;
		}
		a = ae + 1;
		b = be + 1;
	}
	opencc_convert_utf8_free(out);
	free(cps);
	free(in);
	return PL_OK;
}

/* SHA-256 of a file (a dictionary: tens of KB), as lowercase hex into
 * hex[65]; 0 if it cannot be read. */
static int normalise_sha256_file(const char *path, char hex[65])
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return 0;
	pl_buf b = {0};
	pl_arena *a = pl_arena_new();
	pl_buf_init(&b, a, 64 << 10);
	char chunk[8192];
	for (size_t n; (n = fread(chunk, 1, sizeof chunk, f)) > 0;)
		pl_buf_add(&b, chunk, n);
	int ok = !ferror(f);
	fclose(f);
	if (ok)
		pl_sha256_hex((const unsigned char *)b.data, b.len, hex);
	pl_arena_free(a);
	return ok;
}

/* Whether OpenCC's dictionaries are those opencc_data.c was read off
 * (BULLETIN_OPENCC_DIR names where they are when OpenCC keeps them
 * elsewhere). If not, e carries a notice (the stage still opens): text is
 * still converted right, but whole, and more slowly. */
static int normalise_dicts_known(pl_err *e)
{
	const char *dir = getenv("BULLETIN_OPENCC_DIR");
	if (dir == NULL || *dir == '\0')
		dir = pl_t2s_dict_dir;
	char path[4096], hex[65];
	snprintf(path, sizeof path, "%s/TSPhrases.ocd2", dir);
	int known = normalise_sha256_file(path, hex) && strcmp(hex, pl_t2s_sha256_phrases) == 0;
	snprintf(path, sizeof path, "%s/TSCharacters.ocd2", dir);
	known = known && normalise_sha256_file(path, hex) &&
		strcmp(hex, pl_t2s_sha256_characters) == 0;
	if (!known)
		(void)pl_errf(e, PL_EDOC,
			      "normalise: OpenCC's t2s dictionaries in %s are not those "
			      "pipeline/opencc_data.c was made from: every text goes through OpenCC "
			      "whole, which is slower (remake it with tests/tools/gen-opencc-data, "
			      "or set BULLETIN_OPENCC_DIR)",
			      dir);
	return known;
}

/* han_flags: the key of a character U+4000-U+9FFF by its three bytes */
#define NORMALISE_HAN_FLAGS (6u << 16)
static uint32_t normalise_han_key(unsigned lead, unsigned second, unsigned third)
{
	return (lead - 0xE4) << 16 | third << 8 | second;
}

/* What a character adds to *t2s_need of normalise_space(), given the
 * flags of the character written just before it (0 after anything that
 * ends a run of phrase characters: ASCII, a space, a line end):
 * NORMALISE_F_TRAD if t2s changes it on its own, NORMALISE_F_CHANGES if
 * the two stand in one run of phrase characters and one of them changes
 * inside a phrase. */
static unsigned normalise_t2s_need(unsigned prev, unsigned f)
{
	_Static_assert(NORMALISE_F_PHRASE << 1 == NORMALISE_F_CHANGES, "one shift");
	return (f & NORMALISE_F_TRAD) |
	       (((prev & f & NORMALISE_F_PHRASE) << 1) & (prev | f) & NORMALISE_F_CHANGES);
}

static int normalise_open(void **state, const pl_opts *o, pl_err *e)
{
	(void)o;
	normalise_state *st = calloc(1, sizeof *st);
	if (st == NULL)
		return pl_errf(e, PL_EFATAL, "normalise: out of memory");
	*state = st;
	st->cc = opencc_open("t2s.json");
	if (st->cc == (opencc_t)-1) {
		pl_errf(e, PL_EFATAL,
			"normalise: OpenCC cannot open t2s.json: %s (is the opencc data package installed?)",
			opencc_error());
		normalise_close(st);
		*state = NULL;
		return PL_ERR;
	}
	int code;
	PCRE2_SIZE off;
	st->pinyin = pcre2_compile((PCRE2_SPTR)normalise_pinyin_re, PCRE2_ZERO_TERMINATED,
				   PCRE2_UTF | PCRE2_UCP, &code, &off, NULL);
	if (st->pinyin == NULL) {
		normalise_close(st);
		*state = NULL;
		return pl_errf(e, PL_EFATAL, "normalise: pinyin pattern: error %d at %zu",
			       code, (size_t)off);
	}
	(void)pcre2_jit_compile(st->pinyin, PCRE2_JIT_COMPLETE);
	st->md = pcre2_match_data_create(1, NULL);
	st->mc = pl_rules_match_context();
	st->nfkc_stable = calloc(NORMALISE_TABLE / 8, 1);
	st->t2s = calloc(NORMALISE_TABLE, sizeof *st->t2s);
	st->flags = calloc(NORMALISE_TABLE, 1);
	st->han_flags = calloc(NORMALISE_HAN_FLAGS, 1);
	if (st->md == NULL || st->mc == NULL || st->nfkc_stable == NULL ||
	    st->t2s == NULL || st->flags == NULL || st->han_flags == NULL) {
		normalise_close(st);
		*state = NULL;
		return pl_errf(e, PL_EFATAL, "normalise: out of memory");
	}
	normalise_build_nfkc(st);
	st->by_run = normalise_dicts_known(e);
	if (normalise_build_traditional(st, st->by_run, e) != PL_OK) {
		normalise_close(st);
		*state = NULL;
		return PL_ERR;
	}
	for (size_t i = 0; i < pl_t2s_phrase_chars_n; i++)
		st->flags[pl_t2s_phrase_chars[i]] |= NORMALISE_F_PHRASE;
	for (size_t i = 0; i < pl_t2s_phrase_changed_n; i++)
		st->flags[pl_t2s_phrase_changed[i]] |= NORMALISE_F_CHANGES;
	for (uint32_t cp = 0; cp < NORMALISE_TABLE; cp++)
		if (pl_is_han(cp))
			st->flags[cp] |= NORMALISE_F_HAN;
	for (uint32_t cp = 0x4000; cp < 0xA000; cp++)
		st->han_flags[normalise_han_key(0xE0 | cp >> 12, 0x80 | ((cp >> 6) & 0x3F),
						0x80 | (cp & 0x3F))] = st->flags[cp];
	for (unsigned prev = 0; prev < 16; prev++)
		for (unsigned f = 0; f < 16; f++)
			st->t2s_need[prev << 4 | f] = (unsigned char)normalise_t2s_need(prev, f);
	return PL_OK;
}

/* NFKC of the whole text, with utf8proc: full-width digits, letters and
 * punctuation become ASCII, compatibility ideographs their unified forms.
 * Only for a text normalise_space() found a character in that NFKC could
 * change (most simplified-Chinese text has none). */
static int normalise_nfkc(pl_doc *d, pl_err *e)
{
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)d->text,
					  (utf8proc_ssize_t)d->len, &out,
					  UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
	if (n < 0)
		return pl_errf(e, PL_EDOC, "%s: normalise: utf8proc: %s", d->id,
			       utf8proc_errmsg(n));
	d->text = pl_strndup(d->arena, (const char *)out, (size_t)n);
	d->len = (size_t)n;
	free(out); /* utf8proc's malloc */
	return PL_OK;
}

/* Folds whitespace: CR/CRLF to LF, NBSP, ideographic and other spaces and
 * tabs to one ASCII space, zero-width characters removed, line ends trimmed.
 * With check set it also looks at every character for one NFKC could
 * change, and gives up (returns 0, d unchanged) at the first: NFKC comes
 * first, and most texts need none, so one pass does both. Returns 1 when
 * d->text is folded.
 *
 * *t2s_need gets 0 when the folded text holds no character t2s changes on
 * its own and no run of two or more phrase characters with one that
 * changes inside a phrase. Then t2s leaves the text as it is: a run of one
 * such character (覆 of 覆盖, 沈 of 沈阳) comes out of OpenCC as it goes in,
 * as normalise_build_traditional() saw. Most simplified texts are such,
 * and normalise_opencc() need not read them again. */
static int normalise_space(normalise_state *st, pl_doc *d, int check, unsigned *t2s_need)
{
	/* The text and its length in locals: out is written a byte at a
	 * time, and a char store may alias d's fields, so the compiler would
	 * read d->text again before every character. */
	const char *text = d->text;
	const size_t len = d->len;
	char *out = pl_alloc_bytes(d->arena, len + 1); /* written in full below */
	const unsigned char *flags = st->flags, *t2s_need_of = st->t2s_need;
	const unsigned char *han_flags = st->han_flags;
	size_t w = 0, i = 0;
	int pending_space = 0;
	/* prev: the flags of the character written last (0: none, or one
	 * that ends a run); need: normalise_t2s_need() of all of them */
	unsigned prev = 0, need = 0;
	while (i < len) {
		unsigned char c = (unsigned char)text[i];
		size_t k = 1;
		/* U+4000-U+9FFF (lead bytes 0xE4-0xE9): no space, no line end,
		 * nothing invisible; copied as they are */
		if (c >= 0xE4 && c <= 0xE9) {
			if (pending_space && w > 0 && out[w - 1] != '\n')
				out[w++] = ' ';
			pending_space = 0;
			/* The whole run of such characters in one loop, which
			 * only reads their flags: the space test above is once
			 * a run, and the run is copied in one memcpy after it. */
			size_t start = i;
			do {
				unsigned f = han_flags[(uint32_t)(c - 0xE4) << 16 | pl_load2(text + i + 1)];
				need |= t2s_need_of[prev << 4 | f];
				prev = f;
				i += 3;
				c = i < len ? (unsigned char)text[i] : 0;
			} while (c >= 0xE4 && c <= 0xE9);
			memcpy(out + w, text + start, i - start);
			w += i - start;
			continue;
		}
		uint32_t cp = c < 0x80 ? c : pl_utf8_decode(text + i, &k);
		if (check && cp >= 0x80 && !normalise_bit(st->nfkc_stable, cp))
			return 0; /* the buffer stays in the arena, unused */
		if (cp == '\r' || cp == '\n' || cp == 0x2028 || cp == 0x2029) {
			if (cp == '\r' && i + 1 < len && text[i + 1] == '\n')
				k = 2;
			while (w > 0 && out[w - 1] == ' ')
				w--;
			out[w++] = '\n';
			pending_space = 0;
			prev = 0;
		} else if (cp == ' ' || cp == '\t' || cp == '\f' || cp == '\v' || cp == 0xA0 ||
			   cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F ||
			   cp == 0x205F) {
			/* a space or a line end is written before what
			 * comes next: the run ends here */
			pending_space = 1;
			prev = 0;
		} else if (cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0xFEFF ||
			   cp == 0x2060 || cp == 0xAD) {
			/* invisible: drop (its neighbours meet) */
		} else {
			if (pending_space && w > 0 && out[w - 1] != '\n')
				out[w++] = ' ';
			pending_space = 0;
			unsigned f = cp < 0x80 ? 0 : normalise_flags(flags, cp);
			need |= t2s_need_of[prev << 4 | f];
			prev = f;
			for (size_t j = 0; j < k; j++) /* 1-4 bytes: no call */
				out[w++] = text[i + j];
		}
		i += k;
	}
	*t2s_need = need;
	while (w > 0 && (out[w - 1] == ' ' || out[w - 1] == '\n'))
		w--;
	out[w] = '\0';
	d->text = out;
	d->len = w;
	return 1;
}

static int normalise_pinyin(normalise_state *st, pl_doc *d, pl_err *e)
{
	/* Only text with a '(' after a Han character can hold ruby. */
	if (memchr(d->text, '(', d->len) == NULL)
		return PL_OK;
	pl_buf out;
	pl_buf_init(&out, d->arena, d->len + 1);
	size_t at = 0;
	for (;;) {
		int rc = pcre2_match(st->pinyin, (PCRE2_SPTR)d->text, d->len, at,
				     PCRE2_NO_UTF_CHECK, st->md, st->mc);
		if (rc == PCRE2_ERROR_NOMATCH)
			break;
		if (rc < 0)
			return pl_errf(e, PL_EDOC, "%s: normalise: pinyin match error %d",
				       d->id, rc);
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(st->md);
		pl_buf_add(&out, d->text + at, ov[0] - at);
		at = ov[1];
	}
	if (at == 0)
		return PL_OK;
	pl_buf_add(&out, d->text + at, d->len - at);
	d->text = out.data;
	d->len = out.len;
	return PL_OK;
}

/* t2s with OpenCC, only where it can change something. OpenCC's t2s is
 * longest match over its phrases (TSPhrases), and character by character
 * (TSCharacters, one character a key) everywhere else; every key holds Han
 * characters only (gen-opencc-data refuses dictionaries where this does
 * not hold). So a phrase lies inside a run of characters that phrases hold
 * (NORMALISE_F_PHRASE), and outside such runs t2s is what it makes of each
 * character alone (st->t2s, asked of OpenCC at start-up). The runs that
 * hold a character t2s changes, alone or in a phrase, go to OpenCC in one
 * call, one run a line; the rest is looked up. The result is that of
 * converting the whole text (tests/groups/55-opencc.sh shows it), for a
 * small share of OpenCC's work. The share of Han characters that t2s
 * changes on their own names the script: none is simplified, 5% or more
 * traditional, anything between mixed. */
static int normalise_opencc(normalise_state *st, pl_doc *d, pl_err *e)
{
	/* The runs for OpenCC, [start, end) in d->text, and the same runs
	 * one a line. Heap, freed here; most simplified documents have none. */
	struct run { size_t start, end; } *runs = NULL;
	const unsigned char *flags = st->flags;
	size_t nruns = 0, cap = 0;
	size_t han = 0, trad = 0, lookups = 0;
	pl_buf batch = {0};
	for (size_t i = 0; i < d->len;) {
		size_t k = 1;
		uint32_t cp = (unsigned char)d->text[i];
		if (cp < 0x80) { /* no ASCII character is Han or in a table */
			i++;
			continue;
		}
		cp = pl_utf8_decode(d->text + i, &k);
		unsigned f = normalise_flags(flags, cp);
		han += (f & NORMALISE_F_HAN) != 0;
		int changed = (f & NORMALISE_F_TRAD) != 0;
		trad += changed;
		if (!(f & NORMALISE_F_PHRASE)) {
			/* outside phrases, every changed character has a
			 * table entry (the rest are phrase characters) */
			lookups += changed;
			i += k;
			continue;
		}
		size_t start = i;
		int change = 0;
		for (;;) {
			change |= (f & NORMALISE_F_CHANGES) != 0;
			i += k;
			if (i >= d->len || (unsigned char)d->text[i] < 0x80)
				break;
			cp = pl_utf8_decode(d->text + i, &k);
			f = normalise_flags(flags, cp);
			if (!(f & NORMALISE_F_PHRASE))
				break;
			han += (f & NORMALISE_F_HAN) != 0;
			trad += (f & NORMALISE_F_TRAD) != 0;
		}
		if (!change)
			continue;
		if (nruns == cap) {
			cap = cap ? cap * 2 : 64;
			void *grown = realloc(runs, cap * sizeof *runs);
			if (grown == NULL) {
				free(runs);
				return pl_errf(e, PL_EFATAL, "normalise: out of memory");
			}
			runs = grown;
		}
		runs[nruns++] = (struct run){start, i};
		if (nruns == 1)
			pl_buf_init(&batch, d->arena, d->len / 4 + 64);
		pl_buf_add(&batch, d->text + start, i - start);
		pl_buf_addc(&batch, '\n');
	}
	d->script = trad == 0 ? "simplified" : trad * 20 >= han ? "traditional" : "mixed";
	if (!st->by_run && d->len > 0) { /* unknown dictionaries: all of it */
		free(runs);
		char *cc = opencc_convert_utf8(st->cc, d->text, d->len);
		if (cc == NULL)
			return pl_errf(e, PL_EDOC, "%s: normalise: opencc: %s", d->id, opencc_error());
		size_t n = strlen(cc);
		d->text = pl_strndup(d->arena, cc, n);
		d->len = n;
		opencc_convert_utf8_free(cc);
		return PL_OK;
	}
	if (nruns == 0 && lookups == 0)
		return PL_OK;
	char *cc = NULL;
	if (nruns > 0 && (cc = opencc_convert_utf8(st->cc, batch.data, batch.len)) == NULL) {
		free(runs);
		return pl_errf(e, PL_EDOC, "%s: normalise: opencc: %s", d->id, opencc_error());
	}
	pl_buf out;
	pl_buf_init(&out, d->arena, d->len + 16);
	size_t copied = 0, r = 0;
	const char *conv = cc;
	for (size_t i = 0; i < d->len;) {
		if (r < nruns && i == runs[r].start) {
			const char *nl = strchr(conv, '\n');
			if (nl == NULL) { /* OpenCC gave back fewer lines than it was given */
				opencc_convert_utf8_free(cc);
				free(runs);
				return pl_errf(e, PL_EDOC, "%s: normalise: opencc returned %zu of %zu runs",
					       d->id, r, nruns);
			}
			pl_buf_add(&out, d->text + copied, i - copied);
			pl_buf_add(&out, conv, (size_t)(nl - conv));
			conv = nl + 1;
			i = copied = runs[r++].end;
			continue;
		}
		if (lookups == 0) { /* nothing to look up: on to the next run */
			i = r < nruns ? runs[r].start : d->len;
			continue;
		}
		if ((unsigned char)d->text[i] < 0x80) {
			i++;
			continue;
		}
		size_t k;
		uint32_t cp = pl_utf8_decode(d->text + i, &k);
		/* not in a run: a phrase character here is one OpenCC leaves */
		uint32_t to = (normalise_flags(st->flags, cp) & (NORMALISE_F_TRAD | NORMALISE_F_PHRASE)) ==
				      NORMALISE_F_TRAD
				  ? st->t2s[cp] /* the large table: read only when needed */
				  : 0;
		if (to != 0) {
			char enc[4];
			pl_buf_add(&out, d->text + copied, i - copied);
			pl_buf_add(&out, enc,
				   (size_t)utf8proc_encode_char((utf8proc_int32_t)to, (utf8proc_uint8_t *)enc));
			copied = i + k;
		}
		i += k;
	}
	pl_buf_add(&out, d->text + copied, d->len - copied);
	if (cc != NULL)
		opencc_convert_utf8_free(cc);
	free(runs);
	d->text = out.data;
	d->len = out.len;
	return PL_OK;
}

static int normalise_run(void *state, pl_doc *d, pl_err *e)
{
	normalise_state *st = state;
	unsigned t2s_need;
	/* U+4000-U+9FFF (lead bytes 0xE4-0xE9), most of a Chinese text, are
	 * all NFKC-stable; normalise_space checks the rest as it goes. */
	if (!normalise_space(st, d, 1, &t2s_need)) {
		if (normalise_nfkc(d, e) != PL_OK)
			return PL_ERR;
		(void)normalise_space(st, d, 0, &t2s_need);
	}
	const char *folded = d->text;
	if (normalise_pinyin(st, d, e) != PL_OK)
		return PL_ERR;
	/* Nothing for t2s to change (normalise_space). Removing ruby can
	 * bring two characters together, so then the text is read again;
	 * with dictionaries other than the known ones, phrase characters
	 * are not known, and every text goes to OpenCC. */
	if (t2s_need == 0 && d->text == folded && st->by_run) {
		d->script = "simplified";
		return PL_OK;
	}
	return normalise_opencc(st, d, e);
}

const pl_stage pl_stage_normalise = {
	.name = "normalise", .open = normalise_open, .run = normalise_run, .close = normalise_close,
};
