/*
 * A thread's saved user state, as trap_entry.S lays it out.
 *
 * regs[n] holds register xn (regs[0] is unused: x0 is zero). `pc` is the
 * user pc to resume at. `full` says how the thread entered the kernel:
 *   0: by syscall. Only sp, gp, tp, ra, s0-s11 were saved; a0-a7 hold the
 *      results the kernel wrote; t0-t6 are returned as zero.
 *   1: by interrupt or fault. All 31 registers were saved and are restored.
 * `hart` points at the struct hart the thread is running on; trap entry
 * reads it to find the kernel stack. Assembly uses the CTX_* offsets below,
 * pinned by _Static_assert.
 */
#ifndef SELENE_ARCH_CONTEXT_H
#define SELENE_ARCH_CONTEXT_H

#define CTX_REG(n) ((n)*8)
#define CTX_PC     256
#define CTX_FULL   264
#define CTX_HART   272
#define CTX_SIZE   280
/* SEL_SYS_UINTR_RET, for the entry assembly (checked in ipc/uintr.c). */
#define SYS_NR_URET 11
/* SEL_SYS_NULL, SEL_SYS_REPLY_RECV, SEL_SYS_YIELD (checked in syscall/syscall.c). */
#define SYS_NR_NULL       16
#define SYS_NR_REPLY_RECV 1
#define SYS_NR_YIELD      7

#define REG_RA 1
#define REG_SP 2
#define REG_GP 3
#define REG_TP 4
#define REG_T0 5
#define REG_S0 8
#define REG_A0 10
#define REG_A7 17

#ifndef __ASSEMBLER__
#include "lib/types.h"

struct hart;

struct context {
	uint64_t regs[32];
	uint64_t pc;
	uint64_t full;
	struct hart *hart;
};

_Static_assert(__builtin_offsetof(struct context, pc) == CTX_PC, "CTX_PC");
_Static_assert(__builtin_offsetof(struct context, full) == CTX_FULL, "CTX_FULL");
_Static_assert(__builtin_offsetof(struct context, hart) == CTX_HART, "CTX_HART");
_Static_assert(sizeof(struct context) == CTX_SIZE, "CTX_SIZE");

/* Restores `ctx` and returns to user mode on this hart. */
NORETURN void arch_return_to_user(struct context *ctx);
#endif

#endif /* SELENE_ARCH_CONTEXT_H */
