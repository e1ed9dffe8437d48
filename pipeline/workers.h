/* workers.h: -j N, the stages on N threads, results in input order.
 *
 * The main thread reads the inputs and fills one job per document; N
 * worker threads, each with its own opened pipeline (its own rules, match
 * data, OpenCC and ICU handles: nothing is shared between threads), run the
 * jobs through the stages; the main thread takes the finished jobs back in
 * the order it filled them and writes their rows. Output is therefore
 * byte-identical to a run without threads. A fixed ring of jobs bounds
 * memory: at most PL_WORKERS_JOBS_PER_THREAD * N documents are in flight.
 *
 * Ownership: each job owns its pl_doc's arena (made by pl_workers_start,
 * reset after done() returns, freed by pl_workers_stop). Everything the
 * caller puts in a job (the input bytes too) must live in that arena. */
#ifndef PL_WORKERS_H
#define PL_WORKERS_H

#include "doc.h"
#include "stage.h"

#define PL_WORKERS_MAX 256
/* Enough that one slow document (traditional script) at the head of the
 * queue does not leave the other threads idle: with 4, -j 2 over the bench
 * corpus ran 1.31x -j 1; with 16, 1.8x. */
#define PL_WORKERS_JOBS_PER_THREAD 16

typedef struct pl_job {
	pl_doc doc;          /* filled by the caller; doc.arena is the job's */
	int run;             /* 1: run doc through the stages; 0: it already
			      * has its status (an input that was not read) */
	int rc;              /* pl_pipeline_run()'s result (PL_OK if not run) */
	const char *failed;  /* the stage that failed, or NULL */
	pl_err err;          /* its message, or the caller's, or "" */
} pl_job;

typedef struct pl_workers pl_workers;

/* Called on the main thread for each finished job, in input order. */
typedef void (*pl_job_done_fn)(void *ctx, pl_job *j);

/* Opens n pipelines with options o and starts n threads (SIGINT and
 * SIGTERM blocked in them, so signals reach the main thread). Returns
 * PL_OK, or PL_ERR with e filled (a rule file that does not load, say)
 * and nothing left running. */
int pl_workers_start(pl_workers **w, int n, const pl_opts *o, pl_err *e);

/* A free job, zeroed but for doc.arena (fresh), for the caller to fill and
 * then submit. When every job is in flight it waits for the oldest to
 * finish; every finished job at the head of the queue is handed to done()
 * first. */
pl_job *pl_workers_next(pl_workers *w, pl_job_done_fn done, void *ctx);

/* Queues the job pl_workers_next() returned last, once filled. */
void pl_workers_submit(pl_workers *w);

/* Waits for every job in flight and hands each to done(), in order. */
void pl_workers_drain(pl_workers *w, pl_job_done_fn done, void *ctx);

/* Adds the CPU time each stage took on every thread (pl_pipeline.cpu_ns,
 * with pl_opts.timed) to cpu_ns[stage index in pl_stages]. Call it after
 * pl_workers_drain(), when no job is in flight. */
void pl_workers_stage_times(pl_workers *w, unsigned long long *cpu_ns);

/* Drains nothing: stops the threads (after the jobs they hold), closes the
 * pipelines and frees everything. Call pl_workers_drain() first to keep
 * the results. Accepts NULL. */
void pl_workers_stop(pl_workers *w);

/* The number of online processors (the default of -j), at least 1. */
int pl_workers_default(void);

#endif
