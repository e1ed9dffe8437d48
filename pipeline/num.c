/* num.c: Chinese/Arabic numerals to exact decimal strings.
 *
 * Values are held as fixed-point decimal digit arrays (num_dec) so that
 * 4.39亿 is 439000000 and 233,333，333,434.344 keeps every digit; there is
 * no floating point anywhere. The parser walks the UTF-8 text once, left to
 * right, with the usual section algorithm (a section below 万, the 万 part,
 * and everything already multiplied by 亿/兆), plus the extras real text
 * needs: elision (三万五), ranges (三五百), 几/多/余 forms, Arabic digits
 * mixed in (1.2万, 200亿零四千230), digit strings (一九九八) and fractions
 * (二分之一). See num.h for the conventions chosen. */
#include <string.h>

#include "num.h"

#define NUM_FD 24 /* fraction digits kept */
#define NUM_ID 36 /* integer digits allowed */
#define NUM_ND (NUM_FD + NUM_ID)

typedef struct num_dec {
	unsigned char d[NUM_ND]; /* d[i] is the digit worth 10^(i - NUM_FD) */
	int over;		 /* a nonzero digit went past the top */
	int lost;		 /* a nonzero digit fell off the bottom */
} num_dec;

/* ---- decimal arithmetic ------------------------------------------------ */

static void num_dec_zero(num_dec *a)
{
	memset(a, 0, sizeof *a);
}

static int num_dec_iszero(const num_dec *a)
{
	for (int i = 0; i < NUM_ND; i++)
		if (a->d[i] != 0)
			return 0;
	return 1;
}

/* a = digit * 10^exp */
static void num_dec_digit(num_dec *a, int digit, int exp)
{
	num_dec_zero(a);
	int i = exp + NUM_FD;
	if (i < 0)
		a->lost = digit != 0;
	else if (i >= NUM_ND)
		a->over = digit != 0;
	else
		a->d[i] = (unsigned char)digit;
}

/* 1 if a is exactly 10^k */
static int num_dec_ispow10(const num_dec *a, int k)
{
	for (int i = 0; i < NUM_ND; i++)
		if (a->d[i] != (i == k + NUM_FD ? 1 : 0))
			return 0;
	return 1;
}

static void num_dec_add(num_dec *a, const num_dec *b)
{
	int c = 0;
	for (int i = 0; i < NUM_ND; i++) {
		/* at most 19: the carry is 0 or 1, a compare rather than a
		 * division on the chain from digit to digit */
		int s = a->d[i] + b->d[i] + c;
		c = s >= 10;
		a->d[i] = (unsigned char)(s - 10 * c);
	}
	a->over |= b->over | c;
	a->lost |= b->lost;
}

/* a *= 10^k (k may be negative) */
static void num_dec_shift(num_dec *a, int k)
{
	unsigned char t[NUM_ND];
	memset(t, 0, sizeof t);
	for (int j = 0; j < NUM_ND; j++) {
		if (a->d[j] == 0)
			continue;
		int i = j + k;
		if (i >= NUM_ND)
			a->over = 1;
		else if (i < 0)
			a->lost = 1;
		else
			t[i] = a->d[j];
	}
	memcpy(a->d, t, sizeof t);
}

/* Rounds a half up to the given number of fraction digits. */
static void num_dec_round(num_dec *a, int places)
{
	int cut = NUM_FD - places; /* digits below index cut go */
	if (cut <= 0)
		return;
	int up = a->d[cut - 1] >= 5;
	memset(a->d, 0, (size_t)cut);
	if (up) {
		num_dec one;
		num_dec_digit(&one, 1, -places);
		num_dec_add(a, &one);
	}
}

/* q = b / a. Returns 0, or -1 if a is zero or too long for the long
 * division; *inexact is set when the quotient does not terminate within
 * NUM_FD fraction digits. */
static int num_dec_div(num_dec *q, const num_dec *b, const num_dec *a, int *inexact)
{
	num_dec x = *a, y = *b;
	int f = 0; /* fraction digits of a: scale both to make a whole */
	for (int i = 0; i < NUM_FD; i++)
		if (x.d[i] != 0) {
			f = NUM_FD - i;
			break;
		}
	num_dec_shift(&x, f);
	num_dec_shift(&y, f);
	if (x.over || y.over)
		return -1;
	unsigned long long div = 0;
	for (int i = NUM_ND - 1; i >= NUM_FD; i--) {
		if (div > 99999999999999999ULL) /* keep div * 10 + 9 in range */
			return -1;
		div = div * 10 + x.d[i];
	}
	if (div == 0)
		return -1;
	num_dec_zero(q);
	unsigned long long r = 0;
	for (int i = NUM_ND - 1; i >= 0; i--) {
		unsigned long long cur = r * 10 + y.d[i];
		q->d[i] = (unsigned char)(cur / div);
		r = cur % div;
	}
	*inexact = r != 0;
	return 0;
}

