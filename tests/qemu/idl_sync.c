/*
 * Generated services over the synchronous transport, across address spaces:
 * the test process calls the echo server (servers/echo, a process of its
 * own) through the stubs idlc generated from idl/echo.idl, and a raw client
 * sends what the stubs never would; events reach subscribed clients
 * through their user-interrupt receivers.
 */
#include <sel/string.h>
#include <sel/uintr.h>
#include "echo_client.h"
#include "echo_launch.h"
#include "idl_util.h"

#define NSLOTS 2

extern const uint8_t embedded_echo_server_start[], embedded_echo_server_end[];

/* The echo server (servers/echo) in a new process, serving over `transport`. */
static int spawn_echo(struct idl_server *s, unsigned region, uint64_t transport)
{
	int err = idl_spawn(s, region, embedded_echo_server_start,
	                    (size_t)(embedded_echo_server_end - embedded_echo_server_start),
	                    ECHO_SLOT_EP);

	return err != SEL_OK ? err : sel_process_start(&s->p, transport);
}

static struct sel_idl_future futures[NSLOTS];
static struct sel_idl_sync_slot slots[NSLOTS];
static struct sel_idl_sync_client client;
static struct sel_idl_conn conn;

/* The echo server in its own process, and our connection to it. */
static int start(struct idl_server *srv, unsigned region, uint64_t badge)
{
	uint64_t cap;
	int err = spawn_echo(srv, region, ECHO_SERVE_SYNC);

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

/* A second connection, for a caller on a helper thread. */
static struct sel_idl_future futures2[1];
static struct sel_idl_sync_slot slots2[1];
static struct sel_idl_sync_client client2;
static struct sel_idl_conn conn2;
static volatile uint64_t helper_rc, helper_done;

static void helper_call(uint64_t arg)
{
	int64_t sum;

	(void)arg;
	helper_rc = (uint64_t)echo_add(&conn2, 1, 2, &sum);
	helper_done = 1;
}

TEST(IDL_0505, "when the server dies, a call waiting for it and every later call return "
               "SEL_ERR_PEER_DEAD")
{
	struct idl_server srv;
	uint64_t ut, tcb, total;
	int64_t sum;

	CHECK_EQ(t, start(&srv, 35, 0x16), SEL_OK);
	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	CHECK_EQ(t, echo_add(&conn, 1, 1, &sum), SEL_OK);
	/* The server stops; a caller on another thread waits on its endpoint. */
	CHECK_EQ(t, sel_tcb_suspend(srv.p.tcb), SEL_OK);
	sel_idl_sync_connect(&conn2, &client2, client.ep, 0, futures2, slots2, 1);
	helper_done = 0;
	CHECK_EQ(t, ipc_thread(ut, helper_call, 0, &tcb), SEL_OK);
	CHECK(t, wait_blocked(tcb, IPC_PATIENCE));
	CHECK(t, !helper_done);
	/* Its supervisor ends it: the process, then its endpoint (every cap to it). */
	CHECK_EQ(t, idl_server_destroy(&srv), SEL_OK);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, srv.ep, FULL, 0), SEL_OK);
	CHECK_EQ(t, sel_cnode_delete(ROOT, srv.ep, FULL, 0), SEL_OK);
	CHECK(t, wait_flag(&helper_done, IPC_PATIENCE));
	CHECK_EQ(t, helper_rc, SEL_ERR_PEER_DEAD);
	CHECK_EQ(t, echo_add(&conn, 1, 2, &sum), SEL_ERR_PEER_DEAD);
	CHECK_EQ(t, echo_pokes(&conn, &total), SEL_ERR_PEER_DEAD);
	CHECK_EQ(t, echo_poke(&conn, 1), SEL_ERR_PEER_DEAD);
}

/* A server thread whose handler blocks: the server dies owing the reply. */
static uint64_t stuck_ntfn;
static volatile uint64_t stuck_in_handler;
static struct sel_idl_sync_server stuck_server;

static int stuck_dispatch(void *ctx, uint64_t badge, const struct sel_idl_msg *req,
                          struct sel_idl_msg *rep)
{
	uint64_t word;

	(void)ctx;
	(void)badge;
	(void)req;
	(void)rep;
	stuck_in_handler = 1;
	sel_wait(stuck_ntfn, &word); /* never signalled */
	return SEL_OK;
}

static void stuck_serve(uint64_t ep)
{
	stuck_server.ep = ep;
	stuck_server.dispatch = stuck_dispatch;
	sel_idl_sync_serve(&stuck_server);
}

