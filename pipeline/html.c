/* html.c: HTML main-content extraction on top of libxml2's HTML parser.
 *
 * The page is parsed into a libxml2 tree; every element gets an html_node
 * record (arena, hung on xmlNode._private) and a few passes run over it:
 *   1. classify: tag flags; boilerplate by tag, class/id, role and inline
 *      style; metadata (<title>, <h1>, <meta>);
 *   2. count: per-subtree text, link text, punctuation and tag counts, and
 *      per-paragraph counts (text credited to its nearest block element).
 *      "Soft" boilerplate (nav, header, footer, form, class="share", hidden
 *      style...) is dropped only if it does not hold most of the page's
 *      text, so a page wrapped in one big <form> still works: counting runs
 *      once without and once with the soft drops;
 *      A block opened by a heading such as 网友评论 or 相关阅读 is soft
 *      boilerplate too;
 *   3. score: each paragraph (a block with clause punctuation, or long)
 *      scores 1 + its punctuation (，。；：！？、“”) + a length bonus,
 *      credited to itself and, decaying, to five ancestors; a candidate's
 *      score is multiplied by 1 - its link density. (Characters per tag
 *      was tried as a factor and dropped: it penalises the data tables
 *      that statistical bulletins are made of.)
 *   4. pick the best candidate; climb while the parent adds only prose
 *      (paragraphs nested in unclosed tags); shed a wrapper's leading
 *      non-prose blocks (title, info line) when one child holds the prose;
 *      add sibling blocks that are prose (they end sentences) and trailing
 *      byline blocks (来源/编辑/记者 ...);
 *   5. emit text with line breaks at block elements and tabs between table
 *      cells, dropping link-heavy blocks, link-heavy short lines and lines
 *      with no letters or digits.
 * Every walk is iterative over parent/next pointers, so nesting depth costs
 * no C stack, and each pass is linear in the number of nodes. */
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "html.h"

#define HTML_SNIFF_MAX 4096  /* bytes looked at by sniff and charset */
#define HTML_PARA_MIN 10     /* non-link chars for a block to score */
#define HTML_PARA_LEN 100.0  /* chars per length-bonus point (max 3) */
#define HTML_PROSE_LEN 50    /* chars that score without punctuation */
#define HTML_DESCEND 0.9     /* child share of prose to step into it */
#define HTML_TAIL 0.1	     /* text share of blocks after it, to step */
#define HTML_TAIL_MIN 20     /* ... plus this many chars */
#define HTML_PROSE_SHARE 0.7 /* prose density, relative, to climb */
#define HTML_PROSE_MIN 2.0   /* paragraph score of a prose block */
#define HTML_SIBLING 0.25    /* sibling score share to be included */
#define HTML_BYLINE_MAX 80   /* longest trailing byline block, chars */
#define HTML_LINE_LINKY 200  /* shorter lines may be dropped as link lines */
#define HTML_WINDOW 600	     /* bytes of byline text searched */
#define HTML_MAX_H1 8

/* ---- tags --------------------------------------------------------------- */

enum {
	HT_BLOCK = 1 << 0, /* block-level: paragraph unit, line break */
	HT_CELL = 1 << 1,  /* td, th: tab between cells of a row */
	HT_BREAK = 1 << 2, /* br, hr: line break */
	HT_LINK = 1 << 3,  /* a */
	HT_HARD = 1 << 4,  /* never content: script, style, rt, ... */
	HT_SOFT = 1 << 5,  /* boilerplate unless it holds most of the page */
	HT_FORM = 1 << 6,  /* form: soft with the lower threshold */
	HT_H1 = 1 << 7,
	HT_TITLE = 1 << 8,
	HT_META = 1 << 9,
	HT_ROOT = 1 << 10 /* html, body: never dropped */
};

typedef struct html_tag {
	const char *name;
	unsigned flags;
} html_tag;

static const html_tag html_tags[] = {
    {"a", HT_LINK},
    {"address", HT_BLOCK},
    {"applet", HT_HARD},
    {"area", HT_HARD},
    {"article", HT_BLOCK},
    {"aside", HT_BLOCK | HT_SOFT},
    {"audio", HT_HARD},
    {"base", HT_HARD},
    {"blockquote", HT_BLOCK},
    {"body", HT_BLOCK | HT_ROOT},
    {"br", HT_BREAK},
    {"button", HT_HARD},
    {"canvas", HT_HARD},
    {"caption", HT_BLOCK},
    {"center", HT_BLOCK},
    {"datalist", HT_HARD},
    {"dd", HT_BLOCK},
    {"details", HT_BLOCK},
    {"dialog", HT_BLOCK},
    {"dir", HT_BLOCK},
    {"div", HT_BLOCK},
    {"dl", HT_BLOCK},
    {"dt", HT_BLOCK},
    {"embed", HT_HARD},
    {"fieldset", HT_BLOCK},
    {"figcaption", HT_BLOCK},
    {"figure", HT_BLOCK},
    {"footer", HT_BLOCK | HT_SOFT},
    {"form", HT_BLOCK | HT_SOFT | HT_FORM},
    {"frame", HT_HARD},
    {"frameset", HT_HARD},
    {"h1", HT_BLOCK | HT_H1},
    {"h2", HT_BLOCK},
    {"h3", HT_BLOCK},
    {"h4", HT_BLOCK},
    {"h5", HT_BLOCK},
    {"h6", HT_BLOCK},
    {"head", HT_HARD},
    {"header", HT_BLOCK | HT_SOFT},
    {"hgroup", HT_BLOCK},
    {"hr", HT_BREAK},
    {"html", HT_BLOCK | HT_ROOT},
    {"iframe", HT_HARD},
    {"input", HT_HARD},
    {"legend", HT_BLOCK},
    {"li", HT_BLOCK},
    {"link", HT_HARD},
    {"main", HT_BLOCK},
    {"map", HT_HARD},
    {"math", HT_HARD},
    {"menu", HT_BLOCK | HT_SOFT},
    {"meta", HT_HARD | HT_META},
    {"nav", HT_BLOCK | HT_SOFT},
    {"noframes", HT_HARD},
    {"noscript", HT_HARD},
    {"object", HT_HARD},
    {"ol", HT_BLOCK},
    {"option", HT_HARD},
    {"p", HT_BLOCK},
    {"param", HT_HARD},
    {"pre", HT_BLOCK},
    {"rp", HT_HARD},
    {"rt", HT_HARD},
    {"script", HT_HARD},
    {"section", HT_BLOCK},
    {"select", HT_HARD},
    {"source", HT_HARD},
    {"style", HT_HARD},
    {"summary", HT_BLOCK},
    {"svg", HT_HARD},
    {"table", HT_BLOCK},
    {"tbody", HT_BLOCK},
    {"td", HT_BLOCK | HT_CELL},
    {"template", HT_HARD},
    {"textarea", HT_HARD},
    {"tfoot", HT_BLOCK},
    {"th", HT_BLOCK | HT_CELL},
    {"thead", HT_BLOCK},
    {"title", HT_HARD | HT_TITLE},
    {"tr", HT_BLOCK},
    {"track", HT_HARD},
    {"ul", HT_BLOCK},
    {"video", HT_HARD},
};

static unsigned html_tag_flags(const char *name)
{
	size_t lo = 0, hi = sizeof html_tags / sizeof html_tags[0];
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int d = strcmp(name, html_tags[mid].name);
		if (d == 0)
			return html_tags[mid].flags;
		if (d < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

/* ---- characters ------------------------------------------------------- */

/* Decodes one code point from NUL-terminated s; invalid bytes give U+FFFD
 * and advance by one. Returns the byte length (0 at the terminator). */
static size_t html_utf8(const unsigned char *s, uint32_t *cp)
{
	unsigned c = s[0];
	if (c == 0) {
		*cp = 0;
		return 0;
	}
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
	if (n == 0 || c > 0xF4) {
		*cp = 0xFFFD;
		return 1;
	}
	uint32_t v = c & (0x3F >> (n - 1));
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*cp = 0xFFFD;
			return 1;
		}
		v = (v << 6) | (s[i] & 0x3F);
	}
	*cp = v;
	return n;
}

