# normalise converts with OpenCC only the lines that hold a character t2s
# changes. Its output must be byte-identical to converting everything with
# the opencc command: over OpenCC's own test data (tests/opencc, from
# upstream) and over corpus/, each text alone (one call for the whole text)
# and mixed line by line with simplified text (the per-line path).
O="$T/opencc"; mkdir -p "$O"
{
	cut -f2 tests/opencc/t2s.testcases-json.tsv | tail -n +2
	cut -f2 tests/opencc/tw2s.testcases-json.tsv | tail -n +2
	cut -f2 tests/opencc/hk2s.testcases-json.tsv | tail -n +2
	cat tests/opencc/t2s.in tests/opencc/tw2s.in tests/opencc/hk2s.in tests/opencc/tw2sp.in
} | grep -v '^$' >"$O/cases.txt"
# The reference: the same NFKC and space folding as normalise, then the
# opencc command over everything.
prep() {
	python3 -c '
import sys, unicodedata, re
for line in sys.stdin.read().split("\n"):
    line = unicodedata.normalize("NFKC", line)
    line = re.sub(r"[ \t\u00a0\u3000]+", " ", line).strip()
    tone = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
    line = re.sub(r"(?<=[\u3400-\u9fff])\([a-zü%s]*[%s][a-zü%s]*\)" % (tone, tone, tone), "", line)
    print(line)' | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
}
n=0
while IFS= read -r line; do
	n=$((n + 1))
	printf '%s\n' "$line" >"$O/case$n.txt"
