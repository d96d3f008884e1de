/*
 * libsel/src/posix/time.c: clocks from the `time` CSR, which counts at the
 * kernel's timebase (shown on the info page) from the machine's reset:
 * CLOCK_MONOTONIC and CLOCK_REALTIME both count from there (there is no
 * wall clock: time() is seconds since boot); times() and clock() give the
 * same count in ticks. getentropy() has no source and fails with ENOSYS.
 * sched_yield() yields the hart (the kernel's Yield).
 */
#include <errno.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <sel/posix.h>
#include <sel/syscall.h>
#include <selene/kinfo.h>

int getentropy(void *buf, size_t n);

static uint64_t now_ticks(void)
{
	uint64_t t;

	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

static uint64_t hz(void)
{
	const struct sel_kinfo *k = (const struct sel_kinfo *)SEL_KINFO_VADDR;

	return k->timebase_hz ? k->timebase_hz : 10000000u;
}

int clock_gettime(clockid_t id, struct timespec *ts)
{
	uint64_t t = now_ticks(), f = hz();

	if (id != CLOCK_REALTIME && id != CLOCK_MONOTONIC) {
		errno = EINVAL;
		return -1;
	}
	ts->tv_sec = (time_t)(t / f);
	ts->tv_nsec = (long)((t % f) * 1000000000u / f);
	return 0;
}

int gettimeofday(struct timeval *tv, void *tz)
{
	struct timespec ts;

	(void)tz;
	clock_gettime(CLOCK_REALTIME, &ts);
	tv->tv_sec = ts.tv_sec;
	tv->tv_usec = ts.tv_nsec / 1000;
	return 0;
}

clock_t times(struct tms *t)
{
	clock_t c = (clock_t)(now_ticks() / (hz() / CLOCKS_PER_SEC));

	if (t)
		*t = (struct tms){c, 0, 0, 0};
	return c;
}

int getentropy(void *buf, size_t n)
{
	(void)buf;
	(void)n;
	errno = ENOSYS;
	return -1;
}

/* sched_yield: the rest of this time slice to the next thread of our priority. */
int sched_yield(void)
{
	return sel_yield() == SEL_OK ? 0 : -1;
}
