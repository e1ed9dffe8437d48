/* stage_decode.c: input bytes to valid UTF-8.
 * In:  d->bytes[0..d->nbytes) as read; d->charset, d->is_html from the
 *      reader.   Out: d->text (arena), d->encoding, d->replaced; status
 *      "empty", "error:binary" or "warning:..." when the input needs it.
 * Order of evidence: a BOM wins; then a declared charset, the container's
 * (a WARC record's HTTP Content-Type) before an HTML page's <meta>, each
 * verified: a declaration the bytes contradict (UTF-8 declared, invalid
 * UTF-8 found; a legacy charset declared, valid UTF-8 or many unmappable
 * bytes found) is passed over; then valid UTF-8; then ICU charset
 * detection. GB2312/GBK labels are read as GB18030, its superset.
 * Invalid bytes become U+FFFD and are counted; NUL bytes in text are dropped
 * and counted. Owns: nothing long-lived (ICU objects are opened per call,
 * which costs little next to the conversion itself, and only for the
 * minority of documents that are not UTF-8).   Errors: per document. */
#include <stdint.h>
#include <string.h>
#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>

#include "html.h"
#include "stage.h"
#include "utf8.h"

static int decode_open(void **state, const pl_opts *o, pl_err *e)
{
	(void)o;
	(void)e;
	*state = NULL;
	return PL_OK;
}

static void decode_close(void *state) { (void)state; }

/* Copies valid UTF-8 into the arena, replacing invalid sequences by U+FFFD
 * and dropping NUL bytes; counts both. */
static void decode_utf8(pl_doc *d, const unsigned char *b, size_t n,
			size_t *bad, size_t *nuls)
{
	pl_buf out;
	pl_buf_init(&out, d->arena, n + 16);
	size_t i = 0;
	while (i < n) {
		size_t start = i;
		/* fast run of valid bytes */
		while (i < n) {
			if (b[i] == 0)
				break;
			size_t k = b[i] < 0x80 ? 1 : pl_utf8_seq(b + i, n - i);
			if (k == 0)
				break;
			i += k;
		}
		pl_buf_add(&out, (const char *)b + start, i - start);
		if (i >= n)
			break;
		if (b[i] == 0) {
			(*nuls)++;
			i++;
		} else {
			pl_buf_add(&out, "\xEF\xBF\xBD", 3);
			(*bad)++;
			i++;
			while (i < n && (b[i] & 0xC0) == 0x80 && pl_utf8_seq(b + i, n - i) == 0) {
				i++; /* one U+FFFD for a broken sequence's continuation bytes */
			}
		}
	}
	d->text = out.data;
	d->len = out.len;
}

/* Most of a Chinese UTF-8 text, sixteen bytes at a time: ASCII other than
 * NUL, and three-byte sequences led by 0xE1-0xEC or 0xEE-0xEF (valid
 * whenever two continuation bytes follow; 0xE0 and 0xED have narrower
 * ranges). i is the start of a character and i + 18 <= n. When
 * b[i .. i + 16) holds only such characters (the last may end one or two
 * bytes after them), returns the bytes those characters take (16-18) and
 * adds the three-byte ones to *multi. Otherwise returns 0, and the byte
 * loop of pl_decode_utf8_stats() reads them. */
