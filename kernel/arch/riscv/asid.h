/*
 * Address-space identifiers and shootdown sets.
 *
 * Every VSpace gets its own ASID when it is created, so switching between
 * address spaces writes satp and never fences. There is no shared ASID:
 * when all ASID_COUNT - 1 are in use, retyping another VSpace is refused
 * (SEL_ERR_FULL, object/untyped.c), so a mapping's ASID always names
 * exactly one VSpace and fencing it always reaches that VSpace's
 * translations. ASID 0 is the kernel's own (boot_root_pt: no user
 * mappings); a hart that leaves a dying VSpace runs on it.
 *
 * Shootdown set: harts_seen[a] holds the harts that may cache translations
 * tagged a. Invariants (the TLB invariant, docs/verification.md):
 *   owners[a] != NULL iff ASID a is in use by that VSpace;
 *   a hart may hold translations tagged a only if its bit is in
 *   harts_seen[a] -- the bit is set before satp is written with a;
 *   every hart whose satp holds a (hart.satp) is in harts_seen[a]: a
 *   flush keeps the bits of the harts that run a now, and drops only
 *   those it fenced that have left a.
 * Big kernel lock (satp is written under it, except for the switch to the
 * kernel root, which only ever leaves an ASID).
 */
#ifndef SELENE_ARCH_ASID_H
#define SELENE_ARCH_ASID_H

#include "arch/riscv/hart.h"
#include "lib/types.h"

#define ASID_COUNT 4096u

/* An unused ASID for `owner` (fenced on every hart that may cache it), or
 * 0 if none is left: the caller checks asid_available() first. */
uint32_t asid_alloc(void *owner);
/* ASIDs in use now, and left to hand out. */
uint32_t asid_in_use(void);
uint32_t asid_available(void);
void asid_free(uint32_t asid);
/* The VSpace that owns `asid`, or NULL. */
void *asid_owner(uint32_t asid);
/* The least ASID >= from in use, or 0 if none (the checkers' walk over them). */
uint32_t asid_next_in_use(uint32_t from);
/* Bit i: hart i may cache the ASID (its shootdown set); only asid.c and the
 * inline asid_note_active() below touch it. */
extern uint8_t asid_harts_seen[ASID_COUNT];
/* This hart is about to run with `asid`: it may cache its translations. */
static inline ALWAYS_INLINE void asid_note_active(uint32_t asid)
{
	if (asid < ASID_COUNT)
		asid_harts_seen[asid] |= (uint8_t)(1u << this_hart()->id);
}
/* The shootdown set of `asid` (bit i: hart i), for the invariant checker. */
uint32_t asid_shootdown_set(uint32_t asid);
/* Debug kernels' corruption hook only: overwrite a shootdown set. */
void asid_debug_set_shootdown(uint32_t asid, uint32_t set);
/*
 * Flushes `asid`'s translations on every hart that may cache them (those
 * that ran with it since its last flush): this hart with sfence.vma, the
 * other busy ones with one SBI remote fence, before returning -- except a
 * hart that idles (hart.idle: it waits with the lock released and runs no
 * thread until it has the lock again), which is left a whole fence to make
 * before it runs one (hart.tlb_stale, sched/scheduler.c: idle_wait). The
 * harts running `asid` now stay in its set. Inside a batch (below) the
 * flush is recorded and made at the batch's next flush instead.
 */
void asid_flush(uint32_t asid);
/*
 * Batched flushes, for Delete and Revoke (object/cnode.c), which may unmap
 * thousands of frames of one address space in one call: between
 * asid_batch_begin() and asid_batch_end() asid_flush() only records the
 * ASID (up to ASID_BATCH_MAX distinct ones; one more is flushed at once),
 * and asid_batch_end() -- where the call returns, done or stopped at a
 * preemption point for a pending interrupt -- fences each recorded ASID
 * once. Each remote fence waits for every busy hart
 * of the set to take the firmware's interrupt, which takes milliseconds
 * when the host is loaded: one a frame held the big lock for seconds. The
 * batch opens and closes inside one system call under the big lock, so no
 * user thread runs between an unmap and its fence any longer than it could
 * before: a thread on another hart may still use a translation being
 * removed until the fence, as it could between the entry's clearing and
 * the remote fence, and the memory behind it is not reused before the call
 * returns (nothing retypes inside a Delete or Revoke).
 */
#define ASID_BATCH_MAX 16u
void asid_batch_begin(void);
void asid_batch_end(void);

#endif /* SELENE_ARCH_ASID_H */
