#!/usr/bin/env python3
"""Builds the benchmark corpus: notice variants made from the seed notices.

    python3 bench/gen_corpus.py [--mb 200] [--seed 1] [--src corpus] [--out bench/corpus]

Writes OUT/simplified/NNN/sNNNNNN.txt and OUT/traditional/NNN/tNNNNNN.txt
(at most 1000 files a directory), OUT/manifest.tsv (path, part, encoding,
bytes, base seed file) and, last, OUT/stamp.json. Nothing else goes under
OUT/simplified or OUT/traditional, so each part can be given to a program
as it is.

Each variant is one seed notice (its head, a sample of its paragraphs, its
tail; a larger variant borrows paragraphs from the other seeds of the same
script) with every number and every place name redrawn: dates stay valid
dates, other digit runs keep their width, a province or city becomes another
one, the same one throughout the document. About 15% of the files are
traditional: either seed 004 (traditional with inline pinyin) or a
simplified seed converted by `opencc -c s2t.json`. About 10% of all files
are GB18030 (Python's gb18030 codec, which gives the same bytes as
`iconv -t GB18030` on these characters); the rest UTF-8.

Same seed files, same opencc, same --mb and --seed: the same bytes. When
OUT/stamp.json already records that key and every file in the manifest has
its size, nothing is regenerated. Standard library only.
"""
import argparse
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time

VERSION = 1
MB = 1000 * 1000
PER_DIR = 1000
TRAD_SHARE = 0.15
GB_SHARE = 0.10
TRAD_NATIVE = "004"  # the seed that is traditional already
TRAD_NATIVE_SHARE = 0.4  # of the traditional files: variants of 004

# Provinces (short names, matched inside 四川省, 浙江在线, ...) and
# prefecture-level cities (matched inside 杭州市, ...). Names that are also
# common words (长治, 大同, 开封, ...) are left out: they would be rewritten
# inside ordinary phrases.
PROVINCES = ("河北 山西 内蒙古 辽宁 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 "
             "湖北 湖南 广东 广西 海南 四川 贵州 云南 陕西 甘肃 青海 宁夏 新疆").split()
CITIES = ("石家庄 唐山 保定 邯郸 太原 晋中 运城 沈阳 大连 鞍山 哈尔滨 齐齐哈尔 "
          "南京 苏州 无锡 常州 徐州 杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 "
          "台州 丽水 合肥 芜湖 蚌埠 福州 厦门 泉州 南昌 九江 赣州 济南 青岛 烟台 "
          "潍坊 郑州 洛阳 武汉 宜昌 襄阳 长沙 株洲 湘潭 岳阳 广州 深圳 佛山 韶关 "
          "南宁 柳州 桂林 海口 三亚 成都 绵阳 德阳 宜宾 南充 凉山 贵阳 遵义 六盘水 "
          "安顺 毕节 昆明 曲靖 西安 宝鸡 咸阳 渭南 延安 汉中 榆林 安康 商洛 兰州 "
          "天水 西宁 银川").split()

# Target sizes in bytes: buckets drawn with equal chance, then a size inside
# the bucket (integers only, so the draws do not depend on libm).
SIZE_BUCKETS = [(2500, 4000), (4000, 6000), (5000, 7000), (6000, 8000),
                (7000, 9000), (8000, 10000), (9000, 12000), (10000, 14000),
                (12000, 16000), (14000, 20000), (18000, 26000), (24000, 40000)]

SEP = "\n@@BENCH-SEPARATOR@@\n"


def s2t(texts):
    """The texts converted by the opencc command-line tool, in one call."""
    r = subprocess.run(["opencc", "-c", "s2t.json"], input=SEP.join(texts).encode(),
                       stdout=subprocess.PIPE, check=True)
    out = r.stdout.decode("utf-8").split(SEP)
    if len(out) != len(texts):
        sys.exit("gen_corpus: opencc s2t did not keep the separators")
    return out


def split_units(text):
    """head, body, tail: lists of units (a line with the blank lines after
    it). The body runs from the first to the last long line."""
    units = re.findall(r"[^\n]*\n(?:[ \t\u3000\u00a0]*\n)*|[^\n]+$", text)
    assert "".join(units) == text
    longs = [i for i, u in enumerate(units) if len(u.split("\n")[0].encode()) >= 150]
    if not longs:
        return units, [], []
    a, b = longs[0], longs[-1] + 1
    return units[:a], units[a:b], units[b:]


class Seed:
    def __init__(self, name, text):
        self.name = name
        self.head, self.body, self.tail = split_units(text)
        self.size = len(text.encode())


def size_of(units):
    return sum(len(u.encode()) for u in units)


