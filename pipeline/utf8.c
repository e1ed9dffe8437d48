/* utf8.c: UTF-8 validation and decoding used on every document, kept
 * branch-light because decode runs it over every input byte. */
#include <string.h>

#include "utf8.h"

size_t pl_utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	if (c < 0xC2)
		return 0;
	if (c < 0xE0) {
		if (n < 2 || (s[1] & 0xC0) != 0x80)
			return 0;
		return 2;
	}
	if (c < 0xF0) {
		if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		if (c == 0xE0 && s[1] < 0xA0)
			return 0; /* overlong */
		if (c == 0xED && s[1] >= 0xA0)
			return 0; /* surrogate */
		return 3;
	}
	if (c < 0xF5) {
		if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
		    (s[3] & 0xC0) != 0x80)
			return 0;
		if (c == 0xF0 && s[1] < 0x90)
			return 0;
		if (c == 0xF4 && s[1] >= 0x90)
			return 0;
		return 4;
	}
	return 0;
}

size_t pl_utf8_count(const char *s, size_t n)
{
	size_t c = 0, i = 0;
	/* Eight bytes at a time: a continuation byte is 10xxxxxx, so bit 7
	 * of x & ~(x << 1) marks one; the multiply adds the marks up. */
	for (; i + 8 <= n; i += 8) {
		uint64_t x;
		memcpy(&x, s + i, 8);
		uint64_t cont = (x & ~(x << 1) & 0x8080808080808080ULL) >> 7;
		c += 8 - (size_t)((cont * 0x0101010101010101ULL) >> 56);
	}
	for (; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}


size_t pl_count_byte(const char *s, size_t n, char c)
{
	size_t count = 0;
	for (const char *end = s + n; (s = memchr(s, c, (size_t)(end - s))) != NULL; s++)
		count++;
	return count;
}

const char *pl_memfind(const char *s, size_t n, const char *needle, size_t m)
{
	if (m == 0)
		return s;
	if (m > n)
		return NULL;
	const char last = needle[m - 1];
	const char *p = s + m - 1, *end = s + n;
	while ((p = memchr(p, last, (size_t)(end - p))) != NULL) {
		if (memcmp(p - (m - 1), needle, m - 1) == 0)
			return p - (m - 1);
		p++;
	}
	return NULL;
}
