/* tsv.c: docs.tsv and facts.tsv rows (design.md, "Output contract"). */
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

void pl_tsv_field(FILE *f, const char *s)
{
	if (s == NULL)
		return;
	/* Runs with nothing to escape are written whole. */
	for (;;) {
		size_t run = strcspn(s, "\t\n\r\\");
		fwrite(s, 1, run, f);
		s += run;
		switch (*s) {
		case '\t': fputs("\\t", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\\': fputs("\\\\", f); break;
		default: return; /* the end */
		}
		s++;
	}
}

/* v in decimal: the fact rows' offsets, written without printf's format
 * parsing (a row is a few dozen small writes into the stream's buffer). */
static void tsv_size(FILE *f, size_t v)
{
	char digits[24];
	size_t i = sizeof digits;
	do {
		digits[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	fwrite(digits + i, 1, sizeof digits - i, f);
}

/* A column that never needs escaping (a number, a fixed word); NULL is
 * an empty column. */
static void tsv_plain(FILE *f, const char *s)
{
	if (s != NULL)
		fputs(s, f);
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

void pl_tsv_doc_row(FILE *f, const pl_doc *d)
{
	const char *cols[] = {d->id,       d->sha256,  d->encoding, d->script,
			      d->title,    d->date,    d->publisher, d->province,
			      d->city,     d->status,  d->dup_of};
	for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
		if (i)
			fputc('\t', f);
		pl_tsv_field(f, cols[i]);
	}
	fprintf(f, "\t%zu\t%zu", d->text ? pl_utf8_count(d->text, d->len) : 0,
		d->dropped_lines);
	/* Headline value: the first total-scope fact in reading order. */
	for (size_t k = 0; tsv_fields[k]; k++) {
		fputc('\t', f);
		for (size_t i = 0; i < d->nfacts; i++)
			if (!d->facts[i].part && strcmp(d->facts[i].field, tsv_fields[k]) == 0) {
				fputs(d->facts[i].value, f);
				break;
			}
	}
	fputc('\t', f);
	pl_tsv_field(f, d->check);
	fputc('\n', f);
}

void pl_tsv_facts_header(FILE *f)
{
	fputs("doc_id\tfield\tvalue\tunit\tapprox\tscope\trule\tstart\tend\tevidence\tdup_of\n", f);
}

void pl_tsv_fact_rows(FILE *f, const pl_doc *d)
{
	for (size_t i = 0; i < d->nfacts; i++) {
		const pl_fact *x = &d->facts[i];
		pl_tsv_field(f, d->id);
		fputc('\t', f);
		pl_tsv_field(f, x->field);
		fputc('\t', f);
		tsv_plain(f, x->value);
		fputc('\t', f);
		pl_tsv_field(f, x->unit);
		fputc('\t', f);
		tsv_plain(f, pl_approx_name(x->approx));
		fputs(x->part ? "\tpart\t" : "\ttotal\t", f);
		pl_tsv_field(f, x->rule_id);
		fputc('\t', f);
		tsv_size(f, x->start);
		fputc('\t', f);
		tsv_size(f, x->end);
		fputc('\t', f);
		pl_tsv_field(f, x->evidence);
		/* A duplicate's facts name the first copy, so that a summary
		 * can leave them out (dup_of == "") and count a notice once. */
		fputc('\t', f);
		pl_tsv_field(f, d->dup_of);
		fputc('\n', f);
	}
}