/* Writes a as a plain decimal; buf needs 64 bytes. */
static void num_dec_format(const num_dec *a, int neg, char *buf)
{
	int hi = NUM_FD, lo = NUM_FD;
	for (int i = NUM_ND - 1; i > NUM_FD; i--)
		if (a->d[i] != 0) {
			hi = i;
			break;
		}
	for (int i = 0; i < NUM_FD; i++)
		if (a->d[i] != 0) {
			lo = i;
			break;
		}
	char *p = buf;
	if (neg && !num_dec_iszero(a))
		*p++ = '-';
	for (int i = hi; i >= NUM_FD; i--)
		*p++ = (char)('0' + a->d[i]);
	if (lo < NUM_FD) {
		*p++ = '.';
		for (int i = NUM_FD - 1; i >= lo; i--)
			*p++ = (char)('0' + a->d[i]);
	}
	*p = '\0';
}

/* ---- characters -------------------------------------------------------- */

enum {
	NUM_C_DIGIT = 1, /* 零..九 and 大写: val is the digit */
	NUM_C_SDIGIT,	 /* 洞 拐: digits only inside a digit string */
	NUM_C_UNIT,	 /* 十 百 千: val is the exponent */
	NUM_C_BIG,	 /* 万 亿 兆: val is the exponent */
	NUM_C_TENS,	 /* 廿 卅 卌: val is the value */
	NUM_C_POINT,	 /* 点 點 */
	NUM_C_JI,	 /* 几: some digit */
	NUM_C_SHU,	 /* 数: some digit, only before a unit */
	NUM_C_MORE,	 /* 多 余 来: "and more" after a unit */
	NUM_C_GE	 /* 个: may sit between a number and 万/亿 */
};

typedef struct num_char {
	const char *s;
	int cls, val;
	int liang; /* 两: ends a digit string only if a digit follows */
} num_char;

/* clang-format off */
static const num_char num_chars[] = {
	{"零", NUM_C_DIGIT, 0, 0}, {"〇", NUM_C_DIGIT, 0, 0}, {"○", NUM_C_DIGIT, 0, 0},
	{"一", NUM_C_DIGIT, 1, 0}, {"壹", NUM_C_DIGIT, 1, 0}, {"幺", NUM_C_DIGIT, 1, 0},
	{"二", NUM_C_DIGIT, 2, 0}, {"贰", NUM_C_DIGIT, 2, 0}, {"貳", NUM_C_DIGIT, 2, 0},
	{"两", NUM_C_DIGIT, 2, 1}, {"兩", NUM_C_DIGIT, 2, 1},
	{"三", NUM_C_DIGIT, 3, 0}, {"叁", NUM_C_DIGIT, 3, 0}, {"參", NUM_C_DIGIT, 3, 0},
	{"四", NUM_C_DIGIT, 4, 0}, {"肆", NUM_C_DIGIT, 4, 0},
	{"五", NUM_C_DIGIT, 5, 0}, {"伍", NUM_C_DIGIT, 5, 0},
	{"六", NUM_C_DIGIT, 6, 0}, {"陆", NUM_C_DIGIT, 6, 0}, {"陸", NUM_C_DIGIT, 6, 0},
	{"七", NUM_C_DIGIT, 7, 0}, {"柒", NUM_C_DIGIT, 7, 0},
	{"八", NUM_C_DIGIT, 8, 0}, {"捌", NUM_C_DIGIT, 8, 0},
	{"九", NUM_C_DIGIT, 9, 0}, {"玖", NUM_C_DIGIT, 9, 0},
	{"洞", NUM_C_SDIGIT, 0, 0}, {"拐", NUM_C_SDIGIT, 7, 0},
	{"十", NUM_C_UNIT, 1, 0}, {"拾", NUM_C_UNIT, 1, 0},
	{"百", NUM_C_UNIT, 2, 0}, {"佰", NUM_C_UNIT, 2, 0},
	{"千", NUM_C_UNIT, 3, 0}, {"仟", NUM_C_UNIT, 3, 0},
	{"万", NUM_C_BIG, 4, 0}, {"萬", NUM_C_BIG, 4, 0},
	{"亿", NUM_C_BIG, 8, 0}, {"億", NUM_C_BIG, 8, 0}, {"兆", NUM_C_BIG, 12, 0},
	{"廿", NUM_C_TENS, 20, 0}, {"卄", NUM_C_TENS, 20, 0},
	{"卅", NUM_C_TENS, 30, 0}, {"卌", NUM_C_TENS, 40, 0},
	{"点", NUM_C_POINT, 0, 0}, {"點", NUM_C_POINT, 0, 0},
	{"几", NUM_C_JI, 0, 0}, {"幾", NUM_C_JI, 0, 0},
	{"数", NUM_C_SHU, 0, 0}, {"數", NUM_C_SHU, 0, 0},
	{"多", NUM_C_MORE, 0, 0}, {"余", NUM_C_MORE, 0, 0}, {"餘", NUM_C_MORE, 0, 0},
	{"来", NUM_C_MORE, 0, 0}, {"來", NUM_C_MORE, 0, 0},
	{"个", NUM_C_GE, 0, 0}, {"個", NUM_C_GE, 0, 0},
};
/* clang-format on */

/* Byte length of the character at s[i], 0 at the end. Invalid or truncated
 * sequences count as one byte so that the scan always advances. */
