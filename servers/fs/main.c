/*
 * servers/fs: idl/fs.idl implemented, a RAM file system (fs.h, tree.c)
 * filled from an archive in the boot image (archive.c). It is placed by the
 * system manifest like any server (sel_serve(): endpoint Calls); large
 * reads and writes come by lease, so file data never travels in message
 * registers beyond one small message.
 *
 * Per-client sessions: the caller's badge (its index in the manifest + 1)
 * selects its session, which holds its descriptors (FS_MAX_OPEN, each a node
 * and a position) and its quota: the bytes its files hold and the limit the
 * manifest's `quota` on its connection gave (environment SEL_QUOTA_<badge>;
 * none: no limit). Descriptors are private to a session: another client's
 * number is bad_fd. Started with the argument `crashable`, the server obeys
 * crash() (the supervision test); with `break-append` it ignores O_APPEND,
 * the deliberately broken variant the O_APPEND test must catch
 * (apps/posix-control).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sel/bind.h>
#include "fs.h"

#define FS_MAX_CLIENTS 17u /* badges 0 (a direct instance) .. 16 */
#define FS_MAX_OPEN    64u
#define FS_SMALL       2048u /* the largest read or write in the message */

/* A descriptor. Invariant: node != NULL iff in use, and then node->opens counts it. */
struct fs_open {
	struct fs_node *node;
	uint64_t pos;
	uint32_t flags; /* the POSIX open flags */
};

/* A client's session. Invariant: used = the sizes of the files it owns. */
struct fs_session {
	uint64_t used, limit; /* limit 0: none */
	struct fs_open open[FS_MAX_OPEN];
};

static struct fs_session sessions[FS_MAX_CLIENTS];
static bool crashable, break_append;

static struct fs_session *session(uint64_t badge)
{
	return badge < FS_MAX_CLIENTS ? &sessions[badge] : NULL;
}

int fs_charge(uint32_t owner, int64_t delta)
{
	struct fs_session *s = session(owner);

	if (!owner || !s)
		return SEL_OK;
	if (delta > 0 && s->limit && s->used + (uint64_t)delta > s->limit)
		return FS_ERROR_NO_SPACE;
	s->used += (uint64_t)delta;
	return SEL_OK;
}

static struct fs_open *descriptor(uint64_t badge, uint32_t fd)
{
	struct fs_session *s = session(badge);

	if (!s || fd >= FS_MAX_OPEN || !s->open[fd].node)
		return NULL;
	return &s->open[fd];
}

static bool writable(const struct fs_open *o)
{
	return (o->flags & O_ACCMODE) != O_RDONLY;
}

static bool readable(const struct fs_open *o)
{
	return (o->flags & O_ACCMODE) != O_WRONLY;
}

/* The node `path` names, created (as a file) if O_CREAT says so. */
static int open_node(uint64_t badge, const char *path, uint32_t flags, uint32_t mode,
                     struct fs_node **out)
{
	char name[FS_NAME_MAX + 1];
	struct fs_node *dir;
	int err = fs_lookup(path, out);

	if (err == SEL_OK && (flags & O_CREAT) && (flags & O_EXCL))
		return FS_ERROR_EXISTS;
	if (err != FS_ERROR_NOT_FOUND || !(flags & O_CREAT))
		return err;
	err = fs_lookup_parent(path, &dir, name);
	if (err == SEL_OK)
		err = fs_create(dir, name, FS_KIND_FILE, mode, (uint32_t)badge, out);
	return err;
}

