/* err.c: the one error message buffer, and small helpers on facts. */
#include <stdio.h>
#include <string.h>

#include "doc.h"

int pl_errf(pl_err *e, int severity, const char *fmt, ...)
{
	if (e != NULL) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof e->msg, fmt, ap);
		va_end(ap);
		e->severity = severity;
	}
	return PL_ERR;
}

const char *pl_approx_name(int approx)
{
	switch (approx) {
	case PL_APPROX_OVER: return "over";
	case PL_APPROX_ABOUT: return "about";
	case PL_APPROX_UNDER: return "under";
	default: return "exact";
	}
}

pl_fact *pl_doc_add_fact(pl_doc *d)
{
	if (d->nfacts == d->capfacts) {
		size_t cap = d->capfacts ? d->capfacts * 2 : 16;
		pl_fact *f = pl_alloc(d->arena, cap * sizeof *f);
		if (d->nfacts)
			memcpy(f, d->facts, d->nfacts * sizeof *f);
		d->facts = f;
		d->capfacts = cap;
	}
	pl_fact *f = &d->facts[d->nfacts++];
	memset(f, 0, sizeof *f);
	return f;
}
