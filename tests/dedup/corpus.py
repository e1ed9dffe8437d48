#!/usr/bin/env python3
"""Writes a synthetic corpus of N notices for the fault tests and the dedup
benchmark: usage: corpus.py N OUTDIR [RANDOM_SEED]

Each notice is made of 8 to 24 sentences drawn at random from the seed
notices (corpus/*.txt), with every number changed, grouped into paragraphs
and given a title line: distinct notices in the seeds' language. About one
in ten is a repost of an earlier one (another site's furniture, or a
paragraph left out), so a run also finds duplicates. Files are named
00000.txt, 00001.txt, ... in the order they were made (a repost always
comes after its original)."""
import glob
import os
import random
import re
import sys

n, outdir = int(sys.argv[1]), sys.argv[2]
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
here = os.path.dirname(os.path.abspath(__file__))
seeds = sorted(glob.glob(os.path.join(here, '..', '..', 'corpus', '*.txt')))
pool = []
for s in seeds:
    for line in open(s, encoding='utf-8'):
        line = line.strip(' \u3000•\n')
        for sent in re.findall(r'[^。;!?]+[。;!?]', line):
            if len(sent) >= 12:
                pool.append(sent)
os.makedirs(outdir, exist_ok=True)
made = []
for i in range(n):
    if made and rng.random() < 0.1:
        paras = list(rng.choice(made))
        if rng.random() < 0.5 and len(paras) > 3:
            del paras[rng.randrange(1, len(paras))]
            text = '\n\n'.join(paras)
        else:
            text = ('首页 > 新闻中心 > 转载\n来源:某市人民政府网  浏览次数:%d\n\n' % rng.randrange(10000)
                    + '\n\n'.join(paras) + '\n\n版权所有:某市人民政府办公室\n')
    else:
        sents = [re.sub(r'\d+', lambda m: str(rng.randrange(1, 1000)), rng.choice(pool))
                 for _ in range(rng.randrange(8, 25))]
        paras = ['  ' + ''.join(sents[k:k + 4]) for k in range(0, len(sents), 4)]
        paras.insert(0, '关于生态环境保护督察整改工作情况的通报(第%d期)' % (i + 1))
        made.append(paras)
        text = '\n\n'.join(paras)
    with open(os.path.join(outdir, '%05d.txt' % i), 'w', encoding='utf-8') as f:
        f.write(text + '\n')
