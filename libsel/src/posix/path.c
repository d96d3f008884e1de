/*
 * libsel/src/posix/path.c: the calls on names. The working directory is
 * the layer's (the server knows only absolute paths): every path is made
 * absolute and normalised here ("." dropped, ".." taken back, "//" merged)
 * before it goes to the file system server. Directories are read one entry
 * per call (fs readdir with a cookie).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "posix_internal.h"

void posix_stat_of(const struct fs_stat *s, struct stat *st);

static char cwd[POSIX_PATH_MAX + 1] = "/";

/* Appends component c (n bytes) to out (length *len), resolving "." and "..". */
static int push(char *out, size_t *len, const char *c, size_t n)
{
	if (n == 1 && c[0] == '.')
		return 0;
	if (n == 2 && c[0] == '.' && c[1] == '.') {
		while (*len > 1 && out[*len - 1] != '/')
			(*len)--;
		if (*len > 1)
			(*len)--;
		out[*len] = 0;
		return 0;
	}
	if (*len + (*len > 1) + n > POSIX_PATH_MAX)
		return -1;
	if (*len > 1)
		out[(*len)++] = '/';
	memcpy(out + *len, c, n);
	*len += n;
	out[*len] = 0;
	return 0;
}

static int push_all(char *out, size_t *len, const char *p)
{
	while (*p) {
		size_t n = 0;
		while (*p == '/')
			p++;
		while (p[n] && p[n] != '/')
			n++;
		if (n && push(out, len, p, n) < 0)
			return -1;
		p += n;
	}
	return 0;
}

int posix_abspath(const char *path, char out[POSIX_PATH_MAX + 1])
{
	size_t len = 1;

	out[0] = '/';
	out[1] = 0;
	if (!path || !*path) {
		errno = ENOENT;
		return -1;
	}
	if ((path[0] != '/' && push_all(out, &len, cwd) < 0) || push_all(out, &len, path) < 0) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* The fs connection and path's absolute form, or NULL (errno set). */
static struct sel_idl_conn *resolve(const char *path, char abs[POSIX_PATH_MAX + 1])
{
	struct sel_idl_conn *fs = posix_fs();

	return fs && posix_abspath(path, abs) == 0 ? fs : NULL;
}

int stat(const char *path, struct stat *st)
{
	char abs[POSIX_PATH_MAX + 1];
	struct sel_idl_conn *fs = resolve(path, abs);
	struct fs_stat s;
	int rc;

	if (!fs)
		return -1;
	rc = fs_stat(fs, abs, &s);
	if (rc == SEL_OK)
		posix_stat_of(&s, st);
	return posix_fail(rc);
}

int lstat(const char *path, struct stat *st);
int lstat(const char *path, struct stat *st)
{
	return stat(path, st); /* no symbolic links */
}

int unlink(const char *path)
{
	char abs[POSIX_PATH_MAX + 1];
	struct sel_idl_conn *fs = resolve(path, abs);

	return fs ? posix_fail(fs_unlink(fs, abs)) : -1;
}

int mkdir(const char *path, mode_t mode)
{
	char abs[POSIX_PATH_MAX + 1];
	struct sel_idl_conn *fs = resolve(path, abs);

	return fs ? posix_fail(fs_mkdir(fs, abs, (uint32_t)mode)) : -1;
}

int rmdir(const char *path)
{
	char abs[POSIX_PATH_MAX + 1];
	struct sel_idl_conn *fs = resolve(path, abs);

	return fs ? posix_fail(fs_rmdir(fs, abs)) : -1;
}

int rename(const char *from, const char *to)
{
	char a[POSIX_PATH_MAX + 1], b[POSIX_PATH_MAX + 1];
	struct sel_idl_conn *fs = resolve(from, a);

	if (!fs || posix_abspath(to, b) < 0)
		return -1;
	return posix_fail(fs_rename(fs, a, b));
}

int chdir(const char *path)
{
	char abs[POSIX_PATH_MAX + 1];
	struct stat st;

	if (posix_abspath(path, abs) < 0 || stat(abs, &st) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	strcpy(cwd, abs);
	return 0;
}

char *getcwd(char *buf, size_t size)
{
	size_t n = strlen(cwd) + 1;

	if (!buf && !size)
		size = n;
	if (!buf && !(buf = malloc(size)))
		return NULL;
	if (size < n) {
		errno = size ? ERANGE : EINVAL;
		return NULL;
	}
	memcpy(buf, cwd, n);
	return buf;
}

/* A directory stream: the descriptor, the next entry's cookie, the entry returned. */
struct sel_dir {
	int fd;
	int done;
	uint64_t cookie;
	struct dirent entry;
};

DIR *opendir(const char *path)
{
	DIR *d = malloc(sizeof(*d));

	if (!d) {
		errno = ENOMEM;
		return NULL;
	}
	d->fd = open(path, O_RDONLY | O_DIRECTORY);
	if (d->fd < 0) {
		free(d);
		return NULL;
	}
	d->done = 0;
	d->cookie = 0;
	return d;
}

struct dirent *readdir(DIR *d)
{
	struct posix_file *f = posix_file(d->fd);
	enum fs_kind kind;
	uint64_t next;
	int rc;

	if (!f || d->done)
		return NULL;
	rc = fs_readdir(posix_fs(), f->remote_fd, d->cookie, d->entry.d_name, &kind, &next);
	if (rc == FS_ERROR_NOT_FOUND) {
		d->done = 1;
		return NULL; /* the end: errno unchanged */
	}
	if (rc != SEL_OK) {
		posix_fail(rc);
		return NULL;
	}
	d->entry.d_ino = (ino_t)(d->cookie + 1);
	d->entry.d_type = kind == FS_KIND_DIR ? DT_DIR : DT_REG;
	d->done = next == 0;
	d->cookie = next;
	return &d->entry;
}

void rewinddir(DIR *d)
{
	d->cookie = 0;
	d->done = 0;
}

int closedir(DIR *d)
{
	int r = close(d->fd);

	free(d);
	return r;
}
