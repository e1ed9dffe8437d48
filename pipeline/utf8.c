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
	/* Sixteen bytes at a time: the characters are the bytes that are not
	 * continuation bytes (10xxxxxx). Each byte of acc counts those of its
	 * lane, for up to 255 blocks before they are added up. */
	size_t cont = 0, i = 0;
	while (n - i >= 16) {
		size_t blocks = (n - i) / 16 < 255 ? (n - i) / 16 : 255;
		pl_v16 acc = {0};
		for (size_t k = 0; k < blocks; k++, i += 16) {
			pl_v16 v = pl_v16_load(s + i);
			acc -= (pl_v16)((v & 0xC0) == 0x80); /* a match is 0xFF: + 1 */
		}
		cont += pl_v16_sum(acc);
	}
	size_t c = i - cont;
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
