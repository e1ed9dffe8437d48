/* read_archive.c: tar, zip and gzip (bzip2, xz, zstd) bundles through
 * libarchive. Each regular member is read as a stream (read.c sniffs it: a
 * member can be a WARC, JSON Lines or feed as well as one document); its
 * doc_id is archive!member. A lone compressed file (x.txt.gz) is one
 * member, named after the file without its suffix.
 *
 * Limits, so that a small archive cannot exhaust memory or time: a member
 * document is read to at most --max-doc-bytes + 1 bytes (read.c), and a
 * compressed archive stops once it has expanded past --max-archive-bytes
 * (counted as bytes out of the decompressor, including members skipped);
 * what remains is reported and skipped. A truncated or corrupt archive is
 * reported where it breaks; the members before it were read.
 * Owns: the struct archive, freed here. */
#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "read_src.h"

typedef struct arch {
	pl_reader *r;
	struct archive *a;
	pl_src *in;                   /* the archive's own bytes (stdin, no fd) */
	int capped;                   /* compressed: --max-archive-bytes applies */
	unsigned long long expanded;  /* member bytes handed out + skipped */
	int over;                     /* expanded went past the limit */
	int broken;                   /* libarchive failed while reading data */
} arch;

/* libarchive's read callback over a pl_src (stdin: the sniffer's look-ahead
 * first, then the rest of the stream). */
static la_ssize_t arch_read_cb(struct archive *a, void *ctx, const void **buf)
{
	pl_src *s = ctx;
	size_t n = pl_src_avail(s);
	if (n == 0)
		n = pl_src_fill(s, 1);
	if (n == 0 && s->failed) {
		archive_set_error(a, -1, "%s", s->err);
		return -1;
	}
	*buf = pl_src_data(s);
	pl_src_consume(s, n); /* the bytes stay put until the next fill */
	return (la_ssize_t)n;
}

/* A member's bytes for its pl_src: counted against the archive limit. */
static ssize_t arch_pull(void *ctx, unsigned char *buf, size_t n, char *err, size_t errsz,
			 const char **status)
{
	arch *x = ctx;
	if (x->capped && x->expanded >= x->r->max_archive) {
		x->over = 1;
		snprintf(err, errsz,
			 "the archive expands past the %llu-byte limit (--max-archive-bytes); "
			 "the rest of it is skipped", x->r->max_archive);
		*status = "error:archive-too-large";
		return -1;
	}
	if (x->capped && n > x->r->max_archive - x->expanded)
		n = (size_t)(x->r->max_archive - x->expanded) + 1;
	la_ssize_t got = archive_read_data(x->a, buf, n);
	if (got < 0) {
		if (got == ARCHIVE_FATAL) /* else only this member is lost */
			x->broken = 1;
		snprintf(err, errsz, "%s", archive_error_string(x->a) ? archive_error_string(x->a)
								    : "archive read error");
		*status = "error:corrupt";
		return -1;
	}
	x->expanded += (unsigned long long)got;
	return got;
}

/* Skips the rest of the current member. Uncompressed data is skipped by
 * seeking; compressed data has to be decompressed to be skipped, so it is
 * read in chunks and counted against the limit. */
