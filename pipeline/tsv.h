/* tsv.h: the output writer. TSV, UTF-8, one header row; a field never holds
 * a raw tab or newline: \t \n \r and \\ are written escaped. */
#ifndef PL_TSV_H
#define PL_TSV_H

#include <stdio.h>

#include "doc.h"

/* Writes s escaped (NULL writes nothing). This and the row writers return
 * 0, or -1 with errno set when a write to f failed (the stream writes its
 * buffer when full, so a failure shows at the row that filled it). */
int pl_tsv_field(FILE *f, const char *s);
void pl_tsv_docs_header(FILE *f);
int pl_tsv_doc_row(FILE *f, const pl_doc *d);
void pl_tsv_facts_header(FILE *f);
int pl_tsv_fact_rows(FILE *f, const pl_doc *d);

#endif