static int html_is_space(uint32_t cp)
{
	return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0xA0 || cp == 0x1680 ||
	       (cp >= 0x2000 && cp <= 0x200B) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
	       cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

/* Punctuation used as the "this is prose" signal. */
static int html_is_cjk_punct(uint32_t cp)
{
	switch (cp) {
	case 0xFF0C: /* ， */
	case 0x3002: /* 。 */
	case 0xFF1B: /* ； */
	case 0xFF1A: /* ： */
	case 0xFF01: /* ！ */
	case 0xFF1F: /* ？ */
	case 0x3001: /* 、 */
	case 0x201C: /* “ */
	case 0x201D: /* ” */
		return 1;
	default:
		return 0;
	}
}

/* Clause and sentence punctuation: labels ("来源：") and titles lack it. */
static int html_is_sentence(uint32_t cp)
{
	return cp == 0xFF0C || cp == 0x3002 || cp == 0xFF1B || cp == 0xFF01 || cp == 0xFF1F ||
	       cp == 0x3001;
}

static int html_is_ascii_punct(uint32_t cp)
{
	return cp == ',' || cp == '.' || cp == ';' || cp == ':' || cp == '!' || cp == '?';
}

/* Wide characters between which a source line break is not a space. */
static int html_is_cjk(uint32_t cp)
{
	return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	       (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFFEF) ||
	       (cp >= 0x20000 && cp <= 0x3FFFF);
}

/* Letters, digits and ideographs: a line without any is decoration. */
static int html_is_word(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= '0' && cp <= '9') || ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z');
	if (cp <= 0xBF || (cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) ||
	    (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF0F) ||
	    (cp >= 0xFF1A && cp <= 0xFF20) || (cp >= 0xFF3B && cp <= 0xFF40) ||
	    (cp >= 0xFF5B && cp <= 0xFF65) || cp == 0xFFFD)
		return 0;
	return 1;
}

static int html_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* ASCII case-insensitive: does s[0..n) start with lowercase word w? */
static int html_prefix(const unsigned char *s, size_t n, const char *w)
{
	size_t k = strlen(w);
	if (n < k)
		return 0;
	for (size_t i = 0; i < k; i++)
		if (html_lower(s[i]) != w[i])
			return 0;
	return 1;
}

/* ---- per-element records ---------------------------------------------- */

typedef struct html_node {
	unsigned flags;				  /* HT_* of the tag */
	unsigned soft;				  /* 0, or the share (percent) of page text above
						   * which this soft boilerplate is kept */
	unsigned drop : 1;			  /* soft drop applied */
	unsigned dead : 1;			  /* dropped or inside something dropped */
	unsigned in_a : 1;			  /* inside <a> */
	xmlNode *blk;				  /* nearest block ancestor-or-self */
	xmlNode *first;				  /* first non-blank text node inside */
	size_t chars, lchars, punct, tags, links; /* live subtree totals */
	size_t finals;			/* sentence ends (。！？) outside links, subtree */
	size_t pchars, plchars, ppunct; /* text whose nearest block is this */
	size_t psent;			/* its clause/sentence punctuation (，。；！？) */
	double own;			/* this element's paragraph score */
	double good;			/* sum of paragraph scores in the subtree */
	double score;			/* decayed paragraph scores credited here */
} html_node;

typedef struct html_vec {
	xmlNode **v;
	size_t n, cap;
} html_vec;

typedef struct html_out {
	pl_buf b;
	size_t line_start; /* offset of the current line */
	size_t line_chars, line_lchars, line_words;
	int pend;    /* pending separator: 0, ' ' or '\t' */
	int pend_nl; /* the pending whitespace held a line break */
	int last_cjk;
	int filter; /* drop link-heavy and wordless lines */
	size_t max; /* stop appending at this length; 0 = no limit */
	size_t lines;
	const xmlNode *root; /* walk root: read even if its tag is hard */
} html_out;

typedef struct html_ctx {
	pl_arena *a;
	xmlNode *root;	/* <html> */
	html_vec soft;	/* elements with soft boilerplate signals */
	html_vec heads; /* text nodes reading like 相关阅读, 网友评论 */
	xmlNode *title_el;
	xmlNode *h1[HTML_MAX_H1];
	size_t nh1;
	const char *meta_date, *meta_source, *meta_author, *meta_site;
	int date_rank;
	/* emission */
	html_out *out;
	xmlNode *emit_root;
	/* flat text of the whole page, for bylines */
	xmlNode *mark_start, *mark_end;
	size_t off_start, off_end;
	int seen_start, seen_end;
} html_ctx;

static html_node *html_rec(xmlNode *n)
{
	return n != NULL && n->type == XML_ELEMENT_NODE ? n->_private : NULL;
}

static void html_vec_push(pl_arena *a, html_vec *v, xmlNode *n)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 32;
		xmlNode **nv = pl_alloc(a, cap * sizeof *nv);
		if (v->n)
			memcpy(nv, v->v, v->n * sizeof *nv);
		v->v = nv;
		v->cap = cap;
	}
	v->v[v->n++] = n;
}

/* ---- the walker ------------------------------------------------------- */

typedef int (*html_enter_fn)(xmlNode *n, void *ctx); /* 1: visit children */
typedef void (*html_leave_fn)(xmlNode *n, void *ctx);

/* Depth-first over root's subtree without recursion: enter() on the way
 * down, leave() (may be NULL) once a node's children are done. */
static void html_walk(xmlNode *root, html_enter_fn enter, html_leave_fn leave, void *ctx)
{
	xmlNode *n = root;
	for (;;) {
		if (enter(n, ctx) && n->children != NULL) {
			n = n->children;
			continue;
		}
		for (;;) {
			if (leave != NULL)
				leave(n, ctx);
			if (n == root)
				return;
			if (n->next != NULL) {
				n = n->next;
				break;
			}
			n = n->parent;
		}
	}
}

/* Value of attribute name (lowercase; the HTML parser lowercases names) as
 * a pointer into the libxml2 tree, "" if empty, NULL if absent. */
static const char *html_attr(xmlNode *n, const char *name)
{
	for (xmlAttr *p = n->properties; p != NULL; p = p->next) {
		if (strcmp((const char *)p->name, name) != 0)
			continue;
		if (p->children != NULL && p->children->content != NULL)
			return (const char *)p->children->content;
		return "";
	}
	return NULL;
}

/* ---- text output ------------------------------------------------------ */

static void html_out_init(html_out *o, pl_arena *a, int filter, size_t max)
{
	memset(o, 0, sizeof *o);
	pl_buf_init(&o->b, a, 1024);
	o->filter = filter;
	o->max = max;
}

static void html_out_break(html_out *o)
{
	int keep = o->line_chars > 0;
	if (keep && o->filter) {
		if (o->line_words == 0)
			keep = 0;
		else if (o->line_lchars * 2 > o->line_chars && o->line_chars < HTML_LINE_LINKY)
			keep = 0;
	}
	if (keep) {
		pl_buf_addc(&o->b, '\n');
		o->lines++;
	} else {
		o->b.len = o->line_start;
		o->b.data[o->b.len] = '\0';
	}
	o->line_start = o->b.len;
	o->line_chars = o->line_lchars = o->line_words = 0;
	o->pend = 0;
	o->pend_nl = 0;
	o->last_cjk = 0;
}

static void html_out_cell(html_out *o)
{
	if (o->line_chars > 0)
		o->pend = '\t';
}

static void html_out_text(html_out *o, const char *text, int in_a)
{
	const unsigned char *s = (const unsigned char *)text;
	uint32_t cp;
	size_t k;
	while ((k = html_utf8(s, &cp)) > 0) {
		if (o->max && o->b.len >= o->max)
			return;
		if (html_is_space(cp)) {
			if (o->pend == 0)
				o->pend = ' ';
			if (cp == '\n' || cp == '\r')
				o->pend_nl = 1;
			s += k;
			continue;
		}
		if (cp < 0x20 || cp == 0x7F) {
			s += k;
			continue;
		}
		int cjk = html_is_cjk(cp);
		if (o->pend && o->line_chars > 0) {
			/* A source line break between two ideographs is a
			 * wrap, not a space. */
			if (!(o->pend == ' ' && o->pend_nl && o->last_cjk && cjk))
				pl_buf_addc(&o->b, (char)o->pend);
		}
		o->pend = 0;
		o->pend_nl = 0;
		pl_buf_add(&o->b, (const char *)s, k);
		o->line_chars++;
		if (in_a)
			o->line_lchars++;
		if (html_is_word(cp))
			o->line_words++;
		o->last_cjk = cjk;
		s += k;
	}
}

