/*
 * The test service (idl/idltest.idl) over the synchronous transport, across
 * address spaces: every parameter kind through the generated stubs to the
 * generated skeleton in the server's process and back, capabilities and
 * leases through the kernel, and requests the stubs would never send.
 */
#include <sel/string.h>
#include "idl_util.h"
#include "idltest_client.h"

#define NSLOTS 2

extern const uint8_t embedded_idltest_server_start[], embedded_idltest_server_end[];

/* The test service's server in a new process; `ntfn` (Read and Write) becomes its own. */
static int spawn_idltest(struct idl_server *s, unsigned region, uint64_t ntfn)
{
	int err = idl_spawn(s, region, embedded_idltest_server_start,
	                    (size_t)(embedded_idltest_server_end - embedded_idltest_server_start),
	                    IDLTEST_SLOT_EP);

	if (err == SEL_OK)
		err = sel_process_give(&s->sp, &s->p, ntfn, IDLTEST_SLOT_NTFN,
		                       SEL_RIGHT_READ | SEL_RIGHT_WRITE);
	return err != SEL_OK ? err : sel_process_start(&s->p, 0);
}

static struct sel_idl_future futures[NSLOTS];
static struct sel_idl_sync_slot slots[NSLOTS];
static struct sel_idl_sync_client client;
static struct sel_idl_conn conn;

/* The server with its own notification (ours too), and a connection with `badge`. */
static int start(struct idl_server *srv, unsigned region, uint64_t badge, uint64_t *ntfn)
{
	uint64_t ut, cap;
	int err = untyped_new(12, &ut);

	if (err == SEL_OK)
		err = object_new(ut, SEL_OBJ_NOTIFICATION, 0, ntfn);
	if (err == SEL_OK)
		err = spawn_idltest(srv, region, *ntfn);
	if (err == SEL_OK)
		err = idl_client_cap(srv, badge, &cap);
	if (err == SEL_OK)
		sel_idl_sync_connect(&conn, &client, cap, slots_new(3), futures, slots, NSLOTS);
	return err;
}

TEST(IDL_0510, "scalars, enums, a struct with a string and an array cross address spaces intact")
{
	static const struct {
		uint8_t a;
		int16_t b;
		uint32_t c;
		int64_t d;
		bool e;
		enum idltest_color f;
	} v[] = {
	    {0, 0, 0, 0, false, IDLTEST_COLOR_RED},
	    {255, -32768, 0xffffffffu, INT64_MIN, true, IDLTEST_COLOR_GREEN},
	    {1, 32767, 0x80000001u, INT64_MAX, false, IDLTEST_COLOR_BLUE},
	};
	struct idl_server srv;
	uint64_t ntfn;
	uint8_t a;
	int16_t b;
	uint32_t c;
	int64_t d;
	bool e;
	enum idltest_color f;

	CHECK_EQ(t, start(&srv, 40, 0x21, &ntfn), SEL_OK);
	for (unsigned i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		CHECK_EQ(t,
		         idltest_scalars(&conn, v[i].a, v[i].b, v[i].c, v[i].d, v[i].e, v[i].f, &a,
		                         &b, &c, &d, &e, &f),
		         SEL_OK);
		CHECK(t, a == v[i].a && b == v[i].b && c == v[i].c && d == v[i].d && e == v[i].e &&
		             f == v[i].f);
	}
	/* An enum value that is not a member is refused before anything is sent. */
	CHECK_EQ(
	    t,
	    idltest_scalars(&conn, 1, 1, 1, 1, true, (enum idltest_color)4, &a, &b, &c, &d, &e, &f),
	    SEL_ERR_INVALID_ARG);
	struct idltest_point p = {-5, 7, IDLTEST_COLOR_BLUE, "point"}, q;
	uint16_t in[8] = {1, 2, 3, 4, 5, 6, 7, 0xffff}, out[8];
	CHECK_EQ(t, idltest_shapes(&conn, &p, in, &q, out), SEL_OK);
	CHECK(t, q.x == 7 && q.y == -5 && q.color == IDLTEST_COLOR_BLUE &&
	             strcmp(q.tag, "point") == 0);
	for (unsigned i = 0; i < 8; i++)
		CHECK_EQ(t, out[i], in[7 - i]);
	CHECK_EQ(t, idl_server_destroy(&srv), SEL_OK);
}

