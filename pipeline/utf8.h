/* utf8.h: small UTF-8 helpers shared by the stages. */
#ifndef PL_UTF8_H
#define PL_UTF8_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The four bytes at p as one number, the first lowest: one load (and a
 * byte swap on a big-endian machine). A three-byte character c at p is
 * whole when (pl_load4(p) & PL_UTF8_3_MASK) == PL_UTF8_3_WANT. */
static inline uint32_t pl_load4(const void *p)
{
	uint32_t w;
	memcpy(&w, p, 4);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap32(w);
#endif
	return w;
}
/* The two bytes at p likewise, the first lowest. */
static inline uint16_t pl_load2(const void *p)
{
	uint16_t w;
	memcpy(&w, p, 2);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap16(w);
#endif
	return w;
}
/* The eight bytes at p likewise, the first lowest. */
static inline uint64_t pl_load8(const void *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}
/* Sixteen bytes as one value, for the scans that look for a few byte
 * values in a whole text (sentence ends, digits, continuation bytes): a
 * GCC and Clang vector extension, which becomes SSE2 on x86-64, NEON on
 * ARM and plain word operations elsewhere, so there is one code path to
 * test. Comparing two gives 0xFF in each byte where they are equal. */
typedef unsigned char pl_v16 __attribute__((vector_size(16)));
typedef signed char pl_v16s __attribute__((vector_size(16))); /* for signed compares */

static inline pl_v16 pl_v16_load(const void *p)
{
	pl_v16 v;
	memcpy(&v, p, 16);
	return v;
}

/* 1 when some byte of m (a comparison's result) is set. */
static inline int pl_v16_any(pl_v16 m)
{
	uint64_t a, b;
	memcpy(&a, &m, 8);
	memcpy(&b, (const unsigned char *)&m + 8, 8);
	return (a | b) != 0;
}

/* The sum of the sixteen bytes of v. */
static inline size_t pl_v16_sum(pl_v16 v)
{
	uint64_t w[2];
	memcpy(w, &v, 16);
	size_t sum = 0;
	for (int h = 0; h < 2; h++) {
		/* the eight bytes in four 16-bit lanes, then the lanes added
		 * in the top lane by one multiply (at most 2,040: no carry) */
		uint64_t x = (w[h] & 0x00FF00FF00FF00FFULL) + ((w[h] >> 8) & 0x00FF00FF00FF00FFULL);
		sum += (size_t)((x * 0x0001000100010001ULL) >> 48);
	}
	return sum;
}

#define PL_UTF8_3_MASK 0xC0C0F0u /* 1110xxxx 10xxxxxx 10xxxxxx, first lowest */
#define PL_UTF8_3_WANT 0x8080E0u

/* Length of the valid UTF-8 sequence at s[0..n) (1-4), or 0 if the bytes
 * there are not valid UTF-8 (overlong, surrogate, out of range, truncated). */
size_t pl_utf8_seq(const unsigned char *s, size_t n);

/* Decodes the code point at s (valid UTF-8 assumed); *len gets its length.
 * Inline: normalise and the signatures call it once a character. */
static inline uint32_t pl_utf8_decode(const char *str, size_t *len)
{
	const unsigned char *s = (const unsigned char *)str;
	if (s[0] < 0x80) {
		*len = 1;
		return s[0];
	}
	if (s[0] < 0xE0) {
		*len = 2;
		return ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
	}
	if (s[0] < 0xF0) {
		*len = 3;
		return ((uint32_t)(s[0] & 0x0F) << 12) |
		       ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
	}
	*len = 4;
	return ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
	       ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
}


/* Number of code points in valid UTF-8 text. */
size_t pl_utf8_count(const char *s, size_t n);

/* The first occurrence of needle[0..m) in s[0..n), as memmem(), or NULL.
 * Faster on the short texts and CJK needles of the stages: it looks for
 * the needle's last byte with memchr (a UTF-8 continuation byte is rare in
 * any one position) where glibc's memmem first builds a shift table. */
const char *pl_memfind(const char *s, size_t n, const char *needle, size_t m);

/* Number of bytes c in s[0..n) (line ends, say), found with memchr. */
size_t pl_count_byte(const char *s, size_t n, char c);

/* 1 if cp is a Han ideograph (CJK unified ideographs and extensions).
 * Inline: normalise asks it of every character. */
static inline int pl_is_han(uint32_t cp)
{
	return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
	       (cp >= 0x20000 && cp <= 0x3134F) || (cp >= 0xF900 && cp <= 0xFAFF);
}

#endif
