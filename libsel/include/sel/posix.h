/*
 * libsel's POSIX layer (docs/posix.md): the C library is Debian's picolibc;
 * this layer is what picolibc leaves to the system. File descriptors are
 * routed to servers: each entry of the descriptor table records the server
 * (the bound connection to the file system, <sel/bind.h>, and the handles
 * its placement uses: endpoint slot, window address, sender index) and the
 * server's own descriptor, or the debug channel for stdin/stdout/stderr.
 * open/read/write/close/lseek/fstat/stat/unlink/mkdir/rmdir/rename,
 * opendir/readdir/closedir, dup/dup2, isatty, getcwd/chdir, sbrk (malloc),
 * _exit (exit, atexit), clock_gettime/gettimeofday (time), errno; argv and
 * the environment come from the manifest (<sel/posix_boot.h>).
 *
 * This header adds what POSIX has no name for: a descriptor's route; and
 * the calls picolibc leaves undeclared (clock_gettime, CLOCK_MONOTONIC,
 * sched_yield).
 */
#ifndef SEL_POSIX_H
#define SEL_POSIX_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* picolibc declares the POSIX clocks only for systems it knows: Selene has them. */
#ifndef CLOCK_MONOTONIC
#ifndef CLOCK_REALTIME
#define CLOCK_REALTIME ((clockid_t)1)
#endif
#define CLOCK_MONOTONIC ((clockid_t)4)
int clock_gettime(clockid_t id, struct timespec *ts);
#endif
int sched_yield(void); /* <sched.h> declares it only for systems picolibc knows */

#define SEL_POSIX_OPEN_MAX 32 /* descriptors of a process (EMFILE beyond) */

enum sel_posix_kind {
	SEL_POSIX_FREE = 0,
	SEL_POSIX_DEBUG = 1, /* the debug channel: writes print, reads see end of file */
	SEL_POSIX_FS = 2,    /* a file or directory of the file system server */
};

/* Where descriptor fd goes: the server, its connection's handles, its own descriptor. */
struct sel_posix_route {
	enum sel_posix_kind kind;
	const char *service; /* "fs", "debug" */
	uint32_t placement;  /* enum sel_bind_placement */
	uint64_t ep;         /* endpoint slot (sync, async) */
	uint64_t vaddr;      /* window address (async) */
	uint64_t sender;     /* sender-table index (async) */
	uint32_t remote_fd;  /* the server's descriptor */
};
/* 0, or -1 with errno EBADF. */
int sel_posix_route(int fd, struct sel_posix_route *r);

/* The errno of an fs call's result (0: none). */
int sel_posix_errno(int rc);

#endif /* SEL_POSIX_H */
