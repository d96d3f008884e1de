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
#include "kernel_unpack.h"
#include <selene/invocation.h>
#include <selene/uintr.h>

static enum sel_error do_register(struct tcb *t, struct cte *slot, const uint64_t *a)
{
	struct uintr_receiver *r = (struct uintr_receiver *)(uintptr_t)slot->cap.object;
	struct uintr_receiver_register_handler_args h;
	enum sel_error err = uintr_receiver_register_handler_unpack(a, &h);

	if (err != SEL_OK)
		return err;
	if (t->uintr || r->tcb)
		return SEL_ERR_BUSY;
	if (!ipc_buffer(t))
		return SEL_ERR_INVALID_ARG; /* its user-interrupt registers live there */
	t->uintr_handler = h.handler;
	t->uintr_stack = h.stack;
	t->uintr_arg = h.arg;
	t->uintr_in_handler = false;
	t->uintr = r;
	__atomic_store_n(&r->tcb, t, __ATOMIC_SEQ_CST);
	return SEL_OK;
}

static enum sel_error create_sender(struct tcb *t, struct cte *slot, const uint64_t *a)
{
	struct uintr_receiver_create_sender_args c;
	struct cte *dest;
	struct cap s = {
	    .type = SEL_OBJ_UINTR_SENDER, .rights = slot->cap.rights, .object = slot->cap.object};
	enum sel_error err = uintr_receiver_create_sender_unpack(t, a, &c);

	if (err == SEL_OK)
		err = cspace_lookup(c.dest, c.index, c.depth, &dest);
	if (err != SEL_OK)
		return err;
	s.word0 = c.vector;
	return cdt_insert_child(&kernel_cdt, slot, dest, s);
}

static enum sel_error install(struct tcb *t, struct cte *slot, const uint64_t *a)
{
	struct uintr_sender_install_args in;
	struct cte *dest;
	enum sel_error err = uintr_sender_install_unpack(a, &in);

	if (err != SEL_OK)
		return err;
	if (in.index >= SEL_UINTR_UITT_SIZE)
		return SEL_ERR_RANGE;
	dest = tcb_slot(t, TCB_SLOT_UITT + in.index);
	if (!cte_is_empty(dest))
		return SEL_ERR_SLOT_OCCUPIED;
	err = cdt_copy(&kernel_cdt, slot, dest, SEL_RIGHTS_ALL);
	if (err != SEL_OK)
		return err;
	dest->cap.word1 = (uint64_t)(uintptr_t)&t->uitt[in.index];
	__atomic_store_n(&t->uitt[in.index], slot->cap.object | slot->cap.word0, __ATOMIC_RELEASE);
	return SEL_OK;
}

/* objects.c checked the label against the cap's type and its rights. */
enum sel_error uintr_decode(struct tcb *t, struct cte *slot, struct syscall_args *args)
{
	switch (args->a[1]) {
	case SEL_UINTR_RECEIVER_REGISTER_HANDLER:
		return do_register(t, slot, args->a);
	case SEL_UINTR_RECEIVER_CREATE_SENDER:
		return create_sender(t, slot, args->a);
	default: /* SEL_UINTR_SENDER_INSTALL */
		return install(t, slot, args->a);
	}
}

void uintr_cap_removed(const struct cap *cap)
{
	if (cap->type == SEL_OBJ_UINTR_SENDER && cap->word1)
		__atomic_store_n((uint64_t *)(uintptr_t)cap->word1, 0, __ATOMIC_SEQ_CST);
	/* A thread's IPC buffer cap, whose registers block ipc/uintr_fast.S may be
	 * reading or writing without the lock: that ends before the cap goes (the
	 * frame outlives this copy of its cap in the TCB slot). */
	if (cap->type == SEL_OBJ_FRAME && (cap->flags & CAP_FLAG_IPC_BUFFER))
		uintr_sync();
}