/* Ends the output and strips the trailing newline. */
static void html_out_end(html_out *o)
{
	html_out_break(o);
	while (o->b.len > 0 && o->b.data[o->b.len - 1] == '\n') {
		o->b.data[--o->b.len] = '\0';
	}
}

/* ---- pass 1: classify ------------------------------------------------- */

static const char *const html_bad_sub[] = {
    "share",	  "comment",  "footer",	    "breadcrumb", "crumb",   "copyright", "related",
    "toolbar",	  "fontsize", "font-size",  "font_size",  "sidebar", "qrcode",	  "erweima",
    "login",	  "advert",   "pagination", "jiathis",	  "weixin",  "wechat",	  "recommend",
    "disclaimer", "fenxiang", "pinglun",    "xgxw",	  "xgwz",    "xglj",	  "dqwz",
    "popup",	  "cookie",   "subscribe",  NULL};

/* Matched at the start or the end of a class/id token. */
static const char *const html_bad_tok[] = {"nav",    "menu",	"header", "foot",   "bread",
					   "tool",   "bottom",	"banner", "search", "location",
					   "topbar", "sitemap", "social", "print",  NULL};

/* Matched as a whole class/id token. */
static const char *const html_bad_word[] = {"ad",     "ads",  "head", "top",  "side",
					    "hidden", "hide", "gg",   "tags", NULL};

static int html_token_bad(const char *t, size_t n)
{
	for (int i = 0; html_bad_word[i] != NULL; i++)
		if (strlen(html_bad_word[i]) == n && memcmp(t, html_bad_word[i], n) == 0)
			return 1;
	for (int i = 0; html_bad_tok[i] != NULL; i++) {
		size_t k = strlen(html_bad_tok[i]);
		if (k <= n && (memcmp(t, html_bad_tok[i], k) == 0 ||
			       memcmp(t + n - k, html_bad_tok[i], k) == 0))
			return 1;
	}
	return 0;
}

/* Does a class or id value name boilerplate? */
static int html_names_bad(const char *v)
{
	char low[256];
	size_t n = 0;
	for (; n < sizeof low - 1 && v[n] != '\0'; n++)
		low[n] = (char)html_lower((unsigned char)v[n]);
	low[n] = '\0';
	for (int i = 0; html_bad_sub[i] != NULL; i++)
		if (strstr(low, html_bad_sub[i]) != NULL)
			return 1;
	size_t i = 0;
	while (i < n) {
		while (i < n &&
		       !((low[i] >= 'a' && low[i] <= 'z') || (low[i] >= '0' && low[i] <= '9')))
			i++;
		size_t j = i;
		while (j < n &&
		       ((low[j] >= 'a' && low[j] <= 'z') || (low[j] >= '0' && low[j] <= '9')))
			j++;
		if (j > i && html_token_bad(low + i, j - i))
			return 1;
		i = j;
	}
	return 0;
}

/* Inline style hiding the element (spaces and quotes ignored). */
static int html_style_hidden(const char *v)
{
	char low[512];
	size_t n = 0;
	for (; *v != '\0' && n < sizeof low - 1; v++) {
		int c = html_lower((unsigned char)*v);
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\'' || c == '"')
			continue;
		low[n++] = (char)c;
	}
	low[n] = '\0';
	return strstr(low, "display:none") != NULL || strstr(low, "visibility:hidden") != NULL;
}

static int html_role_bad(const char *v)
{
	static const char *const roles[] = {"navigation",    "banner",	"contentinfo",
					    "complementary", "search",	"menu",
					    "menubar",	     "toolbar", NULL};
	for (int i = 0; roles[i] != NULL; i++)
		if (strcmp(v, roles[i]) == 0)
			return 1;
	return 0;
}

/* Case-insensitive equality with a lowercase word. */
static int html_ieq(const char *s, const char *w)
{
	size_t n = strlen(s);
	return n == strlen(w) && html_prefix((const unsigned char *)s, n, w);
}

static const char *html_trimdup(pl_arena *a, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	size_t k;
	while ((k = html_utf8(p, &cp)) > 0 && html_is_space(cp))
		p += k;
	const unsigned char *end = p, *q = p;
	while ((k = html_utf8(q, &cp)) > 0) {
		q += k;
		if (!html_is_space(cp))
			end = q;
	}
	if (end == p)
		return NULL;
	return pl_strndup(a, (const char *)p, (size_t)(end - p));
}

static void html_meta(html_ctx *c, xmlNode *n)
{
	static const char *const dates[] = {"article:published_time",
					    "pubdate",
					    "publishdate",
					    "publish_date",
					    "publish-date",
					    "publishtime",
					    "publish_time",
					    "firstpublishedtime",
					    "datepublished",
					    "og:release_date",
					    "dc.date.issued",
					    "dcterms.issued",
					    "dc.date",
					    "dcterms.date",
					    "dcterms.created",
					    "releasedate",
					    "date",
					    NULL};
	static const char *const sources[] = {
	    "contentsource", "source", "publisher", "dc.publisher", "citation_publisher", NULL};
	const char *key = html_attr(n, "name");
	if (key == NULL)
		key = html_attr(n, "property");
	if (key == NULL)
		key = html_attr(n, "itemprop");
	const char *val = html_attr(n, "content");
	if (key == NULL || val == NULL)
		return;
	const char *v = html_trimdup(c->a, val);
	if (v == NULL)
		return;
	for (int i = 0; dates[i] != NULL; i++) {
		if (html_ieq(key, dates[i])) {
			if (c->meta_date == NULL || i < c->date_rank) {
				c->meta_date = v;
				c->date_rank = i;
			}
			return;
		}
	}
	for (int i = 0; sources[i] != NULL; i++) {
		if (html_ieq(key, sources[i])) {
			if (c->meta_source == NULL &&
			    !html_prefix((const unsigned char *)v, strlen(v), "http"))
				c->meta_source = v;
			return;
		}
	}
	if (html_ieq(key, "author") || html_ieq(key, "dc.creator")) {
		if (c->meta_author == NULL)
			c->meta_author = v;
	} else if (html_ieq(key, "sitename") || html_ieq(key, "og:site_name")) {
		if (c->meta_site == NULL)
			c->meta_site = v;
	}
}

/* Headings of boilerplate sections: comments, related and ranked lists. */
static int html_is_section_heading(const char *text)
{
	static const char *const heads[] = {"网友评论",
					    "网友留言",
					    "发表评论",
					    "我要评论",
					    "评论",
					    "留言",
					    "相关评论",
					    "最新评论",
					    "热门评论",
					    "相关阅读",
					    "相关新闻",
					    "相关链接",
					    "相关文章",
					    "相关报道",
					    "相关推荐",
					    "推荐阅读",
					    "延伸阅读",
					    "热门排行",
					    "热门文章",
					    "热门推荐",
					    "热点新闻",
					    "热点推荐",
					    "猜你喜欢",
					    "更多新闻",
					    "精彩推荐",
					    "图片新闻",
					    "友情链接",
					    "网站导航",
					    "排行榜",
					    "点击排行",
					    "comments",
					    "related",
					    "related articles",
					    "related posts",
					    "related stories",
					    "read more",
					    "you may also like",
					    "leave a reply",
					    "most popular",
					    "most read",
					    NULL};
	char buf[64];
	size_t n = 0;
	const unsigned char *s = (const unsigned char *)text;
	uint32_t cp;
	size_t k;
	while ((k = html_utf8(s, &cp)) > 0 && html_is_space(cp))
		s += k;
	while ((k = html_utf8(s, &cp)) > 0) {
		if (n + k >= sizeof buf)
			return 0;
		for (size_t i = 0; i < k; i++)
			buf[n++] = (char)html_lower(s[i]);
		s += k;
	}
	/* Trailing blanks, colons and "more" arrows. */
	static const char *const tails[] = {" ",  "\t", "\n",	  "\r",	    ":", ">",
					    "：", "»",	"\u3000", "\u00a0", NULL};
	for (int again = 1; again;) {
		again = 0;
		for (int i = 0; tails[i] != NULL; i++) {
			size_t tl = strlen(tails[i]);
			if (n >= tl && memcmp(buf + n - tl, tails[i], tl) == 0) {
				n -= tl;
				again = 1;
			}
		}
	}
	buf[n] = '\0';
	for (int i = 0; heads[i] != NULL; i++)
		if (strcmp(buf, heads[i]) == 0)
			return 1;
	return 0;
}

