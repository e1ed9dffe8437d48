/* read.c: the input walker (files, directories, stdin), the sniffer that
 * sends each input to its container reader (read_archive.c, read_warc.c,
 * read_jsonl.c, read_feed.c) or makes it one document, and input hashing. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "meta.h"
#include "read_src.h"

#define READ_PEEK 65536 /* bytes looked at to tell what an input is */

static void read_hex(const unsigned char *md, unsigned n, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	for (unsigned i = 0; i < n && i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
}

void pl_sha256_hex(const unsigned char *b, size_t n, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len = 0;
	EVP_Digest(b, n, md, &len, EVP_sha256(), NULL);
	read_hex(md, len, out);
}

const char *pl_read_base(const char *name)
{
	const char *slash = strrchr(name, '/');
	return slash ? slash + 1 : name;
}

int pl_read_ends(const char *name, const char *suffix)
{
	size_t n = strlen(name), k = strlen(suffix);
	return n >= k && strcasecmp(name + n - k, suffix) == 0;
}

/* ---- handing documents to the callback -------------------------------- */

static int read_emit(pl_reader *r, pl_input *in)
{
	if (r->stopped)
		return PL_ERR;
	r->rows++;
	if (r->fn(r->ctx, in) != PL_OK)
		r->stopped = 1;
	return r->stopped ? PL_ERR : PL_OK;
}

int pl_read_doc(pl_reader *r, const char *id, const unsigned char *b, size_t n,
		const pl_input *meta)
{
	pl_input in;
	if (meta != NULL)
		in = *meta;
	else
		memset(&in, 0, sizeof in);
	in.id = id;
	in.bytes = b;
	in.nbytes = n;
	in.status = in.message = NULL;
	pl_sha256_hex(b, n, in.sha256);
	return read_emit(r, &in);
}

int pl_read_fail(pl_reader *r, const char *id, const char *status, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	pl_input in;
	memset(&in, 0, sizeof in);
	in.id = id;
	in.status = status;
	in.message = msg;
	return read_emit(r, &in);
}

/* ---- one document from a stream --------------------------------------- */

/* Hashes what is buffered and the rest of the stream, for a document too
 * large to keep: its row still carries the SHA-256 of the input. */
static void read_hash_rest(pl_src *s, char out[65])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len = 0;
	EVP_DigestInit_ex(c, EVP_sha256(), NULL);
	for (;;) {
		size_t have = pl_src_avail(s);
		if (have == 0)
			have = pl_src_fill(s, 1);
		if (have == 0)
			break;
		EVP_DigestUpdate(c, pl_src_data(s), have);
		pl_src_consume(s, have);
	}
	EVP_DigestFinal_ex(c, md, &len);
	EVP_MD_CTX_free(c);
	read_hex(md, len, out);
}

/* The whole stream as one document, if it fits in max_doc. hash_rest: a
 * file, whose too-large rows are hashed to the end (an archive member's
 * rest is the archive reader's to skip or not). */
static int read_plain(pl_reader *r, pl_src *s, const char *id, int hash_rest)
{
	size_t n = pl_src_fill(s, r->max_doc + 1);
	if (s->failed)
		return pl_read_fail(r, id, s->status, "%s: read: %s", id, s->err);
	if (n > r->max_doc) {
		pl_input in;
		memset(&in, 0, sizeof in);
		char msg[600];
		snprintf(msg, sizeof msg,
			 "%s: read: input is over the %zu-byte limit (--max-doc-bytes); skipped", id,
			 r->max_doc);
		in.id = id;
		in.status = "error:too-large";
		in.message = msg;
		if (hash_rest)
			read_hash_rest(s, in.sha256);
		if (s->failed) /* the limit says more than a read error would */
			in.sha256[0] = '\0';
		return read_emit(r, &in);
	}
	return pl_read_doc(r, id, pl_src_data(s), n, NULL);
}

/* ---- what is this input? ---------------------------------------------- */

enum { READ_PLAIN, READ_ARCHIVE, READ_WARC, READ_JSONL, READ_FEED };

static int read_has(const unsigned char *b, size_t n, size_t at, const char *magic, size_t k)
{
	return n >= at + k && memcmp(b + at, magic, k) == 0;
}

/* An RSS or Atom document: after a BOM, the XML declaration, comments,
 * processing instructions and a DOCTYPE, the root is <rss, <feed or
 * <rdf:RDF. */