TEST(IDL_0506, "a server that dies inside a handler ends the call with SEL_ERR_PEER_DEAD")
{
	uint64_t ut, ep, cap, tcb;
	int64_t sum;

	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_NOTIFICATION, 0, &stuck_ntfn), SEL_OK);
	cap = slot_new();
	CHECK_EQ(t, sel_cnode_mint(ROOT, cap, ep, FULL, SEL_RIGHT_WRITE | SEL_RIGHT_GRANT, 9),
	         SEL_OK);
	CHECK_EQ(t, ipc_thread(ut, stuck_serve, ep, &tcb), SEL_OK);
	sel_idl_sync_connect(&conn2, &client2, cap, 0, futures2, slots2, 1);
	helper_done = 0;
	stuck_in_handler = 0;
	uint64_t caller;
	CHECK_EQ(t, ipc_thread(ut, helper_call, 0, &caller), SEL_OK);
	CHECK(t, wait_flag(&stuck_in_handler, IPC_PATIENCE));
	CHECK(t, !helper_done);
	CHECK_EQ(t, sel_tcb_suspend(tcb), SEL_OK); /* the server dies owing the reply */
	CHECK(t, wait_flag(&helper_done, IPC_PATIENCE));
	CHECK_EQ(t, helper_rc, SEL_ERR_PEER_DEAD);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ep, FULL, 0), SEL_OK);
	CHECK_EQ(t, sel_cnode_delete(ROOT, ep, FULL, 0), SEL_OK);
	sel_idl_sync_connect(&conn, &client, cap, 0, futures, slots, NSLOTS);
	CHECK_EQ(t, echo_add(&conn, 1, 2, &sum), SEL_ERR_PEER_DEAD);
}

/* Eleven clients on threads of their own, each with its own connection. */
#define CLIENTS 11
#define CALLS   200

struct client_state {
	struct sel_idl_future futures[1];
	struct sel_idl_sync_client client;
	struct sel_idl_conn conn;
	volatile uint64_t calls, errors, done;
};

static struct client_state clients[CLIENTS];

/* Client i adds (i, k) for k = 0, 1, ...: client 0 without end, the others CALLS times. */
static void client_loop(uint64_t i)
{
	struct client_state *c = &clients[i];

	for (uint64_t k = 0; i == 0 || k < CALLS; k++) {
		int64_t sum = 0;
		int rc = echo_add(&c->conn, (int64_t)i, (int64_t)k, &sum);

		if (rc != SEL_OK || sum != (int64_t)(i + k))
			c->errors++;
		c->calls++;
	}
	c->done = 1;
}

TEST(IDL_0507, "a client that dies mid-stream leaves the server serving ten others")
{
	struct idl_server srv;
	uint64_t ut, tcb[CLIENTS], frame, cap;
	uint64_t area = REGION(37); /* each client's call buffer: two pages */
	int64_t sum = 0;

	CHECK_EQ(t, start(&srv, 36, 0x17), SEL_OK);
	CHECK_EQ(t, untyped_new(19, &ut), SEL_OK);
	CHECK_EQ(t, cover(ut, SEL_SLOT_VSPACE, area), SEL_OK);
	for (unsigned p = 0; p < 2 * CLIENTS; p++)
		CHECK_EQ(t, frame_at(ut, SEL_SLOT_VSPACE, area + 4096ull * p, RW, &frame), SEL_OK);
	for (unsigned i = 0; i < CLIENTS; i++) {
		CHECK_EQ(t, idl_client_cap(&srv, 0x100 + i, &cap), SEL_OK);
		sel_idl_sync_connect(&clients[i].conn, &clients[i].client, cap, 0,
		                     clients[i].futures,
		                     (struct sel_idl_sync_slot *)(area + 8192ull * i), 1);
	}
	for (unsigned i = 0; i < CLIENTS; i++)
		CHECK_EQ(t, ipc_thread(ut, client_loop, i, &tcb[i]), SEL_OK);
	/* Client 0 dies while it calls and the others call. */
	for (unsigned k = 0; k < IPC_PATIENCE && clients[0].calls < 10; k++)
		sel_yield();
	CHECK(t, clients[0].calls >= 10);
	CHECK_EQ(t, sel_tcb_suspend(tcb[0]), SEL_OK);
	CHECK_EQ(t, sel_cnode_delete(ROOT, tcb[0], FULL, 0), SEL_OK);
	for (unsigned i = 1; i < CLIENTS; i++) {
		CHECK(t, wait_flag(&clients[i].done, 10 * IPC_PATIENCE));
		CHECK_EQ(t, clients[i].calls, CALLS);
		CHECK_EQ(t, clients[i].errors, 0);
	}
	CHECK_EQ(t, clients[0].errors, 0);
	CHECK_EQ(t, echo_add(&conn, 40, 2, &sum), SEL_OK);
	CHECK_EQ(t, sum, 42);
	CHECK_EQ(t, idl_server_destroy(&srv), SEL_OK);
}

