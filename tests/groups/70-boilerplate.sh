# Known boilerplate lines from the seeds must never come back into the clean
# text (regression guard for rules/boilerplate.rules and the heuristics).
$BIN run -q -o "$T/bp" --clean-dir "$T/bp-clean" corpus 2>/dev/null
while IFS= read -r line; do
	case "$line" in ''|'#'*) continue ;; esac
	if grep -rqF -- "$line" "$T/bp-clean"; then fail "boilerplate came back: $line"; else ok; fi
done <tests/e2e/boilerplate-lines.txt
# ... while every body paragraph of the gold is still there.
for g in tests/gold/seeds-body/*.txt; do
	b=$(basename "$g" .txt)
	missing=0
	while IFS= read -r para; do
		para=${para#•}; para=$(printf '%s' "$para" | sed 's/^ *//')
		[ -n "$para" ] || continue
		grep -qF -- "$(printf '%s' "$para" | head -c 60)" "$T/bp-clean/$b.txt.txt" || missing=$((missing + 1))
	done < <(python3 -c "import sys,subprocess;t=open(sys.argv[1]).read();print(subprocess.run(['opencc','-c','t2s.json'],input=t,capture_output=True,text=True).stdout)" "$g")
	if [ "$missing" -eq 0 ]; then ok; else fail "$b: $missing gold paragraph(s) lost"; fi
done
# The title is the first line before the body of 100 characters or fewer
# without a full stop; strip counts a line no further than that needs.
# A heading of 100 characters is the title, one of 101 is not (the next
# short line is).
body='省生态环境厅通报,全省共发现问题120个,已完成整改98个,其余正在整改。'
for n in 100 101; do
	long=$(python3 -c "print('督' * $n)")
	printf '%s\n短标题\n%s\n' "$long" "$body" >"$T/title-$n.txt"
	$BIN run -q -o "$T/title-$n" "$T/title-$n.txt" 2>/dev/null
	got=$(cut -f5 "$T/title-$n/docs.tsv" | tail -n 1)
	if [ "$n" = 100 ]; then want=$long; else want=短标题; fi
	check "a first line of $n characters: the title is the right line" test "$got" = "$want"
done
