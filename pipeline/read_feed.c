/* read_feed.c: RSS (2.0, and 1.0/RDF) and Atom feeds through libxml2's
 * streaming reader: each <item> or <entry> is expanded, read and freed in
 * turn, so a long feed costs one item of memory.
 *
 * Each item is a document: doc_id its link (Atom: the alternate link),
 * else its guid/id, else feed#N; date its pubDate, dc:date or published,
 * else updated (RSS dates, RFC 822, are turned into ISO here); title its
 * title; text its content:encoded, else Atom content, else description or
 * summary, handed on as HTML (Atom content of type "text" as plain text),
 * UTF-8 since libxml2 has decoded the feed. An XML error stops the feed
 * where it is and is reported; the items before it were read.
 * Owns: the xmlTextReader and every libxml2 string, freed here. No
 * network access and no external entities (XML_PARSE_NONET, no NOENT). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>
#include <libxml/xmlreader.h>

#include "read_src.h"

#define FEED_NS_CONTENT "http://purl.org/rss/1.0/modules/content/"

typedef struct feed_err {
	int line;
	char msg[256];
} feed_err;

static int feed_io(void *ctx, char *buf, int len)
{
	pl_src *s = ctx;
	size_t n = pl_src_avail(s);
	if (n == 0)
		n = pl_src_fill(s, 1);
	if (n == 0)
		return s->failed ? -1 : 0;
	if (n > (size_t)len)
		n = (size_t)len;
	memcpy(buf, pl_src_data(s), n);
	pl_src_consume(s, n);
	return (int)n;
}

static void feed_on_error(void *ctx, xmlErrorPtr err)
{
	feed_err *fe = ctx;
	if (fe->msg[0] != '\0' || err == NULL || err->level < XML_ERR_ERROR)
		return;
	fe->line = err->line;
	snprintf(fe->msg, sizeof fe->msg, "%s", err->message ? err->message : "XML error");
	size_t n = strlen(fe->msg);
	while (n > 0 && (fe->msg[n - 1] == '\n' || fe->msg[n - 1] == ' '))
		fe->msg[--n] = '\0';
}

/* "Tue, 10 Jun 2003 04:00:00 GMT" (RFC 822, as RSS writes dates) ->
 * "2003-06-10". Returns 1, or 0 if s is not such a date. */
static int feed_rfc822(const char *s, char out[11])
{
	static const char *const mon[] = {"jan", "feb", "mar", "apr", "may", "jun",
					  "jul", "aug", "sep", "oct", "nov", "dec"};
	const char *comma = strchr(s, ',');
	const char *p = comma ? comma + 1 : s;
	while (*p == ' ')
		p++;
	char *e;
	long d = strtol(p, &e, 10);
	if (e == p || d < 1 || d > 31)
		return 0;
	p = e;
	while (*p == ' ')
		p++;
	int m = -1;
	for (int k = 0; k < 12; k++)
		if (strncasecmp(p, mon[k], 3) == 0)
			m = k + 1;
	if (m < 0)
		return 0;
	while (*p && *p != ' ')
		p++;
	long y = strtol(p, &e, 10);
	if (e == p)
		return 0;
	if (y < 100)
		y += y < 50 ? 2000 : 1900;
	if (y < 1900 || y > 2999)
		return 0;
	snprintf(out, 11, "%04d-%02d-%02d", (int)y % 10000, m % 100, (int)d % 100);
	return 1;
}

/* The text of node n, whitespace runs folded to one space and trimmed,
 * malloc'd (caller frees). */
static char *feed_text_folded(xmlNode *n)
{
	xmlChar *c = xmlNodeGetContent(n);
	if (c == NULL)
		return NULL;
	size_t len = strlen((const char *)c);
	char *o = malloc(len + 1);
	if (o == NULL)
		abort();
	size_t w = 0;
	for (const xmlChar *p = c; *p; p++) {
		int sp = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r';
		if (sp) {
			if (w > 0 && o[w - 1] != ' ')
				o[w++] = ' ';
		} else {
			o[w++] = (char)*p;
		}
	}
	while (w > 0 && o[w - 1] == ' ')
		w--;
	o[w] = '\0';
	xmlFree(c);
	return o;
}

/* Node n's content as a malloc'd string: the children serialised when
 * xhtml (Atom type="xhtml"), else the text. */
static char *feed_content(xmlNode *n, int xhtml)
{
	if (!xhtml) {
		xmlChar *c = xmlNodeGetContent(n);
		char *o = c ? strdup((const char *)c) : NULL;
		xmlFree(c);
		return o;
	}
	xmlBuffer *b = xmlBufferCreate();
	if (b == NULL)
		abort();
	for (xmlNode *k = n->children; k; k = k->next)
		xmlNodeDump(b, n->doc, k, 0, 0);
	char *o = strdup((const char *)xmlBufferContent(b));
	xmlBufferFree(b);
	return o;
}

