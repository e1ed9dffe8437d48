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
#include "utf8.h"
#include "stage.h"

const pl_rule_kind pl_extract_kinds[] = {{"rule", 1}, {NULL, 0}};
const pl_rule_kind pl_topic_kinds[] = {{"on", 0}, {"off", 0}, {NULL, 0}};

typedef struct extract_state {
	pl_ruleset rules;
	pl_ruleset topic;
	pcre2_code *item; /* a number and its counter, inside a breakdown */
	pcre2_code *prefilter; /* {PREFILTER}: a sentence must match it to be tried */
	pcre2_code *item_at, *prefilter_at; /* their anchored twins (pl_search) */
	pl_starts item_starts, prefilter_starts;
	pcre2_match_data *md;
	pcre2_match_context *mc;
	pl_litcache lits; /* the rules' literals, searched once a sentence */
	/* the topic rules of each kind, in file order: asked of every
	 * paragraph and sentence, so the kind is not compared each time */
	const pl_rule **on, **off;
	size_t non, noff;
} extract_state;

static void extract_close(void *state)
{
	extract_state *st = state;
	if (st == NULL)
		return;
	pl_rules_free(&st->rules);
	pl_rules_free(&st->topic);
	pcre2_code_free(st->item);
	pcre2_code_free(st->prefilter);
	pcre2_code_free(st->item_at);
	pcre2_code_free(st->prefilter_at);
	pcre2_match_data_free(st->md);
	pcre2_match_context_free(st->mc);
	free(st->on);
	free(st->off);
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
	int code;
	PCRE2_SIZE off;
	static const char item_source[] =
	    "(?<![0-9.])([0-9]+(?:\\.[0-9]+)?(?:万|亿)?|"
	    "(?<![零〇一二两三四五六七八九十百千])[一二两三四五六七八九十][零〇一二两三四五六七八九十百千]*)"
	    "(个|项|条|处|件|起|宗|人|名|位|家|户)";
	st->item = pcre2_compile((PCRE2_SPTR)item_source, PCRE2_ZERO_TERMINATED,
				 PCRE2_UTF | PCRE2_UCP, &code, &off, NULL);
	if (st->item != NULL) {
		(void)pcre2_jit_compile(st->item, PCRE2_JIT_COMPLETE);
		pl_search_prepare(st->item, item_source, &st->item_at, &st->item_starts);
	}
	/* Most sentences hold no number with a counter after it; one match of
	 * {PREFILTER} spares them every rule. check-rules makes sure no example
	 * would be skipped by it. */
	if (pl_rules_macro_pattern(&st->rules, "PREFILTER", &st->prefilter, &st->prefilter_at,
				   &st->prefilter_starts) < 0) {
		pl_errf(e, PL_EUSAGE, "%s/extract: macro PREFILTER does not compile", o->rules_dir);
		goto fail;
	}
	for (size_t i = 0; i < st->rules.n; i++)
		pl_litcache_add(&st->lits, &st->rules.rules[i].needs);
	st->on = calloc(st->topic.n + 1, sizeof *st->on);
	st->off = calloc(st->topic.n + 1, sizeof *st->off);
	for (size_t i = 0; i < st->topic.n && st->on != NULL && st->off != NULL; i++) {
		pl_rule *r = &st->topic.rules[i];
		if (strcmp(r->kind, "off") == 0) {
			pl_litcache_add(&st->lits, &r->needs);
			st->off[st->noff++] = r;
		} else {
			st->on[st->non++] = r;
		}
	}
	st->md = pcre2_match_data_create(pairs + 3, NULL);
	st->mc = pl_rules_match_context();
	if (st->md == NULL || st->mc == NULL || st->item == NULL || st->on == NULL ||
	    st->off == NULL) {
		pl_errf(e, PL_EFATAL, "extract: out of memory");
		goto fail;
	}
	*state = st;
	return PL_OK;
fail:
	extract_close(st);
	return PL_ERR;
}

/* Bytes that may begin a clause mark: , ; ! ? line end, and 0xE3, the
 * first byte of 。 (the others are ASCII, never inside a character). */