static size_t num_clen(const char *s, size_t n, size_t i)
{
	if (i >= n)
		return 0;
	unsigned char c = (unsigned char)s[i];
	size_t l = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
	if (i + l > n)
		return 1;
	for (size_t k = 1; k < l; k++)
		if (((unsigned char)s[i + k] & 0xC0) != 0x80)
			return 1;
	return l;
}

/* 1 if s[i..n) starts with lit */
static int num_at(const char *s, size_t n, size_t i, const char *lit)
{
	size_t l = strlen(lit);
	return i <= n && n - i >= l && memcmp(s + i, lit, l) == 0;
}

/* 1 if s[i..n) starts with one of the NULL-terminated list */
static int num_at_any(const char *s, size_t n, size_t i, const char *const *lits)
{
	for (; *lits != NULL; lits++)
		if (num_at(s, n, i, *lits))
			return 1;
	return 0;
}

static const num_char *num_char_at(const char *s, size_t n, size_t i, size_t *len)
{
	size_t l = num_clen(s, n, i);
	*len = l;
	if (l < 2)
		return NULL;
	for (size_t k = 0; k < sizeof num_chars / sizeof num_chars[0]; k++)
		if (strlen(num_chars[k].s) == l && memcmp(s + i, num_chars[k].s, l) == 0)
			return &num_chars[k];
	return NULL;
}

static int num_cls_at(const char *s, size_t n, size_t i)
{
	size_t l;
	const num_char *c = num_char_at(s, n, i, &l);
	return c ? c->cls : 0;
}

/* ASCII or full-width digit at s[i]: its value, or -1. */
static int num_adigit(const char *s, size_t n, size_t i, size_t *len)
{
	if (i < n && s[i] >= '0' && s[i] <= '9') {
		*len = 1;
		return s[i] - '0';
	}
	if (i + 3 <= n && (unsigned char)s[i] == 0xEF && (unsigned char)s[i + 1] == 0xBC &&
	    (unsigned char)s[i + 2] >= 0x90 && (unsigned char)s[i + 2] <= 0x99) {
		*len = 3;
		return (unsigned char)s[i + 2] - 0x90;
	}
	return -1;
}

/* Length of a decimal point (. or ．) at s[i] that a digit follows, or 0. */
static size_t num_apoint(const char *s, size_t n, size_t i)
{
	size_t l = num_at(s, n, i, ".") ? 1 : num_at(s, n, i, "．") ? 3 : 0;
	size_t dl;
	if (l && num_adigit(s, n, i + l, &dl) >= 0)
		return l;
	return 0;
}

/* Length of a thousands separator (, ， ，) at s[i], or 0. */
static size_t num_asep(const char *s, size_t n, size_t i)
{
	if (num_at(s, n, i, ","))
		return 1;
	if (num_at(s, n, i, "，")) /* U+FF0C, also the Chinese comma */
		return 3;
	return 0;
}

/* A Chinese digit at s[i] (C_DIGIT), its value or -1. */
static int num_cdigit(const char *s, size_t n, size_t i, size_t *len)
{
	const num_char *c = num_char_at(s, n, i, len);
	return c && c->cls == NUM_C_DIGIT ? c->val : -1;
}

/* ---- the number proper ------------------------------------------------- */

/* Reads an Arabic number (digits, thousands separators in groups of three,
 * a decimal point) at s[i] into *v; lead_point allows ".77". *single is set
 * when it is one nonzero digit alone (1万6 elides like 一万六). Returns the
 * end, or i when there is none. */
static size_t num_arabic(const char *s, size_t n, size_t i, int lead_point, num_dec *v, int *single)
{
	unsigned char dig[NUM_ID];
	int nd = 0, seen = 0, group = 0, seps = 0, count = 0;
	size_t j = i, l;
	int d;
	num_dec_zero(v);
	for (;;) {
		if ((d = num_adigit(s, n, j, &l)) >= 0) {
			seen = 1;
			group++;
			count++;
			j += l;
			if (nd == 0 && d == 0)
				continue; /* leading zero */
			if (nd == NUM_ID)
				v->over = 1;
			else
				dig[nd++] = (unsigned char)d;
			continue;
		}
		size_t sl = num_asep(s, n, j);
		if (sl == 0 || group == 0 || (seps == 0 ? group > 3 : group != 3))
			break;
		/* exactly three digits must follow, then a non-digit */
		size_t k = j + sl;
		int ok = 1;
		for (int g = 0; g < 3 && ok; g++) {
			if (num_adigit(s, n, k, &l) < 0)
				ok = 0;
			else
				k += l;
		}
		if (!ok || num_adigit(s, n, k, &l) >= 0)
			break;
		j += sl;
		group = 0;
		seps++;
	}
	if (!seen && !lead_point)
		return i;
	*single = count == 1 && nd == 1;
	for (int k = 0; k < nd; k++)
		v->d[NUM_FD + nd - 1 - k] = dig[k];
	size_t pl = num_apoint(s, n, j);
	if (pl && (seen || lead_point)) {
		j += pl;
		int k = 0;
		while ((d = num_adigit(s, n, j, &l)) >= 0) {
			if (k < NUM_FD)
				v->d[NUM_FD - 1 - k] = (unsigned char)d;
			else if (d != 0)
				v->lost = 1;
			k++;
			j += l;
		}
		seen = 1;
		*single = 0;
	}
	return seen ? j : i;
}

