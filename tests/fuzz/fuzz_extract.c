/* fuzz_extract.c: any bytes through decode, then the extract stage opened
 * through the stage interface with the project's rules (rules/, or the
 * directory in $BULLETIN_RULES), then written as facts.tsv rows.
 * Checks: extract never fails; the status is unset or warning:match-limit;
 * every fact names its field and rule, has a plain decimal value and a span
 * inside the text, evidence that holds the number; facts are in reading
 * order; and the TSV writer gives one row per fact with the header's fields. */
#include "extract.h"
#include "fuzz.h"
#include "stage.h"
#include "tsv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static pl_arena *arena;
	static void *dec, *ext;
	static pl_opts opts = {.rules_dir = "rules", .max_doc_bytes = 16u << 20};
	pl_err e = {{0}, 0};
	if (arena == NULL) {
		if (getenv("BULLETIN_RULES") != NULL)
			opts.rules_dir = getenv("BULLETIN_RULES");
		arena = pl_arena_new();
		if (pl_stage_decode.open(&dec, &opts, &e) != PL_OK ||
		    pl_stage_extract.open(&ext, &opts, &e) != PL_OK) {
			fprintf(stderr, "%s (run from the project root or set BULLETIN_RULES)\n",
				e.msg);
			fuzz_fail("extract: open");
		}
	}
	pl_doc d;
	memset(&d, 0, sizeof d);
	d.arena = arena;
	d.id = "fuzz";
	d.bytes = data;
	d.nbytes = size;
	d.dup_of = "";
	if (pl_stage_decode.run(dec, &d, &e) != PL_OK) {
		pl_arena_reset(arena);
		return 0;
	}
	/* The first line stands in for the title strip would have found. */
	const char *nl = memchr(d.text, '\n', d.len);
	d.title = pl_strndup(arena, d.text, nl ? (size_t)(nl - d.text) : d.len);
	d.status = NULL;
	if (pl_stage_extract.run(ext, &d, &e) != PL_OK)
		fuzz_fail("extract: run failed");
	if (d.status != NULL && strcmp(d.status, "warning:match-limit") != 0)
		fuzz_fail("extract: unexpected status");
	for (size_t i = 0; i < d.nfacts; i++) {
		const pl_fact *f = &d.facts[i];
		if (f->field == NULL || f->rule == NULL || f->rule_id == NULL || f->unit == NULL)
			fuzz_fail("extract: a fact without field, rule or unit");
		if (!fuzz_plain_decimal(f->value))
			fuzz_fail("extract: a value that is not a plain decimal");
		if (f->start >= f->end || f->end > d.len)
			fuzz_fail("extract: a span outside the text");
		if (i > 0 && f->start < d.facts[i - 1].start)
			fuzz_fail("extract: facts out of reading order");
		if (f->evidence == NULL || !fuzz_clean_utf8(f->evidence, strlen(f->evidence)))
			fuzz_fail("extract: evidence is not clean UTF-8");
		char *num = pl_strndup(arena, d.text + f->start, f->end - f->start);
		if (strstr(f->evidence, num) == NULL)
			fuzz_fail("extract: evidence does not hold the number");
	}
	char *rows = NULL;
	size_t nrows = 0;
	FILE *out = open_memstream(&rows, &nrows);
	if (out == NULL)
		fuzz_fail("extract: open_memstream");
	pl_tsv_facts_header(out);
	pl_tsv_fact_rows(out, &d);
	fclose(out);
	size_t lines = 0, tabs = 0, fields = 0;
	for (size_t i = 0; i < nrows; i++) {
		if (rows[i] == '\t')
			tabs++;
		if (rows[i] == '\n') {
			if (lines == 0)
				fields = tabs; /* the header's */
			else if (tabs != fields)
				fuzz_fail("extract: a facts.tsv row with other fields than the header");
			lines++;
			tabs = 0;
		}
	}
	if (lines != d.nfacts + 1 || rows[nrows - 1] != '\n')
		fuzz_fail("extract: not one whole facts.tsv row per fact");
	free(rows);
	pl_arena_reset(arena);
	return 0;
}
