/*
 * A scenario party: one process of a capability-rights scenario
 * (scenario.h, docs/scenarios.md). It starts with a0 = its party index,
 * finds the mailbox page the director mapped at SCEN_SHARED_VADDR, and
 * forever: waits (yielding) for a new step in its mailbox, performs it on
 * the slots of its own CSpace the step names, and writes the result.
 *
 * It never checks an outcome itself: it reports the error and what it saw
 * (badge, label, value, caps, rights, type), and the director judges. A
 * memory access runs under sel_catch_fault, so an access that must fault
 * is reported as SCEN_FAULT instead of killing the party.
 */
#include <sel/cap.h>
#include <sel/fault.h>
#include <sel/ipc.h>
#include <sel/thread.h>
#include <sel/uintr.h>
#include <sel/window.h>
#include <selene/bootinfo.h>
#include "scenario.h"

#define FULL     SEL_DEPTH_FULL
#define CNODE    SEL_SLOT_CNODE
#define PATIENCE 2000u /* yields for an interrupt already sent to arrive */

int main(uint64_t me);

static volatile uint64_t uintr_seen; /* every vector the handler was given */

static void on_uintr(uint64_t pending, struct sel_uintr_frame *frame)
{
	(void)frame;
	uintr_seen |= pending;
}

static uint64_t map_addr(uint64_t slot)
{
	return SCEN_MAP_BASE + (slot - SCEN_FIRST_SLOT) * SCEN_MAP_STRIDE;
}

struct access {
	uint64_t addr, value;
};

static void do_read(void *arg)
{
	struct access *a = arg;
	a->value = *(volatile uint64_t *)a->addr;
}

static void do_write(void *arg)
{
	const struct access *a = arg;
	*(volatile uint64_t *)a->addr = a->value;
}

static int64_t message(const struct scen_step *s, struct scen_result *r)
{
	struct sel_ipc_buffer *b = sel_ipc_buffer();
	uint64_t caps = s->cap2 != SCEN_NONE;
	struct sel_msg m = {SEL_MSG_INFO(s->label, caps, 1), {s->value, 0, 0, 0, 0}, 0};
	int err;

	if (s->lease != SCEN_NONE) { /* lend [map_addr(lease), + index) with `rights` */
		m.info = SEL_MSG_INFO(s->label, caps, 3) | SEL_MSG_LEASE;
		m.mr[1] = map_addr(s->lease);
		m.mr[2] = SEL_LEASE_WORD(s->index, s->rights);
	}
	b->send_caps[0] = s->cap2;
	if (s->op == SCEN_OP_SEND)
		err = sel_send(s->cap, &m);
	else if (s->op == SCEN_OP_NBSEND)
		err = sel_nb_send(s->cap, &m);
	else
		err = sel_call(s->cap, &m);
	if (s->op == SCEN_OP_CALL && err == SEL_OK) {
		r->label = SEL_MSG_LABEL(m.info);
		r->value = m.mr[0];
		r->caps = SEL_MSG_CAPS(m.info);
	}
	return err;
}

static int64_t receive(const struct scen_step *s, struct scen_result *r)
{
	struct sel_ipc_buffer *b = sel_ipc_buffer();
	struct sel_msg m = {0};
	int err;

	b->recv_cnode = CNODE;
	b->recv_index = s->cap2;
	b->recv_depth = s->cap2 != SCEN_NONE ? FULL : 0;
	err = s->op == SCEN_OP_RECV ? sel_recv(s->cap, &m) : sel_nb_recv(s->cap, &m);
	if (err == SEL_OK) {
		r->badge = m.badge;
		r->label = SEL_MSG_LABEL(m.info);
		r->value = m.mr[0];
		r->caps = SEL_MSG_CAPS(m.info);
	}
	return err;
}

/* Map or unmap the frame or window in slot s->cap (its type decides which). */
static int64_t mapping(const struct scen_step *s)
{
	struct sel_identity id;
	int err = sel_cnode_identify(CNODE, s->cap, FULL, &id);

	if (err != SEL_OK)
		return err;
	if (id.type == SEL_OBJ_WINDOW)
		return s->op == SCEN_OP_MAP
		           ? sel_window_map(s->cap, SEL_SLOT_VSPACE, map_addr(s->cap), s->rights, 0,
		                            (uint32_t)s->index)
		           : sel_window_unmap(s->cap);
	return s->op == SCEN_OP_MAP
	           ? sel_frame_map(s->cap, SEL_SLOT_VSPACE, map_addr(s->cap), s->rights)
	           : sel_frame_unmap(s->cap);
}

static int64_t memory(const struct scen_step *s, struct scen_result *r)
{
	struct access a = {map_addr(s->cap) + s->index, s->value};
	struct sel_fault_info fi;

	if (sel_catch_fault(s->op == SCEN_OP_READ ? do_read : do_write, &a, &fi))
		return SCEN_FAULT;
	if (s->op == SCEN_OP_READ)
		r->value = a.value;
	return SEL_OK;
}

static int64_t cnode_op(const struct scen_step *s)
{
	static const uint64_t label[] = {
	    [SCEN_OP_COPY] = SEL_CNODE_COPY,
	    [SCEN_OP_MINT] = SEL_CNODE_MINT,
	    [SCEN_OP_MUTATE] = SEL_CNODE_MUTATE,
	    [SCEN_OP_MOVE] = SEL_CNODE_MOVE,
	};
	return sel_cnode_op(label[s->op], sel_slot_in(CNODE, s->cap2, FULL),
	                    sel_slot_in(CNODE, s->cap, FULL), s->rights, s->badge);
}

