/*
 * Kernel object methods: their labels and the enums their arguments use.
 *
 * Every method is declared once, in idl/kernel/<object>.idl: its label,
 * arguments and results, the rights the invoked capability needs, the
 * capabilities it takes and its errors. `idlc --kernel` generates from them
 * the label enum (enum sel_invocation_label, <selene/kernel_abi.h>, in the
 * build tree), the kernel's unpacking, libsel's stubs and the reference,
 * docs/kernel-api.md, which gives each method's registers.
 *
 * An invocation is SEL_SYS_CALL on a capability that is not an endpoint:
 *     a0 = capability address of the object (resolved with depth 64 in the
 *          caller's CSpace), a1 = label, a2-a6 = arguments
 *     out: a0 = enum sel_error, a1-a6 = results
 * Every bit of a2-a6 that no argument owns is reserved and must be zero
 * (SEL_ERR_INVALID_ARG). Slot arguments ("index") are addresses relative to
 * a CNode, resolved with the depth the call gives. Labels are stable ABI.
 */
#ifndef SELENE_ABI_INVOCATION_H
#define SELENE_ABI_INVOCATION_H

#include <selene/kernel_abi.h>

/* SEL_DEBUG_BENCH operations. */
enum sel_bench_op {
	SEL_BENCH_BEGIN = 0, /* zero the window counters, silence the timer */
	/* a1 = ticks, a2 = wfi entries, a3 = fences, a4 = satp writes, a5 = Call and
	 * ReplyRecv syscalls on endpoints, a6 = those the fastpath completed */
	SEL_BENCH_END = 1,
	/* a1 = the sum of instret read just before each wfi of the last window */
	SEL_BENCH_WFI_STAMPS = 2,
};

/* SEL_DEBUG_INFO queries. */
enum sel_debug_info {
	SEL_INFO_TICKS = 0,        /* timer interrupts taken on this hart */
	SEL_INFO_HART_ID = 1,      /* the hart this thread runs on */
	SEL_INFO_HARTS_ONLINE = 2, /* harts that reached the scheduler */
	SEL_INFO_DEBUG_KERNEL = 3, /* 1: asserts and the invariant checker are built in */
	SEL_INFO_IPC_CALLS = 4,    /* Call and ReplyRecv syscalls on endpoints, all harts */
	SEL_INFO_FASTPATH = 5,     /* those the IPC fastpath completed, all harts */
	SEL_INFO_SBI_CALLS = 6,    /* calls the kernel made into the SBI firmware, all harts */
	/* The longest stretch a Delete or Revoke held interrupts off (from its start, between
	 * its preemption points, to its end), all harts, in instructions, since the last query
	 * (debug kernels; 0 on release kernels) */
	SEL_INFO_STRETCH_MAX = 7,
	/* The latest a timer tick was taken after its deadline, all harts, in `time` ticks,
	 * since the last query (debug kernels; 0 on release kernels) */
	SEL_INFO_TIMER_LATE_MAX = 8,
	/* SEL_INFO_STRETCH_MAX in `time` ticks (debug kernels; 0 on release kernels): on harts
	 * without -icount, where instret counts no instructions, the longest the big lock was
	 * held without a preemption point by a Delete or Revoke */
	SEL_INFO_STRETCH_TIME_MAX = 9,
	SEL_INFO_REMOTE_FENCES = 10 /* SBI remote fences the kernel made, all harts */
};

/* What SEL_DEBUG_CORRUPT_VSPACE breaks. */
enum sel_debug_vm_corruption {
	SEL_DEBUG_VM_CORRUPT_LEAF = 0,      /* a3: mapped Frame; its record forgotten */
	SEL_DEBUG_VM_CORRUPT_TABLE = 1,     /* a3: mapped PageTable; its record forgotten */
	SEL_DEBUG_VM_CORRUPT_SATP = 2,      /* this hart's satp names an unowned ASID */
	SEL_DEBUG_VM_CORRUPT_SHOOTDOWN = 3, /* this hart leaves the set of the ASID it runs */
};

#endif /* SELENE_ABI_INVOCATION_H */
