#!/usr/bin/env python3
"""Throughput and memory of `bulletin run` over the synthetic corpus.

    python3 bench/bench.py [--mb 200] [--runs 3] [--seed 1] [--bin ./bulletin]

(`make bench` runs it with BENCH_MB, BENCH_RUNS, BENCH_SEED.) Builds or
reuses bench/corpus (bench/gen_corpus.py), then times, best of --runs:

  - `bulletin run -q` over all of it, the simplified part alone and the
    traditional part alone (with `-j 1`, and also `-j 2` over all, when the
    usage mentions -j);
  - `cat` over every file and over the simplified part (the I/O floor);
  - SHA-256 (hashlib, OpenSSL) of each simplified file, which every run
    computes for docs.tsv: with `cat`, the floor under the simplified
    part, shown against the CPU time 100 MB/s allows;
  - once each, untimed: the peak RSS over the first quarter, half and all
    of the corpus, with the default settings, a small --dedup-window and
    --no-dedup, to show where memory grows and where it stops;
  - `opencc -c t2s.json` over the traditional part and over all of it: the
    part's files are first concatenated, as UTF-8, into one temporary file
    (not timed), since opencc reads one file at a time.

Time is wall-clock; CPU is user + system; max RSS is the peak resident set
of the command (GNU time's %M; without /usr/bin/time, os.wait4's
ru_maxrss, which also counts this script's own peak). MB is 10^6 bytes; MB/s counts the bytes the
command read (the files on disk; for opencc the UTF-8 concatenation).
Prints a table, the ratios and the performance targets with PASS or MISS;
exits 0 whatever the targets say, and 1 only when a command fails.
Standard library only.
"""
import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_corpus  # noqa: E402

MB = 1000 * 1000
PARTS = ("simplified", "traditional")


class Failed(Exception):
    pass


GNU_TIME = "/usr/bin/time"


def run_timed(argv, errfile):
    """Runs argv; returns (wall seconds, cpu seconds, max RSS bytes, exit code).
    The peak RSS comes from GNU time (%M) when it is installed: a child that
    Python forks inherits Python's own peak in its ru_maxrss, a child of
    GNU time only GNU time's (about 2 MB)."""
    rssfile = errfile + ".rss"
    use_time = os.access(GNU_TIME, os.X_OK)
    if use_time:
        argv = [GNU_TIME, "-q", "-f", "%M", "-o", rssfile] + argv
    with open(errfile, "wb") as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=err)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    rss = ru.ru_maxrss
    if use_time:
        try:
            with open(rssfile) as f:
                rss = int(f.read().split()[-1])
        except (OSError, ValueError, IndexError):
            pass
    return wall, ru.ru_utime + ru.ru_stime, rss * 1024, p.returncode


class Measure:
    """One row of the table: a command over some bytes, run --runs times."""

    def __init__(self, key, part, tool, nbytes, ndocs, make_argv, ok_codes=(0,)):
        self.key, self.part, self.tool = key, part, tool
        self.nbytes, self.ndocs = nbytes, ndocs
        self.make_argv = make_argv  # tmpdir -> argv
        self.ok_codes = ok_codes
        self.wall = self.cpu = None
        self.rss = 0

    def run(self, tmp):
        work = tempfile.mkdtemp(dir=tmp)
        errfile = os.path.join(tmp, "stderr")
        try:
            argv = self.make_argv(work)
            wall, cpu, rss, rc = run_timed(argv, errfile)
            if rc not in self.ok_codes:
                with open(errfile, "rb") as f:
                    tail = f.read()[-2000:].decode("utf-8", "replace")
                raise Failed("%s exited with %d:\n  $ %s\n%s"
                             % (self.tool, rc, " ".join(argv), tail))
            if self.wall is None or wall < self.wall:
                self.wall, self.cpu = wall, cpu
            self.rss = max(self.rss, rss)
            return work
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise

    def mbps(self):
        return self.nbytes / MB / self.wall

    def docps(self):
        return self.ndocs / self.wall


