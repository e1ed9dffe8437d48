/* test_utf8.c: the UTF-8 helpers against plain byte-at-a-time versions. */
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "utf8.h"

static size_t count_slowly(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

int main(void)
{
	const char *text = "截至2020年8月底,贵州省梳理形成的42项问题 — ½ 𠀀x\n约30项";
	size_t n = strlen(text);
	int same = 1;
	/* every start and length: the eight-byte steps and the tail */
	for (size_t a = 0; a < n; a++)
		for (size_t b = a; b <= n; b++)
			same &= pl_utf8_count(text + a, b - a) == count_slowly(text + a, b - a);
	test_cond("count: equals counting byte by byte, from every offset and length", same);
	test_cond("count: code points of a known text", pl_utf8_count("一二3四", 10) == 4);
	unsigned char all[256];
	for (int i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	test_cond("count: every byte value", pl_utf8_count((const char *)all, 256) ==
						 count_slowly((const char *)all, 256));
	/* Long texts: the sixteen-byte counts are added up every 255 blocks
	 * (4,080 bytes); a text all of continuation bytes fills every lane. */
	size_t big = 100000;
	char *cont = malloc(big), *mixed = malloc(big);
	int long_same = cont != NULL && mixed != NULL;
	unsigned seed = 7;
	for (size_t i = 0; long_same && i < big; i++) {
		cont[i] = (char)0x80;
		seed = seed * 1103515245u + 12345u;
		mixed[i] = (char)(seed >> 16);
	}
	for (size_t len = 4064; long_same && len <= 4112; len++)
		long_same = pl_utf8_count(cont, len) == 0 &&
			    pl_utf8_count(mixed, len) == count_slowly(mixed, len);
	long_same = long_same && pl_utf8_count(cont, big) == 0 &&
		    pl_utf8_count(mixed, big) == count_slowly(mixed, big) &&
		    pl_utf8_count(mixed + 3, big - 3) == count_slowly(mixed + 3, big - 3);
	test_cond("count: long texts, past the 255-block sums", long_same);
	free(cont);
	free(mixed);

	test_cond("is_han: ideographs and not", pl_is_han(0x4E00) && pl_is_han(0x9FFF) &&
							pl_is_han(0x20000) && !pl_is_han('a') &&
							!pl_is_han(0x3002));
	test_cond("count_byte: line ends", pl_count_byte("a\nb\n\nc", 6, '\n') == 3 &&
						 pl_count_byte("", 0, '\n') == 0 &&
						 pl_count_byte("\n", 1, '\n') == 1);
	test_cond("memfind: a CJK needle", pl_memfind(text, n, "问题", 6) == strstr(text, "问题"));
	test_cond("memfind: absent", pl_memfind(text, n, "完成", 6) == NULL);
	return test_report();
}