/* A text node in classification: the first text of its unmarked
 * ancestors (each element is marked once, so this stays linear). */
static void html_classify_text(html_ctx *c, xmlNode *n)
{
	html_node *p = html_rec(n->parent);
	if (p == NULL || (p->flags & HT_HARD) || n->content == NULL)
		return;
	const unsigned char *s = n->content;
	uint32_t cp;
	size_t k;
	while ((k = html_utf8(s, &cp)) > 0 && html_is_space(cp))
		s += k;
	if (k == 0)
		return;
	for (xmlNode *up = n->parent; up != NULL && up->type == XML_ELEMENT_NODE; up = up->parent) {
		html_node *u = up->_private;
		if (u->first != NULL)
			break;
		u->first = n;
	}
	if (html_is_section_heading((const char *)n->content))
		html_vec_push(c->a, &c->heads, n);
}

static int html_classify(xmlNode *n, void *vc)
{
	html_ctx *c = vc;
	if (n->type == XML_DOCUMENT_NODE || n->type == XML_HTML_DOCUMENT_NODE)
		return 1;
	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		html_classify_text(c, n);
		return 0;
	}
	if (n->type != XML_ELEMENT_NODE)
		return 0;
	html_node *h = pl_alloc(c->a, sizeof *h);
	n->_private = h;
	h->flags = html_tag_flags((const char *)n->name);
	if (c->root == NULL && strcmp((const char *)n->name, "html") == 0)
		c->root = n;
	if (!(h->flags & (HT_HARD | HT_ROOT))) {
		const char *v;
		if (h->flags & HT_FORM)
			h->soft = 50;
		else if (h->flags & HT_SOFT)
			h->soft = 80;
		if (h->soft == 0 && (((v = html_attr(n, "class")) != NULL && html_names_bad(v)) ||
				     ((v = html_attr(n, "id")) != NULL && html_names_bad(v)) ||
				     ((v = html_attr(n, "role")) != NULL && html_role_bad(v))))
			h->soft = 80;
		if (h->soft == 0 &&
		    (html_attr(n, "hidden") != NULL ||
		     ((v = html_attr(n, "style")) != NULL && html_style_hidden(v)) ||
		     ((v = html_attr(n, "aria-hidden")) != NULL && strcmp(v, "true") == 0)))
			h->soft = 50;
		if (h->soft)
			html_vec_push(c->a, &c->soft, n);
	}
	if ((h->flags & HT_TITLE) && c->title_el == NULL)
		c->title_el = n;
	if ((h->flags & HT_H1) && c->nh1 < HTML_MAX_H1)
		c->h1[c->nh1++] = n;
	if (h->flags & HT_META)
		html_meta(c, n);
	return 1;
}

/* ---- pass 2: count ---------------------------------------------------- */

typedef struct html_counts {
	size_t chars, punct, sent, final;
} html_counts;

static void html_count_text(const char *text, html_counts *k)
{
	const unsigned char *s = (const unsigned char *)text;
	uint32_t cp;
	size_t n;
	memset(k, 0, sizeof *k);
	while ((n = html_utf8(s, &cp)) > 0) {
		s += n;
		if (html_is_space(cp))
			continue;
		k->chars++;
		if (html_is_cjk_punct(cp)) {
			k->punct++;
			if (html_is_sentence(cp))
				k->sent++;
			if (cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F)
				k->final++;
		} else if (html_is_ascii_punct(cp) &&
			   (*s == '\0' || *s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')) {
			k->punct++;
			if (cp != ':')
				k->sent++;
			if (cp == '.' || cp == '!' || cp == '?')
				k->final++;
		}
	}
}

static int html_count_enter(xmlNode *n, void *vc)
{
	(void)vc;
	if (n->type == XML_DOCUMENT_NODE || n->type == XML_HTML_DOCUMENT_NODE)
		return 1;
	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		html_node *p = html_rec(n->parent);
		if (p == NULL || p->dead || n->content == NULL)
			return 0;
		html_counts k;
		html_count_text((const char *)n->content, &k);
		html_node *b = html_rec(p->blk);
		p->chars += k.chars;
		p->punct += k.punct;
		b->pchars += k.chars;
		if (p->in_a) {
			p->lchars += k.chars;
			b->plchars += k.chars;
		} else {
			b->ppunct += k.punct;
			b->psent += k.sent;
			p->finals += k.final;
		}
		return 0;
	}
	if (n->type != XML_ELEMENT_NODE)
		return 0;
	html_node *h = n->_private, *p = html_rec(n->parent);
	h->chars = h->lchars = h->punct = h->tags = h->links = h->finals = 0;
	h->pchars = h->plchars = h->ppunct = h->psent = 0;
	h->own = h->good = h->score = 0;
	h->dead = (h->flags & HT_HARD) || h->drop || (p != NULL && p->dead);
	h->in_a = (h->flags & HT_LINK) || (p != NULL && p->in_a);
	h->blk = (h->flags & HT_BLOCK) || p == NULL ? n : p->blk;
	/* Dead subtrees are walked too (their text is not counted), so every
	 * record is current after each round. */
	if (h->dead)
		return 1;
	h->tags = 1;
	h->links = (h->flags & HT_LINK) ? 1 : 0;
	return 1;
}

static void html_count_leave(xmlNode *n, void *vc)
{
	(void)vc;
	html_node *h = html_rec(n), *p;
	if (h == NULL || h->dead || (p = html_rec(n->parent)) == NULL)
		return;
	p->chars += h->chars;
	p->lchars += h->lchars;
	p->punct += h->punct;
	p->tags += h->tags;
	p->links += h->links;
	p->finals += h->finals;
}

/* After the first count: a section opened by a boilerplate heading is
 * soft boilerplate; so is a lone heading line inside the content. */
static void html_mark_heads(html_ctx *c)
{
	for (size_t i = 0; i < c->heads.n; i++) {
		xmlNode *t = c->heads.v[i];
		html_node *p = html_rec(t->parent);
		if (p == NULL || p->dead || p->blk == NULL)
			continue;
		xmlNode *b = p->blk, *sec = NULL;
		html_node *bh = html_rec(b);
		html_counts k;
		html_count_text((const char *)t->content, &k);
		if (bh->chars <= k.chars + 2) {
			html_node *ah = html_rec(b->parent);
			sec =
			    ah != NULL && !(ah->flags & HT_ROOT) && ah->first == t ? b->parent : b;
		} else if (bh->first == t && !(bh->flags & HT_ROOT)) {
			sec = b;
		}
		html_node *sh = html_rec(sec);
		if (sh == NULL || (sh->flags & HT_ROOT))
			continue;
		if (sh->soft == 0)
			html_vec_push(c->a, &c->soft, sec);
		if (sh->soft == 0 || sh->soft > 80)
			sh->soft = 80;
	}
}

static void html_count(xmlDoc *doc, html_ctx *c)
{
	html_walk((xmlNode *)doc, html_count_enter, html_count_leave, c);
	html_mark_heads(c);
	if (c->soft.n == 0 || c->root == NULL)
		return;
	html_node *r = c->root->_private;
	size_t page = r->chars - r->lchars;
	int changed = 0;
	for (size_t i = 0; i < c->soft.n; i++) {
		html_node *h = c->soft.v[i]->_private;
		size_t mine = h->chars - h->lchars;
		/* Kept only when it holds most of the page: a page-wide form
		 * or a misnamed wrapper around the article. */
		if (h->dead || page == 0 || mine * 100 < page * h->soft) {
			h->drop = 1;
			changed = 1;
		}
	}
	if (changed)
		html_walk((xmlNode *)doc, html_count_enter, html_count_leave, c);
}

/* ---- pass 3: score ---------------------------------------------------- */

