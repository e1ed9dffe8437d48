# The numeral parser against the peers' test data (tests/num/README in
# run.sh): at least 98% of each main file, approximations never exact.
if bash tests/num/run.sh "$PWD/bulletin" >"$T/num.out" 2>&1; then ok; else fail "tests/num/run.sh"; fi
grep -E "^[a-z].*tsv" "$T/num.out" | sed "s/^/   /"
