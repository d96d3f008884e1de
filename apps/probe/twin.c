/*
 * The twin probe (apps/probe/twin.c): the program every process of a
 * system's probe twin runs (images/probe-<system>.elf, built from the
 * system's own manifest by `manifest.py generate --probe twin-probe`). The
 * root task wires the twin exactly as the real system, so the twin shows
 * what each component of the real system holds and can reach; the test
 * (PLACE_0014, placement_check.py twin) holds that against the manifest.
 *
 * Started with a0 = its index in the manifest. Each line is prefixed
 * `twin <index>:`:
 *   slot <n> type <t> rights 0x<r> badge <b>  every non-empty slot of its CNode
 *   conn <n> <service> <placement>             its connection table
 *   route <prefix> <service>                   its routes (<sel/names.h>)
 *   slot <n> call <err> server <k> badge <b>   a Call on every endpoint but its own:
 *                                              who answered, with which badge seen
 *   slot <n> grant <err>                       the same Call carrying a capability
 *   slot <n> recv <err>                        a non-blocking Recv on it (a client
 *                                              must not take its server's calls)
 *   done                                       then, if it provides a service,
 *   serving                                    it answers every Call with its
 *                                              index and the caller's badge
 */
#include <sel/bind.h>
#include <sel/cap.h>
#include <sel/ipc.h>
#include <sel/names.h>
#include <sel/print.h>
#include <selene/bootinfo.h>

#define MAX_SLOTS 4096   /* the largest CNode a manifest may give (cnode_bits 12) */
#define WHO       0x7770 /* the label of a probe's Call: "who are you" */

/* A Call of WHO on slot; the server's index and the badge it saw come back. */
static int who(uint64_t slot, uint64_t *server, uint64_t *badge)
{
	struct sel_msg m = {SEL_MSG_INFO(WHO, 0, 0), {0}, 0};
	int err = sel_call(slot, &m);

	*server = err == SEL_OK ? m.mr[0] : ~0ull;
	*badge = err == SEL_OK ? m.mr[1] : 0;
	return err;
}

/* The same Call with our CNode cap attached (needs Grant on the endpoint). */
static int who_with_cap(uint64_t slot)
{
	struct sel_msg m = {SEL_MSG_INFO(WHO, 1, 0), {0}, 0};

	sel_ipc_buffer()->send_caps[0] = SEL_SLOT_CNODE;
	return sel_call(slot, &m);
}

/* Every endpoint we hold but the one we serve: whom it reaches, and with which rights. */
static void reach(uint64_t index, uint64_t s, uint64_t own)
{
	struct sel_msg m = {0};
	uint64_t server, badge;
	int err;

	if (s == own)
		return;
	err = who(s, &server, &badge);
	sel_printf("twin %lu: slot %lu call %d server %ld badge %lu\n", index, s, err, (long)server,
	           badge);
	sel_printf("twin %lu: slot %lu grant %d\n", index, s, who_with_cap(s));
	sel_printf("twin %lu: slot %lu recv %d\n", index, s, sel_nb_recv(s, &m));
}

/* Answers every Call on ep with our index and the caller's badge, for good. */
static int serve(uint64_t index, uint64_t ep)
{
	struct sel_msg m = {0};
	int err = sel_recv(ep, &m);

	while (err == SEL_OK) {
		uint64_t badge = m.badge;
		m = (struct sel_msg){SEL_MSG_INFO(0, 0, 2), {index, badge}, 0};
		err = sel_reply_recv(ep, &m);
	}
	return err;
}

/*
 * sel_services (the table that says whether and where we serve) comes with
 * sel_serve(), which wants a dispatch function: the probe never calls it,
 * it answers raw Calls itself (serve()).
 */
static int refuse(void *ctx, uint64_t badge, const struct sel_idl_msg *req, struct sel_idl_msg *rep)
{
	(void)ctx;
	(void)badge;
	(void)req;
	(void)rep;
	return SEL_ERR_UNKNOWN_METHOD;
}

#define refuse_words NULL /* no register path (sel/idl_sync.h) */
SEL_SERVICE(refuse);

int main(uint64_t index);

int main(uint64_t index)
{
	uint64_t own = sel_services.magic == SEL_BIND_MAGIC ? sel_services.ep : 0;
	static const char *const placements[] = {"none", "direct", "sync", "async"};

	for (uint64_t s = 1; s < MAX_SLOTS; s++) {
		struct sel_identity id;
		if (sel_cnode_identify(SEL_SLOT_CNODE, s, SEL_DEPTH_FULL, &id) != SEL_OK ||
		    id.type == SEL_OBJ_NULL)
			continue;
		sel_printf("twin %lu: slot %lu type %lu rights 0x%lx badge %lu\n", index, s,
		           id.type, id.rights, id.badge);
		if (id.type == SEL_OBJ_ENDPOINT)
			reach(index, s, own);
	}
	for (uint32_t n = 0;
	     sel_connections.magic == SEL_BIND_MAGIC && n < sel_connections.n && n < SEL_BIND_MAX;
	     n++) {
		const struct sel_bind_entry *e = &sel_connections.e[n];
		sel_printf("twin %lu: conn %u %s %s\n", index, n, e->service,
		           placements[e->placement <= SEL_BIND_ASYNC ? e->placement : 0]);
	}
	for (uint32_t n = 0; n < sel_route_count(); n++)
		sel_printf("twin %lu: route %s %s\n", index, sel_route_at(n)->prefix,
		           sel_route_at(n)->name);
	sel_printf("twin %lu: done\n", index);
	if (!own)
		return 0;
	sel_printf("twin %lu: serving\n", index);
	return serve(index, own);
}