static int html_score_enter(xmlNode *n, void *vc)
{
	(void)vc;
	if (n->type == XML_DOCUMENT_NODE || n->type == XML_HTML_DOCUMENT_NODE)
		return 1;
	html_node *h = html_rec(n);
	if (h == NULL || h->dead)
		return 0;
	size_t plain = h->pchars - h->plchars;
	/* Prose: long enough, and with clause punctuation unless long. */
	if (h->blk == n && plain >= HTML_PARA_MIN && (h->psent > 0 || plain >= HTML_PROSE_LEN)) {
		double len = (double)plain / HTML_PARA_LEN;
		h->own = 1.0 + (double)h->ppunct + (len < 3.0 ? len : 3.0);
		/* Credit: self and parent in full, then 1/2, 1/6, 1/9, 1/12. */
		xmlNode *up = n;
		for (int level = 0; level < 6 && up != NULL; level++) {
			html_node *u = html_rec(up);
			if (u == NULL)
				break;
			double div = level <= 1 ? 1.0 : level == 2 ? 2.0 : 3.0 * (level - 1);
			u->score += h->own / div;
			up = up->parent;
		}
	}
	h->good += h->own;
	return 1;
}

static void html_score_leave(xmlNode *n, void *vc)
{
	(void)vc;
	html_node *h = html_rec(n), *p;
	if (h == NULL || h->dead || (p = html_rec(n->parent)) == NULL)
		return;
	p->good += h->good;
}

typedef struct html_best {
	xmlNode *node;
	double score;
} html_best;

static int html_best_enter(xmlNode *n, void *vb)
{
	html_best *b = vb;
	if (n->type == XML_DOCUMENT_NODE || n->type == XML_HTML_DOCUMENT_NODE)
		return 1;
	html_node *h = html_rec(n);
	if (h == NULL || h->dead)
		return 0;
	if (h->score > 0 && h->chars > 0) {
		double ld = (double)h->lchars / (double)h->chars;
		double s = h->score * (1.0 - ld);
		/* Ties, up to rounding, go to the outer element. */
		if (s > b->score * (1.0 + 1e-9) + 1e-12) {
			b->score = s;
			b->node = n;
		}
	}
	return 1;
}

/* ---- pass 4: choose the content nodes --------------------------------- */

static size_t html_plain(xmlNode *n)
{
	html_node *h = html_rec(n);
	return h == NULL || h->dead ? 0 : h->chars - h->lchars;
}

/* Does the parent p add only prose to cur: paragraph score per added
 * character at least HTML_PROSE_SHARE of cur's, and few links? */
static int html_adds_prose(xmlNode *cur, xmlNode *p)
{
	html_node *c = html_rec(cur), *h = html_rec(p);
	if (c == NULL || h == NULL || h->dead || h->chars == 0)
		return 0;
	double dg = h->good - c->good;
	size_t pc = html_plain(cur), pp = html_plain(p);
	if (dg <= 0 || pp <= pc)
		return 0;
	double rho = c->good / (double)(pc ? pc : 1);
	return dg / (double)(pp - pc) >= HTML_PROSE_SHARE * rho && h->lchars * 10 < h->chars * 3;
}

/* Paragraph score per character of n's non-link text. */
static double html_density(xmlNode *n)
{
	html_node *h = html_rec(n);
	size_t p = html_plain(n);
	return h == NULL || p == 0 ? 0 : h->good / (double)p;
}

/* Is block n prose next to the content ref: it ends a sentence (titles,
 * headings and info lines do not) and is at least half as dense in
 * punctuation as ref? */
static int html_is_prose(xmlNode *n, xmlNode *ref)
{
	html_node *h = html_rec(n);
	return h != NULL && !h->dead && h->good >= HTML_PROSE_MIN && h->finals > 0 &&
	       html_density(n) >= 0.5 * html_density(ref);
}

/* Climbs while the parent adds only prose: paragraphs nested in unclosed
 * <div>s, or an article split over sibling containers. */
static xmlNode *html_climb(xmlNode *best)
{
	while (html_adds_prose(best, best->parent))
		best = best->parent;
	return best;
}

/* Appends the live element children of cur from first on. */
static void html_push_from(pl_arena *a, html_vec *v, xmlNode *first)
{
	for (xmlNode *s = first; s != NULL; s = s->next) {
		html_node *h = html_rec(s);
		if (h != NULL && !h->dead && h->chars > 0)
			html_vec_push(a, v, s);
	}
}

/* The content below top, in document order. While one child holds nearly
 * all of the prose and what precedes it is not prose (a wrapper's title,
 * info line, share bar), the leading blocks are shed; the step goes into
 * the child only when what follows it is short (signature, editor, print
 * line), and those short blocks are kept after it. */
static void html_descend(pl_arena *a, xmlNode *top, html_vec *out)
{
	html_vec tails[32];
	int depth = 0;
	xmlNode *cur = top, *start = NULL;
	for (;;) {
		html_node *ch = html_rec(cur), *bh = NULL;
		xmlNode *best = NULL;
		for (xmlNode *s = cur->children; s != NULL; s = s->next) {
			html_node *h = html_rec(s);
			if (h != NULL && !h->dead && (bh == NULL || h->good > bh->good)) {
				best = s;
				bh = h;
			}
		}
		if (best == NULL || bh->good < HTML_DESCEND * ch->good || bh->good <= 0)
			break;
		int lead_prose = 0;
		size_t lead_plain = 0, trail_plain = 0;
		for (xmlNode *s = cur->children; s != best; s = s->next) {
			html_node *h = html_rec(s);
			if (h != NULL && !h->dead) {
				lead_prose |= html_is_prose(s, best);
				lead_plain += html_plain(s);
			} else if (s->type == XML_TEXT_NODE && s->content != NULL) {
				html_counts k;
				html_count_text((const char *)s->content, &k);
				lead_plain += k.chars;
			}
		}
		if (lead_prose || lead_plain > html_plain(best))
			break;
		for (xmlNode *s = best->next; s != NULL; s = s->next)
			trail_plain += html_plain(s);
		if ((double)trail_plain > HTML_TAIL * (double)html_plain(best) + HTML_TAIL_MIN ||
		    depth == 32) {
			start = best;
			break;
		}
		memset(&tails[depth], 0, sizeof tails[depth]);
		html_push_from(a, &tails[depth], best->next);
		depth++;
		cur = best;
	}
	if (start != NULL)
		html_push_from(a, out, start);
	else
		html_vec_push(a, out, cur);
	while (depth-- > 0)
		for (size_t i = 0; i < tails[depth].n; i++)
			html_vec_push(a, out, tails[depth].v[i]);
}

static void html_collect_enter_text(xmlNode *n, html_out *o)
{
	html_node *p = html_rec(n->parent);
	html_out_text(o, (const char *)n->content, p != NULL && p->in_a);
}

/* Text of a live subtree, no filtering, up to max bytes. */
static int html_plain_enter(xmlNode *n, void *vo)
{
	html_out *o = vo;
	if (o->max && o->b.len >= o->max)
		return 0;
	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		if (n->content != NULL)
			html_collect_enter_text(n, o);
		return 0;
	}
	if (n->type == XML_DOCUMENT_NODE || n->type == XML_HTML_DOCUMENT_NODE)
		return 1;
	html_node *h = html_rec(n);
	if (h == NULL || ((h->flags & HT_HARD) && n != o->root))
		return 0;
	if (h->flags & HT_CELL)
		html_out_cell(o);
	else if (h->flags & (HT_BLOCK | HT_BREAK))
		html_out_break(o);
	return 1;
}

static void html_plain_leave(xmlNode *n, void *vo)
{
	html_node *h = html_rec(n);
	if (h != NULL && (h->flags & HT_BLOCK) && !(h->flags & HT_CELL))
		html_out_break(vo);
}

/* Whitespace-collapsed text of n's subtree (lines joined by spaces), at
 * most max bytes, in the arena. */
static char *html_text_of(pl_arena *a, xmlNode *n, size_t max)
{
	html_out o;
	html_out_init(&o, a, 0, max);
	o.root = n;
	html_walk(n, html_plain_enter, html_plain_leave, &o);
	html_out_end(&o);
	for (size_t i = 0; i < o.b.len; i++)
		if (o.b.data[i] == '\n' || o.b.data[i] == '\t')
			o.b.data[i] = ' ';
	return o.b.data;
}

