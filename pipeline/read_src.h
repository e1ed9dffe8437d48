/* read_src.h: the reader's internals, shared by read.c and the read_*.c
 * container readers (archives, WARC, JSON Lines, feeds). Not for stages.
 *
 * A pl_src is a byte stream with a growable look-ahead buffer: a file
 * descriptor, an archive member, or anything with a pull function. The
 * containers read from it as a stream, so a 10 GB WARC or JSON Lines file
 * never has to fit in memory: the buffer holds at most one document (plus
 * the bytes around it) at a time.
 *
 * Ownership: a pl_src's buffer is malloc'd by pl_src_fill() and freed by
 * pl_src_free(); pointers from pl_src_data() are valid until the next
 * pl_src_fill() or pl_src_free(). Everything a container reader hands to
 * pl_read_doc() is copied or hashed before the call returns. */
#ifndef PL_READ_SRC_H
#define PL_READ_SRC_H

#include <stddef.h>
#include <sys/types.h>

#include "read.h"

/* ---- streams ----------------------------------------------------------- */

/* Reads up to n bytes into buf. Returns the count (> 0), 0 at the end, or
 * -1 with a message in err[errsz] (and *status, if the failure has a more
 * precise status than "error:corrupt", e.g. "error:archive-too-large"). */
typedef ssize_t (*pl_src_pull)(void *ctx, unsigned char *buf, size_t n, char *err,
			       size_t errsz, const char **status);

typedef struct pl_src {
	pl_src_pull pull;
	void *ctx;
	unsigned char *buf;  /* buf[start..end) is buffered, not yet consumed */
	size_t start, end, cap;
	int eof;             /* pull returned 0 */
	int failed;          /* pull returned -1: err and status say why */
	char err[512];
	const char *status;  /* "error:corrupt" unless pull said otherwise */
	unsigned long long consumed; /* bytes consumed so far (stream offset) */
} pl_src;

void pl_src_init(pl_src *s, pl_src_pull pull, void *ctx);
/* A stream over fd (not closed by the stream). */
void pl_src_init_fd(pl_src *s, int *fd);
/* Frees the buffer; the stream cannot be read again. Accepts a zeroed src. */
void pl_src_free(pl_src *s);
/* Buffers until at least n bytes are available, the stream ends or fails;
 * returns the number of buffered bytes (may exceed n). Aborts on OOM. */
size_t pl_src_fill(pl_src *s, size_t n);
/* The buffered bytes (pl_src_fill's count of them). */
const unsigned char *pl_src_data(const pl_src *s);
size_t pl_src_avail(const pl_src *s);
/* Drops n buffered bytes (n <= pl_src_avail()). */
void pl_src_consume(pl_src *s, size_t n);
/* Reads and drops up to n bytes (all if n is (unsigned long long)-1);
 * returns how many were dropped. Memory stays at one chunk. */
unsigned long long pl_src_skip(pl_src *s, unsigned long long n);
/* Finds the next line (up to and including '\n', or the end of the
 * stream). Returns 1 with *len = its length (buffered at pl_src_data(),
 * not consumed), 0 at the end, or 2 when the line is longer than max:
 * then *len is how much of it is buffered (max + 1) and the caller decides
 * whether to skip it with pl_src_skip_line(). */
int pl_src_line(pl_src *s, size_t max, size_t *len);
/* Drops everything up to and including the next '\n'. */
void pl_src_skip_line(pl_src *s);

/* ---- the walk ---------------------------------------------------------- */

enum { PL_JF_ID, PL_JF_URL, PL_JF_TEXT, PL_JF_HTML, PL_JF_DATE, PL_JF_N };

typedef struct pl_reader {
	size_t max_doc;                  /* --max-doc-bytes */
	unsigned long long max_archive;  /* --max-archive-bytes */
	char jf[PL_JF_N][64];            /* JSON Lines field names */
	pl_input_fn fn;
	void *ctx;
	int stopped;                     /* the callback said stop */
	unsigned long long rows;         /* rows handed to the callback */
} pl_reader;

/* Hands one document (b[0..n), hashed here) to the callback; meta carries
 * the container's charset/date/title/is_html (may be NULL). Returns PL_OK,
 * or PL_ERR once the callback has asked to stop. */
int pl_read_doc(pl_reader *r, const char *id, const unsigned char *b, size_t n,
		const pl_input *meta);
/* Hands a row without bytes: status says why, the message is formatted
 * from fmt (it should start with the id). */
int pl_read_fail(pl_reader *r, const char *id, const char *status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Reads one input stream: sniffs its first bytes (and its name, for
 * extensions) and hands it to the container reader that fits, or treats it
 * as one document. A container that yields no row at all (an archive of
 * directories, a WARC of requests, a feed without items) gets one row with
 * status "empty", so no input is left out of the tables silently. fd >= 0 when s reads a regular file from its start
 * (archives then seek); in_archive: s is an archive member (archives are
 * not opened inside archives). */
int pl_read_stream(pl_reader *r, pl_src *s, int fd, const char *id, const char *name,
		   int in_archive);

/* The container readers. Each reports its own bad parts as rows and goes
 * on where it can; all return PL_OK, or PL_ERR when the callback stopped. */
int pl_read_archive(pl_reader *r, pl_src *s, int fd, const char *id, const char *name);
int pl_read_warc(pl_reader *r, pl_src *s, const char *id);
int pl_read_jsonl(pl_reader *r, pl_src *s, const char *id);
int pl_read_feed(pl_reader *r, pl_src *s, const char *id);

/* 1 if b[0..n) starts with a line that is a JSON object. */
int pl_read_jsonl_sniff(const unsigned char *b, size_t n);
/* Parses "id=docid,text=content" into r->jf (which holds the defaults).
 * Returns PL_OK or PL_ERR with e filled (PL_EUSAGE). */
int pl_read_jsonl_fields(pl_reader *r, const char *spec, pl_err *e);

/* "a/b/x.warc.gz" -> "x.warc.gz": the last path component. */
const char *pl_read_base(const char *name);
/* 1 if name ends with suffix, ignoring ASCII case. */
int pl_read_ends(const char *name, const char *suffix);

#endif
