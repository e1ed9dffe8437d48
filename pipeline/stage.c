/* stage.c: the stage registry and the chain that runs a document through. */
#include <string.h>
#include <time.h>

#include "stage.h"

const pl_stage *const pl_stages[] = {
	&pl_stage_decode, &pl_stage_html,    &pl_stage_normalise, &pl_stage_strip,
	&pl_stage_dedup,  &pl_stage_extract, NULL,
};

const pl_stage *pl_stage_find(const char *name)
{
	for (size_t i = 0; pl_stages[i] != NULL; i++)
		if (strcmp(pl_stages[i]->name, name) == 0)
			return pl_stages[i];
	return NULL;
}

int pl_pipeline_open(pl_pipeline *p, const char *last, const pl_opts *o,
		     pl_err *e)
{
	memset(p, 0, sizeof *p);
	p->timed = o->timed;
	for (size_t i = 0; pl_stages[i] != NULL; i++) {
		const pl_stage *s = pl_stages[i];
		if (s->open(&p->state[p->n], o, e) != PL_OK) {
			pl_pipeline_close(p);
			return PL_ERR;
		}
		p->stages[p->n++] = s;
		if (last != NULL && strcmp(s->name, last) == 0)
			break;
	}
	return PL_OK;
}

/* The CPU time of the calling thread, in nanoseconds (0 if the clock
 * cannot be read). */
static unsigned long long stage_thread_ns(void)
{
	struct timespec t;
	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t) != 0)
		return 0;
	return (unsigned long long)t.tv_sec * 1000000000ull + (unsigned long long)t.tv_nsec;
}

int pl_pipeline_run(pl_pipeline *p, pl_doc *d, const char **failed, pl_err *e)
{
	*failed = NULL;
	for (size_t i = 0; i < p->n; i++) {
		unsigned long long t0 = p->timed ? stage_thread_ns() : 0;
		int rc = p->stages[i]->run(p->state[i], d, e);
		if (p->timed) {
			unsigned long long t1 = stage_thread_ns();
			p->cpu_ns[i] += t1 > t0 ? t1 - t0 : 0;
		}
		if (rc == PL_ERR) {
			*failed = p->stages[i]->name;
			if (d->status == NULL || strncmp(d->status, "error:", 6) != 0)
				d->status = pl_sprintf(d->arena, "error:%s",
						       p->stages[i]->name);
			return PL_ERR;
		}
		if (rc == PL_DROP)
			return PL_DROP;
	}
	if (d->status == NULL)
		d->status = "ok";
	return PL_OK;
}

void pl_pipeline_close(pl_pipeline *p)
{
	for (size_t i = p->n; i-- > 0;)
		p->stages[i]->close(p->state[i]);
	p->n = 0;
}
