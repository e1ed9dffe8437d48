# Real-world inputs (issue 5): HTML pages by content, JSON Lines, WARC,
# RSS/Atom feeds, tar/zip/gz bundles and stdin; declared charsets verified;
# bad containers reported and skipped with bounded memory. Generators:
# tests/inputs/wrap.py (the seeds wrapped each way), mkwarc.py, mkbad.py.
I="$T/inputs"
mkdir -p "$I"
S002=corpus/002_de5b57e354c9966c.txt
S004=corpus/004_d84178776e794d49.txt

# Facts keyed by seed name (whatever the wrapper made of the doc_id), every
# other column but dup_of kept (offsets and evidence included), sorted.
inp_facts() {
	awk -F'\t' -v OFS='\t' 'NR > 1 {
		k = $1; if (match($1, /[0-9][0-9][0-9]_[0-9a-f]+/)) k = substr($1, RSTART, RLENGTH)
		print k, $2, $3, $4, $5, $6, $7, $8, $9, $10 }' "$1" | sort
}
inp_same() { # inp_same NAME OUTDIR: OUTDIR's facts are the plain seeds' facts
	if [ -s "$2/facts.tsv" ] && inp_facts "$2/facts.tsv" | diff -u "$I/plain.facts" - >&2; then ok
	else fail "$1: not the facts of the plain seeds"; fi
}
inp_col() { # inp_col OUTDIR DOC_ID COLUMN
	awk -F'\t' -v id="$2" -v c="$3" '$1 == id { print $c }' "$1/docs.tsv"
}
# Max RSS in KB of a command: /usr/bin/time, else Python's resource.
inp_rss() { # inp_rss FILE COMMAND...: runs COMMAND, writes its max RSS to FILE, returns its status
	local out=$1; shift
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f %M -o "$out" "$@"
	else
		python3 - "$out" "$@" <<'PY'
import resource, subprocess, sys
rc = subprocess.run(sys.argv[2:]).returncode
open(sys.argv[1], 'w').write('%d\n' % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(rc)
PY
	fi
}

# ---- the plain seeds: what every wrapping must give ----------------------
$BIN run -q -o "$I/plain" --clean-dir "$I/plain-clean" corpus 2>"$I/plain.err"
inp_facts "$I/plain/facts.tsv" >"$I/plain.facts"
if [ "$(wc -l <"$I/plain.facts")" -ge 20 ]; then ok; else fail "plain seeds give their facts"; fi

# ---- HTML: the six peer pages through `bulletin clean` -------------------
mkdir -p "$I/peers"
for f in tests/html/peers/original/*.html; do
	$BIN clean "$f" >"$I/peers/$(basename "$f" .html).txt" 2>>"$I/peers.err"
done
score=$(python3 tests/tools/score-body tests/html/peers/cleaned "$I/peers" | tail -n 1)
echo "   peers (bulletin clean): $score"
check "peer pages: main text f1 >= 0.90 ($score)" \
	awk -v s="$score" 'BEGIN { split(s, a, /[ =]/); exit !(a[2] >= 0.90) }'
# The two GB2312 pages are decoded by the pipeline itself (meta charset).
$BIN run -q -o "$I/peers-run" tests/html/peers/original 2>/dev/null
for p in 33a95b71-b49b-42c1-9c0a-ab8e3feba3cf f70d9c97-9d64-415e-a7e4-840c9258eaf5; do
	got="$(inp_col "$I/peers-run" "$p.html" 3) $(inp_col "$I/peers-run" "$p.html" 10)"
	if [ "$got" = "gb18030 ok" ] && ! grep -q $'\xef\xbf\xbd' "$I/peers/$p.txt"; then ok
	else fail "$p: GB2312 page decoded (got '$got')"; fi
done
# Title, date and publisher from the page itself (meta tags, byline).
got=$(awk -F'\t' '$1 == "33a95b71-b49b-42c1-9c0a-ab8e3feba3cf.html" { print $5 "|" $6 "|" $7 }' "$I/peers-run/docs.tsv")
if [ "$got" = "工商部门初定SKII广告属于虚假宣传|2005-03-11|人民网" ]; then ok
else fail "title|date|publisher from the page: got '$got'"; fi

# ---- the seeds wrapped each way give the same facts ----------------------
# HTML pages with navigation, breadcrumbs, a share bar, related links and a
# footer; recognised by content: the extension says nothing.
python3 tests/inputs/wrap.py html "$I/plain/docs.tsv" "$I/pages" corpus/*.txt
mkdir -p "$I/pages-noext"
for f in "$I"/pages/*.html; do cp "$f" "$I/pages-noext/$(basename "$f" .html).dat"; done
$BIN run -q -o "$I/html" --clean-dir "$I/html-clean" "$I/pages" 2>"$I/html.err"
inp_same "HTML pages" "$I/html"
$BIN run -q -o "$I/html-noext" "$I/pages-noext" 2>/dev/null
inp_same "HTML pages named .dat" "$I/html-noext"
same=0
for f in "$I"/plain-clean/*.txt.txt; do
	b=$(basename "$f" .txt.txt)
	cmp -s "$f" "$I/html-clean/$b.html.txt" && same=$((same + 1))
done
if [ "$same" -eq 5 ] && grep -q '分享到' "$I/pages/002_de5b57e354c9966c.html" &&
	! grep -rq '分享到\|网站地图\|备案号\|相关阅读' "$I/html-clean"; then ok
else fail "HTML pages: clean text identical to the plain seeds' ($same of 5), no furniture"; fi
if [ "$(cut -f5-10 "$I/html/docs.tsv" | tail -n +2)" = "$(cut -f5-10 "$I/plain/docs.tsv" | tail -n +2)" ]; then ok
else fail "HTML pages: title, date, publisher, province, city, status as for the plain seeds"; fi

# JSON Lines, and the same with renamed fields.
python3 tests/inputs/wrap.py jsonl "$I/plain/docs.tsv" "$I/seeds.jsonl" corpus/*.txt
$BIN run -q -o "$I/jsonl" "$I/seeds.jsonl" 2>"$I/jsonl.err"
inp_same "JSON Lines" "$I/jsonl"
if [ "$(inp_col "$I/jsonl" 002_de5b57e354c9966c.txt 10)" = ok ]; then ok
else fail "JSON Lines: the doc_id is the record's id"; fi
sed 's/"id":/"docid":/; s/"text":/"content":/; s/"url":/"link":/' "$I/seeds.jsonl" >"$I/renamed.jsonl"
$BIN run -q -o "$I/jsonl-renamed" --jsonl-fields id=docid,text=content,url=link "$I/renamed.jsonl" 2>/dev/null
inp_same "JSON Lines with --jsonl-fields" "$I/jsonl-renamed"
$BIN run -q -o "$I/jsonl-x" --jsonl-fields title=x "$I/renamed.jsonl" 2>"$I/jf.err"; rc=$?
if [ "$rc" -eq 2 ] && grep -q 'jsonl-fields' "$I/jf.err"; then ok
else fail "--jsonl-fields with an unknown field exits 2 (got $rc)"; fi

# A WARC made by wget from a local HTTP server serving the pages.
inp_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(cd "$I/pages" && exec timeout 120 python3 -m http.server --bind 127.0.0.1 "$inp_port") >/dev/null 2>&1 &
inp_srv=$!
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$inp_port") 2>/dev/null && break; sleep 0.1; done
for f in "$I"/pages/*.html; do echo "http://127.0.0.1:$inp_port/$(basename "$f")"; done >"$I/urls"
(cd "$I" && timeout 60 wget --no-proxy -q --tries=2 --timeout=5 --waitretry=0 -O /dev/null \
	-i urls --warc-file=crawl); rc=$?
kill "$inp_srv" 2>/dev/null
wait "$inp_srv" 2>/dev/null
if [ "$rc" -eq 0 ] && [ -s "$I/crawl.warc.gz" ]; then ok; else fail "wget --warc-file (exit $rc)"; fi
$BIN run -q -o "$I/warc" "$I/crawl.warc.gz" 2>"$I/warc.err"
inp_same "WARC from wget (.warc.gz)" "$I/warc"
if [ "$(inp_col "$I/warc" "http://127.0.0.1:$inp_port/002_de5b57e354c9966c.html" 10)" = ok ] &&
	[ "$(tail -n +2 "$I/warc/docs.tsv" | wc -l)" -eq 5 ]; then ok
else fail "WARC: one row per page, doc_id the WARC-Target-URI (requests and metadata skipped)"; fi
gzip -dc "$I/crawl.warc.gz" >"$I/crawl.warc"
$BIN run -q -o "$I/warc-stdin" - <"$I/crawl.warc" 2>/dev/null
inp_same "WARC on stdin" "$I/warc-stdin"

# tar.gz, zip and a lone .gz, from files and from stdin.
tar -czf "$I/seeds.tar.gz" corpus
python3 -c 'import sys, zipfile
z = zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED)
[z.write(f) for f in sys.argv[2:]]' "$I/seeds.zip" corpus/*.txt
$BIN run -q -o "$I/tgz" "$I/seeds.tar.gz" 2>/dev/null
inp_same "tar.gz" "$I/tgz"
if [ "$(inp_col "$I/tgz" "$I/seeds.tar.gz!corpus/002_de5b57e354c9966c.txt" 10)" = ok ]; then ok
else fail "tar.gz: doc_id is archive!member"; fi
$BIN run -q -o "$I/zip" "$I/seeds.zip" 2>/dev/null
inp_same "zip" "$I/zip"
$BIN run -q -o "$I/tgz-stdin" - <"$I/seeds.tar.gz" 2>/dev/null
inp_same "tar.gz on stdin" "$I/tgz-stdin"
$BIN run -q -o "$I/zip-stdin" - <"$I/seeds.zip" 2>/dev/null
inp_same "zip on stdin" "$I/zip-stdin"
gzip -c "$S002" >"$I/002.txt.gz"
$BIN run -q -o "$I/gz" "$I/002.txt.gz" 2>/dev/null
if grep -q "^$I/002.txt.gz!002.txt	complaints_received	2688	" "$I/gz/facts.tsv"; then ok
else fail "a lone .gz is read as its one document"; fi

# RSS 2.0 (content:encoded) and Atom (content type="html"), file and stdin.
python3 tests/inputs/wrap.py rss "$I/plain/docs.tsv" "$I/feed.rss.xml" corpus/*.txt
python3 tests/inputs/wrap.py atom "$I/plain/docs.tsv" "$I/feed.atom.xml" corpus/*.txt
$BIN run -q -o "$I/rss" "$I/feed.rss.xml" 2>/dev/null
inp_same "RSS feed" "$I/rss"
$BIN run -q -o "$I/atom" "$I/feed.atom.xml" 2>/dev/null
inp_same "Atom feed" "$I/atom"
$BIN run -q -o "$I/rss-stdin" - <"$I/feed.rss.xml" 2>/dev/null
inp_same "RSS on stdin" "$I/rss-stdin"
$BIN run -q -o "$I/jsonl-stdin" - <"$I/seeds.jsonl" 2>/dev/null
inp_same "JSON Lines on stdin" "$I/jsonl-stdin"
if [ "$(inp_col "$I/rss" http://example.org/002_de5b57e354c9966c.txt 10)" = ok ] &&
	[ "$(inp_col "$I/atom" http://example.org/atom/002_de5b57e354c9966c.txt 10)" = ok ]; then ok
else fail "feeds: doc_id is the item's link"; fi

# ---- charsets -------------------------------------------------------------
# A GB2312 page that declares UTF-8 still decodes (the declaration is
# checked against the bytes); a UTF-8 page that declares gb2312 too.
P33=tests/html/peers/original/33a95b71-b49b-42c1-9c0a-ab8e3feba3cf.html
sed 's/charset=gb2312/charset=utf-8/' "$P33" >"$I/gb-says-utf8.html"
iconv -f GB18030 -t UTF-8 "$P33" >"$I/utf8-says-gb.html"
grep -q 'charset=utf-8' "$I/gb-says-utf8.html" && grep -q 'charset=gb2312' "$I/utf8-says-gb.html" && ok ||
	fail "charset fixtures"
$BIN run -q -o "$I/cs" --clean-dir "$I/cs-clean" "$I/gb-says-utf8.html" "$I/utf8-says-gb.html" 2>/dev/null
got="$(inp_col "$I/cs" "$I/gb-says-utf8.html" 3) $(inp_col "$I/cs" "$I/gb-says-utf8.html" 10)"
if [ "$got" = "gb18030 ok" ] && ! grep -rq $'\xef\xbf\xbd' "$I/cs-clean" &&
	grep -q '南昌市工商局公平交易局' "$I/cs-clean$I/gb-says-utf8.html.txt"; then ok
else fail "a GB2312 page declaring UTF-8 decodes without U+FFFD (got '$got')"; fi
if [ "$(inp_col "$I/cs" "$I/utf8-says-gb.html" 3)" = utf-8 ]; then ok
else fail "a UTF-8 page declaring gb2312 is read as UTF-8"; fi
# The HTTP header of a WARC record declares the charset of a page without a
# <meta>; a wrong header is checked like a wrong <meta>; chunked and gzip
# bodies are undone; a 404 and an image are not documents.
P70=tests/html/peers/original/f70d9c97-9d64-415e-a7e4-840c9258eaf5.html
sed 's/<meta charset="gb2312">//' "$P70" >"$I/gb-nometa.html"
head -c 64 /dev/urandom >"$I/img.png"
printf '%s\t%s\t%s\t%s\n' \
	http://example.org/gb-header "text/html; charset=gb2312" "$I/gb-nometa.html" "" \
	http://example.org/gb-lying-header "text/html; charset=utf-8" "$I/gb-nometa.html" "" \
	http://example.org/seed-002 "text/html; charset=UTF-8" "$I/pages/002_de5b57e354c9966c.html" chunked,gzip \
	http://example.org/missing "text/html" "$I/pages/002_de5b57e354c9966c.html" status=404 \
	http://example.org/img.png "image/png" "$I/img.png" "" |
	python3 tests/inputs/mkwarc.py "$I/hand.warc"
$BIN run -q --no-dedup -o "$I/hand" --clean-dir "$I/hand-clean" "$I/hand.warc" 2>"$I/hand.err"
got=$(tail -n +2 "$I/hand/docs.tsv" | cut -f1,3,10 | tr '\t\n' ' ')
want="http://example.org/gb-header gb18030 ok http://example.org/gb-lying-header gb18030 ok http://example.org/seed-002 utf-8 ok "
if [ "$got" = "$want" ] && ! grep -rq $'\xef\xbf\xbd' "$I/hand-clean"; then ok
else fail "WARC charsets, chunked+gzip body, 404 and image skipped: got '$got'"; fi
if grep -q '^http://example.org/seed-002	complaints_received	2688	' "$I/hand/facts.tsv"; then ok
else fail "a chunked, gzipped WARC response gives its facts"; fi
# Ruby: the pinyin of 004 written as <ruby>/<rt> markup gives the plain
# notice's facts and no readings.
mkdir -p "$I/ruby-in"
python3 tests/inputs/wrap.py ruby "$I/plain/docs.tsv" "$I/ruby-in/004_d84178776e794d49.html" "$S004"
$BIN run -q -o "$I/ruby" --clean-dir "$I/ruby-clean" "$I/ruby-in" 2>/dev/null
if grep -q '<rt>huán</rt>' "$I/ruby-in/004_d84178776e794d49.html" &&
	[ "$(inp_facts "$I/ruby/facts.tsv")" = "$(grep '^004_' "$I/plain.facts")" ] &&
	! grep -q 'huán\|(hù)' "$I/ruby-clean/004_d84178776e794d49.html.txt"; then ok
else fail "ruby markup: the readings are dropped, the facts stay"; fi
$BIN clean tests/html/ruby.html >"$I/ruby.txt" 2>/dev/null
if grep -q '这个汉字是' "$I/ruby.txt" && ! grep -q 'hàn\|zì\|(' "$I/ruby.txt"; then ok
else fail "tests/html/ruby.html: text without the readings"; fi

# ---- bad input: reported, skipped, the run completes, memory bounded ------
BI="$I/bad"
mkdir -p "$BI"
python3 tests/inputs/mkbad.py filler "$I/filler.tar.gz" "$S002"
head -c $(($(wc -c <"$I/filler.tar.gz") * 6 / 10)) "$I/filler.tar.gz" >"$BI/a-truncated.tar.gz"
gzip -c corpus/001_b39548e9f476d412.txt | head -c 1200 >"$BI/b-truncated.txt.gz"
python3 tests/inputs/mkbad.py lie "$I/crawl.warc" "$BI/c-lying.warc" 001_ -500 003_ 700
python3 tests/inputs/mkbad.py zipbomb "$BI/d-zipbomb.zip" 200 "$S004" # 3 x 200 MiB
{
	python3 -c 'import json, sys; print(json.dumps({"id": "good-1", "text": open(sys.argv[1]).read()}))' "$S002"
	echo '{"id": "broken", "text": "no closing brace"'
	echo '[1, 2, 3]'
	echo '{"id": "no-text", "body": "x"}'
	python3 -c 'import json, sys; print(json.dumps({"id": "good-5", "text": open(sys.argv[1]).read()}))' "$S004"
} >"$BI/e-invalid.jsonl"
inp_rss "$I/bad.rss" timeout 300 $BIN run --no-dedup -o "$I/bad-out" "$BI" >/dev/null 2>"$I/bad.err"; rc=$?
if [ "$rc" -eq 1 ] && grep -q '^bulletin: [0-9]* documents' "$I/bad.err"; then ok
else fail "bad containers: the run completes and exits 1 (got $rc)"; sed 's/^/    /' "$I/bad.err" >&2; fi
inp_bad() { # inp_bad DOC_ID STATUS STDERR-PATTERN
	local got; got=$(inp_col "$I/bad-out" "$1" 10)
	if [ "$got" = "$2" ] && grep -q "^bulletin: $3" "$I/bad.err"; then ok
	else fail "$1: status '$got' (want '$2'), stderr /$3/"; fi
}
U="http://127.0.0.1:$inp_port"
inp_bad a-truncated.tar.gz!002_de5b57e354c9966c.txt ok '[0-9]* documents'
if awk -F'\t' '$1 ~ /^a-truncated\.tar\.gz!/ && $10 == "error:corrupt" { n++ } END { exit n != 1 }' "$I/bad-out/docs.tsv" &&
	grep -q '^bulletin: a-truncated.tar.gz![^:]*: read: truncated gzip input' "$I/bad.err"; then ok
else fail "a truncated tar.gz: the member it breaks in is reported"; fi
inp_bad b-truncated.txt.gz error:corrupt 'b-truncated.txt.gz: read: .*truncated gzip'
inp_bad "$U/001_b39548e9f476d412.html" error:corrupt "$U/001_b39548e9f476d412.html: read: WARC record .*Content-Length"
inp_bad "$U/003_82f6416a0e1e9106.html" error:corrupt "$U/003_82f6416a0e1e9106.html: read: WARC record .*Content-Length"
inp_bad "$U/004_d84178776e794d49.html" ok '[0-9]* documents'
for k in 0 1 2; do
	inp_bad "d-zipbomb.zip!zeros$k.txt" error:too-large "d-zipbomb.zip!zeros$k.txt: read: .*--max-doc-bytes"
done
inp_bad d-zipbomb.zip!good.txt ok '[0-9]* documents'
inp_bad e-invalid.jsonl:2 error:json 'e-invalid.jsonl:2: read: invalid JSON'
inp_bad e-invalid.jsonl:3 error:json 'e-invalid.jsonl:3: read: not a JSON object'
inp_bad e-invalid.jsonl:4 error:json "e-invalid.jsonl:4: read: no 'text'"
inp_bad good-1 ok '[0-9]* documents'
inp_bad good-5 ok '[0-9]* documents'
if grep -q '^d-zipbomb.zip!good.txt	issues_found	60	' "$I/bad-out/facts.tsv" &&
	grep -q '^good-1	complaints_received	2688	' "$I/bad-out/facts.tsv" &&
	grep -q "^$U/004_d84178776e794d49.html	issues_found	60	" "$I/bad-out/facts.tsv"; then ok
else fail "the good documents beside the bad ones give their facts"; fi
# ASan's shadow memory and quarantine (freed 16 MB buffers) triple the
# footprint; the bound then only catches an input held whole.
inp_max_rss=200000
[ "${BUILD:-obj}" = obj-asan ] && inp_max_rss=600000
rss=$(tail -n 1 "$I/bad.rss")
echo "   bad containers (600 MiB of zip bomb among them): max RSS ${rss} KB"
if [ "${rss:-999999}" -lt "$inp_max_rss" ]; then ok
else fail "bad containers: max RSS ${rss} KB >= $inp_max_rss"; fi

# The archive limit: a tar.gz whose first member is 300 MiB of zeros.
python3 tests/inputs/mkbad.py tarbomb "$I/tarbomb.tar.gz" 300 "$S002"
inp_rss "$I/bomb.rss" $BIN run -o "$I/bomb" --max-archive-bytes 64M "$I/tarbomb.tar.gz" >/dev/null 2>"$I/bomb.err"; rc=$?
if [ "$rc" -eq 1 ] && [ "$(inp_col "$I/bomb" "$I/tarbomb.tar.gz" 10)" = error:archive-too-large ] &&
	grep -q "^bulletin: $I/tarbomb.tar.gz: read: .*--max-archive-bytes" "$I/bomb.err" &&
	[ -z "$(inp_col "$I/bomb" "$I/tarbomb.tar.gz!good.txt" 10)" ]; then ok
else fail "--max-archive-bytes 64M stops a 300 MiB tar.gz (exit $rc)"; sed 's/^/    /' "$I/bomb.err" >&2; fi
rss=$(tail -n 1 "$I/bomb.rss")
if [ "${rss:-999999}" -lt "$inp_max_rss" ]; then ok; else fail "tar bomb: max RSS ${rss} KB"; fi
$BIN run -q -o "$I/bomb-default" "$I/tarbomb.tar.gz" 2>/dev/null
if [ "$(inp_col "$I/bomb-default" "$I/tarbomb.tar.gz!zeros.txt" 10)" = error:too-large ] &&
	[ "$(inp_col "$I/bomb-default" "$I/tarbomb.tar.gz!good.txt" 10)" = ok ]; then ok
else fail "under the default 4G archive limit the member after the 300 MiB one is read"; fi
$BIN run -q -o "$I/x" --max-archive-bytes lots "$S002" 2>/dev/null; rc=$?
if [ "$rc" -eq 2 ]; then ok; else fail "--max-archive-bytes lots exits 2 (got $rc)"; fi
# An archive with nothing to read still gets its row.
mkdir -p "$I/emptydir/sub"
tar -cf "$I/nothing.tar" -C "$I/emptydir" sub
$BIN run -q -o "$I/nothing" "$I/nothing.tar" 2>/dev/null; rc=$?
if [ "$rc" -eq 1 ] && [ "$(inp_col "$I/nothing" "$I/nothing.tar" 10)" = empty ]; then ok
else fail "an archive without documents gets an 'empty' row (exit $rc)"; fi
if grep -q -- '--max-archive-bytes' README.md && grep -q -- '--max-doc-bytes' README.md &&
	grep -q '4G' README.md; then ok
else fail "README states the archive limit and its flag"; fi

# ---- the directory walk ---------------------------------------------------
# Plain files and directories are known from the directory entry; links
# (to a file, to a directory) are followed as stat() would; hidden entries
# and anything not a file (a FIFO) are left out; names go in sorted order.
W="$I/walk"
mkdir -p "$W/in/b-dir/inner" "$W/elsewhere"
cp "$S002" "$W/in/c.txt"
cp "$S004" "$W/in/b-dir/inner/a.txt"
cp "$S002" "$W/in/.hidden.txt"
cp "$S004" "$W/elsewhere/linked.txt"
ln -s "$W/elsewhere/linked.txt" "$W/in/a-link.txt"
ln -s "$W/elsewhere" "$W/in/d-linkdir"
mkfifo "$W/in/e-fifo"
if timeout 60 $BIN run -q -j 1 -o "$W/out" "$W/in" 2>"$W/err" &&
   [ "$(cut -f1 "$W/out/docs.tsv" | tail -n +2 | tr '\n' ' ')" = \
     "a-link.txt b-dir/inner/a.txt c.txt d-linkdir/linked.txt " ]; then ok
else fail "directory walk: links followed, hidden and FIFO left out, sorted"
     cut -f1 "$W/out/docs.tsv" >&2; cat "$W/err" >&2; fi