TEST(IDL_0511, "a string, bytes and opaque bytes of every size come back byte for byte")
{
	static uint8_t raw[300], blob[1024], raw2[300], blob2[1024];
	static const size_t sizes[][2] = {{0, 0}, {1, 1}, {300, 1024}, {17, 1023}, {300, 0}};
	struct idl_server srv;
	uint64_t ntfn;
	char s2[65];
	size_t n1, n2;

	CHECK_EQ(t, start(&srv, 41, 0x22, &ntfn), SEL_OK);
	for (unsigned k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		for (unsigned i = 0; i < sizeof(blob); i++)
			blob[i] = (uint8_t)(i * 13 + k);
		for (unsigned i = 0; i < sizeof(raw); i++)
			raw[i] = (uint8_t)(i * 5 + k);
		CHECK_EQ(t,
		         idltest_texts(&conn, "caf\xc3\xa9", raw, sizes[k][0], blob, sizes[k][1],
		                       s2, raw2, &n1, blob2, &n2),
		         SEL_OK);
		CHECK(t, strcmp(s2, "caf\xc3\xa9") == 0);
		CHECK(t, n1 == sizes[k][0] && memcmp(raw, raw2, n1) == 0);
		CHECK(t, n2 == sizes[k][1] && memcmp(blob, blob2, n2) == 0);
	}
	CHECK_EQ(t, idl_server_destroy(&srv), SEL_OK);
}

TEST(IDL_0512, "the badge of each client's endpoint cap reaches the handler as its identity")
{
	struct idl_server srv;
	uint64_t ntfn, cap2, who = 0;
	static struct sel_idl_future f2[1];
	static struct sel_idl_sync_slot s2[1];
	static struct sel_idl_sync_client c2;
	static struct sel_idl_conn conn2;

	CHECK_EQ(t, start(&srv, 42, 0x23, &ntfn), SEL_OK);
	CHECK_EQ(t, idl_client_cap(&srv, 0x4242, &cap2), SEL_OK);
	sel_idl_sync_connect(&conn2, &c2, cap2, 0, f2, s2, 1);
	CHECK_EQ(t, idltest_whoami(&conn, &who), SEL_OK);
	CHECK_EQ(t, who, 0x23);
	CHECK_EQ(t, idltest_whoami(&conn2, &who), SEL_OK);
	CHECK_EQ(t, who, 0x4242);
	CHECK_EQ(t, idl_server_destroy(&srv), SEL_OK);
}

