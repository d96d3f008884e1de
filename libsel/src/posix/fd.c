/*
 * libsel/src/posix/fd.c: the descriptor table and the calls on
 * descriptors. A descriptor names an open file description (struct
 * posix_file, shared by dup); a description routes to the debug channel
 * (0, 1 and 2 at start) or to the file system server, bound with
 * sel_bind("fs") at first use, where it names the server's own descriptor.
 * Over a sync connection, reads and writes of up to POSIX_SMALL bytes travel
 * in one message; longer ones lend the caller's buffer to the server for
 * the call (a lease), so file data never goes through message registers in
 * bulk. Over an async connection (no leases) they go through the session
 * window, 2 KiB per message, four messages in flight at a time (aio.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sel/bind.h>
#include <sel/debug.h>
#include "posix_internal.h"

#define POSIX_SMALL   256u          /* bytes moved in one message over a sync connection */
#define POSIX_MESSAGE 2048u         /* the most one message carries (fs.idl bytes<2048>) */
#define POSIX_LEASE   (16ull << 20) /* the most one lease lends (fs.idl) */

static struct posix_file files[SEL_POSIX_OPEN_MAX];
static int8_t fds[SEL_POSIX_OPEN_MAX]; /* index into files + 1; 0: free */
static int fds_ready;

static void fds_init(void)
{
	if (fds_ready)
		return;
	fds_ready = 1;
	enum sel_posix_kind kind = posix_console() ? SEL_POSIX_CONSOLE : SEL_POSIX_DEBUG;

	for (int i = 0; i < 3; i++)
		posix_fd_alloc(kind, 0, i ? O_WRONLY : O_RDONLY);
}

struct sel_idl_conn *posix_fs(void)
{
	static struct sel_idl_conn *conn;
	int err;

	if (!conn && !(conn = sel_bind("fs", &err)))
		errno = ENOSYS; /* the manifest connects this program to no file system */
	return conn;
}

int posix_fail(int rc)
{
	errno = sel_posix_errno(rc);
	return errno ? -1 : 0;
}

int sel_posix_errno(int rc)
{
	switch (rc) {
	case SEL_OK:
		return 0;
	case FS_ERROR_NOT_FOUND:
		return ENOENT;
	case FS_ERROR_EXISTS:
		return EEXIST;
	case FS_ERROR_NOT_DIR:
		return ENOTDIR;
	case FS_ERROR_IS_DIR:
		return EISDIR;
	case FS_ERROR_BAD_FD:
		return EBADF;
	case FS_ERROR_NO_SPACE:
		return ENOSPC;
	case FS_ERROR_ACCESS:
		return EACCES;
	case FS_ERROR_INVALID:
		return EINVAL;
	case FS_ERROR_TOO_MANY_OPEN:
		return EMFILE;
	case FS_ERROR_NOT_EMPTY:
		return ENOTEMPTY;
	case FS_ERROR_NAME_TOO_LONG:
		return ENAMETOOLONG;
	case FS_ERROR_BUSY:
		return EBUSY;
	case SEL_ERR_RANGE:
		return ENAMETOOLONG; /* a path over its bound, refused by the stub */
	default:
		return EIO; /* the server is gone (SEL_ERR_PEER_DEAD) or the transport failed */
	}
}

struct posix_file *posix_file(int fd)
{
	fds_init();
	if (fd < 0 || fd >= SEL_POSIX_OPEN_MAX || !fds[fd]) {
		errno = EBADF;
		return NULL;
	}
	return &files[fds[fd] - 1];
}

static int fd_free_slot(int from)
{
	for (int fd = from; fd < SEL_POSIX_OPEN_MAX; fd++)
		if (!fds[fd])
			return fd;
	errno = EMFILE;
	return -1;
}

int posix_fd_alloc(enum sel_posix_kind kind, uint32_t remote_fd, int flags)
{
	int fd = fd_free_slot(0);
	int k = 0;

	if (fd < 0)
		return -1;
	while (files[k].refs) /* there are as many descriptions as descriptors */
		k++;
	files[k] = (struct posix_file){kind, remote_fd, flags, 1};
	fds[fd] = (int8_t)(k + 1);
	return fd;
}

