# Per-stage golden files: bulletin run --only STAGE X.in must print X.out.
# The first line of each .in/.out pair's README-like comment lives in the
# .in file name; expected outputs were written and checked by hand.
for s in decode normalise strip dedup extract; do
	for i in tests/stages/$s/*.in; do
		[ -e "$i" ] || continue
		if $BIN run --only "$s" "$i" 2>/dev/null | diff -u "${i%.in}.out" - >"$T/stage.diff"; then ok
		else fail "stages/$s/$(basename "$i")"; cat "$T/stage.diff" >&2; fi
	done
done
