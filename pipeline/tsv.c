/* tsv.c: docs.tsv and facts.tsv rows (design.md, "Output contract"). */
#include <errno.h>
#include <string.h>

#include "tsv.h"
#include "utf8.h"

/* The core fields, in docs.tsv column order. */
static const char *const tsv_fields[] = {
	"issues_found",        "issues_completed",    "issues_in_progress",
	"issues_overdue",      "complaints_received", "complaints_resolved",
	"persons_accountable", "orgs_accountable",    "accountability_cases",
	"interviews",          "cases_filed",         "fines_yuan",
	"detained",            NULL,
};

/* A row is built here and handed to the stream in one fwrite (or a few,
 * for a long one): a document's facts are dozens of short columns, and a
 * stdio call for each one took its lock each time. */
typedef struct tsv_out {
	FILE *f;
	int err; /* errno of the first write that failed, or 0 */
	size_t len;
	char buf[8192];
} tsv_out;

/* Not {.f = f}: that would zero the 8 KB buffer for every row. */
static void tsv_start(tsv_out *o, FILE *f)
{
	o->f = f;
	o->err = 0;
	o->len = 0;
}

static void tsv_write(tsv_out *o, const char *s, size_t n)
{
	if (fwrite(s, 1, n, o->f) != n && o->err == 0)
		o->err = errno ? errno : EIO;
}

static void tsv_flush(tsv_out *o)
{
	if (o->len > 0)
		tsv_write(o, o->buf, o->len);
	o->len = 0;
}

/* 0, or -1 with errno set when a write failed. */
static int tsv_done(tsv_out *o)
{
	tsv_flush(o);
	if (o->err == 0)
		return 0;
	errno = o->err;
	return -1;
}

static void tsv_put(tsv_out *o, const char *s, size_t n)
{
	if (n > sizeof o->buf - o->len) {
		tsv_flush(o);
		if (n > sizeof o->buf) {
			tsv_write(o, s, n);
			return;
		}
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static void tsv_putc(tsv_out *o, char c)
{
	if (o->len == sizeof o->buf)
		tsv_flush(o);
	o->buf[o->len++] = c;
}

/* s escaped; NULL is an empty column. */
static void tsv_field(tsv_out *o, const char *s)
{
	if (s == NULL)
		return;
	/* Runs with nothing to escape are copied whole. */
	for (;;) {
		size_t run = strcspn(s, "\t\n\r\\");
		tsv_put(o, s, run);
		s += run;
		switch (*s) {
		case '\t': tsv_put(o, "\\t", 2); break;
		case '\n': tsv_put(o, "\\n", 2); break;
		case '\r': tsv_put(o, "\\r", 2); break;
		case '\\': tsv_put(o, "\\\\", 2); break;
		default: return; /* the end */
		}
		s++;
	}
}

int pl_tsv_field(FILE *f, const char *s)
{
	tsv_out o;
	tsv_start(&o, f);
	tsv_field(&o, s);
	return tsv_done(&o);
}

/* v in decimal, without printf's format parsing. */
static void tsv_size(tsv_out *o, size_t v)
{
	char digits[24];
	size_t i = sizeof digits;
	do {
		digits[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	tsv_put(o, digits + i, sizeof digits - i);
}

/* A column that never needs escaping (a number, a fixed word); NULL is
 * an empty column. */
static void tsv_plain(tsv_out *o, const char *s)
{
	if (s != NULL)
		tsv_put(o, s, strlen(s));
}

void pl_tsv_docs_header(FILE *f)
{
	fputs("doc_id\tsha256\tencoding\tscript\ttitle\tdate\tpublisher\tprovince\tcity"
	      "\tstatus\tdup_of\tbody_chars\tdropped_lines",
	      f);
	for (size_t i = 0; tsv_fields[i]; i++)
		fprintf(f, "\t%s", tsv_fields[i]);
	fputs("\tcheck\n", f);
}

int pl_tsv_doc_row(FILE *f, const pl_doc *d)
{
	tsv_out o;
	tsv_start(&o, f);
	const char *cols[] = {d->id,       d->sha256,  d->encoding, d->script,
			      d->title,    d->date,    d->publisher, d->province,
			      d->city,     d->status,  d->dup_of};
	for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
		if (i)
			tsv_putc(&o, '\t');
		tsv_field(&o, cols[i]);
	}
	tsv_putc(&o, '\t');
	tsv_size(&o, d->text ? pl_utf8_count(d->text, d->len) : 0);
	tsv_putc(&o, '\t');
	tsv_size(&o, d->dropped_lines);
	/* Headline value: the first total-scope fact in reading order. */
	for (size_t k = 0; tsv_fields[k]; k++) {
		tsv_putc(&o, '\t');
		for (size_t i = 0; i < d->nfacts; i++)
			if (!d->facts[i].part && strcmp(d->facts[i].field, tsv_fields[k]) == 0) {
				tsv_plain(&o, d->facts[i].value);
				break;
			}
	}
	tsv_putc(&o, '\t');
	tsv_field(&o, d->check);
	tsv_putc(&o, '\n');
	return tsv_done(&o);
}

void pl_tsv_facts_header(FILE *f)
{
	fputs("doc_id\tfield\tvalue\tunit\tapprox\tscope\trule\tstart\tend\tevidence\tdup_of\n", f);
}

int pl_tsv_fact_rows(FILE *f, const pl_doc *d)
{
	tsv_out o;
	tsv_start(&o, f);
	for (size_t i = 0; i < d->nfacts; i++) {
		const pl_fact *x = &d->facts[i];
		tsv_field(&o, d->id);
		tsv_putc(&o, '\t');
		tsv_field(&o, x->field);
		tsv_putc(&o, '\t');
		tsv_plain(&o, x->value);
		tsv_putc(&o, '\t');
		tsv_field(&o, x->unit);
		tsv_putc(&o, '\t');
		tsv_plain(&o, pl_approx_name(x->approx));
		tsv_plain(&o, x->part ? "\tpart\t" : "\ttotal\t");
		tsv_field(&o, x->rule_id);
		tsv_putc(&o, '\t');
		tsv_size(&o, x->start);
		tsv_putc(&o, '\t');
		tsv_size(&o, x->end);
		tsv_putc(&o, '\t');
		tsv_field(&o, x->evidence);
		/* A duplicate's facts name the first copy, so that a summary
		 * can leave them out (dup_of == "") and count a notice once. */
		tsv_putc(&o, '\t');
		tsv_field(&o, d->dup_of);
		tsv_putc(&o, '\n');
	}
	return tsv_done(&o);
}
