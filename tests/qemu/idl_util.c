/* Helpers for the IDL tests: see idl_util.h. */
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
