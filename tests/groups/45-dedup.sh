# Duplicates across documents. Each seed's reposts (byte copy, another
# site's furniture, a dropped paragraph, a changed headline, traditional
# script by opencc, GB18030 by iconv) must be marked duplicates of the seed;
# look-alikes that print other numbers (a progress update, a weekly report
# of the same template) and notices that share only furniture and a template
# sentence must not be.
D="$T/dedup"
mkdir -p "$D/in"
for f in corpus/*.txt; do
	b=$(basename "$f" .txt)
	title=$(awk -F'\t' -v id="$b.txt" '$1 == id { print $5 }' tests/e2e/seeds/expected.docs.tsv)
	cp "$f" "$D/in/$b.0.txt" # sorts first: the original
	cp "$f" "$D/in/$b.copy.txt"
	python3 tests/dedup/reposts.py "$f" "$D/in" "$title"
	opencc -c s2t.json -i "$f" -o "$D/in/$b.traditional.txt"
	iconv -f UTF-8 -t GB18030 "$f" >"$D/in/$b.gb18030.txt"
done
cp tests/dedup/template-a.txt tests/dedup/template-b.txt "$D/in/"
$BIN run -q -o "$D/out" "$D/in" >"$D/log" 2>&1
rc=$?
if [ "$rc" -eq 0 ]; then ok; else fail "dedup run exits 0 (got $rc)"; cat "$D/log" >&2; fi
col() { awk -F'\t' -v id="$1" -v c="$2" '$1 == id { print $c }' "$D/out/docs.tsv"; }
for f in corpus/*.txt; do
	b=$(basename "$f" .txt)
	for v in copy furniture dropped retitled traditional gb18030; do
		st=$(col "$b.$v.txt" 10) of=$(col "$b.$v.txt" 11)
		if [ "$st" = duplicate ] && [ "$of" = "$b.0.txt" ]; then ok
		else fail "$b.$v.txt: status '$st' dup_of '$of', want duplicate of $b.0.txt"; fi
	done
	for v in update weekly; do
		st=$(col "$b.$v.txt" 10) of=$(col "$b.$v.txt" 11)
		if [ "$st" = ok ] && [ -z "$of" ]; then ok
		else fail "$b.$v.txt (other numbers): status '$st' dup_of '$of', want an original"; fi
	done
	if [ "$(col "$b.0.txt" 10)" = ok ]; then ok; else fail "$b.0.txt: the first copy stays ok"; fi
done
for t in template-a.txt template-b.txt; do
	if [ "$(col $t 10)" = ok ] && [ -z "$(col $t 11)" ]; then ok
	else fail "$t shares only furniture and a template sentence: status '$(col $t 10)' dup_of '$(col $t 11)'"; fi
done

# Facts of duplicates are written, each marked with the first copy in the
# last column; an original's facts have it empty. Summing facts whose dup_of
# is empty counts every notice once.
check "duplicates' facts are written and marked with dup_of" python3 - "$D/out" <<'PY'
import csv, sys
rd = lambda n: list(csv.DictReader(open(f'{sys.argv[1]}/{n}'), delimiter='\t', quoting=csv.QUOTE_NONE))
docs = {r['doc_id']: r for r in rd('docs.tsv')}
facts = rd('facts.tsv')
bad = 0
for r in facts:
    if r['dup_of'] != docs[r['doc_id']]['dup_of']:
        print('fact dup_of differs from docs.tsv', r['doc_id'], r['dup_of']); bad += 1
dups_with_facts = {r['doc_id'] for r in facts if r['dup_of']}
if len(dups_with_facts) < 20:
    print('too few duplicates with facts:', len(dups_with_facts)); bad += 1
once = sum(1 for r in facts if not r['dup_of'] and r['doc_id'].endswith('.0.txt'))
seeds = sum(1 for r in facts if r['doc_id'].endswith('.0.txt'))
if once != seeds:
    print('originals lost facts'); bad += 1
sys.exit(bad)
PY

# "First in input order": named the other way round, the repost is first.
$BIN run -q -o "$D/rev" "$D/in/002_de5b57e354c9966c.furniture.txt" "$D/in/002_de5b57e354c9966c.0.txt" 2>/dev/null
if [ "$(awk -F'\t' 'NR == 3 { print $10 "|" $11 }' "$D/rev/docs.tsv")" = "duplicate|$D/in/002_de5b57e354c9966c.furniture.txt" ]; then ok
else fail "dup_of names the first copy in input order"; fi
# --no-dedup: no duplicate search across documents.
$BIN run -q --no-dedup -o "$D/nodedup" "$D/in" 2>/dev/null
if [ "$(cut -f10 "$D/nodedup/docs.tsv" | grep -c '^duplicate$')" -eq 0 ] &&
   [ "$(cut -f11 "$D/nodedup/docs.tsv" | grep -c .)" -eq 1 ]; then ok
else fail "--no-dedup marks no duplicates"; fi

# --dedup-window N: a repost's original is looked for among the last N
# originals only, so that the index's memory is bounded. In input order:
# a seed, the other four seeds (originals), then a copy of the first.
W="$D/window"
mkdir -p "$W/in"
set -- corpus/*.txt
cp "$1" "$W/in/a.txt"
n=0
for f in corpus/*.txt; do
	[ "$f" = "$1" ] && continue
	n=$((n + 1))
	cp "$f" "$W/in/b$n.txt"
done
cp "$1" "$W/in/c.txt"
win() { # win N OUT: the run with --dedup-window N; prints c.txt's status|dup_of
	$BIN run --dedup-window "$1" -o "$W/$2" "$W/in" 2>"$W/$2.err"
	echo "$?|$(awk -F'\t' '$1 == "c.txt" { print $10 "|" $11 }' "$W/$2/docs.tsv")"
}
# a.txt is the fifth original back from c.txt
if [ "$(win 5 w5)" = "0|duplicate|a.txt" ] && ! grep -q -- "--dedup-window" "$W/w5.err"; then ok
else fail "--dedup-window 5 keeps a.txt: $(win 5 w5)"; cat "$W/w5.err" >&2; fi
if [ "$(win 4 w4)" = "0|ok|" ]; then ok
else fail "--dedup-window 4: a.txt has left the window, c.txt is an original: $(win 4 w4)"; fi
# The user is told, and how to widen it; -q says nothing.
if grep -q "among the last 4 originals only; older ones had left the window (--dedup-window)" "$W/w4.err"
then ok; else fail "--dedup-window 4 says that originals left the window"; cat "$W/w4.err" >&2; fi
$BIN run -q --dedup-window 4 -o "$W/q" "$W/in" 2>"$W/q.err"
if [ ! -s "$W/q.err" ]; then ok; else fail "--dedup-window with -q prints nothing"; fi
# -j 2 looks duplicates up in the main thread: the same tables.
$BIN run -q -j 2 --dedup-window 4 -o "$W/j2" "$W/in" 2>/dev/null
if cmp -s "$W/w4/docs.tsv" "$W/j2/docs.tsv" && cmp -s "$W/w4/facts.tsv" "$W/j2/facts.tsv"
then ok; else fail "--dedup-window 4: -j 2 writes the tables of -j 1"; fi
# Over the larger dedup set each repost sorts right after its original,
# so a window of one original finds them all (the tables of no window),
# while every original added drops the one before; -j 2 as -j 1.
$BIN run -q -j 1 --dedup-window 1 -o "$W/set1" "$D/in" 2>/dev/null
$BIN run -q -j 2 --dedup-window 1 -o "$W/set2" "$D/in" 2>/dev/null
if cmp -s "$W/set1/docs.tsv" "$W/set2/docs.tsv" && cmp -s "$W/set1/facts.tsv" "$W/set2/facts.tsv" &&
   cmp -s "$W/set1/docs.tsv" "$D/out/docs.tsv"; then ok
else fail "--dedup-window 1 over the dedup set: the tables of no window, -j 2 as -j 1"; fi
# --state: the originals of earlier runs are held in the same window.
$BIN run -q --state "$W/s.db" -o "$W/st" "$W/in/a.txt" "$W/in/b1.txt" "$W/in/b2.txt" 2>/dev/null
cp "$W/s.db" "$W/s2.db"
cp "$W/s.db" "$W/s3.db"
cp -r "$W/st" "$W/st2"
cp -r "$W/st" "$W/st3"
$BIN run --state "$W/s.db" --dedup-window 2 -o "$W/st" "$W/in/c.txt" 2>"$W/st.err"
$BIN run --state "$W/s2.db" --dedup-window 3 -o "$W/st2" "$W/in/c.txt" 2>"$W/st2.err"
if [ "$(awk -F'\t' '$1 == "'"$W/in/c.txt"'" { print $10 "|" $11 }' "$W/st/docs.tsv")" = "ok|" ] &&
   [ "$(awk -F'\t' '$1 == "'"$W/in/c.txt"'" { print $10 "|" $11 }' "$W/st2/docs.tsv")" = "duplicate|$W/in/a.txt" ]
then ok; else fail "--state: an earlier run's original is found within the window only"; fi
# Told when the recorded originals are more than the window holds, only
# then: a repost of b2.txt is a duplicate (nothing added, nothing dropped
# in this run), and a and b1 were left out all the same.
cp "$W/in/b2.txt" "$W/d.txt"
$BIN run --state "$W/s3.db" --dedup-window 2 -o "$W/st3" "$W/d.txt" 2>"$W/st3.err"
if grep -q "among the last 2 originals only; older ones" "$W/st.err" &&
   grep -q "among the last 2 originals only; older ones" "$W/st3.err" &&
   grep -q "1 duplicates" "$W/st3.err" && ! grep -q -- "--dedup-window" "$W/st2.err"
then ok; else fail "--state: the run says that recorded originals were left out"; cat "$W/st.err" "$W/st2.err" "$W/st3.err" >&2; fi
for bad in 0 -3 abc 4294967295 ''; do
	$BIN run --dedup-window "$bad" -o "$W/bad" "$W/in" >/dev/null 2>"$W/bad.err"
	rc=$?
	if [ "$rc" -eq 2 ] && grep -q -- "--dedup-window: expected a number of originals" "$W/bad.err"; then ok
	else fail "--dedup-window '$bad' is a usage error (rc $rc)"; fi
done
