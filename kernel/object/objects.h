/*
 * The kernel's side of the capability core (kernel/cap/): the one
 * derivation tree, the hooks the core calls (object init, finalise,
 * preemption, assert), invocation dispatch and the invariant-check mode.
 */
#ifndef SELENE_OBJECT_OBJECTS_H
#define SELENE_OBJECT_OBJECTS_H

#include "cap/cap.h"
#include "object/tcb.h"
#include "uaccess/syscall_args.h"
#include "uaccess/user_memory.h"

/* The derivation tree of every capability in the system (big lock). */
extern struct cdt kernel_cdt;

/*
 * Deletes the cap in `slot` to the end, not stopping at preemption points:
 * for the few slots an operation empties in passing (a TCB's CSpace,
 * VSpace or IPC-buffer slot being replaced, a window's peer slot, a sender
 * table entry), where the operation cannot be left half done for the
 * caller to repeat. Always SEL_OK.
 *
 * The bound: cdt_delete() returns SEL_ERR_PREEMPTED only after
 * CAP_PREEMPT_INTERVAL reaper steps, each of which removes a cap, clears
 * a slot, pops a zombie or makes one self-contained (cap/delete.c). The
 * work is finite -- at most the caps, container slots and zombies below
 * this cap and on the dying stack -- and nothing adds to it meanwhile: the
 * big lock is held and interrupts are off. So the loop ends after at most
 * that work / CAP_PREEMPT_INTERVAL + 1 calls. The price is latency: the
 * last cap to a large CNode tree is destroyed in one go.
 */
static inline enum sel_error cdt_delete_unpreempted(struct cte *slot)
{
	enum sel_error err;

	do {
		err = cdt_delete(&kernel_cdt, slot);
	} while (err == SEL_ERR_PREEMPTED);
	return err;
}

void objects_init(const char *bootargs);

/*
 * Interrupts held off by Delete and Revoke, measured (debug kernels; the
 * release build compiles these to nothing): stretch_begin() where a call
 * starts, stretch_point() at each of its preemption points (outside such
 * a call it does nothing), stretch_end() where it ends. stretch_take_max() returns the longest gap between two of them on
 * any hart since the last take, in instructions (instret), and starts
 * again (SEL_INFO_STRETCH_MAX); stretch_take_time_max() the same in `time`
 * ticks (SEL_INFO_STRETCH_TIME_MAX). The analysers (verify/, SELENE_EVA) see the
 * no-ops: the counters measure, they decide nothing.
 */
#if defined(SELENE_DEBUG) && !defined(SELENE_EVA)
void stretch_begin(void);
void stretch_point(void);
void stretch_end(void);
uint64_t stretch_take_max(void);
uint64_t stretch_take_time_max(void);
#else
static inline void stretch_begin(void)
{
}
static inline void stretch_point(void)
{
}
static inline void stretch_end(void)
{
}
static inline uint64_t stretch_take_max(void)
{
	return 0;
}
static inline uint64_t stretch_take_time_max(void)
{
	return 0;
}
#endif

/*
 * The invariant checker's schedule (invariants_debug.c; release kernels
 * link invariants_release.c, where these do nothing): after every syscall
 * when the boot arguments say "capcheck=all", every 64th otherwise.
 */
void invariants_init(struct cdt *cdt, const char *bootargs);
/* 1 in debug kernels (checker built in), 0 in release kernels. */
extern const uint64_t invariants_built_in;
/*
 * Runs the checker if the schedule says so; panics on a violation. Release
 * kernels have no checker: an empty inline, so the fast paths pay nothing.
 */
#ifdef SELENE_DEBUG
void invariants_after_syscall(void);
#else
static inline void invariants_after_syscall(void)
{
}
#endif
/*
 * The debug cap's CheckInvariants (object/debug.c checked the right): out
 * a1 = the failed capability invariant (0: none), a2 = nodes checked, a3 =
 * the failed address-space invariant (0: none); release kernels answer
 * SEL_ERR_NOT_SUPPORTED.
 */
enum sel_error invariants_check_now(struct syscall_args *args);
/* The debug cap's CorruptVSpace (object/vspace_check.c); release: SEL_ERR_NOT_SUPPORTED. */
enum sel_error invariants_corrupt_vspace(struct tcb *t, struct syscall_args *args);
/*
 * The cap at cptr (depth 64) in t's CSpace, which must be a live cap of
 * `type` holding `right` (0: none needed): SEL_ERR_EMPTY_SLOT,
 * SEL_ERR_WRONG_TYPE (a dying CNode or TCB counts as the wrong type) or
 * SEL_ERR_NO_RIGHTS otherwise.
 */
enum sel_error lookup_cap(struct tcb *t, uint64_t cptr, uint32_t type, uint32_t right,
                          struct cte **slot);
/* SEL_SYS_CALL on a non-endpoint capability: decode and invoke a method. */
int invocation_call(struct tcb *t, struct syscall_args *args);
/*
 * The generation of every thread's fast-path view (struct tcb: fast_epoch):
 * even, starts at 2, advanced by TCB_FAST_EPOCH_STEP by every invocation
 * that may change a view (invocation_call: TCB, CNode, Untyped, debug and
 * user-interrupt caps) and by fastpath_init(); never goes back. Bit 0 is
 * left to the views: a view computed while more than one hart is online has
 * it set, so that the fast paths' lock-free copies find a view equal to the
 * epoch only with one hart online (harts_online is fixed before
 * fastpath_init() runs: boot.c starts the harts first).
 */
#define TCB_FAST_EPOCH_STEP 2u
extern uint64_t tcb_fast_epoch;

/* A slot of the TCB object (inline: every IPC and switch looks at them). */
static inline struct cte *tcb_slot(struct tcb *t, enum tcb_slot i)
{
	return (struct cte *)((uintptr_t)t + CAP_TCB_SLOT_OFFSET) + i;
}

/* The thread's CSpace root slot (inside its TCB object). */
static inline struct cte *tcb_cspace_root(struct tcb *t)
{
	return tcb_slot(t, TCB_SLOT_CSPACE);
}

/* Its VSpace object (NULL if none) and root table. */
static inline void *tcb_vspace(struct tcb *t)
{
	struct cte *s = tcb_slot(t, TCB_SLOT_VSPACE);

	return s->cap.type == SEL_OBJ_VSPACE ? (void *)(uintptr_t)s->cap.object : NULL;
}

/* Per-object decoders (object/<type>.c). */
enum sel_error cnode_decode(struct tcb *t, struct cte *cnode, struct syscall_args *args);
enum sel_error untyped_decode(struct tcb *t, struct cte *ut, struct syscall_args *args);
enum sel_error debug_cap_decode(struct tcb *t, struct cte *dbg, struct syscall_args *args);
enum sel_error tcb_decode(struct tcb *t, struct cte *tcb, struct syscall_args *args);
enum sel_error page_table_decode(struct tcb *t, struct cte *pt, struct syscall_args *args);
enum sel_error frame_decode(struct tcb *t, struct cte *fr, struct syscall_args *args);
enum sel_error vspace_decode(struct tcb *t, struct cte *vs, struct syscall_args *args);
enum sel_error control_decode(struct tcb *t, struct cte *ctl, struct syscall_args *args);

#endif /* SELENE_OBJECT_OBJECTS_H */