int fs_impl_open(void *ctx, uint64_t badge, const char *path, uint32_t flags, uint32_t mode,
                 uint32_t *fd)
{
	struct fs_session *s = session(badge);
	struct fs_node *n;
	uint32_t k = 0;
	int err;

	(void)ctx;
	if (!s)
		return FS_ERROR_ACCESS;
	while (k < FS_MAX_OPEN && s->open[k].node)
		k++;
	if (k == FS_MAX_OPEN)
		return FS_ERROR_TOO_MANY_OPEN;
	err = open_node(badge, path, flags, mode, &n);
	if (err != SEL_OK)
		return err;
	if (n->kind == FS_KIND_DIR && (flags & O_ACCMODE) != O_RDONLY)
		return FS_ERROR_IS_DIR;
	if (n->kind != FS_KIND_DIR && (flags & O_DIRECTORY))
		return FS_ERROR_NOT_DIR;
	if (n->kind == FS_KIND_FILE && (flags & O_TRUNC) && (flags & O_ACCMODE) != O_RDONLY) {
		err = fs_resize(n, 0);
		if (err != SEL_OK)
			return err;
	}
	s->open[k] = (struct fs_open){n, 0, flags};
	n->opens++;
	*fd = k;
	return SEL_OK;
}

int fs_impl_close(void *ctx, uint64_t badge, uint32_t fd)
{
	struct fs_open *o = descriptor(badge, fd);
	struct fs_node *n;

	(void)ctx;
	if (!o)
		return FS_ERROR_BAD_FD;
	n = o->node;
	o->node = NULL;
	n->opens--;
	fs_free_if_unused(n);
	return SEL_OK;
}

/* How many bytes a read of up to max at o's position gets. */
static uint64_t readable_bytes(const struct fs_open *o, uint64_t max)
{
	uint64_t size = o->node->size;

	return o->pos >= size ? 0 : (size - o->pos < max ? size - o->pos : max);
}

static int check_read(const struct fs_open *o)
{
	if (!o || !readable(o))
		return FS_ERROR_BAD_FD;
	return o->node->kind == FS_KIND_DIR ? FS_ERROR_IS_DIR : SEL_OK;
}

int fs_impl_read(void *ctx, uint64_t badge, uint32_t fd, uint32_t max, uint8_t data[2048],
                 size_t *data_len)
{
	struct fs_open *o = descriptor(badge, fd);
	int err = check_read(o);

	(void)ctx;
	if (err != SEL_OK)
		return err;
	uint64_t n = readable_bytes(o, max < FS_SMALL ? max : FS_SMALL);
	memcpy(data, o->node->data + o->pos, n);
	o->pos += n;
	*data_len = n;
	return SEL_OK;
}

int fs_impl_read_lease(void *ctx, uint64_t badge, uint32_t fd, const struct sel_idl_lease *dst,
                       uint64_t *count)
{
	struct fs_open *o = descriptor(badge, fd);
	int err = check_read(o);

	(void)ctx;
	if (err != SEL_OK)
		return err;
	uint64_t n = readable_bytes(o, dst->desc.len);
	if (n) {
		err = sel_idl_lease_write(dst, 0, o->node->data + o->pos, n);
		if (err != SEL_OK)
			return err;
	}
	o->pos += n;
	*count = n;
	return SEL_OK;
}

/* Makes room for len bytes at the write position (O_APPEND: at the end) and returns it. */
static int prepare_write(struct fs_open *o, uint64_t len, uint64_t *at)
{
	if (!o || !writable(o))
		return FS_ERROR_BAD_FD;
	if ((o->flags & O_APPEND) && !break_append)
		o->pos = o->node->size;
	if (o->pos + len < o->pos)
		return FS_ERROR_INVALID;
	if (o->pos + len > o->node->size) {
		int err = fs_resize(o->node, o->pos + len);
		if (err != SEL_OK)
			return err;
	}
	o->node->mtime_ns = fs_now_ns();
	*at = o->pos;
	return SEL_OK;
}

int fs_impl_write(void *ctx, uint64_t badge, uint32_t fd, const uint8_t *data, size_t data_len,
                  uint32_t *written)
{
	struct fs_open *o = descriptor(badge, fd);
	uint64_t at;
	int err = prepare_write(o, data_len, &at);

	(void)ctx;
	if (err != SEL_OK)
		return err;
	memcpy(o->node->data + at, data, data_len);
	o->pos = at + data_len;
	*written = (uint32_t)data_len;
	return SEL_OK;
}

