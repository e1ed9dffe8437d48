# The same notice as GB18030, Big5 and UTF-16 gives the same facts as UTF-8.
mkdir -p "$T/enc"
facts_of() { # facts without the doc_id column
	$BIN extract "$1" 2>/dev/null | cut -f2-
}
for f in corpus/00[0-3]*.txt; do
	b=$(basename "$f" .txt)
	iconv -f UTF-8 -t GB18030 "$f" >"$T/enc/$b.gb18030"
	iconv -f UTF-8 -t UTF-16 "$f" >"$T/enc/$b.utf16"      # with BOM
	iconv -f UTF-8 -t UTF-16BE "$f" | { printf '\xfe\xff'; cat; } >"$T/enc/$b.utf16be"
	facts_of "$f" >"$T/enc/$b.want"
	for e in gb18030 utf16 utf16be; do
		if facts_of "$T/enc/$b.$e" | diff -u "$T/enc/$b.want" - >&2; then ok
		else fail "$b as $e gives other facts than UTF-8"; fi
	done
done
# Big5 cannot hold pinyin tone marks: the traditional notice without them.
sed -E 's/\((huán|hù|hé|[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]+)\)//g' corpus/004_d84178776e794d49.txt >"$T/enc/004.utf8"
iconv -f UTF-8 -t BIG5 "$T/enc/004.utf8" >"$T/enc/004.big5"
iconv -f UTF-8 -t GB18030 corpus/004_d84178776e794d49.txt >"$T/enc/004.gb18030"
facts_of corpus/004_d84178776e794d49.txt >"$T/enc/004.want"
for e in utf8 big5 gb18030; do
	if facts_of "$T/enc/004.$e" | diff -u "$T/enc/004.want" - >&2; then ok
	else fail "004 as $e gives other facts than the UTF-8 file"; fi
done
for e in gb18030:gb18030 big5:big5 utf16:utf-16le utf16be:utf-16be; do
	file=${e%%:*}; want=${e#*:}
	src=$(ls "$T"/enc/*."$file" | head -n 1)
	got=$($BIN run -q -o "$T/enc-out" "$src" 2>/dev/null; cut -f3 "$T/enc-out/docs.tsv" | tail -n 1)
	if [ "$got" = "$want" ]; then ok; else fail "encoding column for $file: got '$got', want '$want'"; fi
done
# Broken bytes first: the text is still UTF-8 while the invalid sequences
# are at most a tenth of the valid multi-byte ones, however early they
# come. 30 bad bytes then 300 three-byte characters is the limit itself;
# the count of bad sequences may stop early only once the bytes left could
# not make up the difference.
python3 -c 'import sys; sys.stdout.buffer.write(b"\xff" * 30 + "整".encode() * 300 + b"\n")' >"$T/enc/bad-first.txt"
$BIN run -q -o "$T/enc-bad" "$T/enc/bad-first.txt" 2>/dev/null
check "30 bad bytes before 300 characters: read as UTF-8, 30 replaced" \
	test "$(cut -f3,10 "$T/enc-bad/docs.tsv" | tail -n 1)" = "utf-8	warning:invalid-bytes=30"
