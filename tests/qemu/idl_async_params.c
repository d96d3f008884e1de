/*
 * The test service (idl/idltest.idl) over the asynchronous transport,
 * compared method by method with the same service over the synchronous
 * one: two servers from one program, each in its own address space, called
 * through the same generated stubs with the same arguments.
 */
#include <sel/string.h>
#include "idl_util.h"
#include "idltest_client.h"

extern const uint8_t embedded_idltest_server_start[], embedded_idltest_server_end[];

/* The test service's server in a new process: sync (arg 0) or async (IDLTEST_ASYNC_ARG). */
static int spawn_idltest(struct idl_server *s, unsigned region, uint64_t ntfn, uint64_t arg)
{
	int err = idl_spawn(s, region, embedded_idltest_server_start,
	                    (size_t)(embedded_idltest_server_end - embedded_idltest_server_start),
	                    IDLTEST_SLOT_EP);

	if (err == SEL_OK)
		err = sel_process_give(&s->sp, &s->p, ntfn, IDLTEST_SLOT_NTFN,
		                       SEL_RIGHT_READ | SEL_RIGHT_WRITE);
	if (err == SEL_OK && arg)
		err = idl_async_equip(s, IDLTEST_SLOT_UT, 19, IDLTEST_SLOT_RECV, IDLTEST_WINDOWS);
	return err != SEL_OK ? err : sel_process_start(&s->p, arg);
}

static struct idl_async_peer peer;
static struct sel_idl_future afutures[8], sfutures[1];
static struct sel_idl_async_slot aslots[8];
static struct sel_idl_sync_slot sslots[1];
static struct sel_idl_sync_client sclient;
static struct sel_idl_conn sconn;

TEST(IDL_0607, "every method of the test service gives over async what it gives over sync")
{
	static uint8_t raw[300], blob[1024], raw2[2][300], blob2[2][1024];
	static const size_t sizes[][2] = {{0, 0}, {1, 1}, {300, 1024}, {17, 1023}, {300, 0}};
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
	struct idl_server as, ss;
	struct sel_idl_conn *c[2] = {&peer.conn, &sconn};
	uint64_t ut, ntfn, cap, who[2], total[2], served[2];
	uint8_t a[2];
	int16_t b[2];
	uint32_t cc[2];
	int64_t d[2];
	bool e[2];
	enum idltest_color f[2];
	char s2[2][65];
	size_t n1[2], n2[2];

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_NOTIFICATION, 0, &ntfn), SEL_OK);
	CHECK_EQ(t, spawn_idltest(&as, 60, ntfn, IDLTEST_ASYNC_ARG(1, 8, 17)), SEL_OK);
	CHECK_EQ(t, idl_client_cap(&as, 0x77, &cap), SEL_OK);
	CHECK_EQ(t, idl_async_connect(&peer, 0, ut, cap, afutures, aslots, 8), SEL_OK);
	CHECK_EQ(t, spawn_idltest(&ss, 61, ntfn, 0), SEL_OK);
	CHECK_EQ(t, idl_client_cap(&ss, 0x77, &cap), SEL_OK);
	sel_idl_sync_connect(&sconn, &sclient, cap, 0, sfutures, sslots, 1);
	for (unsigned i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		for (unsigned k = 0; k < 2; k++)
			CHECK_EQ(t,
			         idltest_scalars(c[k], v[i].a, v[i].b, v[i].c, v[i].d, v[i].e,
			                         v[i].f, &a[k], &b[k], &cc[k], &d[k], &e[k], &f[k]),
			         SEL_OK);
		CHECK(t, a[0] == a[1] && b[0] == b[1] && cc[0] == cc[1] && d[0] == d[1] &&
		             e[0] == e[1] && f[0] == f[1]);
		CHECK(t, a[0] == v[i].a && d[0] == v[i].d && f[0] == v[i].f);
	}
	for (unsigned k = 0; k < 2; k++)
		CHECK_EQ(t,
		         idltest_scalars(c[k], 1, 1, 1, 1, true, (enum idltest_color)4, &a[k],
		                         &b[k], &cc[k], &d[k], &e[k], &f[k]),
		         SEL_ERR_INVALID_ARG);
	struct idltest_point p = {-5, 7, IDLTEST_COLOR_BLUE, "point"}, q[2];
	uint16_t in[8] = {1, 2, 3, 4, 5, 6, 7, 0xffff}, out[2][8];
	for (unsigned k = 0; k < 2; k++)
		CHECK_EQ(t, idltest_shapes(c[k], &p, in, &q[k], out[k]), SEL_OK);
	CHECK(t, memcmp(&q[0], &q[1], sizeof(q[0])) == 0 && memcmp(out[0], out[1], 16) == 0);
	CHECK(t, q[0].x == 7 && out[0][0] == 0xffff);
	for (unsigned z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
		for (unsigned i = 0; i < sizeof(blob); i++)
			blob[i] = (uint8_t)(i * 13 + z);
		for (unsigned i = 0; i < sizeof(raw); i++)
			raw[i] = (uint8_t)(i * 5 + z);
		for (unsigned k = 0; k < 2; k++)
			CHECK_EQ(t,
			         idltest_texts(c[k], "caf\xc3\xa9", raw, sizes[z][0], blob,
			                       sizes[z][1], s2[k], raw2[k], &n1[k], blob2[k],
			                       &n2[k]),
			         SEL_OK);
		CHECK(t, strcmp(s2[0], s2[1]) == 0 && strcmp(s2[0], "caf\xc3\xa9") == 0);
		CHECK(t, n1[0] == sizes[z][0] && n1[1] == n1[0] &&
		             memcmp(raw2[0], raw, n1[0]) == 0 && memcmp(raw2[1], raw, n1[0]) == 0);
		CHECK(t, n2[0] == sizes[z][1] && n2[1] == n2[0] &&
		             memcmp(blob2[0], blob, n2[0]) == 0 &&
		             memcmp(blob2[1], blob, n2[0]) == 0);
	}
	for (unsigned k = 0; k < 2; k++)
		CHECK_EQ(t, idltest_whoami(c[k], &who[k]), SEL_OK);
	CHECK_EQ(t, who[0], 0x77); /* the badge of the cap the session was opened with */
	CHECK_EQ(t, who[1], 0x77);
	for (uint32_t x = 0; x < 6; x++)
		CHECK_EQ(t, idltest_check(c[0], x), idltest_check(c[1], x));
	CHECK_EQ(t, idltest_check(c[0], 3), IDLTEST_ERROR_ODD);
	CHECK_EQ(t, idltest_check(c[0], 0), IDLTEST_ERROR_ZERO);
	for (uint32_t x = 1; x <= 20; x++)
		for (unsigned k = 0; k < 2; k++)
			CHECK_EQ(t, idltest_note(c[k], x), SEL_OK);
	for (unsigned k = 0; k < 2; k++)
		CHECK_EQ(t, idltest_notes(c[k], &total[k], &served[k]), SEL_OK);
	CHECK_EQ(t, total[0], 210);
	CHECK_EQ(t, total[1], 210);
	CHECK_EQ(t, served[0], served[1] + 2); /* the same requests, and two more checks */
	CHECK_EQ(t, idl_server_destroy(&as), SEL_OK);
	CHECK_EQ(t, idl_server_destroy(&ss), SEL_OK);
}

