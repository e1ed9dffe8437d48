/* state.c: the SQLite state of incremental runs (see state.h).
 * Owns: the sqlite3 handle, its prepared statements and the lock file
 * descriptor, all in the malloc'd pl_state. Errors: PL_EIO (or PL_EBUSY for
 * the lock) with the state file's path and SQLite's message. */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "minhash.h"
#include "state.h"

struct pl_state {
	char *path;
	int lock_fd;
	sqlite3 *db;
	int in_tx;
	long long run;          /* this run's number, set by begin */
	sqlite3_stmt *lookup, *add;
};

static const char state_schema[] =
    "CREATE TABLE IF NOT EXISTS runs("
    "  run INTEGER PRIMARY KEY,"
    "  finished TEXT NOT NULL,"   /* UTC, ISO 8601 */
    "  ndocs INTEGER NOT NULL, nfacts INTEGER NOT NULL, ndup INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS docs("
    "  seq INTEGER PRIMARY KEY,"  /* output order */
    "  doc_id TEXT NOT NULL UNIQUE,"
    "  sha256 TEXT NOT NULL,"
    "  status TEXT NOT NULL,"
    "  dup_of TEXT NOT NULL,"
    "  run INTEGER NOT NULL,"
    "  minhash BLOB,"             /* 128 x uint32, little-endian; NULL: none */
    "  nums BLOB,"                /* uint64 number tokens, little-endian */
    "  docs_row BLOB NOT NULL,"   /* the exact bytes written to docs.tsv */
    "  facts_rows BLOB NOT NULL);"
    "CREATE TABLE IF NOT EXISTS outputs("
    "  name TEXT PRIMARY KEY,"
    "  dev INTEGER NOT NULL, ino INTEGER NOT NULL, size INTEGER NOT NULL,"
    "  mtime_ns INTEGER NOT NULL);";

static int state_fail(pl_state *st, pl_err *e, const char *what)
{
	return pl_errf(e, PL_EIO, "%s: %s: %s", st->path, what,
		       st->db ? sqlite3_errmsg(st->db) : "cannot open");
}

static int state_exec(pl_state *st, const char *sql, pl_err *e)
{
	char *msg = NULL;
	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		pl_errf(e, PL_EIO, "%s: %s", st->path, msg ? msg : sqlite3_errmsg(st->db));
		sqlite3_free(msg);
		return PL_ERR;
	}
	return PL_OK;
}

/* The lock: flock on a file beside the database, so that the database's own
 * (fcntl) locks are left to SQLite. The holder's pid is written into it for
 * the message a second run prints. */
