/*
 * Double-fetch test: every structured byte of a message is read exactly once.
 *
 * The server's dispatch and the client's reply decoding run on watched
 * buffers (copyin_watch.c): each byte is counted when read and flipped right
 * after, as a hostile peer would. Afterwards the counts must equal what the
 * layout says: 1 for the header, the fixed part and every copied payload; 0
 * for opaque request payloads (the handler reads them in place) and padding.
 * The random calls of rt_calls.c also check that every handler and caller saw
 * the original values, so nothing was taken from the buffer after its first
 * read. df_layout.h, written by the test from idlc's layout module, lists
 * where each message's fixed part ends and where its payload pairs are.
 *
 * A positive control reads a header twice and must be reported.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "copyin_watch.h"
#include "df_layout.h"
#include "rt_calls.h"

static struct rt_server server;
static struct loopback lb;
static struct sel_idl_future slots[LOOPBACK_SLOTS];
static struct sel_idl_conn conn;
static struct sel_idl_transport watched_transport;
static _Alignas(8) uint8_t original[SEL_IDL_MAX_MESSAGE_BYTES];
static size_t original_len;
static bool reply_watched;
static int requests_checked, replies_checked;

static const struct df_message *find(uint16_t ordinal, bool reply)
{
	for (size_t i = 0; i < sizeof(df_messages) / sizeof(df_messages[0]); i++)
		if (df_messages[i].ordinal == ordinal && df_messages[i].reply == reply)
			return &df_messages[i];
	return NULL;
}

/* Compare read counts with the layout; print the first difference. */
static bool counts_match(const char *what, const uint8_t *msg, size_t len, bool reply, bool quiet)
{
	static uint8_t expect[SEL_IDL_MAX_MESSAGE_BYTES];
	const uint8_t *counts = watch_counts();
	uint64_t word;
	const struct df_message *d;

	memcpy(&word, msg, 8);
	d = find((uint16_t)(word & 0xffff), reply);
	memset(expect, 0, sizeof(expect));
	memset(expect, 1, 8);
	if ((word >> 20 & 0xf) == 0 && (word >> 32) == 0 && d != NULL) {
		memset(expect, 1, d->var_start);
		for (unsigned p = 0; p < d->npairs; p++) {
			uint32_t off, n;

			memcpy(&off, msg + d->pairs[p].off, 4);
			memcpy(&n, msg + d->pairs[p].off + 4, 4);
			if (!d->pairs[p].opaque)
				memset(expect + off, 1, n);
		}
	}
	for (size_t i = 0; i < len; i++) {
		if (counts[i] != expect[i]) {
			if (!quiet)
				printf("FAIL double-fetch %s of method %u: byte %zu read %u times, "
				       "expected %u\n",
				       what, (unsigned)(word & 0xffff), i, counts[i], expect[i]);
			return false;
		}
	}
	return true;
}

static int watched_dispatch(void *ctx, uint64_t badge, const struct sel_idl_msg *req,
                            struct sel_idl_msg *rep)
{
	int rc;

	original_len = req->len;
	memcpy(original, req->buf, req->len);
	watch_begin(req->buf, req->len, true);
	rc = rt_dispatch(ctx, badge, req, rep);
	watch_end();
	RT_CHECK(rc == SEL_OK, "request of method %u: dispatch returned %d",
	         (unsigned)(original[0] | original[1] << 8), rc);
	if (!counts_match("request", original, original_len, false, false))
		rt_fail_now();
	requests_checked++;
	return rc;
}

static int watched_poll(void *ctx, uint32_t slot, struct sel_idl_msg *rep)
{
	int rc = loopback_transport.poll(ctx, slot, rep);

	if (rc == SEL_OK) {
		original_len = rep->len;
		memcpy(original, rep->buf, rep->len);
		watch_begin(rep->buf, rep->len, true);
		reply_watched = true;
	}
	return rc;
}

static void watched_release(void *ctx, uint32_t slot)
{
	if (reply_watched) {
		watch_end();
		reply_watched = false;
		if (!counts_match("reply", original, original_len, true, false))
			rt_fail_now();
		replies_checked++;
	}
	loopback_transport.release(ctx, slot);
}

/* A decoder that reads the header twice must not pass. */
static void positive_control(void)
{
	_Alignas(8) uint8_t buf[16] = {0};
	struct sel_idl_msg m = {.buf = buf, .len = 16, .capacity = 16};
	uint64_t word;

	sel_idl_write_header(&m, RT_METHOD_LAST_NOTE, SEL_IDL_KIND_REQUEST, 0, 0);
	m.len = 16;
	memcpy(original, buf, 16);
	watch_begin(buf, 16, false);
	sel_idl_copy_in(&word, &m, 0, 8);
	sel_idl_copy_in(&word, &m, 0, 8);
	watch_end();
	RT_CHECK(!counts_match("control", original, 16, false, true),
	         "positive control: a double read of the header was not detected");
}

int main(int argc, char **argv)
{
	int iterations = argc > 1 ? atoi(argv[1]) : 50;
	uint64_t rng = (argc > 2 ? strtoull(argv[2], NULL, 0) : 1) | 1;

	rt_mode = "double-fetch";
	positive_control();
	loopback_init(&lb, watched_dispatch, &server, 0x5eed, false);
	watched_transport = loopback_transport;
	watched_transport.poll = watched_poll;
	watched_transport.wait = watched_poll;
	watched_transport.release = watched_release;
	sel_idl_conn_init(&conn, &watched_transport, &lb, slots, LOOPBACK_SLOTS);
	rt_conn = &conn;
	rt_srv = &server;
	rt_lb = &lb;
	for (int i = 0; i < iterations; i++)
		rt_call_all(&rng, i);
	printf("ok double-fetch: %d requests and %d replies, every structured byte read once\n",
	       requests_checked, replies_checked);
	return 0;
}