TEST(IDL_0513, "capabilities go through the kernel with their rights and type checked from the "
               "kernel's word, both ways")
{
	struct idl_server srv;
	uint64_t ntfn, ut, ro, wo, ep, word = 0;
	struct sel_idl_cap got;

	CHECK_EQ(t, start(&srv, 43, 0x24, &ntfn), SEL_OK);
	CHECK_EQ(t, untyped_new(12, &ut), SEL_OK);
	/* A notification with Write (badge 8): the server signals it. */
	wo = slot_new();
	CHECK_EQ(t, sel_cnode_mint(ROOT, wo, ntfn, FULL, SEL_RIGHT_WRITE, 0x8), SEL_OK);
	struct sel_idl_cap n = {wo, 0, 0}; /* rights and type here are ignored */
	CHECK_EQ(t, idltest_give(&conn, n), SEL_OK);
	CHECK_EQ(t, sel_poll(ntfn, &word), SEL_OK);
	CHECK_EQ(t, word, 0x8);
	/* Without Write: refused by the skeleton, nothing signalled. */
	ro = slot_new();
	CHECK_EQ(t, sel_cnode_mint(ROOT, ro, ntfn, FULL, SEL_RIGHT_READ, 0x5), SEL_OK);
	n = (struct sel_idl_cap){ro, SEL_RIGHT_WRITE, SEL_OBJ_NOTIFICATION}; /* a lie */
	CHECK_EQ(t, idltest_give(&conn, n), SEL_ERR_NO_RIGHTS);
	CHECK_EQ(t, sel_poll(ntfn, &word), SEL_OK);
	CHECK_EQ(t, word, 0);
	/* An endpoint where a notification is declared. */
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	n = (struct sel_idl_cap){ep, SEL_RIGHT_WRITE, SEL_OBJ_NOTIFICATION};
	CHECK_EQ(t, idltest_give(&conn, n), SEL_ERR_WRONG_TYPE);
	/* The server kept none of them: its receive slots are empty again. */
	n = (struct sel_idl_cap){wo, 0, 0};
	CHECK_EQ(t, idltest_give(&conn, n), SEL_OK);
	CHECK_EQ(t, sel_poll(ntfn, &word), SEL_OK);
	CHECK_EQ(t, word, 0x8);
	/* A cap in the reply: the server's notification, which is ours. */
	CHECK_EQ(t, idltest_take(&conn, &got), SEL_OK);
	CHECK_EQ(t, got.slot, client.cap_slot);
	CHECK_EQ(t, got.type, SEL_OBJ_NOTIFICATION);
	CHECK_EQ(t, got.rights, SEL_RIGHT_READ | SEL_RIGHT_WRITE);
	CHECK_EQ(t, ident(got.slot).type, SEL_OBJ_NOTIFICATION);
	CHECK_EQ(t, sel_signal(wo), SEL_OK);
	CHECK_EQ(t, sel_poll(got.slot, &word), SEL_OK); /* the same object */
	CHECK_EQ(t, word, 0x8);
	CHECK_EQ(t, sel_cnode_delete(ROOT, got.slot, FULL, 0), SEL_OK);
	CHECK_EQ(t, idl_server_destroy(&srv), SEL_OK);
}

TEST(IDL_0514, "leases in and out, typed errors and one-way requests")
{
	static uint8_t mem[4096];
	struct idl_server srv;
	uint64_t ntfn, sum = 0, expect = 0, total = 0, served = 0;

	CHECK_EQ(t, start(&srv, 44, 0x25, &ntfn), SEL_OK);
	for (unsigned i = 0; i < sizeof(mem); i++) {
		mem[i] = (uint8_t)(i * 31);
		expect += mem[i];
	}
	CHECK_EQ(t, idltest_lease_sum(&conn, mem, sizeof(mem), 4096, &sum), SEL_OK);
	CHECK_EQ(t, sum, expect);
	CHECK_EQ(t, idltest_lease_sum(&conn, mem, 10, 10, &sum), SEL_OK);
	CHECK_EQ(t, sum, 0 + 31 + 62 + 93 + 124 + 155 + 186 + 217 + 248 + (279 & 255));
	/* Reading past the lease: the kernel refuses, the handler reports it. */
	CHECK_EQ(t, idltest_lease_sum(&conn, mem, 10, 11, &sum), SEL_ERR_RANGE);
	/* More than the method declares: refused by the stub. */
	CHECK_EQ(t, idltest_lease_sum(&conn, mem, 4097, 1, &sum), SEL_ERR_RANGE);
	CHECK_EQ(t, idltest_lease_fill(&conn, mem + 100, 200, 0xab), SEL_OK);
	CHECK(t, mem[99] == (uint8_t)(99 * 31) && mem[100] == 0xab && mem[299] == 0xab &&
	             mem[300] == (uint8_t)(300 * 31));
	CHECK_EQ(t, idltest_check(&conn, 4), SEL_OK);
	CHECK_EQ(t, idltest_check(&conn, 3), IDLTEST_ERROR_ODD);
	CHECK_EQ(t, idltest_check(&conn, 0), IDLTEST_ERROR_ZERO);
	for (uint32_t i = 1; i <= 10; i++)
		CHECK_EQ(t, idltest_note(&conn, i), SEL_OK);
	CHECK_EQ(t, idltest_notes(&conn, &total, &served), SEL_OK);
	CHECK_EQ(t, total, 55);
	CHECK_EQ(t, served, 18); /* the stub sent no request it refused */
	CHECK_EQ(t, idl_server_destroy(&srv), SEL_OK);
}