static int state_lock(pl_state *st, pl_err *e)
{
	size_t n = strlen(st->path) + 6;
	char *lp = malloc(n);
	if (lp == NULL)
		return pl_errf(e, PL_EIO, "%s: out of memory", st->path);
	snprintf(lp, n, "%s.lock", st->path);
	st->lock_fd = open(lp, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (st->lock_fd < 0) {
		pl_errf(e, PL_EIO, "%s: %s", lp, strerror(errno));
		free(lp);
		return PL_ERR;
	}
	if (flock(st->lock_fd, LOCK_EX | LOCK_NB) != 0) {
		int busy = errno == EWOULDBLOCK;
		char pid[32] = "";
		ssize_t got = pread(st->lock_fd, pid, sizeof pid - 1, 0);
		pid[got > 0 ? got : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		if (busy)
			pl_errf(e, PL_EBUSY, "%s: another bulletin run%s%s%s holds this state; "
				"nothing done, try again later", st->path,
				pid[0] ? " (pid " : "", pid, pid[0] ? ")" : "");
		else
			pl_errf(e, PL_EIO, "%s: %s", lp, strerror(errno));
		free(lp);
		return PL_ERR;
	}
	free(lp);
	char pid[32];
	int len = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(st->lock_fd, 0) != 0 || pwrite(st->lock_fd, pid, (size_t)len, 0) != len)
		return pl_errf(e, PL_EIO, "%s.lock: %s", st->path, strerror(errno));
	return PL_OK;
}

int pl_state_open(const char *path, pl_state **out, pl_err *e)
{
	*out = NULL;
	pl_state *st = calloc(1, sizeof *st);
	if (st == NULL)
		return pl_errf(e, PL_EIO, "%s: out of memory", path);
	st->lock_fd = -1;
	st->path = strdup(path);
	if (st->path == NULL) {
		free(st);
		return pl_errf(e, PL_EIO, "%s: out of memory", path);
	}
	if (state_lock(st, e) != PL_OK)
		goto fail;
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		state_fail(st, e, "open");
		goto fail;
	}
	/* WAL: a commit is one append to the log, and a run killed at any
	 * point leaves the last committed state. FULL: the commit is on disk
	 * before the outputs are renamed. */
	if (state_exec(st, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", e) != PL_OK ||
	    state_exec(st, state_schema, e) != PL_OK)
		goto fail;
	if (sqlite3_prepare_v2(st->db, "SELECT sha256 FROM docs WHERE doc_id = ?", -1,
			       &st->lookup, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(st->db,
			       "INSERT INTO docs(doc_id, sha256, status, dup_of, run, minhash, nums,"
			       " docs_row, facts_rows) VALUES(?,?,?,?,?,?,?,?,?)",
			       -1, &st->add, NULL) != SQLITE_OK) {
		state_fail(st, e, "prepare");
		goto fail;
	}
	*out = st;
	return PL_OK;
fail:
	pl_state_close(st);
	return PL_ERR;
}

void pl_state_close(pl_state *st)
{
	if (st == NULL)
		return;
	sqlite3_finalize(st->lookup);
	sqlite3_finalize(st->add);
	if (st->db) {
		if (st->in_tx)
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close(st->db);
	}
	if (st->lock_fd >= 0)
		close(st->lock_fd); /* releases the flock */
	free(st->path);
	free(st);
}

static void state_put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void state_put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t state_get(const unsigned char *p, int n)
{
	uint64_t v = 0;
	for (int i = n; i-- > 0;)
		v = (v << 8) | p[i];
	return v;
}

int pl_state_each_original(pl_state *st, size_t last, pl_state_doc_fn fn, void *ctx, int *older,
			   pl_err *e)
{
	/* Walked back from the newest (seq is the rowid), so that a state of
	 * many runs is not read whole: one more than asked for, and the
	 * count of those read, tell whether there are older ones. */
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(st->db,
			       "SELECT doc_id, minhash, nums, count(*) OVER () FROM (SELECT seq, doc_id, "
			       "minhash, nums FROM docs WHERE dup_of = '' AND length(minhash) = ?1 "
			       "ORDER BY seq DESC LIMIT ?2) ORDER BY seq",
			       -1, &q, NULL) != SQLITE_OK)
		return state_fail(st, e, "read");
	sqlite3_int64 want = last < INT64_MAX - 1 ? (sqlite3_int64)last : INT64_MAX - 1;
	sqlite3_bind_int(q, 1, PL_MINHASH_N * 4);
	sqlite3_bind_int64(q, 2, want + 1);
	*older = 0;
	uint32_t min[PL_MINHASH_N];
	uint64_t *nums = NULL;
	size_t cap = 0;
	int rc, ret = PL_OK;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (!*older && sqlite3_column_int64(q, 3) > want) {
			*older = 1; /* the first row is the one more */
			continue;
		}
		const char *id = (const char *)sqlite3_column_text(q, 0);
		const unsigned char *mb = sqlite3_column_blob(q, 1);
		int mlen = sqlite3_column_bytes(q, 1);
		const unsigned char *nb = sqlite3_column_blob(q, 2);
		size_t nn = (size_t)sqlite3_column_bytes(q, 2) / 8;
		if (mb == NULL || mlen != PL_MINHASH_N * 4) /* as the query asks */
			continue;
		for (size_t i = 0; i < PL_MINHASH_N; i++)
			min[i] = (uint32_t)state_get(mb + 4 * i, 4);
		if (nn > cap) {
			uint64_t *n2 = realloc(nums, nn * sizeof *nums);
			if (n2 == NULL) {
				ret = pl_errf(e, PL_EIO, "%s: out of memory", st->path);
				break;
			}
			nums = n2;
			cap = nn;
		}
		for (size_t i = 0; i < nn; i++)
			nums[i] = state_get(nb + 8 * i, 8);
		if (fn(ctx, id ? id : "", min, nums, nn, e) != PL_OK) {
			ret = PL_ERR;
			break;
		}
	}
	if (ret == PL_OK && rc != SQLITE_DONE)
		ret = state_fail(st, e, "read");
	sqlite3_finalize(q);
	free(nums);
	return ret;
}

