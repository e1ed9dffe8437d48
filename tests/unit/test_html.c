/* test_html.c: HTML sniffing, declared charsets and main-content extraction.
 *
 * Run from the project root (reads tests/html/). Prints one final line
 * "N passed, N failed" and exits non-zero on failure. With
 *   test_html --dump DIR
 * it also writes the extracted text of every page in tests/html/peers/original
 * to DIR/<name>.txt, for scoring with the project's score-body tool. */
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "doc.h"
#include "html.h"

/* ---- harness ------------------------------------------------------------ */

static int test_passed, test_failed;

#define test_cond(descr, cond)                                                                     \
	do {                                                                                       \
		if (cond) {                                                                        \
			test_passed++;                                                             \
		} else {                                                                           \
			test_failed++;                                                             \
			fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, descr);            \
		}                                                                                  \
	} while (0)

static int test_report(void)
{
	printf("%d passed, %d failed\n", test_passed, test_failed);
	return test_failed ? 1 : 0;
}

/* ---- helpers -------------------------------------------------------------- */

/* Whole file, malloc'd and NUL-terminated; NULL if unreadable. */
static char *slurp(const char *path, size_t *len)
{
	*len = 0;
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *b = malloc(cap);
	size_t k;
	while (b != NULL && (k = fread(b + n, 1, cap - n - 1, f)) > 0) {
		n += k;
		if (cap - n - 1 == 0) {
			char *nb = realloc(b, cap * 2);
			if (nb == NULL) {
				free(b);
				b = NULL;
				break;
			}
			b = nb;
			cap *= 2;
		}
	}
	fclose(f);
	if (b == NULL)
		return NULL;
	b[n] = '\0';
	*len = n;
	return b;
}

static int valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t k = c < 0x80	    ? 1
			   : (c >> 5) == 6  ? 2
			   : (c >> 4) == 14 ? 3
			   : (c >> 3) == 30 ? 4
					    : 0;
		if (k == 0 || i + k > n)
			return 0;
		for (size_t j = 1; j < k; j++)
			if ((s[i + j] & 0xC0) != 0x80)
				return 0;
		i += k;
	}
	return 1;
}

/* GB18030 to UTF-8 (what the decode stage does in the real pipeline);
 * malloc'd, NULL on failure. */
static char *gb_to_utf8(const char *in, size_t n, size_t *outlen)
{
	*outlen = 0;
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1)
		return NULL;
	size_t cap = n * 2 + 16, left = cap - 1;
	char *out = malloc(cap), *op = out;
	char *ip = (char *)in;
	size_t il = n;
	if (out == NULL || iconv(cd, &ip, &il, &op, &left) == (size_t)-1) {
		free(out);
		iconv_close(cd);
		return NULL;
	}
	iconv_close(cd);
	*op = '\0';
	*outlen = (size_t)(op - out);
	return out;
}

/* Page bytes as UTF-8 (converting GB pages), malloc'd. */
static char *page_utf8(const char *path, size_t *len)
{
	size_t n = 0;
	*len = 0;
	char *raw = slurp(path, &n);
	if (raw == NULL || valid_utf8((const unsigned char *)raw, n)) {
		*len = n;
		return raw;
	}
	char *u = gb_to_utf8(raw, n, len);
	free(raw);
	return u;
}

