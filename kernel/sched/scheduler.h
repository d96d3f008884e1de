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
#include <selene/error.h>

struct hart;

void kernel_lock(void);
void kernel_unlock(void);
bool kernel_lock_held(void);

/* Makes t ready on its affinity hart (the caller holds the lock). */
void sched_make_ready(struct tcb *t);
/* t (the caller, running here) has just blocked: this hart picks another. */
void sched_blocked(struct tcb *t);
/* The running thread gives up the rest of its turn. */
void sched_yield(void);
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
/* May `to` run on h now, ahead of everything ready there? */
bool sched_may_run_now(const struct hart *h, const struct tcb *to);
/* The caller (h's current) has blocked: runs `to` on h at once and leaves. */
NORETURN void sched_switch_to(struct hart *h, struct tcb *to);
/* Picks what this hart runs next, idling until there is something; leaves. */
NORETURN void sched_return_to_user(void);
/* Number of live (not dead) threads. */
uint64_t sched_live_threads(void);

#endif /* SELENE_SCHED_SCHEDULER_H */
