/* extract.h: what the extract stage shares with check-rules. */
#ifndef PL_EXTRACT_H
#define PL_EXTRACT_H

#include "rules.h"

/* Runs rule r over d->text[from..to) and appends one fact per match to d
 * (value parsed from the group `num`, unit from `unit`, approximation from
 * the number's markers or the group `approx`). No match begins after
 * offset last (to, unless pl_needs_met_upto() told less). md must hold r's
 * groups. Returns the number of facts added, or PL_ERR with e naming the
 * rule and the document when PCRE2 gives up (match or depth limit). */
int pl_extract_rule(const pl_rule *r, pl_doc *d, size_t from, size_t to, size_t last,
		    pcre2_match_data *md, pcre2_match_context *mc, pl_err *e);

extern const pl_rule_kind pl_extract_kinds[], pl_topic_kinds[];

#endif
