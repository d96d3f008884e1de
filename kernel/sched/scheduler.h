/*
 * The scheduler: per-hart ready queues under the big kernel lock.
 *
 * Every entry from user mode takes big_lock (kernel_lock) and every exit
 * releases it in sched_return_to_user, the one way back to user mode. The
 * foundation schedules round robin on each hart with timer preemption;
 * priorities, affinity changes and migration build on these queues.
 */
#ifndef SELENE_SCHED_SCHEDULER_H
#define SELENE_SCHED_SCHEDULER_H

#include "object/tcb.h"
#include "arch/riscv/hart.h"
#include "lib/panic.h"
#include "lib/spinlock.h"
#include <selene/error.h>
#include <selene/object.h>

struct hart;

void kernel_lock(void);
void kernel_unlock(void);
bool kernel_lock_held(void);

/* Only the inline lock paths below touch it directly. */
extern struct spinlock big_lock;

/*
 * Entry from user mode on h: `in_user` is cleared before the lock is asked
 * for (a hart taking this thread away waits on it while holding the lock),
 * then the lock is taken inline when free, by kernel_lock() otherwise.
 */
static inline void kernel_lock_from_user(struct hart *h)
{
	__atomic_store_n(&h->in_user, NULL, __ATOMIC_RELEASE);
	if (__atomic_exchange_n(&big_lock.locked, 1u, __ATOMIC_ACQUIRE) == 0)
		big_lock.owner = (int32_t)h->id;
	else
		kernel_lock();
}

/* kernel_unlock(), inline, for the exits to user mode. */
#ifndef SELENE_HOST_MODEL
static inline void kernel_unlock_inline(void)
{
	assert(kernel_lock_held());
	big_lock.owner = -1;
	__asm__ volatile("amoswap.w.rl zero, zero, (%0)" : : "r"(&big_lock.locked) : "memory");
}
#else /* the kernel's C on the host (verify/diff, the fast/slow differential harness) */
static inline void kernel_unlock_inline(void)
{
	assert(kernel_lock_held());
	big_lock.owner = -1;
	__atomic_store_n(&big_lock.locked, 0u, __ATOMIC_RELEASE);
}
#endif

/* Makes t ready on its affinity hart (the caller holds the lock). */
void sched_make_ready(struct tcb *t);
/* t (the caller, running here) has just blocked: this hart picks another. */
void sched_blocked(struct tcb *t);
/* The running thread gives up the rest of its turn (and its slice). */
void sched_yield(void);
/* The tick landed on h: its thread is charged, and goes behind its peers if its slice is spent. */
void sched_tick(struct hart *h);
/*
 * Stops t (suspend, exit, fault: reason is enum sel_stop_reason, code the
 * exit code or fault cause); shuts the machine down when no thread is left.
 */
void sched_stop(struct tcb *t, uint32_t reason, uint64_t code);
/* Moves a thread to another hart (a running one when its hart next schedules). */
enum sel_error sched_set_affinity(struct tcb *t, uint64_t hart);
/* Changes t's priority, moving it in whatever queue it is on. */
void sched_set_priority(struct tcb *t, uint32_t prio);
/* The TCB object is being destroyed: take it out of the scheduler. */
void sched_finalise(struct tcb *t);
/* Stops the threads running on other harts in the VSpace whose root is `root`. */
void sched_stop_running_in(paddr_t root);
/*
 * Per-hart ready queues: one FIFO per priority and a bitmap of the
 * non-empty ones. Invariants: bit p of `map` is set iff head[p] != NULL;
 * `ready` counts the threads on all queues; the hart's `ready_top` is the
 * highest set bit plus one (0: none), a cache the fast paths read. Only
 * scheduler.c changes them.
 */
struct ready_queues {
	struct tcb *head[SEL_PRIORITIES], *tail[SEL_PRIORITIES];
	uint64_t map[SEL_PRIORITIES / 64];
	uint64_t ready;
};

extern struct ready_queues sched_rq[SEL_MAX_HARTS];

/* The highest priority with a ready thread on h, or -1. */
int highest_ready(const struct hart *h);

/*
 * t was made ready by the caller, which has now blocked (Call, ReplyRecv):
 * if t belongs to this hart and nothing of higher priority is ready here,
 * it goes first among its priority, so it runs next even when threads of
 * its own priority are ready -- seL4's switch to the woken thread, and what
 * the IPC fastpath's direct switch does (docs/performance.md).
 */
void sched_run_next(struct tcb *t);
/*
 * t, h's current, gives way to a thread of higher priority that runs next:
 * it is READY again, first among its priority (as the exit's pick() puts it),
 * or last if its time slice is spent.
 */
void sched_give_way(struct hart *h, struct tcb *t);
/* The caller (h's current) has blocked: runs `to` on h at once and leaves. */
NORETURN void sched_switch_to(struct hart *h, struct tcb *to);
/* Picks what this hart runs next, idling until there is something; leaves. */
NORETURN void sched_return_to_user(void);
/* Number of live (not dead) threads. */
uint64_t sched_live_threads(void);

#endif /* SELENE_SCHED_SCHEDULER_H */