/* 1 if a then b is a range like 三四 or 三五 (lower bound a). */
static int num_range(int a, int b)
{
	return a >= 1 && a <= 8 && (b == a + 1 || (a == 3 && b == 5));
}

/* A run of Chinese digits at s[i] as a digit string; returns its end and
 * fills *cnt and the first two digits. 洞/拐 only after the first digit, 两
 * only when another digit follows. */
static size_t num_digit_run(const char *s, size_t n, size_t i, int *cnt, int first[2])
{
	size_t j = i, l;
	*cnt = 0;
	for (;;) {
		const num_char *c = num_char_at(s, n, j, &l);
		if (c == NULL)
			break;
		if (c->cls == NUM_C_SDIGIT && *cnt == 0)
			break;
		if (c->cls != NUM_C_DIGIT && c->cls != NUM_C_SDIGIT)
			break;
		if (c->liang) {
			int nc = num_cls_at(s, n, j + l);
			if (nc != NUM_C_DIGIT && nc != NUM_C_SDIGIT)
				break;
		}
		if (*cnt < 2)
			first[*cnt] = c->val;
		(*cnt)++;
		j += l;
	}
	return j;
}

/* Length of 点 at s[i] when a digit follows it, or 0. */
static size_t num_cpoint(const char *s, size_t n, size_t i)
{
	size_t l, dl;
	const num_char *c = num_char_at(s, n, i, &l);
	if (c == NULL || c->cls != NUM_C_POINT)
		return 0;
	if (num_adigit(s, n, i + l, &dl) >= 0)
		return l;
	const num_char *d = num_char_at(s, n, i + l, &dl);
	if (d && d->cls == NUM_C_DIGIT && !d->liang)
		return l;
	return 0;
}

/* Reads the digits after 点 at s[i] (i is past the point) and adds them to
 * *v. Returns the end, or 0 when the digits look like a clock time
 * (三点五十分, 三点一刻) and the point should not be taken. */
static size_t num_fraction(const char *s, size_t n, size_t i, num_dec *v)
{
	size_t j = i, l;
	int k = 0, d, chinese = 0;
	num_dec f;
	num_dec_zero(&f);
	for (;;) {
		d = num_adigit(s, n, j, &l);
		if (d < 0) {
			const num_char *c = num_char_at(s, n, j, &l);
			if (c == NULL || c->cls != NUM_C_DIGIT || c->liang)
				break;
			d = c->val;
			chinese = 1;
		}
		if (k < NUM_FD)
			f.d[NUM_FD - 1 - k] = (unsigned char)d;
		else if (d != 0)
			f.lost = 1;
		k++;
		j += l;
	}
	if (chinese) {
		static const char *const clock[] = {"十", "刻", "分钟", NULL};
		if (num_at_any(s, n, j, clock) ||
		    (num_at(s, n, j, "分") && !num_at(s, n, j, "分之")))
			return 0;
	}
	num_dec_add(v, &f);
	return j;
}

/* 1 if 千 at s[i] (length l) is the prefix of a unit (千克 千瓦 ...). */
static int num_kilo_unit(const char *s, size_t n, size_t i, size_t l)
{
	static const char *const units[] = {"克", "瓦", "伏", "帕", "赫", "焦", "卡", NULL};
	return num_at_any(s, n, i + l, units);
}

/* 1 if 兆 at s[i] (length l) is the prefix of a unit (兆瓦 兆字节 ...). */
static int num_mega_unit(const char *s, size_t n, size_t i, size_t l)
{
	static const char *const units[] = {"瓦", "帕", "赫", "焦", "字", "比",
					    "位", "伏", "欧", "克", "吨", NULL};
	if (i + l < n &&
	    ((s[i + l] >= 'A' && s[i + l] <= 'Z') || (s[i + l] >= 'a' && s[i + l] <= 'z')))
		return 1;
	return num_at_any(s, n, i + l, units);
}

/* 1 if 百 at s[i] (length l) starts 百分点/百分比 rather than multiplying. */
static int num_percent_word(const char *s, size_t n, size_t i, size_t l)
{
	return num_at(s, n, i + l, "分点") || num_at(s, n, i + l, "分比");
}

/* 多 余 来 at s[i]: 1 if it means "and more" here (来自, 来到 ... do not). */
static int num_more_ok(const char *s, size_t n, size_t i, size_t l)
{
	static const char *const verbs[] = {"自", "到", "源", "说", "看", "的", NULL};
	if (num_at(s, n, i, "来") || num_at(s, n, i, "來"))
		return !num_at_any(s, n, i + l, verbs);
	return 1;
}

static int num_approx_join(int a, int b)
{
	if (a == PL_APPROX_EXACT || a == b)
		return b;
	if (b == PL_APPROX_EXACT)
		return a;
	if (a == PL_APPROX_ABOUT)
		return b;
	if (b == PL_APPROX_ABOUT)
		return a;
	return PL_APPROX_ABOUT; /* over and under */
}

/* Multipliers after a digit string or a Chinese decimal (一二三万,
 * 二十点一万, 一点五千万): 百 千 万 亿 兆, 个 before 万/亿, then 多/余. */
