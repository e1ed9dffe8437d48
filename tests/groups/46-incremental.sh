# Incremental runs with --state: only new documents are processed, reposts
# of earlier notices are recognised, rows are appended, a run that finds
# nothing new changes nothing; kill -9 at any point loses and duplicates
# nothing once the next run completes; a second run on a held state exits
# 75; a full disk exits 3 and leaves the previous outputs as they were.
I="$T/inc"
mkdir -p "$I/in"
for f in corpus/000_2d10e2a55480fa27.txt corpus/001_b39548e9f476d412.txt corpus/002_de5b57e354c9966c.txt; do
	cp "$f" "$I/in/"
done
$BIN run -q --state "$I/state.db" -o "$I/out" "$I/in" >"$I/run1.log" 2>&1
rc=$?
if [ "$rc" -eq 0 ] && [ ! -s "$I/run1.log" ]; then ok
else fail "first --state run exits 0 and --quiet prints nothing (got $rc)"; cat "$I/run1.log" >&2; fi
cp "$I/out/docs.tsv" "$I/docs.1"
cp "$I/out/facts.tsv" "$I/facts.1"

# Two more: a new notice and a repost (another site's furniture) of 001.
cp corpus/003_82f6416a0e1e9106.txt "$I/in/"
title=$(awk -F'\t' '$1 == "001_b39548e9f476d412.txt" { print $5 }' tests/e2e/seeds/expected.docs.tsv)
python3 tests/dedup/reposts.py corpus/001_b39548e9f476d412.txt "$T" "$title"
cp "$T/001_b39548e9f476d412.furniture.txt" "$I/in/zz-repost.txt"
$BIN run --state "$I/state.db" -o "$I/out" "$I/in" >"$I/run2.log" 2>&1
rc=$?
if [ "$rc" -eq 0 ]; then ok; else fail "second --state run exits 0 (got $rc)"; cat "$I/run2.log" >&2; fi
new=$(($(wc -l <"$I/out/docs.tsv") - $(wc -l <"$I/docs.1")))
if [ "$new" -eq 2 ]; then ok; else fail "second run adds exactly 2 docs.tsv rows (added $new)"; fi
if [ "$(tail -n 2 "$I/out/docs.tsv" | cut -f1,10,11 | tr '\t\n' '|;')" = \
     "003_82f6416a0e1e9106.txt|ok|;zz-repost.txt|duplicate|001_b39548e9f476d412.txt;" ]; then ok
else fail "the new rows: 003 ok, the repost a duplicate of 001 from the earlier run"; tail -n 2 "$I/out/docs.tsv" | cut -f1,10,11 >&2; fi
if cmp -s "$I/docs.1" <(head -n "$(wc -l <"$I/docs.1")" "$I/out/docs.tsv") &&
   cmp -s "$I/facts.1" <(head -n "$(wc -l <"$I/facts.1")" "$I/out/facts.tsv"); then ok
else fail "the earlier rows are kept byte for byte (rows are appended)"; fi
if grep -q '^zz-repost.txt	.*	001_b39548e9f476d412.txt$' "$I/out/facts.tsv"; then ok
else fail "the repost's facts are appended, marked with dup_of"; fi
if grep -q '2 new documents, .* 1 duplicates, 0 errors; 3 already recorded' "$I/run2.log"; then ok
else fail "summary line of an incremental run"; cat "$I/run2.log" >&2; fi
cp "$I/out/docs.tsv" "$I/docs.2"
cp "$I/out/facts.tsv" "$I/facts.2"
runs=$(sqlite3 "$I/state.db" 'SELECT count(*) FROM runs')
$BIN run -q --state "$I/state.db" -o "$I/out" "$I/in" >"$I/run3.log" 2>&1
rc=$?
if [ "$rc" -eq 0 ] && cmp -s "$I/docs.2" "$I/out/docs.tsv" && cmp -s "$I/facts.2" "$I/out/facts.tsv" &&
   [ ! -s "$I/run3.log" ] && [ "$(sqlite3 "$I/state.db" 'SELECT count(*) FROM runs')" = "$runs" ]; then ok
else fail "a third run over the same inputs changes nothing (exit $rc)"; fi
# The same five in one run on a fresh state give the same tables.
$BIN run -q --state "$I/fresh.db" -o "$I/fresh" "$I/in" 2>/dev/null
if cmp -s "$I/fresh/docs.tsv" "$I/out/docs.tsv" && cmp -s "$I/fresh/facts.tsv" "$I/out/facts.tsv"; then ok
else fail "two runs give the tables one run gives"; fi

