#!/usr/bin/env python3
"""Builds reposts and look-alikes of a seed notice for the dedup tests.

usage: reposts.py SEED OUTDIR TITLE

Writes into OUTDIR, named after the seed (B = SEED's base name):
  B.furniture.txt  another site's header and footer around the same body
  B.dropped.txt    one body paragraph left out (every copy of it)
  B.retitled.txt   a changed headline
  B.weekly.txt     the same template with other progress figures and dates:
                   a different notice, must NOT be marked a duplicate
  B.update.txt     only two of its counts changed: must NOT be either
The traditional-script (opencc) and GB18030 (iconv) versions are made by
the test itself with those tools.
"""
import re
import sys

seed, outdir, title = sys.argv[1], sys.argv[2], sys.argv[3]
base = seed.rsplit('/', 1)[-1].rsplit('.', 1)[0]
text = open(seed, encoding='utf-8').read()
lines = text.split('\n')


def write(kind, s):
    with open(f'{outdir}/{base}.{kind}.txt', 'w', encoding='utf-8') as f:
        f.write(s)


def body_lines():
    """Indexes of the body paragraphs: long lines, furniture bullets aside."""
    return [i for i, l in enumerate(lines)
            if len(l.strip(' \u3000•')) >= 60]


# Another site's furniture: breadcrumbs, a new date and source line, print
# and share links, a footer with the site's copyright and record numbers.
head = ('首页 > 新闻中心 > 转载 > 环保要闻\n'
        '发布时间:2021-03-05 09:12  来源:某市人民政府网  浏览次数:4821\n'
        '【字体:大 中 小】【打印】【关闭】\n')
foot = ('\n分享到:微信 微博 QQ空间\n'
        '上一篇:关于开展2021年春季植树活动的通知\n'
        '下一篇:市政府召开第十五次常务会议\n'
        '版权所有:某市人民政府办公室  网站标识码:5113000001  蜀ICP备05001234号\n'
        '地址:某市人民路88号  联系电话:0817-2222222\n')
write('furniture', head + text + foot)

# A dropped paragraph: the second body paragraph, in every copy.
body = body_lines()
drop = lines[body[1]].strip(' \u3000•') if len(body) > 1 else None
write('dropped', '\n'.join(l for l in lines if drop is None or l.strip(' \u3000•') != drop))

# A changed headline: every line that holds the title gets another one.
new_title = '转载:' + title[:len(title) // 2] + '(全文)' if title else '转载一则通报'
if title:
    write('retitled', text.replace(title, new_title))
else:
    write('retitled', new_title + '\n\n' + text)

# A weekly report of the same template: only the progress figures and the
# dates change. Every number in the text goes up by one or two; the rest is
# word for word the same.
def bump(m):
    n = m.group(0)
    return str(int(n) + (1 if len(n) != 4 else 0) + (len(n) > 2)) if n.isdigit() else n

write('weekly', re.sub(r'\d+', bump, text))

# A progress update of the same notice: two of its counts (a number before
# 项 个 件, else any number that is not a year) are different, everywhere they
# occur; every other character is the same. Still a different notice.
counts = []
for m in re.finditer(r'(\d+)[项个件項個]', text):
    if m.group(1) not in counts:
        counts.append(m.group(1))
for m in re.finditer(r'\d+', text):
    if len(m.group(0)) != 4 and m.group(0) not in counts:
        counts.append(m.group(0))
new = text
for c in counts[:2]:
    new = re.sub(r'(?<!\d)' + c + r'(?!\d)', str(int(c) + 3), new)
write('update', new)