static size_t num_multipliers(const char *s, size_t n, size_t i, num_dec *v, int *ap)
{
	size_t l;
	int more = 0;
	for (;;) {
		const num_char *c = num_char_at(s, n, i, &l);
		if (c == NULL)
			break;
		if (c->cls == NUM_C_GE && num_cls_at(s, n, i + l) == NUM_C_BIG) {
			i += l;
			continue;
		}
		if (c->cls == NUM_C_UNIT && c->val >= 2 && !more) {
			if (c->val == 3 && num_kilo_unit(s, n, i, l))
				break;
			if (c->val == 2 && num_percent_word(s, n, i, l))
				break;
			num_dec_shift(v, c->val);
			i += l;
			continue;
		}
		if (c->cls == NUM_C_BIG) {
			if (c->val == 12 && num_mega_unit(s, n, i, l))
				break;
			num_dec_shift(v, c->val);
			i += l;
			continue;
		}
		if (c->cls == NUM_C_MORE && !more && num_more_ok(s, n, i, l)) {
			more = 1;
			*ap = num_approx_join(*ap, PL_APPROX_OVER);
			i += l;
			continue;
		}
		break;
	}
	return i;
}

/* The number at s[i] without sign or approx words. Returns 1 and fills *out,
 * *ap and *end, or 0 when there is no number at s[i]. */
static int num_main(const char *s, size_t n, size_t i, num_dec *out, int *ap, size_t *end)
{
	num_dec total, w, cur, pend, t;
	int has_pend = 0, pend_cn = 0, pend_digit = 0, pend_elid = 0;
	int last = 0, zero = 0, any = 0, more = 0, ranged = 0;
	size_t l;
	const num_char *c;

	num_dec_zero(&total);
	num_dec_zero(&w);
	num_dec_zero(&cur);
	num_dec_zero(&pend);
	*ap = PL_APPROX_EXACT;

	/* A digit string: 一九九八, 一二点三, 幺八五洞; but 三五百 or 七八 is a
	 * range and 一千 is structured. */
	int cnt, first[2];
	size_t jend = num_digit_run(s, n, i, &cnt, first);
	if (cnt >= 2) {
		int nc = num_cls_at(s, n, jend);
		int string;
		if (num_cpoint(s, n, jend))
			string = 1;
		else if (cnt == 2 && num_range(first[0], first[1]))
			string = 0;
		else
			string = nc != NUM_C_UNIT && nc != NUM_C_TENS;
		if (string) {
			if (cnt > NUM_ID)
				return 0;
			size_t j = i;
			for (int k = cnt - 1; k >= 0; k--) {
				c = num_char_at(s, n, j, &l);
				cur.d[NUM_FD + k] = (unsigned char)c->val;
				j += l;
			}
			i = jend;
			size_t pl = num_cpoint(s, n, i);
			if (pl) {
				size_t e = num_fraction(s, n, i + pl, &cur);
				if (e)
					i = e;
			}
			i = num_multipliers(s, n, i, &cur, ap);
			*out = cur;
			*end = i;
			return 1;
		}
	}

	for (;;) {
		size_t al;
		if (num_adigit(s, n, i, &al) >= 0 || (!any && num_apoint(s, n, i))) {
			if (has_pend || more)
				break;
			int single = 0;
			size_t e = num_arabic(s, n, i, !any, &pend, &single);
			if (e == i)
				break;
			has_pend = 1;
			pend_cn = 0;
			pend_elid = single && last != 0 && !zero;
			any = 1;
			i = e;
			continue;
		}
		c = num_char_at(s, n, i, &l);
		if (c == NULL)
			break;
		if (c->cls == NUM_C_DIGIT) {
			if (more)
				break;
			if (has_pend) {
				if (pend_cn && !ranged && num_range(pend_digit, c->val)) {
					ranged = 1;
					*ap = num_approx_join(*ap, PL_APPROX_ABOUT);
					i += l;
					continue;
				}
				break;
			}
			any = 1;
			i += l;
			if (c->val == 0) {
				zero = 1;
				continue;
			}
			num_dec_digit(&pend, c->val, 0);
			has_pend = pend_cn = 1;
			pend_digit = c->val;
			pend_elid = last != 0 && !zero;
			continue;
		}
		if (c->cls == NUM_C_JI || c->cls == NUM_C_SHU) {
			if (has_pend || more)
				break;
			int nc = num_cls_at(s, n, i + l);
			if (nc == NUM_C_UNIT || (nc == NUM_C_BIG && last == 0)) {
				num_dec_digit(&pend, 1, 0); /* 几十 >= 10 */
				has_pend = 1;
				pend_cn = pend_elid = 0;
			} else if (c->cls == NUM_C_JI && last != 0) {
				more = 1; /* 十几, 十几万: the digit is >= 0 */
			} else {
				break;
			}
			*ap = num_approx_join(*ap, PL_APPROX_OVER);
			any = 1;
			i += l;
			continue;
		}
		if (c->cls == NUM_C_UNIT) {
			if (more)
				break;
			if (last >= 1 && last <= 3 && c->val >= last)
				break; /* units inside a section go down */
			if (c->val == 3 && any && num_kilo_unit(s, n, i, l) &&
			    !(has_pend && pend_elid && last >= 2))
				break; /* 一千克 = 1 千克, 一万三千瓦 = 13000 瓦 */
			if (c->val == 2 && any && num_percent_word(s, n, i, l))
				break;
			if (!any && c->val == 3 && num_kilo_unit(s, n, i, l))
				break; /* 千克 alone is no number */
			if (has_pend) {
				t = pend;
				num_dec_shift(&t, c->val);
			} else {
				num_dec_digit(&t, 1, c->val); /* 十 = 一十, 零百 = 零一百 */
			}
			num_dec_add(&cur, &t);
			last = c->val;
			has_pend = zero = 0;
			any = 1;
			i += l;
			continue;
		}
		if (c->cls == NUM_C_TENS) {
			if (has_pend || more || last == 1)
				break;
			num_dec_digit(&t, c->val / 10, 1);
			num_dec_add(&cur, &t);
			last = 1;
			zero = 0;
			any = 1;
			i += l;
			continue;
		}
		if (c->cls == NUM_C_BIG) {
			if (c->val == 12 && num_mega_unit(s, n, i, l))
				break;
			if (!any) {
				if (c->val != 4)
					break;
				num_dec_digit(&pend, 1, 0); /* 萬九 = 一萬九 */
				has_pend = 1;
				pend_cn = pend_elid = 0;
			}
			int empty = !has_pend && num_dec_iszero(&cur);
			if (has_pend) {
				t = pend;
				if (pend_elid && last >= 2 && last <= 3)
					num_dec_shift(&t, last - 1); /* 百二萬 */
				num_dec_add(&cur, &t);
			}
			if (c->val == 4) {
				if (empty && last == 4) {
					num_dec_shift(&w, 4); /* 万万 */
				} else {
					num_dec_shift(&cur, 4);
					num_dec_add(&w, &cur);
				}
			} else {
				num_dec_add(&total, &w);
				num_dec_add(&total, &cur);
				num_dec_shift(&total, c->val);
				num_dec_zero(&w);
			}
			num_dec_zero(&cur);
			last = c->val;
			has_pend = zero = 0;
			any = 1;
			i += l;
			continue;
		}
		if (c->cls == NUM_C_GE) {
			if (any && num_cls_at(s, n, i + l) == NUM_C_BIG) {
				i += l; /* 两个亿 */
				continue;
			}
			break;
		}
		if (c->cls == NUM_C_MORE) {
			if (!any || more || !num_more_ok(s, n, i, l))
				break;
			if (has_pend && pend_cn)
				break; /* 三多: not a number form */
			if (!has_pend && last == 0)
				break; /* after 零 alone */
			if (has_pend) {
				num_dec_add(&cur, &pend);
				has_pend = 0;
			}
			more = 1;
			*ap = num_approx_join(*ap, PL_APPROX_OVER);
			i += l;
			continue;
		}
		break;
	}
	if (!any)
		return 0;

	/* a decimal part in Chinese: 一百点123, 十二万三千点零, 零点五 */
	size_t pl = 0;
	if (!more && !ranged && !(has_pend && !pend_cn))
		pl = num_cpoint(s, n, i);
	if (has_pend) {
		t = pend;
		if (pend_elid && !pl && last > 1)
			num_dec_shift(&t, last - 1); /* 三万五, 一百二 */
		num_dec_add(&cur, &t);
	}
	num_dec_add(&total, &w);
	num_dec_add(&total, &cur);
	if (pl) {
		size_t e = num_fraction(s, n, i + pl, &total);
		if (e)
			i = num_multipliers(s, n, e, &total, ap);
	}
	*out = total;
	*end = i;
	return 1;
}

