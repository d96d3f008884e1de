/*
 * Generated services over the asynchronous transport, across address
 * spaces: the echo server (servers/echo) serving session windows with
 * rings and user-interrupt doorbells, called through the same stubs as over
 * the sync transport and compared with a second echo server serving
 * endpoint Calls; many calls in flight, events, peer death both ways, and
 * descriptors the stubs would never push; and the sleep both sides use,
 * with a doorbell sent between its check and its wait (and its positive
 * control).
 */
#include <sel/string.h>
#include <sel/uintr.h>
#include "echo_client.h"
#include "echo_launch.h"
#include "idl_util.h"
#include "process.h"

extern struct test_shared *test_shared_page;
extern const uint8_t embedded_echo_server_start[], embedded_echo_server_end[];

/* The echo server in a new process, serving `clients` async sessions (or sync: clients 0). */
static int spawn_echo(struct idl_server *s, unsigned region, uint32_t clients, uint32_t nslots,
                      uint32_t window_bits, uint32_t ut_bits)
{
	int err = idl_spawn(s, region, embedded_echo_server_start,
	                    (size_t)(embedded_echo_server_end - embedded_echo_server_start),
	                    ECHO_SLOT_EP);

	if (clients == 0)
		return err != SEL_OK ? err : sel_process_start(&s->p, ECHO_SERVE_SYNC);
	if (err == SEL_OK)
		err = idl_async_equip(s, ECHO_SLOT_UT, ut_bits, ECHO_SLOT_RECV, ECHO_WINDOWS);
	return err != SEL_OK
	           ? err
	           : sel_process_start(&s->p, ECHO_ASYNC_ARG(clients, nslots, window_bits));
}

static struct idl_async_peer peer[11];

/* Futures and slots for peer k, in pages mapped for them (the program's own memory is small). */
struct peer_mem {
	struct sel_idl_future futures[64];
	struct sel_idl_async_slot slots[64];
};

#define PEER_MEM(k) ((struct peer_mem *)(REGION(46) + (uint64_t)(k)*0x8000))

/* Maps the pages of PEER_MEM(k) that its first nslots futures and slots use. */
static int peer_mem(uint64_t ut, uint32_t k, uint32_t nslots)
{
	struct peer_mem *m = PEER_MEM(k);
	uint64_t frame, used[2][2] = {
	                    {(uint64_t)&m->futures[0], (uint64_t)&m->futures[nslots]},
	                    {(uint64_t)&m->slots[0], (uint64_t)&m->slots[nslots]},
	                };
	int err = cover(ut, SEL_SLOT_VSPACE, REGION(46));

	for (unsigned r = 0; r < 2; r++) {
		uint64_t first = used[r][0] & ~4095ull, end = used[r][1];
		if (r == 1 && first < used[0][1]) /* the page the futures ended on is mapped */
			first += 4096;
		for (uint64_t p = first; err == SEL_OK && p < end; p += 4096)
			err = frame_at(ut, SEL_SLOT_VSPACE, p, SEL_RIGHT_READ | SEL_RIGHT_WRITE,
			               &frame);
	}
	return err;
}
static struct sel_idl_future sfutures[1];
static struct sel_idl_sync_slot sslots[1];
static struct sel_idl_sync_client sclient;
static struct sel_idl_conn sconn;

/* An async echo server with one client (peer 0) and a sync one to compare with. */
static int start_both(struct idl_server *as, struct idl_server *ss, unsigned region, uint64_t *ut,
                      uint32_t nslots, uint32_t window_bits)
{
	uint64_t cap;
	int err = untyped_new(18, ut);

	if (err == SEL_OK)
		err = spawn_echo(as, region, 1, nslots, window_bits, window_bits + 2);
	if (err == SEL_OK)
		err = idl_client_cap(as, 0x41, &cap);
	if (err == SEL_OK)
		err = peer_mem(*ut, 0, 64);
	if (err == SEL_OK)
		err = idl_async_connect(&peer[0], 0, *ut, cap, PEER_MEM(0)->futures,
		                        PEER_MEM(0)->slots, nslots);
	if (err == SEL_OK && ss) {
		err = spawn_echo(ss, region + 1, 0, 0, 0, 0);
		if (err == SEL_OK)
			err = idl_client_cap(ss, 0x41, &cap);
		if (err == SEL_OK)
			sel_idl_sync_connect(&sconn, &sclient, cap, 0, sfutures, sslots, 1);
	}
	return err;
}

