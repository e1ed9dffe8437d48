/* doc.h: the document passed through the stages, its arena, and errors.
 *
 * Ownership in one sentence: everything hanging off a pl_doc lives in that
 * document's arena and is released all at once by pl_arena_reset() after the
 * document's rows are written; long-lived things (compiled rules, library
 * handles) live in stage state and are freed by the stage's close(). */
#ifndef PL_DOC_H
#define PL_DOC_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* ---- arena ------------------------------------------------------------- */

typedef struct pl_arena pl_arena;

/* A new arena. Never returns NULL: on OOM the process aborts with a message.
 * The caller frees it with pl_arena_free(). */
pl_arena *pl_arena_new(void);
/* Frees every allocation made since the arena was created or last reset, but
 * keeps the first block for reuse. */
void pl_arena_reset(pl_arena *a);
/* Frees the arena itself; accepts NULL. */
void pl_arena_free(pl_arena *a);
/* n zeroed bytes, 16-byte aligned. Never returns NULL (aborts on OOM). */
void *pl_alloc(pl_arena *a, size_t n);
/* The same, not zeroed: for text the caller writes in full before reading
 * (a copy, a buffer), where zeroing would be one more pass over it. */
void *pl_alloc_bytes(pl_arena *a, size_t n);
/* A NUL-terminated copy of s[0..n). */
char *pl_strndup(pl_arena *a, const char *s, size_t n);
/* printf into the arena. */
char *pl_sprintf(pl_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Growable byte buffer backed by the arena: appends copy into a new block
 * when full, so earlier pointers into buf->data become stale after append. */
typedef struct pl_buf {
	char *data;
	size_t len, cap;
	pl_arena *arena;
} pl_buf;
void pl_buf_init(pl_buf *b, pl_arena *a, size_t cap);
void pl_buf_add(pl_buf *b, const char *s, size_t n);
void pl_buf_addc(pl_buf *b, char c);

/* ---- errors ------------------------------------------------------------ */

enum { PL_OK = 0, PL_DROP = 1, PL_ERR = -1 };
enum { PL_EDOC = 1, PL_EUSAGE = 2, PL_EIO = 3, PL_EFATAL = 4, PL_EBUSY = 5 };

typedef struct pl_err {
	char msg[2048];
	int severity; /* PL_EDOC: skip this document; others stop the run */
} pl_err;

/* Fills e (if not NULL) and returns PL_ERR. */
int pl_errf(pl_err *e, int severity, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- facts and documents ---------------------------------------------- */

enum { PL_APPROX_EXACT, PL_APPROX_OVER, PL_APPROX_ABOUT, PL_APPROX_UNDER };
const char *pl_approx_name(int approx);

typedef struct pl_fact {
	const char *field;    /* from the rule (rule-owned string, long-lived) */
	const char *value;    /* plain decimal, arena */
	const char *unit;     /* arena */
	int approx;           /* PL_APPROX_* */
	int part;             /* 1 = one item of a breakdown of another number */
	size_t group;         /* parts: where their breakdown starts (bracket or sentence) */
	int group_complete;   /* parts: 1 if the breakdown should add up to its total */
	const char *rule;     /* "file:line id", rule-owned */
	const char *rule_id;  /* rule-owned */
	size_t start, end;    /* byte offsets of the number in d->text */
	const char *evidence; /* clause, arena */
} pl_fact;

typedef struct pl_doc {
	const char *id;   /* doc_id: starts every message; arena */
	pl_arena *arena;  /* owns everything below */
	const unsigned char *bytes; /* raw input, read by decode; owned by reader */
	size_t nbytes;
	char *text;       /* UTF-8, NUL-terminated; stages replace it */
	size_t len;

	char sha256[65];
	const char *encoding;  /* "utf-8", "gb18030", ... */
	const char *script;    /* simplified, traditional, mixed */
	const char *title, *date, *publisher, *province, *city;
	const char *html_title; /* title found by an upstream parser, may be NULL */
	const char *charset;   /* declared by the container (a WARC record's HTTP
				* header; "utf-8" for JSON and feed text), or NULL */
	int is_html;           /* the container says the bytes are HTML */
	const char *status;    /* ok, duplicate, empty, error:..., warning:... */
	const char *dup_of;
	size_t replaced;       /* invalid input bytes replaced by U+FFFD */
	size_t dropped_lines;  /* lines removed by strip and dedup */
	const char *check;     /* consistency summary, set by extract */
	const uint32_t *minhash; /* set by dedup: PL_MINHASH_N minima, or NULL */
	const uint64_t *nums;    /* set by dedup: number tokens (minhash.h) */
	size_t nnums;
	/* -j: the duplicate search a worker thread made against the index
	 * as it was then (minhash.h: pl_dupindex_search), for the main
	 * thread to finish in input order */
	int dup_searched;
	uint64_t dup_found, dup_upto;

	pl_fact *facts;
	size_t nfacts, capfacts;
} pl_doc;

/* Appends a zeroed fact to d (arena-backed) and returns it. */
pl_fact *pl_doc_add_fact(pl_doc *d);

#endif
