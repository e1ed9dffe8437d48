/* test_minhash.c: signatures, number conflicts and the index of originals. */
#include <stdlib.h>
#include <string.h>

#include "minhash.h"
#include "test.h"

typedef struct sig {
	uint32_t min[PL_MINHASH_N];
	uint64_t *nums;
	size_t nnums, nshingles;
} sig;

static sig sign(pl_arena *a, const char *text)
{
	sig s;
	s.nshingles = pl_sig_compute(text, strlen(text), s.min, &s.nums, &s.nnums, a);
	return s;
}

/* FNV-1a over a signature's bins, shingle count and number tokens. */
static uint64_t sig_digest(const sig *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	uint64_t words[PL_MINHASH_N + 2 + PL_SIG_MAX_NUMS];
	size_t n = 0;
	for (size_t i = 0; i < PL_MINHASH_N; i++)
		words[n++] = s->min[i];
	words[n++] = s->nshingles;
	words[n++] = s->nnums;
	for (size_t i = 0; i < s->nnums && i < PL_SIG_MAX_NUMS; i++)
		words[n++] = s->nums[i];
	for (size_t i = 0; i < n; i++)
		for (int b = 0; b < 64; b += 8)
			h = (h ^ ((words[i] >> b) & 0xff)) * 0x100000001b3ULL;
	return h;
}

/* xorshift64*: the random signatures below, the same on every run. */
static uint64_t rnd_state = 0x2545F4914F6CDD1DULL;
static uint64_t rnd(void)
{
	rnd_state ^= rnd_state >> 12;
	rnd_state ^= rnd_state << 25;
	rnd_state ^= rnd_state >> 27;
	return rnd_state * 0x2545F4914F6CDD1DULL;
}

/* A copy of base with each bin changed with probability about p/1000.
 * Half the changed bins keep the low bits of the old value, so that a
 * quick test reading only a few low bits of each minimum sees them as
 * equal; the rest are new values. */
static void perturb(const uint32_t *base, uint32_t *out, unsigned p)
{
	for (size_t i = 0; i < PL_MINHASH_N; i++) {
		out[i] = base[i];
		if (rnd() % 1000 < p)
			out[i] = rnd() & 1 ? base[i] ^ (uint32_t)(rnd() | 1) << 8 : (uint32_t)rnd();
	}
}

/* What pl_dupindex_find() must answer, read off its contract: the earliest
 * of orig[from..n) that shares all minima of some band (the LSH
 * candidates) and is similar enough (numbers are left out here). */
static int brute_find(uint32_t (*orig)[PL_MINHASH_N], size_t from, size_t n, const uint32_t *q)
{
	for (size_t d = from; d < n; d++) {
		int band = 0;
		for (size_t b = 0; b < PL_MINHASH_BANDS && !band; b++)
			band = memcmp(orig[d] + b * PL_MINHASH_ROWS, q + b * PL_MINHASH_ROWS,
				      PL_MINHASH_ROWS * sizeof *q) == 0;
		if (band && pl_sig_similarity(orig[d], q) >= PL_DUP_THRESHOLD)
			return (int)d;
	}
	return -1;
}

#define BODY                                                                                  \
	"根据党中央、国务院统一部署,中央第五生态环境保护督察组对我省第一轮督察整改情况开展"      \
	"回头看。贵州省委、省政府高度重视,认真落实党中央、国务院要求,制定整改方案,建立措施"    \
	"清单,强化组织推进,全面推动反馈意见整改落实。截至2020年8月底,贵州省梳理形成的42项问" \
	"题,30项已完成整改,12项达到时序进度要求;交办贵州省的2688件群众举报问题已全部办结。"