static size_t decode_block(const unsigned char *b, size_t i, size_t *multi)
{
	const pl_v16 zero = {0};
	pl_v16 v = pl_v16_load(b + i);
	pl_v16 lead = (pl_v16)((v & 0xF0) == 0xE0);
	pl_v16 cont = (pl_v16)((v & 0xC0) == 0x80);
	/* 0x01-0x80: 0x80 is a continuation byte, tested as one below */
	pl_v16 ascii = (pl_v16)((pl_v16s)(v - 1) >= 0);
	/* The continuation bytes must be the ones one and two places on
	 * from a lead byte, all of them and no others (a lead byte one
	 * place on from another fails this too): the lead bytes moved on
	 * by one and by two lanes, zeros coming in. */
	pl_v16 owned = __builtin_shufflevector(zero, lead, 15, 16, 17, 18, 19, 20, 21, 22, 23,
					       24, 25, 26, 27, 28, 29, 30) |
		       __builtin_shufflevector(zero, lead, 14, 15, 16, 17, 18, 19, 20, 21, 22,
					       23, 24, 25, 26, 27, 28, 29);
	pl_v16 refused = (cont ^ owned) | ~(ascii | lead | cont) | (pl_v16)(v == 0xE0) |
			 (pl_v16)(v == 0xED);
	if (pl_v16_any(refused))
		return 0;
	/* a sequence led from the last two bytes ends after the block */
	size_t end = 16;
	if (lead[15]) {
		if ((b[i + 16] & 0xC0) != 0x80 || (b[i + 17] & 0xC0) != 0x80)
			return 0;
		end = 18;
	} else if (lead[14]) {
		if ((b[i + 16] & 0xC0) != 0x80)
			return 0;
		end = 17;
	}
	*multi += pl_v16_sum(lead & 1);
	return end;
}

/* Counts invalid UTF-8 sequences, valid multi-byte ones and NUL bytes.
 * decode_run() reads the text as UTF-8 only when bad is 0 or bad * 10 <=
 * multi; once the bad sequences are so many that the rest of the bytes
 * could not bring multi up to that (two bytes at least a sequence), the
 * count stops. Then *bad (not 0) and *multi are what was counted so far,
 * with the same answer (a GB18030 page is settled in its first lines). */
void pl_decode_utf8_stats(const unsigned char *b, size_t n, size_t *bad, size_t *multi,
			  size_t *nuls)
{
	*bad = *multi = *nuls = 0;
	/* retry: where decode_block() may be asked again after it said no;
	 * the bytes it refused go to the byte loop, not to it once more
	 * (a GB18030 text would be refused at every character) */
	size_t retry = 0;
	for (size_t i = 0; i < n;) {
		if (i >= retry && n - i >= 18) {
			size_t k = decode_block(b, i, multi);
			if (k > 0) {
				i += k;
				continue;
			}
			retry = i + 16;
		}
		/* Three-byte sequences led by 0xE1-0xEC or 0xEE-0xEF (most of
		 * Chinese) are valid whenever two continuation bytes follow;
		 * 0xE0 and 0xED have narrower ranges and go the long way.
		 * This test comes first, ASCII after it: in Chinese text
		 * most characters are three bytes. */
		if (n - i >= 4) { /* both tests from one load of four bytes */
			uint32_t w = pl_load4(b + i);
			if ((w & PL_UTF8_3_MASK) == PL_UTF8_3_WANT && b[i] != 0xE0 && b[i] != 0xED) {
				(*multi)++;
				i += 3;
				continue;
			}
		} else if (b[i] >= 0xE1 && b[i] <= 0xEF && b[i] != 0xED && i + 2 < n &&
			   (b[i + 1] & 0xC0) == 0x80 && (b[i + 2] & 0xC0) == 0x80) {
			(*multi)++;
			i += 3;
			continue;
		}
		if (b[i] < 0x80) {
			*nuls += b[i] == 0;
			i++;
			continue;
		}
		size_t k = pl_utf8_seq(b + i, n - i);
		if (k == 0) {
			(*bad)++;
			i++;
			if (*bad * 10 > *multi + (n - i) / 2)
				return;
		} else {
			(*multi)++;
			i += k;
		}
	}
}

/* Converts b[0..n) from charset to UTF-8 in the arena with ICU. Unmappable
 * and illegal input becomes U+FFFD (ICU's default substitution) and is
 * counted after the fact. */
