/* minhash.c: signatures of clean texts and the index of originals
 * (see minhash.h). Everything here is plain malloc or the caller's arena;
 * the index never holds a pointer into an arena. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "minhash.h"
#include "utf8.h"

/* splitmix64's finaliser: a cheap, well-mixed 64-bit hash step. */
static uint64_t minhash_mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

/* The signature is one-permutation MinHash (Li, Owen and Zhang, 2012):
 * each shingle is hashed once to 64 bits; the top 7 bits pick one of the
 * 128 bins, the low 32 bits are its value, and each bin keeps its minimum.
 * Two texts agree on a bin with probability equal to the Jaccard similarity
 * of their shingle sets, as with 128 separate hash functions, at 1/128 of
 * the cost (measured: bench/dedup.sh). A bin no shingle fell into borrows
 * from the next non-empty bin to its right, plus a constant times the
 * distance (densification by rotation, Shrivastava and Li, 2014), so that
 * short texts still give comparable signatures. The hash is fixed (no
 * random seed), so signatures are the same on every machine and may be
 * stored. */
#define MINHASH_BIN_SHIFT 57 /* 64 - log2(PL_MINHASH_N) */
#define MINHASH_ROTATE 0x9e3779b9u

/* Characters a shingle is made of: letters, Han, digits and other symbols.
 * Whitespace and punctuation are skipped, so reposts that differ in spacing,
 * in full- or half-width punctuation or in quotation marks still agree, and
 * U+FFFD (an invalid byte) is skipped too. */
static int minhash_keep(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
		       (cp >= 'A' && cp <= 'Z');
	if (cp == 0x3007) /* 〇, a numeral */
		return 1;
	if ((cp >= 0x2000 && cp <= 0x206f) || (cp >= 0x3000 && cp <= 0x303f) ||
	    (cp >= 0xfe10 && cp <= 0xfe1f) || (cp >= 0xfe30 && cp <= 0xfe6f) ||
	    (cp >= 0xff00 && cp <= 0xff0f) || (cp >= 0xff1a && cp <= 0xff20) ||
	    (cp >= 0xff3b && cp <= 0xff40) || (cp >= 0xff5b && cp <= 0xff65) ||
	    cp == 0xa0 || cp == 0xb7 || cp == 0xfffd || cp == 0xfeff)
		return 0;
	return 1;
}

static int minhash_space(uint32_t cp)
{
	return cp <= 0x20 || cp == 0xa0 || cp == 0x3000 || cp == 0xfeff;
}

static int minhash_cmp64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return a < b ? -1 : a > b;
}

/* Sorts tok[0..n), drops repeats, keeps the PL_SIG_MAX_NUMS smallest (so
 * two texts keep the same contexts). Returns the new count. */
static size_t minhash_compact(uint64_t *tok, size_t n)
{
	if (n > 1) {
		qsort(tok, n, sizeof *tok, minhash_cmp64);
		size_t u = 1;
		for (size_t i = 1; i < n; i++)
			if (tok[i] != tok[u - 1])
				tok[u++] = tok[i];
		n = u;
	}
	return n > PL_SIG_MAX_NUMS ? PL_SIG_MAX_NUMS : n;
}

/* The index of the first ASCII digit in s[i..n), or n. Sixteen bytes at a
 * time: most of a text holds none. */
static size_t minhash_next_digit(const unsigned char *s, size_t i, size_t n)
{
	for (; i < n && n - i >= 16; i += 16) {
		pl_v16 v = pl_v16_load(s + i);
		if (pl_v16_any((pl_v16)(v - '0') < 10))
			break;
	}
	for (; i < n; i++)
		if (s[i] >= '0' && s[i] <= '9')
			return i;
	return n;
}

/* The 4 non-space characters before s[i], oldest in r[0], 0 where there
 * are fewer: read backwards (the text is valid UTF-8). */
static void minhash_left(const unsigned char *s, size_t i, uint32_t r[4])
{
	r[0] = r[1] = r[2] = r[3] = 0;
	for (int k = 3; k >= 0 && i > 0;) {
		size_t j = i - 1;
		while (j > 0 && (s[j] & 0xC0) == 0x80)
			j--;
		size_t cl;
		uint32_t cp = pl_utf8_decode((const char *)s + j, &cl);
		i = j;
		if (!minhash_space(cp))
			r[k--] = cp;
	}
}

/* Number tokens: (context key << 24) | value hash, 40 + 24 bits. The
 * context is the 4 non-space characters before the digits and the 1 after;
 * the value is the digit string (with a decimal point between digits).
 * Returns the count; *out is malloc'd (caller frees) or NULL when none. */
