#!/usr/bin/env bash
# tests/tsan.sh BIN: the -j paths under ThreadSanitizer. BIN is ./bulletin
# built with -fsanitize=thread (`make tsan`); ./bulletin is the plain build.
# Over a small synthetic corpus (bench/gen_corpus.py, 4 MB), runs with
# several threads and duplicate windows, and with --state, must write the
# tables of a plain -j 1 run, and ThreadSanitizer must report nothing.
# Ends with "N passed, N failed".
set -u
export LC_ALL=C
BIN=$1
T=$(mktemp -d /tmp/bulletin-tsan.XXXXXX)
trap 'rm -rf "$T"' EXIT
# a report ends the run at once with exit code 66
export TSAN_OPTIONS="halt_on_error=1 exitcode=66"
passed=0 failed=0
ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

python3 bench/gen_corpus.py --mb 4 --seed 3 --src corpus --out "$T/corpus" >/dev/null 2>&1 ||
	{ echo "tsan: cannot make the corpus"; echo "0 passed, 1 failed"; exit 1; }
C="$T/corpus/simplified $T/corpus/traditional"

# same: the TSan build with ARGS... and ./bulletin -j 1 with the same
# window give the same tables, and the TSan build reports nothing
same() {
	local name=$1 window=$2
	shift 2
	# shellcheck disable=SC2086
	"$BIN" run -q --dedup-window "$window" -o "$T/$name" "$@" $C 2>"$T/$name.err"
	local rc=$?
	# shellcheck disable=SC2086
	./bulletin run -q -j 1 --dedup-window "$window" -o "$T/$name.ref" $C 2>/dev/null
	if [ "$rc" -le 1 ] && ! grep -q ThreadSanitizer "$T/$name.err" &&
	   cmp -s "$T/$name/docs.tsv" "$T/$name.ref/docs.tsv" &&
	   cmp -s "$T/$name/facts.tsv" "$T/$name.ref/facts.tsv"; then ok
	else fail "$name (rc $rc)"; head -40 "$T/$name.err"; fi
}
same j2 100000 -j 2
same j4-window3 3 -j 4
same j3-window50 50 -j 3

# --state: a first run, then a second over more inputs, both with threads
S="$T/state"
mkdir -p "$S"
"$BIN" run -q -j 3 --dedup-window 40 --state "$S/s.db" -o "$S/out" "$T/corpus/simplified" 2>"$S/1.err"
rc1=$?
"$BIN" run -q -j 3 --dedup-window 40 --state "$S/s.db" -o "$S/out" $C 2>"$S/2.err"
rc2=$?
if [ "$rc1" -le 1 ] && [ "$rc2" -le 1 ] && ! grep -q ThreadSanitizer "$S/1.err" "$S/2.err"; then ok
else fail "--state runs (rc $rc1, $rc2)"; head -40 "$S/1.err" "$S/2.err"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
