/* read.h: walking the inputs. Files, directories (recursively, in sorted
 * byte order, so a run is deterministic whatever order the file system
 * returns) and "-" for stdin; inside them, containers recognised by content
 * (and by extension where content cannot tell): tar, zip and gzip bundles,
 * WARC (plain or gzipped), JSON Lines, RSS and Atom feeds. Each document
 * becomes one pl_input handed to a callback; the reader owns the bytes and
 * frees them after the callback. Memory stays bounded: one document (at
 * most --max-doc-bytes) is held at a time, and a compressed archive stops
 * after expanding --max-archive-bytes. */
#ifndef PL_READ_H
#define PL_READ_H

#include <stddef.h>

#include "doc.h"
#include "stage.h"

typedef struct pl_input {
	const char *id;             /* doc_id: path relative to its input root;
				     * archive!member; the JSON Lines id (or url,
				     * or file:line); a WARC-Target-URI; a feed
				     * item's link (or feed#n) */
	const unsigned char *bytes; /* NULL when the input was not read */
	size_t nbytes;
	char sha256[65];            /* of bytes[0..nbytes) (of the bytes read,
				     * when too large); "" when nothing was read */
	const char *status;         /* NULL, or why the bytes are missing */
	const char *message;        /* for stderr, when status is set */
	/* What the container says about the document; NULL or 0 if nothing. */
	const char *charset;        /* declared by the transport: the HTTP
				     * Content-Type of a WARC record; "utf-8" for
				     * JSON and feed text (already Unicode) */
	const char *date;           /* publication date as given: JSON Lines
				     * date, RSS pubDate, Atom published/updated */
	const char *title;          /* a feed item's title */
	int is_html;                /* JSON "html", text/html, feed content */
} pl_input;

/* Called once per document; returns PL_OK to go on, PL_ERR to stop. */
typedef int (*pl_input_fn)(void *ctx, const pl_input *in);

/* Default --max-archive-bytes: 4 GiB expanded per compressed archive. */
#define PL_MAX_ARCHIVE_BYTES (4ull << 30)

/* Reads every input in order. o->max_doc_bytes bounds one document: a
 * larger one is reported (status "error:too-large", hashed as far as it
 * was read); o->max_archive_bytes (0: the default) bounds what one
 * compressed archive may expand to; o->jsonl_fields renames the JSON Lines
 * fields. A path that does not exist is reported with status
 * "error:missing" and counted in *missing. A bad part of a container (a
 * malformed JSON line, a truncated gzip, a WARC record whose
 * Content-Length lies) gets a row with an error status and the rest is
 * read. Returns PL_OK, or PL_ERR if the callback stopped the walk or
 * o->jsonl_fields is malformed (e filled). */
int pl_read_inputs(char *const *paths, int npaths, const pl_opts *o,
		   pl_input_fn fn, void *ctx, size_t *missing, pl_err *e);

/* Checks a --jsonl-fields value ("id=docid,text=content,..."; keys id,
 * url, text, html, date). Returns PL_OK or PL_ERR with e filled. */
int pl_read_check_jsonl_fields(const char *spec, pl_err *e);

/* Copies what the container said about in (charset, is_html, title, the
 * date as ISO YYYY-MM-DD when it parses) into d, in d's arena. */
void pl_input_meta(const pl_input *in, pl_doc *d);

/* SHA-256 of b[0..n) as 64 lowercase hex digits in out[65]. */
void pl_sha256_hex(const unsigned char *b, size_t n, char out[65]);

#endif
