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
 * This header adds what POSIX has no name for: a descriptor's route,
 * asynchronous reads and writes (sel_aio_*); and
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
	SEL_POSIX_DEBUG = 1,   /* the debug channel: writes print, reads see end of file */
	SEL_POSIX_FS = 2,      /* a file or directory of the file system server */
	SEL_POSIX_CONSOLE = 3, /* the console service: writes print, reads take its input */
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

/*
 * Asynchronous I/O (libsel/src/posix/aio.c, docs/posix.md): sel_aio_read and
 * sel_aio_write start a read or write of up to SEL_AIO_MAX bytes at the
 * descriptor's position and return at once (0, or -1 with errno: EBADF,
 * ESPIPE for the debug channel, EINVAL over SEL_AIO_MAX or while `a` runs).
 * The request goes to the file system server as IDL futures; over an async
 * connection the server works while the caller computes and its replies
 * wait in the session window. sel_aio_poll() is 1 once the result is in
 * (and then calls a->done once, if set), else 0; sel_aio_wait() sleeps
 * until it is (the server's doorbell, a user interrupt, wakes it) and
 * returns what read() or write() would have (bytes, or -1 with errno). The
 * buffer belongs to the request until then; the descriptor's position moves
 * as the server serves it. One request per struct sel_aio at a time.
 *
 * With SEL_AIO_INTERRUPT in a->flags the request completes by user
 * interrupt: over an async connection the server rings the caller as soon
 * as its replies are in, even while it computes, and libsel's handler
 * gathers the result and calls a->done there, in the handler, interrupting
 * whatever the program was doing (done must only note the result: no
 * stdio, no other file call). sel_aio_poll() then only reads the state and
 * sel_aio_wait() sleeps until the handler has run. Meanwhile the program
 * makes no other call on the file system connection (requests in the same
 * mode excepted, at most SEL_AIO_ARMED at once). Over a sync connection the
 * request completes while it is sent and done runs before sel_aio_read
 * returns.
 */
#define SEL_AIO_MAX (4u * 2048u) /* four 2 KiB messages in flight: a connection's call slots */

enum sel_aio_state { SEL_AIO_IDLE = 0, SEL_AIO_RUNNING = 1, SEL_AIO_DONE = 2 };
#define SEL_AIO_INTERRUPT 1u /* a->flags: complete in the user-interrupt handler */
#define SEL_AIO_ARMED     4u /* such requests in flight at once */

struct sel_idl_future;
struct sel_aio {
	void (*done)(struct sel_aio *a); /* set by the caller, kept across requests */
	uint32_t flags;                  /* SEL_AIO_INTERRUPT; set by the caller, kept */
	int fd, write;
	void *buf;
	size_t len;
	volatile enum sel_aio_state state;
	volatile uint64_t finished; /* 1 once done: what a waiter sleeps on (handler-set) */
	long result;
	int error;
	uint32_t nreq;
	struct sel_idl_future *future[4];
};
/* Tests only: while non-zero, SEL_AIO_INTERRUPT does not arm the connection, so the
 * server rings only a sleeping client (the positive control of POSIX_0021). */
extern volatile int sel_aio_no_arm;
int sel_aio_read(struct sel_aio *a, int fd, void *buf, size_t len);
int sel_aio_write(struct sel_aio *a, int fd, const void *buf, size_t len);
int sel_aio_poll(struct sel_aio *a);
long sel_aio_wait(struct sel_aio *a);

#endif /* SEL_POSIX_H */
