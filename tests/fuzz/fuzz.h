/* fuzz.h: what every fuzz target shares.
 *
 * Each tests/fuzz/fuzz_*.c defines LLVMFuzzerTestOneInput(). Built with
 * clang -fsanitize=fuzzer it is a libFuzzer target; built with any C11
 * compiler and -DSTANDALONE (as PCRE2's pcre2_fuzzsupport.c does) the main()
 * below replays files instead: each argument is a file, or a directory
 * whose regular files are replayed in sorted order, so a crash found by
 * libFuzzer can be replayed under gcc, valgrind or a debugger.
 *
 * fuzz_fail() aborts with a message: an invariant the target checks was
 * broken (libFuzzer then saves the input as a crash). */
#ifndef BULLETIN_FUZZ_H
#define BULLETIN_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline void fuzz_fail(const char *what)
{
	fprintf(stderr, "fuzz: invariant broken: %s\n", what);
	abort();
}

/* 1 if s[0..n) is valid UTF-8 without NUL and s[n] is NUL. */
static inline int fuzz_clean_utf8(const char *s, size_t n)
{
	if (s == NULL || s[n] != '\0')
		return 0;
	for (size_t i = 0; i < n;) {
		size_t k = pl_utf8_seq((const unsigned char *)s + i, n - i);
		if (k == 0 || s[i] == '\0')
			return 0;
		i += k;
	}
	return 1;
}

/* 1 if s is a plain decimal: -?[0-9]+(\.[0-9]+)? */
static inline int fuzz_plain_decimal(const char *s)
{
	if (*s == '-')
		s++;
	if (*s < '0' || *s > '9')
		return 0;
	while (*s >= '0' && *s <= '9')
		s++;
	if (*s == '.') {
		s++;
		if (*s < '0' || *s > '9')
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

#ifdef STANDALONE
#include <dirent.h>
#include <sys/stat.h>

static int fuzz_replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		fprintf(stderr, "fuzz: cannot open %s\n", path);
		return 1;
	}
	size_t cap = 1 << 16, n = 0;
	unsigned char *buf = malloc(cap);
	size_t got;
	while (buf != NULL && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			unsigned char *nb = realloc(buf, cap * 2);
			if (nb == NULL) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	fclose(f);
	if (buf == NULL) {
		fprintf(stderr, "fuzz: out of memory reading %s\n", path);
		return 1;
	}
	/* An exact-size copy, so a read past the end is caught by ASan or
	 * valgrind as it would be under libFuzzer. */
	unsigned char *exact = malloc(n ? n : 1);
	if (exact == NULL) {
		free(buf);
		return 1;
	}
	memcpy(exact, buf, n);
	free(buf);
	LLVMFuzzerTestOneInput(exact, n);
	free(exact);
	return 0;
}

static int fuzz_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int fuzz_replay(const char *path, size_t *count)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		fprintf(stderr, "fuzz: no such file or directory: %s\n", path);
		return 1;
	}
	if (!S_ISDIR(st.st_mode)) {
		(*count)++;
		return fuzz_replay_file(path);
	}
	DIR *d = opendir(path);
	if (d == NULL)
		return 1;
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		char **nn = realloc(names, (n + 1) * sizeof *names);
		if (nn == NULL)
			break;
		names = nn;
		size_t len = strlen(path) + strlen(de->d_name) + 2;
		names[n] = malloc(len);
		if (names[n] == NULL)
			break;
		snprintf(names[n++], len, "%s/%s", path, de->d_name);
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof *names, fuzz_name_cmp);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		rc |= fuzz_replay(names[i], count);
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...  (replays each input once)\n", argv[0]);
		return 2;
	}
	size_t count = 0;
	int rc = 0;
	for (int i = 1; i < argc; i++)
		rc |= fuzz_replay(argv[i], &count);
	printf("%s: %zu inputs replayed\n", argv[0], count);
	return rc;
}
#endif /* STANDALONE */

#endif
