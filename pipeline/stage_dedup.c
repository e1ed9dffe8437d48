/* stage_dedup.c: duplicates, inside one document and across documents.
 * Inside: scraped pages often print the whole article twice (a print view,
 * a mobile copy); every paragraph of the second copy is dropped.
 * Across: the text left is signed (MinHash and number tokens, minhash.h)
 * and looked up among the originals seen before it, in this run or (when
 * main.c preloads them from the state) in earlier runs. A match sets
 * d->dup_of to the first copy's doc_id and status "duplicate" (a warning
 * status is kept: it says more); the document still goes on to extract, so
 * its facts are written and marked with dup_of. An original is added to the
 * index; a duplicate is not, so dup_of always names an original.
 * In:  d->text, one paragraph per line (strip's output).
 * Out: d->text without repeated paragraphs (arena); d->dropped_lines grows;
 *      d->minhash, d->nums (arena); d->dup_of; status "empty" when nothing
 *      is left.
 * Owns: the index of originals (state: malloc'd copies of doc_ids,
 *      signatures and number tokens; never an arena pointer).
 * Errors: out of memory in the index fails the document, not the run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "minhash.h"
#include "stage.h"
#include "utf8.h"

/* State: NULL when --no-dedup; otherwise the index of originals, or a
 * NULL index when the caller resolves duplicates itself (o->dedup_defer:
 * the worker threads of -j sign documents in parallel, search the index
 * the main thread adds to (shared, with a scratch of their own), and
 * main.c finishes each lookup in input order with pl_dedup_resolve()). */
typedef struct dedup_state {
	pl_dupindex *index;     /* owned */
	pl_dupindex *shared;    /* o->dedup_shared: main.c's */
	pl_dupscratch *scratch; /* owned; with shared */
} dedup_state;

static int dedup_open(void **state, const pl_opts *o, pl_err *e)
{
	*state = NULL;
	if (o->no_dedup)
		return PL_OK;
	dedup_state *st = calloc(1, sizeof *st);
	int ok = st != NULL; /* one thing at most is allocated below */
	if (ok && !o->dedup_defer)
		ok = (st->index = pl_dupindex_new(PL_DUP_THRESHOLD, pl_dedup_window(o))) != NULL;
	else if (ok && (st->shared = o->dedup_shared) != NULL)
		ok = (st->scratch = pl_dupscratch_new()) != NULL;
	if (!ok) {
		free(st);
		return pl_errf(e, PL_EFATAL, "dedup: out of memory");
	}
	*state = st;
	return PL_OK;
}

static void dedup_close(void *state)
{
	dedup_state *st = state;
	if (st != NULL) {
		pl_dupindex_free(st->index);
		pl_dupscratch_free(st->scratch);
	}
	free(st);
}

size_t pl_dedup_window(const pl_opts *o)
{
	return o->dedup_window ? o->dedup_window : PL_DUP_WINDOW;
}

pl_dupindex *pl_dedup_index(void *state)
{
	dedup_state *st = state;
	return st != NULL ? st->index : NULL;
}

/* Signs d->text (d->minhash, d->nums), unless it is too short to sign. */
static void dedup_sign(pl_doc *d)
{
	uint32_t *min = pl_alloc(d->arena, PL_MINHASH_N * sizeof *min);
	uint64_t *nums;
	size_t nnums;
	if (pl_sig_compute(d->text, d->len, min, &nums, &nnums, d->arena) == 0)
		return; /* too short to sign: never a duplicate */
	d->minhash = min;
	d->nums = nums;
	d->nnums = nnums;
}

int pl_dedup_resolve(pl_dupindex *x, pl_doc *d, pl_err *e)
{
	if (d->minhash == NULL)
		return PL_OK;
	const char *orig = d->dup_searched ? pl_dupindex_resolve(x, d->minhash, d->nums, d->nnums,
								 d->dup_found, d->dup_upto)
					   : pl_dupindex_find(x, d->minhash, d->nums, d->nnums, NULL);
	if (orig != NULL) {
		d->dup_of = pl_strndup(d->arena, orig, strlen(orig));
		if (d->status == NULL || strcmp(d->status, "ok") == 0)
			d->status = "duplicate";
		return PL_OK;
	}
	if (pl_dupindex_add(x, d->id, d->minhash, d->nums, d->nnums, e) != PL_OK) {
		char msg[sizeof e->msg];
		snprintf(msg, sizeof msg, "%s", e->msg);
		return pl_errf(e, PL_EDOC, "%s: %s", d->id, msg);
	}
	return PL_OK;
}

