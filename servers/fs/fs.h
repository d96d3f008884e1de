/*
 * servers/fs: a RAM file system (idl/fs.idl). The tree lives in the
 * server's heap (malloc over the POSIX layer's sbrk, memory from the
 * component's budget); it is filled at start from a ustar archive linked
 * into the server (archive.c) and changed only by the handlers (main.c),
 * one request at a time: the server is single-threaded, so no locks.
 *
 * Files are charged to the client that created them (its badge, `owner`;
 * 0 for the archive's files, which no quota covers): a write that grows a
 * file is refused with no_space when the owner's quota would be exceeded.
 */
#ifndef FS_H
#define FS_H

#include <stdbool.h>
#include <stdint.h>
#include "fs_server.h" /* generated from idl/fs.idl */

#define FS_NAME_MAX 63u /* bytes of one path component */

/*
 * A file or directory. Invariants: a directory has no data; a file no
 * children; `parent` is NULL only for the root and for an unlinked node,
 * which stays allocated while `opens` > 0 and is freed at its last close;
 * size <= cap; data[0, size) is the file, bytes a hole left are zeros.
 */
struct fs_node {
	char name[FS_NAME_MAX + 1];
	enum fs_kind kind;
	uint32_t mode;
	uint64_t ino;
	uint64_t mtime_ns;
	uint32_t owner; /* badge charged for its bytes (0: no quota) */
	uint32_t opens; /* descriptors open on it, every client */
	struct fs_node *parent, *child, *next;
	uint8_t *data;
	uint64_t size, cap;
};

/* The tree (tree.c). Paths are absolute; "." and ".." are resolved. */
struct fs_node *fs_root(void);
int fs_lookup(const char *path, struct fs_node **out);
/* The directory that would hold `path` and its last component (into name). */
int fs_lookup_parent(const char *path, struct fs_node **dir, char name[FS_NAME_MAX + 1]);
struct fs_node *fs_child(const struct fs_node *dir, const char *name);
int fs_create(struct fs_node *dir, const char *name, enum fs_kind kind, uint32_t mode,
              uint32_t owner, struct fs_node **out);
void fs_detach(struct fs_node *n);
void fs_attach(struct fs_node *dir, struct fs_node *n);
void fs_free_if_unused(struct fs_node *n);
/* Sets a file's size: zeros when it grows; charges or refunds its owner's quota. */
int fs_resize(struct fs_node *n, uint64_t size);
uint64_t fs_now_ns(void);

/* Quotas (main.c): the bytes a client's files hold and their limit (0: none). */
int fs_charge(uint32_t owner, int64_t delta);

/* Fills the tree from the archive linked in (archive.c). */
int fs_load_archive(void);

#endif /* FS_H */
