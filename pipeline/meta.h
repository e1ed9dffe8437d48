/* meta.h: document metadata helpers used by strip: ISO dates and the
 * province/city table (rules/places.tsv). */
#ifndef PL_META_H
#define PL_META_H

#include "doc.h"

/* Parses a date written as 2017年08月08日, 2017-8-8, 2017/08/08, 2017.08.08
 * or 10.09.2020 (day first) into "YYYY-MM-DD" in out[11]. Returns 1 on
 * success, 0 if s holds no valid date. */
int pl_date_iso(const char *s, char out[11]);

typedef struct pl_places pl_places;

/* Loads the place table (name TAB short TAB level TAB province). Returns NULL
 * with e filled on error; free with pl_places_free(). */
pl_places *pl_places_load(const char *path, pl_err *e);
void pl_places_free(pl_places *p);

/* Guesses the province (and the city, for a notice a city issued about
 * itself) from how often each place is named in text. Results point into
 * the table (long-lived) or are NULL. */
void pl_places_guess(const pl_places *p, const char *text, size_t len,
		     const char **province, const char **city);

#endif
