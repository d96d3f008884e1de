/* Helpers for the IDL tests: see idl_util.h. */
#include <sel/uintr.h>
#include "idl_util.h"

/* A server program in a new process with a new endpoint in `ep_slot`, not yet started. */
int idl_spawn(struct idl_server *s, unsigned region, const uint8_t *elf, size_t size,
              uint64_t ep_slot)
{
	int err = untyped_new(16, &s->ut);

	s->sp = (struct sel_spawner){ROOT, SEL_SLOT_VSPACE, REGION(region)};
	if (err == SEL_OK)
		err = cover(s->ut, SEL_SLOT_VSPACE, REGION(region));
	if (err == SEL_OK)
		err = object_new(s->ut, SEL_OBJ_ENDPOINT, 0, &s->ep);
	if (err == SEL_OK)
		err = untyped_new(19, &s->budget);
	if (err == SEL_OK)
		err = sel_process_create(&s->sp, s->budget, slots_new(SEL_PROCESS_SLOTS), elf, size,
		                         &s->p);
	if (err == SEL_OK)
		err = sel_process_give(&s->sp, &s->p, s->ep, ep_slot,
		                       SEL_RIGHT_READ | SEL_RIGHT_WRITE | SEL_RIGHT_GRANT);
	return err;
}

int idl_client_cap(const struct idl_server *s, uint64_t badge, uint64_t *slot)
{
	*slot = slot_new();
	return sel_cnode_mint(ROOT, *slot, s->ep, FULL, SEL_RIGHT_WRITE | SEL_RIGHT_GRANT, badge);
}

int idl_server_destroy(struct idl_server *s)
{
	return sel_process_destroy(&s->sp, &s->p);
}

int idl_raw_call(uint64_t ep, uint64_t label, const uint64_t *w, uint64_t words, uint64_t *info,
                 uint64_t *reply0)
{
	struct sel_ipc_buffer *b = sel_ipc_buffer();
	struct sel_msg m = {SEL_MSG_INFO(label, 0, words), {0}, 0};
	int err;

	for (uint64_t i = 0; i < words; i++) {
		if (i < SEL_MSG_REG_WORDS)
			m.mr[i] = w[i];
		else
			b->mr[i] = w[i];
	}
	err = sel_call(ep, &m);
	*info = m.info;
	*reply0 = m.mr[0];
	return err;
}

uint64_t idl_header(uint16_t ordinal, uint8_t kind, uint8_t version)
{
	return (uint64_t)ordinal | (uint64_t)kind << 16 | (uint64_t)version << 24;
}

int idl_async_equip(struct idl_server *s, uint64_t ut_slot, uint32_t ut_bits, uint64_t recv_slot,
                    uint64_t windows)
{
	uint64_t recv, ut;
	int err = object_new(s->ut, SEL_OBJ_UINTR_RECEIVER, 0, &recv);

	if (err == SEL_OK)
		err = sel_process_give(&s->sp, &s->p, recv, recv_slot,
		                       SEL_RIGHT_READ | SEL_RIGHT_WRITE | SEL_RIGHT_GRANT);
	if (err == SEL_OK)
		err = untyped_new(ut_bits, &ut);
	if (err == SEL_OK) /* moved in: the server's windows are retyped from it */
		err = sel_cnode_op(SEL_CNODE_MOVE, sel_slot_in(s->p.cnode, ut_slot, SEL_DEPTH_FULL),
		                   sel_slot_in(ROOT, ut, SEL_DEPTH_FULL), 0, 0);
	if (err == SEL_OK)
		err = cover(s->ut, s->p.vspace, windows);
	return err;
}

#define PEERS 11

static struct idl_async_peer *peers[PEERS];
static uint64_t my_receiver;

static void on_interrupt(uint64_t pending, struct sel_uintr_frame *frame)
{
	(void)frame;
	for (unsigned k = 0; k < PEERS; k++)
		if (peers[k] && (pending >> (2 * k) & 3))
			sel_idl_async_interrupt(&peers[k]->c, pending);
}

int idl_async_connect(struct idl_async_peer *p, uint32_t k, uint64_t ut, uint64_t cap,
                      struct sel_idl_future *futures, struct sel_idl_async_slot *slots,
                      uint32_t nslots)
{
	uint64_t to_me = slot_new(), closed = slot_new(), vaddr = REGION(45) + ((uint64_t)k << 17);
	int err = SEL_OK;

	if (k >= PEERS)
		return SEL_ERR_RANGE;
	if (!my_receiver) {
		err = object_new(ut, SEL_OBJ_UINTR_RECEIVER, 0, &my_receiver);
		if (err == SEL_OK)
			err = sel_uintr_register_handler(my_receiver, on_interrupt, 0);
	}
	if (err == SEL_OK)
		err = sel_uintr_create_sender(my_receiver, 2 * k, ROOT, to_me, FULL);
	if (err == SEL_OK)
		err = sel_uintr_create_sender(my_receiver, 2 * k + 1, ROOT, closed, FULL);
	if (err == SEL_OK)
		err = cover(ut, SEL_SLOT_VSPACE, vaddr);
	if (err == SEL_OK) {
		struct sel_idl_async_params params = {
		    cap,          to_me,           closed, 2 * k, 2 * k + 1,
		    slots_new(2), SEL_SLOT_VSPACE, vaddr,  k,     0};
		peers[k] = p;
		err = sel_idl_async_connect(&p->conn, &p->c, &params, futures, slots, nslots);
		if (err != SEL_OK)
			peers[k] = 0;
	}
	return err;
}
