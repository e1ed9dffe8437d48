/* fuzz_rules.c: any bytes as a rule file, through pl_rules_load_buffer(),
 * then every loaded rule's examples run the way `bulletin check-rules` runs
 * them (extract rules through pl_extract_rule(), others with pcre2_match()).
 * Checks: a load that fails says where (file:line: error); one that succeeds
 * gives every rule an id, a compiled pattern and its file:line; running the
 * examples never crashes and never hangs (the match context's limits); and
 * an example the pattern matches holds the literals literals.c read off
 * the pattern (else extract would skip a sentence that has a fact); and
 * the search tried only where the start characters literals.c read off
 * the pattern stand finds the same as PCRE2's own, and so does the one
 * that tries no start after the last place of its literals. */
#include "extract.h"
#include "fuzz.h"
#include "rules.h"
#include "utf8.h"

static const pl_rule_kind fuzz_rules_kinds[] = {
	{"rule", 1}, {"drop", 0}, {"meta", 1}, {"on", 0}, {"off", 0}, {NULL, 0},
};

/* The search the stages run (pl_rule_search: tried only where the start
 * characters read off the pattern stand; with upto, pl_search_upto: and
 * no start after the last place of the pattern's literals, as extract
 * runs it) finds what PCRE2's own search finds, from every character of
 * text. A limit error on one side only is
 * let pass: the two searches try different positions, and a pattern that
 * backtracks catastrophically may hit the limit at one the other skips. */
static void fuzz_same_search(const pl_rule *r, const char *text, size_t n,
			     pcre2_match_data *md, pcre2_match_data *md2, pcre2_match_context *mc,
			     int upto)
{
	static pl_litcache lits;
	pl_needs needs = r->needs; /* a copy: the cache numbers its literals */
	size_t last = n;
	if (upto) {
		memset(&lits, 0, sizeof lits);
		pl_litcache_add(&lits, &needs);
		pl_litcache_reset(&lits);
		if (!pl_needs_met_upto(&needs, &lits, text, n, &last))
			last = 0, upto = 2; /* not met: no match anywhere */
	}
	for (size_t at = 0; at <= n;) {
		int r1 = pcre2_match(r->re, (PCRE2_SPTR)text, n, at, 0, md, mc);
		int r2 = upto == 2 ? PCRE2_ERROR_NOMATCH
			 : upto   ? pl_search_upto(r->re, r->re_at, &r->starts, text, n, at, last,
						   md2, mc)
				  : pl_rule_search(r, text, n, at, md2, mc);
		if (r1 < PCRE2_ERROR_NOMATCH || r2 < PCRE2_ERROR_NOMATCH) {
			if (r1 >= 0 || r2 >= 0)
				fuzz_fail("rules: a match on one side, a limit error on the other");
		} else {
			PCRE2_SIZE *o1 = pcre2_get_ovector_pointer(md);
			PCRE2_SIZE *o2 = pcre2_get_ovector_pointer(md2);
			if (r1 != r2)
				fuzz_fail("rules: pl_search and pcre2_match disagree on a match");
			for (int g = 0; g < r1; g++)
				if (o1[2 * g] != o2[2 * g] || o1[2 * g + 1] != o2[2 * g + 1])
					fuzz_fail("rules: pl_search and pcre2_match find other groups");
		}
		at += at < n ? pl_utf8_seq((const unsigned char *)text + at, n - at) : 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static pl_arena *arena;
	static pcre2_match_context *mc;
	if (arena == NULL) {
		arena = pl_arena_new();
		mc = pl_rules_match_context();
	}
	pl_ruleset rs;
	memset(&rs, 0, sizeof rs);
	pl_err e = {{0}, 0};
	if (pl_rules_load_buffer(&rs, "fuzz.rules", (const char *)data, size, fuzz_rules_kinds,
				 &e) != PL_OK) {
		if (strncmp(e.msg, "fuzz.rules:", 11) != 0 || strstr(e.msg, ": error: ") == NULL)
			fuzz_fail("rules: an error without file:line");
		pl_rules_free(&rs);
		return 0;
	}
	pcre2_match_data *md = pcre2_match_data_create(rs.max_pairs + 1, NULL);
	pcre2_match_data *md2 = pcre2_match_data_create(rs.max_pairs + 1, NULL);
	for (size_t i = 0; i < rs.n; i++) {
		const pl_rule *r = &rs.rules[i];
		if (r->re == NULL || r->id == NULL || r->kind == NULL || r->where == NULL ||
		    r->line < 1 || strcmp(r->file, "fuzz.rules") != 0)
			fuzz_fail("rules: an incomplete rule");
		uint32_t cap = 0;
		pcre2_pattern_info(r->re, PCRE2_INFO_CAPTURECOUNT, &cap);
		if (cap + 1 > rs.max_pairs)
			fuzz_fail("rules: max_pairs too small for a rule");
		for (size_t k = 0; k < r->nexamples; k++) {
			const pl_example *x = &r->examples[k];
			size_t xlen = strlen(x->text);
			fuzz_same_search(r, x->text, xlen, md, md2, mc, 0);
			fuzz_same_search(r, x->text, xlen, md, md2, mc, 1);
			if (pcre2_match(r->re, (PCRE2_SPTR)x->text, xlen, 0, 0, md, mc) >= 0 &&
			    !pl_needs_met(&r->needs, x->text, xlen))
				fuzz_fail("rules: a match without the literals read off its pattern");
			if (strcmp(r->kind, "rule") == 0) {
				pl_doc d;
				memset(&d, 0, sizeof d);
				d.arena = arena;
				d.id = "example";
				d.len = strlen(x->text);
				d.text = pl_strndup(arena, x->text, d.len);
				int n = pl_extract_rule(r, &d, 0, d.len, d.len, md, mc, &e);
				for (int f = 0; n > 0 && f < n; f++)
					if (d.facts[f].end > d.len || d.facts[f].start > d.facts[f].end ||
					    !fuzz_plain_decimal(d.facts[f].value))
						fuzz_fail("rules: a fact outside the example or not a number");
				pl_arena_reset(arena);
			} else {
				(void)pcre2_match(r->re, (PCRE2_SPTR)x->text, strlen(x->text), 0, 0, md,
						  mc);
			}
		}
	}
	pcre2_match_data_free(md);
	pcre2_match_data_free(md2);
	pl_rules_free(&rs);
	return 0;
}