static size_t minhash_numbers(const char *text, size_t len, uint64_t **out)
{
	const unsigned char *u = (const unsigned char *)text;
	uint64_t *tok = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = minhash_next_digit(u, 0, len); i < len; i = minhash_next_digit(u, i, len)) {
		uint32_t r[4];
		minhash_left(u, i, r);
		uint64_t left = 0;
		for (size_t k = 0; k < 4; k++)
			left = minhash_mix(left ^ r[k]) + k;
		uint64_t value = 0xcbf29ce484222325ULL;
		while (i < len) {
			unsigned char c = u[i];
			int dot = c == '.' && i + 1 < len && u[i + 1] >= '0' && u[i + 1] <= '9';
			if (!(c >= '0' && c <= '9') && !dot)
				break;
			value = (value ^ c) * 0x100000001b3ULL;
			i++;
		}
		uint32_t right = 0;
		for (size_t j = i; j < len;) {
			size_t cl;
			uint32_t cp = pl_utf8_decode(text + j, &cl);
			j += cl ? cl : 1;
			if (!minhash_space(cp)) {
				right = cp;
				break;
			}
		}
		uint64_t key = minhash_mix(left ^ ((uint64_t)right << 1));
		uint64_t t = (key & ~0xffffffULL) | (minhash_mix(value) & 0xffffff);
		/* Bounded memory on a text made of numbers: the smallest
		 * tokens of a prefix are all that can survive into the
		 * smallest of the whole. */
		if (n == 65536)
			n = minhash_compact(tok, n);
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			uint64_t *nt = realloc(tok, ncap * sizeof *nt);
			if (nt == NULL) /* keep what we have: fewer tokens, fewer conflicts */
				break;
			tok = nt;
			cap = ncap;
		}
		tok[n++] = t;
	}
	*out = tok;
	return n;
}

/* The shingle hash is the polynomial sum over the window of (cp + 1) times
 * powers of MINHASH_POLY, modulo 2^64, so it rolls: one multiply-add per
 * character in and one per character out, not one per window position. */
#define MINHASH_POLY 0x100000001b3ULL

/* The weights (code point + 1) of the characters a shingle is made of,
 * read from text[*at..len) into w[]: at most cap of them, from at most cap
 * bytes. Returns how many, and moves *at past what was read. */
static size_t minhash_weights(const char *text, size_t len, size_t *at, uint32_t *w, size_t cap)
{
	size_t i = *at, k = 0;
	const size_t end = len - i > cap ? i + cap : len; /* a character a byte at most */
	/* below han_end a lead byte has its two bytes after it */
	const size_t han_end = len < 2 ? 0 : end < len - 2 ? end : len - 2;
	while (i < end) {
		unsigned char c = (unsigned char)text[i];
		if (c >= 0xE4 && c <= 0xE9 && i < han_end) {
			/* U+4000..U+9FFF: Han, always kept; most of a text is
			 * runs of them, read here in one loop */
			do {
				w[k++] = (((uint32_t)(c & 0x0F) << 12) |
					  ((uint32_t)(text[i + 1] & 0x3F) << 6) | (text[i + 2] & 0x3F)) +
					 1;
				i += 3;
			} while (i < han_end && (c = (unsigned char)text[i]) >= 0xE4 && c <= 0xE9);
		} else if (c < 0x80) {
			i++;
			if (c >= 'A' && c <= 'Z')
				c += 'a' - 'A';
			else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')))
				continue;
			w[k++] = (uint32_t)c + 1;
		} else {
			size_t cl;
			uint32_t cp = pl_utf8_decode(text + i, &cl);
			i += cl ? cl : 1;
			if (minhash_keep(cp))
				w[k++] = cp + 1;
		}
	}
	*at = i;
	return k;
}

#define MINHASH_CHUNK 1024 /* characters read before they are hashed */

/* The rolling hash a character on: (roll - oldest * top) * POLY + weight,
 * with the oldest's share taken off after the multiply (modulo 2^64 the
 * same): one multiply and one add on the chain from character to
 * character. top_next is POLY^PL_SHINGLE. */
static inline uint64_t minhash_roll(uint64_t roll, uint32_t in, uint32_t out, uint64_t top_next)
{
	return roll * MINHASH_POLY + (in - out * top_next);
}