/* The number with 半 and fractions (二分之一, 百分之三十). *pct gets "%" or
 * "‰" for percent forms. */
static int num_body(const char *s, size_t n, size_t i, num_dec *v, int *ap, size_t *end,
		    const char **pct)
{
	num_dec a, b;
	int apa, apb;
	size_t j, k;
	*pct = "";
	if (num_at(s, n, i, "半") || num_at(s, n, i, "一半")) {
		num_dec_digit(v, 5, -1);
		*ap = PL_APPROX_EXACT;
		*end = i + (num_at(s, n, i, "半") ? 3 : 6);
		return 1;
	}
	if (!num_main(s, n, i, &a, &apa, &j))
		return 0;
	if (num_at(s, n, j, "分之") && num_main(s, n, j + 6, &b, &apb, &k)) {
		int inexact = 0;
		if (num_dec_ispow10(&a, 2)) {
			*v = b;
			*pct = "%";
		} else if (num_dec_ispow10(&a, 3)) {
			*v = b;
			*pct = "‰";
		} else if (num_dec_div(v, &b, &a, &inexact) != 0) {
			goto plain;
		}
		if (inexact) {
			num_dec_round(v, 12);
			apb = num_approx_join(apb, PL_APPROX_ABOUT);
		}
		*ap = apb;
		*end = k;
		return 1;
	}
plain:
	*v = a;
	*ap = apa;
	*end = j;
	return 1;
}

typedef struct num_res {
	num_dec v;
	int neg, approx;
	size_t len;
	const char *pct;
} num_res;

typedef struct num_word {
	const char *s;
	int approx;
} num_word;

