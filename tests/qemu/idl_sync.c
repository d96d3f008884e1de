/*
 * Generated services over the synchronous transport, across address spaces:
 * the test process calls the echo server (servers/echo, a process of its
 * own) through the stubs idlc generated from idl/echo.idl, and a raw client
 * sends what the stubs never would.
 */
#include <sel/string.h>
#include "echo_client.h"
#include "echo_launch.h"
#include "idl_util.h"

#define NSLOTS 2

static struct sel_idl_future futures[NSLOTS];
static struct sel_idl_sync_slot slots[NSLOTS];
static struct sel_idl_sync_client client;
static struct sel_idl_conn conn;

/* The echo server in its own process, and our connection to it. */
static int start(struct idl_server *srv, unsigned region, uint64_t badge)
{
	uint64_t cap;
	int err = idl_spawn_echo(srv, region, ECHO_SERVE_SYNC);

	if (err == SEL_OK)
		err = idl_client_cap(srv, badge, &cap);
	if (err == SEL_OK)
		sel_idl_sync_connect(&conn, &client, cap, 0, futures, slots, NSLOTS);
	return err;
}

TEST(IDL_0500, "echo_add over an endpoint Call reaches the echo server in its own address space")
{
	static const int64_t a[] = {40, -7, INT64_MAX, 0, -1};
	static const int64_t b[] = {2, -8, 1, 0, 1};
	struct idl_server srv;
	int64_t sum = 0;

	CHECK_EQ(t, start(&srv, 30, 0x11), SEL_OK);
	for (unsigned i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
		CHECK_EQ(t, echo_add(&conn, a[i], b[i], &sum), SEL_OK);
		CHECK_EQ(t, sum, (int64_t)((uint64_t)a[i] + (uint64_t)b[i]));
	}
	for (int64_t i = 0; i < 1000; i++) {
		CHECK_EQ(t, echo_add(&conn, i, i * 3, &sum), SEL_OK);
		CHECK_EQ(t, sum, i * 4);
	}
	/* The server runs in another address space: its process is not ours. */
	CHECK(t, srv.p.vspace != SEL_SLOT_VSPACE);
	CHECK_EQ(t, idl_server_destroy(&srv), SEL_OK);
}

TEST(IDL_0501, "a string goes both ways, a typed error comes back as its enum, a string over its "
               "bound is refused by the stub")
{
	static char big[300];
	struct idl_server srv;
	char reply[257];

	CHECK_EQ(t, start(&srv, 31, 0x12), SEL_OK);
	CHECK_EQ(t, echo_echo(&conn, "hello, selene", reply), SEL_OK);
	CHECK(t, strcmp(reply, "hello, selene") == 0);
	CHECK_EQ(t, echo_echo(&conn, "", reply), ECHO_ERROR_EMPTY);
	CHECK(t, sel_idl_is_app_error(ECHO_ERROR_EMPTY));
	memset(big, 'x', 256);
	CHECK_EQ(t, echo_echo(&conn, big, reply), SEL_OK); /* 256 bytes: the bound */
	CHECK(t, strlen(reply) == 256 && reply[255] == 'x');
	memset(big, 'x', 257);
	CHECK_EQ(t, echo_echo(&conn, big, reply), SEL_ERR_RANGE);
	CHECK_EQ(t, echo_echo(&conn, "\xff", reply), SEL_ERR_INVALID_ARG); /* not UTF-8 */
	CHECK_EQ(t, idl_server_destroy(&srv), SEL_OK);
}

TEST(IDL_0502, "2 KiB of opaque bytes each way go through the lent buffer; small payloads inline")
{
	static uint8_t data[2048], back[2048];
	static const size_t sizes[] = {2048, 0, 1, 100, 488, 489, 2047};
	struct idl_server srv;
	size_t n = 0;

	CHECK_EQ(t, start(&srv, 32, 0x13), SEL_OK);
	for (unsigned k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		for (size_t i = 0; i < sizeof(data); i++)
			data[i] = (uint8_t)(i * 7 + k);
		memset(back, 0, sizeof(back));
		CHECK_EQ(t, echo_echo_bytes(&conn, data, sizes[k], back, &n), SEL_OK);
		CHECK_EQ(t, n, sizes[k]);
		CHECK(t, memcmp(back, data, sizes[k]) == 0);
	}
	CHECK_EQ(t, echo_echo_bytes(&conn, data, 2049, back, &n), SEL_ERR_RANGE);
	CHECK_EQ(t, idl_server_destroy(&srv), SEL_OK);
}

TEST(IDL_0503, "one-way pokes are Sends the server counts; futures of the sync transport come "
               "back resolved")
{
	struct idl_server srv;
	uint64_t total = 0;
	int64_t sum = 0;

	CHECK_EQ(t, start(&srv, 33, 0x14), SEL_OK);
	for (uint32_t i = 1; i <= 100; i++)
		CHECK_EQ(t, echo_poke(&conn, i), SEL_OK);
	CHECK_EQ(t, echo_pokes(&conn, &total), SEL_OK);
	CHECK_EQ(t, total, 5050);
	struct sel_idl_future *f = echo_add_async(&conn, 20, 22);
	CHECK_EQ(t, sel_idl_future_poll(f), SEL_OK); /* resolved when the call returned */
	struct sel_idl_future *g = echo_add_async(&conn, 1, 2);
	CHECK(t, g != f);
	CHECK_EQ(t, echo_add_finish(g, &sum), SEL_OK);
	CHECK_EQ(t, sum, 3);
	CHECK_EQ(t, echo_add_finish(f, &sum), SEL_OK);
	CHECK_EQ(t, sum, 42);
	CHECK_EQ(t, idl_server_destroy(&srv), SEL_OK);
}

