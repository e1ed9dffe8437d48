/* meta.c: ISO dates and the province/city guess. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meta.h"
#include "utf8.h"

static int meta_valid(int y, int m, int d)
{
	static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return y >= 1900 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1];
}

/* Reads up to max digits at *s. */
static int meta_int(const char **s, int max, int *v)
{
	int n = 0, x = 0;
	while (n < max && **s >= '0' && **s <= '9') {
		x = x * 10 + (**s - '0');
		(*s)++;
		n++;
	}
	*v = x;
	return n;
}

static int meta_sep(const char **s, const char *sep)
{
	size_t l = strlen(sep);
	if (strncmp(*s, sep, l) == 0) {
		*s += l;
		return 1;
	}
	return 0;
}

/* Writes YYYY-MM-DD; callers have checked the ranges with meta_valid(). */
static void meta_put(char out[11], int y, int m, int d)
{
	char tmp[48];
	snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
	memcpy(out, tmp, 10);
	out[10] = '\0';
}

int pl_date_iso(const char *s, char out[11])
{
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			continue;
		const char *p = s;
		int a, b, c, na, nb, nc;
		na = meta_int(&p, 4, &a);
		if (na == 4) {
			/* year first: 年/-/./ separators */
			const char *q = p;
			if (!(meta_sep(&q, "年") || meta_sep(&q, "-") || meta_sep(&q, "/") ||
			      meta_sep(&q, ".")))
				goto next;
			nb = meta_int(&q, 2, &b);
			if (nb == 0 ||
			    !(meta_sep(&q, "月") || meta_sep(&q, "-") || meta_sep(&q, "/") ||
			      meta_sep(&q, ".")))
				goto next;
			nc = meta_int(&q, 2, &c);
			if (nc == 0 || !meta_valid(a, b, c))
				goto next;
			meta_put(out, a, b, c);
			return 1;
		}
		if (na >= 1 && na <= 2 && (*p == '.' || *p == '/' || *p == '-')) {
			/* day first (10.09.2020); month first only when the day
			 * reading is impossible (12/25/2020) */
			char sep = *p++;
			nb = meta_int(&p, 2, &b);
			if (nb == 0 || *p != sep)
				goto next;
			p++;
			nc = meta_int(&p, 4, &c);
			if (nc != 4)
				goto next;
			if (meta_valid(c, b, a)) {
				meta_put(out, c, b, a);
				return 1;
			}
			if (meta_valid(c, a, b)) {
				meta_put(out, c, a, b);
				return 1;
			}
		}
next:
		while (s[1] >= '0' && s[1] <= '9')
			s++;
	}
	return 0;
}

typedef struct meta_place {
	char *name, *shortname, *province;
	size_t shortlen; /* strlen(shortname), looked up once per character */
	int is_city;
} meta_place;

/* Places indexed by their short name's first code point, so one pass over
 * the text counts every place (the table has hundreds of names). */
#define META_BUCKETS 4096
#define META_PAIRS 65536

struct pl_places {
	meta_place *v;
	size_t n;
	size_t *order;              /* place indices grouped by bucket */
	size_t start[META_BUCKETS + 1];
	uint64_t used[META_BUCKETS / 64]; /* bit b: bucket b holds a place */
	/* bit meta_pair(name): a place name, or one of the words
	 * meta_own() counts, begins with these two three-byte characters;
	 * bit b of short_names: bucket b holds a name that does not (then
	 * the pair is not looked at) */
	uint64_t pairs[META_PAIRS / 64];
	/* bit meta_char(c): c is the first or the second character of such
	 * a pair (a hash: a false yes only costs the skip) */
	uint64_t chars[META_PAIRS / 64];
	uint64_t short_names[META_BUCKETS / 64];
	int any_short; /* some name does not begin with two three-byte characters */
};

static unsigned meta_pair(const unsigned char *s)
{
	/* Two loads joined in registers: copying 6 bytes into a zeroed
	 * 8-byte variable made the compiler store and reload it, and the
	 * reload waited on the stores at every character. */
	uint32_t lo;
	uint16_t hi;
	memcpy(&lo, s, 4);
	memcpy(&hi, s + 4, 2);
	uint64_t x = lo | (uint64_t)hi << 32;
	x *= 0x9e3779b97f4a7c15ULL;
	return (unsigned)(x >> 48) & (META_PAIRS - 1);
}

static unsigned meta_char(const unsigned char *s)
{
	uint32_t x = (uint32_t)s[0] | (uint32_t)s[1] << 8 | (uint32_t)s[2] << 16;
	return (unsigned)(((uint64_t)x * 0x9e3779b97f4a7c15ULL) >> 48) & (META_PAIRS - 1);
}