TEST(IDL_0600, "every echo method over the async transport gives what the sync transport gives")
{
	static const int64_t a[] = {40, -7, INT64_MAX, 0, -1, INT64_MIN};
	static const int64_t b[] = {2, -8, 1, 0, 1, -1};
	static const char *texts[] = {"hello, selene", "", "\xff", "x"};
	static const size_t sizes[] = {2048, 0, 1, 100, 488, 489, 2047, 2049};
	static char big[300], r1[257], r2[257];
	static uint8_t data[2100], back1[2048], back2[2048];
	struct sel_idl_conn *ac = &peer[0].conn;
	struct idl_server as, ss;
	int64_t s1, s2;
	uint64_t t1, t2, ut;
	size_t n1, n2;

	CHECK_EQ(t, start_both(&as, &ss, 50, &ut, 8, 17), SEL_OK);
	CHECK_EQ(t, peer[0].c.nslots, 8);
	CHECK_EQ(t, peer[0].c.layout.area, 4096); /* replies in place */
	for (unsigned i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
		s1 = s2 = 1;
		CHECK_EQ(t, echo_add(ac, a[i], b[i], &s1), SEL_OK);
		CHECK_EQ(t, echo_add(&sconn, a[i], b[i], &s2), SEL_OK);
		CHECK_EQ(t, s1, s2);
	}
	for (int64_t i = 0; i < 1000; i++) {
		CHECK_EQ(t, echo_add(ac, i, i * 3, &s1), SEL_OK);
		CHECK_EQ(t, s1, i * 4);
	}
	for (unsigned i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		memset(r1, 0, sizeof(r1));
		memset(r2, 0, sizeof(r2));
		CHECK_EQ(t, echo_echo(ac, texts[i], r1), echo_echo(&sconn, texts[i], r2));
		CHECK(t, strcmp(r1, r2) == 0);
	}
	CHECK_EQ(t, echo_echo(ac, "", r1), ECHO_ERROR_EMPTY);
	memset(big, 'x', 256);
	CHECK_EQ(t, echo_echo(ac, big, r1), SEL_OK);
	CHECK(t, strlen(r1) == 256);
	memset(big, 'x', 257);
	CHECK_EQ(t, echo_echo(ac, big, r1), SEL_ERR_RANGE);
	CHECK_EQ(t, echo_echo(&sconn, big, r2), SEL_ERR_RANGE);
	for (unsigned k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		for (size_t i = 0; i < sizeof(data); i++)
			data[i] = (uint8_t)(i * 7 + k);
		memset(back1, 0, sizeof(back1));
		memset(back2, 0, sizeof(back2));
		n1 = n2 = 7;
		CHECK_EQ(t, echo_echo_bytes(ac, data, sizes[k], back1, &n1),
		         echo_echo_bytes(&sconn, data, sizes[k], back2, &n2));
		if (sizes[k] <= 2048) {
			CHECK_EQ(t, n1, sizes[k]);
			CHECK_EQ(t, n2, sizes[k]);
			CHECK(t, memcmp(back1, data, sizes[k]) == 0);
			CHECK(t, memcmp(back2, data, sizes[k]) == 0);
		}
	}
	for (uint32_t i = 1; i <= 100; i++) {
		CHECK_EQ(t, echo_poke(ac, i), SEL_OK);
		CHECK_EQ(t, echo_poke(&sconn, i), SEL_OK);
	}
	CHECK_EQ(t, echo_pokes(ac, &t1), SEL_OK);
	CHECK_EQ(t, echo_pokes(&sconn, &t2), SEL_OK);
	CHECK_EQ(t, t1, 5050);
	CHECK_EQ(t, t2, 5050);
	/* The async server is another process, reached through its window only. */
	CHECK(t, as.p.vspace != SEL_SLOT_VSPACE);
	CHECK_EQ(t, idl_server_destroy(&as), SEL_OK);
	CHECK_EQ(t, idl_server_destroy(&ss), SEL_OK);
}

