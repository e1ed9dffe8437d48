/* main.c: the command line, the document loop and the exit codes.
 * Only this file prints to the terminal or exits. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "minhash.h"
#include "num.h"
#include "read.h"
#include "stage.h"
#include "state.h"
#include "tsv.h"
#include "workers.h"

#define BULLETIN_VERSION "0.1.0"

enum { EXIT_DOCS = 1, EXIT_USAGE = 2, EXIT_IO = 3, EXIT_BUSY = 75 };

static volatile sig_atomic_t main_stop;
static int main_devnull = -1; /* /dev/null, for main_on_signal() */

/* SIGINT, SIGTERM: stop after the document in hand. A read of stdin that
 * is under way returns EINTR (no SA_RESTART); one not yet started would
 * wait for a writer that may never write (the signal can come while the
 * rules load), so stdin becomes /dev/null and reads end at once. Both
 * calls are async-signal-safe. */
static void main_on_signal(int sig)
{
	(void)sig;
	int saved = errno;
	main_stop = 1;
	if (main_devnull >= 0)
		dup2(main_devnull, STDIN_FILENO);
	errno = saved;
}

#define MAIN_STR(x) MAIN_STR_(x)
#define MAIN_STR_(x) #x

static const char main_usage[] =
    "usage: bulletin run [-o OUTDIR] [--rules DIR] [--clean-dir DIR] [--quiet]\n"
    "                    [--max-doc-bytes N] [--only STAGE] [--state FILE]\n"
    "                    [--no-dedup] [--dedup-window N] [--max-archive-bytes N]\n"
    "                    [-j N] [--times]\n"
    "                    [--jsonl-fields id=NAME,url=NAME,text=NAME,html=NAME,date=NAME]\n"
    "                    INPUT...\n"
    "       bulletin clean [--rules DIR] FILE\n"
    "       bulletin extract [--rules DIR] FILE\n"
    "       bulletin num               (expressions on stdin, one per line)\n"
    "       bulletin check-rules [DIR]\n"
    "       bulletin --help | --version\n"
    "\n"
    "run      reads files, directories (recursively, sorted) and - (stdin), and\n"
    "         writes OUTDIR/docs.tsv and OUTDIR/facts.tsv (default OUTDIR: out).\n"
    "         --clean-dir DIR also writes each document's clean text to\n"
    "         DIR/<doc_id>.txt: the text that facts.tsv start/end point into.\n"
    "         --only STAGE runs decode and then STAGE alone on each input and\n"
    "         prints the result (decode, normalise, strip, dedup, extract).\n"
    "         --state FILE makes the run incremental: only documents FILE has\n"
    "         not recorded are processed, and their rows are added to OUTDIR's\n"
    "         tables. --no-dedup: no duplicate search across documents.\n"
    "         --dedup-window N: a duplicate's original is looked for among\n"
    "         the last N originals (default " MAIN_STR(PL_DUP_WINDOW) "), so memory stays bounded.\n"
    "         -j N runs the stages on N threads (default: one per core);\n"
    "         the output is the same whatever N. --times prints the CPU\n"
    "         seconds each stage took, summed over the threads.\n"
    "clean    prints one document's clean main text.\n"
    "extract  prints one document's facts as TSV with a header.\n"
    "num      prints value<TAB>unit<TAB>approx for each numeral expression.\n"
    "check-rules  loads every rule file in DIR (default rules) and runs every\n"
    "         rule's examples.\n"
    "\n"
    "exit codes: 0 ok; 1 some documents failed or needed repair (the rest are\n"
    "written); 2 usage or rule-file error; 3 I/O error; 75 another run holds\n"
    "the --state FILE.\n";

typedef struct main_run {
	pl_pipeline pipe;
	pl_arena *arena;
	FILE *docs, *facts;
	/* Their buffers: 64 KB, so that the tables are written in large
	 * pieces (glibc's default is 4 KB). */
	char docs_buf[1 << 16], facts_buf[1 << 16];
	const char *clean_dir;
	const char *only;       /* --only stage, or NULL */
	void *only_state[2];
	int quiet;
	int print_text;         /* clean: print the text of each document */
	int print_facts;        /* extract: print the facts with a header */
	size_t ndocs, nfacts, nfailed, ndup, nempty;
	int io_error;
	pl_workers *workers;    /* -j N with N > 1: the stages run there */
	pl_dupindex *dups;      /* the originals seen so far, or NULL (--no-dedup):
				 * the dedup stage's own, or (-j) this run's */
	pl_state *state;        /* --state, or NULL */
	size_t nknown, nchanged; /* --state: inputs already recorded */
	int older;              /* --state: older originals than the window holds */
} main_run;

static void main_say(const main_run *r, const char *msg)
{
	(void)r;
	fprintf(stderr, "bulletin: %s\n", msg);
}

