/* read_warc.c: WARC files (ISO 28500; 1.0 and 1.1), read as a stream of
 * records; a .warc.gz reaches here through read_archive.c (libarchive
 * decompresses it; its own WARC reader keeps only the path of the target
 * URI and gives the HTTP header block as content, so the records are
 * parsed here).
 *
 * Documents: "response" records holding an HTTP 2xx response whose
 * Content-Type is HTML, XHTML or plain text (the HTTP header block is
 * removed, chunked transfer coding undone, a gzip Content-Encoding
 * decompressed, and the charset of the Content-Type passed on to decode),
 * and "resource" records of those types. Other records (requests, metadata,
 * redirects, images) are skipped without a word. doc_id: WARC-Target-URI.
 *
 * A record whose Content-Length does not end at the record's closing
 * CRLF CRLF is reported and skipped, and reading resumes at the next line
 * that starts with "WARC/"; a file that ends inside a record is reported.
 * Memory: one record block of at most --max-doc-bytes plus 64 KB of HTTP
 * header; a larger record is skipped as a stream. */
#include <archive.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "read_src.h"

#define WARC_HEAD_MAX 65536 /* bytes of WARC or HTTP header block */

typedef struct warc_rec {
	unsigned long n;          /* record number, from 1 */
	unsigned long long off;   /* byte offset in the (decompressed) stream */
	long long length;         /* Content-Length, -1 if missing or bad */
	char type[32];            /* WARC-Type, lowercase */
	char uri[4096];           /* WARC-Target-URI */
	char ctype[256];          /* Content-Type */
} warc_rec;

/* Copies header value v[0..n) into out, trimmed, without <> around it. */
static void warc_value(const char *v, size_t n, char *out, size_t outsz)
{
	while (n > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		n--;
	}
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\r'))
		n--;
	if (n >= 2 && v[0] == '<' && v[n - 1] == '>') {
		v++;
		n -= 2;
	}
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, v, n);
	out[n] = '\0';
}

/* Finds the end of a header block (CRLF CRLF, or LF LF) in b[0..n):
 * returns its length including the blank line, or 0. */
