#!/usr/bin/env python3
"""Wrap plain-text notices the ways bulletin reads them (tests/groups/65-inputs.sh).

usage: wrap.py html   DOCS_TSV OUTDIR FILE...   one page per notice: OUTDIR/<name>.html
       wrap.py jsonl  DOCS_TSV OUT.jsonl FILE...
       wrap.py rss    DOCS_TSV OUT.xml FILE...   items carry the notice as HTML
       wrap.py atom   DOCS_TSV OUT.xml FILE...   entries carry it as content type="html"
       wrap.py ruby   DOCS_TSV OUT.html FILE     the notice's pinyin 環(huán) as <ruby> markup

DOCS_TSV is the docs.tsv of a run over the plain files: the title bulletin
found there becomes the page's <title> and <h1> (and the item title), as a
web page would carry it. Each non-empty line of a notice becomes a <p>; the
page gets a navigation bar, breadcrumbs, a share bar and a footer.
"""
import csv, html, json, os, sys


def titles(path):
    rows = csv.DictReader(open(path, encoding='utf-8'), delimiter='\t', quoting=csv.QUOTE_NONE)
    return {os.path.basename(r['doc_id']): r['title'] for r in rows}


def paragraphs(path):
    text = open(path, encoding='utf-8').read()
    return [l.strip() for l in text.split('\n') if l.strip()]


def body_html(paras):
    return '\n'.join('<p>%s</p>' % html.escape(p) for p in paras)


PAGE = '''<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
{title_tag}
</head>
<body>
<div class="header"><a href="/">首页</a></div>
<nav class="nav"><ul>
<li><a href="/">首页</a></li><li><a href="/news/">新闻中心</a></li>
<li><a href="/gov/">政务公开</a></li><li><a href="/service/">办事服务</a></li>
<li><a href="/interact/">互动交流</a></li><li><a href="/data/">数据发布</a></li>
</ul></nav>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/news/">新闻中心</a> &gt; 正文</div>
<div class="article">
{h1}
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>
<div class="content">
{body}
</div>
</div>
<div class="related"><h3>相关阅读</h3><ul>
<li><a href="/a1">生态环境部召开例行新闻发布会</a></li>
<li><a href="/a2">第二轮中央生态环境保护督察工作启动</a></li>
</ul></div>
<footer class="footer">
<p><a href="/about">关于我们</a> | <a href="/contact">联系我们</a> | <a href="/map">网站地图</a></p>
<p>版权所有：生态环境网 主办单位：某某省生态环境厅 备案号：京ICP备05004567号</p>
</footer>
</body>
</html>
'''


def main():
    kind, docs, out, files = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    t = titles(docs)
    if kind == 'html':
        os.makedirs(out, exist_ok=True)
        for f in files:
            name = os.path.basename(f)
            title = t.get(name, '')
            te = html.escape(title)
            page = PAGE.format(title_tag='<title>%s - 生态环境网</title>' % te if title else '',
                               h1='<h1>%s</h1>' % te if title else '', body=body_html(paragraphs(f)))
            open(os.path.join(out, os.path.splitext(name)[0] + '.html'), 'w', encoding='utf-8').write(page)
    elif kind == 'jsonl':
        with open(out, 'w', encoding='utf-8') as o:
            for f in files:
                rec = {'id': os.path.basename(f), 'url': 'http://example.org/' + os.path.basename(f),
                       'text': open(f, encoding='utf-8').read()}
                o.write(json.dumps(rec, ensure_ascii=False) + '\n')
    elif kind == 'rss':
        items = []
        for f in files:
            name = os.path.basename(f)
            items.append('''<item>
<title>{t}</title>
<link>http://example.org/{n}</link>
<guid>http://example.org/{n}</guid>
<pubDate>Mon, 14 Sep 2020 08:00:00 +0800</pubDate>
<description>{d}</description>
<content:encoded><![CDATA[{c}]]></content:encoded>
</item>'''.format(t=html.escape(t.get(name, '')), n=html.escape(name),
                  d=html.escape('<p>%s</p>' % html.escape(t.get(name, ''))),
                  c=body_html(paragraphs(f))))
        open(out, 'w', encoding='utf-8').write('''<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
<title>生态环境网</title>
<link>http://example.org/</link>
<description>督察整改</description>
{items}
</channel>
</rss>
'''.format(items='\n'.join(items)))
    elif kind == 'atom':
        entries = []
        for f in files:
            name = os.path.basename(f)
            entries.append('''<entry>
<title>{t}</title>
<link rel="alternate" type="text/html" href="http://example.org/atom/{n}"/>
<id>urn:example:{n}</id>
<updated>2020-09-15T08:00:00+08:00</updated>
<content type="html">{c}</content>
</entry>'''.format(t=html.escape(t.get(name, '')), n=html.escape(name),
                  c=html.escape(body_html(paragraphs(f)))))
        open(out, 'w', encoding='utf-8').write('''<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>生态环境网</title>
<id>urn:example:feed</id>
<updated>2020-09-15T08:00:00+08:00</updated>
{entries}
</feed>
'''.format(entries='\n'.join(entries)))
    elif kind == 'ruby':
        # 環(huán)境 -> <ruby>環<rp>(</rp><rt>huán</rt><rp>)</rp></ruby>境
        import re
        name = os.path.basename(files[0])
        marks = 'āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ'
        pin = re.compile(r'(.)\(([a-z%s]*[%s][a-z%s]*)\)' % (marks, marks, marks))
        paras = [pin.sub(lambda m: '<ruby>%s<rp>(</rp><rt>%s</rt><rp>)</rp></ruby>'
                         % (html.escape(m.group(1)), m.group(2)), html.escape(p))
                 for p in paragraphs(files[0])]
        title = t.get(name, '')
        page = PAGE.format(title_tag='<title>%s</title>' % html.escape(title) if title else '',
                           h1='<h1>%s</h1>' % html.escape(title) if title else '',
                           body='\n'.join('<p>%s</p>' % p for p in paras))
        open(out, 'w', encoding='utf-8').write(page)
    else:
        print(__doc__)
        return 2
    return 0


sys.exit(main())