/* Code points of s without whitespace, malloc'd. */
static uint32_t *codepoints(const char *s, size_t *count)
{
	size_t n = strlen(s), m = 0;
	uint32_t *v = malloc((n + 1) * sizeof *v);
	const unsigned char *p = (const unsigned char *)s;
	while (v != NULL && *p) {
		uint32_t c = *p;
		size_t k = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
		if (k > 1)
			c &= 0x3F >> (k - 1);
		for (size_t j = 1; j < k && p[j]; j++)
			c = (c << 6) | (p[j] & 0x3F);
		for (size_t j = 0; j < k && *p; j++)
			p++;
		if (c == ' ' || (c >= 9 && c <= 13) || c == 0xA0 || c == 0x3000 ||
		    (c >= 0x2000 && c <= 0x200B) || c == 0xFEFF)
			continue;
		v[m++] = c;
	}
	*count = m;
	return v;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Multiset of character 3-grams, sorted, malloc'd. */
static uint64_t *trigrams(const char *s, size_t *count)
{
	size_t n;
	uint32_t *cp = codepoints(s, &n);
	size_t m = n >= 3 ? n - 2 : 0;
	uint64_t *g = malloc((m + 1) * sizeof *g);
	for (size_t i = 0; g != NULL && i < m; i++)
		g[i] = ((uint64_t)cp[i] << 42) | ((uint64_t)cp[i + 1] << 21) | cp[i + 2];
	free(cp);
	if (g != NULL)
		qsort(g, m, sizeof *g, cmp_u64);
	*count = m;
	return g;
}

/* Adds the shared, predicted and gold 3-gram counts (as in score-body,
 * without NFKC or script conversion). */
static void overlap(const char *gold, const char *pred, size_t *tp, size_t *np, size_t *ng)
{
	size_t a, b, i = 0, j = 0;
	uint64_t *g = trigrams(gold, &a), *p = trigrams(pred, &b);
	while (g != NULL && p != NULL && i < a && j < b) {
		if (g[i] == p[j]) {
			(*tp)++;
			i++;
			j++;
		} else if (g[i] < p[j]) {
			i++;
		} else {
			j++;
		}
	}
	*ng += a;
	*np += b;
	free(g);
	free(p);
}

static int has(const pl_html *h, const char *s)
{
	return h->text != NULL && strstr(h->text, s) != NULL;
}

/* The line of text that contains s exactly, as a separate line? */
static int has_line(const pl_html *h, const char *s)
{
	size_t n = strlen(s);
	const char *p = h->text;
	while ((p = strstr(p, s)) != NULL) {
		if ((p == h->text || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
			return 1;
		p++;
	}
	return 0;
}

static int extract_str(pl_arena *a, const char *html, pl_html *h)
{
	pl_err e;
	return pl_html_extract(a, html, strlen(html), h, &e);
}

/* ---- tests ---------------------------------------------------------------- */

static void test_sniff(void)
{
	const unsigned char bom16[] = {0xFF, 0xFE, '<', 0, 'h', 0, 't', 0, 'm', 0, 'l', 0, '>', 0};
#define SNIFF(s) pl_html_sniff((const unsigned char *)(s), strlen(s))
	test_cond("sniff: doctype", SNIFF("<!DOCTYPE html><title>x</title>"));
	test_cond("sniff: BOM and whitespace before <html>",
		  SNIFF("\xEF\xBB\xBF \n\t<HTML lang=zh>"));
	test_cond("sniff: bare <div>", SNIFF("<div class=a>正文</div>"));
	test_cond("sniff: <p>", SNIFF("  <p>第一段</p>"));
	test_cond("sniff: comment then <html>",
		  SNIFF("<!-- saved from url -->\n<html><body></body></html>"));
	test_cond("sniff: plain Chinese text is not HTML",
		  !SNIFF("关于做好春节期间安全生产工作的通知\n各区人民政府："));
	test_cond("sniff: text with angle brackets is not HTML",
		  !SNIFF("if a < b and c > d then <pixel> stays text"));
	test_cond("sniff: PDF is not HTML", !SNIFF("%PDF-1.4\n%\xE2\xE3"));
	test_cond("sniff: empty", !pl_html_sniff((const unsigned char *)"", 0));
	test_cond("sniff: UTF-16LE <html>", pl_html_sniff(bom16, sizeof bom16));
	test_cond("sniff: text before an <html> tag",
		  SNIFF("garbage line\n<html><body>x</body></html>"));
#undef SNIFF
}

static void test_charset(void)
{
	char buf[32];
#define CS(s) pl_html_declared_charset((const unsigned char *)(s), strlen(s), buf, sizeof buf)
	test_cond("charset: <meta charset=\"UTF-8\">",
		  CS("<html><head><meta charset=\"UTF-8\">") && strcmp(buf, "utf-8") == 0);
	test_cond("charset: unquoted", CS("<meta charset=gbk>") && strcmp(buf, "gbk") == 0);
	test_cond("charset: http-equiv content", CS("<meta http-equiv=\"Content-Type\" "
						    "content=\"text/html; charset=GB2312\" />") &&
						     strcmp(buf, "gb2312") == 0);
	test_cond("charset: none declared", !CS("<html><head><title>无</title></head>"));
	test_cond("charset: charset= outside <meta> ignored",
		  !CS("<script>var s = 'charset=big5';</script>"));
	test_cond("charset: <metadata> is not <meta>", !CS("<metadata charset=big5>"));
	char small[4];
	test_cond("charset: label longer than the buffer",
		  !pl_html_declared_charset((const unsigned char *)"<meta charset=gb18030>", 22,
					    small, sizeof small));
	size_t n;
	char *page = slurp("tests/html/charset.html", &n);
	test_cond("charset: tests/html/charset.html readable", page != NULL);
	if (page != NULL) {
		test_cond("charset: page declares gb2312",
			  pl_html_declared_charset((unsigned char *)page, n, buf, sizeof buf) &&
			      strcmp(buf, "gb2312") == 0);
		free(page);
	}
	char *late = malloc(6000);
	if (late != NULL) {
		memset(late, ' ', 5000);
		strcpy(late + 5000, "<meta charset=big5>");
		test_cond("charset: only the first 4 KB are searched", !CS(late));
		free(late);
	}
#undef CS
}

static void test_boilerplate(pl_arena *a)
{
	size_t n;
	char *page = slurp("tests/html/boilerplate.html", &n);
	test_cond("boilerplate: page readable", page != NULL);
	if (page == NULL)
		return;
	pl_html h;
	pl_err e;
	int rc = pl_html_extract(a, page, n, &h, &e);
	free(page);
	test_cond("boilerplate: extract ok", rc == PL_OK);
	if (rc != PL_OK)
		return;
	test_cond("boilerplate: body paragraphs kept",
		  has(&h, "春节将至，为切实做好节日期间安全生产工作") &&
		      has(&h, "三、加强应急值守。"));
	test_cond("boilerplate: paragraphs on separate lines",
		  has(&h, "现将有关事项通知如下。\n一、压实安全生产责任。"));
	test_cond("boilerplate: short lines of the body kept",
		  has_line(&h, "各区人民政府，市政府各部门：") &&
		      has_line(&h, "江城市人民政府办公室") && has_line(&h, "2024年1月19日"));
	test_cond("boilerplate: no blank lines or edge newlines",
		  strstr(h.text, "\n\n") == NULL && h.len > 0 && h.text[0] != '\n' &&
		      h.text[h.len - 1] != '\n' && strlen(h.text) == h.len);
	test_cond("boilerplate: nav dropped", !has(&h, "政务服务") && !has(&h, "网站导航"));
	test_cond("boilerplate: breadcrumb dropped", !has(&h, "当前位置"));
	test_cond("boilerplate: share bar dropped", !has(&h, "分享到") && !has(&h, "微博"));
	test_cond("boilerplate: font-size control dropped", !has(&h, "字号"));
	test_cond("boilerplate: related links dropped", !has(&h, "专项检查行动"));
	test_cond("boilerplate: comment box dropped",
		  !has(&h, "网友评论") && !has(&h, "网友甲") && !has(&h, "请输入评论内容"));
	test_cond("boilerplate: footer dropped", !has(&h, "版权所有") && !has(&h, "主办单位"));
	test_cond("boilerplate: script and style dropped",
		  !has(&h, "脚本文字") && !has(&h, "color"));
	test_cond("boilerplate: title without the site name",
		  h.title != NULL &&
		      strcmp(h.title, "关于做好2024年春节期间安全生产工作的通知") == 0);
	test_cond("boilerplate: date from meta",
		  h.date != NULL && strcmp(h.date, "2024-01-20 10:30") == 0);
	test_cond("boilerplate: publisher from meta",
		  h.publisher != NULL && strcmp(h.publisher, "江城市应急管理局") == 0);
	test_cond("boilerplate: paragraph count", h.paragraphs == 7);
}

static void test_ruby(pl_arena *a)
{
	size_t n;
	char *page = slurp("tests/html/ruby.html", &n);
	test_cond("ruby: page readable", page != NULL);
	if (page == NULL)
		return;
	pl_html h;
	pl_err e;
	int rc = pl_html_extract(a, page, n, &h, &e);
	free(page);
	test_cond("ruby: extract ok", rc == PL_OK);
	test_cond("ruby: base text kept inline",
		  rc == PL_OK && has(&h, "这个漢字是繁体字") && has(&h, "第二段：字的注音"));
	test_cond("ruby: readings and parentheses dropped", rc == PL_OK && !has(&h, "hàn") &&
								!has(&h, "zì") && !has(&h, "(") &&
								!has(&h, ")"));
	test_cond("ruby: title split on \" - \"",
		  rc == PL_OK && h.title != NULL && strcmp(h.title, "注音示例") == 0);
}

static void test_titles(pl_arena *a)
{
	pl_html h;
	extract_str(a,
		    "<title>工商部门初定SKII广告属于虚假宣传-搜狐财经</title>"
		    "<p>正文，正文。</p>",
		    &h);
	test_cond("title: ASCII '-' between ideographs separates",
		  h.title && strcmp(h.title, "工商部门初定SKII广告属于虚假宣传") == 0);
	extract_str(a, "<title>SK-II广告被认定为虚假宣传</title><p>正文。</p>", &h);
	test_cond("title: 'SK-II' is not split",
		  h.title && strcmp(h.title, "SK-II广告被认定为虚假宣传") == 0);
	extract_str(a,
		    "<title>要闻 | 市政府召开常务会议研究部署重点工作 | 某市政府网"
		    "</title><p>正文。</p>",
		    &h);
	test_cond("title: longest part between '|'",
		  h.title && strcmp(h.title, "市政府召开常务会议研究部署重点工作") == 0);
	extract_str(a,
		    "<title>某某县人民政府</title><body><div class=logo>"
		    "某某县人民政府</div><h1>关于开展2024年度森林防火检查的通知</h1>"
		    "<p>各乡镇：现将有关事项通知如下，请认真贯彻执行。</p></body>",
		    &h);
	test_cond("title: <h1> when <title> is only the site name",
		  h.title && strcmp(h.title, "关于开展2024年度森林防火检查的通知") == 0);
	extract_str(a,
		    "<title>居家养老有“医”靠 安宁疗护有温度 - 太原晚报</title>"
		    "<h1>居家养老有“医”靠 安宁疗护有温度</h1><p>正文。</p>",
		    &h);
	test_cond("title: <h1> found in <title>",
		  h.title && strcmp(h.title, "居家养老有“医”靠 安宁疗护有温度") == 0);
	extract_str(a, "<p>没有标题的页面。</p>", &h);
	test_cond("title: NULL when absent", h.title == NULL);
}

static void test_byline(pl_arena *a)
{
	pl_html h;
	int rc = extract_str(a,
			     "<html><body><h1>市政府召开第十次常务会议</h1>"
			     "<div class=info>发布时间：2023年5月6日 09:00　来源：江城日报　"
			     "作者：李明</div><div class=text><p>5月5日，市长主持召开市政府第十次"
			     "常务会议，研究部署近期重点工作。</p><p>会议指出，要坚持稳中求进，"
			     "统筹发展和安全，推动经济持续回升向好。</p></div></body></html>",
			     &h);
	test_cond("byline: extract ok", rc == PL_OK);
	test_cond("byline: date from the byline",
		  h.date && strcmp(h.date, "2023年5月6日 09:00") == 0);
	test_cond("byline: publisher from 来源：",
		  h.publisher && strcmp(h.publisher, "江城日报") == 0);
	test_cond("byline: info line not in the body",
		  !has(&h, "发布时间") && has_line(&h, "会议指出，要坚持稳中求进，"
						       "统筹发展和安全，推动经济持续回升向好。"));
	rc = extract_str(a,
			 "<div class=content><p>第一段正文，内容较长，包含标点。"
			 "</p><p>第二段正文，同样包含标点符号。</p></div>"
			 "<div class=editor>责任编辑：王五</div>"
			 "<div class=more><a href=1>更多新闻</a> <a href=2>返回首页</a></div>",
			 &h);
	test_cond("byline: trailing editor line kept, links after it not",
		  rc == PL_OK && has_line(&h, "责任编辑：王五") && !has(&h, "更多新闻"));
}

static void test_english(pl_arena *a)
{
	pl_html h;
	int rc = extract_str(a,
			     "<html><head><title>Council approves budget | "
			     "City News</title></head><body><ul class=menu><li><a href=/>Home</a>"
			     "</li><li><a href=/news>News</a></li></ul><article><h1>Council "
			     "approves budget</h1><p>The city council approved the 2024 budget "
			     "on Tuesday, after a long debate about transport, housing and "
			     "schools.</p><p>Spending on public transport will rise by four "
			     "percent, while the housing fund stays flat.</p></article>"
			     "<footer>Copyright 2024 City News. All rights reserved.</footer>"
			     "</body></html>",
			     &h);
	test_cond("english: extract ok", rc == PL_OK);
	test_cond("english: paragraphs kept with their spaces",
		  has_line(&h, "Spending on public transport will rise by four "
			       "percent, while the housing fund stays flat."));
	test_cond("english: menu and footer dropped", !has(&h, "Home") && !has(&h, "Copyright"));
	test_cond("english: title", h.title && strcmp(h.title, "Council approves budget") == 0);
}

static void test_layout(pl_arena *a)
{
	pl_html h;
	/* ASP.NET style: the whole page inside one <form>. */
	int rc = extract_str(a,
			     "<body><form id=form1><div class=nav><a href=/>"
			     "首页</a></div><div id=zoom>一、总体要求。坚持以人民为中心，推进"
			     "各项工作落实。<br>二、主要任务。加强组织领导，确保取得实效。<br>"
			     "三、保障措施。各部门要密切配合，形成工作合力。</div>"
			     "<input type=submit value=搜索></form></body>",
			     &h);
	test_cond("layout: a page-wide <form> is not dropped",
		  rc == PL_OK && has_line(&h, "二、主要任务。加强组织领导，确保取得实效。"));
	test_cond("layout: <br> breaks lines",
		  has_line(&h, "三、保障措施。各部门要密切配合，形成工作合力。"));
	/* Source line breaks between ideographs are wraps, not spaces. */
	rc = extract_str(a,
			 "<p>这是一段被源码\n换行的中文，英文 words\nstay "
			 "apart。</p>",
			 &h);
	test_cond("layout: wrapped Chinese joined, English spaced",
		  rc == PL_OK && has(&h, "被源码换行的中文") && has(&h, "words stay apart"));
	rc = extract_str(a,
			 "<div class=nav><a href=/>首页</a></div><div><p>2023年"
			 "全市主要经济指标如下，请各单位参阅。</p><table><tr><td>指标</td>"
			 "<td>数值</td></tr><tr><td>地区生产总值</td><td>1234.5亿元</td></tr>"
			 "</table></div><div class=info>发文机关：江城市统计局</div>",
			 &h);
	test_cond("layout: table in the content kept, cells tab-separated",
		  rc == PL_OK && has_line(&h, "地区生产总值\t1234.5亿元"));
	test_cond("layout: publisher from 发文机关",
		  h.publisher && strcmp(h.publisher, "江城市统计局") == 0);
	rc = extract_str(a,
			 "<div style=\"display: none\">隐藏的文字，不应出现。"
			 "</div><p>可见的正文，应当保留，包含标点符号。</p>",
			 &h);
	test_cond("layout: display:none dropped",
		  rc == PL_OK && !has(&h, "隐藏") && has(&h, "可见的正文"));
}

static void test_edges(pl_arena *a)
{
	pl_html h;
	pl_err e;
	test_cond("edge: empty input is ok and empty", pl_html_extract(a, "", 0, &h, &e) == PL_OK &&
							   h.len == 0 && h.text &&
							   h.text[0] == '\0' && h.title == NULL);
	int rc = pl_html_extract(a, "   \n ", 5, &h, &e);
	test_cond("edge: whitespace-only input",
		  (rc == PL_OK && h.len == 0) || (rc == PL_ERR && e.severity == PL_EDOC));
	rc = extract_str(a, "纯文本，没有标签。", &h);
	test_cond("edge: text without tags",
		  rc == PL_OK && strcmp(h.text, "纯文本，没有标签。") == 0);
	rc = extract_str(a, "<div><p>未闭合<span>的<b>标签，", &h);
	test_cond("edge: unclosed tags", rc == PL_OK && strcmp(h.text, "未闭合的标签，") == 0);
	rc = extract_str(a,
			 "<html><head><meta charset=gb2312></head><body>"
			 "<p>声明了GB2312但内容已是UTF-8，不应再转码。</p></body></html>",
			 &h);
	test_cond("edge: meta charset inside UTF-8 input ignored",
		  rc == PL_OK && has(&h, "声明了GB2312但内容已是UTF-8，不应再转码。"));
}

static int extract_file(pl_arena *a, const char *path, pl_html *h)
{
	size_t n;
	pl_err e;
	char *page = slurp(path, &n);
	if (page == NULL)
		return PL_ERR;
	int rc = pl_html_extract(a, page, n, h, &e);
	free(page);
	return rc;
}

/* Layouts seen on government and news sites (hand-written pages). */
static void test_layouts(pl_arena *a)
{
	pl_html h;
	int rc = extract_file(a, "tests/html/gov-table-layout.html", &h);
	test_cond("gov table layout: extract ok", rc == PL_OK);
	test_cond("gov table layout: body from the first to the last line",
		  rc == PL_OK && strncmp(h.text, "各区人民政府，市政府各部门：\n", 40) == 0 &&
		      has_line(&h, "三、保障措施。各责任单位要建立整改台账，实行销号管理，"
				   "确保按期完成。"));
	test_cond("gov table layout: Word spans joined into one line",
		  has_line(&h, "现将《江城市生态环境保护督察整改方案》印发给你们，"
			       "请认真贯彻执行。"));
	test_cond("gov table layout: signature lines kept",
		  has_line(&h, "江城市人民政府办公室") && has_line(&h, "2023年2月28日"));
	test_cond("gov table layout: left column, title, info, footer dropped",
		  !has(&h, "热点专题") && !has(&h, "办事指南") && !has(&h, "您现在的位置") &&
		      !has(&h, "信息来源") && !has(&h, "备案号") && !has(&h, "字体"));
	test_cond("gov table layout: metadata", h.date && h.publisher &&
						    strcmp(h.date, "2023-03-01 09:00") == 0 &&
						    strcmp(h.publisher, "市政府办公室") == 0);

	rc = extract_file(a, "tests/html/news-comments.html", &h);
	test_cond("news: extract ok", rc == PL_OK);
	test_cond("news: article kept, unmarked comment section dropped",
		  rc == PL_OK && h.paragraphs == 3 && has(&h, "适时优化线路走向和运营时间。") &&
		      !has(&h, "网友留言") && !has(&h, "末班车"));
	test_cond("news: pager and ranking dropped", !has(&h, "下一页") && !has(&h, "热门排行"));
	test_cond("news: date from the byline under the title",
		  h.date && strcmp(h.date, "2024-03-05 08:12") == 0);

	rc = extract_file(a, "tests/html/bulletin-table.html", &h);
	test_cond("bulletin: extract ok", rc == PL_OK);
	test_cond("bulletin: <br> lines and the data table kept",
		  rc == PL_OK &&
		      has_line(&h, "初步核算，全年全市地区生产总值1234.5亿元，比上年增长5.6%。") &&
		      has_line(&h, "第二产业\t亿元\t500.3\t6.2") &&
		      has_line(&h, "年末全市常住人口320.5万人，比上年末增加1.2万人。"));
	test_cond("bulletin: title and info lines above the text shed",
		  !has(&h, "发布时间") && !has(&h, "浏览次数") &&
		      !has_line(&h, "江城市2023年国民经济和社会发展统计公报"));
	test_cond("bulletin: publisher from 来源",
		  h.publisher && strcmp(h.publisher, "江城市统计局") == 0);

	rc = extract_file(a, "tests/html/lead-editor.html", &h);
	test_cond("lead: extract ok", rc == PL_OK);
	test_cond("lead: lead paragraph in its own container kept",
		  rc == PL_OK && strncmp(h.text, "3月15日，全省生态环境保护督察整改工作",
					 strlen("3月15日，全省生态环境保护督察整改工作")) == 0);
	test_cond("lead: trailing editor line kept, headline not",
		  has_line(&h, "（责任编辑：刘七）") &&
		      !has_line(&h, "全省生态环境保护督察整改工作推进会召开"));
}

static char *nested(const char *open, const char *close, size_t depth, const char *inner)
{
	size_t lo = strlen(open), lc = strlen(close), li = strlen(inner);
	char *b = malloc(depth * (lo + lc) + li + 64);
	if (b == NULL)
		return NULL;
	char *p = b;
	p += sprintf(p, "<html><body>");
	for (size_t i = 0; i < depth; i++, p += lo)
		memcpy(p, open, lo);
	memcpy(p, inner, li);
	p += li;
	for (size_t i = 0; i < depth; i++, p += lc)
		memcpy(p, close, lc);
	strcpy(p, "</body></html>");
	return b;
}

static void test_deep(pl_arena *a)
{
	pl_html h;
	char *b = nested("<div>", "</div>", 10000, "<p>深处的一段文字，测试不会崩溃。</p>");
	test_cond("deep: 10000 nested divs built", b != NULL);
	if (b != NULL) {
		int rc = extract_str(a, b, &h);
		test_cond("deep: 10000 nested divs extract", rc == PL_OK);
		test_cond("deep: text at depth 10000 found",
			  rc == PL_OK && has_line(&h, "深处的一段文字，测试不会崩溃。"));
		free(b);
	}
	pl_arena_reset(a);
	b = nested("<font><span>", "", 10000, "没有闭合的内联标签。");
	if (b != NULL) {
		int rc = extract_str(a, b, &h);
		test_cond("deep: 20000 unclosed inline tags",
			  rc == PL_OK && has(&h, "没有闭合的内联标签。"));
		free(b);
	}
	pl_arena_reset(a);
	b = nested("<div><p>这一层有一句话。", "", 2000, "");
	if (b != NULL) {
		int rc = extract_str(a, b, &h);
		test_cond("deep: a paragraph in each of 2000 unclosed divs, all kept",
			  rc == PL_OK && h.paragraphs == 2000);
		free(b);
	}
	pl_arena_reset(a);
}

/* Pathological inputs must stay linear: 50000 levels take well under a
 * second natively; a quadratic walk would take minutes. The limit is loose
 * enough for valgrind. */
static void test_pathological(pl_arena *a)
{
	static const struct {
		const char *name, *open, *close;
	} cases[] = {
	    {"50000 unclosed div+p", "<div><p>一句话，带标点。", ""},
	    {"50000 unclosed inline", "<font><span><b>", ""},
	    {"50000 nested tables", "<table><tr><td>格", "</td></tr></table>"},
	    {"50000 nested links", "<a href=x>链接", "</a>"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *b = nested(cases[i].open, cases[i].close, 50000, "底部文字。");
		if (b == NULL)
			continue;
		pl_html h;
		clock_t t0 = clock();
		int rc = extract_str(a, b, &h);
		double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
		char name[96];
		snprintf(name, sizeof name, "pathological: %s (%.2fs)", cases[i].name, secs);
		test_cond(name, rc == PL_OK && secs < 20.0);
		free(b);
		pl_arena_reset(a);
	}
}

/* The six peer pages (MIT, see tests/html/peers/LICENSE) against their
 * gold text; dumps the extracted text to dir when dir is not NULL. */
static void test_peers(pl_arena *a, const char *dir)
{
	static const char *const names[] = {"33a95b71-b49b-42c1-9c0a-ab8e3feba3cf",
					    "500b350d-d38d-4fb0-9e81-75e0c95e95a8",
					    "9890f458-7af7-4e96-a507-6eb1b359d675",
					    "c4d032a1-45cd-4c77-a84e-90e2f8895039",
					    "e8847578-12f0-44cb-bdb7-4eec53c18ed1",
					    "f70d9c97-9d64-415e-a7e4-840c9258eaf5",
					    NULL};
	size_t tp = 0, np = 0, ng = 0;
	int all = 1;
	for (int i = 0; names[i] != NULL; i++) {
		char path[256];
		size_t n = 0, gn = 0;
		snprintf(path, sizeof path, "tests/html/peers/original/%s.html", names[i]);
		char *page = page_utf8(path, &n);
		snprintf(path, sizeof path, "tests/html/peers/cleaned/%s.txt", names[i]);
		char *gold = slurp(path, &gn);
		pl_html h;
		pl_err e;
		if (page == NULL || gold == NULL || pl_html_extract(a, page, n, &h, &e) != PL_OK) {
			all = 0;
			fprintf(stderr, "peer %s: cannot read or extract\n", names[i]);
		} else {
			overlap(gold, h.text, &tp, &np, &ng);
			if (dir != NULL) {
				snprintf(path, sizeof path, "%s/%s.txt", dir, names[i]);
				FILE *f = fopen(path, "w");
				if (f != NULL) {
					fprintf(f, "%s\n", h.text);
					fclose(f);
				}
			}
		}
		free(page);
		free(gold);
		pl_arena_reset(a);
	}
	double p = np ? (double)tp / (double)np : 0, r = ng ? (double)tp / (double)ng : 0;
	double f1 = p + r > 0 ? 2 * p * r / (p + r) : 0;
	fprintf(stderr, "peers: f1=%.3f precision=%.3f recall=%.3f\n", f1, p, r);
	test_cond("peers: all six pages extracted", all);
	test_cond("peers: 3-gram f1 >= 0.90", f1 >= 0.90);
}

int main(int argc, char **argv)
{
	const char *dump = NULL;
	if (argc == 3 && strcmp(argv[1], "--dump") == 0)
		dump = argv[2];
	pl_arena *a = pl_arena_new();
	test_sniff();
	test_charset();
	test_boilerplate(a);
	pl_arena_reset(a);
	test_ruby(a);
	test_titles(a);
	test_byline(a);
	test_english(a);
	test_layout(a);
	test_layouts(a);
	pl_arena_reset(a);
	test_edges(a);
	pl_arena_reset(a);
	test_deep(a);
	test_pathological(a);
	test_peers(a, dump);
	pl_arena_free(a);
	return test_report();
}
