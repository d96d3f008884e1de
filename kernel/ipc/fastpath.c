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
 *     space, and no ready thread here has a higher priority.
 * Anything else returns, and syscall_entry() takes the slow path, which
 * starts from the same state: the fastpath changes nothing before it is
 * sure to finish.
 */
#include "ipc/ipc.h"
#include "arch/riscv/hart.h"
#include "lib/inject.h"
#include "lib/string.h"
#include "object/objects.h"
#include "sched/scheduler.h"
#include <selene/error.h>
#include <selene/object.h>
#include <selene/syscall.h>

static bool fastpath_on = true;

void fastpath_init(const char *bootargs)
{
	fastpath_on = !strstr_simple(bootargs, "fastpath=off");
}

/* The slot at cptr if the CSpace root alone resolves all 64 bits, else NULL. */
static struct cte *lookup_flat(struct tcb *t, uint64_t cptr)
{
	const struct cap *c = &tcb_cspace_root(t)->cap;
	uint32_t radix = c->size_bits;

	if (c->type != SEL_OBJ_CNODE || radix + c->guard_bits != 64 || cap_is_zombie(c) ||
	    (cptr >> radix) != c->word0)
		return NULL;
	return (struct cte *)(uintptr_t)c->object + (cptr & ((1ull << radix) - 1));
}

/* The endpoint at cptr if the cap has every right in `need` and one of `any`. */
static struct endpoint *endpoint_cap(struct tcb *t, uint64_t cptr, uint32_t need, uint32_t any,
                                     const struct cap **cap)
{
	struct cte *s = lookup_flat(t, cptr);

	if (!s || s->cap.type != SEL_OBJ_ENDPOINT || (s->cap.rights & need) != need ||
	    !(s->cap.rights & any))
		return NULL;
	*cap = &s->cap;
	return (struct endpoint *)(uintptr_t)s->cap.object;
}

static bool simple_message(uint64_t info)
{
	return (info & (SEL_MSG_RESERVED | SEL_MSG_LEASE | SEL_MSG_LEASE_FWD |
	                (SEL_MSG_CAPS_MASK << SEL_MSG_CAPS_SHIFT))) == 0 &&
	       SEL_MSG_LENGTH(info) <= SEL_MSG_REG_WORDS && SEL_MSG_LABEL(info) < SEL_LABEL_KERNEL;
}

/* Can `to` run here in place of the caller right now? */
static bool can_switch_to(const struct hart *h, struct tcb *to)
{
	return &harts[to->hart_affinity] == h && tcb_vspace(to) && sched_may_run_now(h, to);
}

/* The message into `to`'s saved registers, as ipc_deliver() writes it. */
static void put_message(struct tcb *to, const struct syscall_args *args, uint64_t badge)
{
	uint64_t *r = to->ctx.regs;

	r[REG_A0] = SEL_OK;
	r[REG_A0 + 1] = args->a[1];
	for (unsigned i = 0; i < SEL_MSG_REG_WORDS; i++)
		r[REG_A0 + 2 + i] = args->a[2 + i];
	r[REG_A7] = inject_on(INJECT_FASTPATH_BADGE) ? 0 : badge;
}

static void count(struct hart *h)
{
	h->ipc_calls++;
	h->fastpath++;
	h->bench.ipc_calls++;
	h->bench.fastpath++;
}

static void fastpath_call(struct hart *h, struct tcb *t, const struct syscall_args *args)
{
	const struct cap *cap;
	struct endpoint *ep = endpoint_cap(t, args->a[0], SEL_RIGHT_WRITE,
	                                   SEL_RIGHT_GRANT | SEL_RIGHT_GRANT_REPLY, &cap);
	struct tcb *r;

	if (!ep || ep->state != EP_RECEIVERS)
		return;
	r = ep->queue.head;
	if (!can_switch_to(h, r))
		return;
	ep_remove(ep, r);
	put_message(r, args, cap->badge);
	r->reply_to = t;
	r->reply_grant = r->ipc_flags & IPC_GRANT;
	r->ipc_flags = 0;
	t->replier = r;
	t->lease_len = 0;
	t->ipc_flags = IPC_CALL | (cap->rights & SEL_RIGHT_GRANT ? IPC_GRANT : 0);
	t->state = TCB_BLOCKED_REPLY;
	count(h);
	sched_switch_to(h, r);
}

static void fastpath_reply_recv(struct hart *h, struct tcb *t, const struct syscall_args *args)
{
	const struct cap *cap;
	struct endpoint *ep = endpoint_cap(t, args->a[0], SEL_RIGHT_READ, SEL_RIGHT_READ, &cap);
	struct tcb *c = t->reply_to;

	if (!ep || !c || ep->state == EP_SENDERS || (c->ipc_flags & IPC_FAULT) ||
	    (t->bound && t->bound->active) || !can_switch_to(h, c))
		return;
	t->reply_to = NULL;
	c->replier = NULL;
	c->ipc_flags = 0;
	lease_end(c);
	put_message(c, args, 0);
	t->ipc_flags = cap->rights & SEL_RIGHT_GRANT ? IPC_GRANT : 0;
	ipc_queue_add(&ep->queue, t, ep, TCB_BLOCKED_RECV);
	ep->state = EP_RECEIVERS;
	count(h);
	sched_switch_to(h, c);
}

void fastpath(struct tcb *t, uint64_t nr, const struct syscall_args *args)
{
	struct hart *h = this_hart();

	if (!fastpath_on || !simple_message(args->a[1]))
		return;
	if (nr == SEL_SYS_CALL)
		fastpath_call(h, t, args);
	else if (nr == SEL_SYS_REPLY_RECV)
		fastpath_reply_recv(h, t, args);
}