/* Events over the sync transport: two subscribed connections (the second is conn2),
 * told apart by their badges. */
#define bclient client2
#define bconn   conn2
static volatile uint64_t ticks, last_tick;

static void on_events(uint64_t pending, struct sel_uintr_frame *frame)
{
	(void)frame;
	sel_idl_sync_interrupt(&client, pending);
	sel_idl_sync_interrupt(&bclient, pending);
}

static void on_tick(void *ctx, uint64_t total)
{
	(void)ctx;
	ticks++;
	last_tick = total;
}

/* Takes every queued event of `c` and dispatches it; how many there were. */
static uint64_t take_events(struct sel_idl_conn *c)
{
	static const struct echo_events handlers = {on_tick};
	struct sel_idl_msg ev;
	uint64_t n = 0;

	while (sel_idl_conn_next_event(c, &ev) == SEL_OK)
		if (echo_event_dispatch(&handlers, 0, &ev) == SEL_OK)
			n++;
	return n;
}

TEST(IDL_0516, "events over the sync transport: the poking subscriber's receiver is rung and it "
               "takes its ticks with Calls; another subscriber gets none; four are queued at most")
{
	struct idl_server srv;
	uint64_t ut, recv, sa = slot_new(), sb = slot_new(), cap, total;

	CHECK_EQ(t, start(&srv, 38, 0x51), SEL_OK);
	CHECK_EQ(t, idl_client_cap(&srv, 0x52, &cap), SEL_OK);
	sel_idl_sync_connect(&bconn, &bclient, cap, 0, futures2, slots2, 1);
	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_UINTR_RECEIVER, 0, &recv), SEL_OK);
	CHECK_EQ(t, sel_uintr_register_handler(recv, on_events, 0), SEL_OK);
	CHECK_EQ(t, sel_uintr_create_sender(recv, 4, ROOT, sa, FULL), SEL_OK);
	CHECK_EQ(t, sel_uintr_create_sender(recv, 5, ROOT, sb, FULL), SEL_OK);
	/* Not a sender: refused by its kernel type. Then both subscribe. */
	CHECK_EQ(t, sel_idl_sync_subscribe(&client, client.ep, 4), SEL_ERR_WRONG_TYPE);
	CHECK_EQ(t, sel_idl_conn_next_event(&conn, &(struct sel_idl_msg){0}), SEL_ERR_EMPTY);
	CHECK_EQ(t, sel_idl_sync_subscribe(&client, sa, 4), SEL_OK);
	CHECK_EQ(t, sel_idl_sync_subscribe(&bclient, sb, 5), SEL_OK);
	for (uint64_t round = 1; round <= 3; round++) {
		for (uint32_t i = 0; i < 4; i++) /* the 1000th poke is the tick */
			CHECK_EQ(t, echo_poke(&conn, 250), SEL_OK);
		CHECK_EQ(t, sel_idl_sync_wait_event(&client), SEL_OK);

		CHECK_EQ(t, take_events(&conn), 1);
		CHECK_EQ(t, ticks, round);
		CHECK_EQ(t, last_tick, 1000 * round);
		CHECK_EQ(t, bclient.signalled, 0); /* not the poker: not rung */
	}
	/* The other subscriber's pokes ring it, not the first. */
	CHECK_EQ(t, echo_poke(&bconn, 1000), SEL_OK);
	CHECK_EQ(t, sel_idl_sync_wait_event(&bclient), SEL_OK);
	CHECK_EQ(t, take_events(&bconn), 1);
	CHECK_EQ(t, last_tick, 4000);
	CHECK_EQ(t, client.signalled, 0);
	/* Five ticks before the client takes any: four were queued, the fifth dropped. */
	for (uint32_t i = 0; i < 5; i++)
		CHECK_EQ(t, echo_poke(&conn, 1000), SEL_OK);
	CHECK_EQ(t, echo_pokes(&conn, &total), SEL_OK); /* a Call: every poke has been served */
	CHECK_EQ(t, total, 9000);
	CHECK_EQ(t, sel_idl_sync_wait_event(&client), SEL_OK);
	CHECK_EQ(t, take_events(&conn), 4);
	CHECK_EQ(t, last_tick, 8000);
	CHECK_EQ(t, ticks, 8);
	/* A server gone (the process, then its endpoint): taking events is a dead peer. */
	CHECK_EQ(t, idl_server_destroy(&srv), SEL_OK);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, srv.ep, FULL, 0), SEL_OK);
	CHECK_EQ(t, sel_cnode_delete(ROOT, srv.ep, FULL, 0), SEL_OK);
	client.signalled = 1; /* as if it had rung just before */
	CHECK_EQ(t, sel_idl_conn_next_event(&conn, &(struct sel_idl_msg){0}), SEL_ERR_PEER_DEAD);
}