int fs_impl_write_lease(void *ctx, uint64_t badge, uint32_t fd, const struct sel_idl_lease *src,
                        uint64_t *count)
{
	struct fs_open *o = descriptor(badge, fd);
	uint64_t at, len = src->desc.len;
	int err = prepare_write(o, len, &at);

	(void)ctx;
	if (err != SEL_OK)
		return err;
	err = sel_idl_lease_read(src, 0, o->node->data + at, len);
	if (err != SEL_OK)
		return err;
	o->pos = at + len;
	*count = len;
	return SEL_OK;
}

int fs_impl_lseek(void *ctx, uint64_t badge, uint32_t fd, int64_t offset, enum fs_whence whence,
                  uint64_t *position)
{
	struct fs_open *o = descriptor(badge, fd);
	int64_t base;

	(void)ctx;
	if (!o)
		return FS_ERROR_BAD_FD;
	base = whence == FS_WHENCE_SET   ? 0
	       : whence == FS_WHENCE_CUR ? (int64_t)o->pos
	                                 : (int64_t)o->node->size;
	if ((offset > 0 && base > INT64_MAX - offset) || base + offset < 0)
		return FS_ERROR_INVALID;
	o->pos = (uint64_t)(base + offset);
	*position = o->pos;
	return SEL_OK;
}

static void fill_stat(const struct fs_node *n, struct fs_stat *st)
{
	*st = (struct fs_stat){n->size, n->kind, n->mode, n->ino, n->mtime_ns};
}

int fs_impl_stat(void *ctx, uint64_t badge, const char *path, struct fs_stat *st)
{
	struct fs_node *n;
	int err = fs_lookup(path, &n);

	(void)ctx;
	(void)badge;
	if (err == SEL_OK)
		fill_stat(n, st);
	return err;
}

int fs_impl_fstat(void *ctx, uint64_t badge, uint32_t fd, struct fs_stat *st)
{
	struct fs_open *o = descriptor(badge, fd);

	(void)ctx;
	if (!o)
		return FS_ERROR_BAD_FD;
	fill_stat(o->node, st);
	return SEL_OK;
}

int fs_impl_readdir(void *ctx, uint64_t badge, uint32_t fd, uint64_t cookie, char name[256],
                    enum fs_kind *kind, uint64_t *next)
{
	struct fs_open *o = descriptor(badge, fd);
	struct fs_node *c;
	uint64_t k = 0;

	(void)ctx;
	if (!o)
		return FS_ERROR_BAD_FD;
	if (o->node->kind != FS_KIND_DIR)
		return FS_ERROR_NOT_DIR;
	for (c = o->node->child; c && k < cookie; c = c->next)
		k++;
	if (!c)
		return FS_ERROR_NOT_FOUND; /* the end */
	strcpy(name, c->name);
	*kind = c->kind;
	*next = c->next ? cookie + 1 : 0;
	return SEL_OK;
}

/* unlink (want_dir false) and rmdir (true): the checks POSIX names, then the node goes. */
static int remove_node(const char *path, bool want_dir)
{
	struct fs_node *n;
	int err = fs_lookup(path, &n);

	if (err != SEL_OK)
		return err;
	if ((n->kind == FS_KIND_DIR) != want_dir)
		return want_dir ? FS_ERROR_NOT_DIR : FS_ERROR_IS_DIR;
	if (n == fs_root())
		return FS_ERROR_BUSY;
	if (n->child)
		return FS_ERROR_NOT_EMPTY;
	fs_detach(n);
	fs_free_if_unused(n);
	return SEL_OK;
}

int fs_impl_unlink(void *ctx, uint64_t badge, const char *path)
{
	(void)ctx;
	(void)badge;
	return remove_node(path, false);
}