TEST(IDL_0601, "64 async calls in flight at once complete, finished out of order, and a 65th "
               "finds no slot")
{
	struct sel_idl_conn *ac = &peer[0].conn;
	struct sel_idl_future *f[64];
	struct idl_server as;
	uint64_t ut;
	int64_t sum;

	CHECK_EQ(t, start_both(&as, 0, 52, &ut, 64, 16), SEL_OK);
	CHECK_EQ(t, peer[0].c.nslots, 64);
	for (unsigned round = 0; round < 20; round++) {
		for (int64_t i = 0; i < 64; i++) {
			f[i] = echo_add_async(ac, i, 1000 * (int64_t)round);
			CHECK(t, f[i] != &ac->busy);
		}
		if (round == 0) { /* every slot is taken */
			struct sel_idl_future *g = echo_add_async(ac, 1, 1);
			CHECK(t, g == &ac->busy);
			CHECK_EQ(t, echo_add_finish(g, &sum), SEL_ERR_FULL);
		}
		/* Finished in an order unlike the one sent: odd slots backwards, then even. */
		for (int i = 63; i >= 0; i -= 2) {
			CHECK_EQ(t, echo_add_finish(f[i], &sum), SEL_OK);
			CHECK_EQ(t, sum, i + 1000 * (int64_t)round);
		}
		for (int i = 0; i < 64; i += 2) {
			CHECK_EQ(t, echo_add_finish(f[i], &sum), SEL_OK);
			CHECK_EQ(t, sum, i + 1000 * (int64_t)round);
		}
	}
	CHECK_EQ(t, idl_server_destroy(&as), SEL_OK);
}

static volatile uint64_t ticks, last_tick;

static void on_tick(void *ctx, uint64_t total)
{
	(void)ctx;
	ticks++;
	last_tick = total;
}

TEST(IDL_0602, "events reach the client through its user-interrupt receiver while its calls "
               "are pending")
{
	static const struct echo_events handlers = {on_tick};
	struct sel_idl_conn *ac = &peer[0].conn;
	struct sel_idl_future *f[4];
	struct sel_idl_msg ev;
	struct idl_server as;
	uint64_t ut, total;
	int64_t sum;

	CHECK_EQ(t, start_both(&as, 0, 53, &ut, 8, 16), SEL_OK);
	for (uint32_t round = 1; round <= 3; round++) {
		for (int64_t i = 0; i < 4; i++)
			f[i] = echo_add_async(ac, i, round);
		/* 1000 pokes: the server sends a tick while the adds are still ours to finish. */
		for (uint32_t i = 0; i < 10; i++)
			CHECK_EQ(t, echo_poke(ac, 100), SEL_OK);
		CHECK_EQ(t, sel_idl_async_wait_event(&peer[0].c), SEL_OK);
		CHECK_EQ(t, sel_idl_conn_next_event(ac, &ev), SEL_OK);
		CHECK_EQ(t, echo_event_dispatch(&handlers, 0, &ev), SEL_OK);
		CHECK_EQ(t, ticks, round);
		CHECK_EQ(t, last_tick, 1000ull * round);
		CHECK_EQ(t, sel_idl_conn_next_event(ac, &ev), SEL_ERR_EMPTY);
		for (int i = 3; i >= 0; i--) {
			CHECK_EQ(t, echo_add_finish(f[i], &sum), SEL_OK);
			CHECK_EQ(t, sum, i + round);
		}
	}
	CHECK_EQ(t, echo_pokes(ac, &total), SEL_OK);
	CHECK_EQ(t, total, 3000);
	CHECK(t, peer[0].c.waits > 0); /* it slept, and the server's doorbell woke it */
	CHECK_EQ(t, idl_server_destroy(&as), SEL_OK);
}

TEST(IDL_0603, "when the async server dies, every pending future and every later call return "
               "SEL_ERR_PEER_DEAD")
{
	struct sel_idl_conn *ac = &peer[0].conn;
	struct sel_idl_future *f[8];
	struct idl_server as;
	uint64_t ut, total;
	int64_t sum;
	char r[257];

	CHECK_EQ(t, start_both(&as, 0, 54, &ut, 8, 16), SEL_OK);
	CHECK_EQ(t, echo_add(ac, 1, 1, &sum), SEL_OK);
	CHECK_EQ(t, sel_tcb_suspend(as.p.tcb), SEL_OK); /* the server stops mid-stream */
	for (int64_t i = 0; i < 8; i++)
		f[i] = echo_add_async(ac, i, i);
	CHECK_EQ(t, sel_idl_future_poll(f[0]), SEL_ERR_WOULD_BLOCK);
	CHECK_EQ(t, idl_server_destroy(&as), SEL_OK); /* and its supervisor ends it */
	for (int i = 0; i < 8; i++)
		CHECK_EQ(t, echo_add_finish(f[i], &sum), SEL_ERR_PEER_DEAD);
	CHECK_EQ(t, echo_add(ac, 1, 2, &sum), SEL_ERR_PEER_DEAD);
	CHECK_EQ(t, echo_pokes(ac, &total), SEL_ERR_PEER_DEAD);
	CHECK_EQ(t, echo_poke(ac, 1), SEL_ERR_PEER_DEAD);
	CHECK_EQ(t, echo_echo(ac, "x", r), SEL_ERR_PEER_DEAD);
}

