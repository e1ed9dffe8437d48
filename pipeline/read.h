/* read.h: walking the inputs. Files, directories (recursively, in sorted
 * byte order, so a run is deterministic whatever order the file system
 * returns) and "-" for stdin. Each input becomes one pl_input handed to a
 * callback; the reader owns the bytes and frees them after the callback. */
#ifndef PL_READ_H
#define PL_READ_H

#include <stddef.h>

#include "doc.h"

typedef struct pl_input {
	const char *id;             /* doc_id: path relative to its input root */
	const unsigned char *bytes; /* NULL when the input was not read */
	size_t nbytes;
	char sha256[65];            /* of the input bytes */
	const char *status;         /* NULL, or why the bytes are missing */
	const char *message;        /* for stderr, when status is set */
} pl_input;

/* Called once per document; returns PL_OK to go on, PL_ERR to stop. */
typedef int (*pl_input_fn)(void *ctx, const pl_input *in);

/* Reads every input in order. max_bytes bounds one document: a larger file
 * is reported (status "error:too-large", hashed but not loaded); a path that
 * does not exist is reported with status "error:missing" and counted in
 * *missing. Returns PL_OK, or PL_ERR if the callback stopped the walk. */
int pl_read_inputs(char *const *paths, int npaths, size_t max_bytes,
		   pl_input_fn fn, void *ctx, size_t *missing, pl_err *e);

/* SHA-256 of b[0..n) as 64 lowercase hex digits in out[65]. */
void pl_sha256_hex(const unsigned char *b, size_t n, char out[65]);

#endif