def assemble(rng, base, others, target):
    """head + body units + tail of base, sampled down or extended with
    paragraphs of the other seeds towards target bytes."""
    fixed = size_of(base.head) + size_of(base.tail)
    body_size = size_of(base.body)
    want = max(target - fixed, 1)
    if want < body_size:
        keep = [u for u in base.body if rng.random() * body_size < want]
        if not keep:
            keep = [base.body[0]]
        body = keep
    else:
        body = list(base.body)
        have = body_size
        order = list(others)
        rng.shuffle(order)
        for o in order:
            if have >= want or not o.body:
                break
            start = rng.randrange(len(o.body))
            for u in o.body[start:] + o.body[:start]:
                if have >= want:
                    break
                body.append(u if u.endswith("\n") else u + "\n")
                have += len(u.encode())
    return "".join(base.head + body + base.tail)


DIGITS = "0123456789"
NUM_RE = re.compile(
    r"(?P<ymd>(?P<y1>[0-9]{4})年(?P<m1>[0-9]{1,2})月(?P<d1>[0-9]{1,2})日)"
    r"|(?P<iso>(?P<y2>[0-9]{4})-(?P<m2>[0-9]{1,2})-(?P<d2>[0-9]{1,2}))"
    r"|(?P<dmy>(?P<d3>[0-9]{1,2})\.(?P<m3>[0-9]{1,2})\.(?P<y3>[0-9]{4}))"
    r"|(?P<hms>(?P<h>[0-9]{1,2}):(?P<mi>[0-9]{2})(?::(?P<s>[0-9]{2}))?)"
    r"|(?P<y>[0-9]{4})(?=年)"
    r"|(?P<md>(?P<m4>[0-9]{1,2})月(?P<d4>[0-9]{1,2})日)"
    r"|(?P<n>[0-9]+)")


def renumber(rng, text):
    def width(s, v):
        return str(v).zfill(len(s))

    def year():
        return str(rng.randrange(2015, 2024))

    def sub(m):
        g = m.group
        if g("ymd"):
            return "%s年%s月%s日" % (year(), rng.randrange(1, 13), rng.randrange(1, 29))
        if g("iso"):
            return "%s-%s-%s" % (year(), width(g("m2"), rng.randrange(1, 13)),
                                 width(g("d2"), rng.randrange(1, 29)))
        if g("dmy"):
            return "%s.%s.%s" % (width(g("d3"), rng.randrange(1, 29)),
                                 width(g("m3"), rng.randrange(1, 13)), year())
        if g("hms"):
            t = "%s:%02d" % (width(g("h"), rng.randrange(0, 24)), rng.randrange(60))
            return t + (":%02d" % rng.randrange(60) if g("s") else "")
        if g("y"):
            return year()
        if g("md"):
            return "%d月%d日" % (rng.randrange(1, 13), rng.randrange(1, 29))
        n = g("n")
        if len(n) == 1:
            return rng.choice(DIGITS)
        return rng.choice(DIGITS[1:]) + "".join(rng.choice(DIGITS) for _ in n[1:])

    return NUM_RE.sub(sub, text)


class Places:
    def __init__(self, provinces, cities):
        self.cls = {}
        for p in provinces:
            self.cls[p] = provinces
        for c in cities:
            self.cls[c] = cities
        names = sorted(self.cls, key=lambda s: (-len(s), s))
        self.re = re.compile("|".join(map(re.escape, names)))

    def shuffle(self, rng, text):
        mapping = {}
        for m in self.re.finditer(text):
            name = m.group(0)
            if name not in mapping:
                pool = self.cls[name]
                new = rng.choice(pool)
                if new == name:
                    new = pool[(pool.index(new) + 1) % len(pool)]
                mapping[name] = new
        if not mapping:
            return text
        return self.re.sub(lambda m: mapping[m.group(0)], text)


def corpus_key(args, seeds_simp, seeds_trad):
    h = hashlib.sha256()
    with open(os.path.abspath(__file__), "rb") as f:
        h.update(f.read())
    h.update(json.dumps([VERSION, args.mb, args.seed]).encode())
    for s in seeds_simp + seeds_trad:
        h.update(s[0].encode() + b"\0" + s[1].encode() + b"\0")
    return h.hexdigest()


def up_to_date(out, key):
    try:
        with open(os.path.join(out, "stamp.json"), encoding="utf-8") as f:
            stamp = json.load(f)
        if stamp.get("key") != key:
            return None
        with open(os.path.join(out, "manifest.tsv"), encoding="utf-8") as f:
            rows = [ln.rstrip("\n").split("\t") for ln in f][1:]
        for r in rows:
            if os.stat(os.path.join(out, r[0])).st_size != int(r[3]):
                return None
        if len(rows) != stamp.get("files"):
            return None
        return stamp
    except (OSError, ValueError, IndexError):
        return None