/* clang-format off */
static const num_word num_prefixes[] = {
	{"大约", PL_APPROX_ABOUT}, {"大概", PL_APPROX_ABOUT}, {"约", PL_APPROX_ABOUT},
	{"将近", PL_APPROX_UNDER}, {"接近", PL_APPROX_UNDER}, {"近", PL_APPROX_UNDER},
	{"超过", PL_APPROX_OVER}, {"逾", PL_APPROX_OVER}, {"超", PL_APPROX_OVER},
	{"至少", PL_APPROX_OVER}, {"不少于", PL_APPROX_OVER},
	{"不到", PL_APPROX_UNDER}, {"不足", PL_APPROX_UNDER},
	{"不超过", PL_APPROX_UNDER}, {"最多", PL_APPROX_UNDER},
	{NULL, 0},
};

static const num_word num_suffixes[] = {
	{"以上", PL_APPROX_OVER}, {"有余", PL_APPROX_OVER},
	{"左右", PL_APPROX_ABOUT}, {"上下", PL_APPROX_ABOUT},
	{"以下", PL_APPROX_UNDER}, {"以内", PL_APPROX_UNDER},
	{NULL, 0},
};
/* clang-format on */

/* Index of the word of list at s[i], or -1. */
static int num_word_at(const char *s, size_t n, size_t i, const num_word *list)
{
	for (int k = 0; list[k].s != NULL; k++)
		if (num_at(s, n, i, list[k].s))
			return k;
	return -1;
}

static size_t num_skip_spaces(const char *s, size_t n, size_t i)
{
	while (i < n && s[i] == ' ')
		i++;
	return i;
}

/* Returns 0, -1 (no number) or -2 (too large). */
static int num_parse_res(const char *s, size_t n, num_res *r)
{
	size_t i = 0, end;
	int k, ap;
	memset(r, 0, sizeof *r);
	r->pct = "";
	if ((k = num_word_at(s, n, i, num_prefixes)) >= 0) {
		r->approx = num_prefixes[k].approx;
		i = num_skip_spaces(s, n, i + strlen(num_prefixes[k].s));
	}
	static const char *const minus[] = {"负", "負", "-", "−", "－", NULL};
	if (num_at(s, n, i, "零下") && num_body(s, n, i + 6, &r->v, &ap, &end, &r->pct)) {
		r->neg = 1;
	} else {
		if (num_at_any(s, n, i, minus)) {
			r->neg = 1;
			i = num_skip_spaces(s, n, i + num_clen(s, n, i));
		} else if (num_at(s, n, i, "+") || num_at(s, n, i, "＋")) {
			i = num_skip_spaces(s, n, i + num_clen(s, n, i));
		}
		if (!num_body(s, n, i, &r->v, &ap, &end, &r->pct))
			return -1;
	}
	r->approx = num_approx_join(r->approx, ap);
	if ((k = num_word_at(s, n, end, num_suffixes)) >= 0) {
		r->approx = num_approx_join(r->approx, num_suffixes[k].approx);
		end += strlen(num_suffixes[k].s);
	}
	if (r->v.over)
		return -2;
	if (r->v.lost)
		r->approx = num_approx_join(r->approx, PL_APPROX_ABOUT);
	r->len = end;
	return 0;
}

/* pl_num_parse() of ASCII digits alone, at most NUM_PLAIN of them (most
 * numbers the extract rules find: 2688, 42): the digits without leading
 * zeros, exact, as the general parser reads them, without its decimal
 * arithmetic. 0 when s[0..n) is anything else. */
#define NUM_PLAIN 18
static int num_plain(const char *s, size_t n, pl_num *out)
{
	if (n == 0 || n > NUM_PLAIN)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	size_t z = 0;
	while (z + 1 < n && s[z] == '0')
		z++;
	memcpy(out->value, s + z, n - z);
	out->value[n - z] = '\0';
	out->approx = PL_APPROX_EXACT;
	out->unit[0] = '\0';
	out->len = n;
	return 1;
}

int pl_num_parse(const char *s, size_t n, pl_num *out)
{
	num_res r;
	memset(out, 0, sizeof *out);
	if (s != NULL && num_plain(s, n, out))
		return PL_OK;
	if (s == NULL || num_parse_res(s, n, &r) != 0)
		return PL_ERR;
	num_dec_format(&r.v, r.neg, out->value);
	out->approx = r.approx;
	strcpy(out->unit, r.pct);
	out->len = r.len;
	return PL_OK;
}

/* ---- expressions ------------------------------------------------------- */

