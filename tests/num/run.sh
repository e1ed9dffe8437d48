#!/usr/bin/env bash
# tests/num/run.sh BULLETIN: runs the peer numeral data through `BULLETIN num`.
#
# Main files (cn2an, duckling, jionlp, wetextprocessing: input<TAB>expected
# [<TAB>unit]): a row passes when the value printed equals the expected one
# numerically (82225 = 82225.00). Rows listed in unsupported.tsv stay in the
# denominator. Fails (exit 1) if a main file is below 98%, has more than 2%
# of its rows listed as unsupported, or fails a row that is not listed.
# Approx files (*.approx.tsv, expected lo~hi or (lo,)): every row must give a
# value with an approx other than exact; whether the value is in the peer's
# range is reported, not required. The contested file is reported only.
# Units are compared too and reported, not required.
# Needs only bash, awk and coreutils.
set -u
export LC_ALL=C

if [ $# -ne 1 ] || [ ! -x "$1" ]; then
	echo "usage: $0 path/to/bulletin" >&2
	exit 2
fi
bin=$1
dir=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
status=0

# Runs the inputs of $1 through `bulletin num` into $tmp/out; 1 on trouble.
run_file() {
	cut -f1 "$1" | "$bin" num >"$tmp/out" 2>"$tmp/err"
	local rc=$? want got
	want=$(wc -l <"$1")
	got=$(wc -l <"$tmp/out")
	if [ "$rc" -gt 1 ] || [ "$want" -ne "$got" ]; then
		echo "$(basename "$1"): bulletin num exited $rc with $got lines for $want inputs" >&2
		head -n 5 "$tmp/err" >&2
		return 1
	fi
	return 0
}

# Shared awk functions: norm() gives the canonical form of a decimal,
# cmp() compares two canonical decimals (-1, 0, 1).
awk_lib='
function norm(x,   sign, ip, fp, p) {
	gsub(/[ \t]/, "", x)
	if (x !~ /^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)$/)
		return ""
	sign = ""
	if (substr(x, 1, 1) == "-") sign = "-"
	sub(/^[-+]/, "", x)
	p = index(x, ".")
	if (p) { ip = substr(x, 1, p - 1); fp = substr(x, p + 1) } else { ip = x; fp = "" }
	sub(/^0+/, "", ip); sub(/0+$/, "", fp)
	if (ip == "") ip = "0"
	x = ip (fp != "" ? "." fp : "")
	return (x == "0" ? "" : sign) x
}
function ucmp(a, b,   ai, bi, af, bf, p) {
	p = index(a, "."); if (p) { ai = substr(a, 1, p - 1); af = substr(a, p + 1) } else { ai = a; af = "" }
	p = index(b, "."); if (p) { bi = substr(b, 1, p - 1); bf = substr(b, p + 1) } else { bi = b; bf = "" }
	if (length(ai) != length(bi)) return length(ai) < length(bi) ? -1 : 1
	if (ai != bi) return ai < bi ? -1 : 1
	while (length(af) < length(bf)) af = af "0"
	while (length(bf) < length(af)) bf = bf "0"
	if (af != bf) return af < bf ? -1 : 1
	return 0
}
function cmp(a, b) {
	if (substr(a, 1, 1) == "-" && substr(b, 1, 1) != "-") return -1
	if (substr(a, 1, 1) != "-" && substr(b, 1, 1) == "-") return 1
	if (substr(a, 1, 1) == "-") return -ucmp(substr(a, 2), substr(b, 2))
	return ucmp(a, b)
}
'

printf '%-30s %9s %8s %12s %10s %10s\n' file pass rate unsupported unexpected units
for name in cn2an duckling jionlp wetextprocessing; do
	f=$dir/$name.tsv
	if ! run_file "$f"; then
		status=1
		continue
	fi
	awk -F'\t' -v file="$name.tsv" "$awk_lib"'
	FILENAME == ARGV[1] {
		if ($0 !~ /^#/ && NF >= 2) skip[$1 "\t" norm($2)] = $3
		next
	}
	FILENAME == ARGV[2] { got[FNR] = norm($1); gunit[FNR] = $2; next }
	{
		total++
		key = $1 "\t" norm($2)
		ok = got[FNR] != "" && got[FNR] == norm($2)
		if (ok) pass++
		if (gunit[FNR] == $3) units++
		if (key in skip) {
			listed++
			if (ok) note = note sprintf("  %s: listed in unsupported.tsv but passes: %s\n", file, $1)
		} else if (!ok) {
			unexpected++
			note = note sprintf("  %s: FAIL %s: expected %s, got \"%s\"\n", file, $1, $2, got[FNR])
		}
	}
	END {
		rate = total ? 100 * pass / total : 0
		printf "%-30s %4d/%-4d %7.1f%% %6d (%.1f%%) %10d %5d/%-4d\n", file, pass, total, rate,
		    listed, total ? 100 * listed / total : 0, unexpected, units, total
		printf "%s", note
		bad = pass * 100 < total * 98 || listed * 100 > total * 2 || unexpected > 0
		exit bad
	}' "$dir/unsupported.tsv" "$tmp/out" "$f" || status=1
done

for name in jionlp.approx wetextprocessing.approx; do
	f=$dir/$name.tsv
	if ! run_file "$f"; then
		status=1
		continue
	fi
	awk -F'\t' -v file="$name.tsv" "$awk_lib"'
	FILENAME == ARGV[1] { got[FNR] = norm($1); gunit[FNR] = $2; gap[FNR] = $3; next }
	{
		total++
		v = got[FNR]
		if (v == "" || gap[FNR] == "exact" || gap[FNR] == "") {
			exact++
			note = note sprintf("  %s: FAIL %s: got \"%s\" %s, want an approximation\n",
			    file, $1, v, gap[FNR])
			next
		}
		nonexact++
		if ($3 == gunit[FNR]) units++
		lo = $2; hi = ""
		if (lo ~ /^\(.*,\)$/) { gsub(/[(,)]/, "", lo) }
		else if (index(lo, "~")) { hi = substr(lo, index(lo, "~") + 1); lo = substr(lo, 1, index(lo, "~") - 1) }
		if (cmp(v, norm(lo)) >= 0 && (hi == "" || cmp(v, norm(hi)) <= 0)) inrange++
		else note = note sprintf("  %s: note %s: %s outside %s\n", file, $1, v, $2)
	}
	END {
		printf "%-30s %4d/%-4d non-exact, %d/%d within the peer range, units %d/%d\n",
		    file, nonexact, total, inrange, total, units, total
		printf "%s", note
		exit exact > 0
	}' "$tmp/out" "$f" || status=1
done

# conventions peers disagree on: for information only
f=$dir/wetextprocessing.contested.tsv
if [ -f "$f" ] && run_file "$f"; then
	awk -F'\t' -v file="$(basename "$f")" "$awk_lib"'
	FILENAME == ARGV[1] { got[FNR] = norm($1); next }
	{ total++; if (got[FNR] == norm($2)) agree++ }
	END { printf "%-30s %4d/%-4d agree (not required)\n", file, agree, total }
	' "$tmp/out" "$f"
fi

if [ "$status" -eq 0 ]; then
	echo "num: all peer checks passed"
else
	echo "num: FAILED" >&2
fi
exit "$status"
