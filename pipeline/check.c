/* check.c: check-rules: load every rule file the stages load, then run each
 * rule's examples against that rule alone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "extract.h"
#include "rules.h"
#include "utf8.h"

static const pl_rule_kind check_strip_kinds[] = {{"drop", 0}, {"meta", 1}, {NULL, 0}};

typedef struct check_tally {
	int passed, failed;
	FILE *out;
} check_tally;

static void check_fail(check_tally *t, const pl_rule *r, const pl_example *x,
		       const char *what)
{
	fprintf(t->out, "%s:%d: rule '%s': %s \"%s\": %s\n", r->file, x->line, r->id,
		x->never ? "never" : "example", x->text, what);
	t->failed++;
}

/* The stages search with pl_rule_search(), which tries only where the
 * characters literals.c read off the pattern stand, and extract with
 * pl_search_upto(), which tries no start after the last place of the
 * literals read off it. From every character of the example both must find
 * what PCRE2's own search finds; returns 0 and reports when one does not.
 * md2 is a second match data as wide as md; lits is scratch. */
static int check_same_search(check_tally *t, const pl_rule *r, const pl_example *x,
			     pcre2_match_data *md, pcre2_match_data *md2,
			     pcre2_match_context *mc, pl_litcache *lits)
{
	size_t n = strlen(x->text);
	/* the rule's own literals (a copy: the cache numbers them) */
	pl_needs needs = r->needs;
	memset(lits, 0, sizeof *lits);
	pl_litcache_add(lits, &needs);
	pl_litcache_reset(lits);
	size_t last = n;
	int met = pl_needs_met_upto(&needs, lits, x->text, n, &last);
	for (size_t at = 0; at <= n;) {
		int r1 = pcre2_match(r->re, (PCRE2_SPTR)x->text, n, at, 0, md, mc);
		int r2 = pl_rule_search(r, x->text, n, at, md2, mc);
		int same = r1 == r2;
		if (same && r1 >= 0 && !met)
			same = 0; /* reported below, as a failed search */
		if (same && met) {
			int r3 = pl_search_upto(r->re, r->re_at, &r->starts, x->text, n, at, last,
						md2, mc);
			same = r3 == r1;
		}
		PCRE2_SIZE *o1 = pcre2_get_ovector_pointer(md), *o2 = pcre2_get_ovector_pointer(md2);
		for (int g = 0; same && g < r1; g++)
			same = o1[2 * g] == o2[2 * g] && o1[2 * g + 1] == o2[2 * g + 1];
		if (!same) {
			char msg[256];
			snprintf(msg, sizeof msg,
				 "from byte %zu, the search the stages run (only where the start "
				 "characters read off the pattern stand, and no later than the last "
				 "place of its literals, literals.c) differs from PCRE2's own",
				 at);
			check_fail(t, r, x, msg);
			return 0;
		}
		at += at < n ? pl_utf8_seq((const unsigned char *)x->text + at, n - at) : 1;
	}
	return 1;
}

/* Extract rules: "example TEXT => VALUE UNIT [APPROX]" needs one fact with
 * that value (and unit, and approximation when given); "never TEXT" needs
 * none. */
static void check_extract_rule(check_tally *t, const pl_rule *r, pl_arena *a,
			       const pcre2_code *pre, const pcre2_code *pre_at,
			       const pl_starts *pre_starts, pcre2_match_data *md,
			       pcre2_match_context *mc)
{
	for (size_t k = 0; k < r->nexamples; k++) {
		const pl_example *x = &r->examples[k];
		pl_arena_reset(a);
		pl_doc d = {.id = "example", .arena = a};
		d.text = pl_strndup(a, x->text, strlen(x->text));
		d.len = strlen(x->text);
		pl_err e = {{0}, 0};
		int n = pl_extract_rule(r, &d, 0, d.len, d.len, md, mc, &e);
		if (n == PL_ERR) {
			check_fail(t, r, x, e.msg);
			continue;
		}
		/* The stage searches only sentences that hold the rule's
		 * literals: a match without them means literals.c misread
		 * the pattern, and the stage would miss this fact. */
		if (n > 0 && !pl_needs_met(&r->needs, x->text, strlen(x->text))) {
			check_fail(t, r, x, "matches, but lacks the literals read off the pattern "
					    "(literals.c): the run would not search it");
			continue;
		}
		if (x->never) {
			if (n == 0) {
				t->passed++;
			} else {
				char *got = pl_sprintf(a, "expected no match, got %s %s", d.facts[0].value,
						       d.facts[0].unit);
				check_fail(t, r, x, got);
			}
			continue;
		}
		if (pre != NULL &&
		    pl_search(pre, pre_at, pre_starts, x->text, strlen(x->text), 0, md, mc) < 0) {
			check_fail(t, r, x, "the sentence does not match {PREFILTER}, so the rule "
					    "would never see it: widen PREFILTER in 00-macros.rules");
			continue;
		}
		if (x->expect == NULL) {
			if (n > 0)
				t->passed++;
			else
				check_fail(t, r, x, "expected a match, got none");
			continue;
		}
		char value[128] = "", unit[128] = "", approx[32] = "";
		sscanf(x->expect, "%127s %127s %31s", value, unit, approx);
		int ok = 0;
		pl_buf got;
		pl_buf_init(&got, a, 64);
		for (size_t i = 0; i < d.nfacts && !ok; i++) {
			const pl_fact *f = &d.facts[i];
			ok = strcmp(f->value, value) == 0 && (!unit[0] || strcmp(f->unit, unit) == 0) &&
			     (!approx[0] || strcmp(pl_approx_name(f->approx), approx) == 0);
			char *one = pl_sprintf(a, "%s%s %s %s", i ? "; " : "", f->value, f->unit,
					       pl_approx_name(f->approx));
			pl_buf_add(&got, one, strlen(one));
		}
		if (ok) {
			t->passed++;
		} else {
			char *msg = pl_sprintf(a, "expected %s, got %s", x->expect,
					       d.nfacts ? got.data : "no match");
			check_fail(t, r, x, msg);
		}
	}
}

