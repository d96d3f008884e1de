/*
 * libsel/src/posix/aio.c: asynchronous reads and writes (<sel/posix.h>,
 * sel_aio_*). A request is cut into chunks of at most one message's payload
 * (2 KiB), each an fs read or write sent as an IDL future at once; the
 * requests of one descriptor reach the server in order, so chunk k covers
 * the k-th 2 KiB from the position at the start. Nothing waits: the caller
 * computes while the server works. Over an async connection (a session
 * window, docs/idl.md) the replies come back into the window's completion
 * ring: sel_aio_poll() looks there, and sel_aio_wait() sleeps until the
 * server's doorbell (a user interrupt, drained by libsel's binding handler)
 * wakes it; either calls `done` once the result is in. Over a sync
 * connection each chunk is a Call made while it is sent, so the request is
 * complete when sel_aio_read returns.
 *
 * SEL_AIO_INTERRUPT: the request goes into `armed` and the connection is
 * armed (sel_idl_async_arm): the server rings us even while we compute, and
 * the binding's user-interrupt handler, after draining the completions,
 * calls on_drain(), which gathers every armed request whose replies are all
 * in and calls its `done` there. The start runs with user interrupts masked
 * (their bits stay pending), so the handler never sees a request half sent
 * nor the list half changed; it disarms the connection when the list is
 * empty.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sel/idl_async.h>
#include <sel/uintr.h>
#include "posix_internal.h"

#define CHUNK 2048u

/* Requests completing by interrupt. Invariant: changed only with user interrupts masked
 * or from the handler; every entry is RUNNING with all its chunks sent. */
static struct sel_aio *armed[SEL_AIO_ARMED];

volatile int sel_aio_no_arm;

static void complete(struct sel_aio *a);
static void on_drain(void *arg);

/* Each chunk of a as an fs read or write future, sent at once. */
static void send_chunks(struct sel_aio *a, struct sel_idl_conn *fs, uint32_t remote_fd)
{
	for (size_t off = 0; off < a->len || (!a->len && !a->nreq); off += CHUNK) {
		uint32_t n = (uint32_t)(a->len - off < CHUNK ? a->len - off : CHUNK);
		a->future[a->nreq++] =
		    a->write ? fs_write_async(fs, remote_fd, (const uint8_t *)a->buf + off, n)
		             : fs_read_async(fs, remote_fd, n);
	}
}

/* A request that completes by interrupt (SEL_AIO_INTERRUPT); over sync, at once. */
static int aio_start_armed(struct sel_aio *a, struct sel_idl_conn *fs, uint32_t remote_fd)
{
	uint32_t k = 0;

	sel_uintr_mask();
	while (k < SEL_AIO_ARMED && armed[k])
		k++;
	if (k == SEL_AIO_ARMED) {
		sel_uintr_unmask();
		a->state = SEL_AIO_IDLE;
		errno = EAGAIN;
		return -1;
	}
	if (fs->transport != &sel_idl_async_transport) { /* sync: done as it is sent */
		sel_uintr_unmask();
		send_chunks(a, fs, remote_fd);
		complete(a);
		return 0;
	}
	if (!sel_aio_no_arm)
		sel_idl_async_arm(fs, on_drain, NULL);
	send_chunks(a, fs, remote_fd);
	armed[k] = a;
	sel_idl_conn_poll(fs); /* rings the server if it sleeps; may drain what is in */
	on_drain(NULL);        /* replies drained before the list had the request */
	sel_uintr_unmask();
	return 0;
}