/* Makes every directory along path (like mkdir -p). */
static int main_mkdirs(const char *path)
{
	char buf[4096];
	snprintf(buf, sizeof buf, "%s", path);
	for (char *p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(buf, 0777) != 0 && errno != EEXIST)
				return -1;
			*p = '/';
		}
	if (mkdir(buf, 0777) != 0 && errno != EEXIST)
		return -1;
	return 0;
}

static void main_write_clean(main_run *r, const pl_doc *d)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s.txt", r->clean_dir, d->id);
	char *slash = strrchr(path, '/');
	*slash = '\0';
	main_mkdirs(path);
	*slash = '/';
	FILE *f = fopen(path, "w");
	if (f == NULL) {
		fprintf(stderr, "bulletin: %s: %s\n", path, strerror(errno));
		r->io_error = 1;
		return;
	}
	if (d->len)
		fwrite(d->text, 1, d->len, f);
	fputc('\n', f);
	if (fclose(f) != 0) {
		fprintf(stderr, "bulletin: %s: %s\n", path, strerror(errno));
		r->io_error = 1;
	}
}

/* --only: decode, then the one stage asked for; prints its result. */
static int main_run_only(main_run *r, pl_doc *d, pl_err *e)
{
	const pl_stage *dec = &pl_stage_decode, *s = pl_stage_find(r->only);
	int rc = dec->run(r->only_state[0], d, e);
	if (rc == PL_OK && s != dec)
		rc = s->run(r->only_state[1], d, e);
	if (rc == PL_ERR)
		return rc;
	if (strcmp(r->only, "extract") == 0) {
		pl_tsv_fact_rows(stdout, d);
		return rc;
	}
	if (strcmp(r->only, "strip") == 0) {
		printf("#title\t");
		pl_tsv_field(stdout, d->title);
		printf("\n#date\t%s\n#publisher\t", d->date ? d->date : "");
		pl_tsv_field(stdout, d->publisher);
		printf("\n#province\t%s\n#city\t%s\n", d->province ? d->province : "",
		       d->city ? d->city : "");
	}
	if (d->len)
		fwrite(d->text, 1, d->len, stdout);
	fputc('\n', stdout);
	return rc;
}

/* Fault injection for the crash tests (tests/groups/46-incremental.sh):
 * BULLETIN_TEST_KILL_AT=POINT sends this process SIGKILL at POINT, one of
 * doc:N (after the Nth document's rows), before-commit, after-commit and
 * between-renames. Unset, it costs one getenv per point. */
static void main_test_kill(const char *point, size_t n)
{
	const char *at = getenv("BULLETIN_TEST_KILL_AT");
	if (at == NULL)
		return;
	char buf[64];
	if (n > 0) {
		snprintf(buf, sizeof buf, "%s:%zu", point, n);
		point = buf;
	}
	if (strcmp(at, point) == 0)
		kill(getpid(), SIGKILL);
}

/* --state: an input the state has recorded is not processed again (a
 * changed file keeps its recorded rows: doc_ids stay unique and the tables
 * append-only), and an input that could not be read (missing, unreadable:
 * perhaps only for now) is not recorded, so the next run tries it again.
 * Other failures (corrupt, too large, ...) depend on the bytes alone and
 * are recorded like any document. Returns 1 to skip the input. */
static int main_state_skip(main_run *r, const pl_input *in)
{
	if (in->status != NULL && (strcmp(in->status, "error:missing") == 0 ||
				   strcmp(in->status, "error:unreadable") == 0)) {
		fprintf(stderr, "bulletin: %s (not recorded: tried again next run)\n",
			in->message ? in->message : in->id);
		r->nfailed++;
		return 1;
	}
	char sha[65];
	pl_err e = {{0}, 0};
	int known = pl_state_lookup(r->state, in->id, sha, &e);
	if (known == PL_ERR) {
		main_say(r, e.msg);
		r->io_error = 1;
		return 1;
	}
	if (known == 0)
		return 0;
	if (strcmp(sha, in->sha256) == 0) {
		r->nknown++;
	} else {
		r->nchanged++;
		if (!r->quiet)
			fprintf(stderr, "bulletin: %s: changed since it was recorded; the recorded "
				"rows stand\n", in->id);
	}
	return 1;
}

/* Appends d's rows to the tables and, with --state, records them: the same
 * bytes in both places, so a table can be rebuilt from the state. */