/* A helper thread of ours: once the client sleeps in its wait, the server is ended. */
static struct idl_server doomed;
static volatile uint64_t helper_rc, helper_done;

static void end_when_asleep(uint64_t arg)
{
	(void)arg;
	for (unsigned i = 0; i < IPC_PATIENCE && !*(volatile uint64_t *)&peer[0].c.waits; i++)
		sel_yield();
	helper_rc = (uint64_t)idl_server_destroy(&doomed);
	helper_done = 1;
}

TEST(IDL_0604, "a server that dies while its client sleeps waiting for a reply wakes it with "
               "SEL_ERR_PEER_DEAD")
{
	struct sel_idl_conn *ac = &peer[0].conn;
	uint64_t ut, tcb;
	int64_t sum;

	CHECK_EQ(t, start_both(&doomed, 0, 55, &ut, 8, 16), SEL_OK);
	CHECK_EQ(t, sel_tcb_suspend(doomed.p.tcb), SEL_OK); /* it will never answer */
	struct sel_idl_future *f = echo_add_async(ac, 2, 3);
	CHECK_EQ(t, ipc_thread(ut, end_when_asleep, 0, &tcb), SEL_OK);
	CHECK_EQ(t, echo_add_finish(f, &sum), SEL_ERR_PEER_DEAD); /* sleeps, then is woken */
	CHECK(t, peer[0].c.waits > 0);
	CHECK(t, wait_flag(&helper_done, IPC_PATIENCE));
	CHECK_EQ(t, helper_rc, SEL_OK);
}

TEST(IDL_0605, "a client that dies mid-stream has its session freed while the server serves "
               "ten others")
{
	struct idl_server as;
	uint64_t ut, cap, total;
	int64_t sum;

	CHECK_EQ(t, untyped_new(19, &ut), SEL_OK);
	CHECK_EQ(t, spawn_echo(&as, 56, 11, 8, 14, 19), SEL_OK);
	for (uint32_t k = 0; k < 11; k++) {
		CHECK_EQ(t, idl_client_cap(&as, 0x200 + k, &cap), SEL_OK);
		CHECK_EQ(t, peer_mem(ut, k, 8), SEL_OK);
		CHECK_EQ(t,
		         idl_async_connect(&peer[k], k, ut, cap, PEER_MEM(k)->futures,
		                           PEER_MEM(k)->slots, 8),
		         SEL_OK);
	}
	for (uint32_t k = 0; k < 11; k++)
		CHECK_EQ(t, echo_add(&peer[k].conn, k, 1, &sum), SEL_OK);
	/* Client 5 dies with requests in its ring: its window cap goes, as when a process dies. */
	for (int64_t i = 0; i < 4; i++)
		echo_add_async(&peer[5].conn, i, i);
	uint64_t win = peer[5].c.session.slot, sender = win + 1;
	CHECK_EQ(t, sel_cnode_delete(ROOT, win, FULL, 0), SEL_OK);
	/* The other ten go on: 200 checked calls each, interleaved, 4 in flight per client. */
	for (int64_t n = 0; n < 200; n += 4) {
		struct sel_idl_future *f[11][4];
		for (uint32_t k = 0; k < 11; k++)
			for (int64_t j = 0; k != 5 && j < 4; j++)
				f[k][j] = echo_add_async(&peer[k].conn, (int64_t)k, n + j);
		for (uint32_t k = 0; k < 11; k++)
			for (int64_t j = 0; k != 5 && j < 4; j++) {
				CHECK_EQ(t, echo_add_finish(f[k][j], &sum), SEL_OK);
				CHECK_EQ(t, sum, (int64_t)k + n + j);
			}
	}
	/* The server ended client 5's session: it revoked the sender it had given it. */
	for (unsigned i = 0; i < IPC_PATIENCE && ident(sender).type != SEL_OBJ_NULL; i++)
		sel_yield();
	CHECK_EQ(t, ident(sender).type, SEL_OBJ_NULL);
	CHECK_EQ(t, sel_uintr_send(5), SEL_ERR_EMPTY_SLOT); /* our installed copy went with it */
	CHECK_EQ(t, echo_pokes(&peer[0].conn, &total), SEL_OK);
	CHECK_EQ(t, echo_add(&peer[10].conn, 40, 2, &sum), SEL_OK);
	CHECK_EQ(t, sum, 42);
	/* Client 10 closes its session the orderly way: its later calls end, the others go on. */
	CHECK_EQ(t, sel_idl_async_close(&peer[10].c), SEL_OK);
	CHECK_EQ(t, echo_add(&peer[10].conn, 1, 2, &sum), SEL_ERR_PEER_DEAD);
	CHECK_EQ(t, echo_add(&peer[9].conn, 40, 3, &sum), SEL_OK);
	CHECK_EQ(t, sum, 43);
	CHECK_EQ(t, idl_server_destroy(&as), SEL_OK);
}