/* A hash of the paragraph with spaces ignored, so a copy that differs only
 * in indentation or spacing is still a copy. The bytes that are not spaces
 * are packed eight to a word, and each word is mixed in: a multiply per
 * eight bytes, where one per byte (FNV-1a, as before) was a chain of
 * multiplies the processor could not overlap. Eight bytes without a space
 * are packed at once; the packing is the same as byte by byte. */
static uint64_t dedup_mix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
	return h ^ (h >> 29);
}

/* Packs byte c after the *have bytes in *acc, mixing a full word into *h. */
static void dedup_pack(unsigned char c, uint64_t *acc, unsigned *have, uint64_t *h)
{
	*acc |= (uint64_t)c << (8 * *have);
	if (++*have == 8) {
		*h = dedup_mix(*h, *acc);
		*acc = 0;
		*have = 0;
	}
}

static uint64_t dedup_hash(const char *s, size_t n)
{
	const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
	const uint64_t spaces = ones * ' ';
	uint64_t h = 1469598103934665603ULL, acc = 0;
	unsigned have = 0; /* bytes packed into acc, 0..7 */
	size_t kept = 0, i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w = pl_load8(s + i); /* the first byte lowest, as packed */
		uint64_t x = w ^ spaces;
		if (((x - ones) & ~x & high) == 0) { /* no space among the eight */
			h = dedup_mix(h, acc | (have ? w << (8 * have) : w));
			acc = have ? w >> (64 - 8 * have) : 0;
			kept += 8;
			continue;
		}
		for (size_t k = 0; k < 8; k++)
			if (s[i + k] != ' ') {
				dedup_pack((unsigned char)s[i + k], &acc, &have, &h);
				kept++;
			}
	}
	for (; i < n; i++)
		if (s[i] != ' ') {
			dedup_pack((unsigned char)s[i], &acc, &have, &h);
			kept++;
		}
	h = dedup_mix(dedup_mix(h, acc), kept); /* the count tells trailing NULs apart */
	return h ? h : 1;
}

static int dedup_run(void *state, pl_doc *d, pl_err *e)
{
	size_t nlines = 1 + pl_count_byte(d->text, d->len, '\n');
	size_t cap = 16;
	while (cap < nlines * 2)
		cap *= 2;
	uint64_t *seen = pl_alloc(d->arena, cap * sizeof *seen);
	unsigned char *repeated = pl_alloc(d->arena, nlines); /* per line */
	size_t dropped = 0, line = 0;
	for (const char *s = d->text, *end = d->text + d->len; s < end; line++) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		if (nl == NULL)
			nl = end;
		size_t len = (size_t)(nl - s);
		/* Short lines (a heading such as 一、, a date) legitimately
		 * repeat; only paragraphs of some length count as copies. */
		if (len >= 30) {
			uint64_t h = dedup_hash(s, len);
			size_t k = (size_t)h & (cap - 1);
			while (seen[k] != 0 && seen[k] != h)
				k = (k + 1) & (cap - 1);
			repeated[line] = seen[k] == h;
			dropped += repeated[line];
			seen[k] = h;
		}
		s = nl + 1;
	}
	/* The kept lines joined by line ends: the text itself when nothing
	 * was dropped and no line end leads or trails (strip's output). */
	if (dropped > 0 || (d->len > 0 && (d->text[0] == '\n' || d->text[d->len - 1] == '\n'))) {
		pl_buf out;
		pl_buf_init(&out, d->arena, d->len + 1);
		line = 0;
		for (const char *s = d->text, *end = d->text + d->len; s < end; line++) {
			const char *nl = memchr(s, '\n', (size_t)(end - s));
			if (nl == NULL)
				nl = end;
			if (!repeated[line]) {
				if (out.len)
					pl_buf_addc(&out, '\n');
				pl_buf_add(&out, s, (size_t)(nl - s));
			}
			s = nl + 1;
		}
		d->text = out.data;
		d->len = out.len;
	}
	d->dropped_lines += dropped;
	if (d->len == 0) {
		d->status = "empty";
		pl_errf(e, PL_EDOC, "%s: dedup: no body text left after stripping", d->id);
		return PL_DROP;
	}
	dedup_state *st = state;
	if (st == NULL)
		return PL_OK;
	dedup_sign(d);
	if (st->index != NULL)
		return pl_dedup_resolve(st->index, d, e);
	if (st->shared != NULL && d->minhash != NULL) {
		pl_dupindex_search(st->shared, st->scratch, d->minhash, d->nums, d->nnums,
				   &d->dup_found, &d->dup_upto);
		d->dup_searched = 1;
	}
	return PL_OK;
}

const pl_stage pl_stage_dedup = {
	.name = "dedup", .open = dedup_open, .run = dedup_run, .close = dedup_close,
};