int main(void)
{
	pl_arena *a = pl_arena_new();
	sig orig = sign(a, BODY);
	test_cond("a notice has shingles and numbers", orig.nshingles > 100 && orig.nnums >= 5);
	/* One number wherever it stands: after 0-40 letters (the digit
	 * search reads sixteen bytes at a time), or as the last byte. */
	int one_number = 1;
	for (size_t k = 0; k <= 40 && one_number; k++) {
		char t[64];
		memset(t, 'x', k);
		strcpy(t + k, k % 3 == 0 ? "12,abc" : k % 3 == 1 ? "7" : "9x");
		sig s = sign(a, t);
		one_number = s.nnums == 1;
	}
	test_cond("a number is found at every offset", one_number);

	sig spaced = sign(a, "  根据党中央、国务院统一部署,中央第五生态环境保护督察组对我省第一轮督察整改情况开展"
			     "“回头看”。贵州省委、省政府高度重视,认真落实党中央、国务院要求,制定整改方案,"
			     "建立措施清单,强化组织推进,全面推动反馈意见整改落实。\n截至2020年8月底,贵州省梳"
			     "理形成的42项问题,30项已完成整改,12项达到时序进度要求;交办贵州省的2688件群众"
			     "举报问题已全部办结。");
	test_cond("spacing, line breaks and quotation marks do not change the signature",
		  pl_sig_similarity(orig.min, spaced.min) == 1.0 &&
		      pl_sig_num_conflicts(orig.nums, orig.nnums, spaced.nums, spaced.nnums) == 0);

	sig update = sign(a, "根据党中央、国务院统一部署,中央第五生态环境保护督察组对我省第一轮督察整改情况开展"
			     "回头看。贵州省委、省政府高度重视,认真落实党中央、国务院要求,制定整改方案,建立措施"
			     "清单,强化组织推进,全面推动反馈意见整改落实。截至2020年9月底,贵州省梳理形成的42项问"
			     "题,33项已完成整改,9项达到时序进度要求;交办贵州省的2688件群众举报问题已全部办结。");
	test_cond("other figures in the same words: similar text, conflicting numbers",
		  pl_sig_similarity(orig.min, update.min) >= 0.8 &&
		      pl_sig_num_conflicts(orig.nums, orig.nnums, update.nums, update.nnums) == 3);

	sig shorter = sign(a, "根据党中央、国务院统一部署,中央第五生态环境保护督察组对我省第一轮督察整改情况开展"
			      "回头看。贵州省委、省政府高度重视,认真落实党中央、国务院要求,制定整改方案,建立措施"
			      "清单,强化组织推进,全面推动反馈意见整改落实。截至2020年8月底,贵州省梳理形成的42项问"
			      "题,30项已完成整改。");
	test_cond("numbers left out on one side are no conflict",
		  pl_sig_num_conflicts(orig.nums, orig.nnums, shorter.nums, shorter.nnums) == 0 &&
		      pl_sig_num_conflicts(shorter.nums, shorter.nnums, orig.nums, orig.nnums) == 0);

	sig other = sign(a, "五通桥区化工园区企业异味扰民的问题,已对园区内企业开展泄漏检测与修复,安装挥发性"
			    "有机物在线监测设备,并设置卫生防护距离,搬迁园区周边居民住户。");
	test_cond("another notice is not similar", pl_sig_similarity(orig.min, other.min) < 0.2);

	sig tiny = sign(a, "整改");
	test_cond("a text shorter than one shingle has no signature", tiny.nshingles == 0);
	sig little = sign(a, "已完成整改45项");
	int all_set = 1;
	for (size_t i = 0; i < PL_MINHASH_N; i++)
		all_set &= little.min[i] != UINT32_MAX;
	test_cond("a short text fills every bin (densified)", little.nshingles > 0 && all_set);

	/* The index: the first original that matches, never a duplicate. */
	pl_err e = {{0}, 0};
	pl_dupindex *x = pl_dupindex_new(PL_DUP_THRESHOLD, 0);
	test_cond("index: empty finds nothing",
		  pl_dupindex_find(x, orig.min, orig.nums, orig.nnums, NULL) == NULL);
	test_cond("index: add", pl_dupindex_add(x, "a.txt", other.min, other.nums, other.nnums, &e) == PL_OK &&
					pl_dupindex_add(x, "b.txt", orig.min, orig.nums, orig.nnums, &e) == PL_OK &&
					pl_dupindex_add(x, "c.txt", orig.min, orig.nums, orig.nnums, &e) == PL_OK);
	double sim = 0;
	const char *first = pl_dupindex_find(x, spaced.min, spaced.nums, spaced.nnums, &sim);
	test_cond("index: a repost finds the first copy", first && strcmp(first, "b.txt") == 0 && sim == 1.0);
	test_cond("index: other figures find no original",
		  pl_dupindex_find(x, update.min, update.nums, update.nnums, NULL) == NULL);
	/* Enough originals to grow the band tables several times. */
	char id[32], text[256];
	int grown = 1;
	for (int i = 0; i < 3000; i++) {
		snprintf(id, sizeof id, "n%d", i);
		snprintf(text, sizeof text, "第%d号通报:某某县%d个乡镇开展第%d轮环境整治,巡查河段%d公里。", i,
			 i * 7 + 1, i % 13, i * 31 + 5);
		sig s = sign(a, text);
		grown &= pl_dupindex_add(x, id, s.min, s.nums, s.nnums, &e) == PL_OK;
	}
	test_cond("index: 3000 more originals", grown && pl_dupindex_count(x) == 3003);
	first = pl_dupindex_find(x, spaced.min, spaced.nums, spaced.nnums, NULL);
	test_cond("index: still finds the first copy after growing", first && strcmp(first, "b.txt") == 0);
	sig again = sign(a, "第1234号通报:某某县8639个乡镇开展第12轮环境整治,巡查河段38259公里。");
	first = pl_dupindex_find(x, again.min, again.nums, again.nnums, NULL);
	test_cond("index: a short original is found among many", first && strcmp(first, "n1234") == 0);
	/* The index against brute_find(): 2,000 originals and 600 queries
	 * around 20 bases, at every distance from them, so that many
	 * originals share bands with a query and its similarity to them
	 * falls on both sides of the threshold. */
	{
		enum { NBASE = 20, NORIG = 2000, NQUERY = 600 };
		static uint32_t base[NBASE][PL_MINHASH_N], orig[NORIG][PL_MINHASH_N];
		for (size_t b = 0; b < NBASE; b++)
			for (size_t i = 0; i < PL_MINHASH_N; i++)
				base[b][i] = (uint32_t)rnd();
		pl_dupindex *r = pl_dupindex_new(PL_DUP_THRESHOLD, 0);
		int added = 1;
		for (size_t d = 0; d < NORIG; d++) {
			perturb(base[rnd() % NBASE], orig[d], (unsigned)(rnd() % 400));
			snprintf(id, sizeof id, "%zu", d);
			added &= pl_dupindex_add(r, id, orig[d], NULL, 0, &e) == PL_OK;
		}
		size_t agree = 0, found = 0, later = 0;
		for (size_t k = 0; k < NQUERY; k++) {
			uint32_t q[PL_MINHASH_N];
			perturb(base[rnd() % NBASE], q, (unsigned)(rnd() % 300));
			int want = brute_find(orig, 0, NORIG, q);
			const char *got = pl_dupindex_find(r, q, NULL, 0, NULL);
			agree += want < 0 ? got == NULL : got != NULL && atoi(got) == want;
			found += want >= 0;
			later += want > 0; /* an original before it was judged */
		}
		test_cond("index: random originals added", added);
		test_cond("index: finds what a brute-force search finds", agree == NQUERY);
		test_cond("index: the random queries both find and miss",
			  found > NQUERY / 10 && found < NQUERY - NQUERY / 10 && later > NQUERY / 10);
		if (agree != NQUERY || !(found > NQUERY / 10 && found < NQUERY - NQUERY / 10))
			fprintf(stderr, "agree %zu found %zu later %zu\n", agree, found, later);
		pl_dupindex_free(r);

		/* A window: after each added original, a query must find
		 * what brute_find finds among the last ones only. The
		 * originals are those above, added again, so that dropping
		 * one takes it out of long probe runs (many share bands). */
		static const size_t windows[] = {1, 7, 300, 1100};
		for (size_t w = 0; w < sizeof windows / sizeof windows[0]; w++) {
			size_t win = windows[w];
			pl_dupindex *wx = pl_dupindex_new(PL_DUP_THRESHOLD, win);
			int ok = 1;
			size_t wfound = 0, wmissed = 0;
			for (size_t d = 0; d < NORIG && ok; d++) {
				snprintf(id, sizeof id, "%zu", d);
				ok = pl_dupindex_add(wx, id, orig[d], NULL, 0, &e) == PL_OK;
				uint32_t q[PL_MINHASH_N];
				perturb(base[rnd() % NBASE], q, (unsigned)(rnd() % 300));
				size_t from = d + 1 > win ? d + 1 - win : 0;
				int want = brute_find(orig, from, d + 1, q);
				const char *got = pl_dupindex_find(wx, q, NULL, 0, NULL);
				ok = ok && (want < 0 ? got == NULL : got != NULL && atoi(got) == want);
				wfound += want >= 0;
				/* found nothing only because the match is older */
				wmissed += want < 0 && brute_find(orig, 0, from, q) >= 0;
				if (!ok)
					fprintf(stderr, "window %zu, after %zu: want %d got %s\n", win, d,
						want, got ? got : "none");
			}
			test_cond("window: finds what a brute-force search of the last ones finds",
				  ok && pl_dupindex_count(wx) == (win < NORIG ? win : NORIG) &&
				      pl_dupindex_dropped(wx) == (win < NORIG ? NORIG - win : 0));
			/* the case is not empty: queries find originals in the
			 * window, and others find none that an unbounded index
			 * would have found */
			test_cond("window: some queries find an original, some find one only outside",
				  wfound >= 20 && wmissed > 0);
			pl_dupindex_free(wx);

			/* The -j lookup: each query searched (pl_dupindex_search)
			 * when it is made, then resolved lag additions later,
			 * when it must answer what brute_find answers for the
			 * window as it is then. Originals are added after the
			 * search (one with lag 0), which it did not see, and the
			 * one it found may have left the window since. */
			static const size_t lags[] = {0, 3, 40};
			for (size_t l = 0; l < sizeof lags / sizeof lags[0]; l++) {
				enum { MAXLAG = 40 };
				struct { uint32_t q[PL_MINHASH_N]; uint64_t found, upto; } pend[MAXLAG + 1];
				size_t npend = 0, lag = lags[l], resolved = 0, redo = 0;
				pl_dupindex *jx = pl_dupindex_new(PL_DUP_THRESHOLD, win);
				pl_dupscratch *sc = pl_dupscratch_new();
				int jok = jx != NULL && sc != NULL;
				for (size_t d = 0; d < NORIG && jok; d++) {
					perturb(base[rnd() % NBASE], pend[npend].q, (unsigned)(rnd() % 300));
					pl_dupindex_search(jx, sc, pend[npend].q, NULL, 0, &pend[npend].found,
							   &pend[npend].upto);
					npend++;
					snprintf(id, sizeof id, "%zu", d);
					jok = pl_dupindex_add(jx, id, orig[d], NULL, 0, &e) == PL_OK;
					if (npend <= lag)
						continue;
					/* the oldest query pending, answered now */
					size_t from = d + 1 > win ? d + 1 - win : 0;
					int want = brute_find(orig, from, d + 1, pend[0].q);
					const char *got = pl_dupindex_resolve(jx, pend[0].q, NULL, 0,
									      pend[0].found, pend[0].upto);
					jok = want < 0 ? got == NULL : got != NULL && atoi(got) == want;
					if (!jok)
						fprintf(stderr, "window %zu lag %zu, after %zu: want %d got %s\n",
							win, lag, d, want, got ? got : "none");
					resolved += want >= 0;
					/* the search found one that has left the window */
					redo += pend[0].found != 0 && pend[0].found <= (uint64_t)from;
					memmove(&pend[0], &pend[1], (npend - 1) * sizeof pend[0]);
					npend--;
				}
				test_cond("-j lookup: search, then resolve later, finds what brute force finds",
					  jok && resolved >= 10 && redo > 0);
				pl_dupscratch_free(sc);
				pl_dupindex_free(jx);
			}
		}
	}
	/* Signatures are stored (--state) and compared across runs: a faster
	 * pl_sig_compute must give the very same values. These digests were
	 * taken from the first implementation. The texts mix ASCII letters in
	 * both cases, digits with decimal points, full-width forms, a 4-byte
	 * character and runs of one character. */
	static const struct { const char *text; uint64_t digest; } pinned[] = {
		{BODY, 0xd60f640e23ea41eeULL},
		{"Report 2021: 共发现问题12.5项,ABC abc 已整改3项。𠀀𠀀𠀀———————— 完成率100%\n"
		 "第二段 ２０２０年 处罚金额 1,234.56 万元 结束。x9.", 0x436c0c1f9e675a05ULL},
		{"一一一一一一一一一一一一一一一一一一一一", 0x5a915b6248162b12ULL},
		{"12 34 56 78 90 1.2.3 ..5 6. 7", 0x04614690b40e954cULL},
	};
	for (size_t i = 0; i < sizeof pinned / sizeof pinned[0]; i++) {
		sig p = sign(a, pinned[i].text);
		uint64_t got = sig_digest(&p);
		if (got != pinned[i].digest)
			fprintf(stderr, "pinned %zu: digest 0x%016llxULL\n", i, (unsigned long long)got);
		test_cond("a signature equals the one pinned", got == pinned[i].digest);
	}
	/* A text longer than the chunks pl_sig_compute() reads, so that they
	 * end inside a run of Han characters, of letters and of 〇: BODY six
	 * times, each after a different number, then 2,000 letters a and 700
	 * 〇. The digest was taken from the implementation that read the
	 * text in one loop. */
	{
		size_t cap = 6 * (sizeof BODY + 8) + 2000 + 700 * 3 + 1, n = 0;
		char *t = malloc(cap);
		test_cond("a long text is made", t != NULL);
		for (int k = 0; t != NULL && k < 6; k++)
			n += (size_t)snprintf(t + n, cap - n, "%d%s", k * 7, BODY);
		if (t != NULL) {
			memset(t + n, 'a', 2000);
			n += 2000;
			for (int k = 0; k < 700; k++, n += 3)
				memcpy(t + n, "〇", 3);
			t[n] = '\0';
			sig p = sign(a, t);
			uint64_t got = sig_digest(&p);
			if (got != 0x3c3b81d045c46f7bULL)
				fprintf(stderr, "long text: digest 0x%016llxULL\n",
					(unsigned long long)got);
			test_cond("a long text's signature equals the one pinned",
				  n == 6960 && p.nshingles == 970 && got == 0x3c3b81d045c46f7bULL);
		}
		free(t);
	}
	/* One shingle in 2^32 has the value UINT32_MAX, the value of an empty
	 * bin: its bin must count as filled all the same, and lend itself to
	 * the other 127 (densification). 督察丂弻蔙 is the only shingle of its
	 * text, and such a one (found by a search of 5-grams), in bin 109. */
	sig rare = sign(a, "督察丂弻蔙");
	int lent = rare.nshingles == 1 && rare.min[109] == UINT32_MAX;
	for (size_t b = 0; b < PL_MINHASH_N; b++)
		lent = lent && rare.min[b] == (uint32_t)(UINT32_MAX + ((109 + PL_MINHASH_N - b) %
								    PL_MINHASH_N) * 0x9e3779b9u);
	test_cond("a shingle of value UINT32_MAX fills its bin and lends it to the rest", lent);
	pl_dupindex_free(x);
	pl_arena_free(a);
	return test_report();
}
