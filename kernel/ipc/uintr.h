/*
 * User-mode interrupts: receivers, senders, the lock-free send, delivery
 * and uret (docs/uintr.md; <selene/uintr.h> is the binary contract).
 *
 * Concurrency. Everything here runs under the big kernel lock except
 * uintr_send_entry(), which runs on any hart at any time. It reads only:
 * the sending thread's table word (one atomic load), the receiver (pending
 * set, bound thread, sleeping flag) and, if bound, the thread's hart. A
 * hart inside a send keeps its uintr_seq odd; whoever is about to free a
 * receiver or a TCB first makes it unreachable (table words zeroed,
 * receiver unbound) and then calls uintr_sync(), which waits until every
 * hart that was inside a send has left it. After that no send can touch
 * the memory: the table words that led to it are zero, and a send that
 * starts later reads zero.
 */
#ifndef SELENE_IPC_UINTR_H
#define SELENE_IPC_UINTR_H

#include "object/tcb.h"
#include "uaccess/syscall_args.h"
#include <selene/error.h>

struct cte;
struct cap;
struct hart;

/*
 * A UIntr receiver object (64 bytes). Invariants: tcb->uintr == this when
 * tcb is set; on at most one hart's wake stack, and only after a send
 * swapped `sleeping` from 1 to 0.
 */
struct uintr_receiver {
	uint64_t pending;                 /* vectors sent and not yet claimed (atomic) */
	struct tcb *tcb;                  /* the bound thread (atomic) */
	uint64_t sleeping;                /* 1: the bound thread waits in UINTR_WAIT (atomic) */
	struct uintr_receiver *wake_next; /* link on a hart's wake stack */
	uint64_t birth;                   /* debug: a number no receiver before had */
	uint64_t queued; /* 1: on a hart's wake stack (atomic): set by the push that put it
	                    there, cleared by the drain that takes it off, so a receiver is
	                    on at most one stack, once */
	uint64_t reserved[2];
};

_Static_assert(sizeof(struct uintr_receiver) == 64, "UIntr receivers are 2^6 bytes");

/* The lock-free send (syscall_entry, before the lock); returns if the
 * slow path must finish (the caller then takes the lock). */
void uintr_send_entry(struct hart *h, uint64_t index);
/* The rest of a send uintr_fast.S began (the bit set, the epoch open); returns
 * if the caller must finish under the lock. */
void uintr_send_rest(struct hart *h, struct uintr_receiver *r);
/* Waits until no hart is inside a send that began before the call. */
void uintr_sync(void);
/* Makes ready the waiters whose receivers a send queued on h (lock held). */
void uintr_drain(struct hart *h);
/* t is about to run: divert it to its handler if something is pending. */
void uintr_deliver(struct tcb *t);
/* After in_user is set: a send raced with the check above? Kick this hart. */
void uintr_recheck(struct tcb *t);

enum sel_error uintr_decode(struct tcb *t, struct cte *slot, struct syscall_args *args);
void uintr_cap_removed(const struct cap *cap);
void uintr_receiver_init(struct uintr_receiver *r);
void uintr_receiver_finalise(struct uintr_receiver *r);
/* The kernel raises a vector (a device interrupt); lock held. */
void uintr_raise(struct uintr_receiver *r, uint64_t vector);
void uintr_tcb_finalise(struct tcb *t);
void uintr_cancel_wait(struct tcb *t);

/*
 * t waits for a user interrupt (UINTR_WAIT): SEL_OK at once if one is
 * pending, SEL_ERR_ILLEGAL_OP without a receiver, else t blocks
 * (SYS_RESULT_WRITTEN).
 */
int uintr_wait(struct tcb *t);
/*
 * UINTR_SEND_WAIT: the send through entry `index` (none if beyond the
 * table), then uintr_wait(); the pending vectors in `mask` are claimed at
 * the wake-up and returned (*claimed, or a1 when t blocked): no handler
 * runs for them; any other pending vector is delivered as usual.
 */
int uintr_send_wait(struct tcb *t, uint64_t index, uint64_t mask, uint64_t *claimed);
/* Empties t's sender table entry `index` (SEL_ERR_RANGE beyond the table). */
enum sel_error uintr_uninstall(struct tcb *t, uint64_t index);
/* t's receiver lets go of t; no send still looks at t through it on return. */
void uintr_unregister(struct tcb *t);
/* uret: an ecall with a7 = SEL_SYS_UINTR_RET, taken with every register saved. */
void uintr_uret(struct tcb *t);

#endif /* SELENE_IPC_UINTR_H */
