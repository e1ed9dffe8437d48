# -j N: the stages run on N threads, and the tables, the clean texts and
# the messages are byte-identical to -j 1, whatever N. The corpus mixes what
# could come out of order: many more documents than the jobs in flight (a
# ring of 16 per thread), duplicates whose dup_of depends on input order,
# bad inputs that fail in the reader or in a stage, HTML, a tar.gz and
# JSON Lines, encodings that take ICU's detector.
J="$T/threads"
mkdir -p "$J/in/many" "$J/in/bad" "$J/in/pages"
python3 tests/dedup/corpus.py 400 "$J/in/many" 11
cp corpus/*.txt tests/html/*.html "$J/in/pages/"
for f in corpus/00[0-2]*.txt; do
	b=$(basename "$f" .txt)
	cp "$f" "$J/in/pages/$b.copy.txt"
	iconv -f UTF-8 -t GB18030 "$f" >"$J/in/pages/$b.gb18030.txt"
done
: >"$J/in/bad/empty.txt"
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR' >"$J/in/bad/image.png"
{ head -c 3000 corpus/002_de5b57e354c9966c.txt; printf '\xff\xfe\xc3'; tail -c 3000 corpus/002_de5b57e354c9966c.txt; } >"$J/in/bad/invalid.txt"
tar -czf "$J/in/bundle.tar.gz" -C corpus .
python3 tests/inputs/wrap.py jsonl tests/e2e/seeds/expected.docs.tsv "$J/in/seeds.jsonl" corpus/*.txt
printf '{bad json\n' >>"$J/in/seeds.jsonl"
ndocs_in=$(find "$J/in" -type f | wc -l)

for j in 1 2 3 8; do
	$BIN run -j $j -o "$J/out$j" --clean-dir "$J/out$j/clean" "$J/in" >"$J/log$j" 2>&1
	echo "rc=$?" >>"$J/log$j"
done
rows=$(($(wc -l <"$J/out1/docs.tsv") - 1))
if [ "$rows" -ge "$ndocs_in" ] && [ "$(awk -F'\t' '$10 == "duplicate"' "$J/out1/docs.tsv" | wc -l)" -ge 10 ]; then ok
else fail "threads corpus: $rows rows for $ndocs_in inputs, want every input and some duplicates"; fi
for j in 2 3 8; do
	if diff -r "$J/out1" "$J/out$j" >&2; then ok; else fail "-j $j: tables or clean texts differ from -j 1"; fi
	if diff "$J/log1" "$J/log$j" >&2; then ok; else fail "-j $j: messages or exit code differ from -j 1"; fi
done

# Incremental runs with threads give the tables of one run without them.
mkdir -p "$J/inc/in"
ls "$J/in/many" | head -200 | while read -r f; do cp "$J/in/many/$f" "$J/inc/in/"; done
$BIN run -q -j 3 --state "$J/inc/state.db" -o "$J/inc/out" "$J/inc/in"
cp "$J/in/many"/* "$J/inc/in/"
$BIN run -q -j 3 --state "$J/inc/state.db" -o "$J/inc/out" "$J/inc/in"
$BIN run -q -j 1 -o "$J/inc/once" "$J/inc/in"
if cmp -s "$J/inc/out/docs.tsv" "$J/inc/once/docs.tsv" && cmp -s "$J/inc/out/facts.tsv" "$J/inc/once/facts.tsv"; then ok
else fail "two incremental runs with -j 3 differ from one run with -j 1"; fi

# A signal with documents in flight: every row written is whole, and the
# documents are a prefix of the inputs in order.
$BIN run -q -j 1 -o "$J/many1" "$J/in/many"
$BIN run -q -j 2 -o "$J/sig" "$J/in/many" 2>/dev/null &
pid=$!
sleep 0.3
kill -TERM $pid 2>/dev/null
wait $pid
rc=$?
check "-j 2: SIGTERM leaves whole rows, a prefix of the input order (exit $rc)" python3 - "$J/sig" "$J/many1" "$rc" <<'PY'
import sys
sig, full, rc = sys.argv[1], sys.argv[2], int(sys.argv[3])
assert rc in (0, 130), f"exit {rc}"
got = open(f'{sig}/docs.tsv').read().split('\n')
want = open(f'{full}/docs.tsv').read().split('\n')[1:-1]
assert got[-1] == '', 'docs.tsv does not end with a newline'
got = got[1:-1]
assert got == want[:len(got)], 'rows are not a prefix of the full run'
print(len(got), 'of', len(want), 'rows')
facts = open(f'{sig}/facts.tsv').read().split('\n')[1:-1]
ids = {r.split('\t')[0] for r in got}
assert all(f.split('\t')[0] in ids for f in facts), 'a fact without its document'
PY

for bad in 0 -1 x 2x 100000; do
	$BIN run -j "$bad" -o "$J/bad" corpus >/dev/null 2>&1; rc=$?
	if [ "$rc" -eq 2 ]; then ok; else fail "-j $bad exits 2 (got $rc)"; fi
done
