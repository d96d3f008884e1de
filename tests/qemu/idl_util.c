/* Helpers for the IDL tests: see idl_util.h. */
#include "idl_util.h"
#include "echo_launch.h"

extern const uint8_t embedded_echo_server_start[], embedded_echo_server_end[];

int idl_spawn_echo(struct idl_server *s, unsigned region, uint64_t transport)
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
		err = sel_process_create(
		    &s->sp, s->budget, slots_new(SEL_PROCESS_SLOTS), embedded_echo_server_start,
		    (size_t)(embedded_echo_server_end - embedded_echo_server_start), &s->p);
	if (err == SEL_OK)
		err = sel_process_give(&s->sp, &s->p, s->ep, ECHO_SLOT_EP,
		                       SEL_RIGHT_READ | SEL_RIGHT_WRITE | SEL_RIGHT_GRANT);
	if (err == SEL_OK)
		err = sel_process_start(&s->p, transport);
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