static size_t warc_head_end(const unsigned char *b, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++) {
		if (b[i] != '\n')
			continue;
		if (b[i + 1] == '\n')
			return i + 2;
		if (i + 2 < n && b[i + 1] == '\r' && b[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

/* Calls fn for each "Name: value" line of the header block b[0..n) (the
 * first line, the version or status line, is skipped). */
static void warc_fields(const unsigned char *b, size_t n,
			void (*fn)(void *ctx, const char *name, size_t nl, const char *v, size_t vl),
			void *ctx)
{
	const char *s = (const char *)b, *end = s + n;
	const char *nl = memchr(s, '\n', n);
	s = nl ? nl + 1 : end;
	while (s < end) {
		nl = memchr(s, '\n', (size_t)(end - s));
		const char *le = nl ? nl : end;
		const char *colon = memchr(s, ':', (size_t)(le - s));
		if (colon != NULL)
			fn(ctx, s, (size_t)(colon - s), colon + 1, (size_t)(le - colon - 1));
		s = nl ? nl + 1 : end;
	}
}

static int warc_is(const char *name, size_t nl, const char *want)
{
	return nl == strlen(want) && strncasecmp(name, want, nl) == 0;
}

static void warc_rec_field(void *ctx, const char *name, size_t nl, const char *v, size_t vl)
{
	warc_rec *w = ctx;
	char buf[64];
	if (warc_is(name, nl, "Content-Length")) {
		warc_value(v, vl, buf, sizeof buf);
		char *e;
		long long x = strtoll(buf, &e, 10);
		w->length = (buf[0] >= '0' && buf[0] <= '9' && *e == '\0') ? x : -1;
	} else if (warc_is(name, nl, "WARC-Type")) {
		warc_value(v, vl, w->type, sizeof w->type);
		for (char *p = w->type; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	} else if (warc_is(name, nl, "WARC-Target-URI")) {
		warc_value(v, vl, w->uri, sizeof w->uri);
	} else if (warc_is(name, nl, "Content-Type")) {
		warc_value(v, vl, w->ctype, sizeof w->ctype);
	}
}

typedef struct warc_http {
	char ctype[256], te[64], ce[64];
} warc_http;

static void warc_http_field(void *ctx, const char *name, size_t nl, const char *v, size_t vl)
{
	warc_http *h = ctx;
	if (warc_is(name, nl, "Content-Type"))
		warc_value(v, vl, h->ctype, sizeof h->ctype);
	else if (warc_is(name, nl, "Transfer-Encoding"))
		warc_value(v, vl, h->te, sizeof h->te);
	else if (warc_is(name, nl, "Content-Encoding"))
		warc_value(v, vl, h->ce, sizeof h->ce);
}

/* Splits a Content-Type into its media type (lowercase) and charset
 * parameter. Returns 1 when the type is a text document. */
static int warc_text_type(const char *ct, char *charset, size_t csz)
{
	char mt[128];
	size_t i = 0;
	while (ct[i] && ct[i] != ';' && i + 1 < sizeof mt) {
		mt[i] = (char)tolower((unsigned char)ct[i]);
		i++;
	}
	while (i > 0 && mt[i - 1] == ' ')
		i--;
	mt[i] = '\0';
	charset[0] = '\0';
	const char *cs = strcasestr(ct, "charset=");
	if (cs != NULL) {
		cs += 8;
		size_t k = 0;
		if (*cs == '"' || *cs == '\'')
			cs++;
		while (cs[k] && cs[k] != ';' && cs[k] != '"' && cs[k] != '\'' && cs[k] != ' ' &&
		       k + 1 < csz) {
			charset[k] = (char)tolower((unsigned char)cs[k]);
			k++;
		}
		charset[k] = '\0';
	}
	return mt[0] == '\0' || strcmp(mt, "text/html") == 0 || strcmp(mt, "text/plain") == 0 ||
	       strcmp(mt, "application/xhtml+xml") == 0;
}

/* Undoes chunked transfer coding: b[0..n) to a malloc'd *out (caller
 * frees). Returns 0, or -1 when the chunks are malformed. */
static int warc_dechunk(const unsigned char *b, size_t n, unsigned char **out, size_t *outn)
{
	unsigned char *o = malloc(n + 1);
	if (o == NULL)
		abort();
	size_t i = 0, w = 0;
	for (;;) {
		char *e;
		char hex[20];
		size_t k = 0;
		while (i + k < n && k + 1 < sizeof hex && isxdigit(b[i + k])) {
			hex[k] = (char)b[i + k];
			k++;
		}
		hex[k] = '\0';
		unsigned long long len = strtoull(hex, &e, 16);
		const unsigned char *nl = k ? memchr(b + i + k, '\n', n - i - k) : NULL;
		if (k == 0 || nl == NULL) {
			free(o);
			return -1;
		}
		i = (size_t)(nl - b) + 1;
		if (len == 0)
			break;
		if (len > n - i) {
			free(o);
			return -1;
		}
		memcpy(o + w, b + i, (size_t)len);
		w += (size_t)len;
		i += (size_t)len;
		if (i < n && b[i] == '\r')
			i++;
		if (i < n && b[i] == '\n')
			i++;
	}
	*out = o;
	*outn = w;
	return 0;
}

/* Decompresses a gzip body into a malloc'd *out of at most max + 1 bytes
 * (caller frees). Returns 0, or -1 with err filled. */
static int warc_gunzip(const unsigned char *b, size_t n, size_t max, unsigned char **out,
		       size_t *outn, char *err, size_t errsz)
{
	struct archive *a = archive_read_new();
	archive_read_support_filter_gzip(a);
	archive_read_support_format_raw(a);
	struct archive_entry *ent;
	if (archive_read_open_memory(a, b, n) != ARCHIVE_OK ||
	    archive_read_next_header(a, &ent) != ARCHIVE_OK) {
		snprintf(err, errsz, "gzip body: %s",
			 archive_error_string(a) ? archive_error_string(a) : "unreadable");
		archive_read_free(a);
		return -1;
	}
	size_t cap = 1 << 16, len = 0;
	unsigned char *o = malloc(cap);
	if (o == NULL)
		abort();
	for (;;) {
		if (len == cap) {
			if (cap > max)
				break;
			cap *= 2;
			unsigned char *no = realloc(o, cap);
			if (no == NULL)
				abort();
			o = no;
		}
		la_ssize_t got = archive_read_data(a, o + len, cap - len);
		if (got < 0) {
			snprintf(err, errsz, "gzip body: %s",
				 archive_error_string(a) ? archive_error_string(a) : "unreadable");
			free(o);
			archive_read_free(a);
			return -1;
		}
		if (got == 0)
			break;
		len += (size_t)got;
	}
	archive_read_free(a);
	*out = o;
	*outn = len;
	return 0;
}

/* The documents in one record's block b[0..n). */
static int warc_block(pl_reader *r, const warc_rec *w, const char *rid, const unsigned char *b,
		      size_t n)
{
	pl_input meta;
	memset(&meta, 0, sizeof meta);
	char charset[64];
	if (strcmp(w->type, "resource") == 0) {
		if (strncmp(w->uri, "metadata:", 9) == 0 || !warc_text_type(w->ctype, charset,
									    sizeof charset))
			return PL_OK;
		meta.charset = charset[0] ? charset : NULL;
		meta.is_html = strcasestr(w->ctype, "html") != NULL;
		if (n > r->max_doc)
			return pl_read_fail(r, rid, "error:too-large",
					    "%s: read: WARC record %lu is over the %zu-byte limit "
					    "(--max-doc-bytes); skipped", rid, w->n, r->max_doc);
		return pl_read_doc(r, rid, b, n, &meta);
	}
	if (n < 5 || memcmp(b, "HTTP/", 5) != 0)
		return PL_OK; /* not an HTTP response: nothing we read */
	const unsigned char *sp = memchr(b, ' ', n < 32 ? n : 32);
	int code = sp ? atoi((const char *)sp + 1) : 0;
	if (code < 200 || code > 299)
		return PL_OK; /* redirects and errors are not documents */
	size_t hl = warc_head_end(b, n < WARC_HEAD_MAX ? n : WARC_HEAD_MAX);
	if (hl == 0)
		return pl_read_fail(r, rid, "error:corrupt",
				    "%s: read: WARC record %lu: the HTTP header block does not end",
				    rid, w->n);
	warc_http h;
	memset(&h, 0, sizeof h);
	warc_fields(b, hl, warc_http_field, &h);
	if (!warc_text_type(h.ctype, charset, sizeof charset))
		return PL_OK;
	meta.charset = charset[0] ? charset : NULL;
	meta.is_html = h.ctype[0] == '\0' || strcasestr(h.ctype, "html") != NULL;
	const unsigned char *body = b + hl;
	size_t bn = n - hl;
	unsigned char *dechunked = NULL, *gunzipped = NULL;
	int rc;
	if (strcasestr(h.te, "chunked") != NULL) {
		if (warc_dechunk(body, bn, &dechunked, &bn) != 0)
			return pl_read_fail(r, rid, "error:corrupt",
					    "%s: read: WARC record %lu: malformed chunked body", rid,
					    w->n);
		body = dechunked;
	}
	char err[256];
	if (strcasecmp(h.ce, "gzip") == 0 || strcasecmp(h.ce, "x-gzip") == 0) {
		if (warc_gunzip(body, bn, r->max_doc, &gunzipped, &bn, err, sizeof err) != 0) {
			free(dechunked);
			return pl_read_fail(r, rid, "error:corrupt", "%s: read: WARC record %lu: %s",
					    rid, w->n, err);
		}
		body = gunzipped;
	} else if (h.ce[0] != '\0' && strcasecmp(h.ce, "identity") != 0) {
		free(dechunked);
		return pl_read_fail(r, rid, "error:unsupported",
				    "%s: read: WARC record %lu: Content-Encoding '%s' is not read",
				    rid, w->n, h.ce);
	}
	if (bn > r->max_doc)
		rc = pl_read_fail(r, rid, "error:too-large",
				  "%s: read: WARC record %lu is over the %zu-byte limit "
				  "(--max-doc-bytes); skipped", rid, w->n, r->max_doc);
	else
		rc = pl_read_doc(r, rid, body, bn, &meta);
	free(dechunked);
	free(gunzipped);
	return rc;
}

/* Drops bytes up to the next line that starts with "WARC/" (a record
 * header). Returns 1 if one was found, 0 at the end of the stream. */
static int warc_resync(pl_src *s)
{
	for (;;) {
		size_t have = pl_src_fill(s, 1 << 16);
		if (have < 6)
			break;
		const unsigned char *d = pl_src_data(s);
		for (size_t i = 0; i + 6 <= have; i++)
			if (d[i] == '\n' && memcmp(d + i + 1, "WARC/", 5) == 0) {
				pl_src_consume(s, i + 1);
				return 1;
			}
		if (s->eof || s->failed)
			break;
		pl_src_consume(s, have - 5);
	}
	pl_src_consume(s, pl_src_avail(s));
	return 0;
}

/* The record's closing CRLF CRLF at data[at..]; a bare LF LF or the end of
 * the stream right after the block is accepted too. Returns its length,
 * or -1 if the block is not followed by one. */
static int warc_trailer(pl_src *s, size_t at)
{
	size_t have = pl_src_fill(s, at + 4);
	const unsigned char *d = pl_src_data(s) + at;
	size_t n = have - at;
	if (n >= 4 && memcmp(d, "\r\n\r\n", 4) == 0)
		return 4;
	if (n >= 2 && memcmp(d, "\n\n", 2) == 0)
		return 2;
	if (n == 0 || (n == 2 && memcmp(d, "\r\n", 2) == 0))
		return (int)n; /* the last record, its trailer cut short */
	return -1;
}

int pl_read_warc(pl_reader *r, pl_src *s, const char *id)
{
	unsigned long nrec = 0;
	for (;;) {
		/* blank lines between records */
		while (pl_src_fill(s, 1) > 0 &&
		       (pl_src_data(s)[0] == '\r' || pl_src_data(s)[0] == '\n'))
			pl_src_consume(s, 1);
		size_t have = pl_src_fill(s, WARC_HEAD_MAX);
		if (have == 0)
			break;
		warc_rec w;
		memset(&w, 0, sizeof w);
		w.n = ++nrec;
		w.off = s->consumed;
		w.length = -1;
		char rid[4300];
		snprintf(rid, sizeof rid, "%s#%lu", id, w.n);
		size_t hl = 0;
		if (have >= 5 && memcmp(pl_src_data(s), "WARC/", 5) == 0)
			hl = warc_head_end(pl_src_data(s), have);
		if (hl == 0) {
			if (pl_read_fail(r, rid, "error:corrupt",
					 "%s: read: no WARC record header at byte %llu; skipped to the "
					 "next record", rid, w.off) != PL_OK)
				return PL_ERR;
			if (!warc_resync(s))
				break;
			continue;
		}
		warc_fields(pl_src_data(s), hl, warc_rec_field, &w);
		pl_src_consume(s, hl);
		if (w.uri[0] != '\0')
			snprintf(rid, sizeof rid, "%s", w.uri);
		if (w.length < 0) {
			if (pl_read_fail(r, rid, "error:corrupt",
					 "%s: read: WARC record %lu (byte %llu) has no valid "
					 "Content-Length; skipped", rid, w.n, w.off) != PL_OK)
				return PL_ERR;
			if (!warc_resync(s))
				break;
			continue;
		}
		unsigned long long len = (unsigned long long)w.length;
		int wanted = strcmp(w.type, "response") == 0 || strcmp(w.type, "resource") == 0;
		int rc = PL_OK;
		if (wanted && len <= r->max_doc + WARC_HEAD_MAX) {
			size_t got = pl_src_fill(s, (size_t)len + 4);
			if (got < len) {
				rc = pl_read_fail(r, rid, s->failed ? s->status : "error:corrupt",
						  "%s: read: WARC record %lu (byte %llu): Content-Length "
						  "%llu but %s after %zu bytes; skipped", rid, w.n, w.off,
						  len, s->failed ? s->err : "the file ends", got);
				pl_src_consume(s, got);
				if (s->failed)
					return rc; /* reported with the record */
				break;
			}
			int tl = warc_trailer(s, (size_t)len);
			if (tl < 0) {
				/* The block is still buffered: the next record
				 * may start inside it. */
				if (pl_read_fail(r, rid, "error:corrupt",
						 "%s: read: WARC record %lu (byte %llu): Content-Length "
						 "%llu does not end the record; skipped", rid, w.n, w.off,
						 len) != PL_OK)
					return PL_ERR;
				if (!warc_resync(s))
					break;
				continue;
			}
			rc = warc_block(r, &w, rid, pl_src_data(s), (size_t)len);
			pl_src_consume(s, (size_t)len + (size_t)tl);
		} else {
			unsigned long long skipped = pl_src_skip(s, len);
			if (skipped < len) {
				rc = pl_read_fail(r, rid, s->failed ? s->status : "error:corrupt",
						  "%s: read: WARC record %lu (byte %llu): Content-Length "
						  "%llu but %s after %llu bytes; skipped", rid, w.n, w.off,
						  len, s->failed ? s->err : "the file ends", skipped);
				if (s->failed)
					return rc;
				break;
			}
			int tl = warc_trailer(s, 0);
			if (tl < 0) {
				if (pl_read_fail(r, rid, "error:corrupt",
						 "%s: read: WARC record %lu (byte %llu): Content-Length "
						 "%llu does not end the record; skipped", rid, w.n, w.off,
						 len) != PL_OK)
					return PL_ERR;
				if (!warc_resync(s))
					break;
				continue;
			}
			pl_src_consume(s, (size_t)tl);
			if (wanted)
				rc = pl_read_fail(r, rid, "error:too-large",
						  "%s: read: WARC record %lu is over the %zu-byte limit "
						  "(--max-doc-bytes); skipped", rid, w.n, r->max_doc);
		}
		if (rc != PL_OK)
			return PL_ERR;
	}
	if (s->failed)
		return pl_read_fail(r, id, s->status, "%s: read: after WARC record %lu: %s", id,
				    nrec, s->err);
	return PL_OK;
}
