/*
 * Endpoints: the rendezvous of a sender and a receiver, Call and its
 * single-use reply.
 *
 * Whoever comes second finds the other on the endpoint's queue and moves
 * the message; the first one waits there (BLOCKED_SEND with its message in
 * its saved a1-a6, or BLOCKED_RECV). A Call, or a fault, that is received
 * leaves the caller BLOCKED_REPLY and the receiver holding the reply
 * capability: receiver->reply_to = caller, caller->replier = receiver. That
 * pair is the whole reply cap: it lives in the two TCBs, is never in a
 * CSpace (so it cannot be copied, minted or sent) and is used once. It
 * goes when the reply is sent, when the receiver receives again or stops
 * (the caller gets SEL_ERR_PEER_DEAD), or when the caller stops (the reply
 * then finds nobody: SEL_ERR_NO_REPLY).
 */
#include "ipc/ipc.h"
#include "ipc/uintr.h"
#include "arch/riscv/trap.h"
#include "lib/panic.h"
#include "sched/scheduler.h"
#include <selene/error.h>
#include <selene/object.h>

void ep_remove(struct endpoint *ep, struct tcb *t)
{
	ipc_queue_remove(&ep->queue, t);
	if (!ep->queue.head)
		ep->state = EP_IDLE;
}

static void wait_on(struct tcb *t, struct endpoint *ep, enum tcb_state st, enum ep_state es)
{
	ipc_queue_add(&ep->queue, t, ep, st);
	ep->state = es;
	sched_blocked(t);
}

/* Server s now holds caller c's reply cap; c waits for the reply. */
static void owe_reply(struct tcb *s, struct tcb *c, bool server_grant)
{
	s->reply_to = c;
	s->reply_grant = server_grant;
	c->replier = s;
	c->state = TCB_BLOCKED_REPLY;
	sched_blocked(c);
}

/* The message of s (no longer queued) has been delivered to r: s moves on. */
static void sender_delivered(struct tcb *s, struct tcb *r, bool r_grant, bool s_running)
{
	if (s->ipc_flags & (IPC_CALL | IPC_FAULT)) {
		owe_reply(r, s, r_grant);
	} else if (s->ipc_flags & IPC_EXIT) {
		s->ipc_flags = 0;
		sched_stop(s, SEL_STOP_EXITED, s->stop_code);
	} else {
		s->ipc_flags = 0;
		ipc_set_result(s, SEL_OK);
		if (!s_running)
			sched_make_ready(s);
	}
}

int ep_send(struct tcb *t, struct endpoint *ep, const struct ipc_msg *m, uint64_t badge,
            uint32_t flags, bool block)
{
	t->ipc_flags = flags;
	t->ipc_badge = badge;
	if (ep->state == EP_RECEIVERS) {
		struct tcb *r = ep->queue.head;
		bool r_grant = r->ipc_flags & IPC_GRANT;

		ep_remove(ep, r);
		r->ipc_flags = 0;
		ipc_deliver(t, r, m, badge, flags & IPC_GRANT);
		sched_make_ready(r);
		sender_delivered(t, r, r_grant, true);
		if (t->state != TCB_RUNNING) /* the caller waits for the reply: r runs next */
			sched_run_next(r);
		return SYS_RESULT_WRITTEN;
	}
	if (!block) {
		t->ipc_flags = 0;
		return SEL_ERR_WOULD_BLOCK;
	}
	if (!(flags & (IPC_FAULT | IPC_EXIT))) {
		t->ctx.regs[REG_A0 + 1] = m->info;
		for (unsigned i = 0; i < SEL_MSG_REG_WORDS; i++)
			t->ctx.regs[REG_A0 + 2 + i] = m->mr[i];
	}
	wait_on(t, ep, TCB_BLOCKED_SEND, EP_SENDERS);
	return SYS_RESULT_WRITTEN;
}