TEST(IDL_0515, "wrong capability count or type, a lease larger than declared or where none is "
               "declared: an error reply, and the server's state unchanged")
{
	static uint8_t mem[8192];
	struct idl_server srv;
	uint64_t ntfn, ep, total = 0, served = 0;
	struct sel_ipc_buffer *b = sel_ipc_buffer();
	struct sel_msg m;

	CHECK_EQ(t, start(&srv, 45, 0x26, &ntfn), SEL_OK);
	ep = client.ep;
	CHECK_EQ(t, idltest_note(&conn, 5), SEL_OK);
	uint64_t give = idl_header(IDLTEST_METHOD_GIVE, SEL_IDL_KIND_REQUEST, 1);
	uint64_t sum = idl_header(IDLTEST_METHOD_LEASE_SUM, SEL_IDL_KIND_REQUEST, 1);
	/* give with no capability, and with two. */
	m = (struct sel_msg){SEL_MSG_INFO(SEL_IDL_SYNC_INLINE, 0, 1), {give}, 0};
	CHECK_EQ(t, sel_call(ep, &m), SEL_OK);
	CHECK_EQ(t, idl_status(m.mr[0]), SEL_ERR_PROTOCOL);
	b->send_caps[0] = ntfn;
	b->send_caps[1] = ntfn;
	m = (struct sel_msg){SEL_MSG_INFO(SEL_IDL_SYNC_INLINE, 2, 1), {give}, 0};
	CHECK_EQ(t, sel_call(ep, &m), SEL_OK);
	CHECK_EQ(t, idl_status(m.mr[0]), SEL_ERR_PROTOCOL);
	/* lease_sum lending 8192 bytes where 4096 are declared. */
	m = (struct sel_msg){SEL_MSG_INFO(SEL_IDL_SYNC_LEASE, 0, 4) | SEL_MSG_LEASE,
	                     {sum, 1, (uint64_t)mem, SEL_LEASE_WORD(8192, SEL_RIGHT_READ)},
	                     0};
	CHECK_EQ(t, sel_call(ep, &m), SEL_OK);
	CHECK_EQ(t, idl_status(m.mr[0]), SEL_ERR_PROTOCOL);
	/* lease_sum lending write-only memory where it reads. */
	m = (struct sel_msg){SEL_MSG_INFO(SEL_IDL_SYNC_LEASE, 0, 4) | SEL_MSG_LEASE,
	                     {sum, 1, (uint64_t)mem, SEL_LEASE_WORD(16, SEL_RIGHT_WRITE)},
	                     0};
	CHECK_EQ(t, sel_call(ep, &m), SEL_OK);
	CHECK_EQ(t, idl_status(m.mr[0]), SEL_ERR_NO_RIGHTS);
	/* lease_sum without its lease. */
	m = (struct sel_msg){SEL_MSG_INFO(SEL_IDL_SYNC_INLINE, 0, 2), {sum, 1}, 0};
	CHECK_EQ(t, sel_call(ep, &m), SEL_OK);
	CHECK_EQ(t, idl_status(m.mr[0]), SEL_ERR_PROTOCOL);
	/* A note claiming a lease (one-way methods declare none). */
	m = (struct sel_msg){SEL_MSG_INFO(SEL_IDL_SYNC_LEASE, 0, 4) | SEL_MSG_LEASE,
	                     {idl_header(IDLTEST_METHOD_NOTE, SEL_IDL_KIND_ONEWAY, 1), 100,
	                      (uint64_t)mem, SEL_LEASE_WORD(16, SEL_RIGHT_READ)},
	                     0};
	CHECK_EQ(t, sel_call(ep, &m), SEL_OK);
	CHECK_EQ(t, idl_status(m.mr[0]), SEL_ERR_PROTOCOL);
	/* Nothing changed: the total is the honest note's, every malformed request was answered. */
	CHECK_EQ(t, idltest_notes(&conn, &total, &served), SEL_OK);
	CHECK_EQ(t, total, 5);
	CHECK_EQ(t, served, 8);
	CHECK_EQ(t, idl_server_destroy(&srv), SEL_OK);
}
