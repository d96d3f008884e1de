/*
 * Lazy floating-point switching.
 *
 * A thread starts with the FPU off (sstatus.FS = Off), so its first FP
 * instruction traps; fpu_claim() then loads its registers (zeros for a new
 * thread) and lets it retry. A thread's registers are saved into its TCB
 * only when another thread runs next on that hart and the FPU is Dirty
 * (fpu_switch()), and left in the FPU as a cache: if the same thread
 * comes back and nobody else used the FPU meanwhile, it gets it back
 * without a load. Threads that never use the FPU pay one comparison per
 * switch. The TCB copy is authoritative whenever a thread is not running,
 * so a thread may move between harts; a hart whose cache names a thread
 * that claimed the FPU elsewhere forgets it.
 */
#ifndef SELENE_ARCH_FPU_H
#define SELENE_ARCH_FPU_H

#include "lib/types.h"

struct hart;
struct tcb;

/* f0-f31 and fcsr, as fpu.S saves them. */
struct fpu_state {
	uint64_t f[32];
	uint64_t fcsr;
};

void fpu_save(struct fpu_state *s);
void fpu_restore(const struct fpu_state *s);

/*
 * t is about to run on h instead of h->last_user: save the last thread's
 * dirty state, set FS for t. Needed only when the FPU may be on here
 * (h->fpu_live) or t owns it; otherwise FS is Off already and a switch
 * costs nothing (fpu_needed()).
 */
void fpu_switch(struct hart *h, struct tcb *t);

static inline bool fpu_needed(const struct hart *h, const struct tcb *t);
/* An illegal-instruction trap of t: if its FPU was off, give it the FPU. */
bool fpu_claim(struct hart *h, struct tcb *t);
/*
 * t, running on h, goes back to having no FP state, as a new thread: FS
 * Off, its saved registers zeroed, no hart's FPU caching them. For code
 * that never used the FPU and was interrupted by a handler that did (uret).
 */
void fpu_discard(struct hart *h, struct tcb *t);
/* t's TCB is being destroyed: no hart may keep it as its FPU user. */
void fpu_forget(struct tcb *t);

#include "arch/riscv/hart.h"

static inline bool fpu_needed(const struct hart *h, const struct tcb *t)
{
	return h->fpu_live || h->fpu_owner == t;
}

#endif /* SELENE_ARCH_FPU_H */
