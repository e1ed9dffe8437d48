# Topic gating: safety-production, audit, party-inspection (巡视/巡察) and
# anti-fraud passages use the same words as an inspection notice and must
# give nothing, alone or beside an inspection story. Expected facts (field,
# value, unit, approx, scope) were written by hand from the texts.
for doc in tests/e2e/topic/*.txt; do
	if $BIN extract "$doc" 2>/dev/null | tail -n +2 | cut -f2-6 | diff -u "${doc%.txt}.expected" - >&2; then ok
	else fail "topic: $(basename "$doc")"; fi
done
# Each off-topic story on its own gives no fact at all.
awk 'BEGIN { RS = ""; n = 0 } { n++; f = sprintf("'"$T"'/story-%02d.txt", n); print > f; close(f) }' tests/e2e/topic/transcript.txt
for s in "$T"/story-*.txt; do
	grep -q '生态环境保护督察' "$s" && continue
	if [ "$($BIN extract "$s" 2>/dev/null | tail -n +2 | wc -l)" -eq 0 ]; then ok
	else fail "off-topic story gives facts: $(head -n 1 "$s")"; fi
done
