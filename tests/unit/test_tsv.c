/* test_tsv.c: the output contract: escaping, columns, headline values. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "tsv.h"

/* What fn writes of d; empty if fn reports a failed write (so that every
 * test of it fails). */
static char *capture(int (*fn)(FILE *, const pl_doc *), const pl_doc *d)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	int rc = fn(f, d);
	fclose(f);
	if (rc != 0)
		buf[0] = '\0';
	return buf;
}

static int count_char(const char *s, char c)
{
	int n = 0;
	for (; *s; s++)
		n += *s == c;
	return n;
}

int main(void)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	pl_tsv_field(f, "a\tb\nc\\d\re");
	fclose(f);
	test_cond("tab, newline, backslash and CR are escaped", strcmp(buf, "a\\tb\\nc\\\\d\\re") == 0);
	free(buf);

	pl_arena *a = pl_arena_new();
	pl_doc d = {.arena = a, .id = "dir/x.txt", .encoding = "utf-8", .script = "simplified",
		    .title = "标题\t有制表符", .status = "ok", .dup_of = "", .text = "正文", .len = 6};
	pl_fact *part = pl_doc_add_fact(&d);
	part->field = "persons_accountable";
	part->value = "11";
	part->unit = "人";
	part->part = 1;
	part->rule_id = "r1";
	part->evidence = "厅级干部11人";
	pl_fact *total = pl_doc_add_fact(&d);
	total->field = "persons_accountable";
	total->value = "81";
	total->unit = "名";
	total->rule_id = "r2";
	total->evidence = "81名\n责任人员";
	total->start = 0;
	total->end = 18446744073709551615u; /* SIZE_MAX on 64 bits: every digit */
	part->start = 10;
	part->end = 19;

	char *row = capture(pl_tsv_doc_row, &d);
	test_cond("docs row has 27 columns", count_char(row, '\t') == 26);
	test_cond("title tab is escaped in docs row", strstr(row, "标题\\t有制表符") != NULL);
	test_cond("headline value skips the part and takes the total",
		  strstr(row, "\t81\t") != NULL && strstr(row, "\t11\t") == NULL);
	test_cond("body_chars counts characters, not bytes", strstr(row, "\t2\t0\t") != NULL);
	free(row);

	char *facts = capture(pl_tsv_fact_rows, &d);
	test_cond("two fact rows", count_char(facts, '\n') == 2);
	test_cond("fact rows: the whole row, offsets in decimal",
		  strstr(facts, "dir/x.txt\tpersons_accountable\t11\t人\texact\tpart\tr1\t10\t19\t"
				"厅级干部11人\t\n") != NULL &&
		      strstr(facts, "\tr2\t0\t18446744073709551615\t81名") != NULL);
	test_cond("scope column says part then total",
		  strstr(facts, "\tpart\t") != NULL && strstr(facts, "\ttotal\t") != NULL);
	test_cond("evidence newline is escaped", strstr(facts, "81名\\n责任人员") != NULL);
	test_cond("an original's facts end with an empty dup_of", strstr(facts, "责任人员\t\n") != NULL);
	free(facts);
	d.dup_of = "dir/first.txt";
	facts = capture(pl_tsv_fact_rows, &d);
	test_cond("a duplicate's facts name the first copy in dup_of",
		  count_char(facts, '\n') == 2 && strstr(facts, "\tdir/first.txt\n") != NULL &&
		      count_char(facts, '\t') == 2 * 10);
	free(facts);

	/* Rows past the writer's 8 KB buffer: 600 facts, then one evidence
	 * of 30,000 bytes with a tab every 10,000, all in order. */
	pl_doc big = {.arena = a, .id = "big.txt", .dup_of = ""};
	char *huge = pl_alloc(a, 30001);
	for (size_t i = 0; i < 30000; i++)
		huge[i] = i % 10000 == 9999 ? '\t' : (char)('a' + i % 26);
	huge[30000] = '\0';
	for (size_t i = 0; i < 601; i++) {
		pl_fact *x = pl_doc_add_fact(&big);
		x->field = "issues_found";
		x->value = pl_sprintf(a, "%zu", i);
		x->unit = "项";
		x->rule_id = "r";
		x->start = i;
		x->end = i + 1;
		x->evidence = i == 600 ? huge : "证据";
	}
	facts = capture(pl_tsv_fact_rows, &big);
	int in_order = count_char(facts, '\n') == 601;
	const char *at = facts;
	for (size_t i = 0; i < 600 && in_order; i++) {
		char want[96];
		snprintf(want, sizeof want, "big.txt\tissues_found\t%zu\t项\texact\ttotal\tr\t%zu\t%zu\t证据\t\n", i, i, i + 1);
		in_order = strncmp(at, want, strlen(want)) == 0;
		at += strlen(want);
	}
	const char *ev = strstr(at, "\t601\t") ? strstr(at, "\t601\t") + 5 : NULL;
	int long_ok = ev != NULL && strlen(ev) == 30000 + 3 + 2 && ev[9999] == '\\' &&
		      ev[10000] == 't' && ev[10001] == 'a' + 10000 % 26 &&
		      strcmp(ev + strlen(ev) - 2, "\t\n") == 0;
	test_cond("rows past the row buffer: every fact in order, a long field whole",
		  in_order && long_ok);
	free(facts);

	/* A write that fails (a full disk) is reported, with its errno. */
	FILE *full = fopen("/dev/full", "w");
	if (full != NULL)
		setvbuf(full, NULL, _IONBF, 0);
	errno = 0;
	int row_rc = full ? pl_tsv_doc_row(full, &d) : 0;
	int row_errno = errno;
	errno = 0;
	int facts_rc = full ? pl_tsv_fact_rows(full, &big) : 0;
	test_cond("a failed write: the row writers return -1 with errno",
		  full != NULL && row_rc == -1 && row_errno == ENOSPC && facts_rc == -1 &&
		      errno == ENOSPC);
	if (full != NULL)
		fclose(full);

	buf = NULL;
	f = open_memstream(&buf, &n);
	pl_tsv_docs_header(f);
	pl_tsv_facts_header(f);
	fclose(f);
	test_cond("docs header starts with the contract columns",
		  strncmp(buf, "doc_id\tsha256\tencoding\tscript\ttitle\tdate\tpublisher\tprovince\tcity\tstatus\tdup_of\tbody_chars\tdropped_lines\tissues_found", 116) == 0);
	test_cond("facts header is the contract",
		  strstr(buf, "doc_id\tfield\tvalue\tunit\tapprox\tscope\trule\tstart\tend\tevidence\tdup_of\n") != NULL);
	free(buf);
	pl_arena_free(a);
	return test_report();
}