static struct idl_async_peer peer2;
static struct sel_idl_future afutures2[8], sfutures2[1];
static struct sel_idl_async_slot aslots2[8];
static struct sel_idl_sync_slot sslots2[1];
static struct sel_idl_sync_client sclient2;
static struct sel_idl_conn sconn2;

/* give(cap) over connection c; what the server's signal left in ntfn (0: nothing). */
static int give(struct sel_idl_conn *c, uint64_t slot, uint32_t rights, uint64_t ntfn,
                uint64_t *word)
{
	struct sel_idl_cap n = {slot, rights, SEL_OBJ_NOTIFICATION}; /* rights, type: ignored */
	int rc = idltest_give(c, n);

	*word = ~0ull;
	sel_poll(ntfn, word);
	return rc;
}

TEST(IDL_0613, "capabilities and leases over async (a Call on the session's endpoint, served by "
               "the server's side thread) give what they give over sync")
{
	static uint8_t src[4096], dst[2][4096];
	static const uint32_t lens[] = {1, 64, 1000, 4096};
	struct idl_server as, ss;
	struct sel_idl_conn *c[2] = {&peer2.conn, &sconn2};
	struct sel_idl_future *f[4];
	struct sel_idl_cap got[2];
	uint64_t ut, ntfn, cap, wo, ro, ep, word[2], sum[2], who;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_NOTIFICATION, 0, &ntfn), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, spawn_idltest(&as, 62, ntfn, IDLTEST_ASYNC_ARG(1, 8, 17)), SEL_OK);
	CHECK_EQ(t, idl_client_cap(&as, 0x78, &cap), SEL_OK);
	CHECK_EQ(t, idl_async_connect(&peer2, 1, ut, cap, afutures2, aslots2, 8), SEL_OK);
	peer2.c.side.cap_slot = slots_new(3); /* where caps in side replies land */
	CHECK_EQ(t, spawn_idltest(&ss, 63, ntfn, 0), SEL_OK);
	CHECK_EQ(t, idl_client_cap(&ss, 0x78, &cap), SEL_OK);
	sel_idl_sync_connect(&sconn2, &sclient2, cap, slots_new(3), sfutures2, sslots2, 1);
	wo = slot_new();
	CHECK_EQ(t, sel_cnode_mint(ROOT, wo, ntfn, FULL, SEL_RIGHT_WRITE, 0x8), SEL_OK);
	ro = slot_new();
	CHECK_EQ(t, sel_cnode_mint(ROOT, ro, ntfn, FULL, SEL_RIGHT_READ, 0x5), SEL_OK);
	for (unsigned k = 0; k < 2; k++) {
		/* A notification with Write reaches the server, which signals it (badge 8). */
		CHECK_EQ(t, give(c[k], wo, 0, ntfn, &word[k]), SEL_OK);
		CHECK_EQ(t, word[k], 0x8);
		/* Without Write, or an endpoint: refused whatever the client's struct claims. */
		CHECK_EQ(t, give(c[k], ro, SEL_RIGHT_WRITE, ntfn, &word[k]), SEL_ERR_NO_RIGHTS);
		CHECK_EQ(t, word[k], 0);
		CHECK_EQ(t, give(c[k], ep, SEL_RIGHT_WRITE, ntfn, &word[k]), SEL_ERR_WRONG_TYPE);
		/* A cap in the reply: type and rights from the kernel; the same object. */
		CHECK_EQ(t, idltest_take(c[k], &got[k]), SEL_OK);
		CHECK_EQ(t, got[k].type, SEL_OBJ_NOTIFICATION);
		CHECK_EQ(t, got[k].rights, SEL_RIGHT_READ | SEL_RIGHT_WRITE);
		CHECK_EQ(t, sel_signal(wo), SEL_OK);
		CHECK_EQ(t, sel_poll(got[k].slot, &word[k]), SEL_OK);
		CHECK_EQ(t, word[k], 0x8);
		CHECK_EQ(t, sel_cnode_delete(ROOT, got[k].slot, FULL, 0), SEL_OK);
	}
	/* Leases in: summed by the server through the kernel, the same sums both ways. */
	for (unsigned i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)(i * 7 + 3);
	for (unsigned z = 0; z < sizeof(lens) / sizeof(lens[0]); z++) {
		uint64_t expect = 0;
		for (uint32_t i = 0; i < lens[z]; i++)
			expect += src[i];
		for (unsigned k = 0; k < 2; k++)
			CHECK_EQ(t, idltest_lease_sum(c[k], src, lens[z], lens[z], &sum[k]),
			         SEL_OK);
		CHECK_EQ(t, sum[0], expect);
		CHECK_EQ(t, sum[1], expect);
	}
	for (unsigned k = 0; k < 2; k++) {
		/* Reading past the lease: the kernel refuses; over its bound: the stub does. */
		CHECK_EQ(t, idltest_lease_sum(c[k], src, 64, 65, &sum[k]), SEL_ERR_RANGE);
		CHECK_EQ(t, idltest_lease_sum(c[k], src, 4097, 1, &sum[k]), SEL_ERR_RANGE);
		/* A lease out: the server writes exactly the lent range. */
		CHECK_EQ(t, idltest_lease_fill(c[k], dst[k], 100, 0x5a), SEL_OK);
		CHECK(t, dst[k][0] == 0x5a && dst[k][99] == 0x5a && dst[k][100] == 0);
	}
	CHECK(t, memcmp(dst[0], dst[1], sizeof(dst[0])) == 0);
	/* Between calls in flight in the window: a side call completes at once, they go on. */
	for (unsigned i = 0; i < 4; i++)
		f[i] = idltest_whoami_async(c[0]);
	struct sel_idl_future *g = idltest_give_async(c[0], (struct sel_idl_cap){wo, 0, 0});
	CHECK(t, sel_idl_future_poll(g) != SEL_ERR_WOULD_BLOCK); /* resolved: it was a Call */
	CHECK_EQ(t, idltest_give_finish(g), SEL_OK);
	CHECK_EQ(t, sel_poll(ntfn, &word[0]), SEL_OK);
	CHECK_EQ(t, word[0], 0x8);
	for (unsigned i = 0; i < 4; i++) {
		CHECK_EQ(t, idltest_whoami_finish(f[i], &who), SEL_OK);
		CHECK_EQ(t, who, 0x78); /* the badge of the session's cap, both channels */
	}
	CHECK(t, peer2.c.side_calls >= 11);
	CHECK_EQ(t, idl_server_destroy(&as), SEL_OK);
	CHECK_EQ(t, idl_server_destroy(&ss), SEL_OK);
	/* The server gone (its side of the session closed): a side call is a dead peer. */
	CHECK_EQ(t, give(c[0], wo, 0, ntfn, &word[0]), SEL_ERR_PEER_DEAD);
}
