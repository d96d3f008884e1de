/*
 * The asynchronous I/O client (docs/posix.md), one ELF placed async
 * (apps/posix-async) and sync (apps/posix-sync): its descriptor's route
 * says which. POSIX_0014: read() and write() over the connection, whatever
 * carries them. POSIX_0015 (async): an 8 KiB sel_aio_read returns at once
 * and the computation goes on while the server reads: the steps it made
 * before the data arrived are counted. POSIX_0016 (sync): the same call
 * completes while it is sent. POSIX_0021 (async): with SEL_AIO_INTERRUPT the
 * read completes in the user-interrupt handler while the program computes,
 * before any poll or wait: the callback notes how far the computation got.
 * POSIX_0022 (sync): the callback runs before sel_aio_read returns. With the
 * argument `no-arm` (apps/posix-async-control, POSIX_0023) the connection is
 * not armed: POSIX_0021 must then fail, and the program ends there. Then the
 * BENCH lines of the placement:
 * posix_write_4k, posix_read_4k, posix_open_close (instructions per call,
 * the file system in another address space).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sel/bind.h>
#include <sel/posix.h>

#define SIZE      SEL_AIO_MAX
#define ROUNDS    100
#define STEPS_MAX 100000 /* steps of computation before the callback is given up */

static uint8_t pattern[SIZE], buf[SIZE];
static int done_calls;

static uint64_t instret(void)
{
	uint64_t n;

	__asm__ volatile("rdinstret %0" : "=r"(n));
	return n;
}

static bool read_write(int fd)
{
	struct stat st;

	return write(fd, pattern, SIZE) == SIZE && lseek(fd, 0, SEEK_SET) == 0 &&
	       read(fd, buf, SIZE) == SIZE && !memcmp(buf, pattern, SIZE) && fstat(fd, &st) == 0 &&
	       st.st_size == SIZE && read(fd, buf, 1) == 0;
}

static void on_done(struct sel_aio *a)
{
	(void)a;
	done_calls++;
}

/* One step of the computation that overlaps the read. */
static uint32_t compute(uint32_t x)
{
	for (int i = 0; i < 1000; i++)
		x = x * 1103515245u + 12345u;
	return x;
}

static bool overlap(int fd, bool async)
{
	struct sel_aio a = {.done = on_done};
	uint64_t t0, t1, t2, steps = 0;
	volatile uint32_t x = 1;

	memset(buf, 0, SIZE);
	lseek(fd, 0, SEEK_SET);
	t0 = instret();
	if (sel_aio_read(&a, fd, buf, SIZE) < 0)
		return false;
	t1 = instret();
	while (!sel_aio_poll(&a)) {
		x = compute(x);
		steps++;
	}
	t2 = instret();
	printf("posix-aio: sel_aio_read returned after %llu instructions; %llu steps of "
	       "computation ran before the %u bytes arrived (%llu instructions)\n",
	       (unsigned long long)(t1 - t0), (unsigned long long)steps, SIZE,
	       (unsigned long long)(t2 - t0));
	bool ok = sel_aio_wait(&a) == SIZE && !memcmp(buf, pattern, SIZE) && done_calls == 1;
	struct sel_aio w = {0};
	ok = ok && sel_aio_write(&w, fd, pattern, SIZE) == 0 && sel_aio_wait(&w) == SIZE &&
	     lseek(fd, 0, SEEK_END) == 2 * SIZE;
	return ok && (async ? steps > 0 : steps == 0);
}

static volatile uint64_t steps_now; /* the computation's progress */
static volatile uint64_t fired_at;  /* steps_now when the callback ran */
static volatile int fired, data_ok;

/* SEL_AIO_INTERRUPT's done: runs in the user-interrupt handler (no stdio there). */
static void on_interrupt(struct sel_aio *a)
{
	fired++;
	fired_at = steps_now;
	data_ok = a->result == SIZE && !memcmp(a->buf, pattern, SIZE);
}

