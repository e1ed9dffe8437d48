#!/usr/bin/env bash
# tests/pathological/gen.sh DIR: writes the adversarial inputs of
# tests/groups/90-pathological.sh into DIR (about 10 MB in all). Each text
# input starts with an on-topic title and opening so that every stage,
# extract included, works on it; the run of one pattern follows, with no
# sentence end until the last byte. The huge inputs (a 100 MB line, a 1 GB
# sparse file, 100,000 files) are made by the group itself.
set -eu
out=$1
mkdir -p "$out"
python3 - "$out" <<'PY'
import os, sys
out = sys.argv[1]
head = '环保督察整改情况\n督察组交办问题'
MB = 1 << 20
def run(name, unit, size=MB, tail='。\n'):
    n = size // len(unit.encode())
    with open(os.path.join(out, name), 'w', encoding='utf-8') as f:
        f.write(head + unit * n + tail)
# bracket runs: unclosed, unopened, nested with a number each
run('open-brackets.txt', '(')
run('close-brackets.txt', ')')
run('nested-facts.txt', '(1个问题')
run('han-paren.txt', '环(')
# digit runs: Arabic, Chinese, with 万, with thousands separators
run('digits.txt', '1')
run('cn-digits.txt', '一二三四五六七八九十')
run('wan.txt', '1万')
run('commas.txt', '1,000')
run('decimal-points.txt', '1.')
# facts with no clause mark between them, and with one
run('facts-no-punct.txt', '1个问题')
run('facts-clauses.txt', '发现问题1个,')
# one long paragraph of pinyin-like ruby and of spaces
run('ruby.txt', '环(huán)')
run('spaces.txt', ' \u3000\u00a0')
# many short lines and many sentences
run('lines.txt', '1个问题\n')
run('sentences.txt', '已完成整改3个。')
# deeply nested HTML: 100,000 open <div>, then text, never closed
with open(os.path.join(out, 'deep.html'), 'w') as f:
    f.write('<!doctype html><html><head><title>环保督察</title></head><body>')
    f.write('<div>' * 100000)
    f.write('<p>督察组交办问题42个,已完成整改30个。</p>')
    f.write('</body></html>\n')
# deeply nested HTML, closed, with text at every level
with open(os.path.join(out, 'deep-closed.html'), 'w') as f:
    f.write('<html><body>')
    f.write('<div><span>督察组交办问题1个,</span>' * 20000)
    f.write('</div>' * 20000)
    f.write('</body></html>\n')
PY
