/*
 * What a syscall hands the kernel in registers: the argument words a0-a6
 * and the result words a1-a7 (the other half of user access is
 * user_memory.h). Below object/, ipc/ and syscall/, which all decode
 * arguments; it includes nothing but <stdint.h>.
 *
 * A handler gets the calling thread, the argument words and a result array;
 * it returns the error code that goes to a0 (or SYS_RESULT_WRITTEN).
 * syscall_entry() zeroes every result first, so a handler sets only what it
 * returns and nothing else leaks.
 */
#ifndef SELENE_UACCESS_SYSCALL_ARGS_H
#define SELENE_UACCESS_SYSCALL_ARGS_H

#include <stdint.h>

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

/*
 * The generic syscall path once the big lock is held: dispatch, results,
 * exit (syscall/syscall.c). Declared here, below the core, because the
 * entry fast paths (ipc/fastpath.c, the scheduler's Yield) fall back to it
 * when a precondition fails.
 */
__attribute__((noreturn)) void syscall_locked(uint64_t nr, struct syscall_args *args);

#endif /* SELENE_UACCESS_SYSCALL_ARGS_H */
