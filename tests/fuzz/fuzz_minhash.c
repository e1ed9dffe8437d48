/* fuzz_minhash.c: valid UTF-8 (what the dedup stage signs: clean text)
 * through pl_sig_compute() and the index of originals. Other bytes are
 * passed over, as the signature assumes valid UTF-8.
 * Checks: the same text signs the same twice; the number tokens are sorted,
 * distinct and at most PL_SIG_MAX_NUMS; a text without shingles has every
 * minimum at UINT32_MAX; a text with shingles agrees with itself on every
 * bin, prints no number in conflict with itself, and an index holding it
 * finds it again. Built with clang, this also reads the signature's code as
 * clang orders it (a gcc build read a call's arguments in another order). */
#include "fuzz.h"
#include "minhash.h"

typedef struct fuzz_sig {
	uint32_t min[PL_MINHASH_N];
	uint64_t *nums;
	size_t nnums, nshingles;
} fuzz_sig;

static void fuzz_sign(const char *s, size_t n, fuzz_sig *out, pl_arena *a)
{
	out->nshingles = pl_sig_compute(s, n, out->min, &out->nums, &out->nnums, a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (size_t i = 0; i < size;) {
		size_t k = pl_utf8_seq(data + i, size - i);
		if (k == 0)
			return 0;
		i += k;
	}
	/* in a buffer of its own size, so ASan sees any read past the end */
	char *s = malloc(size > 0 ? size : 1);
	pl_arena *a = pl_arena_new();
	if (s == NULL || a == NULL)
		fuzz_fail("minhash: out of memory");
	if (size > 0)
		memcpy(s, data, size);
	fuzz_sig x, y;
	fuzz_sign(s, size, &x, a);
	fuzz_sign(s, size, &y, a);
	if (x.nshingles != y.nshingles || memcmp(x.min, y.min, sizeof x.min) != 0 ||
	    x.nnums != y.nnums ||
	    (x.nnums > 0 && memcmp(x.nums, y.nums, x.nnums * sizeof *x.nums) != 0))
		fuzz_fail("minhash: the same text signs differently");
	if (x.nnums > PL_SIG_MAX_NUMS || (x.nnums > 0) != (x.nums != NULL))
		fuzz_fail("minhash: number token count");
	for (size_t i = 1; i < x.nnums; i++)
		if (x.nums[i - 1] >= x.nums[i])
			fuzz_fail("minhash: number tokens not sorted and distinct");
	if (x.nshingles == 0) {
		for (size_t b = 0; b < PL_MINHASH_N; b++)
			if (x.min[b] != UINT32_MAX)
				fuzz_fail("minhash: a text without shingles has a minimum");
	} else {
		if (pl_sig_similarity(x.min, y.min) != 1.0)
			fuzz_fail("minhash: a signature differs from itself");
		if (pl_sig_num_conflicts(x.nums, x.nnums, x.nums, x.nnums) != 0)
			fuzz_fail("minhash: numbers in conflict with themselves");
		/* a window of one: the second copy added drops the first
		 * from every band table, and is found in its place */
		pl_dupindex *ix = pl_dupindex_new(PL_DUP_THRESHOLD, 1);
		pl_err e = {{0}, 0};
		if (ix == NULL || pl_dupindex_add(ix, "old", x.min, x.nums, x.nnums, &e) != PL_OK ||
		    pl_dupindex_add(ix, "fuzz", x.min, x.nums, x.nnums, &e) != PL_OK)
			fuzz_fail("minhash: index: out of memory");
		if (pl_dupindex_count(ix) != 1 || pl_dupindex_dropped(ix) != 1)
			fuzz_fail("minhash: index: a window of one holds one");
		double sim = 0;
		const char *found = pl_dupindex_find(ix, y.min, y.nums, y.nnums, &sim);
		if (found == NULL || strcmp(found, "fuzz") != 0 || sim != 1.0)
			fuzz_fail("minhash: the index does not find the text it holds");
		/* the -j lookup: a search, then "fuzz" again added (dropping
		 * the one found): resolved, the newest is the answer */
		pl_dupscratch *sc = pl_dupscratch_new();
		uint64_t seq = 0, upto = 0;
		if (sc == NULL)
			fuzz_fail("minhash: scratch: out of memory");
		pl_dupindex_search(ix, sc, y.min, y.nums, y.nnums, &seq, &upto);
		if (seq != 2 || upto != 2 || pl_dupindex_add(ix, "again", x.min, x.nums, x.nnums, &e) != PL_OK)
			fuzz_fail("minhash: the search does not find the text the index holds");
		found = pl_dupindex_resolve(ix, y.min, y.nums, y.nnums, seq, upto);
		if (found == NULL || strcmp(found, "again") != 0)
			fuzz_fail("minhash: a search resolved after the window moved");
		pl_dupscratch_free(sc);
		pl_dupindex_free(ix);
	}
	pl_arena_free(a);
	free(s);
	return 0;
}
