/* test_read_src.c: the look-ahead buffer of read_src.c: what it reads, and
 * how large it grows for a small file, a file over the size limit and a
 * long line. */
#include <stdlib.h>
#include <string.h>

#include "read_src.h"
#include "test.h"

/* A stream of `size` bytes, '0' + offset % 10 with a line end at the
 * very end, given out at most `step` bytes a call (as read() may). */
typedef struct fake {
	size_t size, at, step;
} fake;

static ssize_t fake_pull(void *ctx, unsigned char *buf, size_t n, char *err, size_t errsz,
			 const char **status)
{
	(void)err;
	(void)errsz;
	(void)status;
	fake *f = ctx;
	size_t k = f->size - f->at;
	if (k > n)
		k = n;
	if (k > f->step)
		k = f->step;
	for (size_t i = 0; i < k; i++)
		buf[i] = f->at + i + 1 == f->size ? '\n' : (unsigned char)('0' + (f->at + i) % 10);
	f->at += k;
	return (ssize_t)k;
}

/* 1 when s holds the stream's first n bytes. */
static int holds(const pl_src *s, size_t n, size_t size)
{
	const unsigned char *d = pl_src_data(s);
	if (pl_src_avail(s) < n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (d[i] != (i + 1 == size ? '\n' : '0' + i % 10))
			return 0;
	return 1;
}

#define LIMIT ((size_t)16 << 20) /* the default --max-doc-bytes */

int main(void)
{
	pl_src s;
	fake f = {12000, 0, 1 << 20};
	pl_src_init(&s, fake_pull, &f);
	size_t got = pl_src_fill(&s, 4096); /* what the reader sniffs first */
	got = pl_src_fill(&s, LIMIT + 1);   /* then: over the limit? */
	test_cond("a small file: read whole, in a buffer of one chunk",
		  got == 12000 && holds(&s, 12000, 12000) && s.eof && s.cap <= 65536);
	pl_src_free(&s);

	f = (fake){12000, 0, 100};
	pl_src_init(&s, fake_pull, &f);
	got = pl_src_fill(&s, LIMIT + 1);
	test_cond("a small file given out 100 bytes at a time: the same",
		  got == 12000 && holds(&s, 12000, 12000) && s.cap <= 65536);
	pl_src_free(&s);

	f = (fake){5u << 20, 0, 1 << 20};
	pl_src_init(&s, fake_pull, &f);
	got = pl_src_fill(&s, LIMIT + 1);
	test_cond("a 5 MB file: read whole, the buffer at most twice its size",
		  got == (5u << 20) && holds(&s, got, 5u << 20) && s.cap <= (10u << 20));
	pl_src_free(&s);

	f = (fake){LIMIT + 4096, 0, 1 << 20};
	pl_src_init(&s, fake_pull, &f);
	got = pl_src_fill(&s, LIMIT + 1);
	test_cond("a file over the limit: the limit + 1 read, a buffer within a chunk of it",
		  got >= LIMIT + 1 && holds(&s, LIMIT + 1, f.size) && s.cap <= LIMIT + 65536);
	pl_src_free(&s);

	/* one line of 6 MB: grown a chunk at a time past 4 MB, so the
	 * buffer stays within a chunk of the line */
	f = (fake){6u << 20, 0, 1 << 20};
	pl_src_init(&s, fake_pull, &f);
	size_t len = 0;
	int rc = pl_src_line(&s, LIMIT, &len);
	test_cond("a long line: whole, in a buffer within a chunk of it",
		  rc == 1 && len == (6u << 20) && holds(&s, len, f.size) &&
		      s.cap <= (6u << 20) + 65536);
	pl_src_free(&s);
	return test_report();
}
