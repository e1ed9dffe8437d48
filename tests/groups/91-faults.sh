# Faults found while fuzzing and hardening (docs/faults.md), each kept as a
# test: a catastrophic rule, a rule without a number group in check-rules,
# an empty directory as input.
F="$T/faults"; mkdir -p "$F"

# A rule that backtracks catastrophically ((a+)+b on a run of a without a
# b after it) hits the PCRE2 match limit: the document gets
# warning:match-limit, stderr names the rule (file:line 'id') and the
# document, the other rules' facts are kept, and the run does not hang.
cp -r rules "$F/rules"
cat >"$F/rules/extract/99-catastrophic.rules" <<'RULES'
# deliberately catastrophic: nested quantifiers over the same letter
rule evil.nested issues_found (?<num>[0-9]+)个(?:(?:a+)+)+b
  example 3个aab => 3 个
RULES
python3 - "$F/evil.txt" <<'PY'
import sys
with open(sys.argv[1], 'w') as f:
    f.write('环保督察整改情况\n')
    for i in range(200):
        f.write('督察组第%d批交办问题42个,其中3个%scb。\n' % (i, 'a' * 60))
PY
timeout -k 5 120 $BIN run -o "$F/evil-out" --rules "$F/rules" "$F/evil.txt" >/dev/null 2>"$F/evil.err"; rc=$?
if [ "$rc" -eq 1 ]; then ok; else fail "catastrophic rule: exit 1 (got $rc)"; fi
if [ "$(awk -F'\t' 'NR == 2 { print $10 }' "$F/evil-out/docs.tsv")" = warning:match-limit ]; then ok
else fail "catastrophic rule: status warning:match-limit"; fi
if grep -q "^bulletin: $F/evil.txt: extract: rule $F/rules/extract/99-catastrophic.rules:2 'evil.nested': match limit exceeded" "$F/evil.err"
then ok; else fail "catastrophic rule: stderr names the rule and the document"; cat "$F/evil.err" >&2; fi
if grep -q '	issues_found	42	' "$F/evil-out/facts.tsv"; then ok
else fail "catastrophic rule: the other rules' facts are kept"; fi

# check-rules runs every rule it loads, including one that extract_open
# would refuse: a rule without (?<num>...) is reported, not a crash
# (it read ovector[-2]: tests/fuzz/regress/rules/check-rules-no-num-group).
cp -r rules "$F/nonum"; cp tests/rules-bad/no-num-group.rules "$F/nonum/extract/"
$BIN check-rules "$F/nonum" >"$F/nonum.out" 2>&1; rc=$?
if [ "$rc" -eq 1 ] && grep -q "no-num-group.rules:3: rule 'bad.nonum': example \"42个问题\": .*has no (?<num>...) group" "$F/nonum.out"
then ok; else fail "check-rules with a rule without a num group: exit 1 and a message (got $rc)"; tail -n 3 "$F/nonum.out" >&2; fi

# A {PREFILTER} that does not compile is named by check-rules and by run
# (exit 2), which read it with the same function.
cp -r rules "$F/badpre"
sed -i 's/^define PREFILTER .*/define PREFILTER (?:[0-9]/' "$F/badpre/extract/00-macros.rules"
$BIN check-rules "$F/badpre" >"$F/badpre.out" 2>&1; rc=$?
if [ "$rc" -ne 0 ] && grep -q "^$F/badpre/extract: macro PREFILTER does not compile$" "$F/badpre.out"
then ok; else fail "check-rules with a PREFILTER that does not compile: a failure and a message (got $rc)"; tail -n 3 "$F/badpre.out" >&2; fi
$BIN run -q -o "$F/badpre-out" --rules "$F/badpre" corpus/002_de5b57e354c9966c.txt 2>"$F/badpre.err"; rc=$?
if [ "$rc" -eq 2 ] && grep -q "macro PREFILTER does not compile" "$F/badpre.err"
then ok; else fail "run with a PREFILTER that does not compile: exit 2 and a message (got $rc)"; cat "$F/badpre.err" >&2; fi

# An empty directory as the only input: no rows, exit 0 (qsort(NULL, 0)
# was undefined behaviour, caught under UBSan).
mkdir -p "$F/empty-dir"
$BIN run -q -o "$F/empty-out" "$F/empty-dir" 2>"$F/empty.err"; rc=$?
if [ "$rc" -eq 0 ] && [ "$(wc -l <"$F/empty-out/docs.tsv")" -eq 1 ]; then ok
else fail "an empty directory: exit 0 and a header only (got $rc)"; cat "$F/empty.err" >&2; fi
# ... and an empty rules/extract directory loads (no rules, no facts).
cp -r rules "$F/norules"; rm -f "$F/norules/extract/"*.rules
$BIN run -q -o "$F/norules-out" --rules "$F/norules" corpus/002_de5b57e354c9966c.txt 2>"$F/norules.err"; rc=$?
if [ "$rc" -eq 0 ] && [ "$(wc -l <"$F/norules-out/facts.tsv")" -eq 1 ]; then ok
else fail "an empty extract rules directory: exit 0, no facts (got $rc)"; cat "$F/norules.err" >&2; fi
# An ASCII page that declares a charset in which ASCII is not itself
# (<meta charset="utf-16">, or EBCDIC "ibm037") is read as what it is, as
# browsers do; it was converted from the declared charset into garbage
# (fuzz_decode: regress/decode/meta-charset-*-on-ascii).
for cs in utf-16 ibm037; do
	printf '<html><head><meta charset="%s"><title>Notice</title></head><body><p>The inspection found 42 problems in the province this year.</p></body></html>\n' "$cs" >"$F/$cs.html"
	if $BIN clean "$F/$cs.html" 2>/dev/null | grep -q 'found 42 problems'; then ok
	else fail "an ASCII page declaring $cs keeps its text"; fi
done
rm -rf "$F"
