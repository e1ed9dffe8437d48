# Pathological inputs (cmark's pathological tests): each is handled with
# bounded memory and time. `timeout` is only a hang guard; the RSS bounds
# are generous multiples of what the inputs need (docs/faults.md lists the
# figures measured). Under ASan (BUILD=obj-asan) memory bounds are 4x and
# the many-files case uses 20,000 files instead of 100,000.
P="$T/patho"; mkdir -p "$P"
scale=1 nfiles=100000
case "$BUILD" in *asan*) scale=4 nfiles=20000 ;; esac
# M is called with its stderr sent to a file (the command's): its own
# failures go to the group's stderr, fd 3.
exec 3>&2
M() { # M NAME MAX_RSS_MB TIMEOUT CMD...: runs CMD; sets rc, rss (KB), secs
	local name=$1 mb=$2 secs=$3; shift 3
	python3 tests/pathological/measure.py "$P/m.out" timeout -k 5 "$secs" "$@"
	read -r rc rss secs <"$P/m.out"
	if [ "$rss" -gt $((mb * scale * 1024)) ]; then
		fail "$name: peak RSS $((rss / 1024)) MB over $((mb * scale)) MB" 2>&3
	else ok; fi
	[ "$rc" -ne 124 ] && [ "$rc" -ne 137 ] || fail "$name: no result within the hang guard (exit $rc)" 2>&3
	echo "   $name: exit $rc, $((rss / 1024)) MB, ${secs}s"
}
status_of() { awk -F'\t' -v id="$2" 'NR > 1 && $1 == id { print $10 }' "$1/docs.tsv"; }
# whole rows only: every line of docs.tsv and facts.tsv has its header's field count
whole_rows() {
	local f n
	for f in "$1/docs.tsv" "$1/facts.tsv"; do
		[ -s "$f" ] || return 1
		n=$(head -n 1 "$f" | awk -F'\t' '{ print NF }')
		awk -F'\t' -v n="$n" 'NF != n { bad++ } END { exit bad > 0 }' "$f" || return 1
		[ "$(tail -c 1 "$f" | od -An -c | tr -d ' ')" = '\n' ] || return 1
	done
}

# 1. A 100 MB line: over --max-doc-bytes (16M), reported and skipped without
# being read (a file) or after at most twice the limit (stdin).
head -c 104857600 /dev/zero | tr '\0' 'x' >"$P/line-100mb.txt"
# One document each, so -j 1: the bounds are the document's, not those of
# a pipeline per core (each thread has its own rules and OpenCC).
M "100 MB line, file" 64 60 $BIN run -q -j 1 -o "$P/o1" "$P/line-100mb.txt" 2>"$P/e1"
[ "$rc" -eq 1 ] && [ "$(status_of "$P/o1" "$P/line-100mb.txt")" = error:too-large ] &&
	grep -q 'over the 16777216-byte limit' "$P/e1" && ok || fail "100 MB line: error:too-large (exit $rc)"
M "100 MB line, stdin" 96 60 $BIN run -q -j 1 -o "$P/o2" - <"$P/line-100mb.txt" 2>"$P/e2"
[ "$rc" -eq 1 ] && [ "$(status_of "$P/o2" -)" = error:too-large ] && ok ||
	fail "100 MB line on stdin: error:too-large (exit $rc)"
rm -f "$P/line-100mb.txt"

# 2. A 1 GB file (sparse): hashed in 64 KB chunks, never loaded.
truncate -s 1G "$P/sparse-1gb.txt"
M "1 GB sparse file" 64 120 $BIN run -q -j 1 -o "$P/o3" "$P/sparse-1gb.txt" 2>/dev/null
want=$(head -c 1073741824 /dev/zero | sha256sum | cut -d' ' -f1)
[ "$rc" -eq 1 ] && [ "$(status_of "$P/o3" "$P/sparse-1gb.txt")" = error:too-large ] &&
	grep -q "	$want	" "$P/o3/docs.tsv" && ok || fail "1 GB file: error:too-large with its sha256 (exit $rc)"
rm -f "$P/sparse-1gb.txt"

# 3. Bracket and digit runs, facts without clause marks, deep HTML: 1 MB
# each, one document per run so each is measured alone.
bash tests/pathological/gen.sh "$P/gen"
for f in "$P"/gen/*; do
	b=$(basename "$f")
	M "$b" 300 120 $BIN run -q -j 1 -o "$P/o-$b" "$f" 2>"$P/e-$b"
	if [ "$rc" -eq 0 ] && [ "$(status_of "$P/o-$b" "$f")" = ok ] && whole_rows "$P/o-$b"; then ok
	else fail "$b: status ok and whole rows (exit $rc)"; head -n 3 "$P/e-$b" >&2; fi
done
# the deep HTML still gives its facts (42 found, 30 completed)
grep -q '	issues_found	42	' "$P/o-deep.html/facts.tsv" && ok || fail "deep.html: its facts"
rm -rf "$P/gen" "$P"/o-*

# 4. Many tiny files: one row each, memory flat.
python3 - "$P/many" "$nfiles" <<'PY'
import os, sys
d, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    sub = os.path.join(d, '%03d' % (i // 1000))
    if i % 1000 == 0:
        os.makedirs(sub)
    with open(os.path.join(sub, '%06d.txt' % i), 'w') as f:
        f.write('环保督察整改第%d号\n督察组交办问题%d个,已完成整改%d个。\n' % (i, i % 97 + 1, i % 89))
PY
M "$nfiles tiny files" 200 600 $BIN run -q -o "$P/o4" "$P/many" 2>"$P/e4"
rows=$(($(wc -l <"$P/o4/docs.tsv") - 1))
[ "$rc" -eq 0 ] && [ "$rows" -eq "$nfiles" ] && whole_rows "$P/o4" && ok ||
	fail "$nfiles tiny files: $rows rows (exit $rc)"
rm -rf "$P/many" "$P/o4"
exec 3>&-