int sel_posix_route(int fd, struct sel_posix_route *r)
{
	struct posix_file *f = posix_file(fd);

	if (!f)
		return -1;
	memset(r, 0, sizeof(*r));
	r->kind = f->kind;
	r->service = f->kind == SEL_POSIX_FS        ? "fs"
	             : f->kind == SEL_POSIX_CONSOLE ? "console"
	                                            : "debug";
	r->remote_fd = f->remote_fd;
	for (uint32_t i = 0; f->kind != SEL_POSIX_DEBUG && i < sel_connections.n; i++) {
		const struct sel_bind_entry *e = &sel_connections.e[i];
		if (strcmp(e->service, r->service))
			continue;
		r->placement = e->placement;
		r->ep = e->ep;
		r->vaddr = e->vaddr;
		r->sender = e->uitt_index;
	}
	return 0;
}

int open(const char *path, int flags, ...)
{
	char abs[POSIX_PATH_MAX + 1];
	struct sel_idl_conn *fs = posix_fs();
	uint32_t mode = 0, remote;
	va_list ap;
	int rc, fd;

	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = va_arg(ap, unsigned);
		va_end(ap);
	}
	fds_init();
	if (!fs || posix_abspath(path, abs) < 0 || fd_free_slot(0) < 0)
		return -1;
	rc = fs_open(fs, abs, (uint32_t)flags, mode, &remote);
	if (rc != SEL_OK)
		return posix_fail(rc);
	fd = posix_fd_alloc(SEL_POSIX_FS, remote, flags);
	if (fd < 0)
		fs_close(fs, remote);
	return fd;
}

int close(int fd)
{
	struct posix_file *f = posix_file(fd);

	if (!f)
		return -1;
	fds[fd] = 0;
	if (--f->refs || f->kind != SEL_POSIX_FS)
		return 0;
	return posix_fail(fs_close(posix_fs(), f->remote_fd));
}

/* Is the file system reached through a session window (async: no leases)? */
static int fs_windowed(void)
{
	for (uint32_t i = 0; i < sel_connections.n && i < SEL_BIND_MAX; i++)
		if (!strcmp(sel_connections.e[i].service, "fs"))
			return sel_connections.e[i].placement == SEL_BIND_ASYNC;
	return 0;
}

/*
 * Over a session window: SEL_AIO_MAX bytes at a time, their 2 KiB messages in flight
 * together (aio.c), until n or a short piece.
 */
static ssize_t fs_windowed_io(int fd, void *buf, size_t n, int write)
{
	struct sel_aio a = {0};
	size_t done = 0;

	do {
		size_t piece = n - done < SEL_AIO_MAX ? n - done : SEL_AIO_MAX;
		uint8_t *at = (uint8_t *)buf + done;
		long got =
		    (write ? sel_aio_write(&a, fd, at, piece) : sel_aio_read(&a, fd, at, piece)) < 0
		        ? -1
		        : sel_aio_wait(&a);
		if (got < 0)
			return done ? (ssize_t)done : -1;
		done += (size_t)got;
		if ((size_t)got < piece)
			break;
	} while (done < n);
	return (ssize_t)done;
}

static ssize_t fs_read_some(int fd, struct posix_file *f, void *buf, size_t n)
{
	static uint8_t data[POSIX_MESSAGE];
	uint64_t count = 0;
	size_t got = 0;
	int rc;

	if (fs_windowed())
		return fs_windowed_io(fd, buf, n, 0);
	if (n <= POSIX_SMALL) {
		rc = fs_read(posix_fs(), f->remote_fd, (uint32_t)n, data, &got);
		if (rc == SEL_OK)
			memcpy(buf, data, got);
		return rc == SEL_OK ? (ssize_t)got : posix_fail(rc);
	}
	rc =
	    fs_read_lease(posix_fs(), f->remote_fd, buf, n > POSIX_LEASE ? POSIX_LEASE : n, &count);
	return rc == SEL_OK ? (ssize_t)count : posix_fail(rc);
}

ssize_t read(int fd, void *buf, size_t n)
{
	struct posix_file *f = posix_file(fd);

	if (!f)
		return -1;
	if ((f->flags & O_ACCMODE) == O_WRONLY) {
		errno = EBADF;
		return -1;
	}
	if (f->kind == SEL_POSIX_DEBUG || !n)
		return 0; /* no console input: end of file */
	if (f->kind == SEL_POSIX_CONSOLE)
		return posix_console_read(buf, n);
	return fs_read_some(fd, f, buf, n);
}

