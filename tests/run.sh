#!/usr/bin/env bash
# tests/run.sh: every test group of `make test`, one summary line at the end.
# Run from the project root with LC_ALL=C (the Makefile does both).
set -u
export LC_ALL=C
BUILD=${BUILD:-obj}
VALGRIND=${VALGRIND:-}
BIN="$VALGRIND $PWD/bulletin"
T=$(mktemp -d /tmp/bulletin-test.XXXXXX)
trap 'rm -rf "$T"' EXIT
passed=0 failed=0

ok()   { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }
check() { # check NAME COMMAND...: passes when COMMAND exits 0
	local name=$1; shift
	if "$@" >"$T/check.out" 2>&1; then ok; else fail "$name"; sed 's/^/    /' "$T/check.out" | head -20 >&2; fi
}

for group in tests/groups/*.sh; do
	echo "== $(basename "$group" .sh)"
	# shellcheck source=/dev/null
	. "$group"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
