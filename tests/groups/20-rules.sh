# Rule files: every example passes; a broken example fails; bad files stop
# the run with file:line:column and exit 2.
check "check-rules passes on rules/" $BIN check-rules rules

cp -r rules "$T/rules-broken"
sed -i 's/^  example 30项已完成整改 => 30 项$/  example 30项已完成整改 => 31 项/' "$T/rules-broken/extract/10-issues.rules"
$BIN check-rules "$T/rules-broken" >"$T/broken.out" 2>&1; rc=$?
if [ "$rc" -eq 1 ] && grep -q "10-issues.rules:[0-9]*: rule 'completed.before': example \"30项已完成整改\": expected 31 项, got 30 项 exact" "$T/broken.out"; then ok
else fail "a broken example must fail check-rules with file:line (exit $rc)"; cat "$T/broken.out" >&2; fi

# tests/rules-bad/<case>.rules holds a bad extract rule file; <case>.err the
# exact stderr of a run that loads it.
for r in tests/rules-bad/*.rules; do
	name=$(basename "$r" .rules)
	rm -rf "$T/rb"; cp -r rules "$T/rb"; cp "$r" "$T/rb/extract/$name.rules"
	(cd "$T" && $BIN run -o "$T/rb-out" --rules rb /dev/null) >"$T/rb.out" 2>"$T/rb.err"; rc=$?
	if [ "$rc" -eq 2 ] && diff -u "${r%.rules}.err" "$T/rb.err" >&2; then ok
	else fail "rules-bad/$name: expected exit 2 and the .err text (exit $rc)"; fi
done