size_t pl_sig_compute(const char *text, size_t len, uint32_t *min, uint64_t **nums,
		      size_t *nnums, pl_arena *a)
{
	/* The minima as they are found, 64 bits wide: a bin no shingle fell
	 * into keeps 2^32, above every value, so a shingle whose value is
	 * UINT32_MAX needs no test of its own. */
	uint64_t least[PL_MINHASH_N];
	for (size_t i = 0; i < PL_MINHASH_N; i++)
		least[i] = (uint64_t)1 << 32;
	uint64_t top = 1; /* MINHASH_POLY^(PL_SHINGLE - 1): the weight of the oldest */
	for (size_t k = 0; k + 1 < PL_SHINGLE; k++)
		top *= MINHASH_POLY;
	const uint64_t top_next = top * MINHASH_POLY; /* the oldest's weight a step on */
	/* The text is read in two steps, a chunk of characters at a time:
	 * their weights into w[], then the shingles over w[]. Each loop is
	 * small enough for its state to stay in registers (one loop doing
	 * both kept the window in memory). w[0..PL_SHINGLE) holds the last
	 * characters of the chunk before, 0 at first, as if the text began
	 * with characters of weight 0: the oldest taken off is 0 until five
	 * are in, with no test. */
	uint32_t w[PL_SHINGLE + MINHASH_CHUNK];
	memset(w, 0, PL_SHINGLE * sizeof *w); /* the rest is written before it is read */
	/* have: characters kept so far; repeats: shingles hashed once for
	 * a run (below). The shingles seen are counted from the two at the
	 * end: a counter bumped for every shingle was kept in memory. */
	size_t have = 0, repeats = 0, at = 0;
	uint64_t roll = 0, last = 0;
	while (at < len) {
		size_t got = minhash_weights(text, len, &at, w + PL_SHINGLE, MINHASH_CHUNK);
		size_t j = PL_SHINGLE;
		const size_t jend = PL_SHINGLE + got;
		/* The first shingle of the text is kept whatever it is:
		 * the characters before it only roll in. */
		for (; have < PL_SHINGLE && j < jend; j++) {
			roll = minhash_roll(roll, w[j], w[j - PL_SHINGLE], top_next);
			if (++have == PL_SHINGLE) {
				last = minhash_mix(roll);
				least[last >> MINHASH_BIN_SHIFT] = (uint32_t)last;
			}
		}
		have += jend - j; /* the characters of the loop below */
		for (; j < jend; j++) {
			roll = minhash_roll(roll, w[j], w[j - PL_SHINGLE], top_next);
			uint64_t x = minhash_mix(roll);
			/* A run of one character (a rule of dashes, a padded
			 * line) gives the same shingle again and again: hash
			 * it once. */
			if (x == last) {
				repeats++;
				continue;
			}
			last = x;
			size_t bin = (size_t)(x >> MINHASH_BIN_SHIFT);
			uint64_t v = (uint32_t)x, m = least[bin];
			/* Written either way, without a branch: which bin a
			 * shingle falls in, and whether it lowers the
			 * minimum, are a coin toss the processor cannot
			 * predict. */
			least[bin] = v < m ? v : m;
		}
		/* the window's characters, for the next chunk */
		memmove(w, w + got, PL_SHINGLE * sizeof *w);
	}
	/* Which bins hold a shingle: bit b % 64 of filled[b / 64]. */
	_Static_assert(PL_MINHASH_N == 128, "the filled bits are two words");
	uint64_t filled[2] = {0, 0};
	for (size_t b = 0; b < PL_MINHASH_N; b++) {
		uint64_t held = least[b] >> 32 == 0; /* 0: still 2^32 */
		min[b] = held ? (uint32_t)least[b] : UINT32_MAX;
		filled[b / 64] |= held << (b % 64);
	}
	size_t nshingles = have >= PL_SHINGLE ? have - PL_SHINGLE + 1 - repeats : 0;
#define MINHASH_FILLED(b) ((filled[(b) / 64] >> ((b) % 64)) & 1)
	if (nshingles > 0)
		for (size_t i = 0; i < PL_MINHASH_N; i++) {
			if (MINHASH_FILLED(i))
				continue;
			/* some bin is filled (a shingle was seen); bounded
			 * all the same, so a fault here gives wrong minima,
			 * which the tests see, not a loop without end */
			size_t d = 1;
			while (d < PL_MINHASH_N && !MINHASH_FILLED((i + d) % PL_MINHASH_N))
				d++;
			if (d < PL_MINHASH_N)
				min[i] = min[(i + d) % PL_MINHASH_N] + (uint32_t)d * MINHASH_ROTATE;
		}
#undef MINHASH_FILLED

	/* minhash_numbers() sets tok: called first, in a statement of its
	 * own (the order a call's arguments are read in is the compiler's) */
	uint64_t *tok = NULL;
	size_t found = minhash_numbers(text, len, &tok);
	size_t n = minhash_compact(tok, found);
	*nums = NULL;
	*nnums = n;
	if (n > 0) {
		*nums = pl_alloc(a, n * sizeof **nums);
		memcpy(*nums, tok, n * sizeof **nums);
	}
	free(tok);
	return nshingles;
}

double pl_sig_similarity(const uint32_t *a, const uint32_t *b)
{
	size_t same = 0;
	for (size_t i = 0; i < PL_MINHASH_N; i++)
		same += a[i] == b[i];
	return (double)same / PL_MINHASH_N;
}

