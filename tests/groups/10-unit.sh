# Unit tests: each tests/unit/test_*.c binary prints "N passed, N failed".
for t in "$BUILD"/test_*; do
	[ -x "$t" ] || continue
	out=$($VALGRIND "$t" 2>"$T/unit.err"); rc=$?
	line=$(printf '%s\n' "$out" | tail -n 1)
	p=$(printf '%s' "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
	f=$(printf '%s' "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
	if [ -z "$p" ]; then
		fail "$(basename "$t"): no summary line (exit $rc)"; cat "$T/unit.err" >&2
		continue
	fi
	passed=$((passed + p)); failed=$((failed + f))
	if [ "$rc" -ne 0 ] || [ "$f" -ne 0 ]; then
		echo "FAIL: $(basename "$t") ($f failed, exit $rc)" >&2; cat "$T/unit.err" >&2
		[ "$f" -eq 0 ] && failed=$((failed + 1))
	fi
done
