/* stage_extract.c: facts from the clean text with the PCRE2 rules.
 * In:  d->text, clean body, one paragraph per line; d->title.
 * Out: d->facts (arena) in reading order, d->check.
 * Rules: rules/topic.rules decides which passages are about environmental
 *      inspection ("on" marks a paragraph as on topic, "off" silences a
 *      sentence about another kind of inspection or audit); every
 *      rules/extract/ *.rules "rule" then runs on each on-topic sentence.
 * Owns: both rule sets, one match data sized for the widest rule, one match
 *      context with match and depth limits (state).
 * Errors: a rule that hits a PCRE2 limit is reported with its file:line and
 *      the document, and the document goes on without that rule's facts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "num.h"
#include "stage.h"

const pl_rule_kind pl_extract_kinds[] = {{"rule", 1}, {NULL, 0}};
const pl_rule_kind pl_topic_kinds[] = {{"on", 0}, {"off", 0}, {NULL, 0}};

typedef struct extract_state {
	pl_ruleset rules;
	pl_ruleset topic;
	pcre2_match_data *md;
	pcre2_match_context *mc;
} extract_state;

static void extract_close(void *state)
{
	extract_state *st = state;
	if (st == NULL)
		return;
	pl_rules_free(&st->rules);
	pl_rules_free(&st->topic);
	pcre2_match_data_free(st->md);
	pcre2_match_context_free(st->mc);
	free(st);
}

static int extract_open(void **state, const pl_opts *o, pl_err *e)
{
	extract_state *st = calloc(1, sizeof *st);
	if (st == NULL)
		return pl_errf(e, PL_EFATAL, "extract: out of memory");
	char path[4096];
	snprintf(path, sizeof path, "%s/topic.rules", o->rules_dir);
	if (pl_rules_load(&st->topic, path, pl_topic_kinds, e) != PL_OK)
		goto fail;
	snprintf(path, sizeof path, "%s/extract", o->rules_dir);
	if (pl_rules_load(&st->rules, path, pl_extract_kinds, e) != PL_OK)
		goto fail;
	for (size_t i = 0; i < st->rules.n; i++)
		if (pl_rule_group(&st->rules.rules[i], "num") < 0) {
			pl_errf(e, PL_EUSAGE, "%s:%d: error: rule '%s' has no (?<num>...) group",
				st->rules.rules[i].file, st->rules.rules[i].line,
				st->rules.rules[i].id);
			goto fail;
		}
	uint32_t pairs = st->rules.max_pairs > st->topic.max_pairs ? st->rules.max_pairs
								   : st->topic.max_pairs;
	st->md = pcre2_match_data_create(pairs + 1, NULL);
	st->mc = pl_rules_match_context();
	if (st->md == NULL || st->mc == NULL) {
		pl_errf(e, PL_EFATAL, "extract: out of memory");
		goto fail;
	}
	*state = st;
	return PL_OK;
fail:
	extract_close(st);
	return PL_ERR;
}

static int extract_is_clause_end(const char *s)
{
	return *s == ',' || *s == ';' || *s == '!' || *s == '?' || *s == '\n' ||
	       memcmp(s, "。", 3) == 0;
}

/* The clause around [a, b): from the previous clause mark to the next. */
static const char *extract_clause(pl_doc *d, size_t from, size_t to, size_t a, size_t b)
{
	size_t s = a, t = b;
	while (s > from) {
		size_t p = s - 1;
		while (p > from && ((unsigned char)d->text[p] & 0xC0) == 0x80)
			p--;
		if (extract_is_clause_end(d->text + p))
			break;
		s = p;
	}
	while (t < to && !extract_is_clause_end(d->text + t))
		t++;
	return pl_strndup(d->arena, d->text + s, t - s);
}

static int extract_approx_word(const char *s, size_t n)
{
	static const struct { const char *w; int a; } words[] = {
		{"余", PL_APPROX_OVER},  {"多", PL_APPROX_OVER},   {"以上", PL_APPROX_OVER},
		{"超过", PL_APPROX_OVER}, {"逾", PL_APPROX_OVER},  {"左右", PL_APPROX_ABOUT},
		{"约", PL_APPROX_ABOUT}, {"近", PL_APPROX_ABOUT},  {"上下", PL_APPROX_ABOUT},
		{"不到", PL_APPROX_UNDER}, {"不足", PL_APPROX_UNDER},
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strlen(words[i].w) == n && memcmp(words[i].w, s, n) == 0)
			return words[i].a;
	return PL_APPROX_EXACT;
}

