/*
 * Syscall dispatch: number -> handler.
 *
 * A handler gets the calling thread, the argument words a0-a6 and a result
 * array for a1-a7; it returns the error code that goes to a0 (or
 * SYS_RESULT_WRITTEN). syscall_entry() zeroes every result first, so a
 * handler sets only what it returns and nothing else leaks.
 */
#ifndef SELENE_SYSCALL_SYSCALL_H
#define SELENE_SYSCALL_SYSCALL_H

#include "object/tcb.h"

struct syscall_args {
	uint64_t a[7];   /* a0-a6 as the user passed them */
	uint64_t out[8]; /* out[1..7] go to a1-a7; out[0] is unused */
};

/*
 * A handler's return value when it has written the caller's result
 * registers itself (IPC: results are written into the saved context,
 * perhaps later, by whoever completes the operation).
 */
#define SYS_RESULT_WRITTEN (-1)

/* The generic syscall path once the big lock is held: dispatch, results, exit. */
NORETURN void syscall_locked(uint64_t nr, struct syscall_args *args);

typedef int (*syscall_fn)(struct tcb *t, struct syscall_args *args);

/* The stand-in fault handler, calling thread only (syscall/fault_handler.c). */
int sys_debug_fault_handler(struct tcb *t, struct syscall_args *args);
int sys_debug_fault_done(struct tcb *t, struct syscall_args *args);

#endif /* SELENE_SYSCALL_SYSCALL_H */
