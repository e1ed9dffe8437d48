/* arena.c: the per-document bump allocator and the arena-backed buffer.
 * Blocks are malloc'd and chained; pl_arena_reset() keeps the first and,
 * up to ARENA_KEEP bytes, the others as spares, so a steady stream of
 * similar documents allocates nothing once the first few are done: no
 * malloc, no zeroing, no pages taken from and given back to the kernel
 * for each document (with -j, a block a worker thread took was given
 * back by the main thread, document after document). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"

#define ARENA_BLOCK (64 * 1024)
#define ARENA_KEEP (256 * 1024) /* spare bytes kept across resets, at most */

typedef struct arena_block {
	struct arena_block *next;
	size_t size, used;
	_Alignas(16) unsigned char data[];
} arena_block;

struct pl_arena {
	arena_block *head;  /* current block (newest) */
	arena_block *first; /* kept across resets */
	arena_block *spare; /* kept across resets, unused until needed */
	size_t spare_bytes;
};

static void *arena_xmalloc(size_t n)
{
	void *p = malloc(n);
	if (p == NULL) {
		fprintf(stderr, "bulletin: out of memory (%zu bytes)\n", n);
		abort();
	}
	return p;
}

/* Blocks are zeroed, not just what pl_alloc() hands out: PCRE2's JIT reads
 * whole aligned words past the end of a subject (harmless, inside the block,
 * never used), and valgrind reports those reads of never-written bytes as
 * errors. calloc costs little here (large blocks come zeroed from mmap). */
static arena_block *arena_block_new(size_t size)
{
	arena_block *b = calloc(1, sizeof *b + size);
	if (b == NULL) {
		fprintf(stderr, "bulletin: out of memory (%zu bytes)\n", sizeof *b + size);
		abort();
	}
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

pl_arena *pl_arena_new(void)
{
	pl_arena *a = arena_xmalloc(sizeof *a);
	a->first = a->head = arena_block_new(ARENA_BLOCK);
	a->spare = NULL;
	a->spare_bytes = 0;
	return a;
}

void pl_arena_reset(pl_arena *a)
{
	arena_block *b = a->head;
	while (b != a->first) {
		arena_block *next = b->next;
		if (a->spare_bytes + b->size <= ARENA_KEEP) {
			b->next = a->spare;
			a->spare = b;
			a->spare_bytes += b->size;
		} else {
			free(b);
		}
		b = next;
	}
	a->first->used = 0;
	a->first->next = NULL;
	a->head = a->first;
}

void pl_arena_free(pl_arena *a)
{
	if (a == NULL)
		return;
	pl_arena_reset(a);
	for (arena_block *b = a->spare, *next; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(a->first);
	free(a);
}

/* A block of at least size bytes: a spare if one is large enough (its
 * bytes were all written once, by calloc or an earlier document), else a
 * new one. */
static arena_block *arena_block_get(pl_arena *a, size_t size)
{
	for (arena_block **p = &a->spare; *p != NULL; p = &(*p)->next)
		if ((*p)->size >= size) {
			arena_block *b = *p;
			*p = b->next;
			a->spare_bytes -= b->size;
			b->next = NULL;
			b->used = 0;
			return b;
		}
	return arena_block_new(size);
}

void *pl_alloc(pl_arena *a, size_t n)
{
	void *p = pl_alloc_bytes(a, n);
	memset(p, 0, n);
	return p;
}

/* Blocks come zeroed from calloc and are reused only after a reset, so
 * these bytes were written before (valgrind's concern above): by calloc,
 * or by an earlier document. */
void *pl_alloc_bytes(pl_arena *a, size_t n)
{
	size_t need = (n + 15) & ~(size_t)15;
	if (need < n) { /* overflow */
		fprintf(stderr, "bulletin: allocation too large\n");
		abort();
	}
	arena_block *b = a->head;
	if (b->size - b->used < need) {
		/* Big requests get a block of their own so small ones keep packing. */
		size_t size = need > ARENA_BLOCK / 4 ? need : ARENA_BLOCK;
		arena_block *nb = arena_block_get(a, size);
		nb->next = a->head;
		a->head = b = nb;
	}
	void *p = b->data + b->used;
	b->used += need;
	return p;
}

char *pl_strndup(pl_arena *a, const char *s, size_t n)
{
	char *p = pl_alloc_bytes(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *pl_sprintf(pl_arena *a, const char *fmt, ...)
{
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	char *p = pl_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	return p;
}

void pl_buf_init(pl_buf *b, pl_arena *a, size_t cap)
{
	if (cap < 64)
		cap = 64;
	b->arena = a;
	b->cap = cap;
	b->len = 0;
	b->data = pl_alloc_bytes(a, cap);
	b->data[0] = '\0';
}

static void buf_grow(pl_buf *b, size_t extra)
{
	if (b->cap - b->len > extra)
		return;
	size_t cap = b->cap * 2;
	while (cap - b->len <= extra)
		cap *= 2;
	/* The old block stays in the arena until reset: the price of a bump
	 * allocator, bounded by doubling to twice the final size. */
	char *d = pl_alloc_bytes(b->arena, cap);
	memcpy(d, b->data, b->len);
	b->data = d;
	b->cap = cap;
}

void pl_buf_add(pl_buf *b, const char *s, size_t n)
{
	buf_grow(b, n);
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void pl_buf_addc(pl_buf *b, char c)
{
	buf_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}