/* Marks the pair of three-byte characters at s, and each of them. */
static void meta_mark_pair(pl_places *p, const unsigned char *s)
{
	unsigned h = meta_pair(s), a = meta_char(s), b = meta_char(s + 3);
	p->pairs[h / 64] |= (uint64_t)1 << (h % 64);
	p->chars[a / 64] |= (uint64_t)1 << (a % 64);
	p->chars[b / 64] |= (uint64_t)1 << (b % 64);
}

static int meta_two_wide(const unsigned char *s, size_t n)
{
	return n >= 6 && s[0] >= 0xE0 && s[0] < 0xF0 && s[3] >= 0xE0 && s[3] < 0xF0;
}

static unsigned meta_bucket(const unsigned char *s)
{
	/* the first UTF-8 sequence's bytes, folded */
	unsigned h = s[0];
	if (s[0] >= 0xC0)
		h = h * 31 + s[1];
	if (s[0] >= 0xE0)
		h = h * 31 + s[2];
	return h & (META_BUCKETS - 1);
}

static void meta_index(pl_places *p)
{
	p->order = malloc((p->n + 1) * sizeof *p->order);
	if (p->order == NULL)
		abort();
	size_t count[META_BUCKETS] = {0};
	for (size_t i = 0; i < p->n; i++)
		count[meta_bucket((const unsigned char *)p->v[i].shortname)]++;
	p->start[0] = 0;
	for (size_t b = 0; b < META_BUCKETS; b++)
		p->start[b + 1] = p->start[b] + count[b];
	size_t fill[META_BUCKETS];
	memcpy(fill, p->start, sizeof fill);
	for (size_t i = 0; i < p->n; i++)
		p->order[fill[meta_bucket((const unsigned char *)p->v[i].shortname)]++] = i;
	for (size_t b = 0; b < META_BUCKETS; b++)
		if (count[b])
			p->used[b / 64] |= (uint64_t)1 << (b % 64);
	static const char *const own[] = {"我市", "本市", "我省", "本省"};
	for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
		meta_mark_pair(p, (const unsigned char *)own[i]);
	for (size_t i = 0; i < p->n; i++) {
		const unsigned char *name = (const unsigned char *)p->v[i].shortname;
		if (meta_two_wide(name, p->v[i].shortlen)) {
			meta_mark_pair(p, name);
		} else {
			unsigned b = meta_bucket(name);
			p->short_names[b / 64] |= (uint64_t)1 << (b % 64);
			p->any_short = 1;
		}
	}
}

void pl_places_free(pl_places *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].name);
		free(p->v[i].shortname);
		free(p->v[i].province);
	}
	free(p->v);
	free(p->order);
	free(p);
}

pl_places *pl_places_load(const char *path, pl_err *e)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		pl_errf(e, PL_EUSAGE, "%s: cannot open place table", path);
		return NULL;
	}
	pl_places *p = calloc(1, sizeof *p);
	char *line = NULL;
	size_t cap = 0, vcap = 0;
	int lineno = 0;
	while (p != NULL && getline(&line, &cap, f) >= 0) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		char *col[4];
		int n = 0;
		for (char *s = line; n < 4; n++) {
			col[n] = s;
			char *t = strchr(s, '\t');
			if (t == NULL) {
				n++;
				break;
			}
			*t = '\0';
			s = t + 1;
		}
		if (n != 4 || strchr(col[3], '\t') != NULL) {
			pl_errf(e, PL_EUSAGE, "%s:%d: expected name<TAB>short<TAB>level<TAB>province",
				path, lineno);
			pl_places_free(p);
			p = NULL;
			break;
		}
		if (p->n == vcap) {
			vcap = vcap ? vcap * 2 : 512;
			meta_place *nv = realloc(p->v, vcap * sizeof *nv);
			if (nv == NULL)
				abort();
			p->v = nv;
		}
		meta_place *pl = &p->v[p->n++];
		pl->name = strdup(col[0]);
		pl->shortname = strdup(col[1][0] ? col[1] : col[0]);
		pl->shortlen = pl->shortname ? strlen(pl->shortname) : 0;
		pl->province = strdup(col[3]);
		pl->is_city = strcmp(col[2], "city") == 0;
	}
	free(line);
	fclose(f);
	if (p != NULL)
		meta_index(p);
	return p;
}

/* Counts the names of bucket b that s[0..n) begins with. */
static void meta_count_at(const pl_places *p, const unsigned char *s, size_t n, unsigned b,
			  size_t *counts)
{
	for (size_t k = p->start[b]; k < p->start[b + 1]; k++) {
		const meta_place *pl = &p->v[p->order[k]];
		if (pl->shortlen <= n && memcmp(s, pl->shortname, pl->shortlen) == 0)
			counts[p->order[k]]++;
	}
}

