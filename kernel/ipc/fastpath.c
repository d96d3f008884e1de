/*
 * The IPC fastpath: Call and ReplyRecv in their common case, handed
 * straight from one thread to the other on this hart.
 *
 * It has the slow path's semantics exactly (kernel/ipc/endpoint.c) and
 * takes only the cases where those semantics are a few stores:
 *   - the fastpath is on (boot argument "fastpath=off" turns it off, so the
 *     tests can show both paths agree);
 *   - the message has at most SEL_MSG_REG_WORDS words, no caps, a user label;
 *   - the cap is found in the thread's root CNode alone (the usual flat
 *     CSpace: guard and radix make up all 64 bits) and is an endpoint cap
 *     with the rights the operation needs;
 *   - Call: a receiver waits on the endpoint;
 *     ReplyRecv: a caller waits for this reply (not a fault), no sender
 *     waits on the endpoint and no bound notification is pending, so the
 *     thread will block in Recv;
 *   - the thread to run next has this hart as its affinity, an address
 *     space, and no ready thread here has a higher priority (at equal
 *     priority it runs ahead of the ready ones, as with seL4's fastpath;
 *     the slow path queues it behind them: docs/performance.md).
 * Anything else goes to syscall_locked(), the slow path, which starts from
 * the same state: the fastpath changes nothing before it is sure to finish.
 * trap_entry.S calls fastpath_entry() for both numbers with the syscall
 * context saved; the fastpath takes the big lock inline and leaves by a
 * direct switch (fast_switch()), not through the scheduler.
 */
#include "ipc/ipc.h"
#include "arch/riscv/hart.h"
#include "arch/riscv/csr.h"
#include "arch/riscv/fpu.h"
#include "arch/riscv/kinfo.h"
#include "arch/riscv/sv39.h"
#include "arch/riscv/timer.h"
#include "lib/inject.h"
#include "lib/string.h"
#include "object/objects.h"
#include "object/vspace.h"
#include "sched/scheduler.h"
#include "uaccess/syscall_args.h"
#include <selene/error.h>
#include <selene/object.h>
#include <selene/syscall.h>

static bool fastpath_on = true;

void fastpath_init(const char *bootargs)
{
	fastpath_on = !strstr_simple(bootargs, "fastpath=off");
}

/* The slot at cptr if the CSpace root alone resolves all 64 bits, else NULL. */
static inline ALWAYS_INLINE struct cte *lookup_flat(struct tcb *t, uint64_t cptr)
{
	const struct cap *c = &tcb_cspace_root(t)->cap;
	uint32_t radix = c->size_bits;

	if (c->type != SEL_OBJ_CNODE || radix + c->guard_bits != 64 || cap_is_zombie(c) ||
	    (cptr >> radix) != c->word0)
		return NULL;
	return (struct cte *)(uintptr_t)c->object + (cptr & ((1ull << radix) - 1));
}

/* The endpoint at cptr if the cap has every right in `need` and one of `any`. */
static inline ALWAYS_INLINE struct endpoint *
endpoint_cap(struct tcb *t, uint64_t cptr, uint32_t need, uint32_t any, const struct cap **cap)
{
	struct cte *s = lookup_flat(t, cptr);

	if (!s || s->cap.type != SEL_OBJ_ENDPOINT || (s->cap.rights & need) != need ||
	    !(s->cap.rights & any))
		return NULL;
	*cap = &s->cap;
	return (struct endpoint *)(uintptr_t)s->cap.object;
}

static inline bool simple_message(uint64_t info)
{
	return (info & (SEL_MSG_RESERVED | SEL_MSG_LEASE | SEL_MSG_LEASE_FWD |
	                (SEL_MSG_CAPS_MASK << SEL_MSG_CAPS_SHIFT))) == 0 &&
	       SEL_MSG_LENGTH(info) <= SEL_MSG_REG_WORDS && SEL_MSG_LABEL(info) < SEL_LABEL_KERNEL;
}

/* Can `to` run here in place of the caller right now? */
static inline ALWAYS_INLINE bool can_switch_to(const struct hart *h, struct tcb *to)
{
	return &harts[to->hart_affinity] == h && tcb_vspace(to) && sched_may_run_now(h, to);
}

/* The message into `to`'s saved registers, as ipc_deliver() writes it. */
static inline ALWAYS_INLINE void put_message(struct tcb *to, const uint64_t *m, uint64_t badge)
{
	uint64_t *r = to->ctx.regs;

	_Static_assert(SEL_MSG_REG_WORDS == 5, "the message registers are a2-a6");
	r[REG_A0] = SEL_OK;
	r[REG_A0 + 1] = m[1];
	r[REG_A0 + 2] = m[2];
	r[REG_A0 + 3] = m[3];
	r[REG_A0 + 4] = m[4];
	r[REG_A0 + 5] = m[5];
	r[REG_A0 + 6] = m[6];
	r[REG_A7] = inject_on(INJECT_FASTPATH_BADGE) ? 0 : badge;
}

static inline ALWAYS_INLINE void count(struct hart *h)
{
	h->ipc_calls++;
	h->fastpath++;
	h->bench.ipc_calls++;
	h->bench.fastpath++;
}