# A changed file keeps its recorded rows; an input that cannot be read is
# not recorded and is processed once it appears.
printf '\n补充说明。\n' >>"$I/in/003_82f6416a0e1e9106.txt"
$BIN run --state "$I/state.db" -o "$I/out" "$I/in" "$I/late.txt" >"$I/run4.log" 2>&1
rc=$?
if [ "$rc" -eq 1 ] && cmp -s "$I/docs.2" "$I/out/docs.tsv" &&
   grep -q '003_82f6416a0e1e9106.txt: changed since it was recorded' "$I/run4.log" &&
   grep -q 'late.txt.*tried again next run' "$I/run4.log"; then ok
else fail "a changed file is reported and kept; a missing one is not recorded (exit $rc)"; cat "$I/run4.log" >&2; fi
cp corpus/004_d84178776e794d49.txt "$I/late.txt"
$BIN run -q --state "$I/state.db" -o "$I/out" "$I/in" "$I/late.txt" 2>/dev/null
if [ "$(tail -n 1 "$I/out/docs.tsv" | cut -f1,10)" = "$I/late.txt	ok" ] &&
   [ "$(wc -l <"$I/out/docs.tsv")" -eq 7 ]; then ok
else fail "the input missing last time is processed now"; fi
# A failure that depends on the bytes alone (here: too large) is recorded
# like any document: one row, and not reported again by the next run.
mkdir -p "$I/big"
cp corpus/001_b39548e9f476d412.txt "$I/big/"
$BIN run -q --max-doc-bytes 1K --state "$I/big.db" -o "$I/big-out" "$I/big" 2>/dev/null; rc1=$?
$BIN run -q --max-doc-bytes 1K --state "$I/big.db" -o "$I/big-out" "$I/big" 2>"$I/big.log"; rc2=$?
if [ "$rc1" -eq 1 ] && [ "$rc2" -eq 0 ] && [ ! -s "$I/big.log" ] &&
   [ "$(cut -f10 "$I/big-out/docs.tsv" | tail -n +2)" = error:too-large ]; then ok
else fail "a too-large input is recorded once (exits $rc1 then $rc2)"; cat "$I/big.log" >&2; fi
$BIN run --state "$I/state.db" --only dedup "$I/in" >/dev/null 2>&1; rc=$?
if [ "$rc" -eq 2 ]; then ok; else fail "--state with --only is a usage error (got $rc)"; fi

# ---- kill -9 ------------------------------------------------------------
# A few hundred notices; the reference is one uninterrupted run.
K="$T/kill"
python3 tests/dedup/corpus.py 300 "$K/in" 7
$BIN run -q --state "$K/ref.db" -o "$K/ref" "$K/in" 2>/dev/null
parses() { # the tables in $1 have a header and whole rows of the right width
	python3 - "$1" <<'PY'
import sys
for name, width in (('docs.tsv', 27), ('facts.tsv', 11)):
    try:
        data = open(f'{sys.argv[1]}/{name}', 'rb').read()
    except FileNotFoundError:
        continue  # killed before the first table was published: none yet
    if not data.endswith(b'\n'):
        sys.exit(f'{name}: last row is cut short')
    rows = data.decode('utf-8').split('\n')[:-1]
    if not rows[0].startswith('doc_id\t'):
        sys.exit(f'{name}: no header')
    for r in rows:
        if len(r.split('\t')) != width:
            sys.exit(f'{name}: a row of {len(r.split(chr(9)))} fields: {r[:60]}')
PY
}
same_as_ref() { cmp -s "$K/ref/docs.tsv" "$1/docs.tsv" && cmp -s "$K/ref/facts.tsv" "$1/facts.tsv"; }
# Half the corpus first, so the killed runs are incremental ones.
mkdir -p "$K/half"
for f in "$K"/in/00[01]*.txt; do cp "$f" "$K/half/"; done
for point in doc:1 doc:50 doc:99 before-commit after-commit between-renames; do
	s="$K/${point%%:*}${point#*:}"
	rm -rf "$s"; mkdir -p "$s/in"
	$BIN run -q --state "$s/state.db" -o "$s/out" "$K/half" 2>/dev/null
	cp -r "$K/in/." "$s/in/"
	cp "$s/out/docs.tsv" "$s/docs.before"
	# In a shell of its own, whose "Killed" goes to /dev/null.
	bash -c 'BULLETIN_TEST_KILL_AT=$0 "$@"; exit $?' "$point" $BIN run -q --state "$s/state.db" -o "$s/out" "$s/in" 2>/dev/null
	rc=$?
	if [ "$rc" -eq 137 ]; then ok; else fail "kill at $point: the run was killed (exit $rc)"; fi
	if parses "$s/out" >"$s/parse.log" 2>&1; then ok
	else fail "kill at $point: the tables parse"; cat "$s/parse.log" >&2; fi
	case $point in doc:*|before-commit)
		if cmp -s "$s/docs.before" "$s/out/docs.tsv"; then ok
		else fail "kill at $point: the previous docs.tsv is left as it was"; fi ;;
	esac
	$BIN run -q --state "$s/state.db" -o "$s/out" "$s/in" 2>"$s/next.log"
	rc=$?
	if [ "$rc" -eq 0 ] && same_as_ref "$s/out"; then ok
	else fail "kill at $point: the next run completes the work, no row lost or doubled (exit $rc)"; cat "$s/next.log" >&2; fi