def load_seeds(src):
    names = sorted(n for n in os.listdir(src) if n.endswith(".txt"))
    seeds = []
    for n in names:
        with open(os.path.join(src, n), encoding="utf-8") as f:
            seeds.append((n, f.read()))
    if not any(n.startswith(TRAD_NATIVE) for n, _ in seeds) or len(seeds) < 2:
        sys.exit("gen_corpus: %s must hold the seed notices (000..004)" % src)
    return seeds


def ensure(mb=200, seed=1, src="corpus", out="bench/corpus", quiet=False):
    """Generates the corpus unless it is already there; returns the stamp."""
    args = argparse.Namespace(mb=mb, seed=seed)
    seeds = load_seeds(src)
    simp_src = [s for s in seeds if not s[0].startswith(TRAD_NATIVE)]
    native = [s for s in seeds if s[0].startswith(TRAD_NATIVE)]
    conv = s2t([t for _, t in simp_src] + ["\n".join(PROVINCES), "\n".join(CITIES)])
    trad_src = native + [("s2t:" + n, t) for (n, _), t in zip(simp_src, conv)]
    key = corpus_key(args, simp_src, trad_src)
    stamp = up_to_date(out, key)
    if stamp is not None:
        stamp["generated"] = False
        return stamp

    t0 = time.monotonic()
    if not quiet:
        print("bench: generating %d MB corpus in %s (seed %d) ..." % (mb, out, seed),
              file=sys.stderr, flush=True)
    for d in ("simplified", "traditional"):
        shutil.rmtree(os.path.join(out, d), ignore_errors=True)
    for f in ("stamp.json", "manifest.tsv"):
        try:
            os.remove(os.path.join(out, f))
        except FileNotFoundError:
            pass
    os.makedirs(out, exist_ok=True)

    pools = {
        "simplified": [Seed(n, t) for n, t in simp_src],
        "traditional": [Seed(n, t) for n, t in trad_src],
    }
    places = {
        "simplified": Places(PROVINCES, CITIES),
        "traditional": Places(conv[-2].split("\n"), conv[-1].split("\n")),
    }
    rng = random.Random(seed)
    count = {"simplified": 0, "traditional": 0}
    stats = {"simplified": [0, 0], "traditional": [0, 0]}
    manifest = ["path\tpart\tencoding\tbytes\tbase\n"]
    total = 0
    n = 0
    made_dirs = set()
    while total < mb * MB:
        part = "traditional" if rng.random() < TRAD_SHARE else "simplified"
        enc = "gb18030" if rng.random() < GB_SHARE else "utf-8"
        pool = pools[part]
        if part == "traditional":
            if rng.random() < TRAD_NATIVE_SHARE:
                base = pool[0]
            else:
                base = rng.choice(pool[1:])
        else:
            base = rng.choice(pool)
        lo, hi = rng.choice(SIZE_BUCKETS)
        target = rng.randrange(lo, hi)
        text = assemble(rng, base, [s for s in pool if s is not base], target)
        text = places[part].shuffle(rng, text)
        text = renumber(rng, text)
        data = text.encode(enc)
        i = count[part]
        count[part] += 1
        sub = os.path.join(part, "%03d" % (i // PER_DIR))
        if sub not in made_dirs:
            os.makedirs(os.path.join(out, sub), exist_ok=True)
            made_dirs.add(sub)
        rel = os.path.join(sub, "%s%06d.txt" % (part[0], i))
        with open(os.path.join(out, rel), "wb") as f:
            f.write(data)
        manifest.append("%s\t%s\t%s\t%d\t%s\n" % (rel, part, enc, len(data), base.name))
        stats[part][0] += 1
        stats[part][1] += len(data)
        total += len(data)
        n += 1

    with open(os.path.join(out, "manifest.tsv"), "w", encoding="utf-8") as f:
        f.writelines(manifest)
    stamp = {
        "key": key, "version": VERSION, "mb": mb, "seed": seed, "files": n, "bytes": total,
        "parts": {p: {"files": s[0], "bytes": s[1]} for p, s in stats.items()},
        "gb18030_files": sum(1 for ln in manifest[1:] if "\tgb18030\t" in ln),
    }
    tmp = os.path.join(out, "stamp.json.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(stamp, f, indent=1)
        f.write("\n")
    os.replace(tmp, os.path.join(out, "stamp.json"))
    stamp["generated"] = True
    stamp["seconds"] = time.monotonic() - t0
    return stamp


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=int, default=int(os.environ.get("BENCH_MB", 200)))
    ap.add_argument("--seed", type=int, default=int(os.environ.get("BENCH_SEED", 1)))
    ap.add_argument("--src", default="corpus")
    ap.add_argument("--out", default="bench/corpus")
    a = ap.parse_args()
    st = ensure(a.mb, a.seed, a.src, a.out)
    print("%s: %d files, %.1f MB (%s)" % (a.out, st["files"], st["bytes"] / MB,
          "generated in %.1f s" % st["seconds"] if st["generated"] else "up to date"))


if __name__ == "__main__":
    main()