/* pl_sig_num_conflicts, counting no further than stop. */
static size_t minhash_conflicts(const uint64_t *a, size_t na, const uint64_t *b, size_t nb,
				size_t stop)
{
	size_t i = 0, j = 0, conflicts = 0;
	while (i < na && j < nb && conflicts < stop) {
		uint64_t ka = a[i] >> 24, kb = b[j] >> 24;
		if (ka < kb) {
			i++;
			continue;
		}
		if (kb < ka) {
			j++;
			continue;
		}
		/* Same context on both sides: does each print a number the
		 * other does not? (One side having extra numbers is a dropped
		 * or added paragraph, not a conflict.) */
		size_t i2 = i, j2 = j;
		while (i2 < na && a[i2] >> 24 == ka)
			i2++;
		while (j2 < nb && b[j2] >> 24 == kb)
			j2++;
		int a_extra = 0, b_extra = 0;
		size_t x = i, y = j;
		while (x < i2 && y < j2) {
			if (a[x] == b[y]) {
				x++;
				y++;
			} else if (a[x] < b[y]) {
				a_extra = 1;
				x++;
			} else {
				b_extra = 1;
				y++;
			}
		}
		a_extra |= x < i2;
		b_extra |= y < j2;
		conflicts += a_extra && b_extra;
		i = i2;
		j = j2;
	}
	return conflicts;
}

size_t pl_sig_num_conflicts(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
	return minhash_conflicts(a, na, b, nb, SIZE_MAX);
}

/* ---- the index of originals ------------------------------------------ */

/* One LSH table per band: open addressing, entries are (tag, doc + 1) with
 * tag the low 32 bits of the band hash; 0 marks an empty slot. Several
 * documents may share a band hash (that is the point), so a lookup walks
 * the probe sequence up to the first empty slot. An entry's home slot is
 * read off its tag (minhash_home), so that an entry can be moved or
 * deleted without the original's minima. */
typedef struct minhash_slot {
	uint32_t tag, doc;
} minhash_slot;

/* What one thread's lookups write as they go: the candidates, and which
 * originals a lookup has judged. The index has one for the thread that
 * adds (pl_dupindex_find); each -j worker has its own. */
struct pl_dupscratch {
	uint64_t *cand;         /* doc << 8 | band */
	size_t ncand_cap;
	uint32_t *judged;       /* per position: the lookup that judged it */
	size_t njudged;
	uint32_t calls;         /* lookups, for judged */
};

/* The index keeps the last `window` originals (all of them when window is
 * 0): at most that many signatures, so its memory is bounded whatever the
 * corpus size. Originals live in positions 0..cap-1; once the window is
 * full, cap == window and the positions are a ring: a new original takes
 * the position of the oldest (head), which is dropped. Age, the order in
 * which find() prefers originals, is the distance from head; seq numbers
 * the originals from 1 in the order they were added.
 *
 * Threads: only one thread adds (and it may read without a lock); other
 * threads read under the read lock (pl_dupindex_search), and the adding
 * thread writes under the write lock. */
struct pl_dupindex {
	double threshold;
	size_t window;          /* originals kept at most; 0: no limit */
	size_t n, cap;          /* originals held, and positions allocated */
	size_t head;            /* position of the oldest original */
	uint64_t added;         /* originals ever added: the newest's seq */
	size_t dropped;         /* originals that left the window */
	uint32_t *mins;         /* cap * PL_MINHASH_N */
	uint64_t *seq;          /* per position */
	char **ids;             /* per position, malloc'd; freed when dropped */
	uint64_t **nums;        /* per position, malloc'd (NULL when none) */
	size_t *num_len;
	/* cap * MINHASH_SKETCH_WORDS: the low 4 bits of each of an
	 * original's minima, one cache line where mins takes eight, so
	 * that find() can rule most candidates out without reading their
	 * minima */
	uint64_t *sketch;
	minhash_slot *slots[PL_MINHASH_BANDS];
	size_t nslots;          /* per table, a power of two */
	pl_dupscratch own;      /* the adding thread's */
	pthread_rwlock_t lock;
};

#define MINHASH_SKETCH_BITS 4
#define MINHASH_SKETCH_WORDS (PL_MINHASH_N * MINHASH_SKETCH_BITS / 64)

static void minhash_sketch(const uint32_t *min, uint64_t *out)
{
	for (size_t w = 0; w < MINHASH_SKETCH_WORDS; w++) {
		uint64_t v = 0;
		for (size_t k = 0; k < 16; k++)
			v |= (uint64_t)(min[w * 16 + k] & 15) << (4 * k);
		out[w] = v;
	}
}

/* How many bins two sketches agree on: at least as many as the bins
 * whose minima are equal (equal minima have equal low bits). Bins whose
 * minima differ agree here one time in sixteen. */
