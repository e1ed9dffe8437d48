/* test_literals.c: the literals read off a pattern (literals.c), and that a
 * text holding a match always meets them. */
#include <string.h>

#include "literals.h"
#include "test.h"

/* The factors of pattern as "[a|b] [c]", in the order kept. */
static const char *show(const char *pattern)
{
	static char buf[4096];
	pl_needs nd;
	pl_needs_of(pattern, &nd);
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < nd.n; i++) {
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s[", i ? " " : "");
		for (size_t k = 0; k < nd.f[i].nalts; k++)
			n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%.*s", k ? "|" : "",
					      nd.f[i].len[k], nd.f[i].alt[k]);
		n += (size_t)snprintf(buf + n, sizeof buf - n, "]");
	}
	return buf;
}

static int met(const char *pattern, const char *text)
{
	pl_needs nd;
	pl_needs_of(pattern, &nd);
	return pl_needs_met(&nd, text, strlen(text));
}

int main(void)
{
	test_cond("a literal run", strcmp(show("已完成整改"), "[已完成整改]") == 0);
	test_cond("an optional item ends a run",
		  strcmp(show("已(?:基本)?完成"), "[已] [完成]") == 0);
	test_cond("alternation: one factor of every branch",
		  strcmp(show("(?:问题|整改任务)"), "[问题|整改任务]") == 0);
	test_cond("a branch that needs nothing: no factor", strcmp(show("(?:问题|[0-9]+)"), "") == 0);
	test_cond("an empty branch: no factor", strcmp(show("(?:问题|)"), "") == 0);
	test_cond("classes, dots and escapes need nothing",
		  strcmp(show("[0-9]+个\\d.问题"), "[个] [问题]") == 0);
	test_cond("an escaped metacharacter is a literal", strcmp(show("a\\.b"), "[a.b]") == 0);
	test_cond("lookarounds consume nothing",
		  strcmp(show("(?<!移送)问题(?!移送)"), "[问题]") == 0);
	test_cond("named groups are groups",
		  strcmp(show("(?<num>[0-9]+)(?<unit>个|项)问题"), "[个|项] [问题]") == 0);
	test_cond("+ keeps one, {2,} keeps one, {0,3} and * none",
		  strcmp(show("a+b{2,}c{0,3}d*"), "[a] [b]") == 0);
	test_cond("a '{' that starts no quantifier is skipped", strcmp(show("x{y"), "[x] [y]") == 0);
	test_cond("inline options: nothing known", strcmp(show("(?i)问题"), "") == 0);
	test_cond("\\Q...\\E: nothing known", strcmp(show("\\Q问题\\E"), "") == 0);
	test_cond("an unbalanced ')': nothing known", strcmp(show("问题)"), "") == 0);
	test_cond("an unclosed '(': nothing known", strcmp(show("(问题"), "") == 0);
	test_cond("an unclosed class: nothing known", strcmp(show("[问题"), "") == 0);
	test_cond("nesting past the cap: nothing known",
		  strcmp(show("(((((((((((((((((((((((((((((((((问题)))))))))))))))))))))))))))))))))"),
			 "") == 0);

	test_cond("met: the text holds a match",
		  met("(?:发现|交办)(?:的)?问题[0-9]+(?:个|项)", "督察组交办问题42项,已整改"));
	test_cond("not met: a factor is missing",
		  !met("(?:发现|交办)(?:的)?问题[0-9]+(?:个|项)", "督察组交办群众举报42件"));
	test_cond("nothing known: always met", met("(?i)abc", "xyz"));
	return test_report();
}
