/* read_jsonl.c: JSON Lines, one document per line, parsed with jansson.
 * Fields (renamed with --jsonl-fields): id, url, text or html (text wins
 * when both are given), date. doc_id: the id (a string or an integer), else
 * the url, else file:line. A malformed line, a line that is not an object
 * or has no text, and a line over --max-doc-bytes each get a row with their
 * line number and are skipped; the other lines are read. Blank lines are
 * ignored. Owns: each line's json_t, released here. */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "read_src.h"

static const char *const jsonl_keys[PL_JF_N] = {"id", "url", "text", "html", "date"};

int pl_read_jsonl_fields(pl_reader *r, const char *spec, pl_err *e)
{
	for (int k = 0; k < PL_JF_N; k++)
		snprintf(r->jf[k], sizeof r->jf[k], "%s", jsonl_keys[k]);
	if (spec == NULL)
		return PL_OK;
	const char *p = spec;
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		const char *eq = memchr(p, '=', n);
		int k = 0;
		while (eq && k < PL_JF_N &&
		       !((size_t)(eq - p) == strlen(jsonl_keys[k]) &&
			 memcmp(p, jsonl_keys[k], (size_t)(eq - p)) == 0))
			k++;
		if (eq == NULL || k == PL_JF_N || eq + 1 == p + n)
			return pl_errf(e, PL_EUSAGE,
				       "--jsonl-fields: '%.*s' is not FIELD=NAME with FIELD one of "
				       "id, url, text, html, date",
				       (int)n, p);
		size_t vl = (size_t)(p + n - eq - 1);
		if (vl >= sizeof r->jf[k])
			return pl_errf(e, PL_EUSAGE, "--jsonl-fields: the name for %s is too long",
				       jsonl_keys[k]);
		memcpy(r->jf[k], eq + 1, vl);
		r->jf[k][vl] = '\0';
		p += n;
		if (*p == ',')
			p++;
	}
	return PL_OK;
}

int pl_read_jsonl_sniff(const unsigned char *b, size_t n)
{
	size_t i = n >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n'))
		i++;
	if (i >= n || b[i] != '{')
		return 0;
	const unsigned char *nl = memchr(b + i, '\n', n - i);
	size_t len = nl ? (size_t)(nl - (b + i)) : n - i;
	json_error_t err;
	json_t *j = json_loadb((const char *)b + i, len, JSON_ALLOW_NUL, &err);
	int yes = j != NULL && json_is_object(j);
	json_decref(j);
	return yes;
}

/* A string field, or NULL; *bad set when the field is there with another
 * type. */
static const char *jsonl_str(json_t *obj, const char *key, size_t *len, int *bad)
{
	json_t *v = json_object_get(obj, key);
	if (v == NULL || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		*bad = 1;
		return NULL;
	}
	if (len)
		*len = json_string_length(v);
	return json_string_value(v);
}

/* One line: a document row or an error row. */
static int jsonl_line(pl_reader *r, const char *file, unsigned long lineno, const char *line,
		      size_t len)
{
	char where[4200];
	snprintf(where, sizeof where, "%s:%lu", file, lineno);
	json_error_t err;
	json_t *j = json_loadb(line, len, JSON_ALLOW_NUL, &err);
	if (j == NULL)
		return pl_read_fail(r, where, "error:json",
				    "%s: read: invalid JSON at column %d: %s; line skipped", where,
				    err.column, err.text);
	if (!json_is_object(j)) {
		json_decref(j);
		return pl_read_fail(r, where, "error:json",
				    "%s: read: not a JSON object; line skipped", where);
	}
	int bad = 0;
	size_t tlen = 0;
	const char *url = jsonl_str(j, r->jf[PL_JF_URL], NULL, &bad);
	const char *date = jsonl_str(j, r->jf[PL_JF_DATE], NULL, &bad);
	const char *text = jsonl_str(j, r->jf[PL_JF_TEXT], &tlen, &bad);
	int is_html = 0;
	if (text == NULL) {
		text = jsonl_str(j, r->jf[PL_JF_HTML], &tlen, &bad);
		is_html = text != NULL;
	}
	char idbuf[64];
	const char *id = NULL;
	json_t *jid = json_object_get(j, r->jf[PL_JF_ID]);
	if (json_is_string(jid) && json_string_length(jid) > 0) {
		id = json_string_value(jid);
	} else if (json_is_integer(jid)) {
		snprintf(idbuf, sizeof idbuf, "%" JSON_INTEGER_FORMAT, json_integer_value(jid));
		id = idbuf;
	} else if (jid != NULL && !json_is_null(jid)) {
		bad = 1;
	}
	if (id == NULL)
		id = url && *url ? url : where;
	int rc;
	if (bad)
		rc = pl_read_fail(r, where, "error:json",
				  "%s: read: a field among %s, %s, %s, %s, %s has the wrong type "
				  "(strings; the id may be an integer); line skipped", where,
				  r->jf[PL_JF_ID], r->jf[PL_JF_URL], r->jf[PL_JF_TEXT],
				  r->jf[PL_JF_HTML], r->jf[PL_JF_DATE]);
	else if (text == NULL)
		rc = pl_read_fail(r, where, "error:json",
				  "%s: read: no '%s' or '%s' field; line skipped", where,
				  r->jf[PL_JF_TEXT], r->jf[PL_JF_HTML]);
	else if (tlen > r->max_doc)
		rc = pl_read_fail(r, id, "error:too-large",
				  "%s: read: %s: the text is over the %zu-byte limit "
				  "(--max-doc-bytes); skipped", id, where, r->max_doc);
	else {
		pl_input meta;
		memset(&meta, 0, sizeof meta);
		meta.charset = "utf-8"; /* JSON strings are Unicode */
		meta.date = date;
		meta.is_html = is_html;
		rc = pl_read_doc(r, id, (const unsigned char *)text, tlen, &meta);
	}
	json_decref(j);
	return rc;
}

int pl_read_jsonl(pl_reader *r, pl_src *s, const char *id)
{
	unsigned long lineno = 0;
	/* A line holds a document and its JSON escapes: allow some slack
	 * over the document limit before calling the line too long. */
	size_t max_line = r->max_doc + r->max_doc / 2 + 4096;
	for (;;) {
		size_t len;
		int got = pl_src_line(s, max_line, &len);
		if (got == 0)
			break;
		lineno++;
		if (got == 2) {
			char where[4200];
			snprintf(where, sizeof where, "%s:%lu", id, lineno);
			pl_src_skip_line(s);
			if (pl_read_fail(r, where, "error:too-large",
					 "%s: read: line over the %zu-byte limit (--max-doc-bytes); "
					 "skipped", where, max_line) != PL_OK)
				return PL_ERR;
			continue;
		}
		const char *line = (const char *)pl_src_data(s);
		size_t n = len;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' ' ||
				 line[n - 1] == '\t'))
			n--;
		size_t lead = lineno == 1 && n >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
		while (lead < n && (line[lead] == ' ' || line[lead] == '\t'))
			lead++;
		int rc = n > lead ? jsonl_line(r, id, lineno, line + lead, n - lead) : PL_OK;
		pl_src_consume(s, len);
		if (rc != PL_OK)
			return PL_ERR;
	}
	if (s->failed)
		return pl_read_fail(r, id, s->status, "%s: read: after line %lu: %s", id, lineno,
				    s->err);
	return PL_OK;
}