static void main_write_rows(main_run *r, const pl_doc *d)
{
	/* The streams write a full buffer at a time: a flush per document
	 * was two system calls, some 3% of a run. The tables are temporary
	 * files until the end of the run, which flushes and renames them, so
	 * a crash leaves the old ones either way; a write that fails is
	 * caught here, at the row that filled the buffer (the run then keeps
	 * the previous tables, and exits 3). */
	int err = 0; /* errno of a write that failed */
	if (r->state == NULL) {
		if (pl_tsv_doc_row(r->docs, d) != 0 || pl_tsv_fact_rows(r->facts, d) != 0)
			err = errno;
	} else {
		char *dr = NULL, *fr = NULL;
		size_t dn = 0, fn = 0;
		FILE *df = open_memstream(&dr, &dn), *ff = open_memstream(&fr, &fn);
		if (df)
			pl_tsv_doc_row(df, d);
		if (ff)
			pl_tsv_fact_rows(ff, d);
		int bad = df == NULL || ff == NULL;
		bad |= df != NULL && fclose(df) != 0;
		bad |= ff != NULL && fclose(ff) != 0;
		pl_err e = {{0}, 0};
		if (bad) {
			fprintf(stderr, "bulletin: %s: out of memory\n", d->id);
			r->io_error = 1;
		} else {
			if (fwrite(dr, 1, dn, r->docs) != dn || fwrite(fr, 1, fn, r->facts) != fn)
				err = errno ? errno : EIO;
			if (pl_state_add_doc(r->state, d, dr, dn, fr, fn, &e) != PL_OK) {
				main_say(r, e.msg);
				r->io_error = 1;
			}
		}
		free(dr);
		free(fr);
	}
	if (err != 0 && !r->io_error) {
		fprintf(stderr, "bulletin: writing output: %s\n", strerror(err));
		r->io_error = 1;
	}
}

/* Sets d up from the input, in arena a (d's bytes too when copy is set:
 * the reader frees its own once the callback returns). An input the
 * reader could not take (in->status) gets that status, and its message
 * goes in e, printed with the document's row. */
static void main_doc_init(const pl_input *in, pl_doc *d, pl_arena *a, int copy, pl_err *e)
{
	memset(d, 0, sizeof *d);
	d->arena = a;
	d->id = pl_strndup(a, in->id, strlen(in->id));
	memcpy(d->sha256, in->sha256, sizeof d->sha256);
	d->dup_of = "";
	pl_input_meta(in, d); /* charset, is_html, title, date from the container */
	e->msg[0] = '\0';
	if (in->status != NULL) {
		d->status = in->status;
		snprintf(e->msg, sizeof e->msg, "%s", in->message ? in->message : in->id);
		return;
	}
	d->nbytes = in->nbytes;
	if (!copy) {
		d->bytes = in->bytes;
	} else if (in->nbytes > 0) {
		unsigned char *b = pl_alloc_bytes(a, in->nbytes); /* copied over in full */
		memcpy(b, in->bytes, in->nbytes);
		d->bytes = b;
	}
}

/* What is done for each document in input order once its stages have run
 * (rc, failed and e are pl_pipeline_run()'s): with -j, the duplicate
 * lookup; then the messages, the counts, the rows and the clean text. */
static void main_doc_done(main_run *r, pl_doc *d, int rc, const char *failed, pl_err *e)
{
	if (r->workers && r->dups && rc != PL_ERR && pl_dedup_resolve(r->dups, d, e) != PL_OK) {
		/* What the dedup stage would have done without threads,
		 * where extract never ran on such a document. */
		rc = PL_ERR;
		failed = "dedup";
		if (d->status == NULL || strncmp(d->status, "error:", 6) != 0)
			d->status = "error:dedup";
		d->nfacts = 0;
		d->check = NULL;
	}
	if (e->msg[0])
		main_say(r, e->msg);
	else if (rc == PL_ERR)
		fprintf(stderr, "bulletin: %s: %s: failed\n", d->id, failed ? failed : "");
	if (d->status == NULL)
		d->status = rc == PL_ERR ? "error" : "ok";
	r->ndocs++;
	if (d->dup_of != NULL && d->dup_of[0] != '\0')
		r->ndup++;
	else if (strcmp(d->status, "empty") == 0)
		r->nempty++;
	if (strcmp(d->status, "ok") != 0 && strcmp(d->status, "duplicate") != 0)
		r->nfailed++;
	r->nfacts += d->nfacts;
	if (r->docs) {
		main_write_rows(r, d);
		main_test_kill("doc", r->ndocs);
	}
	if (r->clean_dir && d->text)
		main_write_clean(r, d);
	if (r->print_text && d->text) {
		if (d->len)
			fwrite(d->text, 1, d->len, stdout);
		fputc('\n', stdout);
	}
	if (r->print_facts)
		pl_tsv_fact_rows(stdout, d);
}

static void main_job_done(void *ctx, pl_job *j)
{
	main_doc_done(ctx, &j->doc, j->rc, j->failed, &j->err);
}