done
# Kills at whatever point the clock lands on, first run included.
s="$K/timed"
mkdir -p "$s"
for delay in 0.05 0.15 0.3 0.02 0.1; do
	bash -c '"$@" & pid=$!; sleep "$0"; kill -9 $pid; wait $pid' "$delay" \
		$BIN run -q --state "$s/state.db" -o "$s/out" "$K/in" 2>/dev/null
	if parses "$s/out" >"$s/parse.log" 2>&1; then ok
	else fail "kill -9 after ${delay}s: the tables parse"; cat "$s/parse.log" >&2; fi
done
$BIN run -q --state "$s/state.db" -o "$s/out" "$K/in" 2>/dev/null
if same_as_ref "$s/out"; then ok; else fail "after timed kills the next run gives the reference tables"; fi

# ---- a second run on a held state -------------------------------------
L="$T/lock"
mkdir -p "$L"
{ sleep 3; cat corpus/002_de5b57e354c9966c.txt; } |
	$BIN run -q --state "$L/state.db" -o "$L/out" - 2>"$L/first.log" &
first=$!
for _ in $(seq 50); do # the holder writes its pid once it has the lock
	[ -s "$L/state.db.lock" ] && break
	sleep 0.1
done
timeout 10 $BIN run -q --state "$L/state.db" -o "$L/out2" corpus >"$L/second.log" 2>&1
rc=$?
if [ "$rc" -eq 75 ] && grep -q 'another bulletin run (pid [0-9]*) holds this state' "$L/second.log" &&
   [ ! -e "$L/out2/docs.tsv" ]; then ok
else fail "a second run on a held state exits 75 at once (got $rc)"; cat "$L/second.log" >&2; fi
wait "$first"
rc=$?
if [ "$rc" -eq 0 ] && [ "$(wc -l <"$L/out/docs.tsv")" -eq 2 ]; then ok
else fail "the first run completes (exit $rc)"; cat "$L/first.log" >&2; fi

# ---- a full disk --------------------------------------------------------
# RLIMIT_FSIZE with SIGXFSZ ignored: a write past the limit fails with
# EFBIG, as it would with ENOSPC on a full disk.
F="$T/full"
mkdir -p "$F"
$BIN run -q --state "$F/state.db" -o "$F/out" "$K/half" 2>/dev/null
cp "$F/out/docs.tsv" "$F/docs.before"
cp "$F/out/facts.tsv" "$F/facts.before"
ndocs=$(sqlite3 "$F/state.db" 'SELECT count(*) FROM docs')
lim=$(($(stat -c %s "$K/ref/facts.tsv") / 2048)) # KiB: half the facts table
(trap '' XFSZ; ulimit -f $lim; exec $BIN run -q --state "$F/state.db" -o "$F/out" "$K/in") 2>"$F/full.log"
rc=$?
if [ "$rc" -eq 3 ] && cmp -s "$F/docs.before" "$F/out/docs.tsv" && cmp -s "$F/facts.before" "$F/out/facts.tsv" &&
   [ "$(sqlite3 "$F/state.db" 'SELECT count(*) FROM docs')" = "$ndocs" ] &&
   [ -z "$(ls -A "$F/out" | grep -v '^docs.tsv$' | grep -v '^facts.tsv$')" ] && [ -s "$F/full.log" ]; then ok
else fail "a full disk (--state) exits 3 and leaves outputs and state as they were (exit $rc)"; cat "$F/full.log" >&2; fi
$BIN run -q --state "$F/state.db" -o "$F/out" "$K/in" 2>/dev/null
if same_as_ref "$F/out"; then ok; else fail "after a full disk the next run gives the reference tables"; fi
(trap '' XFSZ; ulimit -f $lim; exec $BIN run -q -o "$F/out" "$K/in") 2>"$F/full2.log"
rc=$?
if [ "$rc" -eq 3 ] && same_as_ref "$F/out" &&
   [ -z "$(ls -A "$F/out" | grep -v '^docs.tsv$' | grep -v '^facts.tsv$')" ]; then ok
else fail "a full disk (no state) exits 3 and leaves the outputs as they were (exit $rc)"; cat "$F/full2.log" >&2; fi