/*
 * A raw descriptor for call slot 0: the status its completion carries, or
 * the status of the reply header it points to (-1: neither).
 */
static int raw_async(struct sel_idl_async_client *c, uint64_t w0, uint64_t len)
{
	uint64_t m[8] = {w0, len};
	struct sel_idl_msg rep = {0};
	int rc;

	c->slots[0].done = 0;
	c->slots[0].pending = 1;
	if (sel_ring_push(&c->req, m) != SEL_OK)
		return -1;
	rc = sel_idl_async_transport.wait(c, 0, &rep);
	if (rc != SEL_OK)
		return rc;
	return rep.len >= 8 ? (int)idl_status(*(volatile uint64_t *)rep.buf) : -1;
}

/* A raw descriptor naming no slot of ours: the status of the stray completion it earns. */
static int raw_stray(struct sel_idl_async_client *c, uint64_t w0, uint64_t len)
{
	uint64_t m[8] = {w0, len}, before = c->stray;
	struct sel_idl_msg rep;

	if (sel_ring_push(&c->req, m) != SEL_OK)
		return -1;
	for (unsigned i = 0; i < IPC_PATIENCE && c->stray == before; i++) {
		sel_idl_async_transport.poll(c, 0, &rep); /* publishes and drains */
		sel_yield();
	}
	return c->stray == before + 1 ? c->stray_status : -1;
}

