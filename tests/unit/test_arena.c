/* test_arena.c: the per-document arena and its buffer. */
#include <string.h>

#include "doc.h"
#include "test.h"

int main(void)
{
	pl_arena *a = pl_arena_new();
	char *s = pl_strndup(a, "环保督察", strlen("环保督察"));
	test_cond("strndup copies and terminates", strcmp(s, "环保督察") == 0);
	unsigned char *z = pl_alloc(a, 100);
	int zero = 1;
	for (int i = 0; i < 100; i++)
		zero &= z[i] == 0;
	test_cond("pl_alloc returns zeroed memory", zero);
	test_cond("pl_alloc is 16-byte aligned", ((uintptr_t)pl_alloc(a, 3) & 15) == 0);
	void *big = pl_alloc(a, 1 << 20);
	memset(big, 1, 1 << 20);
	test_cond("a request larger than a block succeeds", big != NULL);
	char *p = pl_sprintf(a, "%s:%d", "rules/x.rules", 12);
	test_cond("pl_sprintf formats", strcmp(p, "rules/x.rules:12") == 0);

	pl_buf b;
	pl_buf_init(&b, a, 4);
	for (int i = 0; i < 1000; i++)
		pl_buf_add(&b, "ab", 2);
	pl_buf_addc(&b, 'c');
	test_cond("buffer grows past its first capacity", b.len == 2001 && b.data[2000] == 'c');
	test_cond("buffer stays NUL-terminated", b.data[b.len] == '\0');

	pl_arena_reset(a);
	char *t = pl_strndup(a, "again", 5);
	test_cond("arena is usable after reset", strcmp(t, "again") == 0);

	/* Blocks kept as spares come back written: pl_alloc still zeroes,
	 * and an empty buffer is still "". */
	for (int round = 0; round < 3; round++) {
		for (int k = 0; k < 8; k++)
			memset(pl_alloc(a, 30000), 0xAB, 30000);
		pl_arena_reset(a);
	}
	unsigned char *again = pl_alloc(a, 30000);
	int zeroed = 1;
	for (int i = 0; i < 30000; i++)
		zeroed &= again[i] == 0;
	test_cond("pl_alloc zeroes a spare block's bytes", zeroed);
	pl_buf_init(&b, a, 40000);
	test_cond("a new buffer in a spare block is empty", b.len == 0 && b.data[0] == '\0');
	char *bytes = pl_alloc_bytes(a, 100);
	memcpy(bytes, "x", 2);
	test_cond("pl_alloc_bytes gives writable room", strcmp(bytes, "x") == 0);
	pl_arena_reset(a);

	pl_doc d = {.arena = a};
	for (int i = 0; i < 100; i++)
		pl_doc_add_fact(&d)->start = (size_t)i;
	test_cond("facts array grows and keeps order", d.nfacts == 100 && d.facts[99].start == 99 &&
							   d.facts[0].start == 0);
	pl_arena_free(a);
	pl_arena_free(NULL);
	return test_report();
}
