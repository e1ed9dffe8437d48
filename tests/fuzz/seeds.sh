#!/usr/bin/env bash
# tests/fuzz/seeds.sh TARGET DIR: fills DIR with the seed inputs of a fuzz
# target, taken from the project's own data (nothing is committed twice):
#   decode, normalise, extract: corpus/, tests/stages/*/*.in, tests/html/*.html
#     and each sample notice converted to GB18030, Big5 and UTF-16
#   html:  tests/html/ (and its peer pages), plus the notices as text
#   num:   the inputs of tests/num/*.tsv, one per file
#   rules: rules/*.rules, rules/extract/*.rules, tests/rules-bad/*.rules
# Run from the project root.
set -u
target=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
copy() { # copy FILE...: each file into $out under a flat name
	local f
	for f in "$@"; do
		[ -f "$f" ] && cp "$f" "$out/$(printf '%s' "$f" | tr '/' '_')"
	done
}
text() {
	copy corpus/* tests/stages/*/*.in
	local f b
	for f in corpus/*; do
		b=$(basename "$f")
		iconv -f UTF-8 -t GB18030 "$f" >"$out/$b.gb18030" 2>/dev/null
		iconv -f UTF-8 -t BIG5 -c "$f" >"$out/$b.big5" 2>/dev/null
		iconv -f UTF-8 -t UTF-16 "$f" >"$out/$b.utf16" 2>/dev/null
	done
	return 0
}
case "$target" in
decode|normalise|extract|minhash)
	text
	copy tests/html/*.html ;;
html)
	copy tests/html/*.html tests/html/peers/original/*
	copy corpus/* ;;
num)
	cat tests/num/*.tsv | cut -f1 | grep -v '^#' | sort -u | split -l 1 -a 4 - "$out/num-" ;;
rules)
	copy rules/*.rules rules/extract/*.rules tests/rules-bad/*.rules ;;
*)
	echo "seeds.sh: unknown target '$target'" >&2
	exit 2 ;;
esac