/* The reader's callback, once per document, in input order. */
static int main_doc(void *ctx, const pl_input *in)
{
	main_run *r = ctx;
	/* Read after SIGINT/SIGTERM (perhaps cut short by it): not a
	 * document in hand, so it gets no row. */
	if (main_stop)
		return PL_ERR;
	if (r->state && main_state_skip(r, in))
		return (main_stop || r->io_error) ? PL_ERR : PL_OK;
	if (r->workers) {
		pl_job *j = pl_workers_next(r->workers, main_job_done, r);
		main_doc_init(in, &j->doc, j->doc.arena, 1, &j->err);
		j->run = in->status == NULL;
		pl_workers_submit(r->workers);
	} else {
		pl_doc d;
		pl_err e = {{0}, 0};
		main_doc_init(in, &d, r->arena, 0, &e);
		int rc = PL_OK;
		const char *failed = NULL;
		if (in->status == NULL)
			rc = r->only ? main_run_only(r, &d, &e)
				     : pl_pipeline_run(&r->pipe, &d, &failed, &e);
		main_doc_done(r, &d, rc, failed, &e);
		pl_arena_reset(r->arena);
	}
	return (main_stop || r->io_error) ? PL_ERR : PL_OK;
}

static size_t main_parse_size(const char *s)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || v <= 0)
		return 0;
	switch (*end) {
	case 'k': case 'K': v *= 1024; break;
	case 'm': case 'M': v *= 1024 * 1024; break;
	case 'g': case 'G': v *= 1024.0 * 1024 * 1024; break;
	case '\0': break;
	default: return 0;
	}
	return (size_t)v;
}

static int main_open_out(const char *dir, const char *name, char *tmp, size_t tmpsz,
			 FILE **f, char buf[1 << 16])
{
	snprintf(tmp, tmpsz, "%s/.%s.%ld.tmp", dir, name, (long)getpid());
	*f = fopen(tmp, "w");
	if (*f == NULL) {
		fprintf(stderr, "bulletin: %s: %s\n", tmp, strerror(errno));
		return -1;
	}
	setvbuf(*f, buf, _IOFBF, 1 << 16);
	return 0;
}

