/*
 * libsel/src/posix: what the layer's files share (docs/posix.md). One
 * thread: the tables are not locked.
 */
#ifndef SEL_POSIX_INTERNAL_H
#define SEL_POSIX_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sel/posix.h>
#include "fs_client.h" /* generated from idl/fs.idl */

#define POSIX_PATH_MAX 255u /* fs.idl's string<255> */

/*
 * An open file description: what dup() shares. Invariant: refs counts the
 * descriptors naming it; kind FS means remote_fd is open in the server.
 */
struct posix_file {
	enum sel_posix_kind kind;
	uint32_t remote_fd;
	int flags;
	uint32_t refs;
};

/* The console (console.c): its connection, bound at first use; NULL if none. */
struct sel_idl_conn *posix_console(void);
ssize_t posix_console_write(const void *buf, size_t n);
ssize_t posix_console_read(void *buf, size_t n);
void posix_console_flush(void);

/* The connection to the file system, bound at first use; NULL (errno set) if none. */
struct sel_idl_conn *posix_fs(void);
/* The file behind fd, or NULL with errno EBADF. */
struct posix_file *posix_file(int fd);
/* A new descriptor for a new description (the lowest free), or -1 with EMFILE. */
int posix_fd_alloc(enum sel_posix_kind kind, uint32_t remote_fd, int flags);
/* -1 with errno for rc (an fs call's result), or 0 for SEL_OK. */
int posix_fail(int rc);
/* The absolute, normalised form of path (cwd-relative ones joined); -1 with errno. */
int posix_abspath(const char *path, char out[POSIX_PATH_MAX + 1]);

#endif /* SEL_POSIX_INTERNAL_H */
