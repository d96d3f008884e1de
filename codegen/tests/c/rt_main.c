/*
 * Round-trip test program for the rt.idl service: client stubs -> loopback
 * transport -> server skeleton -> handlers (rt_server.c) -> reply -> stubs.
 *
 *   rt_test roundtrip N SEED   N random calls of every method, compared
 *   rt_test async SEED         deferred transport: pending futures, poll,
 *                              then-callbacks, a full slot table
 *   rt_test errors             typed errors, transport errors, bad arguments,
 *                              rights, unknown methods
 *   rt_test events SEED        server events through the event sink
 *   rt_test malformed N SEED   mutated and random requests and replies must be
 *                              refused cleanly (run under ASan/UBSan)
 *
 * Prints one "ok <mode>" line on success; on failure "FAIL <mode> <case>:
 * <what>" and exits 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rt_calls.h"

static struct rt_server server;
static struct loopback lb;
static struct sel_idl_future slots[LOOPBACK_SLOTS];
static struct sel_idl_conn conn;

#define CHECK RT_CHECK

static void setup(bool deferred)
{
	memset(&server, 0, sizeof(server));
	loopback_init(&lb, rt_dispatch, &server, 0x5eed, deferred);
	sel_idl_conn_init(&conn, &loopback_transport, &lb, slots, LOOPBACK_SLOTS);
	rt_conn = &conn;
	rt_srv = &server;
	rt_lb = &lb;
}

static void run_roundtrip(int iterations, uint64_t seed)
{
	uint64_t rng = seed | 1;

	setup(false);
	for (int i = 0; i < iterations; i++)
		rt_call_all(&rng, i);
	printf("ok roundtrip: %d iterations x 9 methods, %u handler calls\n", iterations,
	       server.calls);
}

struct then_record {
	int calls;
	int status;
	uint32_t n;
	char text[51];
};

static void on_last_note(struct sel_idl_future *f, void *arg)
{
	struct then_record *rec = arg;

	rec->calls++;
	rec->status = rt_last_note_finish(f, rec->text, &rec->n);
}

static void run_async(uint64_t seed)
{
	uint64_t rng = seed | 1;
	struct sel_idl_future *f[LOOPBACK_SLOTS], *extra;
	struct then_record rec = {0};
	int64_t v[5] = {1, -2, 3, -4, 5}, v_out[5];
	uint8_t m[4][4] = {{1}}, m_out[4][4];
	int rc;

	setup(true);
	rc = rt_note(&conn, "first", 7); /* one-way: resolved at once even when deferred */
	CHECK(rc == SEL_OK, "oneway: rc %d", rc);
	f[0] = rt_last_note_async(&conn);
	f[1] = rt_arrays_async(&conn, (const uint8_t(*)[4])m, v);
	f[2] = rt_fail_async(&conn, 1001);
	f[3] = rt_last_note_async(&conn);
	for (int i = 0; i < LOOPBACK_SLOTS; i++)
		CHECK(sel_idl_future_poll(f[i]) == SEL_ERR_WOULD_BLOCK, "future %d not pending", i);
	extra = rt_fail_async(&conn, 0);
	CHECK(sel_idl_future_poll(extra) == SEL_ERR_FULL, "full slot table: %d",
	      sel_idl_future_poll(extra));
	CHECK(rt_fail_finish(extra) == SEL_ERR_FULL, "full slot table finish");
	sel_idl_future_then(f[3], on_last_note, &rec);
	CHECK(rec.calls == 0, "then ran before the reply");
	/* wait on one future while the others stay pending */
	rc = rt_arrays_finish(f[1], m_out, v_out);
	CHECK(rc == SEL_OK && memcmp(v, v_out, sizeof(v)) == 0, "arrays_finish: rc %d", rc);
	CHECK(sel_idl_future_poll(f[0]) == SEL_ERR_WOULD_BLOCK, "f0 resolved too early");
	CHECK(loopback_run(&lb) == 3, "server did not run three requests");
	CHECK(sel_idl_conn_poll(&conn) == 3, "conn_poll did not resolve three futures");
	CHECK(rec.calls == 1 && rec.status == SEL_OK && strcmp(rec.text, "first") == 0 &&
	          rec.n == 7,
	      "then callback: calls %d rc %d", rec.calls, rec.status);
	rc = rt_fail_finish(f[2]);
	CHECK(rc == RT_ERROR_WORST, "typed error through a future: %d", rc);
	rc = rt_last_note_finish(f[0], rec.text, &rec.n);
	CHECK(rc == SEL_OK && rec.n == 7, "last_note_finish: rc %d", rc);
	/* a then on an already resolved future runs at once */
	f[0] = rt_last_note_async(&conn);
	loopback_run(&lb);
	sel_idl_conn_poll(&conn);
	sel_idl_future_then(f[0], on_last_note, &rec);
	CHECK(rec.calls == 2, "then on a resolved future did not run");
	/* a released pending future frees its slot once the reply comes */
	f[0] = rt_last_note_async(&conn);
	sel_idl_future_release(f[0]);
	loopback_run(&lb);
	sel_idl_conn_poll(&conn);
	for (int i = 0; i < LOOPBACK_SLOTS; i++)
		CHECK(slots[i].state == SEL_IDL_FUTURE_FREE, "slot %d not freed", i);
	for (int i = 0; i < 50; i++)
		rt_call_everything(&rng, i); /* blocking calls on a deferred transport */
	printf("ok async\n");
}