int fs_impl_mkdir(void *ctx, uint64_t badge, const char *path, uint32_t mode)
{
	char name[FS_NAME_MAX + 1];
	struct fs_node *dir, *n;
	int err = fs_lookup_parent(path, &dir, name);

	(void)ctx;
	if (err == FS_ERROR_BUSY)
		return FS_ERROR_EXISTS; /* mkdir("/") */
	if (err != SEL_OK)
		return err;
	if (fs_child(dir, name))
		return FS_ERROR_EXISTS;
	return fs_create(dir, name, FS_KIND_DIR, mode, (uint32_t)badge, &n);
}

int fs_impl_rmdir(void *ctx, uint64_t badge, const char *path)
{
	(void)ctx;
	(void)badge;
	return remove_node(path, true);
}

/* May `from` replace `to` (POSIX rename)? */
static int replaceable(const struct fs_node *from, const struct fs_node *to)
{
	if (to->kind == FS_KIND_DIR && from->kind != FS_KIND_DIR)
		return FS_ERROR_IS_DIR;
	if (to->kind != FS_KIND_DIR && from->kind == FS_KIND_DIR)
		return FS_ERROR_NOT_DIR;
	return to->child ? FS_ERROR_NOT_EMPTY : SEL_OK;
}

int fs_impl_rename(void *ctx, uint64_t badge, const char *from, const char *to)
{
	char name[FS_NAME_MAX + 1];
	struct fs_node *n, *dir, *old;
	int err = fs_lookup(from, &n);

	(void)ctx;
	(void)badge;
	if (err == SEL_OK)
		err = fs_lookup_parent(to, &dir, name);
	if (err != SEL_OK)
		return err;
	if (n == fs_root())
		return FS_ERROR_BUSY;
	for (struct fs_node *d = dir; d; d = d->parent)
		if (d == n)
			return FS_ERROR_INVALID; /* into itself */
	old = fs_child(dir, name);
	if (old == n)
		return SEL_OK;
	if (old && (err = replaceable(n, old)) != SEL_OK)
		return err;
	if (old) {
		fs_detach(old);
		fs_free_if_unused(old);
	}
	fs_detach(n);
	strcpy(n->name, name);
	fs_attach(dir, n);
	return SEL_OK;
}

int fs_impl_ftruncate(void *ctx, uint64_t badge, uint32_t fd, uint64_t size)
{
	struct fs_open *o = descriptor(badge, fd);

	(void)ctx;
	if (!o || !writable(o))
		return FS_ERROR_BAD_FD;
	return fs_resize(o->node, size);
}

int fs_impl_quota(void *ctx, uint64_t badge, uint64_t *used, uint64_t *limit)
{
	struct fs_session *s = session(badge);

	(void)ctx;
	*used = s ? s->used : 0;
	*limit = s ? s->limit : 0;
	return SEL_OK;
}

/* An address nothing maps (read at run time: the compiler cannot see the store is wild). */
static volatile uint64_t *volatile nowhere = (volatile uint64_t *)16;

int fs_impl_crash(void *ctx, uint64_t badge)
{
	(void)ctx;
	(void)badge;
	if (!crashable)
		return FS_ERROR_ACCESS;
	*nowhere = 0;
	return SEL_OK;
}

SEL_SERVICE(fs_dispatch);

/* Each client's limit from SEL_QUOTA_<badge> (the manifest's `quota`). */
static void read_quotas(void)
{
	char name[24];

	for (uint32_t b = 1; b < FS_MAX_CLIENTS; b++) {
		snprintf(name, sizeof(name), "SEL_QUOTA_%u", (unsigned)b);
		const char *v = getenv(name);
		if (v)
			sessions[b].limit = strtoull(v, NULL, 10);
	}
}

int main(int argc, char **argv)
{
	int err;

	for (int i = 1; i < argc; i++) {
		crashable |= !strcmp(argv[i], "crashable");
		break_append |= !strcmp(argv[i], "break-append");
	}
	read_quotas();
	err = fs_load_archive();
	if (err != SEL_OK) {
		fprintf(stderr, "fs: the archive does not load: error %d\n", err);
		return 1;
	}
	return sel_serve();
}