static int html_is_byline(const char *t)
{
	static const char *const heads[] = {
	    "来源", "信息来源", "稿源",	  "出处", "编辑", "责任编辑", "责编", "作者", "记者",
	    "撰稿", "供稿",	"通讯员", "审核", "审校", "校对",     "签发", "摄影", "文/",
	    "文 /", "编审",	"初审",	  "复审", "终审", "主编",     NULL};
	static const char *const opens[] = {"（", "(", "【", "[", "〔", NULL};
	for (int again = 1; again;) {
		again = 0;
		for (int i = 0; opens[i] != NULL; i++) {
			size_t k = strlen(opens[i]);
			if (strncmp(t, opens[i], k) == 0) {
				t += k;
				while (*t == ' ')
					t++;
				again = 1;
			}
		}
	}
	for (int i = 0; heads[i] != NULL; i++)
		if (strncmp(t, heads[i], strlen(heads[i])) == 0)
			return 1;
	return 0;
}

/* ---- pass 5: emit ----------------------------------------------------- */

static int html_emit_enter(xmlNode *n, void *vc)
{
	html_ctx *c = vc;
	html_out *o = c->out;
	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		if (n->content != NULL)
			html_collect_enter_text(n, o);
		return 0;
	}
	html_node *h = html_rec(n);
	if (h == NULL || h->dead)
		return 0;
	/* A link list inside the content (related articles, pagers). */
	if (n != c->emit_root && (h->flags & HT_BLOCK) && h->links >= 2 &&
	    h->lchars * 10 > h->chars * 6)
		return 0;
	if (h->flags & HT_CELL)
		html_out_cell(o);
	else if (h->flags & (HT_BLOCK | HT_BREAK))
		html_out_break(o);
	return 1;
}

static void html_emit_leave(xmlNode *n, void *vc)
{
	html_ctx *c = vc;
	html_node *h = html_rec(n);
	if (h != NULL && !h->dead && (h->flags & HT_BLOCK) && !(h->flags & HT_CELL))
		html_out_break(c->out);
}

static void html_emit(html_ctx *c, xmlNode *n)
{
	c->emit_root = n;
	html_out_break(c->out);
	html_walk(n, html_emit_enter, html_emit_leave, c);
	html_out_break(c->out);
}

/* ---- metadata --------------------------------------------------------- */

static size_t html_cplen(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			k++;
	return k;
}

/* s without any whitespace, for loose comparison. */
static char *html_squeeze(pl_arena *a, const char *s)
{
	size_t n = strlen(s);
	char *d = pl_alloc(a, n + 1), *p = d;
	const unsigned char *q = (const unsigned char *)s;
	uint32_t cp;
	size_t k;
	while ((k = html_utf8(q, &cp)) > 0) {
		if (!html_is_space(cp)) {
			memcpy(p, q, k);
			p += k;
		}
		q += k;
	}
	*p = '\0';
	return d;
}

/* Length of the title separator at t[i], or 0. An ASCII '-' separates
 * only between two wide characters (so "SK-II" stays whole). */
static size_t html_title_sep(const char *t, size_t i, size_t n)
{
	static const char *const seps[] = {" - ", " – ", " — ",	 " | ", "|",   "｜",
					   "_",	  "－",	 " :: ", " » ", " · ", NULL};
	for (int j = 0; seps[j] != NULL; j++) {
		size_t k = strlen(seps[j]);
		if (i + k <= n && memcmp(t + i, seps[j], k) == 0)
			return k;
	}
	if (t[i] == '-' && i > 0 && i + 1 < n) {
		size_t b = i;
		while (b > 0 && ((unsigned char)t[b - 1] & 0xC0) == 0x80)
			b--;
		uint32_t before = 0, after = 0;
		if (b > 0) {
			size_t s0 = b - 1;
			while (s0 > 0 && ((unsigned char)t[s0] & 0xC0) == 0x80)
				s0--;
			html_utf8((const unsigned char *)t + s0, &before);
		}
		html_utf8((const unsigned char *)t + i + 1, &after);
		if (html_is_cjk(before) && html_is_cjk(after))
			return 1;
	}
	return 0;
}

static const char *html_title(html_ctx *c)
{
	const char *t = c->title_el ? html_text_of(c->a, c->title_el, 2048) : "";
	size_t n = strlen(t);
	/* The first part between separators is the article title unless a
	 * later one is more than twice as long ("要闻 | 标题 | 网站"). */
	size_t best_at = 0, best_len = 0, best_cps = 0, at = 0;
	for (size_t i = 0; i <= n; i++) {
		size_t k = i < n ? html_title_sep(t, i, n) : 1;
		if (k == 0)
			continue;
		const char *part = html_trimdup(c->a, pl_strndup(c->a, t + at, i - at));
		size_t cps = part ? html_cplen(part, strlen(part)) : 0;
		if (part != NULL && cps > 2 * best_cps &&
		    !(c->meta_site != NULL && strcmp(part, c->meta_site) == 0)) {
			best_cps = cps;
			best_at = at;
			best_len = i - at;
		}
		at = i + k;
		i = at - 1;
	}
	const char *part =
	    best_cps ? html_trimdup(c->a, pl_strndup(c->a, t + best_at, best_len)) : NULL;
	/* An <h1> that is part of <title> is the cleanest form; failing
	 * that, a live <h1> longer than the title part (a <title> holding
	 * only the site name). */
	char *sq = html_squeeze(c->a, t);
	const char *live = NULL;
	for (size_t i = 0; i < c->nh1; i++) {
		const char *h = html_trimdup(c->a, html_text_of(c->a, c->h1[i], 1024));
		if (h == NULL)
			continue;
		size_t cps = html_cplen(h, strlen(h));
		if (cps < 2)
			continue;
		if (part != NULL && strstr(sq, html_squeeze(c->a, h)) != NULL &&
		    2 * cps >= best_cps)
			return h;
		html_node *r = c->h1[i]->_private;
		if (live == NULL && !r->dead && cps > best_cps)
			live = h;
	}
	return live != NULL ? live : part;
}

/* Finds a date: YYYY-M-D, YYYY/M/D, YYYY.M.D or YYYY年M月D日, optionally
 * followed by H:MM[:SS]. Returns a pointer into s and sets *len. */
static const char *html_find_date(const char *s, size_t n, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i + 8 <= n; i++) {
		if (!(u[i] == '1' || u[i] == '2') || (i > 0 && u[i - 1] >= '0' && u[i - 1] <= '9'))
			continue;
		size_t j = i;
		int year = 0, mon = 0, day = 0;
		while (j < n && j < i + 4 && u[j] >= '0' && u[j] <= '9')
			year = year * 10 + (u[j++] - '0');
		if (j != i + 4 || year < 1949 || year > 2099)
			continue;
		int cn = 0;
		char sep = 0;
		if (j + 3 <= n && memcmp(s + j, "年", 3) == 0) {
			cn = 1;
			j += 3;
		} else if (j < n && (u[j] == '-' || u[j] == '/' || u[j] == '.')) {
			sep = (char)u[j++];
		} else {
			continue;
		}
		size_t d0 = j;
		while (j < n && j < d0 + 2 && u[j] >= '0' && u[j] <= '9')
			mon = mon * 10 + (u[j++] - '0');
		if (j == d0 || mon < 1 || mon > 12)
			continue;
		if (cn && j + 3 <= n && memcmp(s + j, "月", 3) == 0)
			j += 3;
		else if (!cn && j < n && u[j] == (unsigned char)sep)
			j++;
		else
			continue;
		d0 = j;
		while (j < n && j < d0 + 2 && u[j] >= '0' && u[j] <= '9')
			day = day * 10 + (u[j++] - '0');
		if (j == d0 || day < 1 || day > 31)
			continue;
		if (j < n && u[j] >= '0' && u[j] <= '9')
			continue;
		if (cn && j + 3 <= n &&
		    (memcmp(s + j, "日", 3) == 0 || memcmp(s + j, "号", 3) == 0))
			j += 3;
		/* Optional time after one space. */
		size_t t = j;
		if (t < n && (u[t] == ' ' || u[t] == 'T'))
			t++;
		size_t h0 = t;
		while (t < n && t < h0 + 2 && u[t] >= '0' && u[t] <= '9')
			t++;
		if (t > h0 && t + 3 <= n && u[t] == ':' && u[t + 1] >= '0' && u[t + 1] <= '9' &&
		    u[t + 2] >= '0' && u[t + 2] <= '9') {
			t += 3;
			if (t + 3 <= n && u[t] == ':' && u[t + 1] >= '0' && u[t + 1] <= '9' &&
			    u[t + 2] >= '0' && u[t + 2] <= '9')
				t += 3;
			j = t;
		}
		*len = j - i;
		return s + i;
	}
	return NULL;
}

