/* test_meta.c: the place table's guesses, with names that all begin with
 * two three-byte characters (one bit for six bytes says where none begins)
 * and with a shorter name in the table (the bucket path). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "meta.h"
#include "test.h"

static pl_places *load(const char *rows)
{
	char path[] = "/tmp/test_meta_XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, "w");
	fputs(rows, f);
	fclose(f);
	pl_err e = {{0}, 0};
	pl_places *p = pl_places_load(path, &e);
	unlink(path);
	return p;
}

static int guess(const pl_places *p, const char *text, const char *want_prov,
		 const char *want_city)
{
	const char *prov, *city;
	pl_places_guess(p, text, strlen(text), &prov, &city);
	int ok_prov = want_prov ? prov && strcmp(prov, want_prov) == 0 : prov == NULL;
	int ok_city = want_city ? city && strcmp(city, want_city) == 0 : city == NULL;
	return ok_prov && ok_city;
}

#define TABLE                                                                                 \
	"浙江省\t浙江\tprovince\t浙江省\n"                                                    \
	"江苏省\t江苏\tprovince\t江苏省\n"                                                    \
	"杭州市\t杭州\tcity\t浙江省\n"                                                        \
	"宁波市\t宁波\tcity\t浙江省\n"

int main(void)
{
	pl_places *wide = load(TABLE);
	test_cond("table of two-character names loads", wide != NULL);
	test_cond("the province named most",
		  guess(wide, "浙江召开会议。江苏代表列席。浙江省委部署整改,浙江各地落实。", "浙江省", NULL));
	test_cond("a city's own notice: 我市 and its name twice",
		  guess(wide, "杭州市通报:我市整改完成。杭州各区落实,我市将继续推进。", "浙江省", "杭州市"));
	test_cond("no place, and names cut at the end of the text",
		  guess(wide, "整改工作取得实效。浙", NULL, NULL));
	test_cond("a name in the last six bytes is counted", guess(wide, "会议在江苏", "江苏省", NULL));
	/* The scan steps over two characters at a time where the second
	 * begins and ends no name: a name is found after any mix of
	 * characters that do and do not, wide and narrow. */
	int found_everywhere = 1;
	static const char *const pads[] = {"会", "x", "江", "浙", "议", "1", "苏", "。"};
	for (unsigned mask = 0; mask < 512 && found_everywhere; mask++) {
		char text[256] = "";
		for (unsigned k = 0; k < 9; k++)
			if (mask >> k & 1)
				strcat(text, pads[(mask + k) % 8]);
		strcat(text, "宁波通报:我市整改。宁波各区落实");
		found_everywhere = guess(wide, text, "浙江省", "宁波市") ||
				   /* the pads may name 浙江/江苏 twice: the province
				    * may differ, the city may not */
				   guess(wide, text, "江苏省", "宁波市");
	}
	test_cond("a name is found after any run of wide and narrow characters", found_everywhere);

	/* 苏 alone as a short name: the bucket path */
	pl_places *mixed = load(TABLE "江苏省\t苏\tprovince\t江苏省\n");
	test_cond("table with a one-character name loads", mixed != NULL);
	test_cond("a one-character name counts",
		  guess(mixed, "苏北苏南协同,浙江一次。", "江苏省", NULL));
	test_cond("the two-character names still count there",
		  guess(mixed, "浙江召开会议,浙江省委部署整改。", "浙江省", NULL));
	pl_places_free(wide);
	pl_places_free(mixed);
	return test_report();
}