static int read_is_feed(const unsigned char *b, size_t n)
{
	size_t i = read_has(b, n, 0, "\xEF\xBB\xBF", 3) ? 3 : 0;
	if (n > 4096)
		n = 4096;
	while (i < n) {
		while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n'))
			i++;
		if (i >= n || b[i] != '<')
			return 0;
		const char *close = NULL;
		if (read_has(b, n, i, "<?", 2))
			close = "?>";
		else if (read_has(b, n, i, "<!--", 4))
			close = "-->";
		else if (read_has(b, n, i, "<!", 2))
			close = ">";
		if (close == NULL) {
			static const char *const roots[] = {"<rss", "<feed", "<rdf:RDF"};
			for (size_t k = 0; k < 3; k++) {
				size_t kl = strlen(roots[k]);
				if (read_has(b, n, i, roots[k], kl) && i + kl < n &&
				    (b[i + kl] == ' ' || b[i + kl] == '>' || b[i + kl] == '\n' ||
				     b[i + kl] == '\r' || b[i + kl] == '\t'))
					return 1;
			}
			return 0;
		}
		const unsigned char *end = memmem(b + i, n - i, close, strlen(close));
		if (end == NULL)
			return 0;
		i = (size_t)(end - b) + strlen(close);
	}
	return 0;
}

static int read_kind(const unsigned char *b, size_t n, const char *name, int in_archive)
{
	if (!in_archive) {
		if (read_has(b, n, 0, "\x1F\x8B", 2) ||               /* gzip */
		    read_has(b, n, 0, "\xFD" "7zXZ\0", 6) ||          /* xz */
		    read_has(b, n, 0, "\x28\xB5\x2F\xFD", 4) ||       /* zstd */
		    (read_has(b, n, 0, "BZh", 3) && read_has(b, n, 4, "1AY&SY", 6)) ||
		    read_has(b, n, 0, "PK\x03\x04", 4) || read_has(b, n, 0, "PK\x05\x06", 4) ||
		    read_has(b, n, 257, "ustar", 5) || pl_read_ends(name, ".tar"))
			return READ_ARCHIVE;
	}
	if (read_has(b, n, 0, "WARC/", 5))
		return READ_WARC;
	if (pl_read_ends(name, ".jsonl") || pl_read_ends(name, ".ndjson") ||
	    pl_read_jsonl_sniff(b, n))
		return READ_JSONL;
	if (pl_read_ends(name, ".rss") || pl_read_ends(name, ".atom") || read_is_feed(b, n))
		return READ_FEED;
	return READ_PLAIN;
}

int pl_read_stream(pl_reader *r, pl_src *s, int fd, const char *id, const char *name,
		   int in_archive)
{
	size_t n = pl_src_fill(s, READ_PEEK);
	if (s->failed && n == 0)
		return pl_read_fail(r, id, s->status, "%s: read: %s", id, s->err);
	unsigned long long rows = r->rows;
	int rc;
	const char *what = "";
	switch (read_kind(pl_src_data(s), n, name, in_archive)) {
	case READ_ARCHIVE:
		rc = pl_read_archive(r, s, fd, id, name);
		what = "the archive holds no documents";
		break;
	case READ_WARC:
		rc = pl_read_warc(r, s, id);
		what = "the WARC file holds no HTML or text responses";
		break;
	case READ_JSONL:
		rc = pl_read_jsonl(r, s, id);
		what = "the JSON Lines file holds no lines";
		break;
	case READ_FEED:
		rc = pl_read_feed(r, s, id);
		what = "the feed holds no items";
		break;
	default:
		return read_plain(r, s, id, !in_archive);
	}
	if (rc == PL_OK && r->rows == rows)
		rc = pl_read_fail(r, id, "empty", "%s: read: %s", id, what);
	return rc;
}

/* ---- files and directories -------------------------------------------- */

/* Hashes a file too large to load, in fixed-size chunks. */
static void read_sha256_fd(int fd, char out[65])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned char buf[1 << 16], md[EVP_MAX_MD_SIZE];
	unsigned len = 0;
	ssize_t got;
	EVP_DigestInit_ex(c, EVP_sha256(), NULL);
	while ((got = read(fd, buf, sizeof buf)) > 0)
		EVP_DigestUpdate(c, buf, (size_t)got);
	EVP_DigestFinal_ex(c, md, &len);
	EVP_MD_CTX_free(c);
	read_hex(md, len, out);
}

static int read_file(pl_reader *r, const char *path, const char *id)
{
	int is_stdin = strcmp(path, "-") == 0;
	int fd = is_stdin ? 0 : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return pl_read_fail(r, id, "error:unreadable", "%s: read: %s", id, strerror(errno));
	struct stat st;
	int regular = !is_stdin && fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	pl_src s;
	pl_src_init_fd(&s, &fd);
	size_t n = pl_src_fill(&s, READ_PEEK);
	int rc;
	if (regular && (size_t)st.st_size > r->max_doc &&
	    read_kind(pl_src_data(&s), n, path, 0) == READ_PLAIN) {
		/* One document over the limit: hashed, not loaded. */
		pl_input in;
		memset(&in, 0, sizeof in);
		char msg[600];
		if (lseek(fd, 0, SEEK_SET) == 0)
			read_sha256_fd(fd, in.sha256);
		snprintf(msg, sizeof msg,
			 "%s: read: %lld bytes is over the %zu-byte limit (--max-doc-bytes); skipped",
			 id, (long long)st.st_size, r->max_doc);
		in.id = id;
		in.status = "error:too-large";
		in.message = msg;
		rc = read_emit(r, &in);
	} else {
		rc = pl_read_stream(r, &s, regular ? fd : -1, id, path, 0);
	}
	pl_src_free(&s);
	if (!is_stdin)
		close(fd);
	return rc;
}

