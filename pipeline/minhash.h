/* minhash.h: near-duplicate detection across documents.
 *
 * A document's signature has two parts, both computed from its clean text:
 * - min[]: MinHash over character 5-grams (whitespace and punctuation
 *   skipped, digits kept): 128 32-bit minima, one per bin of a single hash
 *   (one-permutation MinHash, densified; minhash.c says why). The share of
 *   equal minima estimates the Jaccard similarity of the two 5-gram sets.
 * - nums[]: the numbers of the text, each with its context (the 4 characters
 *   before it and the 1 after), sorted. Two texts conflict when they print
 *   different numbers in the same context: weekly progress reports that
 *   differ only in their figures are different notices.
 * An index (pl_dupindex) holds the signatures of the last originals seen
 * (a window, so that its memory is bounded), with LSH banding (16 bands of
 * 8 rows) to find candidates quickly. */
#ifndef PL_MINHASH_H
#define PL_MINHASH_H

#include <stddef.h>
#include <stdint.h>

#include "doc.h"

#define PL_MINHASH_N 128
#define PL_MINHASH_BANDS 16
#define PL_MINHASH_ROWS 8   /* PL_MINHASH_BANDS * PL_MINHASH_ROWS == PL_MINHASH_N */
#define PL_SHINGLE 5        /* code points per shingle */
#define PL_SIG_MAX_NUMS 512 /* number tokens kept per document (smallest keys) */
#define PL_DUP_THRESHOLD 0.8
#define PL_DUP_WINDOW 100000 /* originals the index keeps, by default */

/* Computes the signature of text[0..len). min gets PL_MINHASH_N values;
 * *nums gets a sorted array of *nnums number tokens allocated in a (freed
 * with the arena). Returns the number of distinct shingles seen; 0 means
 * the text is too short for a signature (min is then all 0xffffffff). */
size_t pl_sig_compute(const char *text, size_t len, uint32_t *min, uint64_t **nums,
		      size_t *nnums, pl_arena *a);

/* Estimated Jaccard similarity of two signatures: the share of equal minima. */
double pl_sig_similarity(const uint32_t *a, const uint32_t *b);

/* Number of contexts in which a and b (sorted number tokens) print different
 * numbers, each side having one the other lacks. 0: the numbers agree. */
size_t pl_sig_num_conflicts(const uint64_t *a, size_t na, const uint64_t *b, size_t nb);

typedef struct pl_dupindex pl_dupindex;

/* A new, empty index of originals. threshold: the similarity at or above
 * which a candidate is confirmed. window: the originals it keeps, the
 * latest added; once it holds that many, adding one drops the oldest (0:
 * no limit). Returns NULL on OOM; free with pl_dupindex_free(). */
pl_dupindex *pl_dupindex_new(double threshold, size_t window);
void pl_dupindex_free(pl_dupindex *x); /* accepts NULL */

/* The first original held (in the order they were added) that the
 * signature duplicates: all the minima of some band equal (the LSH
 * candidates), similarity >= threshold and no number conflict. On the
 * thread that adds (see below for the others).
 * Returns its doc_id, owned by the index and valid until the next
 * pl_dupindex_add() (which may drop it) or pl_dupindex_free(), or NULL.
 * *sim (if not NULL) gets the similarity of the match. */
const char *pl_dupindex_find(pl_dupindex *x, const uint32_t *min, const uint64_t *nums,
			     size_t nnums, double *sim);

/* The -j lookup, in two halves. pl_dupindex_search(), on any thread with
 * a scratch of its own, under the index's read lock: *found gets the
 * sequence number (1 for the first original added, and so on) of what
 * pl_dupindex_find() would answer now, 0 for none; *upto the sequence
 * number of the newest original held. Later, in input order, on the thread
 * that adds, pl_dupindex_resolve() gives pl_dupindex_find()'s answer for
 * the index as it is then: the one found if it is still held, else one of
 * the originals added after upto (few: those added while the document was
 * in flight), compared one by one; a full lookup again only when the one
 * found has left the window since. */
typedef struct pl_dupscratch pl_dupscratch;
pl_dupscratch *pl_dupscratch_new(void); /* NULL on OOM */
void pl_dupscratch_free(pl_dupscratch *s); /* accepts NULL */
void pl_dupindex_search(pl_dupindex *x, pl_dupscratch *s, const uint32_t *min,
			const uint64_t *nums, size_t nnums, uint64_t *found, uint64_t *upto);
const char *pl_dupindex_resolve(pl_dupindex *x, const uint32_t *min, const uint64_t *nums,
				size_t nnums, uint64_t found, uint64_t upto);

/* Adds an original; id, min and nums are copied (the caller keeps its own).
 * Returns PL_OK, or PL_ERR with e filled in when memory runs out. */
int pl_dupindex_add(pl_dupindex *x, const char *id, const uint32_t *min, const uint64_t *nums,
		    size_t nnums, pl_err *e);

/* Number of originals in the index, and of those dropped from it to keep
 * within its window. */
size_t pl_dupindex_count(const pl_dupindex *x);
size_t pl_dupindex_dropped(const pl_dupindex *x);
/* The most originals it keeps: its window, SIZE_MAX when it has none. */
size_t pl_dupindex_window(const pl_dupindex *x);

/* The dedup stage's index, given the state its open() made (for main.c,
 * which preloads the originals of earlier runs). NULL if cross-document
 * dedup is off. */
pl_dupindex *pl_dedup_index(void *dedup_state);

/* The cross-document step for a document the dedup stage has signed
 * (d->minhash; an unsigned document is left alone): a duplicate of an
 * original in x gets dup_of and status "duplicate" (a warning or error
 * status is kept: it says more); an original is added to x. Called in
 * input order, so dup_of names the first copy. Returns PL_OK, or PL_ERR
 * with e filled when memory runs out. */
int pl_dedup_resolve(pl_dupindex *x, pl_doc *d, pl_err *e);

#endif
