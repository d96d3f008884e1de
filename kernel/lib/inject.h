/*
 * Deliberate kernel bugs for positive controls (debug kernels only).
 *
 * A test that must catch a class of bug is shown to be able to: the same
 * image is booted with the boot argument "inject=<name>", the kernel plants
 * that one bug (and says so on the console: "inject: <name>"), and CTest
 * expects the test to fail (cmake/SeleneQemuTests.cmake, selene_control).
 * Release kernels have no injections: inject_on() is constant false there.
 */
#ifndef SELENE_LIB_INJECT_H
#define SELENE_LIB_INJECT_H

#include "lib/types.h"

enum inject_bug {
	INJECT_FASTPATH_BADGE = 1u << 0, /* "fastpath-badge": the fastpath drops the badge */
	INJECT_NO_SHOOTDOWN = 1u << 1,   /* "no-shootdown": unmapping flushes only this hart */
	INJECT_DROP_WAKEUP = 1u << 2,    /* "drop-wakeup": no IPI for a cross-hart wake-up */
	INJECT_IRQ_NO_MASK = 1u << 3,   /* "irq-no-mask": a device interrupt is completed at once */
	INJECT_UINTR_NO_SYNC = 1u << 4, /* "uintr-no-sync": a receiver is freed without waiting
	                                   for the sends that may still touch it */
	INJECT_STALE_HART = 1u << 5,    /* "stale-hart": a thread made RUNNING keeps the ctx.hart
	                                   of its last run until it reaches user mode */
	INJECT_UINTR_LATE_CHECK = 1u << 6, /* "uintr-late-check": the send reads the sender's own
	                                      receiver after leaving its epoch */
	INJECT_COPY_RIGHTS = 1u << 7,  /* "copy-rights": a CNode Copy gives the copy every right */
	INJECT_SYNC_SELF = 1u << 8,    /* "sync-self": uintr_sync() waits for its own hart's
	                                  epoch to move, which never happens (a hang) */
	INJECT_UINTR_NO_FPU = 1u << 9, /* "uintr-no-fpu": a diversion says the interrupted
	                                  code's FPU is not live, so its FP registers are
	                                  left to the handler */
	INJECT_STALE_SATP = 1u << 10,  /* "stale-satp": a thread's fast-path view keeps the
	                                     satp it first cached when its VSpace changes */
	INJECT_STALE_ELIGIBLE = 1u << 11,  /* "stale-eligible": a TCB invocation leaves every
	                                     thread's fast-path view valid (the epoch stays) */
	INJECT_STALE_READY_TOP = 1u << 12, /* "stale-ready-top": making a thread ready leaves
	                                        its hart's cached top priority as it was */
	/* "uintr-uret-no-recheck": the fast uret returns with interrupts still pending */
	INJECT_UINTR_URET_NO_RECHECK = 1u << 13,
	/* "uintr-reenter": a send to oneself diverts inline even inside the handler */
	INJECT_UINTR_REENTER = 1u << 14,
	/* "uintr-fast-no-wake": the fast send ignores a receiver sleeping in wait */
	INJECT_UINTR_FAST_NO_WAKE = 1u << 15,
	INJECT_NO_SLICE_CHARGE = 1u << 16,   /* "no-slice-charge": the tick rotates the running
	                                        thread's priority, a preempted thread keeps
	                                        the front of its queue (no per-thread slice) */
	INJECT_FLUSH_PER_FRAME = 1u << 17,   /* "flush-per-frame": Delete and Revoke fence each
	                                        unmapped frame at once, one SBI call per hart */
	INJECT_ASID_DROP_RUNNING = 1u << 20, /* "asid-drop-running": a flush forgets the other
	                                        harts that still run the ASID */
	INJECT_VSPACE_NO_EVICT = 1u << 21,   /* "vspace-no-evict": a VSpace is freed while other
	                                        harts still run in it */
	INJECT_VIEW_SOLO = 1u << 24, /* "view-solo": a fast-path view computed with more than
	                                one hart online says one hart (bit 0 of fast_epoch
	                                clear), so the lock-free copies run without the lock */
};

/*
 * Race windows, widened (debug kernels only): with the boot argument
 * "race-delay=N" the lock-free user-interrupt send spins N times between
 * reading its table word and touching the receiver, so a test can make
 * the race with a revoke on another hart happen on nearly every try. A
 * correct kernel waits for the slow send; one with a bug is caught.
 */

#ifdef SELENE_DEBUG
extern uint32_t inject_bugs;
extern uint64_t inject_race_delay;
void inject_init(const char *bootargs);
static inline bool inject_on(enum inject_bug b)
{
	return (inject_bugs & b) != 0;
}
/* A race window is widened ("race-delay=N" given). */
static inline bool inject_race_widened(void)
{
	return inject_race_delay != 0;
}
static inline void inject_delay(void)
{
	for (uint64_t i = 0; i < inject_race_delay; i++)
		__asm__ volatile("" ::: "memory");
}
#else
static inline void inject_init(const char *bootargs)
{
	(void)bootargs;
}
static inline bool inject_on(enum inject_bug b)
{
	(void)b;
	return false;
}
static inline bool inject_race_widened(void)
{
	return false;
}
static inline void inject_delay(void)
{
}
#endif

#endif /* SELENE_LIB_INJECT_H */