TEST(IDL_0606, "malformed async requests get an error completion and change nothing: every "
               "descriptor field out of range, unknown method, short, wrong kind or version")
{
	struct sel_idl_async_client *c = &peer[0].c;
	struct idl_server as;
	uint64_t ut, total, *req;
	int64_t sum;

	CHECK_EQ(t, start_both(&as, 0, 57, &ut, 8, 16), SEL_OK);
	CHECK_EQ(t, echo_poke(&peer[0].conn, 7), SEL_OK);
	req = (uint64_t *)(c->win + c->layout.area_off); /* slot 0's request area */
	const uint64_t A = (uint64_t)SEL_IDL_ASYNC_AREA << 32;
	req[0] = idl_header(ECHO_METHOD_ADD, SEL_IDL_KIND_REQUEST, 1);
	req[1] = 1;
	req[2] = 2;
	CHECK_EQ(t, raw_async(c, A, 24), SEL_OK); /* the honest request, raw: 1 + 2 */
	CHECK_EQ(t, *(volatile uint64_t *)(c->win + c->layout.area_off + c->layout.area + 8), 3);
	/* Descriptor fields out of range, in turn: slot, kind, length. */
	CHECK_EQ(t, raw_stray(c, A | 8, 24), SEL_ERR_PROTOCOL);             /* slot = nslots */
	CHECK_EQ(t, raw_stray(c, A | 0xffffffffu, 24), SEL_ERR_PROTOCOL);   /* slot far out */
	CHECK_EQ(t, raw_stray(c, 0, 24), SEL_ERR_PROTOCOL);                 /* kind 0 */
	CHECK_EQ(t, raw_stray(c, 7ull << 32, 24), SEL_ERR_PROTOCOL);        /* kind 7 */
	CHECK_EQ(t, raw_async(c, A, c->layout.area + 8), SEL_ERR_PROTOCOL); /* past the area */
	CHECK_EQ(t, raw_async(c, A, 1ull << 40), SEL_ERR_PROTOCOL);
	CHECK_EQ(t, raw_async(c, A, 20), SEL_ERR_PROTOCOL); /* not whole words */
	/* Messages the skeleton refuses. */
	CHECK_EQ(t, raw_async(c, A, 16), SEL_ERR_PROTOCOL); /* short */
	CHECK_EQ(t, raw_async(c, A, 0), SEL_ERR_PROTOCOL);  /* empty */
	CHECK_EQ(t, raw_async(c, A, 8), SEL_ERR_PROTOCOL);  /* a header only */
	req[0] = idl_header(99, SEL_IDL_KIND_REQUEST, 1);
	CHECK_EQ(t, raw_async(c, A, 24), SEL_ERR_UNKNOWN_METHOD);
	req[0] = idl_header(ECHO_METHOD_ADD, SEL_IDL_KIND_REPLY, 1);
	CHECK_EQ(t, raw_async(c, A, 24), SEL_ERR_PROTOCOL); /* a reply as a request */
	req[0] = idl_header(ECHO_METHOD_ADD, SEL_IDL_KIND_REQUEST, 2);
	CHECK_EQ(t, raw_async(c, A, 24), SEL_ERR_PROTOCOL); /* wire version */
	req[0] = idl_header(ECHO_METHOD_ADD, SEL_IDL_KIND_REQUEST, 1) | 1ull << 20;
	CHECK_EQ(t, raw_async(c, A, 24), SEL_ERR_PROTOCOL); /* flags */
	/* A one-way descriptor with more than fits inline: dropped (nobody to tell). */
	uint64_t m[8] = {(uint64_t)SEL_IDL_ASYNC_INLINE << 32, 64,
	                 idl_header(ECHO_METHOD_POKE, SEL_IDL_KIND_ONEWAY, 1), 1000};
	CHECK_EQ(t, sel_ring_push(&c->req, m), SEL_OK);
	/* The server's state is what the honest calls made it, and it still serves. */
	CHECK_EQ(t, echo_pokes(&peer[0].conn, &total), SEL_OK);
	CHECK_EQ(t, total, 7);
	CHECK_EQ(t, echo_add(&peer[0].conn, 2, 3, &sum), SEL_OK);
	CHECK_EQ(t, sum, 5);
	CHECK_EQ(t, idl_server_destroy(&as), SEL_OK);
}

/* The hostile half of a client: rewrites the (offset, length) pair of slot 0's request. */
static volatile uint64_t flipping, flips;

static void flip_pair(uint64_t pair)
{
	static const uint64_t values[] = {
	    16 | 200ull << 32,         /* the honest pair */
	    16 | 4000ull << 32,        /* past the string's bound */
	    0xfffff000 | 200ull << 32, /* an offset far outside the message */
	    8 | 200ull << 32,          /* overlapping the fixed part */
	    16 | 0xffffffffull << 32,  /* a length that wraps */
	};
	for (uint64_t i = 0; flipping; i++) {
		*(volatile uint64_t *)pair = values[i % 5];
		flips = i;
		if (i % 256 == 255) /* on a shared hart, let the others run too */
			sel_yield();
	}
}

TEST(IDL_0608, "a client rewriting its request's offset and length while the skeleton decodes "
               "it gets its string back or an error, and the server goes on")
{
	static char honest[201], reply[257];
	struct sel_idl_conn *ac = &peer[0].conn;
	struct idl_server as;
	uint64_t ut, tcb, ok = 0, refused = 0, pair;
	int64_t sum;

	CHECK_EQ(t, start_both(&as, 0, 58, &ut, 8, 17), SEL_OK);
	memset(honest, 'h', 200);
	pair = (uint64_t)(peer[0].c.win + peer[0].c.layout.area_off + 8); /* slot 0, byte 8 */
	flipping = 1;
	CHECK_EQ(t, ipc_thread(ut, flip_pair, pair, &tcb), SEL_OK);
	for (unsigned i = 0; i < 500; i++) {
		memset(reply, 0, sizeof(reply));
		int rc = echo_echo_finish(echo_echo_async(ac, honest), reply);
		if (rc == SEL_OK && strcmp(reply, honest) == 0)
			ok++;
		else if (rc == SEL_ERR_PROTOCOL)
			refused++;
		else
			CHECK_EQ(t, rc, -1); /* anything else is wrong: print it */
	}
	flipping = 0;
	CHECK_EQ(t, ok + refused, 500);
	CHECK(t, flips > 0);
	CHECK(t, ok > 0 && refused > 0); /* both: the rewrites did reach the skeleton */
	/* The server served them all and still serves. */
	CHECK_EQ(t, echo_add(ac, 40, 2, &sum), SEL_OK);
	CHECK_EQ(t, sum, 42);
	CHECK_EQ(t, echo_echo(ac, honest, reply), SEL_OK);
	CHECK(t, strcmp(reply, honest) == 0);
	CHECK_EQ(t, idl_server_destroy(&as), SEL_OK);
}