static ssize_t fs_write_some(int fd, struct posix_file *f, const void *buf, size_t n)
{
	uint64_t count = 0;
	uint32_t written = 0;
	int rc;

	if (fs_windowed())
		return fs_windowed_io(fd, (void *)buf, n, 1);
	if (n <= POSIX_SMALL) {
		rc = fs_write(posix_fs(), f->remote_fd, buf, n, &written);
		return rc == SEL_OK ? (ssize_t)written : posix_fail(rc);
	}
	rc = fs_write_lease(posix_fs(), f->remote_fd, buf, n > POSIX_LEASE ? POSIX_LEASE : n,
	                    &count);
	return rc == SEL_OK ? (ssize_t)count : posix_fail(rc);
}

ssize_t write(int fd, const void *buf, size_t n)
{
	struct posix_file *f = posix_file(fd);

	if (!f)
		return -1;
	if ((f->flags & O_ACCMODE) == O_RDONLY) {
		errno = EBADF;
		return -1;
	}
	if (f->kind == SEL_POSIX_DEBUG) {
		for (size_t k = 0; k < n; k += 4096)
			sel_debug_write((const char *)buf + k, n - k > 4096 ? 4096 : n - k);
		return (ssize_t)n;
	}
	if (f->kind == SEL_POSIX_CONSOLE)
		return posix_console_write(buf, n);
	return fs_write_some(fd, f, buf, n);
}

off_t lseek(int fd, off_t offset, int whence)
{
	struct posix_file *f = posix_file(fd);
	uint64_t pos;
	int rc;

	if (!f)
		return -1;
	if (f->kind != SEL_POSIX_FS) {
		errno = ESPIPE;
		return -1;
	}
	if (whence < SEEK_SET || whence > SEEK_END) {
		errno = EINVAL;
		return -1;
	}
	rc = fs_lseek(posix_fs(), f->remote_fd, offset, (enum fs_whence)whence, &pos);
	return rc == SEL_OK ? (off_t)pos : posix_fail(rc);
}

int dup2(int old, int new)
{
	struct posix_file *f = posix_file(old);

	if (!f)
		return -1;
	if (new < 0 || new >= SEL_POSIX_OPEN_MAX) {
		errno = EBADF;
		return -1;
	}
	if (new == old)
		return new;
	if (fds[new])
		close(new);
	fds[new] = fds[old];
	f->refs++;
	return new;
}

int dup(int old)
{
	int new;

	if (!posix_file(old) || (new = fd_free_slot(0)) < 0)
		return -1;
	return dup2(old, new);
}

int isatty(int fd)
{
	struct posix_file *f = posix_file(fd);

	if (f && (f->kind == SEL_POSIX_DEBUG || f->kind == SEL_POSIX_CONSOLE))
		return 1;
	if (f)
		errno = ENOTTY;
	return 0;
}

/* fs_stat as struct stat. */
void posix_stat_of(const struct fs_stat *s, struct stat *st);
void posix_stat_of(const struct fs_stat *s, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_size = (off_t)s->size;
	st->st_mode = (s->kind == FS_KIND_DIR ? S_IFDIR : S_IFREG) | (s->mode & 07777);
	st->st_ino = (ino_t)s->inode;
	st->st_nlink = 1;
	st->st_blksize = 4096;
	st->st_blocks = (blkcnt_t)((s->size + 511) / 512);
	st->st_mtim.tv_sec = (time_t)(s->mtime_ns / 1000000000u);
	st->st_mtim.tv_nsec = (long)(s->mtime_ns % 1000000000u);
}

int fstat(int fd, struct stat *st)
{
	struct posix_file *f = posix_file(fd);
	struct fs_stat s;
	int rc;

	if (!f)
		return -1;
	if (f->kind == SEL_POSIX_DEBUG || f->kind == SEL_POSIX_CONSOLE) {
		memset(st, 0, sizeof(*st));
		st->st_mode = S_IFCHR | 0620;
		return 0;
	}
	rc = fs_fstat(posix_fs(), f->remote_fd, &s);
	if (rc == SEL_OK)
		posix_stat_of(&s, st);
	return posix_fail(rc);
}

int ftruncate(int fd, off_t size)
{
	struct posix_file *f = posix_file(fd);

	if (!f)
		return -1;
	if (f->kind != SEL_POSIX_FS || size < 0) {
		errno = EINVAL;
		return -1;
	}
	return posix_fail(fs_ftruncate(posix_fs(), f->remote_fd, (uint64_t)size));
}

/* No device of ours takes a request (<sys/ioctl.h>). */
int ioctl(int fd, unsigned long request, ...)
{
	(void)request;
	if (posix_file(fd))
		errno = ENOTTY;
	return -1;
}
