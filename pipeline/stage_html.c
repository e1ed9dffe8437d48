/* stage_html.c: an HTML page to its main text (html.c does the work).
 * In:  d->text valid UTF-8 (decode); d->bytes; d->is_html from the reader.
 * Out: when the document is HTML (the reader says so, or its bytes or text
 *      look like HTML: the file name is never consulted), d->text holds the
 *      main content, one paragraph per line (arena); d->html_title; and,
 *      where still unset, d->title (the page's <h1> or <title> without the
 *      site name), d->date (ISO, from meta tags or the byline) and
 *      d->publisher. Those are read from the page's structure, which strip
 *      no longer sees, so they come first; strip fills what is left.
 *      Anything else passes through untouched.
 * Owns: nothing (libxml2's tree lives and dies inside pl_html_extract).
 * Errors: per document; a page libxml2 cannot parse at all is
 * "error:html". */
#include <string.h>

#include "html.h"
#include "meta.h"
#include "stage.h"

static int html_open(void **state, const pl_opts *o, pl_err *e)
{
	(void)o;
	(void)e;
	*state = NULL;
	return PL_OK;
}

static void html_close(void *state) { (void)state; }

static int html_run(void *state, pl_doc *d, pl_err *e)
{
	(void)state;
	if (!d->is_html && !pl_html_sniff(d->bytes, d->nbytes) &&
	    !pl_html_sniff((const unsigned char *)d->text, d->len))
		return PL_OK;
	pl_html h;
	if (pl_html_extract(d->arena, d->text, d->len, &h, e) != PL_OK) {
		char why[sizeof e->msg];
		memcpy(why, e->msg, sizeof why);
		d->status = "error:html";
		return pl_errf(e, PL_EDOC, "%s: %s", d->id, why);
	}
	d->text = h.text;
	d->len = h.len;
	d->html_title = h.title;
	if (d->title == NULL && h.title != NULL && h.title[0] != '\0')
		d->title = h.title;
	char iso[11];
	if (d->date == NULL && h.date != NULL && pl_date_iso(h.date, iso))
		d->date = pl_strndup(d->arena, iso, 10);
	if (d->publisher == NULL && h.publisher != NULL && h.publisher[0] != '\0')
		d->publisher = h.publisher;
	return PL_OK;
}

const pl_stage pl_stage_html = {
	.name = "html", .open = html_open, .run = html_run, .close = html_close,
};
