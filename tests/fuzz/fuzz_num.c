/* fuzz_num.c: any bytes through pl_num_parse() and pl_num_expr().
 * Checks: a parse that succeeds gives a plain decimal value, consumes at
 * least one byte and no more than it was given, a known approximation and a
 * NUL-terminated unit (valid UTF-8 when the input is); one that fails leaves
 * *out zeroed and, for pl_num_expr, says why. The bytes are read in place
 * (not NUL-terminated), so ASan sees any read past n. */
#include "fuzz.h"
#include "num.h"

static void fuzz_num_check(const pl_num *n, size_t size, int utf8, const char *who)
{
	if (!fuzz_plain_decimal(n->value))
		fuzz_fail(who);
	if (n->len == 0 || n->len > size)
		fuzz_fail(who);
	if (n->approx < PL_APPROX_EXACT || n->approx > PL_APPROX_UNDER)
		fuzz_fail(who);
	if (memchr(n->unit, '\0', sizeof n->unit) == NULL)
		fuzz_fail(who);
	if (utf8 && !fuzz_clean_utf8(n->unit, strlen(n->unit)))
		fuzz_fail(who);
}

static int fuzz_num_zeroed(const pl_num *n)
{
	static const pl_num zero;
	return memcmp(n, &zero, sizeof zero) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	int utf8 = 1;
	for (size_t i = 0; i < size && utf8;) {
		size_t k = pl_utf8_seq(data + i, size - i);
		utf8 = k > 0 && data[i] != 0;
		i += k;
	}
	pl_num n;
	memset(&n, 0x5A, sizeof n); /* whatever the caller had there */
	if (pl_num_parse(s, size, &n) == PL_OK)
		fuzz_num_check(&n, size, utf8, "num: pl_num_parse result");
	else if (!fuzz_num_zeroed(&n))
		fuzz_fail("num: pl_num_parse failed without zeroing *out");
	const char *why = NULL;
	memset(&n, 0x5A, sizeof n);
	if (pl_num_expr(s, size, &n, &why) == PL_OK) {
		/* pl_num_expr reports what the numeral consumed; the unit
		 * and sub-units may follow it. */
		fuzz_num_check(&n, size, utf8, "num: pl_num_expr result");
	} else if (!fuzz_num_zeroed(&n) || why == NULL) {
		fuzz_fail("num: pl_num_expr failed without zeroing *out or a reason");
	}
	return 0;
}