/* A raw Call: the reply must be an inline IDL reply header with `status`. */
static int raw_status(uint64_t ep, uint64_t label, const uint64_t *w, uint64_t words)
{
	uint64_t info, h;
	int err = idl_raw_call(ep, label, w, words, &info, &h);

	if (err != SEL_OK)
		return -err;
	if (SEL_MSG_LABEL(info) != SEL_IDL_SYNC_INLINE || ((h >> 16) & 0xf) != SEL_IDL_KIND_REPLY)
		return -1000;
	return (int)idl_status(h);
}

TEST(IDL_0504, "malformed requests get an error reply and change nothing: unknown method, short "
               "message, wrong kind or version, foreign label, caps or lease not declared")
{
	struct idl_server srv;
	uint64_t ep, w[8] = {0}, total = 0, frame;
	int64_t sum = 0;

	CHECK_EQ(t, start(&srv, 34, 0x15), SEL_OK);
	ep = client.ep;
	CHECK_EQ(t, echo_poke(&conn, 7), SEL_OK);
	w[0] = idl_header(99, SEL_IDL_KIND_REQUEST, 1);
	CHECK_EQ(t, raw_status(ep, SEL_IDL_SYNC_INLINE, w, 3), SEL_ERR_UNKNOWN_METHOD);
	w[0] = idl_header(ECHO_METHOD_ADD, SEL_IDL_KIND_REQUEST, 1);
	CHECK_EQ(t, raw_status(ep, SEL_IDL_SYNC_INLINE, w, 2), SEL_ERR_PROTOCOL); /* short */
	CHECK_EQ(t, raw_status(ep, SEL_IDL_SYNC_INLINE, w, 0), SEL_ERR_PROTOCOL); /* empty */
	w[0] = idl_header(ECHO_METHOD_ADD, SEL_IDL_KIND_REPLY, 1);
	CHECK_EQ(t, raw_status(ep, SEL_IDL_SYNC_INLINE, w, 3), SEL_ERR_PROTOCOL); /* a reply */
	w[0] = idl_header(ECHO_METHOD_ADD, SEL_IDL_KIND_REQUEST, 2);
	CHECK_EQ(t, raw_status(ep, SEL_IDL_SYNC_INLINE, w, 3), SEL_ERR_PROTOCOL); /* version */
	w[0] = idl_header(ECHO_METHOD_ADD, SEL_IDL_KIND_REQUEST, 1) | 1ull << 20;
	CHECK_EQ(t, raw_status(ep, SEL_IDL_SYNC_INLINE, w, 3), SEL_ERR_PROTOCOL); /* flags */
	w[0] = idl_header(ECHO_METHOD_ADD, SEL_IDL_KIND_REQUEST, 1);
	CHECK_EQ(t, raw_status(ep, 0x77, w, 3), SEL_ERR_PROTOCOL); /* label */
	w[1] = 24; /* a buffered request that lends nothing: the server's lease read fails */
	CHECK_EQ(t, raw_status(ep, SEL_IDL_SYNC_BUFFER, w, 3), SEL_ERR_PROTOCOL);
	w[1] = 0;
	/* A capability the method does not declare: refused, and not kept by the server. */
	CHECK_EQ(t, object_new(srv.ut, SEL_OBJ_NOTIFICATION, 0, &frame), SEL_OK);
	sel_ipc_buffer()->send_caps[0] = frame;
	struct sel_msg m = {SEL_MSG_INFO(SEL_IDL_SYNC_INLINE, 1, 3), {w[0], 1, 2}, 0};
	CHECK_EQ(t, sel_call(ep, &m), SEL_OK);
	CHECK_EQ(t, SEL_MSG_CAPS(m.info), 0);
	CHECK_EQ(t, idl_status(m.mr[0]), SEL_ERR_PROTOCOL);
	/* A lease the method does not declare. */
	static uint64_t lent[4];
	m = (struct sel_msg){SEL_MSG_INFO(SEL_IDL_SYNC_LEASE, 0, 5) | SEL_MSG_LEASE,
	                     {w[0], 1, 2, (uint64_t)lent, SEL_LEASE_WORD(32, SEL_RIGHT_READ)},
	                     0};
	CHECK_EQ(t, sel_call(ep, &m), SEL_OK);
	CHECK_EQ(t, idl_status(m.mr[0]), SEL_ERR_PROTOCOL);
	/* A buffered request whose length exceeds what it lends. */
	m = (struct sel_msg){SEL_MSG_INFO(SEL_IDL_SYNC_BUFFER, 0, 3) | SEL_MSG_LEASE,
	                     {64, (uint64_t)lent, SEL_LEASE_WORD(32, SEL_RIGHT_READ)},
	                     0};
	CHECK_EQ(t, sel_call(ep, &m), SEL_OK);
	CHECK_EQ(t, idl_status(m.mr[0]), SEL_ERR_PROTOCOL);
	/* The server's state is what the honest calls made it, and it still serves. */
	CHECK_EQ(t, echo_pokes(&conn, &total), SEL_OK);
	CHECK_EQ(t, total, 7);
	CHECK_EQ(t, echo_add(&conn, 2, 3, &sum), SEL_OK);
	CHECK_EQ(t, sum, 5);
	CHECK_EQ(t, idl_server_destroy(&srv), SEL_OK);
}
