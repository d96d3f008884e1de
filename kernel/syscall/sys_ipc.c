/*
 * The IPC syscalls: decode the capability in a0 and the message in a1-a6,
 * check the rights, and hand over to the endpoint or notification.
 *
 *   Send, NBSend   Endpoint: Write (caps in the message: Grant too).
 *                  Notification: Signal, Write.
 *   Recv, NBRecv   Endpoint: Read. Notification: Wait / Poll, Read.
 *   Call           Endpoint: Write and Grant or GrantReply (objects.c
 *                  sends SEL_SYS_CALL on an endpoint cap to ipc/call.c).
 *   Reply          the reply capability the caller holds.
 *   ReplyRecv      Reply (if one is owed), then Recv on a0.
 * A Recv on an endpoint drops a reply capability still held: its caller
 * gets SEL_ERR_PEER_DEAD (a Wait on a notification keeps it).
 */
#include "syscall/syscall.h"
#include "ipc/ipc.h"
#include "object/objects.h"
#include "sched/scheduler.h"
#include <selene/error.h>
#include <selene/object.h>

/* The endpoint or notification cap at cptr, holding `right`. */
static enum sel_error ipc_cap(struct tcb *t, uint64_t cptr, uint32_t right, struct cte **slot)
{
	int err = cspace_lookup(tcb_cspace_root(t), cptr, 64, slot);

	if (err != SEL_OK)
		return err;
	if (cte_is_empty(*slot))
		return SEL_ERR_EMPTY_SLOT;
	if ((*slot)->cap.type != SEL_OBJ_ENDPOINT && (*slot)->cap.type != SEL_OBJ_NOTIFICATION)
		return SEL_ERR_WRONG_TYPE;
	return ((*slot)->cap.rights & right) ? SEL_OK : SEL_ERR_NO_RIGHTS;
}

static void *object(const struct cte *slot)
{
	return (void *)(uintptr_t)slot->cap.object;
}

static int send(struct tcb *t, struct syscall_args *args, bool block)
{
	struct cte *slot;
	struct ipc_msg m;
	bool grant;
	int err = ipc_cap(t, args->a[0], SEL_RIGHT_WRITE, &slot);

	if (err != SEL_OK)
		return err;
	if (slot->cap.type == SEL_OBJ_NOTIFICATION) {
		ntfn_signal(object(slot), slot->cap.badge);
		return SEL_OK;
	}
	ipc_msg_from_args(args, &m);
	if (m.info & (SEL_MSG_LEASE | SEL_MSG_LEASE_FWD))
		return SEL_ERR_INVALID_ARG; /* a lease goes with a Call */
	grant = slot->cap.rights & SEL_RIGHT_GRANT;
	err = ipc_check_message(t, &m, grant);
	if (err != SEL_OK)
		return err;
	return ep_send(t, object(slot), &m, slot->cap.badge, grant ? IPC_GRANT : 0, block);
}

static int recv(struct tcb *t, struct cte *slot, bool block)
{
	if (slot->cap.type == SEL_OBJ_NOTIFICATION)
		return ntfn_wait(t, object(slot), block);
	ipc_drop_reply(t);
	return ep_recv(t, object(slot), slot->cap.rights & SEL_RIGHT_GRANT, block);
}

int sys_send(struct tcb *t, struct syscall_args *args)
{
	return send(t, args, true);
}

int sys_nb_send(struct tcb *t, struct syscall_args *args)
{
	return send(t, args, false);
}

int sys_recv(struct tcb *t, struct syscall_args *args)
{
	struct cte *slot;
	int err = ipc_cap(t, args->a[0], SEL_RIGHT_READ, &slot);

	return err != SEL_OK ? err : recv(t, slot, true);
}

int sys_nb_recv(struct tcb *t, struct syscall_args *args)
{
	struct cte *slot;
	int err = ipc_cap(t, args->a[0], SEL_RIGHT_READ, &slot);

	return err != SEL_OK ? err : recv(t, slot, false);
}

int sys_reply(struct tcb *t, struct syscall_args *args)
{
	struct ipc_msg m;

	ipc_msg_from_args(args, &m);
	if (m.info & (SEL_MSG_LEASE | SEL_MSG_LEASE_FWD))
		return SEL_ERR_INVALID_ARG;
	return ipc_reply(t, &m);
}

int sys_reply_recv(struct tcb *t, struct syscall_args *args)
{
	struct cte *slot;
	struct tcb *c;
	struct ipc_msg m;
	int err = ipc_cap(t, args->a[0], SEL_RIGHT_READ, &slot);

	if (err != SEL_OK)
		return err;
	if (slot->cap.type == SEL_OBJ_ENDPOINT)
		ipc_count_call();
	c = t->reply_to;
	if (c) {
		ipc_msg_from_args(args, &m);
		if (m.info & (SEL_MSG_LEASE | SEL_MSG_LEASE_FWD))
			return SEL_ERR_INVALID_ARG;
		err = ipc_reply(t, &m);
		if (err != SEL_OK)
			return err;
	}
	err = recv(t, slot, true);
	if (c && t->state != TCB_RUNNING) /* blocked in Recv: the caller runs next */
		sched_run_next(c);
	return err;
}
