/* fuzz_normalise.c: any bytes through decode, then normalise, as the
 * pipeline runs them.
 * Checks: normalise never fails on decode's output; its text is valid UTF-8
 * without NUL, CR, tab or doubled spaces, no line ends in a space, and the
 * script is named; and it is the text a second normalise gives that sends
 * everything through OpenCC whole (opened as with dictionaries it does not
 * know), so OpenCC's work by runs changes nothing. */
#include <stdlib.h>

#include "fuzz.h"
#include "stage.h"

static pl_arena *arena;
static void *dec, *norm, *norm_whole;

static void fuzz_normalise_open(void)
{
	static const pl_opts opts = {.rules_dir = "rules", .max_doc_bytes = 16u << 20};
	pl_err e = {{0}, 0};
	arena = pl_arena_new();
	if (pl_stage_decode.open(&dec, &opts, &e) != PL_OK ||
	    pl_stage_normalise.open(&norm, &opts, &e) != PL_OK) {
		fprintf(stderr, "%s\n", e.msg);
		fuzz_fail("normalise: open");
	}
	if (e.msg[0] != '\0') {
		fprintf(stderr, "%s\n", e.msg);
		fuzz_fail("normalise: does not know the installed OpenCC dictionaries");
	}
	setenv("BULLETIN_OPENCC_DIR", "/nonexistent", 1);
	if (pl_stage_normalise.open(&norm_whole, &opts, &e) != PL_OK)
		fuzz_fail("normalise: open (whole)");
	unsetenv("BULLETIN_OPENCC_DIR");
}

#ifndef STANDALONE
/* Called by libFuzzer before the first input: opening normalise (OpenCC's
 * dictionaries, the table of traditional characters) takes seconds under
 * ASan on a busy machine, and must not count against -timeout. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_normalise_open();
	return 0;
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pl_err e = {{0}, 0};
	if (arena == NULL)
		fuzz_normalise_open();
	pl_doc d;
	memset(&d, 0, sizeof d);
	d.arena = arena;
	d.id = "fuzz";
	d.bytes = data;
	d.nbytes = size;
	if (pl_stage_decode.run(dec, &d, &e) == PL_OK) {
		pl_doc whole = d;
		whole.text = pl_strndup(arena, d.text, d.len);
		if (pl_stage_normalise.run(norm_whole, &whole, &e) != PL_OK)
			fuzz_fail("normalise (whole): failed on decode's output");
		int rc = pl_stage_normalise.run(norm, &d, &e);
		if (rc != PL_OK) {
			fprintf(stderr, "%s\n", e.msg);
			fuzz_fail("normalise: failed on decode's output");
		}
		if (!fuzz_clean_utf8(d.text, d.len))
			fuzz_fail("normalise: output is not clean UTF-8");
		if (memchr(d.text, '\r', d.len) || memchr(d.text, '\t', d.len) ||
		    strstr(d.text, "  ") || strstr(d.text, " \n"))
			fuzz_fail("normalise: whitespace not folded");
		if (d.len > 0 && (d.text[d.len - 1] == ' ' || d.text[d.len - 1] == '\n'))
			fuzz_fail("normalise: trailing space or newline");
		if (d.script == NULL)
			fuzz_fail("normalise: no script");
		if (whole.len != d.len || memcmp(whole.text, d.text, d.len) != 0 ||
		    strcmp(whole.script, d.script) != 0)
			fuzz_fail("normalise: t2s by runs differs from OpenCC over the whole text");
	}
	pl_arena_reset(arena);
	return 0;
}
