/* check.h: `bulletin check-rules`: every rule file loads, every rule id is
 * unique, and every inline example gives what it says. */
#ifndef PL_CHECK_H
#define PL_CHECK_H

#include <stdio.h>

#include "doc.h"

/* Checks the rule files under dir and writes one line per failure to out
 * ("file:line: rule 'id': example ...: expected X, got Y"), then a summary
 * line "N passed, N failed". Returns the number of failures, or PL_ERR with
 * e filled when a file does not load (syntax or pattern error). */
int pl_check_rules(const char *dir, FILE *out, pl_err *e);

#endif