static int decode_icu(pl_doc *d, const char *charset, const unsigned char *b,
		      size_t n, pl_err *e)
{
	UErrorCode status = U_ZERO_ERROR;
	UConverter *from = ucnv_open(charset, &status);
	if (U_FAILURE(status))
		return pl_errf(e, PL_EDOC, "%s: decode: ICU cannot open %s: %s",
			       d->id, charset, u_errorName(status));
	UConverter *to = ucnv_open("UTF-8", &status);
	if (U_FAILURE(status)) {
		ucnv_close(from);
		return pl_errf(e, PL_EDOC, "%s: decode: ICU: %s", d->id,
			       u_errorName(status));
	}
	/* Chinese text: at most 3 UTF-8 bytes per input byte (single-byte
	 * input to a 3-byte character), plus the substitution worst case. */
	size_t cap = n * 3 + 16;
	char *out = pl_alloc(d->arena, cap);
	char *target = out;
	const char *source = (const char *)b;
	ucnv_convertEx(to, from, &target, out + cap - 1, &source, source + n,
		       NULL, NULL, NULL, NULL, 1, 1, &status);
	ucnv_close(from);
	ucnv_close(to);
	if (U_FAILURE(status))
		return pl_errf(e, PL_EDOC, "%s: decode: converting from %s: %s",
			       d->id, charset, u_errorName(status));
	*target = '\0';
	d->text = out;
	d->len = (size_t)(target - out);
	/* U+FFFD is EF BF BD; memchr finds the 0xEF bytes (in Chinese text,
	 * mostly full-width punctuation) */
	size_t bad = 0;
	const char *end = out + d->len;
	for (const char *p = out; (p = memchr(p, 0xEF, (size_t)(end - p))) != NULL; p++)
		bad += end - p >= 3 && memcmp(p, "\xEF\xBF\xBD", 3) == 0;
	d->replaced += bad;
	/* A converted NUL would end the C string early: drop them. */
	if (memchr(out, 0, d->len) != NULL) {
		size_t w = 0, nul = 0;
		for (size_t i = 0; i < d->len; i++)
			if (out[i] != 0)
				out[w++] = out[i];
			else
				nul++;
		out[w] = '\0';
		d->len = w;
		d->replaced += nul;
	}
	return PL_OK;
}

/* ICU's detector, restricted to charsets a Chinese bulletin corpus holds.
 * Returns a converter name or NULL. */
static const char *decode_detect(const unsigned char *b, size_t n, int *conf)
{
	static const struct { const char *icu, *use; } known[] = {
		{"GB18030", "GB18030"},   {"Big5", "Big5"},
		{"UTF-16LE", "UTF-16LE"}, {"UTF-16BE", "UTF-16BE"},
		{"UTF-32LE", "UTF-32LE"}, {"UTF-32BE", "UTF-32BE"},
		{"EUC-JP", "EUC-JP"},     {"Shift_JIS", "Shift_JIS"},
		{"EUC-KR", "EUC-KR"},     {"ISO-8859-1", "windows-1252"},
		{"windows-1252", "windows-1252"}, {"UTF-8", "UTF-8"},
	};
	UErrorCode status = U_ZERO_ERROR;
	UCharsetDetector *det = ucsdet_open(&status);
	if (U_FAILURE(status))
		return NULL;
	/* The detector reads at most what it is given; 64 KB is plenty. */
	ucsdet_setText(det, (const char *)b, (int32_t)(n > 65536 ? 65536 : n), &status);
	int32_t found = 0;
	const UCharsetMatch **m = ucsdet_detectAll(det, &found, &status);
	const char *use = NULL;
	for (int32_t i = 0; U_SUCCESS(status) && i < found && use == NULL; i++) {
		const char *name = ucsdet_getName(m[i], &status);
		for (size_t k = 0; name && k < sizeof known / sizeof known[0]; k++)
			if (strcmp(name, known[k].icu) == 0) {
				use = known[k].use;
				*conf = ucsdet_getConfidence(m[i], &status);
			}
	}
	ucsdet_close(det);
	return use;
}

