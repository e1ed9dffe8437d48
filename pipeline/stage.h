/* stage.h: the one interface every stage implements, and the registry.
 *
 * A stage is opened once (load rules, open library handles), run once per
 * document, and closed once. run() returns PL_OK to pass the document on,
 * PL_DROP to stop processing it (its row is still written, with the status
 * the stage set), or PL_ERR with e filled in. */
#ifndef PL_STAGE_H
#define PL_STAGE_H

#include "doc.h"

typedef struct pl_opts {
	const char *rules_dir;  /* "rules" unless --rules */
	size_t max_doc_bytes;   /* larger inputs are reported and skipped */
	int no_dedup;           /* 1: no duplicate search across documents */
	int dedup_defer;        /* 1: dedup signs each document but leaves the
				 * lookup among earlier ones to the caller
				 * (pl_dedup_resolve): the -j worker threads */
	struct pl_dupindex *dedup_shared; /* with dedup_defer: the caller's
					   * index, which the stage searches
					   * first (minhash.h) */
	unsigned long long max_archive_bytes; /* expanded bytes per compressed
						 archive; 0: the reader's default */
	const char *jsonl_fields; /* --jsonl-fields "id=docid,...", or NULL */
	int timed;                /* --times: pipelines count their stages' CPU time */
	size_t dedup_window;      /* --dedup-window: originals the duplicate
				   * index keeps; 0: PL_DUP_WINDOW */
} pl_opts;

/* The window of a run's index of originals (minhash.h): --dedup-window,
 * or the default. */
size_t pl_dedup_window(const pl_opts *o);

typedef struct pl_stage {
	const char *name; /* CLI (--only) and tests/stages/<name>/ */
	int (*open)(void **state, const pl_opts *o, pl_err *e);
	int (*run)(void *state, pl_doc *d, pl_err *e);
	void (*close)(void *state); /* must accept NULL */
} pl_stage;

/* 1 when b[0..n), not UTF-8, is plainly Chinese in GB18030 (see
 * stage_decode.c), so that charset detection can be spared. */
int pl_decode_is_gb_chinese(const unsigned char *b, size_t n);

/* How b[0..n) reads as UTF-8: invalid sequences, valid multi-byte ones and
 * NUL bytes (stage_decode.c says when it stops counting early). */
void pl_decode_utf8_stats(const unsigned char *b, size_t n, size_t *bad, size_t *multi,
			  size_t *nuls);

extern const pl_stage pl_stage_decode, pl_stage_html, pl_stage_normalise,
    pl_stage_strip, pl_stage_dedup, pl_stage_extract;

/* The stages in pipeline order, NULL-terminated. */
extern const pl_stage *const pl_stages[];

/* The stage called name, or NULL. */
const pl_stage *pl_stage_find(const char *name);

/* An opened chain of stages. */
typedef struct pl_pipeline {
	const pl_stage *stages[8];
	void *state[8];
	size_t n;
	/* With pl_opts.timed: the CPU time of the thread running the chain,
	 * in nanoseconds, spent in stages[i] so far (--times). */
	int timed;
	unsigned long long cpu_ns[8];
} pl_pipeline;

/* Opens the stages from the first up to and including `last` (NULL: all).
 * On PL_ERR every stage already opened is closed again. */
int pl_pipeline_open(pl_pipeline *p, const char *last, const pl_opts *o,
		     pl_err *e);
/* Runs d through the chain. Returns PL_OK, PL_DROP or PL_ERR; on PL_ERR
 * *failed names the stage. d->status is always set on return. When the
 * chain is timed, adds each stage's CPU time to cpu_ns. */
int pl_pipeline_run(pl_pipeline *p, pl_doc *d, const char **failed, pl_err *e);
void pl_pipeline_close(pl_pipeline *p);

#endif
