/* html.h: HTML sniffing, declared-charset lookup and main-content
 * extraction (libxml2's HTML parser plus a text/punctuation/link density
 * scorer tuned for Chinese government and news pages).
 *
 * Everything returned lives in the caller's arena; libxml2's own objects
 * never escape pl_html_extract(). */
#ifndef PL_HTML_H
#define PL_HTML_H

#include <stddef.h>

#include "doc.h"

typedef struct pl_html {
	char *text;	       /* main content, UTF-8, one paragraph per line
				* ("\n" between paragraphs, no blank lines, no
				* trailing newline), NUL-terminated; arena */
	size_t len;	       /* strlen(text) */
	const char *title;     /* <h1> or <title> without the site name; NULL if none */
	const char *date;      /* raw date string from meta tags or the byline near
				* the title, e.g. "2022-02-11 09:52"; NULL if none */
	const char *publisher; /* meta source/ContentSource/author or a byline
				* "来源：X"; NULL if none */
	size_t paragraphs;     /* number of lines in text */
} pl_html;

/* True (1) if the bytes look like HTML by content, else 0. After an optional
 * BOM (UTF-8 or UTF-16) and whitespace: when the first byte is '<', any
 * common tag (<!doctype html>, <html, <head, <body, <div, <p, <meta, <table,
 * ...) within the first 4 KB; otherwise only <!doctype html>, <html, <head or
 * <body. The file name is never consulted. Reads b[0..n) only; allocates
 * nothing. */
int pl_html_sniff(const unsigned char *b, size_t n);

/* Looks for a charset declared by <meta charset=...> or
 * <meta http-equiv=... content="...; charset=..."> within the first 4 KB of
 * b[0..n). On success writes the label, lowercased and NUL-terminated, into
 * the caller's buf[0..bufsize) and returns 1; returns 0 if there is none or
 * it does not fit. Allocates nothing. */
int pl_html_declared_charset(const unsigned char *b, size_t n, char *buf, size_t bufsize);

/* Parses utf8[0..len) (valid UTF-8; a meta charset inside is ignored) as
 * HTML and extracts the main content, title, date and publisher into *out.
 * Every string in *out is allocated in arena a and freed with it; the
 * libxml2 document is freed before returning. Returns PL_OK (with
 * out->len == 0 when the page has no text), or PL_ERR with e filled
 * (severity PL_EDOC) when libxml2 cannot build a document at all. */
int pl_html_extract(pl_arena *a, const char *utf8, size_t len, pl_html *out, pl_err *e);

#endif