/* Finds "label：X" in s[0..n) and returns X (arena) or NULL. */
static const char *html_find_label(pl_arena *a, const char *s, size_t n, const char *label)
{
	static const char *const stops[] = {"编辑", "作者", "发布", "时间", "日期", "浏览",
					    "点击", "字号", "访问", "阅读", "责任", "记者",
					    "来源", "成文", "索引", "分类", NULL};
	const char *end = s + n;
	const char *p = s;
	size_t ll = strlen(label);
	while ((p = strstr(p, label)) != NULL && p < end) {
		const unsigned char *q = (const unsigned char *)p + ll;
		p += ll;
		uint32_t cp;
		size_t k;
		while ((k = html_utf8(q, &cp)) > 0 && html_is_space(cp))
			q += k;
		if (*q == ':')
			q++;
		else if (strncmp((const char *)q, "：", 3) == 0)
			q += 3;
		else
			continue;
		while ((k = html_utf8(q, &cp)) > 0 &&
		       (html_is_space(cp) || cp == '[' || cp == 0x3010 || cp == 0x300C))
			q += k;
		const unsigned char *v = q;
		while ((k = html_utf8(q, &cp)) > 0 && (const char *)q < end && q - v < 60) {
			if (html_is_space(cp) || cp == ']' || cp == 0x3011 || cp == 0x300D ||
			    cp == '|' || cp == 0xFF5C || cp == ',' || cp == 0xFF0C ||
			    cp == 0xFF1B || cp == ';')
				break;
			int stop = 0;
			for (int i = 0; stops[i] != NULL && !stop; i++)
				stop = strncmp((const char *)q, stops[i], strlen(stops[i])) == 0;
			if (stop)
				break;
			q += k;
		}
		if (q > v && !(*v >= '0' && *v <= '9'))
			return pl_strndup(a, (const char *)v, (size_t)(q - v));
	}
	return NULL;
}

/* Publisher from a byline: 来源：X, or the issuing body of a government
 * information-disclosure table (发文机关：X). */
static const char *html_find_source(pl_arena *a, const char *s, size_t n)
{
	static const char *const labels[] = {"来源",	 "发文机关", "发布机构",
					     "发布机关", "发文单位", NULL};
	for (int i = 0; labels[i] != NULL; i++) {
		const char *v = html_find_label(a, s, n, labels[i]);
		if (v != NULL)
			return v;
	}
	return NULL;
}

/* Flat text of the page (no hard-dropped tags) with the offsets where the
 * chosen content starts and ends. */
static int html_flat_enter(xmlNode *n, void *vc)
{
	html_ctx *c = vc;
	if (n == c->mark_start && !c->seen_start) {
		html_out_break(c->out);
		c->off_start = c->out->b.len;
		c->seen_start = 1;
	}
	return html_plain_enter(n, c->out);
}

static void html_flat_leave(xmlNode *n, void *vc)
{
	html_ctx *c = vc;
	html_plain_leave(n, c->out);
	if (n == c->mark_end && !c->seen_end) {
		html_out_break(c->out);
		c->off_end = c->out->b.len;
		c->seen_end = 1;
	}
}

static const char *html_author(pl_arena *a, const char *v)
{
	/* "www.site.cn,某报业集团,某网": the first part with non-ASCII. */
	const char *p = v;
	while (*p != '\0') {
		size_t k = strcspn(p, ",");
		const char *sep = strstr(p, "，");
		if (sep != NULL && (size_t)(sep - p) < k)
			k = (size_t)(sep - p);
		for (size_t i = 0; i < k; i++)
			if ((unsigned char)p[i] >= 0x80)
				return html_trimdup(a, pl_strndup(a, p, k));
		p += k;
		if (*p == ',')
			p++;
		else if (strncmp(p, "，", 3) == 0)
			p += 3;
	}
	return v;
}

static void html_bylines(html_ctx *c, xmlDoc *doc, xmlNode *first, xmlNode *last, pl_html *out)
{
	html_out o;
	html_out_init(&o, c->a, 0, 0);
	c->out = &o;
	c->mark_start = first;
	c->mark_end = last;
	html_walk((xmlNode *)doc, html_flat_enter, html_flat_leave, c);
	html_out_end(&o);
	const char *flat = o.b.data;
	size_t n = o.b.len;
	size_t start = c->seen_start ? c->off_start : 0;
	size_t end = c->seen_end ? c->off_end : n;
	if (start > n)
		start = n;
	if (end > n || end < start)
		end = n;

	/* The byline sits between the title and the text: find the last
	 * occurrence of the title's head before the content. */
	size_t lo = start > HTML_WINDOW ? start - HTML_WINDOW : 0;
	if (out->title != NULL) {
		char head[40];
		size_t k = 0;
		const unsigned char *t = (const unsigned char *)out->title;
		uint32_t cp;
		size_t cl, cps = 0;
		while ((cl = html_utf8(t + k, &cp)) > 0 && cps < 8 && k + cl < sizeof head &&
		       !html_is_space(cp)) {
			k += cl;
			cps++;
		}
		memcpy(head, t, k);
		head[k] = '\0';
		if (k > 0) {
			const char *hit = NULL, *p = flat;
			while ((p = strstr(p, head)) != NULL && (size_t)(p - flat) < start) {
				hit = p;
				p++;
			}
			/* Info tables may start a little before the title. */
			if (hit != NULL && start - (size_t)(hit - flat) < 4 * HTML_WINDOW)
				lo = (size_t)(hit - flat) > HTML_WINDOW / 2
					 ? (size_t)(hit - flat) - HTML_WINDOW / 2
					 : 0;
		}
	}
	size_t hi = start + 200 < n ? start + 200 : n;
	if (hi - lo > 4 * HTML_WINDOW)
		lo = hi - 4 * HTML_WINDOW;
	while (lo > 0 && ((unsigned char)flat[lo] & 0xC0) == 0x80)
		lo--;
	while (hi < n && ((unsigned char)flat[hi] & 0xC0) == 0x80)
		hi++;
	char *win = pl_strndup(c->a, flat + lo, hi - lo);
	size_t tail_hi = end + 300 < n ? end + 300 : n;
	while (tail_hi < n && ((unsigned char)flat[tail_hi] & 0xC0) == 0x80)
		tail_hi++;
	char *tail = pl_strndup(c->a, flat + end, tail_hi - end);

	size_t dl;
	const char *d;
	if (c->meta_date != NULL)
		out->date = c->meta_date;
	else if ((d = html_find_date(win, strlen(win), &dl)) != NULL ||
		 (d = html_find_date(tail, strlen(tail), &dl)) != NULL)
		out->date = pl_strndup(c->a, d, dl);

	if (c->meta_source != NULL)
		out->publisher = c->meta_source;
	else if ((d = html_find_source(c->a, win, strlen(win))) != NULL ||
		 (d = html_find_source(c->a, tail, strlen(tail))) != NULL)
		out->publisher = d;
	else if (c->meta_author != NULL)
		out->publisher = html_author(c->a, c->meta_author);
	c->out = NULL;
}

/* ---- extraction ------------------------------------------------------- */

/* Trailing siblings of the content (and of its ancestors, a few levels up)
 * that are short bylines: 来源, 编辑, 记者 ... Stops at the first block
 * with other text. Returns how many were stored in v. */
static size_t html_trailing(html_ctx *c, xmlNode *last, xmlNode **v, size_t max)
{
	size_t nv = 0;
	xmlNode *at = last;
	for (int level = 0; level < 4 && at != NULL && nv < max; level++) {
		for (xmlNode *s = at->next; s != NULL && nv < max; s = s->next) {
			if (s->type == XML_TEXT_NODE) {
				html_node *p = html_rec(s->parent);
				if (s->content == NULL)
					continue;
				html_counts k;
				html_count_text((const char *)s->content, &k);
				if (k.chars > 0 && p != NULL && !p->dead)
					return nv;
				continue;
			}
			html_node *h = html_rec(s);
			if (h == NULL || h->dead || h->chars == 0)
				continue;
			if (h->chars > HTML_BYLINE_MAX)
				return nv;
			const char *t = html_trimdup(c->a, html_text_of(c->a, s, 512));
			if (t == NULL || !html_is_byline(t))
				return nv;
			v[nv++] = s;
		}
		at = at->parent;
		html_node *h = html_rec(at);
		if (h == NULL || (h->flags & HT_ROOT))
			break;
	}
	return nv;
}

