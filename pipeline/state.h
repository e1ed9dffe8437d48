/* state.h: the state of incremental runs (`bulletin run --state FILE`), an
 * SQLite database in WAL mode.
 *
 * It records, per document: doc_id, the SHA-256 of its input bytes, its
 * MinHash signature and number tokens (minhash.h), status, dup_of, the run
 * that added it, and the exact docs.tsv and facts.tsv bytes written for it;
 * per run: when it ended and what it added; per output file: the identity
 * (device, inode, size, mtime) of the file the last run renamed into place.
 * The database is the source of truth: an output file that is not the one
 * recorded (a run was killed between its commit and its rename, or someone
 * replaced the file) is rebuilt from the recorded rows.
 *
 * A run holds an exclusive lock (flock on FILE.lock) from pl_state_open()
 * to pl_state_close(), so two runs never share a state. */
#ifndef PL_STATE_H
#define PL_STATE_H

#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>

#include "doc.h"

typedef struct pl_state pl_state;

/* Takes the lock on path.lock, then opens (creating if needed) the database
 * at path. *st is malloc'd; pl_state_close() frees it and releases the lock.
 * Returns PL_OK, or PL_ERR with e filled in: severity PL_EBUSY when another
 * run holds the lock, PL_EIO for any other failure. */
int pl_state_open(const char *path, pl_state **st, pl_err *e);

/* Rolls back a transaction still open, closes the database, releases the
 * lock and frees st. Accepts NULL. */
void pl_state_close(pl_state *st);

/* Called for each of the last `last` originals recorded (documents with a
 * signature and no dup_of), in output order: the ones a run's index of
 * originals keeps (--dedup-window), read without the older ones; *older
 * is set to 1 when there are older ones. The arrays are only valid during
 * the call (copy what you keep). */
typedef int (*pl_state_doc_fn)(void *ctx, const char *id, const uint32_t *minhash,
			       const uint64_t *nums, size_t nnums, pl_err *e);
/* Returns PL_OK, or PL_ERR (from fn, or a database error in e). */
int pl_state_each_original(pl_state *st, size_t last, pl_state_doc_fn fn, void *ctx, int *older,
			   pl_err *e);

/* Number of documents recorded (committed or added in this transaction). */
long long pl_state_count(pl_state *st);

/* Looks id up: returns 1 and copies its input SHA-256 to sha, 0 if it is not
 * recorded, PL_ERR on a database error. */
int pl_state_lookup(pl_state *st, const char *id, char sha[65], pl_err *e);

/* 1 if the file at path is the one recorded for output `name` by the last
 * committed run, 0 if not (or if none is recorded, or path is missing). */
int pl_state_output_matches(pl_state *st, const char *name, const char *path);

/* Writes the recorded rows of every document, in order, to f: the docs.tsv
 * rows (facts == 0) or the facts.tsv rows (facts == 1). No header. */
int pl_state_write_rows(pl_state *st, int facts, FILE *f, pl_err *e);

/* Starts the run's transaction. Everything added until pl_state_commit() is
 * committed at once, or not at all. */
int pl_state_begin(pl_state *st, pl_err *e);

/* Records d (its id, sha256, status, dup_of, minhash, nums) with the exact
 * rows written for it. The caller keeps ownership of everything passed. */
int pl_state_add_doc(pl_state *st, const pl_doc *d, const char *docs_row, size_t docs_len,
		     const char *facts_rows, size_t facts_len, pl_err *e);

/* Records the identity of the file that will become output `name`. */
int pl_state_set_output(pl_state *st, const char *name, const struct stat *sb, pl_err *e);

/* Records the run (its counts) and commits the transaction. */
int pl_state_commit(pl_state *st, size_t ndocs, size_t nfacts, size_t ndup, pl_err *e);

#endif