/* Chinese in GB18030, told apart without ICU's detector. The detector
 * runs every one of its recognizers on every call, the single-byte ones
 * scoring the text against n-grams of a dozen languages (ICU 72's
 * detectAll ignores ucsdet_setDetectableCharset), which made it most of
 * the cost of a GB18030 document. The screen passes only well-formed
 * GB18030 (one-, two- and four-byte sequences) of at least 64 two-byte
 * characters that no other charset ICU recognizes would be taken for,
 * either:
 * - simplified: nine in ten two-byte characters in GB2312's rows (both
 *   bytes 0xA1 or above, outside the unassigned rows 0xAA-0xAF), where
 *   Big5 and Shift_JIS text has many second bytes below 0xA1; at least 64
 *   hanzi (rows 0xB0-0xF7), one in seven from rows 0xC9 up (GB2312 orders
 *   hanzi by pinyin and Chinese uses the whole range, while EUC-KR's
 *   Hangul, read as GB2312, is all below 0xC9); kana rows (0xA4, 0xA5)
 *   under 1% of the hanzi (EUC-JP has many);
 * - traditional, in GBK's extensions: one in twenty first bytes 0x81-0xA0
 *   (never in Big5, EUC-KR or EUC-JP, bar EUC-JP's 0x8E and 0x8F, not
 *   counted), nothing in GBK's user-defined areas (where Big5 puts its
 *   punctuation and many hanzi), under 2% of what Shift_JIS reads as kana
 *   (0x829F-0x82F1, 0x8340-0x8396), and one in five first bytes
 *   0xA1-0xDF or 0xF0 up, which Shift_JIS never has as a first byte (even
 *   Chinese text in Shift_JIS, without kana, fails there);
 * and in both, under one two-byte character in twenty after a space after
 * another: Chinese puts no spaces between words, Korean does.
 * Everything else (short texts, mixed ones, Big5, Japanese, Korean) goes
 * to ICU's detector as before. Over the bench corpus both agree on every
 * GB18030 document; tests/unit/test_stages.c holds the other charsets. */
int pl_decode_is_gb_chinese(const unsigned char *b, size_t n)
{
	size_t wide = 0, gb2312 = 0, hanzi = 0, late = 0, kana = 0, spaced = 0;
	size_t gbk3 = 0, user = 0, sjis_kana = 0, not_sjis = 0;
	int after = 0; /* 1: the last character was two bytes; 2: and a space */
	for (size_t i = 0; i < n;) {
		unsigned char c = b[i];
		if (c < 0x80) {
			after = after == 1 && c == ' ' ? 2 : 0;
			i++;
			continue;
		}
		if (c == 0x80 || c == 0xFF || i + 1 >= n)
			return 0;
		unsigned char t = b[i + 1];
		if (t >= 0x30 && t <= 0x39) { /* four bytes: lead, digit, lead, digit */
			if (i + 3 >= n || b[i + 2] < 0x81 || b[i + 2] > 0xFE || b[i + 3] < 0x30 ||
			    b[i + 3] > 0x39)
				return 0;
			wide++;
			after = 0;
			i += 4;
			continue;
		}
		if (t < 0x40 || t == 0x7F || t == 0xFF)
			return 0;
		wide++;
		spaced += after == 2;
		if (c >= 0xA1 && c <= 0xF7 && t >= 0xA1 && !(c >= 0xAA && c <= 0xAF)) {
			gb2312++;
			kana += c == 0xA4 || c == 0xA5;
			if (c >= 0xB0) {
				hanzi++;
				late += c >= 0xC9;
			}
		}
		gbk3 += c <= 0xA0 && c != 0x8E && c != 0x8F;
		user += (c >= 0xA1 && c <= 0xA7 && t < 0xA1) || (c >= 0xAA && c <= 0xAF && t >= 0xA1) ||
			(c >= 0xF8 && t >= 0xA1);
		sjis_kana += (c == 0x82 && t >= 0x9F && t <= 0xF1) || (c == 0x83 && t <= 0x96);
		not_sjis += (c >= 0xA1 && c <= 0xDF) || c >= 0xF0;
		after = 1;
		i += 2;
	}
	if (wide < 64 || spaced * 20 >= wide)
		return 0;
	int simplified = hanzi >= 64 && gb2312 * 10 >= wide * 9 && late * 7 >= hanzi &&
			 kana * 100 < hanzi;
	int traditional = gbk3 * 20 >= wide && user == 0 && sjis_kana * 50 < wide &&
			  not_sjis * 5 >= wide;
	return simplified || traditional;
}

