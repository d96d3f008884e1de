/*
 * Moving a message from one thread to another: the words, the badge and
 * the capabilities.
 *
 * MR0-MR4 go register to register. MR5 and up go from the sender's IPC
 * buffer to the receiver's, both reached through the Frame cap in the TCB
 * (never through a user mapping, so no user page table is walked); a
 * receiver without an IPC buffer gets the first SEL_MSG_REG_WORDS words.
 * Caps are copied (children of the sender's caps in the derivation tree)
 * into the receiver's receive slots, in order, until one cannot be: the
 * info word the receiver gets says how many arrived. Each value read from
 * an IPC buffer (user memory another hart may be writing) is read once
 * and checked as read.
 */
#include "ipc/ipc.h"
#include "arch/riscv/context.h"
#include "lib/string.h"
#include "object/objects.h"
#include <selene/error.h>

/* The cap at cptr in t's CSpace, which must be one that can be copied. */
static enum sel_error sendable_cap(struct tcb *t, uint64_t cptr, struct cte **slot)
{
	int err = cspace_lookup(tcb_cspace_root(t), cptr, 64, slot);

	if (err != SEL_OK)
		return err;
	if (cte_is_empty(*slot))
		return SEL_ERR_EMPTY_SLOT;
	if (cap_is_zombie(&(*slot)->cap) || !cap_type_info((*slot)->cap.type)->copyable)
		return SEL_ERR_ILLEGAL_OP;
	return SEL_OK;
}

enum sel_error ipc_check_message(struct tcb *t, const struct ipc_msg *m, bool grant)
{
	uint64_t len = SEL_MSG_LENGTH(m->info), caps = SEL_MSG_CAPS(m->info);
	struct sel_ipc_buffer *b = ipc_buffer(t);
	struct cte *slot;

	if ((m->info & SEL_MSG_RESERVED) || len > SEL_MSG_MAX_WORDS ||
	    SEL_MSG_LABEL(m->info) >= SEL_LABEL_KERNEL)
		return SEL_ERR_INVALID_ARG;
	if ((len > SEL_MSG_REG_WORDS || caps) && !b)
		return SEL_ERR_INVALID_ARG;
	if (caps && !grant)
		return SEL_ERR_NO_RIGHTS;
	for (uint64_t i = 0; i < caps; i++) {
		int err = sendable_cap(t, b->send_caps[i], &slot);
		if (err != SEL_OK)
			return err;
	}
	return SEL_OK;
}

void ipc_sender_message(struct tcb *s, struct ipc_msg *m)
{
	const uint64_t *r = s->ctx.regs;

	if (s->ipc_flags & IPC_FAULT) {
		*m = (struct ipc_msg){SEL_MSG_INFO(SEL_LABEL_FAULT, 0, 3),
		                      {s->fault_cause, s->fault_pc, s->fault_addr}};
	} else if (s->ipc_flags & IPC_EXIT) {
		*m = (struct ipc_msg){SEL_MSG_INFO(SEL_LABEL_EXIT, 0, 1), {s->stop_code}};
	} else {
		m->info = r[REG_A0 + 1];
		for (unsigned i = 0; i < SEL_MSG_REG_WORDS; i++)
			m->mr[i] = r[REG_A0 + 2 + i];
	}
}

/* Copies up to n caps named in sb into the receive slots named in rb. */
static uint64_t transfer_caps(struct tcb *from, struct sel_ipc_buffer *sb, struct tcb *to,
                              struct sel_ipc_buffer *rb, uint64_t n)
{
	uint64_t cnode_cptr = rb->recv_cnode, index = rb->recv_index, depth = rb->recv_depth;
	struct cte *cnode, *src, *dst;
	uint64_t got = 0;

	if (depth == 0 || depth > 64 ||
	    lookup_cap(to, cnode_cptr, SEL_OBJ_CNODE, SEL_RIGHT_WRITE, &cnode) != SEL_OK)
		return 0;
	for (; got < n; got++) {
		if (sendable_cap(from, sb->send_caps[got], &src) != SEL_OK ||
		    cspace_lookup(cnode, index + got, (uint32_t)depth, &dst) != SEL_OK ||
		    !cte_is_empty(dst) || cdt_copy(&kernel_cdt, src, dst, SEL_RIGHTS_ALL) != SEL_OK)
			break;
	}
	return got;
}

void ipc_deliver(struct tcb *from, struct tcb *to, const struct ipc_msg *m, uint64_t badge,
                 bool grant)
{
	uint64_t len = SEL_MSG_LENGTH(m->info), caps = SEL_MSG_CAPS(m->info), got = 0;
	struct sel_ipc_buffer *sb = ipc_buffer(from), *rb = ipc_buffer(to);
	uint64_t *r = to->ctx.regs;

	if (len > SEL_MSG_MAX_WORDS) /* checked when sent; never trusted further */
		len = SEL_MSG_MAX_WORDS;
	if (len > SEL_MSG_REG_WORDS && (!sb || !rb))
		len = SEL_MSG_REG_WORDS;
	if (len > SEL_MSG_REG_WORDS)
		memmove(&rb->mr[SEL_MSG_REG_WORDS], &sb->mr[SEL_MSG_REG_WORDS],
		        (len - SEL_MSG_REG_WORDS) * sizeof(uint64_t));
	if (caps && grant && sb && rb)
		got = transfer_caps(from, sb, to, rb, caps);
	r[REG_A0] = SEL_OK;
	r[REG_A0 + 1] = SEL_MSG_INFO(SEL_MSG_LABEL(m->info), got, len);
	for (unsigned i = 0; i < SEL_MSG_REG_WORDS; i++)
		r[REG_A0 + 2 + i] = m->mr[i];
	r[REG_A7] = badge;
}

void ipc_msg_from_args(const struct syscall_args *args, struct ipc_msg *m)
{
	m->info = args->a[1];
	for (unsigned i = 0; i < SEL_MSG_REG_WORDS; i++)
		m->mr[i] = args->a[2 + i];
}

void ipc_set_result(struct tcb *t, enum sel_error err)
{
	t->ctx.regs[REG_A0] = (uint64_t)err;
	for (unsigned i = 1; i < 8; i++)
		t->ctx.regs[REG_A0 + i] = 0;
}