static const unsigned char extract_clause_byte[256] = {
	[','] = 1, [';'] = 1, ['!'] = 1, ['?'] = 1, ['\n'] = 1, [0xE3] = 1,
};

/* 1 when a clause mark begins at u (a character start, in valid UTF-8:
 * 0xE3 leads two more bytes). A table first: it is asked of every byte
 * of the evidence around every fact. */
static int extract_is_clause_end(const unsigned char *u)
{
	return extract_clause_byte[u[0]] && (u[0] != 0xE3 || (u[1] == 0x80 && u[2] == 0x82));
}

/* The clause around [a, b): from the previous clause mark to the next, but
 * at most EXTRACT_EVIDENCE_MAX bytes either side (cut on a character
 * boundary), so text without clause marks cannot make each fact's evidence
 * the whole sentence (memory quadratic in its length). */
#define EXTRACT_EVIDENCE_MAX 300
static const char *extract_clause(pl_doc *d, size_t from, size_t to, size_t a, size_t b)
{
	const unsigned char *u = (const unsigned char *)d->text;
	size_t s = a, t = b;
	if (a - from > EXTRACT_EVIDENCE_MAX)
		from = a - EXTRACT_EVIDENCE_MAX;
	if (to - b > EXTRACT_EVIDENCE_MAX)
		to = b + EXTRACT_EVIDENCE_MAX;
	while (to > b && (u[to] & 0xC0) == 0x80)
		to--;
	/* back a character at a time while none is a mark; a character cut
	 * by from (its lead byte before it) is not taken */
	for (size_t p = s; p > from;) {
		p--;
		if ((u[p] & 0xC0) == 0x80) {
			if (p == from)
				break;
			continue;
		}
		if (extract_is_clause_end(u + p))
			break;
		s = p;
	}
	/* a mark is looked for at every byte: none begins inside a
	 * character */
	while (t < to && !extract_is_clause_end(u + t))
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

int pl_extract_rule(const pl_rule *r, pl_doc *d, size_t from, size_t to, size_t last,
		    pcre2_match_data *md, pcre2_match_context *mc, pl_err *e)
{
	int gnum = r->g_num, gunit = r->g_unit;
	int gapprox[3] = {r->g_approx, r->g_pre, r->g_post};
	int added = 0;
	size_t at = from;
	/* extract_open() refuses such a rule, but check-rules runs every
	 * rule it loads: without the group there is no number to read. */
	if (gnum < 0)
		return pl_errf(e, PL_EDOC, "%s: extract: rule %s has no (?<num>...) group",
			       d->id, r->where);
	while (at < to) {
		int rc = pl_search_upto(r->re, r->re_at, &r->starts, d->text, to, at, last, md, mc);
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

/* 1 when one of the topic rules rules[0..nrules) (all of one kind) matches
 * s[0..n). lits, when not NULL, holds the literals of s (reset for it; a
 * sentence's, which the extract rules read anyway and the off rules'
 * literals are read with): a rule whose literals are not there is not
 * searched, and a rule of words alone (审计, 巡视|巡察) is answered without
 * a search. */
static int extract_matches_kind(extract_state *st, const pl_rule *const *rules, size_t nrules,
				const char *s, size_t n, pl_litcache *lits)
{
	for (size_t i = 0; i < nrules; i++) {
		const pl_rule *r = rules[i];
		if (lits != NULL && !pl_needs_met_cached(&r->needs, lits, s, n))
			continue;
		if ((lits != NULL && r->literal_only) ||
		    pl_rule_search(r, s, n, 0, st->md, st->mc) >= 0)
			return 1;
	}
	return 0;
}

#define EXTRACT_SENTENCE_MAX 4096

/* Where the sentence from s ends, before pend: at its !, ?, ;, line end or
 * 。. A "sentence" with no end in sight is read in pieces (*cut set), which
 * bounds the per-sentence work (brackets, duplicate facts) that grows with
 * its length squared. */
/* bytes that may end a sentence: ! ? ; line end, and 0xE3, the first byte
 * of 。 */
static const unsigned char extract_stop[256] = {['!'] = 1, ['?'] = 1, [';'] = 1, ['\n'] = 1,
						[0xE3] = 1};

/* The first t in [t, lim) holding a stop byte, else lim. Sixteen bytes at
 * a time, most of which hold none. */
static size_t extract_next_stop(const unsigned char *u, size_t t, size_t lim)
{
	/* 。 whole (E3 80 82), from the bytes one and two on: the other
	 * marks led by 0xE3 (、 《 》, common in a notice) do not stop the
	 * sixteen-byte steps */
	for (; t + 18 <= lim; t += 16) {
		pl_v16 v = pl_v16_load(u + t);
		pl_v16 stop = (pl_v16)((v == 0xE3) & (pl_v16_load(u + t + 1) == 0x80) &
				       (pl_v16_load(u + t + 2) == 0x82));
		if (pl_v16_any(stop | (v == '!') | (v == '?') | (v == ';') | (v == '\n')))
			break;
	}
	while (t < lim && !extract_stop[u[t]])
		t++;
	return t;
}

static size_t extract_sentence_end(const char *text, size_t s, size_t pend, int *cut)
{
	const unsigned char *u = (const unsigned char *)text;
	size_t lim = pend - s > EXTRACT_SENTENCE_MAX ? s + EXTRACT_SENTENCE_MAX : pend;
	size_t t = s;
	for (; (t = extract_next_stop(u, t, lim)) < lim; t++)
		if (u[t] != 0xE3 || (u[t + 1] == 0x80 && u[t + 2] == 0x82))
			return t;
	const unsigned char *stop = extract_stop;
	for (; t < pend; t++) { /* past the limit: cut at the next character */
		if (stop[u[t]] && (u[t] != 0xE3 || (u[t + 1] == 0x80 && u[t + 2] == 0x82)))
			return t;
		if ((u[t] & 0xC0) != 0x80) {
			*cut = 1;
			return t;
		}
	}
	return pend;
}

/* Units that count the same kind of thing, for matching the items of a
 * breakdown to their total: 81名责任人员(厅级干部11人...). */
static int extract_unit_class(const char *u)
{
	static const char *const classes[][5] = {
		{"个", "项", "条", "处", NULL}, {"人", "名", "位", NULL}, {"件", "个", "起", "宗", NULL},
		{"家", "户", NULL},
	};
	size_t n = strlen(u);
	/* 万件 and 件 are the same unit */
	if (n > 3 && (memcmp(u, "万", 3) == 0 || memcmp(u, "亿", 3) == 0)) {
		u += 3;
	}
	for (size_t c = 0; c < sizeof classes / sizeof classes[0]; c++)
		for (size_t k = 0; classes[c][k]; k++)
			if (strcmp(u, classes[c][k]) == 0)
				return (int)c + 1;
	return 0;
}

static int extract_same_class(const char *a, const char *b)
{
	int ca = extract_unit_class(a), cb = extract_unit_class(b);
	return ca ? ca == cb || (ca == 1 && cb == 3) || (ca == 3 && cb == 1) : strcmp(a, b) == 0;
}

static size_t extract_find_fact(const pl_doc *d, size_t first, size_t start, const char *field)
{
	for (size_t i = first; i < d->nfacts; i++)
		if (d->facts[i].start == start && (field == NULL || strcmp(d->facts[i].field, field) == 0))
			return i;
	return (size_t)-1;
}

/* Breakdowns in brackets: in 对19个党组织、81名责任人员(厅级干部11人、处级
 * 干部37人、科级及以下干部33人) the numbers in the brackets are items of the
 * nearest total before the bracket that counts the same kind of thing. Items
 * a rule already found are marked part; the others are added as parts of the
 * total's field (rule "<total rule>/part"). Any other fact inside brackets
 * that follow a fact is part too. */
static void extract_brackets(extract_state *st, pl_doc *d, size_t first, size_t from, size_t to)
{
	for (size_t open = from; open < to; open++) {
		const char *paren = memchr(d->text + open, '(', to - open);
		if (paren == NULL)
			break;
		open = (size_t)(paren - d->text);
		size_t close = open + 1;
		int depth = 1;
		while (close < to && depth > 0) {
			depth += d->text[close] == '(';
			depth -= d->text[close] == ')';
			if (depth)
				close++;
		}
		int any_before = 0;
		for (size_t i = first; i < d->nfacts; i++)
			any_before |= d->facts[i].end <= open;
		if (!any_before)
			continue;
		for (size_t i = first; i < d->nfacts; i++)
			if (d->facts[i].start > open && d->facts[i].start < close) {
				d->facts[i].part = 1;
				d->facts[i].group = open;
				d->facts[i].group_complete = 1;
			}
		size_t at = open + 1;
		while (at < close &&
		       pl_search(st->item, st->item_at, &st->item_starts, d->text, close, at,
				 st->md, st->mc) > 0) {
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(st->md);
			size_t ns = ov[2], ne = ov[3], us = ov[4], ue = ov[5];
			at = ov[1];
			char *unit = pl_strndup(d->arena, d->text + us, ue - us);
			/* the nearest total before the bracket, close to it */
			const pl_fact *total = NULL;
			for (size_t i = first; i < d->nfacts; i++) {
				const pl_fact *t = &d->facts[i];
				if (!t->part && t->end <= open && open - t->end <= 40 &&
				    extract_same_class(t->unit, unit) &&
				    (total == NULL || t->end > total->end))
					total = t;
			}
			if (total == NULL || extract_find_fact(d, first, ns, total->field) != (size_t)-1)
				continue;
			pl_num num;
			if (pl_num_parse(d->text + ns, ne - ns, &num) != PL_OK)
				continue;
			const char *field = total->field, *rule = total->rule_id;
			pl_fact *f = pl_doc_add_fact(d); /* may move d->facts: total is stale now */
			f->field = field;
			f->rule_id = pl_sprintf(d->arena, "%s/part", rule);
			f->rule = f->rule_id;
			f->value = pl_strndup(d->arena, num.value, strlen(num.value));
			f->unit = unit;
			f->approx = num.approx;
			f->part = 1;
			f->group = open;
			f->group_complete = 1;
			f->start = ns;
			f->end = ne;
			/* the item: from the previous 、 or bracket to the next */
			size_t a = ns, b = ne;
			while (a > open + 1 && memcmp(d->text + a - 3, "、", 3) != 0 && d->text[a - 1] != '(')
				a--;
			while (b < close && memcmp(d->text + b, "、", 3) != 0)
				b++;
			f->evidence = pl_strndup(d->arena, d->text + a, b - a);
		}
		open = close;
	}
}

static int extract_cmp(const void *a, const void *b)
{
	const pl_fact *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return strcmp(x->field, y->field);
}

/* Links each part to its total: the nearest total of the same field before
 * it in the same paragraph. A part a rule found on its own (scope part) with
 * no such total is dropped: an item of a breakdown without its whole is not a
 * count of anything. Returns nothing; rewrites d->facts. */
static void extract_link_parts(pl_doc *d, size_t *parent)
{
	size_t w = 0;
	for (size_t i = 0; i < d->nfacts; i++) {
		pl_fact *f = &d->facts[i];
		size_t p = (size_t)-1;
		if (f->part) {
			for (size_t k = w; k-- > 0;) {
				const pl_fact *t = &d->facts[k];
				/* t may overlap f (t->end > f->start): stop there,
				 * as an unsigned length would have run off the text */
				if (t->end > f->start ||
				    memchr(d->text + t->end, '\n', f->start - t->end) != NULL)
					break;
				if (!t->part && strcmp(t->field, f->field) == 0) {
					p = k;
					break;
				}
			}
			if (p == (size_t)-1)
				continue;
		}
		parent[w] = p;
		d->facts[w++] = *f;
	}
	d->nfacts = w;
}

static const pl_fact *extract_headline(const pl_doc *d, const char *field)
{
	for (size_t i = 0; i < d->nfacts; i++)
		if (!d->facts[i].part && strcmp(d->facts[i].field, field) == 0)
			return &d->facts[i];
	return NULL;
}

static int extract_exact_value(const pl_fact *f, double *v)
{
	if (f->approx != PL_APPROX_EXACT)
		return 0;
	*v = strtod(f->value, NULL);
	return 1;
}

/* The check column: found against completed + in progress + overdue, each
 * breakdown against its total, and 全部办结 (all resolved) against received.
 * "ok" when every check that applies holds, the mismatches when not, empty
 * when nothing applies. It reports; it never corrects a number. */
static void extract_check(pl_doc *d, const size_t *parent)
{
	pl_buf bad;
	pl_buf_init(&bad, d->arena, 64);
	int checked = 0;

	const pl_fact *found = extract_headline(d, "issues_found");
	const pl_fact *sub[3] = {extract_headline(d, "issues_completed"),
				 extract_headline(d, "issues_in_progress"),
				 extract_headline(d, "issues_overdue")};
	double fv = 0, sum = 0, v = 0;
	int have = 0, exact = found && extract_exact_value(found, &fv);
	for (int i = 0; i < 3; i++)
		if (sub[i]) {
			have++;
			exact &= extract_exact_value(sub[i], &v);
			sum += exact ? v : 0;
		}
	if (found && exact && have >= 2 && sub[0]) {
		checked = 1;
		if (fv != sum) {
			char *m = pl_sprintf(d->arena, "%sissues_found %s != %s%s%s%s%s", bad.len ? "; " : "",
					     found->value, sub[0]->value, sub[1] ? "+" : "",
					     sub[1] ? sub[1]->value : "", sub[2] ? "+" : "",
					     sub[2] ? sub[2]->value : "");
			pl_buf_add(&bad, m, strlen(m));
		}
	}

	for (size_t t = 0; t < d->nfacts; t++) {
		if (d->facts[t].part || !extract_exact_value(&d->facts[t], &fv))
			continue;
		/* one check per breakdown of this total */
		for (size_t g = t + 1; g < d->nfacts; g++) {
			if (parent[g] != t)
				continue;
			int seen = 0;
			for (size_t k = t + 1; k < g && !seen; k++)
				seen = parent[k] == t && d->facts[k].group == d->facts[g].group;
			if (seen)
				continue;
			double total = 0;
			int nparts = 0, all_exact = 1;
			pl_buf list;
			pl_buf_init(&list, d->arena, 32);
			for (size_t i = g; i < d->nfacts; i++) {
				if (parent[i] != t || d->facts[i].group != d->facts[g].group)
					continue;
				all_exact &= extract_exact_value(&d->facts[i], &v);
				total += v;
				if (nparts++)
					pl_buf_addc(&list, '+');
				pl_buf_add(&list, d->facts[i].value, strlen(d->facts[i].value));
			}
			if (nparts < 2 || !all_exact)
				continue;
			checked = 1;
			/* A bracket breakdown adds up to its total; a list
			 * (其中...) may name only some kinds, so it may fall
			 * short, never exceed. */
			int complete = d->facts[g].group_complete;
			if (total > fv || (complete && total != fv)) {
				char *m = pl_sprintf(d->arena, "%s%s %s != %s", bad.len ? "; " : "",
						     d->facts[t].field, d->facts[t].value, list.data);
				pl_buf_add(&bad, m, strlen(m));
			}
		}
	}

	const pl_fact *received = extract_headline(d, "complaints_received");
	for (size_t i = 0; i < d->nfacts && received; i++) {
		const pl_fact *f = &d->facts[i];
		if (strcmp(f->field, "complaints_resolved") != 0 || strncmp(f->rule_id, "resolved.all", 12) != 0)
			continue;
		checked = 1;
		if (strcmp(f->value, received->value) != 0) {
			char *m = pl_sprintf(d->arena, "%sall resolved %s != received %s", bad.len ? "; " : "",
					     f->value, received->value);
			pl_buf_add(&bad, m, strlen(m));
		}
		break;
	}
	d->check = bad.len ? bad.data : checked ? "ok" : "";
}

/* Topic state of a paragraph: a heading (a short line without a full stop)
 * starts a new story, on topic if it says so; a paragraph that matches "on"
 * is on topic; one that matches only "off" is off; any other paragraph
 * continues the story it is in. */
static int extract_paragraph_topic(extract_state *st, const char *s, size_t n, int state)
{
	if (extract_matches_kind(st, st->on, st->non, s, n, NULL))
		return 1;
	int heading = n < 3 * 30 && pl_memfind(s, n, "。", 3) == NULL && memchr(s, ',', n) == NULL;
	if (heading || extract_matches_kind(st, st->off, st->noff, s, n, NULL))
		return 0;
	return state;
}

static int extract_run(void *state, pl_doc *d, pl_err *e)
{
	extract_state *st = state;
	int topic = d->title != NULL &&
		    extract_matches_kind(st, st->on, st->non, d->title, strlen(d->title), NULL);
	int warned = 0;
	for (size_t p = 0; p < d->len;) {
		const char *nl = memchr(d->text + p, '\n', d->len - p);
		size_t pend = nl ? (size_t)(nl - d->text) : d->len;
		topic = extract_paragraph_topic(st, d->text + p, pend - p, topic);
		for (size_t s = p; topic && s < pend;) {
			int cut = 0;
			size_t t = extract_sentence_end(d->text, s, pend, &cut);
			size_t tend = cut ? t : t < pend ? t + (d->text[t] == '\n' ? 0 : (d->text[t] & 0x80) ? 3 : 1) : t;
			/* without a number and a counter no rule can match */
			int numbered = st->prefilter == NULL ||
				       pl_search(st->prefilter, st->prefilter_at,
						 &st->prefilter_starts, d->text, tend, s, st->md,
						 st->mc) >= 0;
			if (numbered)
				pl_litcache_reset(&st->lits);
			if (numbered &&
			    !extract_matches_kind(st, st->off, st->noff, d->text + s, tend - s,
						  &st->lits)) {
				size_t first = d->nfacts;
				for (size_t i = 0; i < st->rules.n; i++) {
					size_t before = d->nfacts;
					/* A sentence without the literals every
					 * match holds is not worth a search, nor
					 * is the part after the last of them. */
					size_t last;
					if (!pl_needs_met_upto(&st->rules.rules[i].needs, &st->lits,
							       d->text + s, tend - s, &last))
						continue;
					if (pl_extract_rule(&st->rules.rules[i], d, s, tend, s + last,
							    st->md, st->mc, e) == PL_ERR) {
						warned = 1;
						continue;
					}
					/* One number, one fact per field: an earlier
					 * rule wins. */
					for (size_t k = before; k < d->nfacts;) {
						if (extract_find_fact(d, first, d->facts[k].start,
								      d->facts[k].field) < before) {
							memmove(&d->facts[k], &d->facts[k + 1],
								(d->nfacts - k - 1) * sizeof *d->facts);
							d->nfacts--;
						} else {
							k++;
						}
					}
				}
				for (size_t k = first; k < d->nfacts; k++)
					if (d->facts[k].part)
						d->facts[k].group = s;
				extract_brackets(st, d, first, s, tend);
			}
			s = tend > s ? tend : s + 1;
		}
		p = pend + 1;
	}
	if (d->nfacts > 1) /* qsort(NULL, 0, ...) is undefined */
		qsort(d->facts, d->nfacts, sizeof *d->facts, extract_cmp);
	size_t *parent = pl_alloc(d->arena, (d->nfacts + 1) * sizeof *parent);
	extract_link_parts(d, parent);
	extract_check(d, parent);
	/* A warning says more than "duplicate" (dup_of still says that), and
	 * wins whichever of extract and the duplicate lookup comes first
	 * (with -j, the lookup comes after). */
	if (warned && (d->status == NULL || strcmp(d->status, "ok") == 0 ||
		       strcmp(d->status, "duplicate") == 0))
		d->status = "warning:match-limit";
	return PL_OK;
}

const pl_stage pl_stage_extract = {
	.name = "extract", .open = extract_open, .run = extract_run, .close = extract_close,
};