static const char *decode_label(pl_doc *d, const char *icu)
{
	char *l = pl_strndup(d->arena, icu, strlen(icu));
	for (char *p = l; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return l;
}

/* Control bytes that never occur in text (NUL counted separately). */
static int decode_is_binary(const unsigned char *b, size_t n, size_t *nuls)
{
	static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
	if (n >= 8 && memcmp(b, png, 8) == 0)
		return 1;
	if (n >= 4 && (memcmp(b, "%PDF", 4) == 0 || memcmp(b, "PK\x03\x04", 4) == 0 ||
		       memcmp(b, "\x1F\x8B", 2) == 0 || memcmp(b, "\xFF\xD8\xFF", 3) == 0 ||
		       memcmp(b, "GIF8", 4) == 0 || memcmp(b, "\x7F" "ELF", 4) == 0))
		return 1;
	size_t ctl = 0, look = n > 65536 ? 65536 : n;
	*nuls = 0;
	for (size_t i = 0; i < look; i++) {
		/* Eight bytes at a time past those with no byte below 0x20
		 * (most of a text: only its line ends and tabs are). */
		while (i + 8 <= look) {
			uint64_t x;
			memcpy(&x, b + i, 8);
			if (((x - 0x2020202020202020ULL) & ~x & 0x8080808080808080ULL) != 0)
				break;
			i += 8;
		}
		if (i == look)
			break;
		if (b[i] == 0)
			(*nuls)++;
		else if (b[i] < 0x09 || (b[i] > 0x0D && b[i] < 0x20 && b[i] != 0x1B))
			ctl++;
	}
	return ctl * 100 > look; /* over 1% */
}

/* A declared charset label as the ICU converter to use: GB2312 and GBK
 * (and their aliases) as GB18030, Latin-1 and ASCII as windows-1252 (what
 * browsers do), UTF-8 spelled one way. NULL for a label ICU cannot open. */
static const char *decode_canon(const char *label, char *buf, size_t bufsz)
{
	static const struct { const char *label, *use; } alias[] = {
		{"gb2312", "GB18030"},     {"gbk", "GB18030"},	 {"gb18030", "GB18030"},
		{"x-gbk", "GB18030"},      {"cp936", "GB18030"}, {"ms936", "GB18030"},
		{"windows-936", "GB18030"}, {"gb_2312-80", "GB18030"},
		{"gb_2312", "GB18030"},    {"csgb2312", "GB18030"}, {"euc-cn", "GB18030"},
		{"x-euc-cn", "GB18030"},   {"chinese", "GB18030"}, {"iso-ir-58", "GB18030"},
		{"utf-8", "UTF-8"},	   {"utf8", "UTF-8"},	 {"unicode-1-1-utf-8", "UTF-8"},
		{"big5", "Big5"},	   {"x-x-big5", "Big5"}, {"cn-big5", "Big5"},
		{"csbig5", "Big5"},	   {"iso-8859-1", "windows-1252"},
		{"latin1", "windows-1252"}, {"us-ascii", "windows-1252"},
		{"ascii", "windows-1252"}, {"windows-1252", "windows-1252"},
	};
	size_t n = 0;
	for (; label[n] && n + 1 < bufsz; n++)
		buf[n] = (char)(label[n] >= 'A' && label[n] <= 'Z' ? label[n] - 'A' + 'a' : label[n]);
	buf[n] = '\0';
	for (size_t k = 0; k < sizeof alias / sizeof alias[0]; k++)
		if (strcmp(buf, alias[k].label) == 0)
			return alias[k].use;
	UErrorCode status = U_ZERO_ERROR;
	UConverter *c = ucnv_open(buf, &status);
	if (U_FAILURE(status))
		return NULL;
	ucnv_close(c);
	return buf;
}

/* A converter that maps one byte to one character never fails to convert,
 * so it cannot be verified by conversion. */
static int decode_single_byte(const char *cs)
{
	UErrorCode status = U_ZERO_ERROR;
	UConverter *c = ucnv_open(cs, &status);
	if (U_FAILURE(status))
		return 0;
	int one = ucnv_getMaxCharSize(c) == 1;
	ucnv_close(c);
	return one;
}

/* A charset in which ASCII text is not itself (UTF-16 and UTF-32, two or
 * more bytes a character; EBCDIC) cannot be what text declaring itself in
 * ASCII is written in: browsers read such a declaration as UTF-8 (WHATWG),
 * and real UTF-16 is found by its BOM or its NUL bytes before any
 * declaration is looked at. Tested on the characters a <meta> is made of. */
static int decode_ascii_incompatible(const char *cs)
{
	static const char probe[] = "<meta charset=\"\"> abcdefghijklmnopqrstuvwxyz"
				    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_;/:.";
	UErrorCode status = U_ZERO_ERROR;
	UConverter *c = ucnv_open(cs, &status);
	if (U_FAILURE(status))
		return 0;
	UChar out[sizeof probe];
	int32_t n = ucnv_toUChars(c, out, (int32_t)(sizeof probe), probe,
				  (int32_t)(sizeof probe - 1), &status);
	ucnv_close(c);
	if (U_FAILURE(status) || n != (int32_t)(sizeof probe - 1))
		return 1;
	for (int32_t i = 0; i < n; i++)
		if (out[i] != (UChar)(unsigned char)probe[i])
			return 1;
	return 0;
}

/* Tries the declared charset cs on b[0..n) (bad: invalid UTF-8 sequences
 * in the bytes). Returns 1 with d->text, d->encoding set when the bytes
 * bear the declaration out, 0 when they contradict it or it is UTF-8 (the
 * UTF-8 path decides; nothing set but arena memory), -1 on an ICU error
 * (e filled). */
static int decode_declared(pl_doc *d, const char *cs, const unsigned char *b, size_t n,
			   size_t bad, pl_err *e)
{
	/* UTF-8 declared: the UTF-8 path below takes the bytes if they are
	 * valid, and detection if they are not. */
	if (strcmp(cs, "UTF-8") == 0 || decode_ascii_incompatible(cs))
		return 0;
	/* Long runs of valid multi-byte UTF-8 do not happen by chance in a
	 * legacy encoding: a page re-encoded to UTF-8 kept its old <meta>.
	 * And bytes that are all ASCII read as ASCII in every charset a
	 * browser accepts (WHATWG): ICU's Shift_JIS would turn 0x7F into
	 * another control character, and ASCII text must come out as it
	 * went in. */
	if (bad == 0)
		return 0;
	if (decode_single_byte(cs)) {
		/* Latin-1 declared on a Chinese page is a common mistake:
		 * believe it only if the detector sees no CJK encoding. */
		int conf = 0;
		const char *det = decode_detect(b, n, &conf);
		if (det != NULL && (strcmp(det, "GB18030") == 0 || strcmp(det, "Big5") == 0 ||
				    strcmp(det, "EUC-JP") == 0 || strcmp(det, "Shift_JIS") == 0 ||
				    strcmp(det, "EUC-KR") == 0) && conf >= 10)
			return 0;
	}
	char *save_text = d->text;
	size_t save_len = d->len, save_rep = d->replaced;
	if (decode_icu(d, cs, b, n, e) != PL_OK)
		return -1;
	/* A few bad bytes are damage; many mean the declaration is wrong. */
	size_t rep = d->replaced - save_rep, chars = pl_utf8_count(d->text, d->len);
	if (rep > 0 && rep * 200 > chars) {
		d->text = save_text;
		d->len = save_len;
		d->replaced = save_rep;
		return 0;
	}
	d->encoding = decode_label(d, cs);
	return 1;
}

static int decode_run(void *state, pl_doc *d, pl_err *e)
{
	(void)state;
	const unsigned char *b = d->bytes;
	size_t n = d->nbytes;
	d->replaced = 0;
	if (n == 0) {
		d->status = "empty";
		d->text = pl_strndup(d->arena, "", 0);
		d->len = 0;
		pl_errf(e, PL_EDOC, "%s: decode: empty input", d->id);
		return PL_DROP;
	}
	/* A BOM wins over everything else. */
	if (n >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0) {
		b += 3;
		n -= 3;
		d->encoding = "utf-8";
	} else if (n >= 2 && (memcmp(b, "\xFF\xFE", 2) == 0 || memcmp(b, "\xFE\xFF", 2) == 0)) {
		const char *cs = b[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
		d->encoding = decode_label(d, cs);
		if (decode_icu(d, cs, b + 2, n - 2, e) != PL_OK)
			return PL_ERR;
		goto done;
	}
	size_t nuls = 0;
	if (decode_is_binary(b, n, &nuls) ||
	    (nuls * 20 > (n > 65536 ? 65536 : n))) {
		/* Many NULs: UTF-16/32 without a BOM, or binary. */
		int conf = 0;
		const char *cs = decode_detect(b, n, &conf);
		if (cs != NULL && strncmp(cs, "UTF-", 4) == 0 && strcmp(cs, "UTF-8") != 0 &&
		    conf >= 50) {
			d->encoding = decode_label(d, cs);
			if (decode_icu(d, cs, b, n, e) != PL_OK)
				return PL_ERR;
			goto done;
		}
		d->status = "error:binary";
		d->text = pl_strndup(d->arena, "", 0);
		d->len = 0;
		return pl_errf(e, PL_EDOC, "%s: decode: binary data, not text", d->id);
	}
	size_t bad, multi, all_nuls;
	pl_decode_utf8_stats(b, n, &bad, &multi, &all_nuls);
	/* Declared charsets: the container's first, then an HTML <meta>. */
	const char *declared[2];
	char meta[64], canon[2][64];
	size_t ndecl = 0;
	if (d->charset != NULL)
		declared[ndecl++] = d->charset;
	if ((d->is_html || pl_html_sniff(b, n)) &&
	    pl_html_declared_charset(b, n, meta, sizeof meta))
		declared[ndecl++] = meta;
	for (size_t k = 0; k < ndecl; k++) {
		const char *cs = decode_canon(declared[k], canon[k], sizeof canon[k]);
		if (cs == NULL)
			continue; /* a label no converter knows: detect instead */
		int got = decode_declared(d, cs, b, n, bad, e);
		if (got < 0)
			return PL_ERR;
		if (got > 0)
			goto done;
	}
	/* Valid UTF-8, or UTF-8 with a few broken bytes (a truncated download,
	 * a bad splice): repair rather than misread the whole text. */
	if (bad == 0 || (multi > 0 && bad * 10 <= multi)) {
		if (d->encoding == NULL)
			d->encoding = "utf-8";
		size_t nul = 0, rep = 0;
		if (bad == 0 && all_nuls == 0) { /* most documents: a copy will do */
			d->text = pl_strndup(d->arena, (const char *)b, n);
			d->len = n;
		} else {
			decode_utf8(d, b, n, &rep, &nul);
		}
		d->replaced += rep + nul;
		if (nul > 0 && rep == 0) {
			d->status = pl_sprintf(d->arena, "warning:nul-bytes=%zu", nul);
			pl_errf(e, PL_EDOC, "%s: decode: %zu NUL byte(s) dropped", d->id, nul);
			return PL_OK;
		}
		goto done;
	}
	int conf = 0;
	const char *cs = pl_decode_is_gb_chinese(b, n) ? "GB18030" : decode_detect(b, n, &conf);
	if (cs == NULL || strcmp(cs, "UTF-8") == 0)
		cs = "GB18030"; /* the common case for Chinese pages that are not UTF-8 */
	d->encoding = decode_label(d, cs);
	if (decode_icu(d, cs, b, n, e) != PL_OK)
		return PL_ERR;
done:
	if (d->replaced > 0) {
		d->status = pl_sprintf(d->arena, "warning:invalid-bytes=%zu", d->replaced);
		pl_errf(e, PL_EDOC, "%s: decode: %zu invalid byte sequence(s) replaced by U+FFFD",
			d->id, d->replaced);
	}
	return PL_OK;
}

const pl_stage pl_stage_decode = {
	.name = "decode", .open = decode_open, .run = decode_run, .close = decode_close,
};
