/* fuzz_html.c: any bytes through decode, then pl_html_extract().
 * Checks: extraction succeeds or fails with a message; the text is valid
 * UTF-8 without NUL, one paragraph per line (no blank line, no newline at
 * either end), paragraphs counts its lines, len is its length, and the
 * title, date and publisher are valid UTF-8. */
#include "fuzz.h"
#include "html.h"
#include "stage.h"

static void fuzz_html_string(const char *s, const char *what)
{
	if (s != NULL && !fuzz_clean_utf8(s, strlen(s)))
		fuzz_fail(what);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static pl_arena *arena;
	static void *dec;
	static const pl_opts opts = {.rules_dir = "rules", .max_doc_bytes = 16u << 20};
	pl_err e = {{0}, 0};
	if (arena == NULL) {
		arena = pl_arena_new();
		if (pl_stage_decode.open(&dec, &opts, &e) != PL_OK)
			fuzz_fail("html: decode open");
	}
	/* Both entry points that only look at the raw bytes. */
	char cs[64];
	(void)pl_html_sniff(data, size);
	if (pl_html_declared_charset(data, size, cs, sizeof cs) &&
	    memchr(cs, '\0', sizeof cs) == NULL)
		fuzz_fail("html: declared charset not NUL-terminated");
	pl_doc d;
	memset(&d, 0, sizeof d);
	d.arena = arena;
	d.id = "fuzz";
	d.bytes = data;
	d.nbytes = size;
	if (pl_stage_decode.run(dec, &d, &e) == PL_OK) {
		pl_html h;
		memset(&h, 0, sizeof h);
		if (pl_html_extract(arena, d.text, d.len, &h, &e) == PL_OK) {
			if (h.text == NULL || !fuzz_clean_utf8(h.text, h.len) || strlen(h.text) != h.len)
				fuzz_fail("html: text is not clean UTF-8 of length len");
			if (h.len > 0 && (h.text[0] == '\n' || h.text[h.len - 1] == '\n' ||
					  strstr(h.text, "\n\n") != NULL))
				fuzz_fail("html: blank line or newline at an end");
			size_t lines = h.len > 0;
			for (size_t i = 0; i < h.len; i++)
				lines += h.text[i] == '\n';
			if (lines != h.paragraphs)
				fuzz_fail("html: paragraphs is not the number of lines");
			fuzz_html_string(h.title, "html: title is not clean UTF-8");
			fuzz_html_string(h.date, "html: date is not clean UTF-8");
			fuzz_html_string(h.publisher, "html: publisher is not clean UTF-8");
		} else if (e.msg[0] == '\0') {
			fuzz_fail("html: PL_ERR without a message");
		}
	}
	pl_arena_reset(arena);
	return 0;
}
