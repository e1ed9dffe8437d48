/* rules.h: rule files: data a researcher edits, with positions kept.
 *
 * One syntax for every rule file (see rules/README.md):
 *   # comment
 *   define NAME PATTERN            a macro, used as {NAME} in later patterns
 *   KIND ID [FIELD] PATTERN        a rule; KIND decides whether FIELD is there
 *     example TEXT [=> EXPECTED]   indented lines attach to the rule above
 *     never TEXT
 *     scope part
 * Every pattern is compiled once with PCRE2_UTF | PCRE2_UCP and JIT-compiled.
 * A ruleset owns its rules, their strings and compiled code; free it with
 * pl_rules_free(). */
#ifndef PL_RULES_H
#define PL_RULES_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "doc.h"
#include "literals.h"
#include "utf8.h"

typedef struct pl_example {
	char *text;
	char *expect; /* after "=>", or NULL */
	int never;    /* 1: the rule must not match text */
	int line;
} pl_example;

typedef struct pl_rule {
	char *kind;    /* "rule", "drop", "meta", "on", "off", ... */
	char *id;
	char *field;   /* NULL for kinds without a field */
	char *source;  /* the pattern after macro expansion */
	char *where;   /* "rules/extract/x.rules:12 'id'" for messages */
	const char *file;
	int line;
	int scope_part;
	pcre2_code *re;
	pcre2_code *re_at; /* re with PCRE2_ANCHORED, when starts is known */
	pl_starts starts;  /* characters a match can begin with (literals.h) */
	pl_needs needs; /* literals every match contains (literals.h) */
	/* 1: the pattern is literals joined by | and needs holds each of
	 * them, so a text holds a match exactly when it meets needs */
	int literal_only;
	/* numbers of the named groups the stages read, or -1 */
	int g_num, g_unit, g_approx, g_pre, g_post, g_v;
	pl_example *examples;
	size_t nexamples;
} pl_rule;

typedef struct pl_ruleset {
	pl_rule *rules;
	size_t n, cap;
	uint32_t max_pairs;  /* widest ovector any rule needs */
	char **files;        /* file names, kept for rule->file */
	size_t nfiles;
	struct rules_macro *macros;
	size_t nmacros;
} pl_ruleset;

/* Which kinds a file may hold, and whether each takes a FIELD token. */
typedef struct pl_rule_kind {
	const char *name;
	int has_field;
} pl_rule_kind;

/* Loads one file, or every *.rules file of a directory in sorted order, into
 * rs (zero it first; loading again appends). kinds is NULL-name-terminated.
 * On a syntax or pattern error returns PL_ERR with e->msg holding
 * "file:line:column: error: message", the line, and a caret line. */
int pl_rules_load(pl_ruleset *rs, const char *path, const pl_rule_kind *kinds,
		  pl_err *e);
/* The same for rule text held in memory, text[0..n) (need not be
 * NUL-terminated; it is not modified); name stands for the file name in
 * rule->file and in messages and is copied. */
int pl_rules_load_buffer(pl_ruleset *rs, const char *name, const char *text,
			 size_t n, const pl_rule_kind *kinds, pl_err *e);
void pl_rules_free(pl_ruleset *rs);

/* A new match context with the match and depth limits every stage uses, so
 * a pattern that backtracks catastrophically fails fast instead of hanging.
 * The caller frees it with pcre2_match_context_free(). NULL on OOM. */
pcre2_match_context *pl_rules_match_context(void);

/* pcre2_match(re, s, n, at, PCRE2_NO_UTF_CHECK, md, mc) with the same
 * result, sooner: when the characters a match can begin with are known,
 * only the positions holding one are tried, each with re_at (re compiled
 * with PCRE2_ANCHORED; JIT code cannot anchor at match time). re_at NULL:
 * a plain search. s[0..n) must be valid UTF-8. The match limit applies to
 * each attempt, in both searches. */
int pl_search(const pcre2_code *re, const pcre2_code *re_at, const pl_starts *starts,
	      const char *s, size_t n, size_t at, pcre2_match_data *md,
	      pcre2_match_context *mc);
/* pl_search, trying no match that begins after offset last, where the
 * caller knows none can (literals.h: pl_needs_met_upto); the match itself
 * may run on to n. The result is pl_search's. */
int pl_search_upto(const pcre2_code *re, const pcre2_code *re_at, const pl_starts *starts,
		   const char *s, size_t n, size_t at, size_t last, pcre2_match_data *md,
		   pcre2_match_context *mc);
/* Reads the start characters of re's source src into *starts and compiles
 * *re_at, or leaves *re_at NULL when they are not known, when they are
 * three or fewer (PCRE2's JIT skips to them faster than the walk) or when
 * re is anchored already (^ in every branch: then only the character
 * where the search starts is looked at). starts->jit says whether re
 * (and *re_at) have JIT code, re JIT-compiled before the call. The
 * caller frees *re_at with pcre2_code_free(). */
void pl_search_prepare(const pcre2_code *re, const char *src, pcre2_code **re_at,
		       pl_starts *starts);
/* 1 when a search of an anchored pattern from `at` cannot match, because
 * no start character stands there; one look, so a caller can ask before
 * anything dearer (strip asks before the literal checks). 0: it may. */
static inline int pl_search_cannot_start(const pl_starts *starts, const char *s, size_t n,
					 size_t at)
{
	if (!starts->known || !starts->anchored)
		return 0;
	size_t cl = 1;
	return at >= n || !pl_starts_has(starts, (unsigned char)s[at] < 0x80
							 ? (unsigned char)s[at]
							 : pl_utf8_decode(s + at, &cl));
}

static inline int pl_rule_search(const pl_rule *r, const char *s, size_t n, size_t at,
				 pcre2_match_data *md, pcre2_match_context *mc)
{
	return pl_search(r->re, r->re_at, &r->starts, s, n, at, md, mc);
}

/* Number of named group `name` in r, or -1. */
int pl_rule_group(const pl_rule *r, const char *name);

/* The expansion of macro `name` (owned by rs), or NULL if not defined. */
const char *pl_rules_macro(const pl_ruleset *rs, const char *name);

/* Compiles macro `name` of rs as a pattern of its own, the way rules are
 * (PCRE2_UTF | PCRE2_UCP, JIT, pl_search_prepare): extract's {PREFILTER},
 * which the stage and check-rules must read alike. Returns 1 with *re,
 * *re_at and *starts set (the caller frees both codes), 0 when rs has no
 * such macro, -1 when it does not compile (*re NULL). */
int pl_rules_macro_pattern(const pl_ruleset *rs, const char *name, pcre2_code **re,
			   pcre2_code **re_at, pl_starts *starts);

#endif