/*
 * The sleep both sides of the transport use (sel_uintr_wait_unless), with a
 * doorbell sent exactly between its check and its wait: a waiter thread is
 * held inside that window (sel_uintr_wait_hold) until its handler has run.
 * The handler claims the pending bit, so a plain wait would sleep through
 * the doorbell; the trampoline restarts the check instead. Each round
 * waits up to 100 ms for the waiter to come out; a round that does not
 * counts as a lost wake-up, and a second send frees the waiter.
 */
static volatile uint64_t wake_flag, wake_hits, wake_go, wake_armed, wake_done;

static void wake_handler(uint64_t pending, struct sel_uintr_frame *frame)
{
	(void)pending;
	(void)frame;
	wake_hits++;
	wake_flag = 1;
}

static void wake_waiter(uint64_t recv)
{
	if (sel_uintr_register_handler(recv, wake_handler, 0) != SEL_OK)
		return;
	for (uint64_t r = 1;; r++) {
		while (wake_go < r)
			sel_yield();
		if (wake_go == ~0ull)
			return;
		wake_flag = 0;
		__asm__ volatile("fence rw,rw" ::: "memory");
		wake_armed = r;
		sel_uintr_wait_unless(&wake_flag, 0);
		wake_done = r;
	}
}

/* Waits (yielding) up to `ms` for *word >= value; 1 if it got there. */
static int wait_until(volatile uint64_t *word, uint64_t value, uint64_t ms)
{
	uint64_t end = sel_rdtime() + test_shared_page->timebase_hz / 1000 * ms;

	while (*word < value)
		if (sel_rdtime() > end)
			return 0;
		else
			sel_yield();
	return 1;
}

/* Rounds of a doorbell sent inside the window; the lost wake-ups, or ~0 if a step failed. */
static uint64_t doorbells_in_the_window(uint64_t rounds)
{
	uint64_t ut, recv, snd = slot_new(), tcb, lost = 0;

	if (untyped_new(18, &ut) != SEL_OK || object_new(ut, SEL_OBJ_UINTR_RECEIVER, 0, &recv) ||
	    sel_uintr_create_sender(recv, 3, ROOT, snd, FULL) || sel_uintr_install(snd, 0) ||
	    ipc_thread(ut, wake_waiter, recv, &tcb))
		return ~0ull;
	for (uint64_t r = 1; r <= rounds; r++) {
		uint64_t hits = wake_hits;
		sel_uintr_wait_hold = 1;
		wake_go = r;
		if (!wait_until(&wake_armed, r, 2000))
			return ~0ull;
		for (volatile unsigned i = 0; i < 20000; i++) /* into the window: held there */
			;
		if (sel_uintr_send(0) != SEL_OK || !wait_until(&wake_hits, hits + 1, 2000))
			return ~0ull;
		sel_uintr_wait_hold = 0;
		if (!wait_until(&wake_done, r, 100)) {
			lost++;
			if (sel_uintr_send(0) != SEL_OK || !wait_until(&wake_done, r, 2000))
				return ~0ull;
		}
	}
	wake_go = ~0ull;
	return lost;
}

TEST(IDL_0609, "a doorbell whose handler runs between the sleeper's check and its wait is not "
               "slept through (20 rounds, the sender on whichever hart)")
{
	CHECK_EQ(t, doorbells_in_the_window(20), 0);
}

TEST(IDL_0610, "positive control of IDL_0609: with the trampoline's restart off, the same "
               "doorbells are slept through")
{
	sel_uintr_wait_no_restart = 1;
	uint64_t lost = doorbells_in_the_window(20);
	CHECK(t, lost != ~0ull);
	CHECK(t, lost >= 10); /* caught: without the restart the wait sleeps through them */
}