static int feed_name(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

typedef struct feed_item {
	char *link, *guid, *date, *updated, *title, *content;
	int content_rank; /* 4 content:encoded, 3 atom content, 2 description, 1 summary */
	int content_html;
} feed_item;

static void feed_take(char **slot, char *v)
{
	if (*slot == NULL && v != NULL && v[0] != '\0')
		*slot = v;
	else
		free(v);
}

static void feed_set_content(feed_item *it, int rank, char *v, int html)
{
	if (v == NULL || rank <= it->content_rank) {
		free(v);
		return;
	}
	free(it->content);
	it->content = v;
	it->content_rank = rank;
	it->content_html = html;
}

static void feed_read_item(xmlNode *item, feed_item *it)
{
	for (xmlNode *c = item->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		const char *ns = c->ns && c->ns->href ? (const char *)c->ns->href : "";
		if (feed_name(c, "link")) {
			xmlChar *href = xmlGetProp(c, (const xmlChar *)"href");
			if (href != NULL) { /* Atom */
				xmlChar *rel = xmlGetProp(c, (const xmlChar *)"rel");
				if (rel == NULL || strcmp((const char *)rel, "alternate") == 0)
					feed_take(&it->link, strdup((const char *)href));
				xmlFree(rel);
				xmlFree(href);
			} else {
				feed_take(&it->link, feed_text_folded(c));
			}
		} else if (feed_name(c, "guid") || feed_name(c, "id")) {
			feed_take(&it->guid, feed_text_folded(c));
		} else if (feed_name(c, "pubDate") || feed_name(c, "published") ||
			   feed_name(c, "date") || feed_name(c, "issued")) {
			feed_take(&it->date, feed_text_folded(c));
		} else if (feed_name(c, "updated") || feed_name(c, "modified")) {
			feed_take(&it->updated, feed_text_folded(c));
		} else if (feed_name(c, "title")) {
			feed_take(&it->title, feed_text_folded(c));
		} else if (feed_name(c, "encoded") && strcmp(ns, FEED_NS_CONTENT) == 0) {
			feed_set_content(it, 4, feed_content(c, 0), 1);
		} else if (feed_name(c, "content") || feed_name(c, "summary")) {
			xmlChar *type = xmlGetProp(c, (const xmlChar *)"type");
			const char *t = type ? (const char *)type : "text";
			int xhtml = strcmp(t, "xhtml") == 0;
			int html = xhtml || strcmp(t, "html") == 0 || strstr(t, "html") != NULL;
			xmlChar *src = xmlGetProp(c, (const xmlChar *)"src");
			if (src == NULL)
				feed_set_content(it, feed_name(c, "content") ? 3 : 1,
						 feed_content(c, xhtml), html);
			xmlFree(src);
			xmlFree(type);
		} else if (feed_name(c, "description")) {
			feed_set_content(it, 2, feed_content(c, 0), 1);
		}
	}
}

static int feed_item_emit(pl_reader *r, const char *id, unsigned long n, feed_item *it)
{
	char fallback[4200];
	snprintf(fallback, sizeof fallback, "%s#%lu", id, n);
	const char *did = it->link ? it->link : it->guid ? it->guid : fallback;
	pl_input meta;
	memset(&meta, 0, sizeof meta);
	meta.charset = "utf-8";
	meta.title = it->title;
	meta.is_html = it->content_html;
	char iso[11];
	const char *date = it->date ? it->date : it->updated;
	if (date != NULL && feed_rfc822(date, iso))
		meta.date = iso;
	else
		meta.date = date;
	const char *text = it->content ? it->content : "";
	size_t len = strlen(text);
	if (len > r->max_doc)
		return pl_read_fail(r, did, "error:too-large",
				    "%s: read: feed item %lu is over the %zu-byte limit "
				    "(--max-doc-bytes); skipped", did, n, r->max_doc);
	return pl_read_doc(r, did, (const unsigned char *)text, len, &meta);
}

int pl_read_feed(pl_reader *r, pl_src *s, const char *id)
{
	feed_err fe;
	memset(&fe, 0, sizeof fe);
	int opts = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
	xmlTextReader *rd = xmlReaderForIO(feed_io, NULL, s, NULL, NULL, opts);
	if (rd == NULL)
		return pl_read_fail(r, id, "error:corrupt", "%s: read: feed: libxml2 cannot read it",
				    id);
	xmlTextReaderSetStructuredErrorHandler(rd, feed_on_error, &fe);
	unsigned long n = 0;
	int out = PL_OK;
	int ret = xmlTextReaderRead(rd);
	while (ret == 1) {
		const xmlChar *local = xmlTextReaderConstLocalName(rd);
		if (xmlTextReaderNodeType(rd) == XML_READER_TYPE_ELEMENT && local != NULL &&
		    (strcmp((const char *)local, "item") == 0 ||
		     strcmp((const char *)local, "entry") == 0)) {
			xmlNode *node = xmlTextReaderExpand(rd);
			if (node == NULL) {
				ret = -1;
				break;
			}
			feed_item it;
			memset(&it, 0, sizeof it);
			feed_read_item(node, &it);
			out = feed_item_emit(r, id, ++n, &it);
			free(it.link);
			free(it.guid);
			free(it.date);
			free(it.updated);
			free(it.title);
			free(it.content);
			if (out != PL_OK)
				break;
			ret = xmlTextReaderNext(rd);
			continue;
		}
		ret = xmlTextReaderRead(rd);
	}
	xmlFreeTextReader(rd);
	if (out != PL_OK)
		return out;
	if (s->failed)
		return pl_read_fail(r, id, s->status, "%s: read: feed, after item %lu: %s", id, n,
				    s->err);
	if (ret < 0)
		return pl_read_fail(r, id, "error:corrupt",
				    "%s: read: feed: line %d: %s; the items after item %lu are "
				    "skipped", id, fe.line, fe.msg[0] ? fe.msg : "XML error", n);
	return PL_OK;
}
