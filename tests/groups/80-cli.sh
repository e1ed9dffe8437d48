# The command line: help, version, usage errors, subcommands.
check "--help exits 0 and shows usage" bash -c "$BIN --help | grep -q '^usage: bulletin run'"
check "--version" bash -c "$BIN --version | grep -q '^bulletin [0-9]'"
$BIN frobnicate >/dev/null 2>&1; rc=$?
if [ "$rc" -eq 2 ]; then ok; else fail "unknown command exits 2 (got $rc)"; fi
$BIN run >/dev/null 2>&1; rc=$?
if [ "$rc" -eq 2 ]; then ok; else fail "run without input exits 2 (got $rc)"; fi
$BIN run --bogus x >/dev/null 2>&1; rc=$?
if [ "$rc" -eq 2 ]; then ok; else fail "unknown option exits 2 (got $rc)"; fi
$BIN run --only frobnicate corpus >/dev/null 2>&1; rc=$?
if [ "$rc" -eq 2 ]; then ok; else fail "--only with an unknown stage exits 2 (got $rc)"; fi
check "clean prints the body without furniture" bash -c "
	$BIN clean corpus/000_2d10e2a55480fa27.txt >'$T/c.txt' &&
	grep -q '^党的十八大以来' '$T/c.txt' && ! grep -q '责任编辑' '$T/c.txt' &&
	[ \$(grep -c '党的十八大以来' '$T/c.txt') -eq 1 ]"
check "extract prints a header and the facts" bash -c "
	$BIN extract corpus/002_de5b57e354c9966c.txt >'$T/e.tsv' &&
	head -n 1 '$T/e.tsv' | grep -q '^doc_id	field	value	unit	approx	scope	rule	start	end	evidence	dup_of$' &&
	grep -q '	orgs_accountable	19	个	exact	total	' '$T/e.tsv'"
check "stdin as -" bash -c "$BIN run -q -o '$T/stdin' - <corpus/002_de5b57e354c9966c.txt &&
	grep -q '^-	complaints_received	2688' '$T/stdin/facts.tsv'"
check "outputs are replaced whole: no temporary files left" bash -c "
	$BIN run -q -o '$T/whole' corpus && [ -z \"\$(ls -A '$T/whole' | grep -v '^docs.tsv\$' | grep -v '^facts.tsv\$')\" ]"
printf 'x' >"$T/ro-in.txt"; mkdir -p "$T/ro"; chmod 500 "$T/ro"
if [ "$(id -u)" -ne 0 ]; then
	$BIN run -q -o "$T/ro" "$T/ro-in.txt" 2>/dev/null; rc=$?
	if [ "$rc" -eq 3 ]; then ok; else fail "an unwritable output directory exits 3 (got $rc)"; fi
fi
$BIN run -q -o /dev/full/x "$T/ro-in.txt" 2>/dev/null; rc=$?
if [ "$rc" -eq 3 ]; then ok; else fail "an impossible output directory exits 3 (got $rc)"; fi