/* 我市, 本市, 我省, 本省 at s (six bytes there): how the notice speaks of
 * itself. */
static void meta_own(const unsigned char *s, size_t *own_city, size_t *own_prov)
{
	if (memcmp(s, "我", 3) == 0 || memcmp(s, "本", 3) == 0) {
		*own_city += memcmp(s + 3, "市", 3) == 0;
		*own_prov += memcmp(s + 3, "省", 3) == 0;
	}
}

void pl_places_guess(const pl_places *p, const char *text, size_t len,
		     const char **province, const char **city)
{
	*province = *city = NULL;
	size_t best_prov = 0, best_city = 0, second_city = 0;
	const meta_place *bc = NULL;
	size_t own_city = 0, own_prov = 0;
	size_t *counts = calloc(p->n + 1, sizeof *counts);
	if (counts == NULL)
		abort();
	const unsigned char *t = (const unsigned char *)text;
	size_t i = 0;
	/* The common case first: every name begins with two three-byte
	 * characters, and six bytes remain. One bit for the pair says
	 * whether to look further (a hash: a false yes goes on to the
	 * comparisons); the steps to the next character are those of the
	 * loop below. */
	if (!p->any_short) {
		while (len - i >= 6) {
			unsigned char c = t[i];
			if (c < 0x80) {
				i++;
				continue;
			}
			/* Two at a time: when the character after this
			 * three-byte one is three bytes and begins no pair and
			 * ends none, no name begins at either (every name is
			 * two such characters first). Four in five Han
			 * characters of a notice are in no pair; ASCII and
			 * two-byte characters stop the step. */
			if ((c & 0xF0) == 0xE0 && (t[i + 3] & 0xF0) == 0xE0) {
				unsigned b = meta_char(t + i + 3);
				if (!((p->chars[b / 64] >> (b % 64)) & 1)) {
					i += 6;
					continue;
				}
			}
			unsigned h = meta_pair(t + i);
			if ((p->pairs[h / 64] >> (h % 64)) & 1) { /* a name, or 我市... */
				meta_count_at(p, t + i, len - i, meta_bucket(t + i), counts);
				meta_own(t + i, &own_city, &own_prov);
			}
			/* a branch, not a table: predicted, it lets the next
			 * character's work start before this byte is read */
			if (c >= 0xE0 && c < 0xF0)
				i += 3;
			else
				i += c < 0xE0 ? 2 : 4;
		}
	}
	while (i < len) {
		if (t[i] < 0x80) {
			i++;
			continue;
		}
		/* Some name is shorter, or the text ends within six bytes:
		 * one bit for the bucket of the first character, then the
		 * pair's bit unless the bucket holds a shorter name. */
		unsigned b = meta_bucket(t + i);
		int maybe = (p->used[b / 64] >> (b % 64)) & 1;
		if (maybe && !((p->short_names[b / 64] >> (b % 64)) & 1)) {
			unsigned h = meta_two_wide(t + i, len - i) ? meta_pair(t + i) : 0;
			maybe = meta_two_wide(t + i, len - i) && ((p->pairs[h / 64] >> (h % 64)) & 1);
		}
		if (maybe)
			meta_count_at(p, t + i, len - i, b, counts);
		if (t[i] == 0xE6 && len - i >= 6)
			meta_own(t + i, &own_city, &own_prov);
		i += t[i] < 0xE0 ? 2 : t[i] < 0xF0 ? 3 : 4;
		if (i > len) /* a sequence cut short (never in valid UTF-8) */
			i = len;
	}
	for (size_t i = 0; i < p->n; i++) {
		const meta_place *pl = &p->v[i];
		size_t c = counts[i];
		if (c == 0)
			continue;
		if (!pl->is_city) {
			if (c > best_prov) {
				best_prov = c;
				*province = pl->name;
			}
		} else if (c > best_city) {
			second_city = best_city;
			best_city = c;
			bc = pl;
		} else if (c > second_city) {
			second_city = c;
		}
	}
	free(counts);
	/* A city's own notice says 我市/本市 more than 我省/本省, and names
	 * itself clearly more often than any other city. */
	int city_level = bc != NULL && own_city > own_prov && best_city >= 2 &&
			 best_city >= 2 * second_city;
	if (city_level) {
		*city = bc->name;
		if (*province == NULL || strcmp(*province, bc->province) != 0)
			for (size_t i = 0; i < p->n; i++)
				if (!p->v[i].is_city && strcmp(p->v[i].name, bc->province) == 0)
					*province = p->v[i].name;
	} else if (*province == NULL && bc != NULL && best_city >= 2) {
		for (size_t i = 0; i < p->n; i++)
			if (!p->v[i].is_city && strcmp(p->v[i].name, bc->province) == 0)
				*province = p->v[i].name;
	}
}
