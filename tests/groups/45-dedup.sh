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
