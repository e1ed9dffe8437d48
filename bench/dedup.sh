#!/usr/bin/env bash
# bench/dedup.sh: what duplicate detection across documents, and the
# --state database, add to a run. Run by hand or by `make bench-dedup`
# from the project root; prints measured figures, asserts nothing.
#
#   bash bench/dedup.sh [N] [REPEATS]     (defaults: 10000 notices, 5 runs)
#
# The corpus is synthetic (tests/dedup/corpus.py: notices of 8-24 sentences
# drawn from corpus/*.txt, every number changed, about 1 in 10 a repost),
# written once to bench/corpus/dedup-N/. Each configuration runs REPEATS
# times; medians are reported.
set -eu
export LC_ALL=C
N=${1:-10000}
REPEATS=${2:-5}
BIN=${BIN:-./bulletin}
C=bench/corpus/dedup-$N
if [ ! -d "$C" ]; then
	echo "writing $N notices to $C"
	python3 tests/dedup/corpus.py "$N" "$C.tmp" 1 && mv "$C.tmp" "$C"
fi
W=$(mktemp -d /tmp/bulletin-bench.XXXXXX)
trap 'rm -rf "$W"' EXIT

# Each configuration runs REPEATS times (after a warm-up round), round robin;
# the medians of wall time and of CPU time (user + system, from the child's
# rusage: less disturbed by other work on the machine than wall time) and the
# peak RSS are printed.
python3 - "$BIN" "$C" "$W" "$N" "$REPEATS" <<'PY'
import os, shutil, statistics, subprocess, sys, time
bin_, corpus, w, n, repeats = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])

def fresh_state():
    for f in ('s.db', 's.db-wal', 's.db-shm'):
        if os.path.exists(f'{w}/{f}'):
            os.unlink(f'{w}/{f}')
    shutil.rmtree(f'{w}/c', ignore_errors=True)

def once(args, prep):
    """One run: wall seconds, CPU seconds, peak RSS in KiB."""
    if prep:
        prep()
    t0 = time.monotonic()
    p = subprocess.Popen([bin_] + args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    t1 = time.monotonic()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f'bench-dedup: {" ".join(args)}: exit {os.waitstatus_to_exitcode(status)}')
    return t1 - t0, ru.ru_utime + ru.ru_stime, ru.ru_maxrss

# One thread each (-j 1): the CPU times then measure the work itself,
# not how it was shared out.
rows = [
    ('run --no-dedup (in-document dedup only)', ['run', '-q', '-j', '1', '--no-dedup', '-o', f'{w}/a', corpus], None),
    ('run (cross-document dedup)', ['run', '-q', '-j', '1', '-o', f'{w}/b', corpus], None),
    ('run --state, fresh state (dedup + SQLite)', ['run', '-q', '-j', '1', '--state', f'{w}/s.db', '-o', f'{w}/c', corpus], fresh_state),
    ('run --state again (nothing new)', ['run', '-q', '-j', '1', '--state', f'{w}/s.db', '-o', f'{w}/c', corpus], None),
]
# Round robin (one warm-up round first), so that a slow spell of the machine
# falls on every configuration alike.
runs = [[] for _ in rows]
for rnd in range(repeats + 1):
    for k, (name, args, prep) in enumerate(rows):
        m = once(args, prep)
        if rnd > 0:
            runs[k].append(m)
res = [(name, statistics.median(m[0] for m in r), statistics.median(m[1] for m in r),
        max(m[2] for m in r)) for (name, _, _), r in zip(rows, runs)]
docs = open(f'{w}/b/docs.tsv').read().split('\n')[1:-1]
ndup = sum(1 for r in docs if r.split('\t')[9] == 'duplicate')
nfacts = open(f'{w}/b/facts.tsv').read().count('\n') - 1
size = sum(os.path.getsize(os.path.join(corpus, f)) for f in os.listdir(corpus))
print(f'bench-dedup: {n} notices ({size / 1e6:.1f} MB), {nfacts} facts, {ndup} duplicates found; '
      f'median of {repeats} runs, {os.cpu_count()} CPU(s)')
print(f'  {"":44} {"wall":>8} {"cpu":>8} {"cpu/doc":>9} {"cpu vs base":>11} {"peak RSS":>9}')
base_cpu = res[0][2]
for i, (name, wall, cpu, rss) in enumerate(res):
    rel = f'{100 * (cpu - base_cpu) / base_cpu:+.1f}%' if 0 < i < 3 else ''
    print(f'  {name:44} {wall:7.2f}s {cpu:7.2f}s {1000 * cpu / n:7.3f}ms {rel:>11} {rss / 1024:7.1f}MB')
db = sum(os.path.getsize(f'{w}/{f}') for f in ('s.db', 's.db-wal') if os.path.exists(f'{w}/{f}'))
print(f'  state database: {db / 1024:.0f} KiB for {n} documents')
over = 100 * (res[1][2] - base_cpu) / base_cpu
print(f'  cross-document dedup adds {over:.1f}% CPU (budget 20%): {"within" if over <= 20 else "OVER"}')
PY