static int read_cmp(const void *a, const void *b)
{
	/* past the type byte read_dir() puts in front */
	return strcmp(*(char *const *)a + 1, *(char *const *)b + 1);
}

/* Walks dir; rel is the path below the input root ("" at the root). */
static int read_dir(pl_reader *r, const char *dir, const char *rel)
{
	DIR *d = opendir(dir);
	if (d == NULL)
		return PL_OK; /* reported by the caller's stat */
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.') /* ., .., and hidden files such as .gitkeep */
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **nn = realloc(names, cap * sizeof *names);
			if (nn == NULL)
				break;
			names = nn;
		}
		/* The entry's type rides in front of its name, so the walk
		 * below needs no stat() for a plain file or directory (one
		 * system call in six per document). */
		size_t len = strlen(de->d_name);
		char *name = malloc(len + 2);
		if (name == NULL)
			break;
		name[0] = de->d_type == DT_REG ? 'f' : de->d_type == DT_DIR ? 'd' : '?';
		memcpy(name + 1, de->d_name, len + 1);
		names[n++] = name;
	}
	closedir(d);
	if (n > 1) /* names is NULL in an empty directory */
		qsort(names, n, sizeof *names, read_cmp);
	int rc = PL_OK;
	for (size_t i = 0; i < n; i++) {
		if (rc == PL_OK && !r->stopped) {
			const char *name = names[i] + 1;
			size_t pl = strlen(dir) + strlen(name) + 2;
			size_t rl = strlen(rel) + strlen(name) + 2;
			char *path = malloc(pl), *rp = malloc(rl);
			snprintf(path, pl, "%s/%s", dir, name);
			snprintf(rp, rl, "%s%s%s", rel, *rel ? "/" : "", name);
			/* A link, or a file system that does not say: stat()
			 * follows links, as the walk always has. */
			char type = names[i][0];
			struct stat st;
			if (type == '?' && stat(path, &st) == 0)
				type = S_ISDIR(st.st_mode) ? 'd' : S_ISREG(st.st_mode) ? 'f' : '?';
			if (type == 'd')
				rc = read_dir(r, path, rp);
			else if (type == 'f')
				rc = read_file(r, path, rp);
			free(path);
			free(rp);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int pl_read_check_jsonl_fields(const char *spec, pl_err *e)
{
	pl_reader r;
	memset(&r, 0, sizeof r);
	return pl_read_jsonl_fields(&r, spec, e);
}

int pl_read_inputs(char *const *paths, int npaths, const pl_opts *o,
		   pl_input_fn fn, void *ctx, size_t *missing, pl_err *e)
{
	pl_reader r;
	memset(&r, 0, sizeof r);
	r.max_doc = o->max_doc_bytes;
	r.max_archive = o->max_archive_bytes ? o->max_archive_bytes : PL_MAX_ARCHIVE_BYTES;
	r.fn = fn;
	r.ctx = ctx;
	*missing = 0;
	if (pl_read_jsonl_fields(&r, o->jsonl_fields, e) != PL_OK)
		return PL_ERR;
	for (int i = 0; i < npaths && !r.stopped; i++) {
		struct stat st;
		if (strcmp(paths[i], "-") == 0) {
			read_file(&r, "-", "-");
		} else if (stat(paths[i], &st) != 0) {
			/* A missing input still gets its row, so nothing is
			 * silently left out of the tables. */
			(*missing)++;
			pl_read_fail(&r, paths[i], "error:missing", "%s: read: %s", paths[i],
				     strerror(errno));
		} else if (S_ISDIR(st.st_mode)) {
			read_dir(&r, paths[i], "");
		} else {
			read_file(&r, paths[i], paths[i]);
		}
	}
	if (r.stopped)
		return pl_errf(e, PL_EIO, "input walk stopped");
	return PL_OK;
}

/* ---- into the document ------------------------------------------------ */

void pl_input_meta(const pl_input *in, pl_doc *d)
{
	if (in->charset != NULL)
		d->charset = pl_strndup(d->arena, in->charset, strlen(in->charset));
	d->is_html = in->is_html;
	if (in->title != NULL && in->title[0] != '\0')
		d->title = pl_strndup(d->arena, in->title, strlen(in->title));
	char iso[11];
	if (in->date != NULL && pl_date_iso(in->date, iso))
		d->date = pl_strndup(d->arena, iso, 10);
}
