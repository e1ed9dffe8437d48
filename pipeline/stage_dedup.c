/* stage_dedup.c: a block repeated inside one document is kept once.
 * Scraped pages often print the whole article twice (a print view, a
 * mobile copy); every paragraph of the second copy is dropped.
 * In:  d->text, one paragraph per line (strip's output).
 * Out: d->text without repeated paragraphs (arena); d->dropped_lines grows;
 *      status "empty" when nothing is left.
 * Owns: nothing; the per-document hash set lives in the arena.
 * Errors: none. Cross-document duplicates are marked elsewhere (dup_of). */
#include <string.h>

#include "stage.h"

static int dedup_open(void **state, const pl_opts *o, pl_err *e)
{
	(void)o;
	(void)e;
	*state = NULL;
	return PL_OK;
}

static void dedup_close(void *state) { (void)state; }

/* FNV-1a over the paragraph with spaces ignored, so a copy that differs only
 * in indentation or spacing is still a copy. */
static uint64_t dedup_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == ' ')
			continue;
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h ? h : 1;
}

static int dedup_run(void *state, pl_doc *d, pl_err *e)
{
	(void)state;
	size_t nlines = 1;
	for (size_t i = 0; i < d->len; i++)
		nlines += d->text[i] == '\n';
	size_t cap = 16;
	while (cap < nlines * 2)
		cap *= 2;
	uint64_t *seen = pl_alloc(d->arena, cap * sizeof *seen);
	pl_buf out;
	pl_buf_init(&out, d->arena, d->len + 1);
	size_t dropped = 0;
	for (const char *s = d->text, *end = d->text + d->len; s < end;) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		if (nl == NULL)
			nl = end;
		size_t len = (size_t)(nl - s);
		/* Short lines (a heading such as 一、, a date) legitimately
		 * repeat; only paragraphs of some length count as copies. */
		int repeated = 0;
		if (len >= 30) {
			uint64_t h = dedup_hash(s, len);
			size_t k = (size_t)h & (cap - 1);
			while (seen[k] != 0 && seen[k] != h)
				k = (k + 1) & (cap - 1);
			repeated = seen[k] == h;
			seen[k] = h;
		}
		if (repeated) {
			dropped++;
		} else {
			if (out.len)
				pl_buf_addc(&out, '\n');
			pl_buf_add(&out, s, len);
		}
		s = nl + 1;
	}
	d->text = out.data;
	d->len = out.len;
	d->dropped_lines += dropped;
	if (d->len == 0) {
		d->status = "empty";
		pl_errf(e, PL_EDOC, "%s: dedup: no body text left after stripping", d->id);
		return PL_DROP;
	}
	return PL_OK;
}

const pl_stage pl_stage_dedup = {
	.name = "dedup", .open = dedup_open, .run = dedup_run, .close = dedup_close,
};
