/* workers.c: the thread pool behind -j (see workers.h).
 *
 * Jobs live in a ring of nslots. Three counters, all under one mutex, say
 * where each job is: [head, next) are taken by workers (running or done),
 * [next, tail) wait for a worker, and a slot is free again once head has
 * passed it, that is once done() has had it. Only the main thread moves
 * head and tail; workers move next. */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "workers.h"

typedef struct workers_slot {
	pl_job job;
	int finished; /* the worker is done with it */
} workers_slot;

struct pl_workers {
	pthread_mutex_t lock;
	pthread_cond_t work;     /* a job was queued, or stop */
	pthread_cond_t finished; /* a job finished */
	workers_slot *slots;
	size_t nslots;
	size_t head, next, tail; /* sequence numbers; slot = seq % nslots */
	int stop;
	pthread_t *threads;
	pl_pipeline *pipes;     /* one per thread */
	int nthreads, npipes;
	const pl_opts *opts;    /* for the threads' own opens (the caller's,
				 * valid until pl_workers_start() returns) */
	int nready;             /* threads that have tried to open their pipeline */
	int open_failed;        /* one of them could not: open_err says why */
	pl_err open_err;
};

typedef struct workers_arg {
	pl_workers *w;
	int index;
} workers_arg;

static void *workers_main(void *arg)
{
	pl_workers *w = ((workers_arg *)arg)->w;
	int index = ((workers_arg *)arg)->index;
	free(arg);
	pl_pipeline *pipe = &w->pipes[index];
	/* Thread 0's pipeline was opened by pl_workers_start(); the others
	 * open their own, in parallel: loading the rules and OpenCC's
	 * dictionaries N times one after another would make a run on many
	 * cores slow to start. */
	pl_err e = {{0}, 0};
	int rc = index == 0 ? PL_OK : pl_pipeline_open(pipe, NULL, w->opts, &e);
	pthread_mutex_lock(&w->lock);
	if (rc != PL_OK && !w->open_failed) {
		w->open_failed = 1;
		w->open_err = e;
	}
	w->nready++;
	pthread_cond_broadcast(&w->finished);
	if (rc != PL_OK) {
		pthread_mutex_unlock(&w->lock);
		return NULL;
	}
	for (;;) {
		while (!w->stop && w->next == w->tail)
			pthread_cond_wait(&w->work, &w->lock);
		if (w->next == w->tail)
			break; /* stop, and nothing queued */
		workers_slot *s = &w->slots[w->next++ % w->nslots];
		pthread_mutex_unlock(&w->lock);
		pl_job *j = &s->job;
		if (j->run)
			j->rc = pl_pipeline_run(pipe, &j->doc, &j->failed, &j->err);
		pthread_mutex_lock(&w->lock);
		s->finished = 1;
		pthread_cond_broadcast(&w->finished);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

int pl_workers_default(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > PL_WORKERS_MAX ? PL_WORKERS_MAX : (int)n;
}

int pl_workers_start(pl_workers **wp, int n, const pl_opts *o, pl_err *e)
{
	*wp = NULL;
	pl_workers *w = calloc(1, sizeof *w);
	if (w == NULL)
		return pl_errf(e, PL_EFATAL, "out of memory");
	w->nslots = (size_t)n * PL_WORKERS_JOBS_PER_THREAD;
	w->slots = calloc(w->nslots, sizeof *w->slots);
	w->threads = calloc((size_t)n, sizeof *w->threads);
	w->pipes = calloc((size_t)n, sizeof *w->pipes);
	w->npipes = w->pipes != NULL ? n : 0;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->work, NULL);
	pthread_cond_init(&w->finished, NULL);
	if (w->slots == NULL || w->threads == NULL || w->pipes == NULL) {
		pl_workers_stop(w);
		return pl_errf(e, PL_EFATAL, "out of memory");
	}
	for (size_t i = 0; i < w->nslots; i++)
		w->slots[i].job.doc.arena = pl_arena_new();
	/* The first pipeline is opened here, on the main thread: libraries
	 * that set themselves up on first use (libxml2, ICU) do so before
	 * any thread starts, and a rule file that does not load is reported
	 * from here. */
	w->opts = o;
	if (pl_pipeline_open(&w->pipes[0], NULL, o, e) != PL_OK) {
		pl_workers_stop(w);
		return PL_ERR;
	}
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	/* As much stack as the main thread usually has: the HTML walk and
	 * PCRE2 recurse on what the input gives them. */
	pthread_attr_setstacksize(&attr, 8u << 20);
	int rc = PL_OK;
	for (; w->nthreads < n; w->nthreads++) {
		workers_arg *a = malloc(sizeof *a);
		if (a != NULL) {
			a->w = w;
			a->index = w->nthreads;
		}
		if (a == NULL || pthread_create(&w->threads[w->nthreads], &attr, workers_main, a) != 0) {
			free(a);
			rc = pl_errf(e, PL_EFATAL, "cannot start worker thread %d", w->nthreads + 1);
			break;
		}
	}
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_mutex_lock(&w->lock);
	while (w->nready < w->nthreads)
		pthread_cond_wait(&w->finished, &w->lock);
	if (rc == PL_OK && w->open_failed) {
		*e = w->open_err;
		rc = PL_ERR;
	}
	pthread_mutex_unlock(&w->lock);
	if (rc != PL_OK) {
		pl_workers_stop(w);
		return rc;
	}
	*wp = w;
	return PL_OK;
}

/* Hands the job at head to done() and frees its slot. Called with the lock
 * held when the job has finished; done() runs without it, so the workers
 * go on meanwhile. */
static void workers_hand_back(pl_workers *w, pl_job_done_fn done, void *ctx)
{
	workers_slot *s = &w->slots[w->head % w->nslots];
	pthread_mutex_unlock(&w->lock);
	done(ctx, &s->job);
	pl_arena *a = s->job.doc.arena;
	pl_arena_reset(a);
	memset(&s->job, 0, sizeof s->job);
	s->job.doc.arena = a;
	pthread_mutex_lock(&w->lock);
	s->finished = 0;
	w->head++;
}

pl_job *pl_workers_next(pl_workers *w, pl_job_done_fn done, void *ctx)
{
	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (w->head < w->tail && w->slots[w->head % w->nslots].finished)
			workers_hand_back(w, done, ctx);
		if (w->tail - w->head < w->nslots)
			break;
		pthread_cond_wait(&w->finished, &w->lock);
	}
	pl_job *j = &w->slots[w->tail % w->nslots].job;
	pthread_mutex_unlock(&w->lock);
	return j;
}