/* Fills *out with strings allocated in arena a (freed with it; nothing to
 * free here). The libxml2 document is created and freed in this function;
 * its nodes' _private pointers hold arena records only while it lives.
 * Returns PL_OK, or PL_ERR with e set (PL_EDOC) when libxml2 builds no
 * document or the page exceeds INT_MAX bytes. */
int pl_html_extract(pl_arena *a, const char *utf8, size_t len, pl_html *out, pl_err *e)
{
	memset(out, 0, sizeof *out);
	out->text = pl_strndup(a, "", 0);
	if (len == 0)
		return PL_OK;
	if (len > INT_MAX)
		return pl_errf(e, PL_EDOC, "html: page too large (%zu bytes)", len);
	int opts = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
		   HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC | HTML_PARSE_NODEFDTD | XML_PARSE_HUGE;
	xmlDoc *doc = htmlReadMemory(utf8, (int)len, NULL, "UTF-8", opts);
	if (doc == NULL)
		return pl_errf(e, PL_EDOC, "html: libxml2 could not parse the page");

	html_ctx c;
	memset(&c, 0, sizeof c);
	c.a = a;
	html_walk((xmlNode *)doc, html_classify, NULL, &c);
	html_count(doc, &c);
	html_walk((xmlNode *)doc, html_score_enter, html_score_leave, &c);
	html_best best = {NULL, 0};
	html_walk((xmlNode *)doc, html_best_enter, NULL, &best);

	/* The nodes to emit, in document order: the best candidate (and
	 * what html_descend keeps of it), siblings with comparable prose,
	 * then trailing bylines. */
	html_vec emit = {NULL, 0, 0};
	size_t ncontent = 0;
	xmlNode *top = best.node;
	if (top != NULL) {
		top = html_climb(top);
		html_node *th = top->_private;
		for (xmlNode *s = top->parent->children; s != NULL; s = s->next) {
			html_node *h = html_rec(s);
			if (s == top)
				html_descend(a, top, &emit);
			else if (h != NULL && !h->dead && h->good > 0 &&
				 (h->good >= HTML_SIBLING * th->good || html_is_prose(s, top)) &&
				 h->lchars * 10 < h->chars * 3)
				html_vec_push(a, &emit, s);
		}
		ncontent = emit.n;
		xmlNode *by[8];
		size_t nby = emit.n > 0 ? html_trailing(&c, emit.v[emit.n - 1], by, 8) : 0;
		for (size_t i = 0; i < nby; i++)
			html_vec_push(a, &emit, by[i]);
	} else if (c.root != NULL) {
		xmlNode *body = NULL;
		for (xmlNode *ch = c.root->children; ch != NULL; ch = ch->next)
			if (ch->type == XML_ELEMENT_NODE &&
			    strcmp((const char *)ch->name, "body") == 0)
				body = ch;
		html_vec_push(a, &emit, body != NULL ? body : c.root);
		ncontent = emit.n;
	}

	html_out o;
	html_out_init(&o, a, 1, 0);
	c.out = &o;
	for (size_t i = 0; i < emit.n; i++)
		html_emit(&c, emit.v[i]);
	html_out_end(&o);
	c.out = NULL;
	out->text = o.b.data;
	out->len = o.b.len;
	out->paragraphs = o.lines;

	out->title = html_title(&c);
	if (emit.n > 0)
		html_bylines(&c, doc, emit.v[0], emit.v[ncontent - 1], out);
	xmlFreeDoc(doc);
	return PL_OK;
}

/* ---- sniffing --------------------------------------------------------- */

/* Returns 1 if b[0..n) looks like HTML, else 0. Allocates nothing; only
 * the first HTML_SNIFF_MAX bytes (after a BOM) are read. */
int pl_html_sniff(const unsigned char *b, size_t n)
{
	static const char *const tags[] = {
	    "!doctype html", "html",   "head",	 "body", "div",	 "p",
	    "meta",	     "title",  "table",	 "br",	 "span", "a",
	    "script",	     "link",   "style",	 "h1",	 "h2",	 "ul",
	    "form",	     "iframe", "center", "font", NULL};
	static const char *const strong[] = {"!doctype html", "html", "head", "body", NULL};
	char buf[HTML_SNIFF_MAX];
	size_t m = 0, i = 0, step = 1;
	if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
		i = 3;
	} else if (n >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))) {
		/* UTF-16: look at the low byte of each unit. */
		i = b[0] == 0xFF ? 2 : 3;
		step = 2;
	}
	/* No '<' in what would be read: no tag (most plain-text notices). */
	size_t span = n - (i < n ? i : n);
	if (span > step * sizeof buf)
		span = step * sizeof buf;
	if (memchr(b + i, '<', span) == NULL)
		return 0;
	for (; i < n && m < sizeof buf; i += step)
		buf[m++] = (char)html_lower(b[i]);
	size_t s = 0;
	while (s < m && (buf[s] == ' ' || buf[s] == '\t' || buf[s] == '\n' || buf[s] == '\r' ||
			 buf[s] == '\f'))
		s++;
	int lead = s < m && buf[s] == '<';
	for (size_t j = s; j < m; j++) {
		if (buf[j] != '<')
			continue;
		const unsigned char *t = (const unsigned char *)buf + j + 1;
		size_t rest = m - j - 1;
		const char *const *list = lead ? tags : strong;
		for (int k = 0; list[k] != NULL; k++) {
			size_t kl = strlen(list[k]);
			if (rest < kl || memcmp(t, list[k], kl) != 0)
				continue;
			if (rest == kl)
				return 1;
			unsigned char nx = t[kl];
			if (nx == '>' || nx == ' ' || nx == '/' || nx == '\t' || nx == '\n' ||
			    nx == '\r')
				return 1;
		}
	}
	return 0;
}

/* ---- declared charset ------------------------------------------------- */

/* Returns 1 and writes the lowercased label into the caller's buf when a
 * <meta> in the first HTML_SNIFF_MAX bytes declares a charset that fits;
 * returns 0 otherwise. Allocates nothing. */
int pl_html_declared_charset(const unsigned char *b, size_t n, char *buf, size_t bufsize)
{
	if (n > HTML_SNIFF_MAX)
		n = HTML_SNIFF_MAX;
	for (size_t i = 0; i + 5 < n; i++) {
		if (b[i] != '<' || !html_prefix(b + i + 1, n - i - 1, "meta") ||
		    !(b[i + 5] == ' ' || b[i + 5] == '\t' || b[i + 5] == '\n' || b[i + 5] == '\r' ||
		      b[i + 5] == '/'))
			continue;
		size_t end = i + 5;
		while (end < n && b[end] != '>')
			end++;
		for (size_t j = i + 5; j + 7 <= end; j++) {
			if (!html_prefix(b + j, end - j, "charset"))
				continue;
			size_t k = j + 7;
			while (k < end &&
			       (b[k] == ' ' || b[k] == '\t' || b[k] == '\n' || b[k] == '\r'))
				k++;
			if (k >= end || b[k] != '=')
				continue;
			k++;
			while (k < end && (b[k] == ' ' || b[k] == '\t' || b[k] == '\n' ||
					   b[k] == '\r' || b[k] == '"' || b[k] == '\''))
				k++;
			size_t m = 0;
			while (k < end &&
			       ((b[k] >= 'a' && b[k] <= 'z') || (b[k] >= 'A' && b[k] <= 'Z') ||
				(b[k] >= '0' && b[k] <= '9') || b[k] == '-' || b[k] == '_' ||
				b[k] == '.' || b[k] == ':')) {
				if (m + 1 >= bufsize)
					return 0;
				buf[m++] = (char)html_lower(b[k]);
				k++;
			}
			if (m > 0) {
				buf[m] = '\0';
				return 1;
			}
		}
		i = end;
	}
	return 0;
}
