/* test_rules.c: rule files: macros, examples, and errors with positions. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rules.h"
#include "test.h"

static const pl_rule_kind kinds[] = {{"rule", 1}, {"drop", 0}, {NULL, 0}};

static char *write_tmp(const char *text)
{
	static char path[64];
	snprintf(path, sizeof path, "/tmp/bulletin-test-rules-XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	if (write(fd, text, strlen(text)) < 0) {
		close(fd);
		return NULL;
	}
	close(fd);
	return path;
}

static int load(const char *text, pl_ruleset *rs, pl_err *e)
{
	char *p = write_tmp(text);
	memset(rs, 0, sizeof *rs);
	int rc = pl_rules_load(rs, p, kinds, e);
	unlink(p);
	return rc;
}

int main(void)
{
	pl_ruleset rs;
	pl_err e = {{0}, 0};

	int rc = load("# comment\r\ndefine N (?<num>[0-9]+)\r\n"
		      "rule a.b issues_found {N}个问题\r\n  example 42个问题 => 42 个\r\n"
		      "  never 四十二\n  scope part\n\ndrop x ^foo$\n",
		      &rs, &e);
	test_cond("a valid file loads (CRLF trimmed)", rc == PL_OK);
	test_cond("two rules", rs.n == 2);
	test_cond("macro expanded", rc == PL_OK && strcmp(rs.rules[0].source, "(?<num>[0-9]+)个问题") == 0);
	test_cond("examples attach to their rule", rc == PL_OK && rs.rules[0].nexamples == 2 &&
							   rs.rules[0].examples[1].never == 1);
	test_cond("example expectation split at =>",
		  rc == PL_OK && strcmp(rs.rules[0].examples[0].expect, "42 个") == 0);
	test_cond("scope part read", rc == PL_OK && rs.rules[0].scope_part == 1);
	test_cond("line numbers kept", rc == PL_OK && rs.rules[0].line == 3 && rs.rules[1].line == 8);
	test_cond("named group lookup", rc == PL_OK && pl_rule_group(&rs.rules[0], "num") == 1);
	test_cond("field is kept", rc == PL_OK && strcmp(rs.rules[0].field, "issues_found") == 0);
	pl_rules_free(&rs);

	rc = load("rule bad issues_found ([0-9]+个\n", &rs, &e);
	test_cond("a bad pattern fails to load", rc == PL_ERR && e.severity == PL_EUSAGE);
	test_cond("error names line and column",
		  strstr(e.msg, ":1:33: error: missing closing parenthesis") != NULL);
	test_cond("error echoes the line", strstr(e.msg, "\n    rule bad issues_found ([0-9]+个\n") != NULL);
	pl_rules_free(&rs);

	rc = load("define N [0-9]+\nrule x f {N}{NOPE}\n", &rs, &e);
	test_cond("an unknown macro is reported at its column",
		  rc == PL_ERR && strstr(e.msg, ":2:13: error: unknown macro") != NULL);
	pl_rules_free(&rs);

	rc = load("frobnicate x y\n", &rs, &e);
	test_cond("an unknown kind is an error", rc == PL_ERR && strstr(e.msg, ":1:1: error:") != NULL);
	pl_rules_free(&rs);

	rc = load("  example orphan\n", &rs, &e);
	test_cond("an example with no rule is an error", rc == PL_ERR);
	pl_rules_free(&rs);

	rc = load("rule x\n", &rs, &e);
	test_cond("a rule without pattern is an error", rc == PL_ERR && strstr(e.msg, "expected ID FIELD PATTERN") != NULL);
	pl_rules_free(&rs);

	rc = load("rule x f a{1,3}b\n", &rs, &e);
	test_cond("a {m,n} quantifier is not a macro", rc == PL_OK);
	pl_rules_free(&rs);

	/* literal_only: the reading of the literals answers for the search */
	rc = load("drop w1 审计\ndrop w2 巡视|巡察\ndrop w3 安全生产|安全隐患|消防\n"
		  "drop r1 巡视.\ndrop r2 (?:巡视|巡察)\ndrop r3 巡视||巡察\ndrop r4 巡视?\n"
		  "drop r5 a|b|c|d|e|f|g|h|i|j|k|l|m|n|o|p|q\ndrop r6 ^审计\ndrop r7 (?i)ab\n",
		  &rs, &e);
	test_cond("literal_only: words joined by | are",
		  rc == PL_OK && rs.n == 10 && rs.rules[0].literal_only && rs.rules[1].literal_only &&
		      rs.rules[2].literal_only);
	int none = rc == PL_OK && rs.n == 10;
	for (size_t i = 3; none && i < rs.n; i++)
		none = !rs.rules[i].literal_only;
	test_cond("literal_only: not with syntax, an empty branch, or more words than needs holds",
		  none);
	pl_rules_free(&rs);

	pcre2_match_context *mc = pl_rules_match_context();
	test_cond("match context is created", mc != NULL);
	pcre2_match_context_free(mc);
	return test_report();
}
