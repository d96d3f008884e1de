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
	/* Send, then wait; the pending bits in a1's mask are claimed and returned in a1. */
	SEL_SYS_UINTR_SEND_WAIT = 15,
	/* IPC path 2, leases (<selene/ipc.h>): a0 = offset, a1 = buffer, a2 = length. */
	SEL_SYS_LEASE_READ = 13,
	SEL_SYS_LEASE_WRITE = 14,
	/* Does nothing: returns SEL_OK with every other register scrubbed (a measure of entry). */
	SEL_SYS_NULL = 16,
	/*
	 * The in-thread debug fault handler: acts only on the calling thread, so it
	 * needs no capability (like Yield and Exit). The debug channel
	 * itself (console, shutdown, counters, benchmark windows) is the
	 * debug capability's (<selene/invocation.h>); its old numbers 32-34,
	 * 36 and 37 answer SEL_ERR_UNKNOWN_SYSCALL.
	 */
	SEL_SYS_DEBUG_FAULT_HANDLER = 35, /* a0 = handler pc (0 = none), a1 = stack */
	SEL_SYS_DEBUG_FAULT_DONE = 38,    /* the fault handler is done; faults are caught again */
	SEL_SYS_COUNT
};

/*
 * The fault handler of SEL_SYS_DEBUG_FAULT_HANDLER is entered with
 * a0 = scause, a1 = faulting pc, a2 = stval, sp = the registered stack; it
 * calls SEL_SYS_DEBUG_FAULT_DONE before it resumes (libsel longjmps back to
 * the test). It is a debugging aid that sits in front of fault IPC: while
 * a handler is registered it takes the thread's faults first; a fault
 * inside the handler goes to the thread's fault endpoint
 * (SEL_TCB_SET_FAULT_ENDPOINT, <selene/ipc.h>) and, without one, stops the
 * thread.
 */

#endif /* SELENE_ABI_SYSCALL_H */