int pl_extract_rule(const pl_rule *r, pl_doc *d, size_t from, size_t to,
		    pcre2_match_data *md, pcre2_match_context *mc, pl_err *e)
{
	int gnum = pl_rule_group(r, "num"), gunit = pl_rule_group(r, "unit");
	int gapprox[3] = {pl_rule_group(r, "approx"), pl_rule_group(r, "pre"),
			  pl_rule_group(r, "post")};
	int added = 0;
	size_t at = from;
	while (at < to) {
		int rc = pcre2_match(r->re, (PCRE2_SPTR)d->text, to, at, PCRE2_NO_UTF_CHECK,
				     md, mc);
		if (rc == PCRE2_ERROR_NOMATCH)
			break;
		if (rc < 0) {
			PCRE2_UCHAR msg[128];
			pcre2_get_error_message(rc, msg, sizeof msg);
			return pl_errf(e, PL_EDOC, "%s: extract: rule %s: %s (skipped for this document)",
				       d->id, r->where, (const char *)msg);
		}
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		size_t next = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
		if (gnum < rc && ov[2 * gnum] != PCRE2_UNSET) {
			size_t ns = ov[2 * gnum], ne = ov[2 * gnum + 1];
			pl_num num;
			if (pl_num_parse(d->text + ns, ne - ns, &num) == PL_OK) {
				/* Facts point at the number itself, not its
				 * approximation markers. */
				pl_fact *f = pl_doc_add_fact(d);
				f->field = r->field;
				f->rule_id = r->id;
				f->rule = r->where;
				f->value = pl_strndup(d->arena, num.value, strlen(num.value));
				f->approx = num.approx;
				f->start = ns;
				f->end = ne;
				f->part = r->scope_part;
				const char *unit = "";
				size_t ulen = 0;
				if (gunit >= 0 && gunit < rc && ov[2 * gunit] != PCRE2_UNSET) {
					unit = d->text + ov[2 * gunit];
					ulen = ov[2 * gunit + 1] - ov[2 * gunit];
				}
				/* 54759万元: the multiplier belongs to the unit as
				 * written; the value is already in base units. */
				const char *mult = "";
				if (ne - ns >= 3 && (memcmp(d->text + ne - 3, "万", 3) == 0 ||
						     memcmp(d->text + ne - 3, "亿", 3) == 0))
					mult = d->text + ne - 3;
				f->unit = *mult ? pl_sprintf(d->arena, "%.3s%.*s", mult, (int)ulen, unit)
						: pl_strndup(d->arena, unit, ulen);
				for (int k = 0; k < 3; k++) {
					int g = gapprox[k];
					if (g < 0 || g >= rc || ov[2 * g] == PCRE2_UNSET)
						continue;
					int a = extract_approx_word(d->text + ov[2 * g],
								    ov[2 * g + 1] - ov[2 * g]);
					if (a != PL_APPROX_EXACT)
						f->approx = a;
				}
				f->evidence = extract_clause(d, from, to, ov[0], ov[1]);
				added++;
			}
		}
		at = next;
		while (at < to && ((unsigned char)d->text[at] & 0xC0) == 0x80)
			at++;
	}
	return added;
}

static int extract_matches_kind(extract_state *st, const char *kind, const char *s,
				size_t n)
{
	for (size_t i = 0; i < st->topic.n; i++) {
		const pl_rule *r = &st->topic.rules[i];
		if (strcmp(r->kind, kind) == 0 &&
		    pcre2_match(r->re, (PCRE2_SPTR)s, n, 0, PCRE2_NO_UTF_CHECK, st->md, st->mc) >= 0)
			return 1;
	}
	return 0;
}

static int extract_is_sentence_end(const char *s)
{
	return *s == '!' || *s == '?' || *s == ';' || *s == '\n' || memcmp(s, "。", 3) == 0;
}

/* A number inside brackets that follow another fact of the same sentence is
 * one item of that fact's breakdown. */