long long pl_state_count(pl_state *st)
{
	sqlite3_stmt *q;
	long long n = 0;
	if (sqlite3_prepare_v2(st->db, "SELECT count(*) FROM docs", -1, &q, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(q) == SQLITE_ROW)
		n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return n;
}

int pl_state_lookup(pl_state *st, const char *id, char sha[65], pl_err *e)
{
	sqlite3_reset(st->lookup);
	sqlite3_bind_text(st->lookup, 1, id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st->lookup);
	if (rc == SQLITE_ROW) {
		const char *s = (const char *)sqlite3_column_text(st->lookup, 0);
		snprintf(sha, 65, "%s", s ? s : "");
		sqlite3_reset(st->lookup);
		return 1;
	}
	sqlite3_reset(st->lookup);
	if (rc == SQLITE_DONE)
		return 0;
	return state_fail(st, e, "lookup");
}

static long long state_mtime_ns(const struct stat *sb)
{
	return (long long)sb->st_mtim.tv_sec * 1000000000LL + sb->st_mtim.tv_nsec;
}

int pl_state_output_matches(pl_state *st, const char *name, const char *path)
{
	struct stat sb;
	if (stat(path, &sb) != 0)
		return 0;
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(st->db, "SELECT dev, ino, size, mtime_ns FROM outputs WHERE name = ?",
			       -1, &q, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	int same = sqlite3_step(q) == SQLITE_ROW &&
		   sqlite3_column_int64(q, 0) == (long long)sb.st_dev &&
		   sqlite3_column_int64(q, 1) == (long long)sb.st_ino &&
		   sqlite3_column_int64(q, 2) == (long long)sb.st_size &&
		   sqlite3_column_int64(q, 3) == state_mtime_ns(&sb);
	sqlite3_finalize(q);
	return same;
}

int pl_state_write_rows(pl_state *st, int facts, FILE *f, pl_err *e)
{
	sqlite3_stmt *q;
	const char *sql = facts ? "SELECT facts_rows FROM docs ORDER BY seq"
				: "SELECT docs_row FROM docs ORDER BY seq";
	if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK)
		return state_fail(st, e, "read");
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int n = sqlite3_column_bytes(q, 0);
		const void *b = sqlite3_column_blob(q, 0);
		if (n > 0 && fwrite(b, 1, (size_t)n, f) != (size_t)n) {
			sqlite3_finalize(q);
			return pl_errf(e, PL_EIO, "writing rows from %s: %s", st->path, strerror(errno));
		}
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return state_fail(st, e, "read");
	return PL_OK;
}

int pl_state_begin(pl_state *st, pl_err *e)
{
	if (state_exec(st, "BEGIN IMMEDIATE", e) != PL_OK)
		return PL_ERR;
	st->in_tx = 1;
	sqlite3_stmt *q;
	st->run = 1;
	if (sqlite3_prepare_v2(st->db, "SELECT coalesce(max(run), 0) + 1 FROM runs", -1, &q, NULL) ==
	    SQLITE_OK) {
		if (sqlite3_step(q) == SQLITE_ROW)
			st->run = sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
	}
	return PL_OK;
}

int pl_state_add_doc(pl_state *st, const pl_doc *d, const char *docs_row, size_t docs_len,
		     const char *facts_rows, size_t facts_len, pl_err *e)
{
	unsigned char mb[PL_MINHASH_N * 4];
	unsigned char *nb = NULL;
	sqlite3_stmt *q = st->add;
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	sqlite3_bind_text(q, 1, d->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, d->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, d->status ? d->status : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, d->dup_of ? d->dup_of : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 5, st->run);
	if (d->minhash) {
		for (size_t i = 0; i < PL_MINHASH_N; i++)
			state_put32(mb + 4 * i, d->minhash[i]);
		sqlite3_bind_blob(q, 6, mb, sizeof mb, SQLITE_STATIC);
	}
	if (d->nnums) {
		nb = malloc(d->nnums * 8);
		if (nb == NULL)
			return pl_errf(e, PL_EIO, "%s: out of memory", st->path);
		for (size_t i = 0; i < d->nnums; i++)
			state_put64(nb + 8 * i, d->nums[i]);
		sqlite3_bind_blob(q, 7, nb, (int)(d->nnums * 8), SQLITE_STATIC);
	}
	sqlite3_bind_blob(q, 8, docs_len ? docs_row : "", (int)docs_len, SQLITE_STATIC);
	sqlite3_bind_blob(q, 9, facts_len ? facts_rows : "", (int)facts_len, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	free(nb);
	if (rc != SQLITE_DONE)
		return state_fail(st, e, "recording a document");
	return PL_OK;
}

int pl_state_set_output(pl_state *st, const char *name, const struct stat *sb, pl_err *e)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(st->db,
			       "INSERT OR REPLACE INTO outputs(name, dev, ino, size, mtime_ns)"
			       " VALUES(?,?,?,?,?)",
			       -1, &q, NULL) != SQLITE_OK)
		return state_fail(st, e, "recording an output");
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, (long long)sb->st_dev);
	sqlite3_bind_int64(q, 3, (long long)sb->st_ino);
	sqlite3_bind_int64(q, 4, (long long)sb->st_size);
	sqlite3_bind_int64(q, 5, state_mtime_ns(sb));
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return state_fail(st, e, "recording an output");
	return PL_OK;
}

int pl_state_commit(pl_state *st, size_t ndocs, size_t nfacts, size_t ndup, pl_err *e)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(st->db,
			       "INSERT INTO runs(run, finished, ndocs, nfacts, ndup)"
			       " VALUES(?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?, ?, ?)",
			       -1, &q, NULL) != SQLITE_OK)
		return state_fail(st, e, "recording the run");
	sqlite3_bind_int64(q, 1, st->run);
	sqlite3_bind_int64(q, 2, (long long)ndocs);
	sqlite3_bind_int64(q, 3, (long long)nfacts);
	sqlite3_bind_int64(q, 4, (long long)ndup);
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return state_fail(st, e, "recording the run");
	if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		return state_fail(st, e, "commit");
	st->in_tx = 0;
	return PL_OK;
}
