/* read.c: the input walker (files, directories, stdin) and input hashing. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "read.h"

typedef struct read_walk {
	size_t max_bytes;
	pl_input_fn fn;
	void *ctx;
	int stopped;
} read_walk;

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

/* Reads all of fd, up to max+1 bytes. *buf is malloc'd (caller frees). */
static int read_fd(int fd, size_t max, unsigned char **buf, size_t *n)
{
	size_t cap = 1 << 16, len = 0;
	unsigned char *b = malloc(cap);
	if (b == NULL)
		return -1;
	for (;;) {
		if (len == cap) {
			if (cap > max) /* already past the limit */
				break;
			cap *= 2;
			unsigned char *nb = realloc(b, cap);
			if (nb == NULL) {
				free(b);
				return -1;
			}
			b = nb;
		}
		ssize_t got = read(fd, b + len, cap - len);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			free(b);
			return -1;
		}
		if (got == 0)
			break;
		len += (size_t)got;
	}
	*buf = b;
	*n = len;
	return 0;
}

static int read_file(read_walk *w, const char *path, const char *id)
{
	pl_input in = {.id = id};
	int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY);
	char msg[600];
	if (fd < 0) {
		snprintf(msg, sizeof msg, "%s: read: %s", id, strerror(errno));
		in.status = "error:unreadable";
		in.message = msg;
		return w->fn(w->ctx, &in);
	}
	struct stat st;
	if (fd != 0 && fstat(fd, &st) == 0 && (size_t)st.st_size > w->max_bytes) {
		read_sha256_fd(fd, in.sha256);
		close(fd);
		snprintf(msg, sizeof msg, "%s: read: %lld bytes is over the %zu-byte limit "
			 "(--max-doc-bytes); skipped", id, (long long)st.st_size, w->max_bytes);
		in.status = "error:too-large";
		in.message = msg;
		return w->fn(w->ctx, &in);
	}
	unsigned char *buf = NULL;
	size_t n = 0;
	int rc = read_fd(fd, w->max_bytes, &buf, &n);
	int err = errno;
	if (fd != 0)
		close(fd);
	if (rc != 0) {
		snprintf(msg, sizeof msg, "%s: read: %s", id, strerror(err));
		in.status = "error:unreadable";
		in.message = msg;
		return w->fn(w->ctx, &in);
	}
	pl_sha256_hex(buf, n, in.sha256);
	if (n > w->max_bytes) {
		snprintf(msg, sizeof msg, "%s: read: input is over the %zu-byte limit "
			 "(--max-doc-bytes); skipped", id, w->max_bytes);
		in.status = "error:too-large";
		in.message = msg;
	} else {
		in.bytes = buf;
		in.nbytes = n;
	}
	rc = w->fn(w->ctx, &in);
	free(buf);
	return rc;
}

static int read_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Walks dir; rel is the path below the input root ("" at the root). */
static int read_dir(read_walk *w, const char *dir, const char *rel)
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
		names[n++] = strdup(de->d_name);
	}
	closedir(d);
	if (n > 1) /* names is NULL in an empty directory */
		qsort(names, n, sizeof *names, read_cmp);
	int rc = PL_OK;
	for (size_t i = 0; i < n; i++) {
		if (rc == PL_OK && !w->stopped) {
			size_t pl = strlen(dir) + strlen(names[i]) + 2;
			size_t rl = strlen(rel) + strlen(names[i]) + 2;
			char *path = malloc(pl), *r = malloc(rl);
			snprintf(path, pl, "%s/%s", dir, names[i]);
			snprintf(r, rl, "%s%s%s", rel, *rel ? "/" : "", names[i]);
			struct stat st;
			if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
				rc = read_dir(w, path, r);
			else if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
				rc = read_file(w, path, r);
			free(path);
			free(r);
			if (rc != PL_OK)
				w->stopped = 1;
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int pl_read_inputs(char *const *paths, int npaths, size_t max_bytes,
		   pl_input_fn fn, void *ctx, size_t *missing, pl_err *e)
{
	read_walk w = {.max_bytes = max_bytes, .fn = fn, .ctx = ctx};
	*missing = 0;
	int rc = PL_OK;
	for (int i = 0; i < npaths && !w.stopped; i++) {
		struct stat st;
		if (strcmp(paths[i], "-") == 0) {
			rc = read_file(&w, "-", "-");
		} else if (stat(paths[i], &st) != 0) {
			/* A missing input still gets its row, so nothing is
			 * silently left out of the tables. */
			char msg[600];
			snprintf(msg, sizeof msg, "%s: read: %s", paths[i], strerror(errno));
			pl_input in = {.id = paths[i], .status = "error:missing", .message = msg};
			(*missing)++;
			rc = fn(ctx, &in);
		} else if (S_ISDIR(st.st_mode)) {
			rc = read_dir(&w, paths[i], "");
		} else {
			rc = read_file(&w, paths[i], paths[i]);
		}
		if (rc != PL_OK)
			w.stopped = 1;
	}
	if (w.stopped)
		return pl_errf(e, PL_EIO, "input walk stopped");
	return PL_OK;
}
