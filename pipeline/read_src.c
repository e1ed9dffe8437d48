/* read_src.c: byte streams with look-ahead (read_src.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "read_src.h"

#define SRC_CHUNK (1u << 16)

void pl_src_init(pl_src *s, pl_src_pull pull, void *ctx)
{
	memset(s, 0, sizeof *s);
	s->pull = pull;
	s->ctx = ctx;
	s->status = "error:corrupt";
}

static ssize_t src_pull_fd(void *ctx, unsigned char *buf, size_t n, char *err, size_t errsz,
			   const char **status)
{
	int fd = *(int *)ctx;
	for (;;) {
		ssize_t got = read(fd, buf, n);
		if (got >= 0)
			return got;
		/* EINTR only comes from SIGINT/SIGTERM (main.c installs
		 * them without SA_RESTART): the run is stopping, so the
		 * input is given up rather than waited for. */
		snprintf(err, errsz, "%s", strerror(errno));
		*status = "error:unreadable";
		return -1;
	}
}

void pl_src_init_fd(pl_src *s, int *fd)
{
	pl_src_init(s, src_pull_fd, fd);
}

void pl_src_free(pl_src *s)
{
	free(s->buf);
	s->buf = NULL;
	s->start = s->end = s->cap = 0;
}

static void src_oom(void)
{
	fputs("bulletin: out of memory\n", stderr); /* as pl_alloc does */
	abort();
}

size_t pl_src_fill(pl_src *s, size_t n)
{
	while (s->end - s->start < n && !s->eof && !s->failed) {
		size_t have = s->end - s->start;
		if (s->start > 0) { /* slide what is left to the front */
			memmove(s->buf, s->buf + s->start, have);
			s->start = 0;
			s->end = have;
		}
		/* Grown only once full: a reader asks for --max-doc-bytes + 1
		 * to learn whether a file is over the limit, and giving every
		 * file of a few kilobytes a buffer that size was an allocation
		 * and a copy per file. Doubling, a chunk at least; past 4 MB
		 * a request within a chunk of what is held (a long line, the
		 * last step to the size limit) grows a chunk at a time, so a
		 * document at the limit costs the limit (and a chunk), not
		 * twice it; a larger request caps the doubling. */
		if (s->end == s->cap) {
			size_t target = have + SRC_CHUNK;
			size_t cap = s->cap * 2;
			if (cap < target || (n <= target && target >= (4u << 20)))
				cap = target;
			if (n > target && cap > n)
				cap = n;
			unsigned char *nb = realloc(s->buf, cap);
			if (nb == NULL)
				src_oom();
			s->buf = nb;
			s->cap = cap;
		}
		ssize_t got = s->pull(s->ctx, s->buf + s->end, s->cap - s->end, s->err,
				      sizeof s->err, &s->status);
		if (got < 0)
			s->failed = 1;
		else if (got == 0)
			s->eof = 1;
		else
			s->end += (size_t)got;
	}
	return s->end - s->start;
}

const unsigned char *pl_src_data(const pl_src *s) { return s->buf + s->start; }

size_t pl_src_avail(const pl_src *s) { return s->end - s->start; }

void pl_src_consume(pl_src *s, size_t n)
{
	if (n > s->end - s->start)
		n = s->end - s->start;
	s->start += n;
	s->consumed += n;
	if (s->start == s->end)
		s->start = s->end = 0;
}

unsigned long long pl_src_skip(pl_src *s, unsigned long long n)
{
	unsigned long long done = 0;
	while (done < n) {
		size_t have = pl_src_avail(s);
		if (have == 0)
			have = pl_src_fill(s, 1);
		if (have == 0)
			break;
		if (have > n - done)
			have = (size_t)(n - done);
		pl_src_consume(s, have);
		done += have;
	}
	return done;
}

int pl_src_line(pl_src *s, size_t max, size_t *len)
{
	size_t looked = 0;
	for (;;) {
		size_t have = pl_src_avail(s);
		const unsigned char *nl =
		    have > looked ? memchr(pl_src_data(s) + looked, '\n', have - looked) : NULL;
		if (nl != NULL) {
			*len = (size_t)(nl - pl_src_data(s)) + 1;
			if (*len > max + 1) {
				*len = max + 1;
				return 2;
			}
			return 1;
		}
		looked = have;
		if (have > max) {
			*len = max + 1;
			return 2;
		}
		size_t want = have + SRC_CHUNK;
		if (want > max + 1)
			want = max + 1;
		if (pl_src_fill(s, want) == have) { /* the end (or a failure) */
			*len = have;
			return have > 0;
		}
	}
}

void pl_src_skip_line(pl_src *s)
{
	for (;;) {
		size_t have = pl_src_avail(s);
		if (have == 0)
			have = pl_src_fill(s, 1);
		if (have == 0)
			return;
		const unsigned char *nl = memchr(pl_src_data(s), '\n', have);
		if (nl != NULL) {
			pl_src_consume(s, (size_t)(nl - pl_src_data(s)) + 1);
			return;
		}
		pl_src_consume(s, have);
	}
}