done <"$O/cases.txt"
for f in "$O"/case*.txt corpus/*.txt; do
	prep <"$f" | opencc -c t2s.json >"$O/want"
	# alone
	$BIN run --only normalise "$f" 2>/dev/null | sed -e '$!b' -e '/^$/d' >"$O/got"
	# interleaved with simplified lines, so only some lines need OpenCC
	awk '{ print; print "省环保督察整改工作取得实效,问题整改到位。"; print "各地认真落实整改方案,按期完成整改任务。" }' "$f" >"$O/mixed.in"
	prep <"$O/mixed.in" | opencc -c t2s.json >"$O/want-mixed"
	$BIN run --only normalise "$O/mixed.in" 2>/dev/null | sed -e '$!b' -e '/^$/d' >"$O/got-mixed"
	if cmp -s "$O/want" "$O/got" && cmp -s "$O/want-mixed" "$O/got-mixed"; then ok
	else fail "t2s differs from the opencc command on $(basename "$f")"; diff "$O/want" "$O/got" | head -5 >&2; diff "$O/want-mixed" "$O/got-mixed" | head -5 >&2; fi
done
# Phrases: t2s changes 回覆 to 回复 and 沈默 to 沉默, though 覆 and 沈 alone
# stay as they are. Every phrase of the installed TSPhrases dictionary, each
# on a line of its own between simplified lines (the per-line path; beside
# 全覆盖, which holds 覆 too, in a line of two runs of Han characters), must
# come out as the opencc command gives it. normalise converts a line that
# holds only such characters one run of Han characters at a time, which is
# right only while no dictionary key holds anything but Han characters:
# checked too.
dict=$(ls /usr/share/opencc/TSPhrases.ocd2 /usr/local/share/opencc/TSPhrases.ocd2 2>/dev/null | head -1)
if [ -n "$dict" ] && opencc_dict -i "$dict" -o "$O/phrases.tsv" -f ocd2 -t text >/dev/null 2>&1 &&
	[ "$(wc -l <"$O/phrases.tsv")" -gt 100 ]; then
	cut -f1 "$O/phrases.tsv" | awk '{ print "省环保督察整改工作取得实效,问题整改到位。"; print "他说" $0 ",实现全覆盖。"; print "各地认真落实整改方案,按期完成整改任务。" }' >"$O/phrases.in"
	prep <"$O/phrases.in" | opencc -c t2s.json >"$O/want-phrases"
	$BIN run --only normalise "$O/phrases.in" 2>/dev/null | sed -e '$!b' -e '/^$/d' >"$O/got-phrases"
	if cmp -s "$O/want-phrases" "$O/got-phrases"; then ok
	else fail "t2s of TSPhrases' phrases in simplified lines differs from the opencc command"; diff "$O/want-phrases" "$O/got-phrases" | head -10 >&2; fi
	chars="$(dirname "$dict")/TSCharacters.ocd2"
	opencc_dict -i "$chars" -o "$O/chars.tsv" -f ocd2 -t text >/dev/null 2>&1
	check "every key of TSPhrases and TSCharacters is Han characters only" python3 -c '
import sys
n = 0
for path in sys.argv[1:]:
    for line in open(path, encoding="utf-8"):
        key = line.split("\t")[0]
        n += 1
        for c in key:
            cp = ord(c)
            if not (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x3134F or 0xF900 <= cp <= 0xFAFF):
                sys.exit("%s: key %r holds U+%04X, not Han" % (path, key, cp))
if n < 1000:
    sys.exit("only %d keys read" % n)' "$O/phrases.tsv" "$O/chars.tsv"
else
	fail "opencc_dict cannot list $dict: the phrase check did not run"
fi
# pipeline/opencc_data.c is what tests/tools/gen-opencc-data reads off the
# installed dictionaries; stale, it would send runs to OpenCC by the wrong
# phrase characters.
check "pipeline/opencc_data.c matches the installed OpenCC dictionaries" \
	sh -c 'tests/tools/gen-opencc-data | cmp - pipeline/opencc_data.c'
# Dictionaries other than those (here: a copy with one byte added) are
# named once on stderr, and every text goes through OpenCC whole: the
# output is still the opencc command's.
mkdir -p "$O/dicts"
cp "$(dirname "$dict")"/TSPhrases.ocd2 "$(dirname "$dict")"/TSCharacters.ocd2 "$O/dicts/"
printf 'x' >>"$O/dicts/TSPhrases.ocd2"
BULLETIN_OPENCC_DIR="$O/dicts" $BIN run --only normalise "$O/phrases.in" 2>"$O/other.err" |
	sed -e '$!b' -e '/^$/d' >"$O/got-other"
check "other dictionaries: the output is still the opencc command's" cmp "$O/want-phrases" "$O/got-other"
check "other dictionaries: said once on stderr" \
	sh -c '[ "$(grep -c "are not those pipeline/opencc_data.c was made from" "$1")" = 1 ]' _ "$O/other.err"
BULLETIN_OPENCC_DIR="$O/dicts" $BIN run -q -j 3 -o "$O/other-out" "$O/phrases.in" corpus 2>"$O/other-j.err"
check "other dictionaries, -j 3: said once" \
	sh -c '[ "$(grep -c "are not those pipeline/opencc_data.c was made from" "$1")" = 1 ]' _ "$O/other-j.err"
$BIN run -q -j 3 -o "$O/known-out" "$O/phrases.in" corpus 2>"$O/known-j.err"
check "other dictionaries, -j 3: the same tables as with the known ones" \
	sh -c 'cmp "$1/docs.tsv" "$2/docs.tsv" && cmp "$1/facts.tsv" "$2/facts.tsv"' _ "$O/other-out" "$O/known-out"
check "known dictionaries: nothing said" sh -c '! grep -q "opencc_data" "$1"' _ "$O/known-j.err"
# A text is read for t2s only when normalise_space saw a character t2s
# changes, or two phrase characters side by side with one that changes
# inside a phrase. 回 and 覆 are both unchanged alone; together they are a
# phrase. Each line is a document of its own, so nothing else in the text
# asks for the reading. The expected output is the opencc command's, written
# out here: side by side once the zero-width space, the ruby and the
# full-width form are gone (NFKC path); apart across a space or a line end.
while IFS='|' read -r name input want; do
	printf "$input\n" >"$O/pair-$name.txt"
	got=$($BIN run --only normalise "$O/pair-$name.txt" 2>&1 | tr '\n' '|')
	check "t2s of a lone phrase: $name" test "$got" = "$want|"
done <<'CASES'
plain|他回覆了。|他回复了。
other phrase|沈默是金|沉默是金
zero-width space between|回\342\200\213覆|回复
ruby between|回(huí)覆|回复
full-width letter before|\357\274\241回覆|A回复
space between|回 覆|回 覆
line end between|回\n覆|回|覆
one character runs|沈阳全覆盖|沈阳全覆盖
CASES
