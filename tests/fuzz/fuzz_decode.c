/* fuzz_decode.c: any bytes through the decode stage.
 * Checks: decode never fails except as error:binary (with a message naming
 * the document); whatever it passes on is valid UTF-8 without NUL; valid
 * UTF-8 text without control bytes or a BOM comes out unchanged. */
#include "fuzz.h"
#include "stage.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static pl_arena *arena;
	static void *state;
	static const pl_opts opts = {.rules_dir = "rules", .max_doc_bytes = 16u << 20};
	pl_err e = {{0}, 0};
	if (arena == NULL) {
		arena = pl_arena_new();
		if (pl_stage_decode.open(&state, &opts, &e) != PL_OK)
			fuzz_fail("decode: open");
	}
	pl_doc d;
	memset(&d, 0, sizeof d);
	d.arena = arena;
	d.id = "fuzz";
	d.bytes = data;
	d.nbytes = size;
	int rc = pl_stage_decode.run(state, &d, &e);
	if (rc == PL_ERR) {
		if (d.status == NULL || strcmp(d.status, "error:binary") != 0)
			fuzz_fail("decode: an error other than error:binary");
		if (strncmp(e.msg, "fuzz: decode: ", 14) != 0)
			fuzz_fail("decode: error message does not name the document and stage");
	} else if (rc == PL_OK || rc == PL_DROP) {
		if (!fuzz_clean_utf8(d.text, d.len))
			fuzz_fail("decode: output is not clean UTF-8");
		if (rc == PL_DROP && (d.status == NULL || strcmp(d.status, "empty") != 0))
			fuzz_fail("decode: dropped a document that is not empty");
		int plain = size > 0 && !(size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0);
		for (size_t i = 0; plain && i < size;) {
			size_t k = pl_utf8_seq(data + i, size - i);
			plain = k > 0 && (data[i] >= 0x20 || data[i] == '\n' || data[i] == '\t' ||
					  data[i] == '\r');
			i += k ? k : 1;
		}
		if (plain && rc == PL_OK && (d.len != size || memcmp(d.text, data, size) != 0))
			fuzz_fail("decode: valid UTF-8 text was changed");
	} else {
		fuzz_fail("decode: run() returned something other than PL_OK/PL_DROP/PL_ERR");
	}
	pl_arena_reset(arena);
	return 0;
}
