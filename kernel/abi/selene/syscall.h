/*
 * Selene's syscall ABI: numbers and register assignment.
 *
 * A syscall is `ecall` from user mode and behaves like a function call for
 * the registers it preserves:
 *
 *   preserved:  sp, gp, tp, ra, s0-s11 (the kernel saves and restores them)
 *   clobbered:  a0-a7, t0-t6 (the kernel returns values in a0-a6 and writes
 *               zero into every one of them it does not return a value in,
 *               so nothing leaks between address spaces)
 *
 *   in:   a7 = syscall number (enum sel_syscall)
 *         a0 = capability address, or the first argument for syscalls that
 *              take no capability
 *         a1-a6 = arguments / message words 0-5
 *   out:  a0 = enum sel_error (SEL_OK on success)
 *         a1-a6 = results; unused ones are zero
 *         a7, t0-t6 = zero
 *
 * docs/ipc.md describes the same contract for people.
 */
#ifndef SELENE_ABI_SYSCALL_H
#define SELENE_ABI_SYSCALL_H

enum sel_syscall {
	/* IPC path 1 (synchronous) and object invocation. */
	SEL_SYS_CALL = 0,
	SEL_SYS_REPLY_RECV = 1,
	SEL_SYS_SEND = 2,
	SEL_SYS_NB_SEND = 3,
	SEL_SYS_RECV = 4,
	SEL_SYS_NB_RECV = 5,
	SEL_SYS_REPLY = 6,
	SEL_SYS_YIELD = 7,
	SEL_SYS_EXIT = 8, /* a0 = exit code: the calling thread stops */
	/* IPC path 3, user interrupts (<selene/uintr.h>). */
	SEL_SYS_UINTR_SEND = 9,
	SEL_SYS_UINTR_WAIT = 10,
	SEL_SYS_UINTR_RET = 11,
	SEL_SYS_UINTR_CTL = 12,
	/* IPC path 2, leases (<selene/ipc.h>): a0 = offset, a1 = buffer, a2 = length. */
	SEL_SYS_LEASE_READ = 13,
	SEL_SYS_LEASE_WRITE = 14,
	/* Debug channel: console output, test support, benchmark windows. */
	SEL_SYS_DEBUG_PUTC = 32,          /* a0 = byte */
	SEL_SYS_DEBUG_WRITE = 33,         /* a0 = user pointer, a1 = length */
	SEL_SYS_DEBUG_SHUTDOWN = 34,      /* a0 = exit code (0 = success) */
	SEL_SYS_DEBUG_FAULT_HANDLER = 35, /* a0 = handler pc (0 = none), a1 = stack */
	SEL_SYS_DEBUG_BENCH = 36,         /* a0 = enum sel_bench_op */
	SEL_SYS_DEBUG_INFO = 37,          /* a0 = enum sel_debug_info; result in a1 */
	SEL_SYS_DEBUG_FAULT_DONE = 38,    /* the fault handler is done; faults are caught again */
	SEL_SYS_COUNT
};

/* SEL_SYS_DEBUG_BENCH operations. */
enum sel_bench_op {
	SEL_BENCH_BEGIN = 0, /* zero the window counters, silence the timer */
	/* a1 = ticks, a2 = wfi entries, a3 = fences, a4 = satp writes, a5 = Call and
	 * ReplyRecv syscalls on endpoints, a6 = those the fastpath completed */
	SEL_BENCH_END = 1,
};

/* SEL_SYS_DEBUG_INFO queries. */
enum sel_debug_info {
	SEL_INFO_TICKS = 0,        /* timer interrupts taken on this hart */
	SEL_INFO_HART_ID = 1,      /* the hart this thread runs on */
	SEL_INFO_HARTS_ONLINE = 2, /* harts that reached the scheduler */
	SEL_INFO_DEBUG_KERNEL = 3, /* 1: asserts and the invariant checker are built in */
	SEL_INFO_IPC_CALLS = 4,    /* Call and ReplyRecv syscalls on endpoints, all harts */
	SEL_INFO_FASTPATH = 5,     /* those the IPC fastpath completed, all harts */
	SEL_INFO_SBI_CALLS = 6     /* calls the kernel made into the SBI firmware, all harts */
};

/*
 * The fault handler of SEL_SYS_DEBUG_FAULT_HANDLER is entered with
 * a0 = scause, a1 = faulting pc, a2 = stval, sp = the registered stack; it
 * calls SEL_SYS_DEBUG_FAULT_DONE before it resumes (libsel longjmps back to
 * the test). A fault inside the handler kills the thread. This stands in
 * for fault IPC until fault endpoints exist.
 */

#endif /* SELENE_ABI_SYSCALL_H */