static int main_finish_out(const char *dir, const char *name, const char *tmp, FILE *f)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	int bad = ferror(f) || fflush(f) != 0 || fsync(fileno(f)) != 0;
	bad |= fclose(f) != 0;
	if (bad) {
		fprintf(stderr, "bulletin: %s: %s; the previous %s is left as it was\n", tmp,
			strerror(errno), path);
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, path) != 0) {
		fprintf(stderr, "bulletin: %s: %s\n", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* ---- --state: incremental runs ---------------------------------------- */

/* Preload: the originals recorded by earlier runs go into the dedup index,
 * so a repost of an earlier notice is recognised (if still in the window). */
static int main_state_preload(void *ctx, const char *id, const uint32_t *minhash,
			      const uint64_t *nums, size_t nnums, pl_err *e)
{
	return pl_dupindex_add(ctx, id, minhash, nums, nnums, e);
}

/* Copies the file at src to the descriptor out. Returns 0 or -1 (errno). */
static int main_copy(const char *src, int out)
{
	int in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -1;
	size_t cap = 1 << 20;
	char *buf = malloc(cap);
	int rc = buf ? 0 : -1;
	for (ssize_t got; rc == 0 && (got = read(in, buf, cap)) != 0;) {
		if (got < 0) {
			if (errno != EINTR)
				rc = -1;
			continue;
		}
		for (ssize_t done = 0; done < got;) {
			ssize_t w = write(out, buf + done, (size_t)(got - done));
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				rc = -1;
				break;
			}
			done += w;
		}
	}
	int err = errno;
	free(buf);
	close(in);
	errno = err;
	return rc;
}

/* Starts OUTDIR/.NAME.state.tmp, the next version of OUTDIR/NAME: a copy
 * of the current file when it is the one the state recorded, else (a run
 * was killed between its commit and its rename, or the file is missing or
 * someone else's) rebuilt from the rows the state holds, and *rebuilt set.
 * The state's lock makes the fixed temporary name safe. */
static int main_state_base(main_run *r, const char *outdir, const char *name, int facts,
			   char *tmp, size_t tmpsz, FILE **f, char buf[1 << 16], int *rebuilt)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", outdir, name);
	snprintf(tmp, tmpsz, "%s/.%s.state.tmp", outdir, name);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0) {
		fprintf(stderr, "bulletin: %s: %s\n", tmp, strerror(errno));
		return -1;
	}
	int same = pl_state_output_matches(r->state, name, path);
	if (same && main_copy(path, fd) != 0) {
		fprintf(stderr, "bulletin: copying %s: %s; the previous %s is left as it was\n",
			path, strerror(errno), name);
		close(fd);
		unlink(tmp);
		return -1;
	}
	*f = fdopen(fd, "w");
	if (*f == NULL) {
		fprintf(stderr, "bulletin: %s: %s\n", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	setvbuf(*f, buf, _IOFBF, 1 << 16);
	if (same)
		return 0;
	/* Said even with --quiet: a repair is worth knowing about. A new
	 * state with no table yet needs no word. */
	struct stat sb;
	if (stat(path, &sb) == 0 || pl_state_count(r->state) > 0)
		fprintf(stderr, "bulletin: %s is not the table the state recorded (an interrupted "
			"run?); rebuilt from the state\n", path);
	*rebuilt = 1;
	pl_err e = {{0}, 0};
	if (facts)
		pl_tsv_facts_header(*f);
	else
		pl_tsv_docs_header(*f);
	if (pl_state_write_rows(r->state, facts, *f, &e) != PL_OK) {
		main_say(r, e.msg);
		return -1;
	}
	return 0;
}

/* Makes the new tables durable, commits the state, then renames the tables
 * into place. A crash before the commit leaves the old tables and state; a
 * crash after it leaves tables that the next run sees are not the recorded
 * ones and rebuilds. Returns 0, or -1 after an I/O error (old outputs kept). */
static int main_state_finish(main_run *r, const char *outdir, const char *docs_tmp,
			     const char *facts_tmp, int rebuilt)
{
	FILE *fs[2] = {r->docs, r->facts};
	const char *tmps[2] = {docs_tmp, facts_tmp}, *names[2] = {"docs.tsv", "facts.tsv"};
	struct stat sb[2];
	int bad = r->io_error;
	for (int k = 0; k < 2; k++) {
		if (!bad && (r->ndocs > 0 || rebuilt) &&
		    (ferror(fs[k]) || fflush(fs[k]) != 0 || fsync(fileno(fs[k])) != 0 ||
		     fstat(fileno(fs[k]), &sb[k]) != 0)) {
			fprintf(stderr, "bulletin: %s: %s; the previous %s is left as it was\n",
				tmps[k], strerror(errno), names[k]);
			bad = 1;
		}
		if (fclose(fs[k]) != 0 && !bad && (r->ndocs > 0 || rebuilt)) {
			fprintf(stderr, "bulletin: %s: %s\n", tmps[k], strerror(errno));
			bad = 1;
		}
	}
	r->docs = r->facts = NULL;
	if (bad || (r->ndocs == 0 && !rebuilt)) {
		/* Nothing new (or a failure): the tables and the state stay
		 * byte for byte as they were. */
		unlink(docs_tmp);
		unlink(facts_tmp);
		return bad ? -1 : 0;
	}
	main_test_kill("before-commit", 0);
	pl_err e = {{0}, 0};
	if (pl_state_set_output(r->state, "docs.tsv", &sb[0], &e) != PL_OK ||
	    pl_state_set_output(r->state, "facts.tsv", &sb[1], &e) != PL_OK ||
	    pl_state_commit(r->state, r->ndocs, r->nfacts, r->ndup, &e) != PL_OK) {
		fprintf(stderr, "bulletin: %s; the previous outputs are left as they were\n", e.msg);
		unlink(docs_tmp);
		unlink(facts_tmp);
		return -1;
	}
	main_test_kill("after-commit", 0);
	for (int k = 0; k < 2; k++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", outdir, names[k]);
		if (rename(tmps[k], path) != 0) {
			fprintf(stderr, "bulletin: %s: %s (the next run puts it right)\n", path,
				strerror(errno));
			return -1;
		}
		if (k == 0)
			main_test_kill("between-renames", 0);
	}
	int dfd = open(outdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

/* Opens the state's next tables (see main_state_base), preloads the dedup
 * index with the recorded originals and starts the run's transaction. */
static int main_state_start(main_run *r, const char *outdir, char *docs_tmp, char *facts_tmp,
			    size_t tmpsz, int *rebuilt)
{
	pl_err e = {{0}, 0};
	if (r->dups != NULL && pl_state_each_original(r->state, pl_dupindex_window(r->dups),
						      main_state_preload, r->dups, &r->older,
						      &e) != PL_OK) {
		main_say(r, e.msg);
		return -1;
	}
	if (main_state_base(r, outdir, "docs.tsv", 0, docs_tmp, tmpsz, &r->docs, r->docs_buf,
			    rebuilt) != 0)
		return -1;
	if (main_state_base(r, outdir, "facts.tsv", 1, facts_tmp, tmpsz, &r->facts, r->facts_buf,
			    rebuilt) != 0 ||
	    pl_state_begin(r->state, &e) != PL_OK) {
		if (e.msg[0])
			main_say(r, e.msg);
		if (r->facts) {
			fclose(r->facts);
			unlink(facts_tmp);
		}
		fclose(r->docs);
		unlink(docs_tmp);
		r->docs = r->facts = NULL;
		return -1;
	}
	return 0;
}

/* Opens the stages: on -j worker threads for a run with more than one
 * thread, else in r->pipe (up to dedup for clean: its text). Sets
 * r->dups, the index of originals that --state preloads. */
static int main_open_stages(main_run *r, const pl_opts *o, int mode, int jobs, pl_err *e)
{
	if (mode == 0 && jobs > 1) {
		/* The index first: the threads search it (pl_dupindex_search)
		 * and this thread adds to it. */
		if (!o->no_dedup &&
		    (r->dups = pl_dupindex_new(PL_DUP_THRESHOLD, pl_dedup_window(o))) == NULL)
			return pl_errf(e, PL_EFATAL, "dedup: out of memory");
		pl_opts wo = *o;
		wo.dedup_defer = 1;
		wo.dedup_shared = r->dups;
		if (pl_workers_start(&r->workers, jobs, &wo, e) != PL_OK) {
			pl_dupindex_free(r->dups);
			r->dups = NULL;
			return PL_ERR;
		}
		return PL_OK;
	}
	if (pl_pipeline_open(&r->pipe, mode == 1 ? "dedup" : NULL, o, e) != PL_OK)
		return PL_ERR;
	for (size_t k = 0; k < r->pipe.n; k++)
		if (r->pipe.stages[k] == &pl_stage_dedup)
			r->dups = pl_dedup_index(r->pipe.state[k]);
	return PL_OK;
}

static void main_close_stages(main_run *r)
{
	if (r->workers) {
		pl_workers_stop(r->workers);
		pl_dupindex_free(r->dups); /* this run's own (see above) */
		r->workers = NULL;
	}
	pl_pipeline_close(&r->pipe);
	r->dups = NULL;
}

/* --times: the CPU seconds of each stage (stage_ns, by index in pl_stages)
 * and of the whole process; "other" is the rest: start-up, reading and
 * hashing the inputs, the end of the duplicate lookup of -j, writing the
 * tables. */
static void main_say_times(const unsigned long long *stage_ns)
{
	struct rusage ru;
	double total = 0, stages = 0;
	if (getrusage(RUSAGE_SELF, &ru) == 0)
		total = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
			(double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	fprintf(stderr, "bulletin: CPU seconds:");
	for (size_t k = 0; pl_stages[k] != NULL; k++) {
		double t = (double)stage_ns[k] / 1e9;
		stages += t;
		fprintf(stderr, " %s %.3f,", pl_stages[k]->name, t);
	}
	/* the two clocks tick apart: "other" is never below 0 */
	fprintf(stderr, " other %.3f, total %.3f\n", total > stages ? total - stages : 0.0,
		total);
}

/* run, clean and extract share this loop; mode says what is printed. */
static int main_cmd_run(int argc, char **argv, int mode)
{
	const char *outdir = "out";
	pl_opts o = {.rules_dir = "rules", .max_doc_bytes = 16u << 20};
	const char *state_path = NULL;
	int jobs = pl_workers_default();
	main_run r;
	memset(&r, 0, sizeof r);
	int i = 1;
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (a[0] != '-' || strcmp(a, "-") == 0)
			break;
		if ((strcmp(a, "-o") == 0 || strcmp(a, "--out") == 0) && i + 1 < argc && mode == 0)
			outdir = argv[++i];
		else if (strcmp(a, "--rules") == 0 && i + 1 < argc)
			o.rules_dir = argv[++i];
		else if (strcmp(a, "--clean-dir") == 0 && i + 1 < argc && mode == 0)
			r.clean_dir = argv[++i];
		else if (strcmp(a, "--only") == 0 && i + 1 < argc && mode == 0)
			r.only = argv[++i];
		else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0)
			r.quiet = 1;
		else if (strcmp(a, "--state") == 0 && i + 1 < argc && mode == 0)
			state_path = argv[++i];
		else if (strcmp(a, "--no-dedup") == 0)
			o.no_dedup = 1;
		else if (strcmp(a, "--times") == 0 && mode == 0)
			o.timed = 1;
		else if (strcmp(a, "--dedup-window") == 0 && i + 1 < argc && mode == 0) {
			char *end;
			errno = 0;
			unsigned long long n = strtoull(argv[++i], &end, 10);
			if (end == argv[i] || *end != '\0' || argv[i][0] == '-' || errno != 0 ||
			    n < 1 || n > UINT32_MAX - 1) {
				fprintf(stderr, "bulletin: --dedup-window: expected a number of originals from 1 to %u, got '%s'\n",
					UINT32_MAX - 1, argv[i]);
				return EXIT_USAGE;
			}
			o.dedup_window = (size_t)n;
		}
		else if ((strcmp(a, "-j") == 0 || strcmp(a, "--jobs") == 0) && i + 1 < argc) {
			char *end;
			long n = strtol(argv[++i], &end, 10);
			if (end == argv[i] || *end != '\0' || n < 1 || n > PL_WORKERS_MAX) {
				fprintf(stderr, "bulletin: -j: expected a number of threads from 1 to %d, got '%s'\n",
					PL_WORKERS_MAX, argv[i]);
				return EXIT_USAGE;
			}
			jobs = (int)n;
		}
		else if (strcmp(a, "--max-doc-bytes") == 0 && i + 1 < argc) {
			o.max_doc_bytes = main_parse_size(argv[++i]);
			if (o.max_doc_bytes == 0) {
				fprintf(stderr, "bulletin: --max-doc-bytes: expected a size such as 16M, got '%s'\n", argv[i]);
				return EXIT_USAGE;
			}
		} else if (strcmp(a, "--max-archive-bytes") == 0 && i + 1 < argc) {
			o.max_archive_bytes = main_parse_size(argv[++i]);
			if (o.max_archive_bytes == 0) {
				fprintf(stderr, "bulletin: --max-archive-bytes: expected a size such as 4G, got '%s'\n", argv[i]);
				return EXIT_USAGE;
			}
		} else if (strcmp(a, "--jsonl-fields") == 0 && i + 1 < argc) {
			pl_err fe = {{0}, 0};
			if (pl_read_check_jsonl_fields((o.jsonl_fields = argv[++i]), &fe) != PL_OK) {
				fprintf(stderr, "bulletin: %s\n", fe.msg);
				return EXIT_USAGE;
			}
		} else {
			fprintf(stderr, "bulletin: unknown or incomplete option '%s'\n%s", a, main_usage);
			return EXIT_USAGE;
		}
	}
	int ninputs = argc - i;
	if (ninputs < 1 || (mode != 0 && ninputs != 1)) {
		fprintf(stderr, "bulletin: %s\n%s", mode ? "expected one FILE" : "no INPUT given",
			main_usage);
		return EXIT_USAGE;
	}
	if (r.only && pl_stage_find(r.only) == NULL) {
		fprintf(stderr, "bulletin: --only: no stage called '%s' (decode, normalise, strip, dedup, extract)\n", r.only);
		return EXIT_USAGE;
	}
	if (state_path && r.only) {
		fprintf(stderr, "bulletin: --state and --only do not go together\n");
		return EXIT_USAGE;
	}
	if (o.timed && r.only) {
		fprintf(stderr, "bulletin: --times and --only do not go together\n");
		return EXIT_USAGE;
	}
	/* No SA_RESTART: a read blocked on a stalled pipe (stdin) returns
	 * EINTR, so the signal is acted on now, not when the writer ends.
	 * Set before the rules load: a signal then stops the run cleanly
	 * before its first document. */
	main_devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = main_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	pl_err e = {{0}, 0};
	/* The lock first: a second run exits at once, before loading rules. */
	if (state_path && pl_state_open(state_path, &r.state, &e) != PL_OK) {
		fprintf(stderr, "bulletin: %s\n", e.msg);
		return e.severity == PL_EBUSY ? EXIT_BUSY : EXIT_IO;
	}
	if (r.only) {
		if (pl_stage_decode.open(&r.only_state[0], &o, &e) != PL_OK ||
		    pl_stage_find(r.only)->open(&r.only_state[1], &o, &e) != PL_OK) {
			fprintf(stderr, "bulletin: %s\n", e.msg);
			pl_stage_decode.close(r.only_state[0]);
			return EXIT_USAGE;
		}
	} else if (main_open_stages(&r, &o, mode, jobs, &e) != PL_OK) {
		fprintf(stderr, "bulletin: %s\n", e.msg);
		pl_state_close(r.state);
		return e.severity == PL_EUSAGE ? EXIT_USAGE : EXIT_IO;
	}
	/* A stage that opened (here or for --only) may still have something
	 * to say (normalise: OpenCC dictionaries it does not know); said
	 * once, before any row. */
	if (e.msg[0] != '\0') {
		fprintf(stderr, "bulletin: %s\n", e.msg);
		e.msg[0] = '\0';
	}
	char docs_tmp[4200], facts_tmp[4200];
	int rc_io = 0, rebuilt = 0;
	if (mode == 0 && r.only == NULL) {
		if (main_mkdirs(outdir) != 0) {
			fprintf(stderr, "bulletin: %s: %s\n", outdir, strerror(errno));
			main_close_stages(&r);
			pl_state_close(r.state);
			return EXIT_IO;
		}
		if (r.state) {
			if (main_state_start(&r, outdir, docs_tmp, facts_tmp, sizeof docs_tmp,
					     &rebuilt) != 0) {
				main_close_stages(&r);
				pl_state_close(r.state);
				return EXIT_IO;
			}
		} else if (main_open_out(outdir, "docs.tsv", docs_tmp, sizeof docs_tmp, &r.docs,
					 r.docs_buf) != 0 ||
			   main_open_out(outdir, "facts.tsv", facts_tmp, sizeof facts_tmp, &r.facts,
					 r.facts_buf) != 0) {
			if (r.docs) {
				fclose(r.docs);
				unlink(docs_tmp);
			}
			main_close_stages(&r);
			return EXIT_IO;
		} else {
			pl_tsv_docs_header(r.docs);
			pl_tsv_facts_header(r.facts);
		}
	}
	if (mode == 1)
		r.print_text = 1;
	if (mode == 2) {
		r.print_facts = 1;
		pl_tsv_facts_header(stdout);
	}
	r.arena = pl_arena_new();
	size_t missing = 0;
	pl_read_inputs(argv + i, ninputs, &o, main_doc, &r, &missing, &e);
	/* Whatever stopped the walk, the documents read are in hand: their
	 * rows are written. */
	if (r.workers)
		pl_workers_drain(r.workers, main_job_done, &r);
	unsigned long long stage_ns[8] = {0}; /* --times, by index in pl_stages */
	if (o.timed && r.workers)
		pl_workers_stage_times(r.workers, stage_ns);
	else if (o.timed)
		for (size_t k = 0; k < r.pipe.n; k++)
			stage_ns[k] = r.pipe.cpu_ns[k];
	/* read before the index goes with the stages */
	int window_reached = r.older || pl_dupindex_dropped(r.dups) > 0;
	pl_arena_free(r.arena);
	if (r.only) {
		pl_stage_find(r.only)->close(r.only_state[1]);
		pl_stage_decode.close(r.only_state[0]);
	} else {
		main_close_stages(&r);
	}
	if (r.docs && r.state) {
		rc_io |= main_state_finish(&r, outdir, docs_tmp, facts_tmp, rebuilt) != 0;
	} else if (r.docs) {
		/* Outputs appear whole or not at all: written to temporary
		 * files, renamed into place at the end. An interrupted run
		 * still renames what it completed, whole documents only. */
		if (r.io_error) {
			fclose(r.docs);
			fclose(r.facts);
			unlink(docs_tmp);
			unlink(facts_tmp);
			rc_io = 1;
		} else {
			rc_io |= main_finish_out(outdir, "docs.tsv", docs_tmp, r.docs) != 0;
			rc_io |= main_finish_out(outdir, "facts.tsv", facts_tmp, r.facts) != 0;
		}
	}
	pl_state_close(r.state);
	if (fflush(stdout) != 0)
		rc_io = 1;
	if (!r.quiet && mode == 0 && r.only == NULL && state_path)
		fprintf(stderr, "bulletin: %zu new documents, %zu facts, %zu duplicates, %zu errors; "
			"%zu already recorded%s%s\n", r.ndocs, r.nfacts, r.ndup, r.nfailed,
			r.nknown + r.nchanged, r.nchanged ? " (some changed since)" : "",
			main_stop ? " (interrupted)" : "");
	else if (!r.quiet && mode == 0 && r.only == NULL)
		fprintf(stderr, "bulletin: %zu documents, %zu facts, %zu duplicates, %zu errors%s\n",
			r.ndocs, r.nfacts, r.ndup, r.nfailed, main_stop ? " (interrupted)" : "");
	/* A repost of an original that has left the window is not found: the
	 * user is told that the window was reached, and how to widen it. */
	if (!r.quiet && mode == 0 && r.only == NULL && window_reached)
		fprintf(stderr, "bulletin: duplicates were looked for among the last %zu original%s "
			"only; older ones had left the window (--dedup-window)\n",
			pl_dedup_window(&o), pl_dedup_window(&o) == 1 ? "" : "s");
	if (o.timed)
		main_say_times(stage_ns);
	if (rc_io || r.io_error)
		return EXIT_IO;
	if (main_stop)
		return 130;
	return r.nfailed > 0 ? EXIT_DOCS : 0;
}

static int main_cmd_num(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int bad = 0;
	long lineno = 0;
	while ((n = getline(&line, &cap, stdin)) >= 0) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		pl_num num;
		const char *why = NULL;
		if (pl_num_expr(line, (size_t)n, &num, &why) == PL_OK) {
			printf("%s\t", num.value);
			pl_tsv_field(stdout, num.unit);
			printf("\t%s\n", pl_approx_name(num.approx));
		} else {
			printf("\t\t\n");
			fprintf(stderr, "bulletin: num: line %ld: '%s': %s\n", lineno, line,
				why ? why : "not a number");
			bad = 1;
		}
	}
	free(line);
	return bad ? EXIT_DOCS : 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(main_usage, stderr);
		return EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		fputs(main_usage, stdout);
		return 0;
	}
	if (strcmp(cmd, "--version") == 0) {
		printf("bulletin %s\n", BULLETIN_VERSION);
		return 0;
	}
	if (strcmp(cmd, "run") == 0)
		return main_cmd_run(argc - 1, argv + 1, 0);
	if (strcmp(cmd, "clean") == 0)
		return main_cmd_run(argc - 1, argv + 1, 1);
	if (strcmp(cmd, "extract") == 0)
		return main_cmd_run(argc - 1, argv + 1, 2);
	if (strcmp(cmd, "num") == 0)
		return main_cmd_num();
	if (strcmp(cmd, "check-rules") == 0) {
		pl_err e = {{0}, 0};
		int rc = pl_check_rules(argc > 2 ? argv[2] : "rules", stdout, &e);
		if (rc == PL_ERR) {
			fprintf(stderr, "bulletin: %s\n", e.msg);
			return EXIT_USAGE;
		}
		return rc > 0 ? EXIT_DOCS : 0;
	}
	fprintf(stderr, "bulletin: unknown command '%s'\n%s", cmd, main_usage);
	return EXIT_USAGE;
}