static int64_t identify(const struct scen_step *s, struct scen_result *r)
{
	struct sel_identity id;
	int err = sel_cnode_identify(CNODE, s->cap, FULL, &id);

	r->type = id.type;
	r->rights = id.rights;
	r->badge = id.badge;
	return err;
}

/* Yields until every vector of want_value has been seen (or a while, for none). */
static int64_t interrupts(const struct scen_step *s, struct scen_result *r)
{
	unsigned n = s->want_value ? PATIENCE : 200;

	for (unsigned i = 0; i < n && (uintr_seen & s->want_value) != s->want_value; i++)
		sel_yield();
	if (!s->want_value)
		for (unsigned i = 0; i < 200; i++)
			sel_yield();
	r->value = uintr_seen;
	return SEL_OK;
}

/* The TCB methods, on the TCB in slot s->cap (a second cap, if any, in s->cap2). */
static int64_t tcb_op(const struct scen_step *s, struct scen_result *r)
{
	struct sel_thread_info st = {0};
	int err;

	switch (s->op) {
	case SCEN_OP_SUSPEND:
		return sel_tcb_suspend(s->cap);
	case SCEN_OP_RESUME:
		return sel_tcb_resume(s->cap);
	case SCEN_OP_GET_STATE:
		err = sel_tcb_get_state(s->cap, &st);
		r->value = st.state;
		return err;
	case SCEN_OP_SET_PRIORITY:
		return sel_tcb_set_priority(s->cap, s->cap2, s->value);
	case SCEN_OP_BIND_NOTIFICATION:
		return sel_tcb_bind_notification(s->cap, s->cap2);
	case SCEN_OP_SET_FAULT_ENDPOINT:
		return sel_tcb_set_fault_endpoint(s->cap, s->cap2);
	default:
		return SEL_ERR_INVALID_ARG;
	}
}

static int64_t perform(const struct scen_step *s, struct scen_result *r)
{
	uint64_t word = 0;
	int64_t err;

	switch (s->op) {
	case SCEN_OP_SEND:
	case SCEN_OP_NBSEND:
	case SCEN_OP_CALL:
		return message(s, r);
	case SCEN_OP_RECV:
	case SCEN_OP_NBRECV:
		return receive(s, r);
	case SCEN_OP_REPLY: {
		struct sel_msg m = {SEL_MSG_INFO(s->label, 0, 1), {s->value, 0, 0, 0, 0}, 0};
		return sel_reply(&m);
	}
	case SCEN_OP_SIGNAL:
		return sel_signal(s->cap);
	case SCEN_OP_WAIT:
	case SCEN_OP_POLL:
		err = s->op == SCEN_OP_WAIT ? sel_wait(s->cap, &word) : sel_poll(s->cap, &word);
		r->value = word;
		return err;
	case SCEN_OP_MAP:
	case SCEN_OP_UNMAP:
		return mapping(s);
	case SCEN_OP_READ:
	case SCEN_OP_WRITE:
		return memory(s, r);
	case SCEN_OP_COPY:
	case SCEN_OP_MINT:
	case SCEN_OP_MUTATE:
	case SCEN_OP_MOVE:
		return cnode_op(s);
	case SCEN_OP_DELETE:
		return sel_cnode_delete(CNODE, s->cap, FULL, 0);
	case SCEN_OP_REVOKE:
		return sel_cnode_revoke(CNODE, s->cap, FULL, 0);
	case SCEN_OP_IDENTIFY:
		return identify(s, r);
	case SCEN_OP_RETYPE:
		return sel_untyped_retype(s->cap, (enum sel_object_type)s->badge,
		                          (uint32_t)s->index, CNODE, s->cap2, 1);
	case SCEN_OP_REGISTER:
		return sel_uintr_register_handler(s->cap, on_uintr, 0);
	case SCEN_OP_CREATE_SENDER:
		return sel_uintr_create_sender(s->cap, s->index, CNODE, s->cap2, FULL);
	case SCEN_OP_INSTALL:
		return sel_uintr_install(s->cap, s->index);
	case SCEN_OP_UINTR_SEND:
		return sel_uintr_send(s->index);
	case SCEN_OP_INTERRUPTS:
		return interrupts(s, r);
	case SCEN_OP_LEASE_READ:
		err = sel_lease_read(s->index, &word, sizeof(word));
		r->value = word;
		return err;
	case SCEN_OP_LEASE_WRITE:
		return sel_lease_write(s->index, &s->value, sizeof(s->value));
	default:
		return tcb_op(s, r);
	}
}

int main(uint64_t me)
{
	struct scen_shared *sh = (struct scen_shared *)SCEN_SHARED_VADDR;
	struct scen_mailbox *box = &sh->box[me];
	uint64_t seen = 0;

	for (;;) {
		while (__atomic_load_n(&box->posted, __ATOMIC_ACQUIRE) == seen)
			sel_yield();
		seen = box->posted;
		struct scen_step s = box->step;
		struct scen_result *r = &sh->result[box->index];
		r->err = perform(&s, r);
		__atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
	}
}
