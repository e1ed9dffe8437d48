#!/usr/bin/env bash
# tests/fuzz/run.sh BUILD TARGET SECONDS: runs libFuzzer target
# BUILD/fuzz_TARGET for SECONDS over its seeds (tests/fuzz/seeds.sh) and its
# regressions (tests/fuzz/regress/TARGET), keeping what it learns in
# BUILD/corpus/TARGET. Exits non-zero on a crash, a leak, a timeout (one
# input over 10 s) or an input that needs over 2 GB; the input is saved as
# BUILD/TARGET-crash-* (-leak-, -timeout-, -oom-), and the end of the log
# (BUILD/fuzz-TARGET.log) is shown.
# Ends with one line: target, runs, exec/s, coverage, features, corpus size.
set -u
build=$1 target=$2 seconds=$3
bin=$build/fuzz_$target
dir=$(cd "$(dirname "$0")" && pwd)
[ -x "$bin" ] || { echo "fuzz: $bin is not built (make fuzz-build)" >&2; exit 2; }
bash "$dir/seeds.sh" "$target" "$build/seeds/$target" || exit 2
mkdir -p "$build/corpus/$target" "$dir/regress/$target"
dict=()
[ -f "$dir/$target.dict" ] && dict=(-dict="$dir/$target.dict")
log=$build/fuzz-$target.log
# Leak detection stays on: a leak found by the fuzzer is a bug like any other.
"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	-artifact_prefix="$build/$target-" "${dict[@]}" \
	"$build/corpus/$target" "$build/seeds/$target" "$dir/regress/$target" >"$log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
ft=$(grep -o 'ft: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
corp=$(ls "$build/corpus/$target" | wc -l)
printf 'fuzz %-10s %ss: %s runs, %s exec/s, cov %s, ft %s, corpus %s%s\n' "$target" "$seconds" \
	"${runs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" "$corp" "$([ $rc -eq 0 ] || echo ", FAILED (exit $rc)")"
if [ "$rc" -ne 0 ]; then
	grep -v '^#\|^INFO\|^\s*$' "$log" | tail -n 40 >&2
	ls "$build/$target"-* 2>/dev/null >&2
fi
exit "$rc"
