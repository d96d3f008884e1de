/*
 * Synchronous IPC: endpoints, notifications, reply capabilities and fault
 * messages (docs/ipc.md has the semantics, <selene/ipc.h> the format).
 *
 * Everything here runs under the big kernel lock. A thread waiting in IPC
 * is on the queue of one endpoint or notification (object/tcb.h states the
 * invariants). A message is delivered straight into the receiver's saved
 * registers (a0 = error, a1 = info, a2-a6 = MR0-MR4, a7 = badge) and IPC
 * buffer, so a thread woken later finds its results there; handlers that
 * have written the caller's registers that way return SYS_RESULT_WRITTEN.
 */
#ifndef SELENE_IPC_IPC_H
#define SELENE_IPC_IPC_H

#include "cap/cap.h"
#include "object/tcb.h"
#include "uaccess/syscall_args.h"
#include <selene/ipc.h>
#include <selene/error.h>
#include <selene/object.h>

struct cte;

/* A priority-ordered queue of threads (FIFO within a priority). */
struct ipc_queue {
	struct tcb *head, *tail;
};

enum ep_state {
	EP_IDLE = 0,      /* nobody waits */
	EP_SENDERS = 1,   /* the queue holds senders (BLOCKED_SEND) */
	EP_RECEIVERS = 2, /* the queue holds receivers (BLOCKED_RECV) */
};

/* An Endpoint object (32 bytes). Invariant: queue empty iff state == EP_IDLE. */
struct endpoint {
	struct ipc_queue queue;
	uint64_t state; /* enum ep_state */
	uint64_t reserved;
};

/*
 * A Notification object (64 bytes). Invariants: waiters non-empty only
 * while active == 0 and word == 0; word != 0 implies active;
 * bound->bound == this when bound is set.
 */
struct notification {
	struct ipc_queue waiters; /* BLOCKED_NTFN threads */
	uint64_t word;            /* OR of the badges signalled since the last take */
	struct tcb *bound;        /* thread whose Recv also takes this notification */
	uint64_t active;          /* 1: signalled since the last take (even with badge 0) */
	uint64_t reserved[3];
};

_Static_assert(sizeof(struct endpoint) == 32, "Endpoint objects are 2^5 bytes");
_Static_assert(sizeof(struct notification) == 64, "Notification objects are 2^6 bytes");

/* A message as it leaves the sender: info and MR0-MR4. */
struct ipc_msg {
	uint64_t info;
	uint64_t mr[SEL_MSG_REG_WORDS];
};

/* queue.c */
void ipc_queue_add(struct ipc_queue *q, struct tcb *t, void *obj, enum tcb_state state);
void ipc_queue_remove(struct ipc_queue *q, struct tcb *t);

/* message.c */
/*
 * The thread's IPC buffer as the kernel reaches it, or NULL: none, or a
 * device Frame (the kernel never reads or writes device memory on a
 * thread's behalf: registers have side effects and a partly backed page
 * faults; such a thread is treated as having no buffer). Inline: the IPC
 * fastpath reads it for messages longer than the registers.
 */
static inline ALWAYS_INLINE struct sel_ipc_buffer *ipc_buffer(struct tcb *t)
{
	const struct cte *f =
	    (const struct cte *)((uintptr_t)t + CAP_TCB_SLOT_OFFSET) + TCB_SLOT_IPC_BUFFER;
	uint64_t mask;

	if (f->cap.type != SEL_OBJ_FRAME || (f->cap.flags & CAP_FLAG_DEVICE))
		return NULL;
	mask = (1ull << f->cap.size_bits) - 1;
	return (struct sel_ipc_buffer *)(uintptr_t)(f->cap.object + (t->ipc_buffer & mask));
}
/* Is the message well formed and allowed (caps need `grant`)? */
enum sel_error ipc_check_message(struct tcb *t, const struct ipc_msg *m, bool grant);
/* The message a blocked sender carries (from its registers, or its fault). */
void ipc_sender_message(struct tcb *s, struct ipc_msg *m);
/* Copies m (and MR5.., and caps if `grant`) from `from` into `to`'s registers. */
void ipc_deliver(struct tcb *from, struct tcb *to, const struct ipc_msg *m, uint64_t badge,
                 bool grant);
/* The message a syscall carries: info in a1, MR0-MR4 in a2-a6. */
void ipc_msg_from_args(const struct syscall_args *args, struct ipc_msg *m);
/* Writes a syscall result: a0 = err, a1-a7 = 0. */
void ipc_set_result(struct tcb *t, enum sel_error err);

/* endpoint.c */
void ep_remove(struct endpoint *ep, struct tcb *t);
int ep_send(struct tcb *t, struct endpoint *ep, const struct ipc_msg *m, uint64_t badge,
            uint32_t flags, bool block);
int ep_recv(struct tcb *t, struct endpoint *ep, bool grant, bool block);
enum sel_error ipc_reply(struct tcb *t, const struct ipc_msg *m);
/* The reply t owes is dropped: its caller gets SEL_ERR_PEER_DEAD. */
void ipc_drop_reply(struct tcb *t);
/* t stops (suspend, exit, fault, destroy): leave every queue and relation. */
void ipc_cancel(struct tcb *t);
/* t's IPC failed (object deleted, send cancelled, peer dead): wake it with err. */
void ipc_abort(struct tcb *t, enum sel_error err);
/* t's priority changed: its place in its queue follows. */
void ipc_requeue(struct tcb *t);
void ep_finalise(struct endpoint *ep);
void ep_cancel_badged_sends(struct endpoint *ep, uint64_t badge);

/* notification.c */
void ntfn_signal(struct notification *n, uint64_t badge);
int ntfn_wait(struct tcb *t, struct notification *n, bool block);
/* Recv on an endpoint: if t's bound notification has a word, take it. */
bool ntfn_take_bound(struct tcb *t);
enum sel_error ntfn_bind(struct tcb *t, struct notification *n);
void ntfn_unbind(struct tcb *t);
void ntfn_finalise(struct notification *n);

/* fault.c */
/* Sends t's fault to its fault endpoint; false if it has none. */
bool fault_send(struct tcb *t, uint64_t cause, uint64_t addr, uint32_t flags);
/* Sends t's exit to its fault endpoint; false if it has none. */
bool exit_send(struct tcb *t, uint64_t code);
/* The reply to a fault message arrived: resume or stop the thread. */
void fault_resume(struct tcb *t, const struct ipc_msg *reply);

/* lease.c */
/* A Call's lease (or none) into the caller's TCB; errors leave no lease. */
enum sel_error lease_record(struct tcb *t, const struct ipc_msg *m);
/* The call c made has ended (replied, aborted, or c faulted): its lease goes. */
void lease_end(struct tcb *c);
/*
 * Copies len bytes between the lease of the call t serves, at off, and t's
 * memory at buf (write: into the lease), memory to memory.
 */
enum sel_error lease_copy(struct tcb *t, uint64_t off, uint64_t buf, uint64_t len, bool write);

/* fastpath.c: declared in arch/riscv/fast_entry.h, for the entry assembly. */

/* call.c: a Call on an endpoint capability, and the counter Call and ReplyRecv share. */
int ep_call(struct tcb *t, struct cte *slot, struct syscall_args *args);
void ipc_count_call(void);

#endif /* SELENE_IPC_IPC_H */
