# Bad input: each gives one docs.tsv row whose status says what happened and
# one stderr line naming the file; the good documents in the same run are
# still processed; no crash, no hang.
B="$T/bad"; mkdir -p "$B"
: >"$B/a-empty.txt"
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0\x1f\xf3\xffa' >"$B/b-image.png"
head -c 4000 /dev/urandom >>"$B/b-image.png"
{ head -n 4 corpus/002_de5b57e354c9966c.txt; printf "\xff\xfe\xc3"; tail -n +5 corpus/002_de5b57e354c9966c.txt; } >"$B/c-invalid-utf8.txt"
{ head -n 1 corpus/004_d84178776e794d49.txt; printf "\0\0"; tail -n +2 corpus/004_d84178776e794d49.txt; } >"$B/d-nul.txt"
cp corpus/002_de5b57e354c9966c.txt "$B/e-good.txt"
# 50 MB and no newline: over the default --max-doc-bytes (16 MiB).
head -c 52428800 /dev/zero | tr '\0' 'x' >"$B/f-50mb-one-line.txt"
timeout 120 $BIN run -o "$T/bad-out" "$B" >"$T/bad.stdout" 2>"$T/bad.stderr"; rc=$?
if [ "$rc" -eq 1 ]; then ok; else fail "bad input run exits 1 (got $rc)"; cat "$T/bad.stderr" >&2; fi
status() { awk -F'\t' -v id="$1" '$1 == id { print $10 }' "$T/bad-out/docs.tsv"; }
expect_status() {
	local got; got=$(status "$1")
	case "$got" in $2) ok ;; *) fail "$1: status '$got', want '$2'" ;; esac
	if grep -q "^bulletin: $1: " "$T/bad.stderr"; then ok; else fail "$1: no stderr line naming it"; fi
}
expect_status a-empty.txt empty
expect_status b-image.png error:binary
expect_status c-invalid-utf8.txt 'warning:invalid-bytes=*'
expect_status d-nul.txt 'warning:nul-bytes=2'
expect_status f-50mb-one-line.txt error:too-large
rows=$(($(wc -l <"$T/bad-out/docs.tsv") - 1))
if [ "$rows" -eq 6 ]; then ok; else fail "one row per input: $rows rows for 6 inputs"; fi
# e-good.txt is c-invalid-utf8.txt without the bad bytes: the same notice,
# so it is processed and marked a duplicate of the first copy.
dup_of() { awk -F'\t' -v id="$1" '$1 == id { print $11 }' "$T/bad-out/docs.tsv"; }
if [ "$(status e-good.txt)" = duplicate ] && [ "$(dup_of e-good.txt)" = c-invalid-utf8.txt ] &&
   grep -q '^e-good.txt	complaints_received	2688' "$T/bad-out/facts.tsv"; then ok
else fail "the good document in a bad run is still processed"; fi
if grep -q '^c-invalid-utf8.txt	complaints_received	2688' "$T/bad-out/facts.tsv" &&
   grep -q '^d-nul.txt	issues_found	60' "$T/bad-out/facts.tsv"; then ok
else fail "repaired documents still give their facts"; fi
if [ "$(grep -c . "$T/bad.stderr")" -eq 6 ]; then ok
else fail "one stderr line per bad input plus the summary"; cat "$T/bad.stderr" >&2; fi

# The same 50 MB line with the limit raised is processed, in bounded time.
timeout 300 $BIN run -q -o "$T/big-out" --max-doc-bytes 64M "$B/f-50mb-one-line.txt" 2>"$T/big.err"; rc=$?
if [ "$rc" -eq 0 ] && [ "$(awk -F'\t' 'NR == 2 { print $10 }' "$T/big-out/docs.tsv")" = ok ]; then ok
else fail "a 50 MB one-line document under a raised limit (exit $rc)"; cat "$T/big.err" >&2; fi

# A missing input: reported, a row, exit 1, the rest still written.
$BIN run -q -o "$T/miss-out" "$B/e-good.txt" "$B/no-such-file.txt" 2>"$T/miss.err"; rc=$?
if [ "$rc" -eq 1 ] && grep -q 'no-such-file.txt	.*error:missing' "$T/miss-out/docs.tsv" &&
   grep -q 'e-good.txt' "$T/miss-out/docs.tsv"; then ok
else fail "a missing input gets a row and exit 1 (got $rc)"; fi
