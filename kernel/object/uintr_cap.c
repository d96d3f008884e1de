/*
 * UIntr receiver and sender capabilities (the send path is ipc/uintr.c).
 *
 * Receiver: Register binds it to the calling thread (Write); CreateSender
 * makes a sender cap with a vector as a child of the receiver cap (Grant:
 * the capability core's derivation rule), so revoking the receiver revokes
 * every sender. Sender: Install copies it into the caller's sender table,
 * the TCB slots TCB_SLOT_UITT.., and publishes receiver | vector in the
 * table word the send reads; that copy's word1 points at the word, so
 * deleting the copy (uninstall, a revoke of the receiver, the thread's
 * end) zeroes the word (uintr_cap_removed()).
 */
#include "ipc/uintr.h"
#include "ipc/ipc.h"
#include "object/objects.h"
#include <selene/error.h>
#include <selene/invocation.h>
#include <selene/uintr.h>

static int do_register(struct tcb *t, struct cte *slot, struct syscall_args *args)
{
	struct uintr_receiver *r = (struct uintr_receiver *)(uintptr_t)slot->cap.object;

	if (!(slot->cap.rights & SEL_RIGHT_WRITE))
		return SEL_ERR_NO_RIGHTS;
	if (t->uintr || r->tcb)
		return SEL_ERR_BUSY;
	if (!ipc_buffer(t))
		return SEL_ERR_INVALID_ARG; /* its user-interrupt registers live there */
	t->uintr_handler = args->a[2];
	t->uintr_stack = args->a[3];
	t->uintr_arg = args->a[4];
	t->uintr_in_handler = false;
	t->uintr = r;
	__atomic_store_n(&r->tcb, t, __ATOMIC_SEQ_CST);
	return SEL_OK;
}

static int create_sender(struct tcb *t, struct cte *slot, struct syscall_args *args)
{
	struct cte *cnode, *dest;
	struct cap c = {.type = SEL_OBJ_UINTR_SENDER,
	                .rights = slot->cap.rights,
	                .object = slot->cap.object,
	                .word0 = args->a[2]};
	int err;

	if (args->a[2] >= SEL_UINTR_VECTORS)
		return SEL_ERR_RANGE;
	err = lookup_cap(t, args->a[3], SEL_OBJ_CNODE, SEL_RIGHT_WRITE, &cnode);
	if (err == SEL_OK)
		err = cspace_lookup(cnode, args->a[4], (uint32_t)args->a[5], &dest);
	return err != SEL_OK ? err : (int)cdt_insert_child(&kernel_cdt, slot, dest, c);
}

static int install(struct tcb *t, struct cte *slot, uint64_t index)
{
	struct cte *dest;
	int err;

	if (index >= SEL_UINTR_UITT_SIZE)
		return SEL_ERR_RANGE;
	dest = tcb_slot(t, TCB_SLOT_UITT + index);
	if (!cte_is_empty(dest))
		return SEL_ERR_SLOT_OCCUPIED;
	err = cdt_copy(&kernel_cdt, slot, dest, SEL_RIGHTS_ALL);
	if (err != SEL_OK)
		return err;
	dest->cap.word1 = (uint64_t)(uintptr_t)&t->uitt[index];
	__atomic_store_n(&t->uitt[index], slot->cap.object | slot->cap.word0, __ATOMIC_RELEASE);
	return SEL_OK;
}

int uintr_decode(struct tcb *t, struct cte *slot, struct syscall_args *args)
{
	uint64_t label = args->a[1];

	if (slot->cap.type == SEL_OBJ_UINTR_RECEIVER && label == SEL_UINTR_REGISTER)
		return do_register(t, slot, args);
	if (slot->cap.type == SEL_OBJ_UINTR_RECEIVER && label == SEL_UINTR_CREATE_SENDER)
		return create_sender(t, slot, args);
	if (slot->cap.type == SEL_OBJ_UINTR_SENDER && label == SEL_UINTR_SENDER_INSTALL)
		return install(t, slot, args->a[2]);
	if (label == SEL_UINTR_SENDER_INSTALL)
		return SEL_ERR_WRONG_TYPE; /* a receiver cap cannot send */
	return SEL_ERR_ILLEGAL_OP;
}

void uintr_cap_removed(const struct cap *cap)
{
	if (cap->type == SEL_OBJ_UINTR_SENDER && cap->word1)
		__atomic_store_n((uint64_t *)(uintptr_t)cap->word1, 0, __ATOMIC_SEQ_CST);
}
