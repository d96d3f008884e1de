/*
 * Call on an endpoint capability (SEL_SYS_CALL, sent here by
 * object/objects.c): the cap needs Write and Grant or GrantReply; the
 * message is checked and its lease recorded before the send, so a refused
 * Call leaves nothing behind. The fastpath (fastpath.c) takes the common
 * case before this is reached.
 */
#include "ipc/ipc.h"
#include "arch/riscv/hart.h"
#include "object/objects.h"
#include <selene/error.h>
#include <selene/object.h>

void ipc_count_call(void)
{
	struct hart *h = this_hart();

	h->ipc_calls++;
}

int ep_call(struct tcb *t, struct cte *slot, struct syscall_args *args)
{
	uint32_t rights = slot->cap.rights, flags = IPC_CALL;
	struct ipc_msg m;
	int err;

	ipc_count_call();
	if (!(rights & SEL_RIGHT_WRITE) || !(rights & (SEL_RIGHT_GRANT | SEL_RIGHT_GRANT_REPLY)))
		return SEL_ERR_NO_RIGHTS;
	ipc_msg_from_args(args, &m);
	err = ipc_check_message(t, &m, rights & SEL_RIGHT_GRANT);
	if (err == SEL_OK)
		err = lease_record(t, &m);
	if (err != SEL_OK)
		return err;
	if (rights & SEL_RIGHT_GRANT)
		flags |= IPC_GRANT;
	return ep_send(t, (void *)(uintptr_t)slot->cap.object, &m, slot->cap.badge, flags, true);
}
