/*
 * panic() and assert(): stop the system with a report.
 *
 * panic prints the hart, scause, sepc, stval and the current thread, then
 * exits QEMU through the test finisher with a failure status, so a test run
 * fails fast instead of hanging. assert() is compiled in debug builds
 * (SELENE_DEBUG) and should quote the invariant it checks:
 *     assert(slot_empty(dest) && "insert needs an empty slot");
 */
#ifndef SELENE_LIB_PANIC_H
#define SELENE_LIB_PANIC_H

#include "lib/types.h"

struct hart;

NORETURN void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Hook (sched/scheduler.c): the name of the thread hart h runs, or "(none)". */
const char *panic_thread_name(const struct hart *h);

#ifdef SELENE_DEBUG
#define assert(cond)                                                                               \
	do {                                                                                       \
		if (!(cond))                                                                       \
			panic("assertion failed: %s (%s:%d)", #cond, __FILE__, __LINE__);          \
	} while (0)
#else
#define assert(cond) ((void)sizeof(cond)) /* not evaluated */
#endif

#endif /* SELENE_LIB_PANIC_H */
