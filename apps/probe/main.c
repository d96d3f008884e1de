/*
 * The CSpace probe (apps/probe): a component that reports every capability
 * it holds and tries each endpoint it finds, so a test can hold what a
 * component can reach against what its manifest declares
 * (tools/manifest/tests/placement_check.py probe).
 *
 * Started with a0 = its index in the manifest. It prints, each line
 * prefixed `probe <index>:`
 *   slot <n> type <t> rights 0x<r>     for every non-empty slot of its CNode
 *   slot <n> call <err>                a counter calls() on every endpoint
 *   slot <n> grant <err>               the same Call carrying a capability
 *   bind <err> calls <n>               counter calls() through its connection
 *                                      table (err 2: no connection)
 */
#include <sel/bind.h>
#include <sel/cap.h>
#include <sel/idl_sync.h>
#include <sel/ipc.h>
#include <sel/print.h>
#include <selene/bootinfo.h>
#include "counter_client.h" /* generated from idl/counter.idl */

#define MAX_SLOTS 4096 /* the largest CNode a manifest may give (cnode_bits 12) */

static struct sel_idl_future futures[1];
static struct sel_idl_sync_slot slots[1];
static struct sel_idl_sync_client client;
static struct sel_idl_conn conn;

/* A Call of `label` on slot with our CNode cap attached (needs Grant on the endpoint). */
static int call_with_cap(uint64_t slot)
{
	struct sel_msg m = {0};

	sel_ipc_buffer()->send_caps[0] = SEL_SLOT_CNODE;
	m.info = SEL_MSG_INFO(SEL_IDL_SYNC_INLINE, 1, 1);
	m.mr[0] = 0; /* not a request the skeleton accepts: only the kernel's verdict matters */
	return sel_call(slot, &m);
}

int main(uint64_t index);

int main(uint64_t index)
{
	uint64_t calls = 0;
	int err;

	for (uint64_t s = 1; s < MAX_SLOTS; s++) {
		struct sel_identity id;
		if (sel_cnode_identify(SEL_SLOT_CNODE, s, SEL_DEPTH_FULL, &id) != SEL_OK ||
		    id.type == SEL_OBJ_NULL)
			continue;
		sel_printf("probe %lu: slot %lu type %lu rights 0x%lx\n", index, s, id.type,
		           id.rights);
		if (id.type != SEL_OBJ_ENDPOINT)
			continue;
		sel_idl_sync_connect(&conn, &client, s, 0, futures, slots, 1);
		err = counter_calls(&conn, &calls);
		sel_printf("probe %lu: slot %lu call %d\n", index, s, err);
		sel_printf("probe %lu: slot %lu grant %d\n", index, s, call_with_cap(s));
	}
	struct sel_idl_conn *c = sel_bind("counter", &err);
	if (c)
		err = counter_calls(c, &calls);
	sel_printf("probe %lu: bind %d calls %lu\n", index, err, c ? calls : 0);
	return 0;
}