/* Other kinds: "example TEXT" must match, "never TEXT" must not; a meta
 * rule's "example TEXT => V" must capture V in (?<v>...). */
static void check_match_rule(check_tally *t, const pl_rule *r, pcre2_match_data *md,
			     pcre2_match_context *mc)
{
	for (size_t k = 0; k < r->nexamples; k++) {
		const pl_example *x = &r->examples[k];
		int rc = pl_rule_search(r, x->text, strlen(x->text), 0, md, mc);
		if (x->never) {
			if (rc < 0)
				t->passed++;
			else
				check_fail(t, r, x, "expected no match, but it matched");
			continue;
		}
		if (rc < 0) {
			check_fail(t, r, x, "expected a match, got none");
			continue;
		}
		/* strip searches only lines that hold the rule's literals */
		if (!pl_needs_met(&r->needs, x->text, strlen(x->text))) {
			check_fail(t, r, x, "matches, but lacks the literals read off the pattern "
					    "(literals.c): the run would not search it");
			continue;
		}
		int g = r->g_v;
		if (x->expect != NULL && g >= 0) {
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
			size_t n = ov[2 * g] == PCRE2_UNSET ? 0 : ov[2 * g + 1] - ov[2 * g];
			if (g >= rc || n != strlen(x->expect) ||
			    memcmp(x->text + ov[2 * g], x->expect, n) != 0) {
				char msg[600];
				snprintf(msg, sizeof msg, "expected v = %s, got '%.*s'", x->expect,
					 (int)n, g < rc ? x->text + ov[2 * g] : "");
				check_fail(t, r, x, msg);
				continue;
			}
		}
		t->passed++;
	}
}

static int check_ids(check_tally *t, const pl_ruleset *rs)
{
	int dup = 0;
	for (size_t i = 0; i < rs->n; i++) {
		const pl_rule *r = &rs->rules[i];
		for (size_t j = 0; j < i; j++)
			if (strcmp(rs->rules[j].id, r->id) == 0) {
				fprintf(t->out, "%s:%d: rule id '%s' is already used at %s:%d\n",
					r->file, r->line, r->id, rs->rules[j].file, rs->rules[j].line);
				t->failed++;
				dup = 1;
			}
		if (r->nexamples == 0) {
			fprintf(t->out, "%s:%d: rule '%s' has no example\n", r->file, r->line, r->id);
			t->failed++;
		}
	}
	return dup;
}

int pl_check_rules(const char *dir, FILE *out, pl_err *e)
{
	pl_ruleset strip = {0}, topic = {0}, extract = {0};
	char path[4096];
	int rc = PL_OK;
	snprintf(path, sizeof path, "%s/boilerplate.rules", dir);
	if (pl_rules_load(&strip, path, check_strip_kinds, e) != PL_OK)
		rc = PL_ERR;
	snprintf(path, sizeof path, "%s/topic.rules", dir);
	if (rc == PL_OK && pl_rules_load(&topic, path, pl_topic_kinds, e) != PL_OK)
		rc = PL_ERR;
	snprintf(path, sizeof path, "%s/extract", dir);
	if (rc == PL_OK && pl_rules_load(&extract, path, pl_extract_kinds, e) != PL_OK)
		rc = PL_ERR;
	if (rc == PL_OK) {
		check_tally t = {.out = out};
		uint32_t pairs = strip.max_pairs;
		if (topic.max_pairs > pairs)
			pairs = topic.max_pairs;
		if (extract.max_pairs > pairs)
			pairs = extract.max_pairs;
		pcre2_match_data *md = pcre2_match_data_create(pairs + 1, NULL);
		pcre2_match_data *md2 = pcre2_match_data_create(pairs + 1, NULL);
		pcre2_match_context *mc = pl_rules_match_context();
		pl_arena *a = pl_arena_new();
		static pl_litcache lits; /* 18 KB: kept off the stack */
		pcre2_code *pre, *pre_at;
		pl_starts pre_starts;
		if (pl_rules_macro_pattern(&extract, "PREFILTER", &pre, &pre_at, &pre_starts) < 0) {
			fprintf(out, "%s/extract: macro PREFILTER does not compile\n", dir);
			t.failed++;
		}
		const pl_ruleset *sets[] = {&strip, &topic, &extract};
		for (size_t s = 0; s < 3; s++) {
			check_ids(&t, sets[s]);
			for (size_t i = 0; i < sets[s]->n; i++) {
				const pl_rule *r = &sets[s]->rules[i];
				for (size_t k = 0; k < r->nexamples; k++)
					(void)check_same_search(&t, r, &r->examples[k], md, md2, mc,
								&lits);
				if (s == 2)
					check_extract_rule(&t, r, a, pre, pre_at, &pre_starts, md, mc);
				else
					check_match_rule(&t, r, md, mc);
			}
		}
		pl_arena_free(a);
		pcre2_code_free(pre);
		pcre2_code_free(pre_at);
		pcre2_match_data_free(md);
		pcre2_match_data_free(md2);
		pcre2_match_context_free(mc);
		fprintf(out, "%d passed, %d failed\n", t.passed, t.failed);
		rc = t.failed;
	}
	pl_rules_free(&strip);
	pl_rules_free(&topic);
	pl_rules_free(&extract);
	return rc;
}