static int aio_start(struct sel_aio *a, int fd, void *buf, size_t len, int write)
{
	struct posix_file *f = posix_file(fd);
	struct sel_idl_conn *fs = posix_fs();

	if (!f || !fs)
		return -1;
	if (f->kind != SEL_POSIX_FS || len > SEL_AIO_MAX || a->state == SEL_AIO_RUNNING) {
		errno = f->kind != SEL_POSIX_FS ? ESPIPE : EINVAL;
		return -1;
	}
	*a = (struct sel_aio){.fd = fd,
	                      .write = write,
	                      .buf = buf,
	                      .len = len,
	                      .state = SEL_AIO_RUNNING,
	                      .done = a->done,
	                      .flags = a->flags};
	if (a->flags & SEL_AIO_INTERRUPT)
		return aio_start_armed(a, fs, f->remote_fd);
	send_chunks(a, fs, f->remote_fd);
	sel_idl_conn_poll(fs); /* rings the server if it sleeps */
	return 0;
}

int sel_aio_read(struct sel_aio *a, int fd, void *buf, size_t len)
{
	return aio_start(a, fd, buf, len, 0);
}

int sel_aio_write(struct sel_aio *a, int fd, const void *buf, size_t len)
{
	return aio_start(a, fd, (void *)buf, len, 1);
}

/* Takes chunk k's result: bytes moved, or -1 with a->error. */
static long finish_chunk(struct sel_aio *a, uint32_t k)
{
	static uint8_t data[CHUNK];
	size_t n = 0;
	uint32_t written = 0;
	int rc = a->write ? fs_write_finish(a->future[k], &written)
	                  : fs_read_finish(a->future[k], data, &n);

	if (rc != SEL_OK) {
		a->error = sel_posix_errno(rc);
		return -1;
	}
	if (!a->write)
		memcpy((uint8_t *)a->buf + (size_t)k * CHUNK, data, n);
	return a->write ? (long)written : (long)n;
}

static void complete(struct sel_aio *a)
{
	long total = 0;
	int short_seen = 0;

	for (uint32_t k = 0; k < a->nreq; k++) {
		long n = finish_chunk(a, k);
		if (n < 0)
			short_seen = 2;
		else if (!short_seen)
			total += n;
		if (n >= 0 && (size_t)n < CHUNK)
			short_seen = short_seen ? short_seen : 1; /* the end of the file */
	}
	a->result = short_seen == 2 && !total ? -1 : total;
	a->state = SEL_AIO_DONE;
	a->finished = 1;
	if (a->done)
		a->done(a);
}

/* Whether every chunk of a has its reply in its call slot (flags only: a handler asks). */
static int arrived(const struct sel_aio *a)
{
	for (uint32_t k = 0; k < a->nreq; k++)
		if (!sel_idl_async_arrived(a->future[k]))
			return 0;
	return 1;
}

/* The handler's hook (or ours, masked): armed requests whose replies are in, completed. */
static void on_drain(void *arg)
{
	uint32_t left = 0;

	(void)arg;
	for (uint32_t k = 0; k < SEL_AIO_ARMED; k++) {
		struct sel_aio *a = armed[k];
		if (a && arrived(a)) {
			armed[k] = NULL;
			complete(a);
		}
		left += armed[k] != NULL;
	}
	if (!left)
		sel_idl_async_disarm(posix_fs());
}

int sel_aio_poll(struct sel_aio *a)
{
	if (a->state != SEL_AIO_RUNNING || (a->flags & SEL_AIO_INTERRUPT))
		return a->state == SEL_AIO_DONE; /* interrupt: the handler completes it */
	sel_idl_conn_poll(posix_fs());
	for (uint32_t k = 0; k < a->nreq; k++)
		if (sel_idl_future_poll(a->future[k]) == SEL_ERR_WOULD_BLOCK)
			return 0;
	complete(a);
	return 1;
}

long sel_aio_wait(struct sel_aio *a)
{
	/* The server rings us; the handler completes the request and sets finished. */
	while ((a->flags & SEL_AIO_INTERRUPT) && a->state == SEL_AIO_RUNNING)
		sel_uintr_wait_unless(&a->finished, 0);
	while (!sel_aio_poll(a))
		for (uint32_t k = 0; k < a->nreq; k++)
			sel_idl_future_wait(a->future[k]);
	if (a->result < 0)
		errno = a->error;
	return a->result;
}
