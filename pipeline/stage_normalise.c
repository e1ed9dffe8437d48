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

#include "rules.h"
#include "stage.h"
#include "utf8.h"

typedef struct normalise_state {
	opencc_t cc;
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
	pcre2_code_free(st->pinyin);
	pcre2_match_data_free(st->md);
	pcre2_match_context_free(st->mc);
	free(st);
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
	return PL_OK;
}

/* NFKC: full-width digits, letters and punctuation become ASCII, compatibility
 * ideographs their unified forms. Skipped when the text is pure ASCII. */
static int normalise_nfkc(pl_doc *d, pl_err *e)
{
	size_t i = 0;
	while (i < d->len && (unsigned char)d->text[i] < 0x80)
		i++;
	if (i == d->len)
		return PL_OK;
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
 * tabs to one ASCII space, zero-width characters removed, line ends trimmed. */
static void normalise_space(pl_doc *d)
{
	char *out = pl_alloc(d->arena, d->len + 1);
	size_t w = 0, i = 0;
	int pending_space = 0;
	while (i < d->len) {
		unsigned char c = (unsigned char)d->text[i];
		size_t k = 1;
		uint32_t cp = c < 0x80 ? c : pl_utf8_decode(d->text + i, &k);
		if (cp == '\r' || cp == '\n' || cp == 0x2028 || cp == 0x2029) {
			if (cp == '\r' && i + 1 < d->len && d->text[i + 1] == '\n')
				k = 2;
			while (w > 0 && out[w - 1] == ' ')
				w--;
			out[w++] = '\n';
			pending_space = 0;
		} else if (cp == ' ' || cp == '\t' || cp == '\f' || cp == '\v' || cp == 0xA0 ||
			   cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F ||
			   cp == 0x205F) {
			pending_space = 1;
		} else if (cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0xFEFF ||
			   cp == 0x2060 || cp == 0xAD) {
			/* invisible: drop */
		} else {
			if (pending_space && w > 0 && out[w - 1] != '\n')
				out[w++] = ' ';
			pending_space = 0;
			memcpy(out + w, d->text + i, k);
			w += k;
		}
		i += k;
	}
	while (w > 0 && (out[w - 1] == ' ' || out[w - 1] == '\n'))
		w--;
	out[w] = '\0';
	d->text = out;
	d->len = w;
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

/* Counts Han characters, and those OpenCC changed, to name the script. */
static const char *normalise_script(const char *a, size_t alen, const char *b,
				    size_t blen)
{
	size_t han = 0, changed = 0, i = 0, j = 0;
	while (i < alen && j < blen) {
		size_t ka, kb;
		uint32_t ca = pl_utf8_decode(a + i, &ka);
		uint32_t cb = pl_utf8_decode(b + j, &kb);
		if (pl_is_han(ca)) {
			han++;
			changed += ca != cb;
		}
		i += ka;
		j += kb;
	}
	if (changed == 0)
		return "simplified";
	if (changed * 20 >= han) /* 5% of Han characters differ */
		return "traditional";
	return "mixed";
}

static int normalise_opencc(normalise_state *st, pl_doc *d, pl_err *e)
{
	/* OpenCC only changes Han text; ASCII-only text needs no call. */
	size_t i = 0;
	while (i < d->len && (unsigned char)d->text[i] < 0x80)
		i++;
	if (i == d->len) {
		d->script = "simplified";
		return PL_OK;
	}
	char *cc = opencc_convert_utf8(st->cc, d->text, d->len);
	if (cc == NULL)
		return pl_errf(e, PL_EDOC, "%s: normalise: opencc: %s", d->id,
			       opencc_error());
	size_t n = strlen(cc);
	d->script = normalise_script(d->text, d->len, cc, n);
	if (n != d->len || memcmp(cc, d->text, n) != 0) {
		d->text = pl_strndup(d->arena, cc, n);
		d->len = n;
	}
	opencc_convert_utf8_free(cc);
	return PL_OK;
}

static int normalise_run(void *state, pl_doc *d, pl_err *e)
{
	normalise_state *st = state;
	if (normalise_nfkc(d, e) != PL_OK)
		return PL_ERR;
	normalise_space(d);
	if (normalise_pinyin(st, d, e) != PL_OK)
		return PL_ERR;
	return normalise_opencc(st, d, e);
}

const pl_stage pl_stage_normalise = {
	.name = "normalise", .open = normalise_open, .run = normalise_run, .close = normalise_close,
};