int ep_recv(struct tcb *t, struct endpoint *ep, bool grant, bool block)
{
	struct ipc_msg m;
	struct tcb *s;

	if (ntfn_take_bound(t))
		return SYS_RESULT_WRITTEN;
	if (ep->state != EP_SENDERS) {
		if (!block)
			return SEL_ERR_WOULD_BLOCK;
		t->ipc_flags = grant ? IPC_GRANT : 0;
		wait_on(t, ep, TCB_BLOCKED_RECV, EP_RECEIVERS);
		return SYS_RESULT_WRITTEN;
	}
	s = ep->queue.head;
	ep_remove(ep, s);
	ipc_sender_message(s, &m);
	ipc_deliver(s, t, &m, s->ipc_badge, s->ipc_flags & IPC_GRANT);
	sender_delivered(s, t, grant, false);
	return SYS_RESULT_WRITTEN;
}

enum sel_error ipc_reply(struct tcb *t, const struct ipc_msg *m)
{
	struct tcb *c = t->reply_to;
	int err;

	if (!c)
		return SEL_ERR_NO_REPLY;
	err = ipc_check_message(t, m, t->reply_grant);
	if (err != SEL_OK)
		return err;
	t->reply_to = NULL;
	c->replier = NULL;
	lease_end(c);
	if (c->ipc_flags & IPC_FAULT) {
		fault_resume(c, m);
		return SEL_OK;
	}
	c->ipc_flags = 0;
	ipc_deliver(t, c, m, 0, t->reply_grant);
	sched_make_ready(c);
	return SEL_OK;
}

void ipc_drop_reply(struct tcb *t)
{
	struct tcb *c = t->reply_to;

	if (!c)
		return;
	t->reply_to = NULL;
	c->replier = NULL;
	ipc_abort(c, SEL_ERR_PEER_DEAD);
}

void ipc_abort(struct tcb *t, enum sel_error err)
{
	uint32_t f = t->ipc_flags;

	t->ipc_flags = 0;
	lease_end(t);
	if ((f & IPC_FAULT) && !(f & IPC_FAULT_SYSCALL)) {
		fault_unhandled(t, t->fault_cause, t->fault_addr);
	} else if (f & IPC_EXIT) {
		sched_stop(t, SEL_STOP_EXITED, t->stop_code);
	} else {
		if (!(f & IPC_FAULT_SYSCALL)) /* that one returns SEL_ERR_UNKNOWN_SYSCALL */
			ipc_set_result(t, err);
		sched_make_ready(t);
	}
}

void ipc_cancel(struct tcb *t)
{
	bool syscall_ctx = !(t->ipc_flags & (IPC_FAULT | IPC_EXIT));

	if (t->blocked_on && t->state == TCB_BLOCKED_NTFN)
		ipc_queue_remove(&((struct notification *)t->blocked_on)->waiters, t);
	else if (t->blocked_on)
		ep_remove(t->blocked_on, t);
	else if (t->replier)
		t->replier->reply_to = NULL;
	else if (t->state == TCB_BLOCKED_UINTR)
		uintr_cancel_wait(t);
	else
		syscall_ctx = false; /* not waiting in IPC: nothing to report */
	t->replier = NULL;
	if (syscall_ctx)
		ipc_set_result(t, SEL_ERR_CANCELLED);
	t->ipc_flags = 0;
	lease_end(t);
	ipc_drop_reply(t);
}

void ipc_requeue(struct tcb *t)
{
	enum tcb_state st = t->state;

	if (st == TCB_BLOCKED_NTFN) {
		struct notification *n = t->blocked_on;
		ipc_queue_remove(&n->waiters, t);
		ipc_queue_add(&n->waiters, t, n, st);
	} else if (t->blocked_on) {
		struct endpoint *ep = t->blocked_on;
		ipc_queue_remove(&ep->queue, t);
		ipc_queue_add(&ep->queue, t, ep, st);
	}
}

void ep_finalise(struct endpoint *ep)
{
	struct tcb *t;

	while ((t = ep->queue.head)) {
		ep_remove(ep, t);
		ipc_abort(t, SEL_ERR_DELETED);
	}
}

void ep_cancel_badged_sends(struct endpoint *ep, uint64_t badge)
{
	struct tcb *t, *next;

	if (ep->state != EP_SENDERS)
		return;
	for (t = ep->queue.head; t; t = next) {
		next = t->ipc_next;
		if (t->ipc_badge == badge) {
			ep_remove(ep, t);
			ipc_abort(t, SEL_ERR_CANCELLED);
		}
	}
}