void pl_workers_submit(pl_workers *w)
{
	/* the job is the slot at tail: pl_workers_next() returned it */
	pthread_mutex_lock(&w->lock);
	w->tail++;
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->lock);
}

void pl_workers_drain(pl_workers *w, pl_job_done_fn done, void *ctx)
{
	pthread_mutex_lock(&w->lock);
	while (w->head < w->tail) {
		if (w->slots[w->head % w->nslots].finished)
			workers_hand_back(w, done, ctx);
		else
			pthread_cond_wait(&w->finished, &w->lock);
	}
	pthread_mutex_unlock(&w->lock);
}

void pl_workers_stage_times(pl_workers *w, unsigned long long *cpu_ns)
{
	/* under the lock: the last stores of each thread are seen */
	pthread_mutex_lock(&w->lock);
	for (int i = 0; w->pipes != NULL && i < w->npipes; i++)
		for (size_t k = 0; k < w->pipes[i].n; k++)
			cpu_ns[k] += w->pipes[i].cpu_ns[k];
	pthread_mutex_unlock(&w->lock);
}

void pl_workers_stop(pl_workers *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = 1;
	w->tail = w->next; /* jobs no worker has taken are dropped */
	pthread_cond_broadcast(&w->work);
	pthread_mutex_unlock(&w->lock);
	for (int i = 0; i < w->nthreads; i++)
		pthread_join(w->threads[i], NULL);
	/* A pipeline never opened, or whose open failed, has no stages:
	 * closing it does nothing. */
	for (int i = 0; w->pipes != NULL && i < w->npipes; i++)
		pl_pipeline_close(&w->pipes[i]);
	for (size_t i = 0; w->slots != NULL && i < w->nslots; i++)
		pl_arena_free(w->slots[i].job.doc.arena);
	pthread_cond_destroy(&w->finished);
	pthread_cond_destroy(&w->work);
	pthread_mutex_destroy(&w->lock);
	free(w->slots);
	free(w->threads);
	free(w->pipes);
	free(w);
}
