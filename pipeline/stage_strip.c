/* stage_strip.c: remove web furniture line by line and capture metadata.
 * In:  d->text normalised (LF lines, folded spaces, simplified script).
 * Out: d->text holds only body lines (arena); d->title, d->date,
 *      d->publisher, d->province, d->city and d->dropped_lines set.
 * Rules: rules/boilerplate.rules ("drop" lines; "meta" lines whose group
 *      (?<v>...) is captured into the named field before the line goes),
 *      then heuristics: every line before the first body paragraph (the head:
 *      title, bylines, menus) and short lines after the last one (share bars,
 *      footers), except a signature (an issuer or a date).
 * Owns: the compiled rules, the place table, one match data (state).
 * Errors: per document, never fatal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meta.h"
#include "rules.h"
#include "stage.h"
#include "utf8.h"

typedef struct strip_state {
	pl_ruleset rules;
	const pl_rule **drop, **meta; /* the rules of each kind, in file order */
	size_t ndrop, nmeta;
	pl_litcache lits; /* the rules' literals, searched once a line */
	pl_places *places;
	pcre2_match_data *md;
	pcre2_match_context *mc;
	pcre2_code *signature; /* an issuer line or a bare date */
	pcre2_code *dateonly;
} strip_state;

/* Every test of a line's length in characters below is against 100 or
 * fewer, so a line is counted no further than this. */
#define STRIP_CHARS_MAX 101

typedef struct strip_line {
	const char *s;
	size_t len;
	size_t chars; /* characters, STRIP_CHARS_MAX at most (strip_chars) */
	int keep;
	int body;
} strip_line;

/* The characters of s[0..n), or STRIP_CHARS_MAX if there are more. A
 * character is four bytes at most, so the first 4 * STRIP_CHARS_MAX bytes
 * of a longer line begin that many: a paragraph is not read to its end. */
static size_t strip_chars(const char *s, size_t n)
{
	size_t c = pl_utf8_count(s, n < 4 * STRIP_CHARS_MAX ? n : 4 * STRIP_CHARS_MAX);
	return c < STRIP_CHARS_MAX ? c : STRIP_CHARS_MAX;
}

static const pl_rule_kind strip_kinds[] = {
	{"drop", 0}, {"meta", 1}, {NULL, 0},
};

static void strip_close(void *state)
{
	strip_state *st = state;
	if (st == NULL)
		return;
	pl_rules_free(&st->rules);
	free(st->drop);
	free(st->meta);
	pl_places_free(st->places);
	pcre2_match_data_free(st->md);
	pcre2_match_context_free(st->mc);
	pcre2_code_free(st->signature);
	pcre2_code_free(st->dateonly);
	free(st);
}

static pcre2_code *strip_compile(const char *re)
{
	int code;
	PCRE2_SIZE off;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED,
				      PCRE2_UTF | PCRE2_UCP, &code, &off, NULL);
	if (c != NULL)
		(void)pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
	return c;
}

static int strip_open(void **state, const pl_opts *o, pl_err *e)
{
	strip_state *st = calloc(1, sizeof *st);
	if (st == NULL)
		return pl_errf(e, PL_EFATAL, "strip: out of memory");
	char path[4096];
	snprintf(path, sizeof path, "%s/boilerplate.rules", o->rules_dir);
	if (pl_rules_load(&st->rules, path, strip_kinds, e) != PL_OK) {
		strip_close(st);
		return PL_ERR;
	}
	st->drop = calloc(st->rules.n + 1, sizeof *st->drop);
	st->meta = calloc(st->rules.n + 1, sizeof *st->meta);
	if (st->drop == NULL || st->meta == NULL) {
		strip_close(st);
		return pl_errf(e, PL_EFATAL, "strip: out of memory");
	}
	for (size_t i = 0; i < st->rules.n; i++) {
		pl_rule *r = &st->rules.rules[i];
		pl_litcache_add(&st->lits, &r->needs);
		if (strcmp(r->kind, "drop") == 0)
			st->drop[st->ndrop++] = r;
		else
			st->meta[st->nmeta++] = r;
	}
	snprintf(path, sizeof path, "%s/places.tsv", o->rules_dir);
	st->places = pl_places_load(path, e);
	if (st->places == NULL) {
		strip_close(st);
		return PL_ERR;
	}
	st->md = pcre2_match_data_create(st->rules.max_pairs + 1, NULL);
	st->mc = pl_rules_match_context();
	st->signature = strip_compile(
	    "^(?:\\S{2,30}(?:委|政府|办公室|办公厅|厅|局|委员会|中心|人民政府)"
	    "(?:\\s+\\S{2,30}(?:委|政府|办公室|办公厅|厅|局|委员会|中心))*)$");
	st->dateonly = strip_compile(
	    "^(?:\\d{4}年\\d{1,2}月\\d{1,2}日|\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2})$");
	if (st->md == NULL || st->mc == NULL || st->signature == NULL ||
	    st->dateonly == NULL) {
		strip_close(st);
		return pl_errf(e, PL_EFATAL, "strip: cannot set up patterns");
	}
	*state = st;
	return PL_OK;
}