def busy_cores(seconds=1.0):
    """How many cores were busy over the next second (Linux /proc/stat)."""
    def sample():
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        return sum(v), v[3] + (v[4] if len(v) > 4 else 0)
    try:
        t0, i0 = sample()
        time.sleep(seconds)
        t1, i1 = sample()
    except (OSError, ValueError):
        return None
    if t1 == t0:
        return None
    return (os.cpu_count() or 1) * (1 - (i1 - i0) / (t1 - t0))


def usage_text(binary):
    """What `bulletin --help` and `bulletin run --help` print."""
    text = ""
    for argv in ([binary, "--help"], [binary, "run", "--help"]):
        r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        text += r.stdout.decode("utf-8", "replace")
    return text


TIMES_RE = re.compile(r"^bulletin: CPU seconds: (.*)$", re.M)


def stage_times(argv, errfile):
    """Runs argv (a `bulletin run --times`) once; returns [(name, cpu s)]
    from its last line, "other" and "total" included, or None."""
    _, _, _, rc = run_timed(argv, errfile)
    with open(errfile, encoding="utf-8", errors="replace") as f:
        found = TIMES_RE.findall(f.read())
    if rc not in (0, 1) or not found:
        return None
    out = []
    for item in found[-1].split(","):
        name, _, value = item.strip().rpartition(" ")
        out.append((name, float(value)))
    return out


MEMORY_WINDOW = 2000  # originals kept in the memory runs' second column