/*
 * The direct switch: `to` runs on h in place of the caller, which has just
 * blocked, without the scheduler. What run() would do and cannot apply
 * here is skipped: no thread is picked (can_switch_to() checked that `to`
 * may run), the tick stays armed, the info page gets the thread id only.
 * A thread with a user-interrupt receiver leaves through the scheduler,
 * which delivers a pending interrupt first.
 */
static inline ALWAYS_INLINE NORETURN void fast_switch(struct hart *h, struct tcb *to)
{
	uint64_t satp;

	if (to->uintr || inject_on(INJECT_STALE_HART))
		sched_switch_to(h, to);
	to->state = TCB_RUNNING;
	to->ctx.hart = h;
	h->current = to;
	invariants_after_syscall();
	if (h->last_user != to) {
		if (fpu_needed(h, to))
			fpu_switch(h, to);
		h->last_user = to;
		kinfo_thread((uint64_t)(h - harts), to->tid);
	}
	satp = vspace_satp(tcb_vspace(to));
	if (csr_read(satp) != satp)
		satp_change(h, satp); /* ASID bookkeeping only when satp changes */
	if (!h->next_tick)
		timer_arm(h);
	__atomic_store_n(&h->in_user, to, __ATOMIC_SEQ_CST);
	kernel_unlock_inline();
	arch_return_to_user(&to->ctx);
}

static inline ALWAYS_INLINE void fastpath_call(struct hart *h, struct tcb *t, const uint64_t *m)
{
	const struct cap *cap;
	struct endpoint *ep =
	    endpoint_cap(t, m[0], SEL_RIGHT_WRITE, SEL_RIGHT_GRANT | SEL_RIGHT_GRANT_REPLY, &cap);
	struct tcb *r;

	if (!ep || ep->state != EP_RECEIVERS)
		return;
	r = ep->queue.head;
	if (!can_switch_to(h, r))
		return;
	if (r->ipc_next) {
		ep_remove(ep, r);
	} else { /* the only receiver: ep_remove() in short */
		ep->queue.head = ep->queue.tail = NULL;
		ep->state = EP_IDLE;
		r->ipc_prev = NULL;
		r->blocked_on = NULL;
	}
	put_message(r, m, cap->badge);
	r->reply_to = t;
	r->reply_grant = r->ipc_flags & IPC_GRANT;
	r->ipc_flags = 0;
	t->replier = r;
	t->lease_len = 0;
	t->ipc_flags = IPC_CALL | (cap->rights & SEL_RIGHT_GRANT ? IPC_GRANT : 0);
	t->state = TCB_BLOCKED_REPLY;
	count(h);
	fast_switch(h, r);
}

static inline ALWAYS_INLINE void fastpath_reply_recv(struct hart *h, struct tcb *t,
                                                     const uint64_t *m)
{
	const struct cap *cap;
	struct endpoint *ep = endpoint_cap(t, m[0], SEL_RIGHT_READ, SEL_RIGHT_READ, &cap);
	struct tcb *c = t->reply_to;

	if (!ep || !c || ep->state == EP_SENDERS || (c->ipc_flags & IPC_FAULT) ||
	    (t->bound && t->bound->active) || !can_switch_to(h, c))
		return;
	t->reply_to = NULL;
	c->replier = NULL;
	c->ipc_flags = 0;
	c->lease_len = 0; /* lease_end() */
	put_message(c, m, 0);
	t->ipc_flags = cap->rights & SEL_RIGHT_GRANT ? IPC_GRANT : 0;
	if (ep->state == EP_IDLE) { /* ipc_queue_add() to an empty queue, in short */
		ep->queue.head = ep->queue.tail = t;
		t->ipc_prev = t->ipc_next = NULL;
		t->blocked_on = ep;
		t->state = TCB_BLOCKED_RECV;
	} else {
		ipc_queue_add(&ep->queue, t, ep, TCB_BLOCKED_RECV);
	}
	ep->state = EP_RECEIVERS;
	count(h);
	fast_switch(h, c);
}

/*
 * Call and ReplyRecv, straight from trap_entry.S (the syscall context is
 * saved): a0 = cptr, a1 = message info, a2-a6 = message words. Takes the
 * big lock inline; when a precondition fails, the generic path runs from
 * the same state.
 */
/* The generic path for what the fastpath could not take (the lock is held). */
static NORETURN __attribute__((noinline)) void slow_path(uint64_t a0, uint64_t a1, uint64_t a2,
                                                         uint64_t a3, uint64_t a4, uint64_t a5,
                                                         uint64_t a6, uint64_t nr)
{
	struct syscall_args args = {.a = {a0, a1, a2, a3, a4, a5, a6}};

	syscall_locked(nr, &args);
}

NORETURN void fastpath_entry(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                             uint64_t a5, uint64_t a6, uint64_t nr)
{
	struct hart *h = this_hart();
	struct tcb *t;
	const uint64_t m[7] = {a0, a1, a2, a3, a4, a5, a6};

	kernel_lock_from_user(h);
	t = h->current;
	if (t && fastpath_on && simple_message(a1)) {
		if (nr == SEL_SYS_CALL)
			fastpath_call(h, t, m);
		else
			fastpath_reply_recv(h, t, m);
	}
	slow_path(a0, a1, a2, a3, a4, a5, a6, nr);
}
