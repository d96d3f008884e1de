/*
 * Notifications: a word of bits that Signal ORs a badge into and Wait
 * takes (and clears), plus the thread bound to it, whose Recv on an
 * endpoint also returns a signal (label SEL_LABEL_NOTIFICATION, a7 = word).
 *
 * Signal never blocks: it wakes the first waiter with the word, or the
 * bound thread if it waits in Recv, or leaves the bits in the word and
 * marks the notification active, so that a signal through an unbadged cap
 * (badge 0) is not lost either: the next Wait returns at once, with 0.
 */
#include "ipc/ipc.h"
#include "sched/scheduler.h"
#include <selene/error.h>

static void give_word(struct tcb *t, uint64_t info, uint64_t word)
{
	ipc_set_result(t, SEL_OK);
	t->ctx.regs[REG_A0 + 1] = info;
	t->ctx.regs[REG_A7] = word;
	t->ipc_flags = 0;
}

void ntfn_signal(struct notification *n, uint64_t badge)
{
	struct tcb *w = n->waiters.head, *b = n->bound;
	uint64_t word = n->word | badge;

	if (w) {
		ipc_queue_remove(&n->waiters, w);
		give_word(w, 0, word);
	} else if (b && b->state == TCB_BLOCKED_RECV) {
		ep_remove(b->blocked_on, b);
		give_word(b, SEL_MSG_INFO(SEL_LABEL_NOTIFICATION, 0, 0), word);
		w = b;
	} else {
		n->word = word;
		n->active = 1;
		return;
	}
	n->word = 0;
	sched_make_ready(w);
}

int ntfn_wait(struct tcb *t, struct notification *n, bool block)
{
	if (n->active || !block) {
		give_word(t, 0, n->word);
		n->word = 0;
		n->active = 0;
		return SYS_RESULT_WRITTEN;
	}
	ipc_queue_add(&n->waiters, t, n, TCB_BLOCKED_NTFN);
	sched_blocked(t);
	return SYS_RESULT_WRITTEN;
}

bool ntfn_take_bound(struct tcb *t)
{
	struct notification *n = t->bound;

	if (!n || !n->active)
		return false;
	give_word(t, SEL_MSG_INFO(SEL_LABEL_NOTIFICATION, 0, 0), n->word);
	n->word = 0;
	n->active = 0;
	return true;
}

enum sel_error ntfn_bind(struct tcb *t, struct notification *n)
{
	if (t->bound || n->bound)
		return SEL_ERR_BUSY;
	t->bound = n;
	n->bound = t;
	return SEL_OK;
}

void ntfn_unbind(struct tcb *t)
{
	if (t->bound) {
		t->bound->bound = NULL;
		t->bound = NULL;
	}
}

void ntfn_finalise(struct notification *n)
{
	struct tcb *t;

	if (n->bound)
		ntfn_unbind(n->bound);
	while ((t = n->waiters.head)) {
		ipc_queue_remove(&n->waiters, t);
		ipc_abort(t, SEL_ERR_DELETED);
	}
}