def memory_by_size(binary, corpus, rows, tmp, has_window):
    """Streaming, shown: the peak RSS of `bulletin run -q -j 1` over the first
    quarter, half and all of the corpus's directories (one run each, untimed),
    with the default settings, with --dedup-window MEMORY_WINDOW, and with
    --no-dedup. rows: the manifest's, for the files and bytes of each.
    Returns [(ndirs, nfiles, nbytes, {config: rss bytes})]."""
    dirs = sorted({os.path.dirname(r[0]) for r in rows},
                  key=lambda d: (PARTS.index(d.split("/")[0]), d))
    configs = [("default", [])]
    if has_window:
        configs.append(("window", ["--dedup-window", str(MEMORY_WINDOW)]))
    configs.append(("no-dedup", ["--no-dedup"]))
    out = []
    for k in sorted({max(1, len(dirs) // 4), max(1, len(dirs) // 2), len(dirs)}):
        some = set(dirs[:k])
        sizes = [int(r[3]) for r in rows if os.path.dirname(r[0]) in some]
        row = {}
        for name, extra in configs:
            work = tempfile.mkdtemp(dir=tmp)
            argv = ([binary, "run", "-q", "-j", "1", "-o", work] + extra +
                    [os.path.join(corpus, d) for d in dirs[:k]])
            _, _, rss, rc = run_timed(argv, os.path.join(tmp, "stderr"))
            shutil.rmtree(work, ignore_errors=True)
            if rc not in (0, 1):
                raise Failed("%s exited with %d" % (" ".join(argv), rc))
            row[name] = rss
        out.append((k, len(sizes), sum(sizes), row))
    return out


def tsv_counts(path, column):
    counts = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        header = f.readline().rstrip("\n").split("\t")
        if column not in header:
            return counts
        i = header.index(column)
        for line in f:
            cells = line.rstrip("\n").split("\t")
            v = cells[i] if i < len(cells) else ""
            counts[v] = counts.get(v, 0) + 1
    return counts


def concat_utf8(corpus, rows, dest):
    """The files of rows, decoded to UTF-8 where they are GB18030, into dest."""
    size = 0
    with open(dest, "wb") as out:
        for path, _, enc, _, _ in rows:
            with open(os.path.join(corpus, path), "rb") as f:
                data = f.read()
            if enc != "utf-8":
                data = data.decode(enc).encode("utf-8")
            if data and not data.endswith(b"\n"):
                data += b"\n"
            out.write(data)
            size += len(data)
    return size


def sha256_seconds(corpus, rows, runs):
    """The CPU seconds SHA-256 takes over the files of rows: every run must
    hash each document (docs.tsv's sha256), and hashlib calls the same
    OpenSSL as bulletin. Each file is read once and hashed runs times; its
    best time counts. Only the hashing is timed, a file at a time, so this
    script never holds the part in memory."""
    spent = 0.0
    for r in rows:
        with open(os.path.join(corpus, r[0]), "rb") as f:
            data = f.read()
        best = None
        for _ in range(runs):
            t0 = time.process_time()
            hashlib.sha256(data).digest()
            t = time.process_time() - t0
            best = t if best is None else min(best, t)
        spent += best
    return spent


def fmt_mb(n):
    return "%.1f" % (n / MB)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    env = os.environ.get
    ap.add_argument("--mb", type=int, default=int(env("BENCH_MB") or 200))
    ap.add_argument("--runs", type=int, default=int(env("BENCH_RUNS") or 3))
    ap.add_argument("--seed", type=int, default=int(env("BENCH_SEED") or 1))
    ap.add_argument("--bin", default="./bulletin")
    ap.add_argument("--src", default="corpus")
    ap.add_argument("--corpus", default="bench/corpus")
    a = ap.parse_args()
    if a.runs < 1 or a.mb < 1:
        sys.exit("bench: --runs and --mb must be at least 1")
    for tool in ("opencc", "find", "xargs", "cat"):
        if shutil.which(tool) is None:
            sys.exit("bench: %s is not installed (make deps)" % tool)

    st = gen_corpus.ensure(a.mb, a.seed, a.src, a.corpus)
    with open(os.path.join(a.corpus, "manifest.tsv"), encoding="utf-8") as f:
        rows = [ln.rstrip("\n").split("\t") for ln in f][1:]
    part_rows = {p: [r for r in rows if r[1] == p] for p in PARTS}
    nbytes = {p: sum(int(r[3]) for r in part_rows[p]) for p in PARTS}
    ndocs = {p: len(part_rows[p]) for p in PARTS}
    nbytes["all"], ndocs["all"] = sum(nbytes.values()), len(rows)
    dirs = {p: [os.path.join(a.corpus, p)] for p in PARTS}
    dirs["all"] = dirs["simplified"] + dirs["traditional"]
    ngb = sum(1 for r in rows if r[2] == "gb18030")

    tmp = tempfile.mkdtemp(prefix="bulletin-bench.")
    try:
        # A private copy: a concurrent `make asan` or rebuild cannot swap the
        # binary in the middle of the measurements.
        binary = os.path.join(tmp, "bulletin")
        shutil.copy2(a.bin, binary)
        with open(binary, "rb") as f:
            asan = b"__asan_init" in f.read()
        usage = usage_text(binary)
        has_j = re.search(r"(?<![\w-])-j\b|--jobs\b", usage) is not None
        j1 = ["-j", "1"] if has_j else []

        def pipeline(part, extra):
            return lambda work: [binary, "run", "-q", "-o", work] + extra + dirs[part]

        cat_cmd = 'find "$@" -type f -print0 | xargs -0 cat > /dev/null'
        # Warm the page cache, untimed, and make the opencc inputs.
        subprocess.run(["sh", "-c", cat_cmd, "sh"] + dirs["all"], check=True)
        utf8 = {"traditional": os.path.join(tmp, "traditional.txt"),
                "all": os.path.join(tmp, "all.txt")}
        usize = {"traditional": concat_utf8(a.corpus, part_rows["traditional"], utf8["traditional"]),
                 "all": concat_utf8(a.corpus, rows, utf8["all"])}

        def opencc(part):
            return lambda work: ["opencc", "-c", "t2s.json", "-i", utf8[part], "-o", os.devnull]

        def cat(part):
            return lambda work: ["sh", "-c", cat_cmd, "sh"] + dirs[part]

        jtag = " -j 1" if has_j else ""
        ms = [
            Measure("cat-all", "all", "cat", nbytes["all"], ndocs["all"], cat("all")),
            Measure("cat-simp", "simplified", "cat", nbytes["simplified"], ndocs["simplified"],
                    cat("simplified")),
            Measure("run-all", "all", "bulletin run" + jtag, nbytes["all"], ndocs["all"],
                    pipeline("all", j1), (0, 1)),
            Measure("run-simp", "simplified", "bulletin run" + jtag, nbytes["simplified"],
                    ndocs["simplified"], pipeline("simplified", j1), (0, 1)),
            Measure("run-trad", "traditional", "bulletin run" + jtag, nbytes["traditional"],
                    ndocs["traditional"], pipeline("traditional", j1), (0, 1)),
        ]
        if has_j:
            ms.append(Measure("run-all-j2", "all", "bulletin run -j 2", nbytes["all"],
                              ndocs["all"], pipeline("all", ["-j", "2"]), (0, 1)))
        ms += [
            Measure("opencc-trad", "traditional", "opencc t2s", usize["traditional"],
                    ndocs["traditional"], opencc("traditional")),
            Measure("opencc-all", "all", "opencc t2s", usize["all"], ndocs["all"], opencc("all")),
        ]
        m = {x.key: x for x in ms}

        print("bench: %s, %d files, %s MB (simplified %d files %s MB, traditional %d files "
              "%s MB; %d GB18030), seed %d%s"
              % (a.corpus, len(rows), fmt_mb(nbytes["all"]), ndocs["simplified"],
                 fmt_mb(nbytes["simplified"]), ndocs["traditional"], fmt_mb(nbytes["traditional"]),
                 ngb, a.seed, ", generated in %.0f s" % st["seconds"] if st["generated"] else ""),
              flush=True)
        print("bench: %s (copied from %s), best of %d run%s each%s; max RSS from %s"
              % (binary, a.bin, a.runs, "" if a.runs == 1 else "s",
                 "" if has_j else "; -j not available",
                 GNU_TIME if os.access(GNU_TIME, os.X_OK)
                 else "os.wait4 (an upper bound: install `time`)"), flush=True)
        busy = busy_cores()
        if busy is not None:
            print("bench: %.1f of %d cores busy with other work just before the runs%s"
                  % (busy, os.cpu_count() or 1,
                     "; wall times suffer: compare the cpu s column" if busy >= 0.3 else ""),
                  flush=True)
        if asan:
            print("bench: warning: %s is an AddressSanitizer build; its figures are not "
                  "representative (run `make build`)" % a.bin, flush=True)

        statuses = encodings = None
        times = None
        if "--times" in usage:
            # One more run of the simplified part, apart from the timed
            # ones (reading the thread clocks costs a little): where its
            # CPU time goes, stage by stage.
            work = tempfile.mkdtemp(dir=tmp)
            times = stage_times(pipeline("simplified", j1 + ["--times"])(work),
                                os.path.join(tmp, "stderr"))
            shutil.rmtree(work, ignore_errors=True)
        print("bench: memory as the corpus grows ...", file=sys.stderr, flush=True)
        memory = memory_by_size(binary, a.corpus, rows, tmp, "--dedup-window" in usage)
        for i in range(a.runs):
            print("bench: round %d/%d ..." % (i + 1, a.runs), file=sys.stderr, flush=True)
            for x in ms:
                work = x.run(tmp)
                if x.key == "run-all" and statuses is None:
                    docs = os.path.join(work, "docs.tsv")
                    statuses = tsv_counts(docs, "status")
                    encodings = tsv_counts(docs, "encoding")
                shutil.rmtree(work, ignore_errors=True)
        hash_cpu = sha256_seconds(a.corpus, part_rows["simplified"], a.runs)
    except Failed as e:
        print("bench: %s" % e, file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print()
    hdr = "%-12s %-18s %8s %7s %8s %8s %8s %8s %8s" % (
        "part", "command", "MB", "files", "wall s", "cpu s", "MB/s", "docs/s", "max RSS")
    print(hdr)
    print("-" * len(hdr))
    for x in ms:
        print("%-12s %-18s %8s %7d %8.2f %8.2f %8.1f %8.0f %5.0f MB"
              % (x.part, x.tool, fmt_mb(x.nbytes), x.ndocs, x.wall, x.cpu, x.mbps(),
                 x.docps(), x.rss / MB))
    if statuses:
        print("\nbulletin over all: status %s; encoding %s"
              % (", ".join("%s %d" % kv for kv in sorted(statuses.items())),
                 ", ".join("%s %d" % kv for kv in sorted(encodings.items()))))

    rs = m["run-simp"]
    budget = rs.nbytes / MB / 100  # the CPU seconds 100 MB/s allows the part
    if times:
        total = dict(times).get("total", 0.0)
        print("\nwhere the CPU time goes, simplified part%s (one run with --times)" % jtag)
        print("  %-10s %8s %7s %12s" % ("stage", "cpu s", "share", "MB/s alone"))
        for name, t in times:
            alone = "%12.1f" % (rs.nbytes / MB / t) if t > 0 and name != "other" else ""
            print("  %-10s %8.3f %6.1f%% %s" % (name, t, 100 * t / max(total, 1e-9), alone))
        print("  (MB/s alone: the simplified part's bytes over that stage's time; at 100 MB/s"
              "\n  the whole run would take %.2f cpu s)" % budget)

    # What no run can go below: reading every file and hashing it. What is
    # left of the 100 MB/s budget is what the stages may take.
    cs = m["cat-simp"]
    floor = cs.cpu + hash_cpu
    print("\nthe floor under the simplified part (cpu s; what every run must do)")
    print("  read every file (cat)            %8.2f" % cs.cpu)
    print("  SHA-256 of every file (OpenSSL)  %8.2f" % hash_cpu)
    print("  floor                            %8.2f   %.0f%% of the %.2f s that 100 MB/s allows"
          % (floor, 100 * floor / budget, budget))
    print("  bulletin -j 1 above the floor    %8.2f   against %.2f s left in that budget"
          % (rs.cpu - floor, budget - floor))

    print("\npeak RSS as the corpus grows (-j 1, one run each): the pipeline holds a"
          "\nfew documents at a time; what grows is the index of originals that"
          "\nduplicates are looked for in, until it holds its window of originals")
    names = [n for n in ("default", "window", "no-dedup") if n in memory[0][3]]
    heads = {"default": "default", "window": "--dedup-window %d" % MEMORY_WINDOW,
             "no-dedup": "--no-dedup"}
    print("  %5s %7s %8s  %s" % ("dirs", "files", "MB", "  ".join("%20s" % heads[n] for n in names)))
    for k, nfiles, nb, row in memory:
        print("  %5d %7d %8s  %s" % (k, nfiles, fmt_mb(nb),
                                      "  ".join("%17.0f MB" % (row[n] / MB) for n in names)))

    ra, rt = m["run-all"], m["run-trad"]
    ot, oa, ca = m["opencc-trad"], m["opencc-all"], m["cat-all"]
    print("\nratios (wall time over the same documents)")
    print("  cat / bulletin, all            %8.3f   (bulletin at %.1f%% of the I/O floor)"
          % (ca.wall / ra.wall, 100 * ca.wall / ra.wall))
    print("  opencc / bulletin, traditional %8.2f   (> 1: bulletin faster than opencc alone)"
          % (ot.wall / rt.wall))
    print("  opencc / bulletin, all         %8.2f" % (oa.wall / ra.wall))
    if has_j:
        print("  -j 2 speed-up, all             %8.2f" % (ra.wall / m["run-all-j2"].wall))

    def verdict(ok):
        return "PASS" if ok else "MISS"

    peak = max(x.rss for x in ms if x.key.startswith("run-"))
    targets = [
        ("simplified part >= 100 MB/s per core",
         "%.1f MB/s (%.1f/cpu-s)" % (rs.mbps(), rs.nbytes / MB / max(rs.cpu, 1e-9)),
         verdict(rs.mbps() >= 100)),
        ("traditional part >= opencc t2s alone", "%.1f s vs %.1f s" % (rt.wall, ot.wall),
         verdict(rt.wall <= ot.wall)),
        ("-j 2 >= 1.7x -j 1",
         "%.2fx" % (ra.wall / m["run-all-j2"].wall) if has_j else "-j not available",
         verdict(ra.wall / m["run-all-j2"].wall >= 1.7) if has_j else "-"),
        ("peak RSS <= 200 MB%s" % ("" if a.mb >= 200 else " (meant for 200 MB)"),
         "%.0f MB" % (peak / MB), verdict(peak <= 200 * MB)),
    ]
    print("\ntargets")
    for name, val, res in targets:
        print("  %-40s %-26s %s" % (name, val, res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