static size_t minhash_sketch_same(const uint64_t *a, const uint64_t *b)
{
	size_t same = 0;
	for (size_t w = 0; w < MINHASH_SKETCH_WORDS; w++) {
		uint64_t x = a[w] ^ b[w];
		x |= x >> 2;
		x |= x >> 1;
		uint64_t m = ~x & 0x1111111111111111ULL; /* bit 4k: bin k agrees */
		/* add up the 16 bits: two a byte, then the bytes */
		m = (m + (m >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
		same += (size_t)((m * 0x0101010101010101ULL) >> 56);
	}
	return same;
}

static uint64_t minhash_band(const uint32_t *min, size_t band)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL * (band + 1);
	for (size_t r = 0; r < PL_MINHASH_ROWS; r++)
		h = minhash_mix(h ^ min[band * PL_MINHASH_ROWS + r]);
	return h;
}

/* The slot where a probe for tag begins. The tag is a hash, so its low
 * bits serve; a table of more than 2^32 slots would use only the first
 * 2^32 as homes, which costs probes, not answers. */
static size_t minhash_home(uint32_t tag, size_t nslots)
{
	return (size_t)tag & (nslots - 1);
}

pl_dupindex *pl_dupindex_new(double threshold, size_t window)
{
	pl_dupindex *x = calloc(1, sizeof *x);
	if (x == NULL)
		return NULL;
	x->threshold = threshold;
	x->window = window;
	/* The adding thread must not wait behind a stream of readers: the
	 * documents they look up wait for it in turn. */
	pthread_rwlockattr_t attr;
	pthread_rwlockattr_init(&attr);
	pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	int rc = pthread_rwlock_init(&x->lock, &attr);
	pthread_rwlockattr_destroy(&attr);
	if (rc != 0) {
		free(x);
		return NULL;
	}
	return x;
}

static void minhash_scratch_clear(pl_dupscratch *s)
{
	free(s->cand);
	free(s->judged);
}

void pl_dupindex_free(pl_dupindex *x)
{
	if (x == NULL)
		return;
	for (size_t p = 0; p < x->n; p++) { /* positions 0..n-1 are in use */
		free(x->ids[p]);
		free(x->nums[p]);
	}
	free(x->mins);
	free(x->seq);
	free(x->sketch);
	free(x->ids);
	free(x->nums);
	free(x->num_len);
	for (size_t b = 0; b < PL_MINHASH_BANDS; b++)
		free(x->slots[b]);
	minhash_scratch_clear(&x->own);
	pthread_rwlock_destroy(&x->lock);
	free(x);
}

pl_dupscratch *pl_dupscratch_new(void) { return calloc(1, sizeof(pl_dupscratch)); }

void pl_dupscratch_free(pl_dupscratch *s)
{
	if (s == NULL)
		return;
	minhash_scratch_clear(s);
	free(s);
}

size_t pl_dupindex_count(const pl_dupindex *x) { return x ? x->n : 0; }

size_t pl_dupindex_dropped(const pl_dupindex *x) { return x ? x->dropped : 0; }

size_t pl_dupindex_window(const pl_dupindex *x) { return x && x->window ? x->window : SIZE_MAX; }

static void minhash_insert(minhash_slot *t, size_t nslots, uint32_t tag, uint32_t doc)
{
	size_t k = minhash_home(tag, nslots);
	while (t[k].doc != 0)
		k = (k + 1) & (nslots - 1);
	t[k].tag = tag;
	t[k].doc = doc + 1;
}

/* Deletes the entry (tag, doc + 1) from a table, moving back the entries
 * after it in its probe run that would otherwise be cut off from their
 * home (Knuth's algorithm R), so that no lookup needs a marker for a
 * deleted slot. */
static void minhash_delete(minhash_slot *t, size_t nslots, uint32_t tag, uint32_t doc)
{
	size_t mask = nslots - 1, i = minhash_home(tag, nslots);
	while (t[i].doc != doc + 1) {
		if (t[i].doc == 0)
			return; /* not there: never the case for an original held */
		i = (i + 1) & mask;
	}
	for (size_t j = i;;) {
		t[i].doc = 0;
		size_t home;
		do {
			j = (j + 1) & mask;
			if (t[j].doc == 0)
				return;
			home = minhash_home(t[j].tag, nslots);
			/* t[j] stays where it is when its home lies
			 * cyclically in (i, j]: the run from there to j does
			 * not pass the hole */
		} while (i <= j ? (i < home && home <= j) : (i < home || home <= j));
		t[i] = t[j];
		i = j;
	}
}

/* Doubles the band tables (or makes the first ones) and moves the entries
 * over: each one's home is read off its tag. */
static int minhash_grow_tables(pl_dupindex *x)
{
	size_t ns = x->nslots ? x->nslots * 2 : 1024;
	minhash_slot *t[PL_MINHASH_BANDS];
	for (size_t b = 0; b < PL_MINHASH_BANDS; b++) {
		t[b] = calloc(ns, sizeof *t[b]);
		if (t[b] == NULL) {
			while (b-- > 0)
				free(t[b]);
			return PL_ERR;
		}
	}
	for (size_t b = 0; b < PL_MINHASH_BANDS; b++) {
		for (size_t k = 0; k < x->nslots; k++)
			if (x->slots[b][k].doc != 0)
				minhash_insert(t[b], ns, x->slots[b][k].tag, x->slots[b][k].doc - 1);
		free(x->slots[b]);
		x->slots[b] = t[b];
	}
	x->nslots = ns;
	return PL_OK;
}

/* *p to n elements of size elem; *p is kept as it was when that fails. */
static int minhash_resize(void **p, size_t n, size_t elem)
{
	void *np = realloc(*p, n * elem);
	if (np == NULL)
		return PL_ERR;
	*p = np;
	return PL_OK;
}

static int minhash_reserve(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return PL_OK;
	size_t nc = *cap ? *cap : 64;
	while (nc < need)
		nc *= 2;
	if (minhash_resize(p, nc, elem) != PL_OK)
		return PL_ERR;
	*cap = nc;
	return PL_OK;
}

/* Makes room for positions 0..nc-1 (nc > x->cap). */
static int minhash_grow_positions(pl_dupindex *x, size_t nc)
{
	if (minhash_resize((void **)&x->mins, nc, PL_MINHASH_N * sizeof *x->mins) != PL_OK ||
	    minhash_resize((void **)&x->sketch, nc, MINHASH_SKETCH_WORDS * sizeof *x->sketch) != PL_OK ||
	    minhash_resize((void **)&x->seq, nc, sizeof *x->seq) != PL_OK ||
	    minhash_resize((void **)&x->ids, nc, sizeof *x->ids) != PL_OK ||
	    minhash_resize((void **)&x->nums, nc, sizeof *x->nums) != PL_OK ||
	    minhash_resize((void **)&x->num_len, nc, sizeof *x->num_len) != PL_OK)
		return PL_ERR;
	x->cap = nc;
	return PL_OK;
}

/* Drops the original at position p from the band tables and frees what
 * it owns; the position is then free for the next one. */
static void minhash_drop(pl_dupindex *x, size_t p)
{
	const uint32_t *min = x->mins + p * PL_MINHASH_N;
	for (size_t b = 0; b < PL_MINHASH_BANDS; b++)
		minhash_delete(x->slots[b], x->nslots, (uint32_t)minhash_band(min, b), (uint32_t)p);
	free(x->ids[p]);
	free(x->nums[p]);
	x->ids[p] = NULL;
	x->nums[p] = NULL;
	x->dropped++;
}

int pl_dupindex_add(pl_dupindex *x, const char *id, const uint32_t *min, const uint64_t *nums,
		    size_t nnums, pl_err *e)
{
	/* What needs no lock first: the copies and the band hashes. */
	size_t idlen = strlen(id) + 1;
	char *own_id = malloc(idlen);
	uint64_t *own_nums = nnums ? malloc(nnums * sizeof *nums) : NULL;
	if (own_id == NULL || (nnums && own_nums == NULL)) {
		free(own_id);
		free(own_nums);
		return pl_errf(e, PL_EFATAL, "dedup: out of memory after %zu originals", x->n);
	}
	memcpy(own_id, id, idlen);
	if (nnums)
		memcpy(own_nums, nums, nnums * sizeof *nums);
	uint32_t tag[PL_MINHASH_BANDS];
	for (size_t b = 0; b < PL_MINHASH_BANDS; b++)
		tag[b] = (uint32_t)minhash_band(min, b);

	pthread_rwlock_wrlock(&x->lock);
	int full = x->window > 0 && x->n == x->window;
	if (!full && x->n >= UINT32_MAX - 1) {
		pthread_rwlock_unlock(&x->lock);
		free(own_id);
		free(own_nums);
		return pl_errf(e, PL_EFATAL, "dedup: more than %u originals", UINT32_MAX - 1);
	}
	if (!full && x->n == x->cap) {
		size_t nc = x->cap ? x->cap * 2 : 1024;
		if (x->window > 0 && nc > x->window)
			nc = x->window;
		if (minhash_grow_positions(x, nc) != PL_OK)
			goto oom;
	}
	/* Tables at most half full keep probe runs short. */
	if (!full && (x->n + 1) * 2 > x->nslots && minhash_grow_tables(x) != PL_OK)
		goto oom;
	size_t d;
	if (full) { /* the oldest makes room: its position is the newest's */
		d = x->head;
		minhash_drop(x, d);
		x->head = (x->head + 1) % x->cap;
	} else {
		d = x->n++;
	}
	memcpy(x->mins + d * PL_MINHASH_N, min, PL_MINHASH_N * sizeof *min);
	minhash_sketch(min, x->sketch + d * MINHASH_SKETCH_WORDS);
	x->seq[d] = ++x->added;
	x->ids[d] = own_id;
	x->nums[d] = own_nums;
	x->num_len[d] = nnums;
	for (size_t b = 0; b < PL_MINHASH_BANDS; b++)
		minhash_insert(x->slots[b], x->nslots, tag[b], (uint32_t)d);
	pthread_rwlock_unlock(&x->lock);
	return PL_OK;
oom:
	pthread_rwlock_unlock(&x->lock);
	free(own_id);
	free(own_nums);
	return pl_errf(e, PL_EFATAL, "dedup: out of memory after %zu originals", x->n);
}

/* How far ahead of the candidate it judges find() asks for the memory of a
 * later one. The index outgrows the caches on a large corpus, and each
 * candidate is a read at a random place: fetched ahead, the reads overlap
 * instead of waiting one after another. */
#define MINHASH_AHEAD 8

/* Whether the original at position p has our minima in band b. */
static int minhash_band_same(const pl_dupindex *x, size_t p, const uint32_t *min, size_t b)
{
	return memcmp(x->mins + p * PL_MINHASH_N + b * PL_MINHASH_ROWS, min + b * PL_MINHASH_ROWS,
		      PL_MINHASH_ROWS * sizeof *min) == 0;
}

/* The similarity of the original at position p, when it is at the
 * threshold or above and their numbers do not conflict; else -1. */
static double minhash_confirm(const pl_dupindex *x, size_t p, const uint32_t *min,
			      const uint64_t *nums, size_t nnums)
{
	double s = pl_sig_similarity(min, x->mins + p * PL_MINHASH_N);
	if (s < x->threshold || minhash_conflicts(nums, nnums, x->nums[p], x->num_len[p], 1) > 0)
		return -1;
	return s;
}

/* The lookup of pl_dupindex_find() with the scratch of the thread that
 * makes it: the position of the earliest original held that the signature
 * duplicates, or SIZE_MAX. The caller holds the read lock, or is the
 * thread that adds. */
static size_t minhash_lookup(const pl_dupindex *x, pl_dupscratch *sc, const uint32_t *min,
			     const uint64_t *nums, size_t nnums, double *sim)
{
	if (x->n == 0)
		return SIZE_MAX;
	/* Candidates: originals whose band hash tag equals one of ours. That
	 * the band's minima are equal too is checked later, and only for a
	 * candidate the sketch has not ruled out: the order of the tests
	 * changes, not which original is found. The sixteen probe runs are
	 * asked for before the first is walked. */
	uint64_t h[PL_MINHASH_BANDS];
	for (size_t b = 0; b < PL_MINHASH_BANDS; b++) {
		h[b] = minhash_band(min, b);
		__builtin_prefetch(&x->slots[b][minhash_home((uint32_t)h[b], x->nslots)]);
	}
	size_t ncand = 0;
	for (size_t b = 0; b < PL_MINHASH_BANDS; b++) {
		const minhash_slot *t = x->slots[b];
		for (size_t k = minhash_home((uint32_t)h[b], x->nslots); t[k].doc != 0;
		     k = (k + 1) & (x->nslots - 1)) {
			if (t[k].tag != (uint32_t)h[b])
				continue;
			if (minhash_reserve((void **)&sc->cand, &sc->ncand_cap, ncand + 1,
					    sizeof *sc->cand) != PL_OK)
				break; /* out of memory: judge the candidates found so far */
			sc->cand[ncand++] = (uint64_t)(t[k].doc - 1) << 8 | b;
		}
	}
	if (ncand == 0)
		return SIZE_MAX;
	/* The answer is the earliest original that passes, so that dup_of
	 * names the first copy: each candidate is judged once, and none
	 * later than the best so far. Which passes does not depend on the
	 * order they are judged in, so the sketch test goes over all of them
	 * first, and keeps in cand[0..nkept) the few it does not rule out. */
	if (sc->njudged < x->cap) { /* a mark for every position */
		uint32_t *jd = realloc(sc->judged, x->cap * sizeof *jd);
		if (jd == NULL)
			return SIZE_MAX; /* out of memory: as if none were found */
		memset(jd + sc->njudged, 0, (x->cap - sc->njudged) * sizeof *jd);
		sc->judged = jd;
		sc->njudged = x->cap;
	}
	if (++sc->calls == 0) { /* wrapped: forget every mark */
		memset(sc->judged, 0, sc->njudged * sizeof *sc->judged);
		sc->calls = 1;
	}
	uint64_t mine[MINHASH_SKETCH_WORDS];
	minhash_sketch(min, mine);
	size_t nkept = 0;
	for (size_t i = 0; i < ncand; i++) {
		if (i + MINHASH_AHEAD < ncand) {
			size_t ahead = (size_t)(sc->cand[i + MINHASH_AHEAD] >> 8);
			__builtin_prefetch(x->sketch + ahead * MINHASH_SKETCH_WORDS);
			__builtin_prefetch(&sc->judged[ahead]);
		}
		uint32_t d = (uint32_t)(sc->cand[i] >> 8);
		if (sc->judged[d] == sc->calls)
			continue;
		/* fewer agreeing sketch bins than the threshold asks of equal
		 * minima: the similarity is below it */
		size_t agree = minhash_sketch_same(mine, x->sketch + (size_t)d * MINHASH_SKETCH_WORDS);
		if ((double)agree / PL_MINHASH_N < x->threshold)
			sc->judged[d] = sc->calls;
		else
			sc->cand[nkept++] = sc->cand[i]; /* nkept <= i: read already */
	}
	/* ages: 0 for the oldest original held */
	size_t best = SIZE_MAX, best_pos = 0;
	double best_sim = 0;
	for (size_t i = 0; i < nkept; i++) {
		if (i + MINHASH_AHEAD < nkept) {
			const char *ahead = (const char *)(x->mins + (size_t)(sc->cand[i + MINHASH_AHEAD] >> 8) *
								      PL_MINHASH_N);
			for (size_t line = 0; line < PL_MINHASH_N * sizeof *min; line += 64)
				__builtin_prefetch(ahead + line);
		}
		uint32_t d = (uint32_t)(sc->cand[i] >> 8);
		size_t b = (size_t)(sc->cand[i] & 0xff);
		size_t age = d >= x->head ? d - x->head : d + x->cap - x->head;
		if (age >= best || sc->judged[d] == sc->calls)
			continue;
		/* a candidate through this band only if its minima there are
		 * ours (not just the tag); another band may still find it */
		if (!minhash_band_same(x, d, min, b))
			continue;
		sc->judged[d] = sc->calls;
		double s = minhash_confirm(x, d, min, nums, nnums);
		if (s < 0)
			continue;
		best = age;
		best_pos = d;
		best_sim = s;
	}
	if (best == SIZE_MAX)
		return SIZE_MAX;
	if (sim)
		*sim = best_sim;
	return best_pos;
}

const char *pl_dupindex_find(pl_dupindex *x, const uint32_t *min, const uint64_t *nums,
			     size_t nnums, double *sim)
{
	if (x == NULL)
		return NULL;
	size_t p = minhash_lookup(x, &x->own, min, nums, nnums, sim);
	return p == SIZE_MAX ? NULL : x->ids[p];
}

void pl_dupindex_search(pl_dupindex *x, pl_dupscratch *sc, const uint32_t *min,
			const uint64_t *nums, size_t nnums, uint64_t *found, uint64_t *upto)
{
	pthread_rwlock_rdlock(&x->lock);
	size_t p = minhash_lookup(x, sc, min, nums, nnums, NULL);
	*found = p == SIZE_MAX ? 0 : x->seq[p];
	*upto = x->added;
	pthread_rwlock_unlock(&x->lock);
}

/* Whether the original at position p is one the signature duplicates, by
 * the tests of minhash_lookup(): all the minima of some band equal, then
 * minhash_confirm(). */
static int minhash_duplicates(const pl_dupindex *x, size_t p, const uint32_t *min,
			      const uint64_t *nums, size_t nnums)
{
	size_t b = 0;
	while (b < PL_MINHASH_BANDS && !minhash_band_same(x, p, min, b))
		b++;
	return b < PL_MINHASH_BANDS && minhash_confirm(x, p, min, nums, nnums) >= 0;
}

const char *pl_dupindex_resolve(pl_dupindex *x, const uint32_t *min, const uint64_t *nums,
				size_t nnums, uint64_t found, uint64_t upto)
{
	if (x == NULL || x->n == 0)
		return NULL;
	/* Positions follow seq from the oldest held, around the ring. */
	uint64_t oldest = x->seq[x->head];
	if (found >= oldest) /* still held: no earlier one matches */
		return x->ids[(x->head + (size_t)(found - oldest)) % x->cap];
	if (found != 0) /* it has left the window since: look again */
		return pl_dupindex_find(x, min, nums, nnums, NULL);
	/* None of those the search saw; the ones added since, in order. */
	for (uint64_t s = upto + 1 > oldest ? upto + 1 : oldest; s <= x->added; s++) {
		size_t p = (x->head + (size_t)(s - oldest)) % x->cap;
		if (minhash_duplicates(x, p, min, nums, nnums))
			return x->ids[p];
	}
	return NULL;
}