/* Length of white space at s[i] (ASCII, U+3000, U+00A0), or 0. */
static size_t num_space(const char *s, size_t n, size_t i)
{
	if (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
		return 1;
	if (num_at(s, n, i, "\xE3\x80\x80"))
		return 3;
	if (num_at(s, n, i, "\xC2\xA0"))
		return 2;
	return 0;
}

/* 1 if s[0..n) ends with lit */
static int num_ends(const char *s, size_t n, const char *lit)
{
	size_t l = strlen(lit);
	return n >= l && memcmp(s + n - l, lit, l) == 0;
}

static const char *const num_money[] = {"元", "圆", "圓", "块", "塊", NULL};

/* A single digit for a currency sub-unit at s[i] (一, 两, 5, ５), or -1. */
static int num_small_digit(const char *s, size_t n, size_t i, size_t *len)
{
	int d = num_adigit(s, n, i, len);
	size_t l2;
	if (d >= 0)
		return num_adigit(s, n, i + *len, &l2) >= 0 ? -1 : d;
	return num_cdigit(s, n, i, len);
}

/* After a money unit at s[i]: 五角, 三毛, 零五分, 一角七分, or a lone digit
 * (三块五). Adds the amount to *v and returns the end, or i if none. */
static size_t num_money_sub(const char *s, size_t n, size_t i, num_dec *v)
{
	size_t k = i, l;
	int zero = 0, found = 0, d;
	num_dec t;
	if (num_at(s, n, k, "零")) {
		k += 3;
		zero = 1;
	}
	if ((d = num_small_digit(s, n, k, &l)) < 0)
		return i;
	size_t k2 = k + l;
	if (num_at(s, n, k2, "角") || num_at(s, n, k2, "毛")) {
		num_dec_digit(&t, d, -1);
		num_dec_add(v, &t);
		found = 1;
		k = k2 + 3;
		size_t k3 = k;
		if (num_at(s, n, k3, "零"))
			k3 += 3;
		if ((d = num_small_digit(s, n, k3, &l)) >= 0 && num_at(s, n, k3 + l, "分")) {
			num_dec_digit(&t, d, -2);
			num_dec_add(v, &t);
			k = k3 + l + 3;
		}
	} else if (num_at(s, n, k2, "分") && !num_at(s, n, k2, "分之")) {
		num_dec_digit(&t, d, -2);
		num_dec_add(v, &t);
		found = 1;
		k = k2 + 3;
	} else if (!zero && (k2 == n || num_at(s, n, k2, "钱"))) {
		num_dec_digit(&t, d, -1); /* 三块五 */
		num_dec_add(v, &t);
		found = 1;
		k = k2;
	}
	if (!found)
		return i;
	static const char *const tail[] = {"钱", "錢", "整", "正", NULL};
	if (num_at_any(s, n, k, tail))
		k += 3;
	return k;
}

/* Copies s[0..n) into dst[64], cut on a character boundary. */
static void num_copy_unit(char *dst, const char *s, size_t n)
{
	size_t len = 0, l;
	while (len < n && (l = num_clen(s, n, len)) > 0 && len + l <= 63)
		len += l;
	memcpy(dst, s, len);
	dst[len] = '\0';
}

int pl_num_expr(const char *s, size_t n, pl_num *out, const char **why)
{
	num_res r;
	size_t l;
	const char *dummy;
	if (why == NULL)
		why = &dummy;
	memset(out, 0, sizeof *out);
	if (s == NULL)
		n = 0;
	while (n > 0 && (l = num_space(s, n, 0)) > 0) {
		s += l;
		n -= l;
	}
	/* trailing white space: ASCII, U+3000 and U+00A0 */
	for (;;) {
		if (n > 0 &&
		    (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
			n--;
		else if (num_ends(s, n, "\xE3\x80\x80"))
			n -= 3;
		else if (num_ends(s, n, "\xC2\xA0"))
			n -= 2;
		else
			break;
	}
	if (n == 0) {
		*why = "empty";
		return PL_ERR;
	}
	int rc = num_parse_res(s, n, &r);
	if (rc == -2) {
		*why = "number too large";
		return PL_ERR;
	}
	if (rc != 0) {
		*why = "no number at the start";
		return PL_ERR;
	}

	/* the unit: what is left, with sub-units folded and 整 dropped */
	char unit[256];
	size_t un = 0, i = r.len;
	while ((l = num_space(s, n, i)) > 0)
		i += l;
	size_t pl = strlen(r.pct);
	memcpy(unit, r.pct, pl);
	un = pl;
	if (num_at_any(s, n, i, num_money)) {
		size_t ml = num_clen(s, n, i);
		size_t e = num_money_sub(s, n, i + ml, &r.v);
		if (e != i + ml) {
			memcpy(unit + un, s + i, ml);
			un += ml;
			i = e;
		}
	}
	size_t rest = n - i;
	if (rest > sizeof unit - un - 1)
		rest = sizeof unit - un - 1;
	memcpy(unit + un, s + i, rest);
	un += rest;
	for (int again = 1; again;) {
		again = 0;
		for (int k = 0; num_suffixes[k].s != NULL; k++)
			if (num_ends(unit, un, num_suffixes[k].s)) {
				r.approx = num_approx_join(r.approx, num_suffixes[k].approx);
				un -= strlen(num_suffixes[k].s);
				again = 1;
			}
		while (un > 0 && unit[un - 1] == ' ') {
			un--;
			again = 1;
		}
	}
	if (un > 3 && num_ends(unit, un, "整"))
		un -= 3;
	else if (un > 3 && num_ends(unit, un, "正")) {
		for (int k = 0; num_money[k] != NULL; k++)
			if (num_ends(unit, un - 3, num_money[k])) {
				un -= 3;
				break;
			}
	}
	num_dec_format(&r.v, r.neg, out->value);
	out->approx = r.approx;
	num_copy_unit(out->unit, unit, un);
	out->len = r.len;
	return PL_OK;
}
