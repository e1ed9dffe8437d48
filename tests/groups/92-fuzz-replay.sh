# The fuzz targets built with $(CC) and -DSTANDALONE (tests/fuzz/README.md)
# replay their seeds and every saved regression (tests/fuzz/regress/), so a
# fixed fuzz finding stays fixed; under `make asan` they run with ASan and
# UBSan like the libFuzzer builds.
san=; case "$BUILD" in *asan*) san=SANITIZER=address ;; esac
targets="decode html normalise num rules extract minhash"
if make --no-print-directory -s $san $(for t in $targets; do printf '%s/fuzz_%s ' "$BUILD" "$t"; done) \
	>"$T/fuzz-build.log" 2>&1; then ok
else fail "building the standalone fuzz targets"; tail -n 20 "$T/fuzz-build.log" >&2; fi
for t in $targets; do
	[ -x "$BUILD/fuzz_$t" ] || continue
	bash tests/fuzz/seeds.sh "$t" "$T/seeds-$t"
	if $VALGRIND "$BUILD/fuzz_$t" "$T/seeds-$t" tests/fuzz/regress/"$t" >"$T/replay.out" 2>&1; then ok
	else fail "fuzz_$t replay"; tail -n 20 "$T/replay.out" >&2; fi
	rm -rf "$T/seeds-$t"
done
