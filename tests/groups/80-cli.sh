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
# --times: one line with each stage's CPU seconds, "other" and the total;
# the stages and "other" add up to the total (each figure is rounded to a
# millisecond), and the tables are those of a run without it.
for j in 1 2; do
	check "--times -j $j prints each stage's CPU seconds, adding up to the total" bash -c "
		$BIN run -q -j $j -o '$T/times$j' corpus 2>/dev/null &&
		$BIN run -q -j $j --times -o '$T/times$j-t' corpus 2>'$T/times$j.err' &&
		cmp '$T/times$j/docs.tsv' '$T/times$j-t/docs.tsv' &&
		cmp '$T/times$j/facts.tsv' '$T/times$j-t/facts.tsv' &&
		[ \$(wc -l <'$T/times$j.err') -eq 1 ] &&
		grep -Eq '^bulletin: CPU seconds: decode [0-9]+\.[0-9]{3}, html [0-9.]+, normalise [0-9.]+, strip [0-9.]+, dedup [0-9.]+, extract [0-9.]+, other [0-9.]+, total [0-9.]+$' '$T/times$j.err' &&
		awk '{ s = 0; for (i = 5; i <= 17; i += 2) s += \$i; t = \$19 + 0; d = s - t; if (d < 0) d = -d; exit !(t > 0 && d <= 0.008) }' '$T/times$j.err'"
	# over the seeds forty times, the stages that read every text take
	# a millisecond or more each: the threads' figures are collected
	check "--times -j $j counts the time of the stages on every thread" bash -c "
		$BIN run -q -j $j --times -o '$T/times$j-40' \$(for k in \$(seq 40); do echo corpus; done) 2>'$T/times$j-40.err' &&
		awk '{ exit !(\$9 + 0 > 0 && \$11 + 0 > 0 && \$13 + 0 > 0 && \$15 + 0 > 0) }' '$T/times$j-40.err'"
done
$BIN run --times --only strip -o "$T/times-only" corpus >/dev/null 2>&1; rc=$?
if [ "$rc" -eq 2 ]; then ok; else fail "--times with --only exits 2 (got $rc)"; fi
