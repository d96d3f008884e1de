/*
 * The wait queues of endpoints and notifications: doubly linked through
 * tcb.ipc_next/ipc_prev, ordered by priority (higher first) and FIFO among
 * equal priorities, so a waiter is never overtaken by one of its own
 * priority that came later.
 */
#include "ipc/ipc.h"
#include "lib/panic.h"

void ipc_queue_add(struct ipc_queue *q, struct tcb *t, void *obj, enum tcb_state state)
{
	struct tcb *after = q->tail;

	while (after && after->priority < t->priority)
		after = after->ipc_prev;
	t->ipc_prev = after;
	t->ipc_next = after ? after->ipc_next : q->head;
	if (t->ipc_next)
		t->ipc_next->ipc_prev = t;
	else
		q->tail = t;
	if (after)
		after->ipc_next = t;
	else
		q->head = t;
	t->blocked_on = obj;
	t->state = state;
}

void ipc_queue_remove(struct ipc_queue *q, struct tcb *t)
{
	assert(t->blocked_on && "a queued thread knows its queue");
	if (t->ipc_prev)
		t->ipc_prev->ipc_next = t->ipc_next;
	else
		q->head = t->ipc_next;
	if (t->ipc_next)
		t->ipc_next->ipc_prev = t->ipc_prev;
	else
		q->tail = t->ipc_prev;
	t->ipc_next = t->ipc_prev = NULL;
	t->blocked_on = NULL;
}
