/*
 * Per-hart kernel state.
 *
 * In the kernel, `tp` always points at the running hart's struct hart (user
 * tp is saved in the thread's context on entry). Fields are written only by
 * their own hart, except `online` (read by the boot hart) and `ipi_pending`
 * (set by any hart, cleared by the owner). kstack_top is at offset 0 because
 * trap_entry.S loads it; the _Static_assert in hart.c pins that.
 */
#ifndef SELENE_ARCH_HART_H
#define SELENE_ARCH_HART_H

#include "lib/types.h"
#include <selene/bootinfo.h>

struct tcb;
struct uintr_receiver;

/* Counters for benchmark windows (SEL_DEBUG_BENCH, object/debug.c). */
struct bench_counters {
	uint64_t ticks;
	uint64_t wfi;
	uint64_t fences;
	uint64_t satp_writes;
	uint64_t ipc_calls;  /* at the window's start: ipc_calls + fastpath below */
	uint64_t fastpath;   /* at the window's start: fastpath below */
	uint64_t wfi_stamps; /* the sum of instret read just before each wfi */
};

struct hart {
	uint64_t kstack_top; /* trap entry loads this: offset 0 */
	uint64_t id;         /* mhartid, as given by OpenSBI */
	struct tcb *current; /* thread running here, NULL when idle */
	/*
	 * The highest priority ready here, plus one (0: nothing ready): a cache
	 * of sched_rq's bitmap, kept equal to it by every change of this hart's
	 * queues (sched/scheduler.c: enqueue, dequeue, remove_ready) and read
	 * by the fast paths (fast_entry.S: Yield; ipc/fastpath.c). Offset 24.
	 */
	uint64_t ready_top;
	uint64_t ticks;     /* timer interrupts taken */
	uint64_t next_tick; /* `time` value of the next preemption tick */
	bool bench_window;  /* a benchmark window is open: keep the timer quiet */
	struct bench_counters bench;
	struct tcb *in_user;   /* thread executing in user mode here; trap entry clears it */
	struct tcb *last_user; /* the thread that last ran in user mode here */
	struct tcb *fpu_owner; /* whose registers the FPU holds (arch/riscv/fpu.h) */
	bool fpu_live;         /* sstatus.FS may be on: a switch must look at the FPU */
	uint64_t uintr_seq;    /* odd while inside a lock-free send */
	struct uintr_receiver *uintr_wakeups; /* receivers whose waiters to wake (atomic) */
	uint64_t ipc_calls; /* since boot: Call and ReplyRecv on endpoints, slow path */
	uint64_t fastpath; /* since boot: ... completed by the fastpath (the only count it keeps) */
	uint64_t satp; /* what this hart last wrote to satp (0: the boot value); read by others */
	uint64_t slice_mark; /* `time` up to which `current` was charged its slice (scheduler.c) */
	/* &kinfo_page.k.hart[i].thread for harts[i], set by kinfo_init() and never changed:
	   the IPC fastpath's switch writes the thread id through it (arch/riscv/kinfo.h) */
	uint64_t *kinfo_thread;
	/*
	 * Idle with the big lock released (sched/scheduler.c: idle_wait), set and
	 * cleared under the lock: a flush of an ASID this hart may cache then
	 * sets `tlb_stale` instead of fencing it through SBI (asid.c), and the
	 * hart fences itself once it has the lock again, before it runs a thread.
	 */
	bool idle;
	bool tlb_stale;
#ifndef SELENE_EVA
	volatile bool online;
#else /* EVA: a volatile read is any byte, not the bool boot wrote (verify/frama-c) */
	bool online;
#endif
} ALIGNED(256); /* whole cache lines per hart; entry.S assumes 256 bytes */

#define KSTACK_SIZE (16u * 1024u)

extern struct hart harts[SEL_MAX_HARTS];

#ifndef SELENE_EVA
static inline struct hart *this_hart(void)
{
	struct hart *h;
	__asm__("mv %0, tp" : "=r"(h));
	return h;
}
#else /* Frama-C EVA (VERIFY_0104): the analysed code runs on hart 0 */
static inline struct hart *this_hart(void)
{
	return &harts[0];
}
#endif

#endif /* SELENE_ARCH_HART_H */
