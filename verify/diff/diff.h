/*
 * The fast/slow differential harness: what its machine stubs
 * (diff_stubs.c) and its driver (diff_main.c) share.
 */
#ifndef SELENE_VERIFY_DIFF_H
#define SELENE_VERIFY_DIFF_H

#include "arch/riscv/context.h"
#include "lib/types.h"
#include <selene/bootinfo.h>

/* How the kernel left: to user mode, to the idle loop, or the machine stopped. */
enum diff_left {
	DIFF_LEFT_USER = 1,
	DIFF_LEFT_IDLE,
	DIFF_LEFT_STOPPED,
};

/*
 * The modelled machine under the kernel (part of the compared state); each
 * hart's satp CSR is its hart.satp (diff_stubs.c). Invariant: returned[h]
 * is the context hart h last returned to user mode with.
 */
struct diff_machine {
	uint64_t ipis[SEL_MAX_HARTS];            /* IPIs sent to each hart */
	uint64_t fpu_switches[SEL_MAX_HARTS];    /* fpu_switch() calls per hart */
	struct context *returned[SEL_MAX_HARTS]; /* the context each hart last returned to */
	uint64_t invariant_points;               /* invariants_after_syscall() calls */
	uint32_t exit_code;
};

extern struct diff_machine diff_machine;

/* Back to the harness: the kernel left (never returns). */
NORETURN void diff_leave(enum diff_left how);
/* A kernel panic: print the situation being run (then the harness aborts). */
void diff_report_panic(void);

#endif /* SELENE_VERIFY_DIFF_H */