static int strip_match(strip_state *st, const pcre2_code *re, const char *s,
		       size_t n)
{
	int rc = pcre2_match(re, (PCRE2_SPTR)s, n, 0, PCRE2_NO_UTF_CHECK, st->md, st->mc);
	return rc >= 0;
}

/* A body line reads as prose: a full sentence, or a long line with clause
 * punctuation. A long headline has neither. */
static int strip_is_body(const strip_line *l)
{
	if (l->chars >= 15 && pl_memfind(l->s, l->len, "。", 3) != NULL)
		return 1;
	if (l->chars < 40)
		return 0;
	for (size_t i = 0; i < l->len; i++)
		if (l->s[i] == ',' || l->s[i] == ';' || l->s[i] == ':' || l->s[i] == '!' ||
		    l->s[i] == '?')
			return 1;
	return pl_memfind(l->s, l->len, "、", 3) != NULL;
}

/* Captures metadata from line l with the meta rules; returns 1 if one
 * matched. Fields already set keep their first value. */
static int strip_meta(strip_state *st, pl_doc *d, const strip_line *l,
		      const char **date_raw)
{
	int any = 0;
	for (size_t i = 0; i < st->nmeta; i++) {
		const pl_rule *r = st->meta[i];
		if (!pl_needs_met_cached(&r->needs, &st->lits, l->s, l->len))
			continue;
		int rc = pl_rule_search(r, l->s, l->len, 0, st->md, st->mc);
		if (rc < 0)
			continue;
		any = 1;
		int g = r->g_v;
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(st->md);
		if (g < 0 || g >= rc || ov[2 * g] == PCRE2_UNSET)
			continue;
		char *v = pl_strndup(d->arena, l->s + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
		if (strcmp(r->field, "date") == 0 && *date_raw == NULL)
			*date_raw = v;
		else if (strcmp(r->field, "publisher") == 0 && d->publisher == NULL)
			d->publisher = v;
		else if (strcmp(r->field, "title") == 0 && d->title == NULL)
			d->title = v;
	}
	return any;
}

static int strip_dropped(strip_state *st, const strip_line *l)
{
	/* Most drop rules are anchored (^): the line's first character rules
	 * them out before their literals are looked for. */
	for (size_t i = 0; i < st->ndrop; i++)
		if (!pl_search_cannot_start(&st->drop[i]->starts, l->s, l->len, 0) &&
		    pl_needs_met_cached(&st->drop[i]->needs, &st->lits, l->s, l->len) &&
		    pl_rule_search(st->drop[i], l->s, l->len, 0, st->md, st->mc) >= 0)
			return 1;
	return 0;
}

/* Leading list bullets from scraped <li> items carry no text. */
static void strip_bullet(strip_line *l)
{
	for (;;) {
		if (l->len >= 3 && (memcmp(l->s, "•", 3) == 0 || memcmp(l->s, "·", 2) == 0 ||
				    memcmp(l->s, "■", 3) == 0 || memcmp(l->s, "▪", 3) == 0)) {
			size_t k = memcmp(l->s, "·", 2) == 0 ? 2 : 3;
			l->s += k;
			l->len -= k;
		} else if (l->len > 0 && l->s[0] == ' ') {
			l->s++;
			l->len--;
		} else {
			break;
		}
	}
}

static int strip_run(void *state, pl_doc *d, pl_err *e)
{
	(void)e;
	strip_state *st = state;
	size_t nlines = 1 + pl_count_byte(d->text, d->len, '\n');
	strip_line *lines = pl_alloc(d->arena, nlines * sizeof *lines);
	size_t n = 0;
	for (const char *s = d->text, *end = d->text + d->len; s <= end;) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		if (nl == NULL)
			nl = end;
		strip_line *l = &lines[n++];
		l->s = s;
		l->len = (size_t)(nl - s);
		strip_bullet(l);
		l->chars = strip_chars(l->s, l->len);
		s = nl + 1;
	}

	const char *date_raw = NULL;
	size_t dropped = 0, first_body = n, last_body = 0;
	for (size_t i = 0; i < n; i++) {
		strip_line *l = &lines[i];
		if (l->len == 0)
			continue;
		/* A line without a rule's literals is not searched with it. */
		pl_litcache_reset(&st->lits);
		if (strip_dropped(st, l)) {
			dropped++;
			continue;
		}
		/* A metadata line is short; a paragraph that happens to say
		 * 来源 stays. */
		if (l->chars <= 80 && strip_meta(st, d, l, &date_raw)) {
			dropped++;
			continue;
		}
		l->keep = 1;
		l->body = strip_is_body(l);
		if (l->body) {
			if (first_body == n)
				first_body = i;
			last_body = i;
		}
	}
	if (first_body == n)
		first_body = last_body = 0; /* no prose: keep what the rules left */
	/* Head: the title is the first short line without a full stop; the rest
	 * of the head is bylines and menus. */
	for (size_t i = 0; i < first_body; i++) {
		strip_line *l = &lines[i];
		if (!l->keep)
			continue;
		if (d->title == NULL && l->chars <= 100 && pl_memfind(l->s, l->len, "。", 3) == NULL &&
		    !strip_match(st, st->dateonly, l->s, l->len))
			d->title = pl_strndup(d->arena, l->s, l->len);
		l->keep = 0;
		dropped++;
	}
	const char *sig_date = NULL;
	for (size_t i = last_body + 1; i < n; i++) {
		strip_line *l = &lines[i];
		if (!l->keep)
			continue;
		if (strip_match(st, st->dateonly, l->s, l->len)) {
			if (sig_date == NULL)
				sig_date = pl_strndup(d->arena, l->s, l->len);
			continue;
		}
		/* A short closing sentence (特此通报。) is text, not furniture. */
		if (l->chars <= 40 && pl_memfind(l->s, l->len, "。", 3) == NULL &&
		    !strip_match(st, st->signature, l->s, l->len)) {
			l->keep = 0;
			dropped++;
		}
	}
	if (d->html_title != NULL && d->title == NULL)
		d->title = d->html_title;

	pl_buf out;
	pl_buf_init(&out, d->arena, d->len + 1);
	size_t title_len = d->title ? strlen(d->title) : 0;
	for (size_t i = 0; i < n; i++) {
		strip_line *l = &lines[i];
		if (!l->keep)
			continue;
		if (title_len && l->len == title_len && memcmp(l->s, d->title, title_len) == 0) {
			dropped++; /* the title printed again above a repeated copy */
			continue;
		}
		if (out.len)
			pl_buf_addc(&out, '\n');
		pl_buf_add(&out, l->s, l->len);
	}
	char iso[11];
	if ((date_raw && pl_date_iso(date_raw, iso)) || (sig_date && pl_date_iso(sig_date, iso)))
		d->date = pl_strndup(d->arena, iso, 10);
	/* Places are counted in the title, publisher and body only: a menu
	 * naming every province must not decide. */
	pl_buf where;
	pl_buf_init(&where, d->arena, out.len + title_len + 2);
	if (d->title)
		pl_buf_add(&where, d->title, title_len);
	pl_buf_addc(&where, '\n');
	/* A publisher named after its province (浙江在线) is evidence too. */
	if (d->publisher)
		pl_buf_add(&where, d->publisher, strlen(d->publisher));
	pl_buf_addc(&where, '\n');
	pl_buf_add(&where, out.data, out.len);
	const char *province, *city;
	pl_places_guess(st->places, where.data, where.len, &province, &city);
	/* Copied: the document must not point into stage state. */
	d->province = province ? pl_strndup(d->arena, province, strlen(province)) : NULL;
	d->city = city ? pl_strndup(d->arena, city, strlen(city)) : NULL;

	d->text = out.data;
	d->len = out.len;
	d->dropped_lines += dropped;
	return PL_OK;
}

const pl_stage pl_stage_strip = {
	.name = "strip", .open = strip_open, .run = strip_run, .close = strip_close,
};