static bool callback(int fd, bool async)
{
	struct sel_aio a = {.done = on_interrupt, .flags = SEL_AIO_INTERRUPT};
	volatile uint32_t x = 1;
	int at_return;

	memset(buf, 0, SIZE);
	lseek(fd, 0, SEEK_SET);
	steps_now = 0;
	if (sel_aio_read(&a, fd, buf, SIZE) < 0)
		return false;
	at_return = fired;
	while (!fired && steps_now < STEPS_MAX) { /* no poll, no wait: only computation */
		x = compute(x);
		steps_now++;
	}
	printf("posix-aio: the callback ran %s after %llu steps of computation (%s when "
	       "sel_aio_read returned), the data %s\n",
	       fired ? "once" : "not", (unsigned long long)fired_at,
	       at_return ? "already" : "not yet", data_ok ? "in place" : "WRONG");
	bool ok = fired == 1 && data_ok && sel_aio_wait(&a) == SIZE && fired == 1;
	return ok && (async ? !at_return && fired_at > 0 : at_return && fired_at == 0);
}

static void bench(const char *placement)
{
	static uint8_t page[4096];
	uint64_t t;
	int fd = open("/tmp/bench", O_RDWR | O_CREAT | O_TRUNC, 0644);

	for (int i = 0; i < 10; i++) /* warm-up */
		write(fd, page, sizeof(page));
	t = instret();
	for (int i = 0; i < ROUNDS; i++)
		write(fd, page, sizeof(page));
	printf("BENCH posix_write_4k_%s %llu instr\n", placement,
	       (unsigned long long)((instret() - t) / ROUNDS));
	lseek(fd, 0, SEEK_SET);
	for (int i = 0; i < 10; i++)
		read(fd, page, sizeof(page));
	t = instret();
	for (int i = 0; i < ROUNDS; i++)
		read(fd, page, sizeof(page));
	printf("BENCH posix_read_4k_%s %llu instr\n", placement,
	       (unsigned long long)((instret() - t) / ROUNDS));
	close(fd);
	t = instret();
	for (int i = 0; i < ROUNDS; i++)
		close(open("/tmp/bench", O_RDONLY));
	printf("BENCH posix_open_close_%s %llu instr\n", placement,
	       (unsigned long long)((instret() - t) / ROUNDS));
}

int main(int argc, char **argv)
{
	bool no_arm = argc > 1 && !strcmp(argv[1], "no-arm");
	struct sel_posix_route r;
	int fd = open("/tmp/aio", O_RDWR | O_CREAT | O_TRUNC, 0644);
	bool async;

	for (uint32_t i = 0; i < SIZE; i++)
		pattern[i] = (uint8_t)(i * 31 + (i >> 8));
	if (fd < 0 || sel_posix_route(fd, &r) < 0) {
		printf("posix-aio: no file system: errno %d\n", errno);
		return 1;
	}
	async = r.placement == SEL_BIND_ASYNC;
	printf("posix-aio: descriptor %d routes to %s: placement %s, endpoint slot %llu, window "
	       "0x%llx, sender %llu, server descriptor %u\n",
	       fd, r.service, async ? "async" : "sync", (unsigned long long)r.ep,
	       (unsigned long long)r.vaddr, (unsigned long long)r.sender, (unsigned)r.remote_fd);
	printf("POSIX_0014 %s read() and write() of %u bytes over the %s connection\n",
	       read_write(fd) ? "ok" : "FAIL", SIZE, async ? "async" : "sync");
	if (async)
		printf("POSIX_0015 %s sel_aio_read returns at once; the computation goes on during "
		       "the read\n",
		       overlap(fd, true) ? "ok" : "FAIL");
	else
		printf(
		    "POSIX_0016 %s over a sync connection sel_aio_read completes as it is sent\n",
		    overlap(fd, false) ? "ok" : "FAIL");
	sel_aio_no_arm = no_arm;
	if (async)
		printf("POSIX_0021 %s the completion runs its callback in the user-interrupt "
		       "handler while the program computes\n",
		       callback(fd, true) ? "ok" : "FAIL");
	else
		printf("POSIX_0022 %s over a sync connection the callback runs before "
		       "sel_aio_read returns\n",
		       callback(fd, false) ? "ok" : "FAIL");
	if (no_arm)
		return 0; /* the control's request never completes: its call slots stay taken */
	close(fd);
	bench(async ? "async" : "sync");
	return 0;
}
