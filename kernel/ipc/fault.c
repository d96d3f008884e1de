/*
 * Fault messages: a thread with a fault endpoint (TCB slot
 * TCB_SLOT_FAULT_EP) that faults, makes an unknown syscall or exits sends
 * a message there as if it had called, and the receiver holds its reply
 * capability. The message is made from the TCB's fault fields when it is
 * delivered, so the thread's own registers are never touched; the reply
 * resumes it where it stopped (or, with label SEL_FAULT_REPLY_STOP, stops
 * it as an unhandled fault would). An exit message wants no reply: the
 * thread stops once it has been delivered.
 */
#include "ipc/ipc.h"
#include "arch/riscv/trap.h"
#include "object/objects.h"
#include "sched/scheduler.h"
#include <selene/object.h>

static struct cte *fault_endpoint(struct tcb *t)
{
	struct cte *s = tcb_slot(t, TCB_SLOT_FAULT_EP);

	return s->cap.type == SEL_OBJ_ENDPOINT ? s : NULL;
}

static void send(struct tcb *t, struct cte *ep, uint32_t flags)
{
	struct ipc_msg m;

	t->ipc_flags = flags;
	lease_end(t); /* a fault or exit message lends nothing */
	ipc_sender_message(t, &m);
	ep_send(t, (struct endpoint *)(uintptr_t)ep->cap.object, &m, ep->cap.badge, flags, true);
}

bool fault_send(struct tcb *t, uint64_t cause, uint64_t addr, uint32_t flags)
{
	struct cte *ep = fault_endpoint(t);

	if (!ep)
		return false;
	t->fault_cause = cause;
	t->fault_pc = flags & IPC_FAULT_SYSCALL ? t->ctx.pc - 4 : t->ctx.pc;
	t->fault_addr = addr;
	send(t, ep, IPC_FAULT | flags);
	return true;
}

bool exit_send(struct tcb *t, uint64_t code)
{
	struct cte *ep = fault_endpoint(t);

	if (!ep)
		return false;
	t->stop_code = code;
	send(t, ep, IPC_EXIT);
	return true;
}

void fault_resume(struct tcb *t, const struct ipc_msg *reply)
{
	t->ipc_flags = 0;
	if (SEL_MSG_LABEL(reply->info) == SEL_FAULT_REPLY_STOP)
		sched_stop(t, SEL_STOP_FAULTED, t->fault_cause);
	else
		sched_make_ready(t);
}
