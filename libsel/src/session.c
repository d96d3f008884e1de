/* Sessions: the open/accept/close protocol of <sel/session.h>. */
#include <sel/session.h>
#include <selene/bootinfo.h>
#include <sel/uintr.h>
#include <sel/window.h>

#define RW (SEL_RIGHT_READ | SEL_RIGHT_WRITE)

int sel_session_open(sel_cptr_t ep, sel_cptr_t my_sender, uint64_t slot, sel_cptr_t vspace,
                     uint64_t vaddr, uint32_t uitt_index, struct sel_session *s)
{
	struct sel_ipc_buffer *b = sel_ipc_buffer();
	struct sel_msg m = {SEL_MSG_INFO(SEL_SESSION_OPEN, 1, 0), {0}, 0};
	struct sel_window_info info;
	int err;

	b->send_caps[0] = my_sender;
	b->recv_cnode = SEL_SLOT_CNODE;
	b->recv_index = slot;
	b->recv_depth = SEL_DEPTH_FULL;
	err = sel_call(ep, &m);
	b->recv_depth = 0;
	if (err == SEL_OK && SEL_MSG_LENGTH(m.info) >= 1 && m.mr[0] != SEL_OK)
		err = (int)m.mr[0]; /* the server refused */
	else if (err == SEL_OK && SEL_MSG_CAPS(m.info) != 2)
		err = SEL_ERR_INVALID_ARG;
	if (err == SEL_OK)
		err = sel_window_info(slot, &info);
	if (err == SEL_OK)
		err = sel_window_map(slot, vspace, vaddr, RW, 0, 1);
	if (err == SEL_OK)
		err = sel_uintr_install(slot + 1, uitt_index);
	if (err != SEL_OK) { /* whatever arrived goes */
		sel_cnode_delete(SEL_SLOT_CNODE, slot + 1, SEL_DEPTH_FULL, 0);
		sel_cnode_delete(SEL_SLOT_CNODE, slot, SEL_DEPTH_FULL, 0);
		return err;
	}
	*s = (struct sel_session){slot, vaddr, info.size, uitt_index};
	return SEL_OK;
}

int sel_session_close(struct sel_session *s)
{
	int err = sel_uintr_uninstall(s->uitt_index);

	if (err == SEL_OK || err == SEL_ERR_EMPTY_SLOT)
		err = sel_cnode_delete(SEL_SLOT_CNODE, s->slot + 1, SEL_DEPTH_FULL, 0);
	if (err == SEL_OK) /* unmaps our side: the server is told */
		err = sel_cnode_delete(SEL_SLOT_CNODE, s->slot, SEL_DEPTH_FULL, 0);
	return err;
}

void sel_session_listen(uint64_t base)
{
	struct sel_ipc_buffer *b = sel_ipc_buffer();

	b->recv_cnode = SEL_SLOT_CNODE;
	b->recv_index = base + SEL_SESSION_TO_CLIENT;
	b->recv_depth = SEL_DEPTH_FULL;
}

/* The window, our side mapped, the senders made and the peers set. */
static int build(const struct sel_session_server *srv, uint64_t base, uint64_t vaddr,
                 uint64_t vector, uint64_t self_vector)
{
	uint64_t w = base + SEL_SESSION_WINDOW;
	int err = sel_untyped_retype(srv->untyped, SEL_OBJ_WINDOW, srv->window_bits, SEL_SLOT_CNODE,
	                             w, 1);

	if (err == SEL_OK)
		err = sel_cnode_mint(SEL_SLOT_CNODE, base + SEL_SESSION_CLIENT_COPY, w,
		                     SEL_DEPTH_FULL, RW, 0);
	if (err == SEL_OK)
		err = sel_window_map(w, srv->vspace, vaddr, RW, 0, 0);
	if (err == SEL_OK)
		err = sel_uintr_create_sender(srv->receiver, vector, SEL_SLOT_CNODE,
		                              base + SEL_SESSION_TO_SERVER, SEL_DEPTH_FULL);
	if (err == SEL_OK)
		err = sel_uintr_create_sender(srv->receiver, self_vector, SEL_SLOT_CNODE,
		                              base + SEL_SESSION_SELF, SEL_DEPTH_FULL);
	if (err ==
	    SEL_OK) /* side 0 (ours) is told when the client's goes, and side 1 the reverse */
		err = sel_window_set_peer(w, 0, base + SEL_SESSION_SELF);
	if (err == SEL_OK)
		err = sel_window_set_peer(w, 1, base + SEL_SESSION_TO_CLIENT);
	return err;
}

int sel_session_accept(const struct sel_session_server *srv, const struct sel_msg *request,
                       uint64_t base, uint64_t vaddr, uint64_t vector, uint64_t self_vector)
{
	struct sel_ipc_buffer *b = sel_ipc_buffer();
	struct sel_msg m = {SEL_MSG_INFO(0, 2, 1), {SEL_OK}, 0};
	int err = SEL_OK;

	b->recv_depth = 0;
	if (SEL_MSG_LABEL(request->info) != SEL_SESSION_OPEN || SEL_MSG_CAPS(request->info) != 1)
		err = SEL_ERR_INVALID_ARG;
	if (err == SEL_OK)
		err = build(srv, base, vaddr, vector, self_vector);
	if (err != SEL_OK) {
		sel_session_end(base);
		m = (struct sel_msg){SEL_MSG_INFO(0, 0, 1), {(uint64_t)err}, 0};
		sel_reply(&m);
		return err;
	}
	b->send_caps[0] = base + SEL_SESSION_CLIENT_COPY;
	b->send_caps[1] = base + SEL_SESSION_TO_SERVER;
	return sel_reply(&m); /* the client's caps are children of ours: a revoke takes them */
}

int sel_session_end(uint64_t base)
{
	int err = sel_cnode_revoke(SEL_SLOT_CNODE, base + SEL_SESSION_WINDOW, SEL_DEPTH_FULL, 0);

	if (err == SEL_OK || err == SEL_ERR_EMPTY_SLOT)
		err = sel_cnode_revoke(SEL_SLOT_CNODE, base + SEL_SESSION_TO_SERVER, SEL_DEPTH_FULL,
		                       0);

	for (uint64_t i = 0; i < SEL_SESSION_SLOTS; i++)
		sel_cnode_delete(SEL_SLOT_CNODE, base + i, SEL_DEPTH_FULL, 0);
	return err;
}