static void arch_skip(arch *x)
{
	if (!x->capped || archive_format(x->a) == ARCHIVE_FORMAT_ZIP ||
	    (archive_format(x->a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_ZIP) {
		/* zip members are compressed one by one: skipping one costs
		 * nothing to decompress */
		if (archive_read_data_skip(x->a) == ARCHIVE_FATAL)
			x->broken = 1;
		return;
	}
	const void *p;
	size_t n;
	la_int64_t off;
	for (;;) {
		int rc = archive_read_data_block(x->a, &p, &n, &off);
		if (rc == ARCHIVE_EOF)
			return;
		if (rc < ARCHIVE_WARN) {
			x->broken = rc == ARCHIVE_FATAL;
			return;
		}
		x->expanded += n;
		if (x->expanded > x->r->max_archive) {
			x->over = 1;
			return;
		}
	}
}

/* "x.txt.gz" -> "x.txt": the name of a lone compressed file's content. */
static void arch_raw_name(const char *name, char *out, size_t outsz)
{
	static const char *const sfx[] = {".gz", ".bz2", ".xz", ".zst", ".z", NULL};
	snprintf(out, outsz, "%s", pl_read_base(name));
	for (int k = 0; sfx[k]; k++)
		if (pl_read_ends(out, sfx[k]) && strlen(out) > strlen(sfx[k])) {
			out[strlen(out) - strlen(sfx[k])] = '\0';
			return;
		}
	if (strcmp(out, "-") == 0)
		snprintf(out, outsz, "data");
}

/* Members that are not documents: directories and links are not regular
 * files; hidden files and macOS resource forks are skipped as the
 * directory walk skips hidden files. */
static int arch_wanted(struct archive_entry *ent, const char *path)
{
	if (archive_entry_filetype(ent) != AE_IFREG)
		return 0;
	if (strncmp(path, "__MACOSX/", 9) == 0)
		return 0;
	return pl_read_base(path)[0] != '.';
}

int pl_read_archive(pl_reader *r, pl_src *s, int fd, const char *id, const char *name)
{
	arch x;
	memset(&x, 0, sizeof x);
	x.r = r;
	x.in = s;
	x.a = archive_read_new();
	/* Formats by magic: offered every format, libarchive's zip bidder
	 * looks for a central directory at the end of the stream, which for
	 * a compressed stream means decompressing all of it before the first
	 * member (unbounded, and a truncated gzip fails at once). */
	size_t peek = pl_src_fill(s, 4);
	if (peek >= 4 && memcmp(pl_src_data(s), "PK", 2) == 0) {
		archive_read_support_format_zip(x.a);
	} else {
		archive_read_support_filter_all(x.a);
		archive_read_support_format_tar(x.a);
		archive_read_support_format_raw(x.a); /* a lone x.gz */
	}
	int rc;
	if (fd >= 0 && lseek(fd, 0, SEEK_SET) == 0) /* seekable: zip reads its directory */
		rc = archive_read_open_fd(x.a, fd, 1 << 16);
	else
		rc = archive_read_open(x.a, s, NULL, arch_read_cb, NULL);
	if (rc != ARCHIVE_OK) {
		rc = pl_read_fail(r, id, "error:corrupt", "%s: read: not a readable archive: %s", id,
				  archive_error_string(x.a) ? archive_error_string(x.a) : "?");
		archive_read_free(x.a);
		return rc;
	}
	int out = PL_OK;
	size_t nmembers = 0;
	const char *last = NULL; /* set when the archive failed outside a member read */
	for (;;) {
		struct archive_entry *ent;
		rc = archive_read_next_header(x.a, &ent);
		if (rc == ARCHIVE_EOF)
			break;
		if (rc < ARCHIVE_WARN) {
			out = pl_read_fail(r, id, "error:corrupt",
					   "%s: read: the archive breaks after %zu member(s): %s; the "
					   "rest is skipped", id, nmembers,
					   archive_error_string(x.a) ? archive_error_string(x.a) : "?");
			break;
		}
		if (nmembers == 0) {
			/* The limit is on expansion: a plain tar expands nothing. */
			x.capped = archive_filter_code(x.a, 0) != ARCHIVE_FILTER_NONE ||
				   (archive_format(x.a) & ARCHIVE_FORMAT_BASE_MASK) ==
				       ARCHIVE_FORMAT_ZIP;
		}
		char member[4096];
		int raw = archive_format(x.a) == ARCHIVE_FORMAT_RAW;
		if (raw)
			arch_raw_name(name, member, sizeof member);
		else
			snprintf(member, sizeof member, "%s",
				 archive_entry_pathname(ent) ? archive_entry_pathname(ent) : "?");
		int failed_in_member = 0;
		if (!raw && !arch_wanted(ent, member)) {
			arch_skip(&x);
		} else {
			nmembers++;
			size_t il = strlen(id) + strlen(member) + 2;
			char *mid = malloc(il);
			if (mid == NULL)
				abort();
			snprintf(mid, il, "%s!%s", id, member);
			pl_src ms;
			pl_src_init(&ms, arch_pull, &x);
			out = pl_read_stream(r, &ms, -1, mid, member, 1);
			/* The member's reader reported a failure of its own
			 * stream (the limit, a truncated gzip) in its row. */
			failed_in_member = ms.failed;
			/* A member read only in part (too large) is skipped
			 * to its end. */
			if (out == PL_OK && !ms.failed && !ms.eof)
				arch_skip(&x);
			pl_src_free(&ms);
			free(mid);
		}
		if (out != PL_OK)
			break;
		if ((x.over || x.broken) && !failed_in_member)
			last = x.over ? "error:archive-too-large" : "error:corrupt";
		if (x.over || x.broken)
			break;
	}
	if (out == PL_OK && last != NULL && strcmp(last, "error:corrupt") == 0)
		out = pl_read_fail(r, id, last, "%s: read: the archive breaks after %zu member(s): "
				   "%s; the rest is skipped", id, nmembers,
				   archive_error_string(x.a) ? archive_error_string(x.a) : "?");
	else if (out == PL_OK && last != NULL)
		out = pl_read_fail(r, id, last,
				   "%s: read: the archive expands past the %llu-byte limit "
				   "(--max-archive-bytes); the rest of it is skipped", id,
				   r->max_archive);
	archive_read_free(x.a);
	return out;
}