/* Send a hand-made request with method id `ordinal` and return the reply status. */
static int raw_call(uint16_t ordinal, uint8_t kind, uint32_t *status, uint8_t *flags)
{
	struct sel_idl_msg req, rep;
	_Alignas(8) uint8_t reqb[64], repb[SEL_IDL_MAX_MESSAGE_BYTES];
	uint64_t word;
	int rc;

	memset(&req, 0, sizeof(req));
	memset(&rep, 0, sizeof(rep));
	req.buf = reqb;
	req.capacity = sizeof(reqb);
	rep.buf = repb;
	rep.capacity = sizeof(repb);
	sel_idl_write_header(&req, ordinal, kind, 0, 0);
	rc = rt_dispatch(&server, 1, &req, &rep);
	*status = 0xffffffffu;
	*flags = 0xff;
	if (rep.len >= 8) {
		memcpy(&word, repb, 8);
		*status = (uint32_t)(word >> 32);
		*flags = (uint8_t)((word >> 20) & 0xf);
	}
	return rc;
}

static void run_errors(void)
{
	char long_text[60];
	uint32_t status;
	uint8_t flags;
	uint8_t buf[16];
	struct sel_idl_cap c3;
	struct sel_idl_cap weak = {1, SEL_RIGHT_WRITE, SEL_OBJ_ENDPOINT};
	struct sel_idl_cap ok2 = {2, SEL_RIGHT_WRITE | SEL_RIGHT_GRANT, SEL_OBJ_ENDPOINT};
	struct sel_idl_cap wrong_type = {1, SEL_RIGHT_READ, SEL_OBJ_FRAME};
	uint64_t copied;
	int rc;

	setup(false);
	CHECK(rt_fail(&conn, 0) == SEL_OK, "fail(0)");
	CHECK(rt_fail(&conn, 1000) == RT_ERROR_BAD, "typed error bad");
	CHECK(sel_idl_is_app_error(RT_ERROR_BAD) && !sel_idl_is_app_error(SEL_ERR_PROTOCOL),
	      "sel_idl_is_app_error");
	CHECK(rt_fail(&conn, SEL_ERR_NO_MEMORY) == SEL_ERR_NO_MEMORY, "sel_error passthrough");
	CHECK(rt_fail(&conn, 2000) == SEL_ERR_PROTOCOL, "undeclared typed error");
	CHECK(rt_fail(&conn, 3000) == SEL_ERR_PROTOCOL, "handler result outside contract");
	memset(long_text, 'x', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	CHECK(rt_note(&conn, long_text, 1) == SEL_ERR_RANGE, "string over its bound");
	CHECK(rt_note(&conn, "\xff\xfe", 1) == SEL_ERR_INVALID_ARG, "invalid UTF-8 argument");
	CHECK(rt_scalars(&conn, 0, 0, 0, 0, 0, 0, 0, 0, false, (enum rt_color)3, RT_LEVEL_MID,
	                 RT_WIDE_ONE, buf, (uint16_t *)(void *)buf, (uint32_t *)(void *)buf,
	                 (uint64_t *)(void *)buf, (int8_t *)buf, (int16_t *)(void *)buf,
	                 (int32_t *)(void *)buf, (int64_t *)(void *)buf, (bool *)(void *)buf,
	                 (enum rt_color *)(void *)buf, (enum rt_level *)(void *)buf,
	                 (enum rt_wide *)(void *)buf) == SEL_ERR_INVALID_ARG,
	      "invalid enum argument");
	rc = rt_caps(&conn, weak, ok2, &c3);
	CHECK(rc == SEL_ERR_NO_RIGHTS, "cap without the read right: %d", rc);
	rc = rt_caps(&conn, wrong_type, ok2, &c3);
	CHECK(rc == SEL_ERR_WRONG_TYPE, "cap of the wrong object type: %d", rc);
	rc = rt_leases(&conn, buf, 4097, &copied);
	CHECK(rc == SEL_ERR_RANGE, "lease over its bound: %d", rc);
	rc = raw_call(99, SEL_IDL_KIND_REQUEST, &status, &flags);
	CHECK(rc == SEL_ERR_UNKNOWN_METHOD && status == SEL_ERR_UNKNOWN_METHOD && flags == 0,
	      "strict unknown method: rc %d status %u", rc, status);
	rc = raw_call(99, SEL_IDL_KIND_ONEWAY, &status, &flags);
	CHECK(rc == SEL_ERR_UNKNOWN_METHOD && status == 0xffffffffu,
	      "strict unknown one-way method: rc %d (must not reply)", rc);
	rc = raw_call(RT_METHOD_FAIL, SEL_IDL_KIND_ONEWAY, &status, &flags);
	CHECK(rc == SEL_ERR_PROTOCOL && status == 0xffffffffu, "two-way method sent one-way: %d",
	      rc);
	printf("ok errors\n");
}

struct ping_record {
	int calls;
	uint32_t n;
	uint8_t blob[16];
	size_t len;
	enum rt_color color;
};

static void on_ping(void *ctx, uint32_t n, const uint8_t *blob, size_t blob_len,
                    enum rt_color color)
{
	struct ping_record *rec = ctx;

	rec->calls++;
	rec->n = n;
	rec->len = blob_len;
	memcpy(rec->blob, blob, blob_len);
	rec->color = color;
}

static void run_events(uint64_t seed)
{
	uint64_t rng = seed | 1;
	struct sel_idl_event_sink sink;
	struct rt_events handlers = {.ping = on_ping};
	struct ping_record rec = {0};
	struct sel_idl_msg ev;

	setup(false);
	loopback_event_sink(&lb, &sink);
	for (int i = 0; i < 200; i++) {
		uint8_t blob[16];
		size_t len;
		uint32_t n = (uint32_t)rng_next(&rng);
		enum rt_color color = rand_color(&rng);

		rand_bytes(&rng, blob, &len, 16);
		CHECK(rt_emit_ping(&sink, n, blob, len, color) == SEL_OK, "emit #%d", i);
		CHECK(sel_idl_conn_next_event(&conn, &ev) == SEL_OK, "next_event #%d", i);
		CHECK(rt_event_dispatch(&handlers, &rec, &ev) == SEL_OK, "event_dispatch #%d", i);
		CHECK(rec.calls == i + 1 && rec.n == n && rec.len == len && rec.color == color &&
		          memcmp(rec.blob, blob, len) == 0,
		      "event #%d differs", i);
	}
	CHECK(sel_idl_conn_next_event(&conn, &ev) == SEL_ERR_EMPTY, "event queue not empty");
	CHECK(rt_emit_ping(&sink, 1, NULL, 17, RT_COLOR_RED) == SEL_ERR_RANGE, "event bound");
	printf("ok events\n");
}

/* Malformed messages. */

struct corpus {
	int count;
	struct sel_idl_msg msg[16];
	uint8_t bytes[16][SEL_IDL_MAX_MESSAGE_BYTES];
};

static struct corpus requests, replies;

/* Memory that recorded leases point at (the original callers' buffers are gone). */
static uint8_t lease_arena[SEL_IDL_MAX_LEASES][8192];

static void record_request(void *arg, struct sel_idl_msg *req)
{
	struct corpus *c = arg;

	if (c->count < 16) {
		c->msg[c->count] = *req;
		for (unsigned i = 0; i < SEL_IDL_MAX_LEASES; i++)
			c->msg[c->count].leases[i].base = (uint64_t)(uintptr_t)lease_arena[i];
		memcpy(c->bytes[c->count], req->buf, req->len);
		c->count++;
	}
}

static void collect(void)
{
	uint64_t rng = 42;

	setup(false);
	lb.before_dispatch = record_request;
	lb.hook_arg = &requests;
	rt_call_all(&rng, 0);
	lb.before_dispatch = NULL;
	/* Replies: replay each request and keep the reply. */
	for (int i = 0; i < requests.count && replies.count < 16; i++) {
		struct sel_idl_msg req = requests.msg[i], rep;
		_Alignas(8) static uint8_t repb[SEL_IDL_MAX_MESSAGE_BYTES];

		req.buf = requests.bytes[i];
		req.lease_ops = &loopback_lease_ops;
		memset(&rep, 0, sizeof(rep));
		rep.buf = repb;
		rep.capacity = sizeof(repb);
		rt_dispatch(&server, 1, &req, &rep);
		if (rep.len == 0)
			continue;
		replies.msg[replies.count] = rep;
		memcpy(replies.bytes[replies.count], repb, rep.len);
		replies.count++;
	}
}

static void mutate(uint64_t *rng, struct sel_idl_msg *m, uint8_t *bytes)
{
	uint64_t how = rng_below(rng, 10);
	int flips = 1 + (int)rng_below(rng, 8);

	if (how < 6) {
		for (int i = 0; i < flips && m->len > 0; i++)
			bytes[rng_below(rng, m->len)] ^= (uint8_t)(1u << rng_below(rng, 8));
	} else if (how == 6) {
		m->len = (uint32_t)rng_below(rng, m->len + 1);
	} else if (how == 7) {
		m->ncaps = (uint32_t)rng_below(rng, 5);
		m->nleases = (uint32_t)rng_below(rng, 4);
		m->caps[0].rights = (uint32_t)rng_below(rng, 32);
		m->leases[0].len = rng_below(rng, 8192);
		m->leases[0].access = (uint32_t)rng_below(rng, 4);
	} else if (how == 8) {
		/* a random 32-bit word (lengths, offsets) */
		if (m->len >= 12) {
			uint32_t w = (uint32_t)rng_next(rng);
			memcpy(bytes + 8 + 4 * rng_below(rng, (m->len - 8) / 4), &w, 4);
		}
	} else {
		m->len = (uint32_t)rng_below(rng, SEL_IDL_MAX_MESSAGE_BYTES + 1);
		for (uint32_t i = 8; i < m->len; i++)
			bytes[i] = (uint8_t)rng_next(rng);
	}
}

static struct sel_idl_msg bad_reply;

static int replay_poll(void *ctx, uint32_t slot, struct sel_idl_msg *rep)
{
	(void)ctx;
	(void)slot;
	*rep = bad_reply;
	return SEL_OK;
}

static int replay_send(void *ctx, uint32_t slot, struct sel_idl_msg *req, bool oneway)
{
	(void)ctx;
	(void)slot;
	(void)req;
	(void)oneway;
	return SEL_OK;
}

static int replay_buffer(void *ctx, uint32_t slot, struct sel_idl_msg *req)
{
	static _Alignas(8) uint8_t buf[SEL_IDL_MAX_MESSAGE_BYTES];

	(void)ctx;
	(void)slot;
	req->buf = buf;
	req->capacity = sizeof(buf);
	return SEL_OK;
}

static const struct sel_idl_transport replay_transport = {
    .request_buffer = replay_buffer,
    .send = replay_send,
    .wait = replay_poll,
    .poll = replay_poll,
};

/* Feed one (maybe malformed) reply to the finish function of its method. */
static int finish_with(uint16_t ordinal)
{
	struct sel_idl_future fs[1], *f;
	struct sel_idl_conn c;
	struct sel_idl_msg *m;
	static struct rt_all y;
	static char s[101], text[51];
	static uint8_t raw[1000], tail[7], m44[4][4];
	static int64_t v[5];
	size_t n1, n2;
	uint64_t u64;
	uint32_t u32;
	struct sel_idl_cap cap;

	sel_idl_conn_init(&c, &replay_transport, NULL, fs, 1);
	f = sel_idl_call_start(&c, ordinal, false, &m);
	f = sel_idl_call_send(f, sel_idl_encode_begin(m, 0));
	switch (ordinal) {
	case RT_METHOD_SCALARS: {
		uint8_t a;
		uint16_t b;
		int8_t e;
		int16_t h16;
		int32_t g;
		int64_t h;
		bool yes;
		enum rt_color color;
		enum rt_level level;
		enum rt_wide wide;

		return rt_scalars_finish(f, &a, &b, &u32, &u64, &e, &h16, &g, &h, &yes, &color,
		                         &level, &wide);
	}
	case RT_METHOD_EVERYTHING:
		return rt_everything_finish(f, &y, s, raw, &n1);
	case RT_METHOD_ARRAYS:
		return rt_arrays_finish(f, m44, v);
	case RT_METHOD_OPAQUE_ECHO:
		return rt_opaque_echo_finish(f, raw, &n1, tail, &n2);
	case RT_METHOD_CAPS:
		return rt_caps_finish(f, &cap);
	case RT_METHOD_LEASES:
		return rt_leases_finish(f, &u64);
	case RT_METHOD_LAST_NOTE:
		return rt_last_note_finish(f, text, &u32);
	case RT_METHOD_INOUT:
		return rt_inout_finish(f);
	default:
		return rt_fail_finish(f);
	}
}

static bool valid_rc(int rc)
{
	return (rc >= SEL_OK && rc < SEL_ERR_COUNT) || sel_idl_is_app_error(rc);
}

static void run_malformed(int iterations, uint64_t seed)
{
	uint64_t rng = seed | 1;
	int refused = 0, served = 0;

	collect();
	CHECK(requests.count >= 9 && replies.count >= 8, "corpus: %d requests, %d replies",
	      requests.count, replies.count);
	for (int i = 0; i < iterations; i++) {
		int k = (int)rng_below(&rng, (uint64_t)requests.count);
		struct sel_idl_msg req = requests.msg[k], rep;
		uint8_t *bytes = malloc(SEL_IDL_MAX_MESSAGE_BYTES);
		uint8_t *repb = malloc(SEL_IDL_MAX_MESSAGE_BYTES);
		int rc;

		memcpy(bytes, requests.bytes[k], SEL_IDL_MAX_MESSAGE_BYTES);
		mutate(&rng, &req, bytes);
		req.buf = bytes;
		req.lease_ops = &loopback_lease_ops;
		memset(&rep, 0, sizeof(rep));
		rep.buf = repb;
		rep.capacity = SEL_IDL_MAX_MESSAGE_BYTES;
		/* caps and leases stay what the (honest) client sent, or were mutated */
		rc = rt_dispatch(&server, 1, &req, &rep);
		CHECK(rc >= SEL_OK && rc < SEL_ERR_COUNT, "request #%d: dispatch returned %d", i,
		      rc);
		CHECK(rep.len == 0 || (rep.len >= 8 && rep.len <= rep.capacity),
		      "request #%d: reply length %u", i, rep.len);
		if (rc == SEL_OK)
			served++;
		else
			refused++;
		free(bytes);
		free(repb);
	}
	for (int i = 0; i < iterations; i++) {
		int k = (int)rng_below(&rng, (uint64_t)replies.count);
		uint8_t *bytes = malloc(SEL_IDL_MAX_MESSAGE_BYTES);
		uint64_t word;
		int rc;

		bad_reply = replies.msg[k];
		memcpy(bytes, replies.bytes[k], SEL_IDL_MAX_MESSAGE_BYTES);
		mutate(&rng, &bad_reply, bytes);
		bad_reply.buf = bytes;
		memcpy(&word, replies.bytes[k], 8);
		rc = finish_with((uint16_t)(word & 0xffff));
		CHECK(valid_rc(rc), "reply #%d: finish returned %d", i, rc);
		free(bytes);
	}
	printf("ok malformed: %d requests (%d served, %d refused), %d replies\n", iterations,
	       served, refused, iterations);
}

int main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[2]) : 100;
	uint64_t seed = argc > 3 ? strtoull(argv[3], NULL, 0) : 1;

	if (argc < 2) {
		fprintf(stderr, "usage: %s roundtrip|async|errors|events|malformed [N] [SEED]\n",
		        argv[0]);
		return 2;
	}
	rt_mode = argv[1];
	if (strcmp(rt_mode, "roundtrip") == 0)
		run_roundtrip(n, seed);
	else if (strcmp(rt_mode, "async") == 0)
		run_async(argc > 2 ? strtoull(argv[2], NULL, 0) : 1);
	else if (strcmp(rt_mode, "errors") == 0)
		run_errors();
	else if (strcmp(rt_mode, "events") == 0)
		run_events(argc > 2 ? strtoull(argv[2], NULL, 0) : 1);
	else if (strcmp(rt_mode, "malformed") == 0)
		run_malformed(n, seed);
	else
		return 2;
	return 0;
}