static void extract_mark_parts(pl_doc *d, size_t first, size_t from, size_t to)
{
	for (size_t i = first; i < d->nfacts; i++) {
		pl_fact *f = &d->facts[i];
		int depth = 0;
		size_t open = 0;
		for (size_t p = from; p < f->start && p < to; p++) {
			if (d->text[p] == '(') {
				if (depth++ == 0)
					open = p;
			} else if (d->text[p] == ')' && depth > 0) {
				depth--;
			}
		}
		if (depth == 0)
			continue;
		for (size_t k = first; k < d->nfacts; k++)
			if (d->facts[k].end <= open && d->facts[k].start >= from)
				f->part = 1;
	}
}

static int extract_cmp(const void *a, const void *b)
{
	const pl_fact *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return strcmp(x->field, y->field);
}

static const pl_fact *extract_headline(const pl_doc *d, const char *field)
{
	for (size_t i = 0; i < d->nfacts; i++)
		if (!d->facts[i].part && strcmp(d->facts[i].field, field) == 0)
			return &d->facts[i];
	return NULL;
}

/* found against completed + in progress + overdue, when the document gives
 * found and at least two of the others. Reports, never corrects. */
static void extract_check(pl_doc *d)
{
	const pl_fact *found = extract_headline(d, "issues_found");
	const pl_fact *parts[3] = {extract_headline(d, "issues_completed"),
				   extract_headline(d, "issues_in_progress"),
				   extract_headline(d, "issues_overdue")};
	int have = (parts[0] != NULL) + (parts[1] != NULL) + (parts[2] != NULL);
	d->check = "";
	if (found == NULL || have < 2)
		return;
	double sum = 0;
	for (int i = 0; i < 3; i++)
		if (parts[i])
			sum += strtod(parts[i]->value, NULL);
	double f = strtod(found->value, NULL);
	if (f == sum)
		d->check = "ok";
	else
		d->check = pl_sprintf(d->arena, "found %s != %s%s%s%s%s", found->value,
				      parts[0] ? parts[0]->value : "",
				      parts[1] ? "+" : "", parts[1] ? parts[1]->value : "",
				      parts[2] ? "+" : "", parts[2] ? parts[2]->value : "");
}

static int extract_run(void *state, pl_doc *d, pl_err *e)
{
	extract_state *st = state;
	int doc_on = d->title != NULL &&
		     extract_matches_kind(st, "on", d->title, strlen(d->title));
	int warned = 0;
	for (size_t p = 0; p < d->len;) {
		const char *nl = memchr(d->text + p, '\n', d->len - p);
		size_t pend = nl ? (size_t)(nl - d->text) : d->len;
		int on = doc_on || extract_matches_kind(st, "on", d->text + p, pend - p);
		for (size_t s = p; on && s < pend;) {
			size_t t = s;
			while (t < pend && !extract_is_sentence_end(d->text + t))
				t++;
			size_t tend = t < pend ? t + (d->text[t] == '\n' ? 0 : (d->text[t] & 0x80) ? 3 : 1) : t;
			if (!extract_matches_kind(st, "off", d->text + s, tend - s)) {
				size_t first = d->nfacts;
				for (size_t i = 0; i < st->rules.n; i++) {
					size_t before = d->nfacts;
					if (pl_extract_rule(&st->rules.rules[i], d, s, tend, st->md,
							    st->mc, e) == PL_ERR) {
						warned = 1;
						continue;
					}
					/* One number, one fact per field: an earlier
					 * rule wins. */
					for (size_t k = before; k < d->nfacts;) {
						int dup = 0;
						for (size_t j = first; j < before && !dup; j++)
							dup = d->facts[j].start == d->facts[k].start &&
							      strcmp(d->facts[j].field, d->facts[k].field) == 0;
						if (dup) {
							memmove(&d->facts[k], &d->facts[k + 1],
								(d->nfacts - k - 1) * sizeof *d->facts);
							d->nfacts--;
						} else {
							k++;
						}
					}
				}
				extract_mark_parts(d, first, s, tend);
			}
			s = tend > s ? tend : s + 1;
		}
		p = pend + 1;
	}
	qsort(d->facts, d->nfacts, sizeof *d->facts, extract_cmp);
	extract_check(d);
	if (warned && (d->status == NULL || strcmp(d->status, "ok") == 0))
		d->status = "warning:match-limit";
	return PL_OK;
}

const pl_stage pl_stage_extract = {
	.name = "extract", .open = extract_open, .run = extract_run, .close = extract_close,
};
