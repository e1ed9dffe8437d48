/* test.h: a minimal test_cond() harness in the manner of Redis testhelp.h.
 * Each test file ends with test_report(), which prints "N passed, N failed"
 * and returns the exit status. */
#ifndef BULLETIN_TEST_H
#define BULLETIN_TEST_H

#include <stdio.h>

static int test_passed, test_failed;

#define test_cond(descr, cond)                                                \
	do {                                                                  \
		if (cond) {                                                   \
			test_passed++;                                        \
		} else {                                                      \
			test_failed++;                                        \
			fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, \
				descr);                                       \
		}                                                             \
	} while (0)

static inline int test_report(void)
{
	printf("%d passed, %d failed\n", test_passed, test_failed);
	return test_failed ? 1 : 0;
}

#endif
