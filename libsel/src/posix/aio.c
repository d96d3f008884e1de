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
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include "posix_internal.h"

#define CHUNK 2048u

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
	                      .done = a->done};
	for (size_t off = 0; off < len || (!len && !a->nreq); off += CHUNK) {
		uint32_t n = (uint32_t)(len - off < CHUNK ? len - off : CHUNK);
		a->future[a->nreq++] =
		    write ? fs_write_async(fs, f->remote_fd, (const uint8_t *)buf + off, n)
		          : fs_read_async(fs, f->remote_fd, n);
	}
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
	if (a->done)
		a->done(a);
}

int sel_aio_poll(struct sel_aio *a)
{
	if (a->state != SEL_AIO_RUNNING)
		return a->state == SEL_AIO_DONE;
	sel_idl_conn_poll(posix_fs());
	for (uint32_t k = 0; k < a->nreq; k++)
		if (sel_idl_future_poll(a->future[k]) == SEL_ERR_WOULD_BLOCK)
			return 0;
	complete(a);
	return 1;
}

long sel_aio_wait(struct sel_aio *a)
{
	while (!sel_aio_poll(a))
		for (uint32_t k = 0; k < a->nreq; k++)
			sel_idl_future_wait(a->future[k]);
	if (a->result < 0)
		errno = a->error;
	return a->result;
}
