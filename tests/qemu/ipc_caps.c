/*
 * Capability transfer through IPC (docs/ipc.md): caps go
 * only through an endpoint cap with Grant; each one arrives as a Copy (same
 * type, rights and badge, a child of the sender's cap in the derivation
 * tree) in the receive slots the receiver names in its IPC buffer; the
 * transfer stops at the first slot that cannot take one, and the words
 * always arrive. Untyped caps cannot be sent; replies carry caps only when
 * the call came in through a cap with Grant.
 *
 * The helper receiver (cap_rx) takes message i into slots rx_first + 4i,
 * +4i+1, +4i+2 with depth rx_depth[i] (0: accept no caps).
 */
#include <sel/string.h>
#include "ipc_util.h"

#define RX_MAX  32
#define RX_CALL 0xca11 /* label of messages cap_rx answers with an empty reply */

static uint64_t rx_first, rx_depth[RX_MAX];
static volatile uint64_t rx_n, rx_info[RX_MAX], rx_mr[RX_MAX][2], rx_badge[RX_MAX];

static void cap_rx(uint64_t ep)
{
	struct sel_ipc_buffer *b = sel_ipc_buffer();

	for (uint64_t i = 0; i < RX_MAX; i++) {
		struct sel_msg m = {0};
		b->recv_cnode = ROOT;
		b->recv_index = rx_first + 4 * i;
		b->recv_depth = rx_depth[i];
		int err = sel_recv(ep, &m);
		if (err != SEL_OK)
			sel_exit(err);
		rx_info[i] = m.info;
		rx_mr[i][0] = m.mr[0];
		rx_mr[i][1] = m.mr[1];
		rx_badge[i] = m.badge;
		rx_n = i + 1;
		if (SEL_MSG_LABEL(m.info) == RX_CALL) {
			m = msg(1, 0, 0, 0, 0, 0, 0);
			sel_reply(&m);
		}
	}
}

/* A cap_rx thread on ep; every message accepts caps unless told otherwise later. */
static int rx_start(uint64_t ut, uint64_t ep, uint64_t *tcb)
{
	rx_first = slots_new(4 * RX_MAX);
	for (unsigned i = 0; i < RX_MAX; i++)
		rx_depth[i] = FULL;
	return ipc_thread(ut, cap_rx, ep, tcb);
}

static int rx_reaches(uint64_t n)
{
	for (unsigned i = 0; i < IPC_PATIENCE && rx_n < n; i++)
		sel_yield();
	return rx_n >= n;
}

/* Our own message with `caps` caps from send_caps[] (set by the caller). */
static struct sel_msg cap_msg(uint64_t label, uint64_t caps, uint64_t w0)
{
	return (struct sel_msg){SEL_MSG_INFO(label, caps, 2), {w0, ~w0, 0, 0, 0}, 0};
}

TEST(IPC_0024,
     "sending caps needs Grant on the endpoint cap (32 subsets): else NO_RIGHTS, nothing sent")
{
	uint64_t ut, ep, ntfn, rx, c = slot_new(), n = 0;
	struct sel_ipc_buffer *b = sel_ipc_buffer();

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_NOTIFICATION, 0, &ntfn), SEL_OK);
	CHECK_EQ(t, rx_start(ut, ep, &rx), SEL_OK);
	b->send_caps[0] = ntfn;
	for (uint32_t r = 0; r <= SEL_RIGHTS_ALL; r++) {
		int send_ok = (r & SEL_RIGHT_WRITE) && (r & SEL_RIGHT_GRANT);
		CHECK_EQ(t, sel_cnode_mint(ROOT, c, ep, FULL, r, 0), SEL_OK);
		CHECK(t, wait_blocked(rx, IPC_PATIENCE));
		struct sel_msg m = cap_msg(3, 1, r);
		CHECK_EQ(t, sel_send(c, &m), send_ok ? SEL_OK : SEL_ERR_NO_RIGHTS);
		m = cap_msg(RX_CALL, 1, r);
		if (send_ok) {
			CHECK(t, rx_reaches(++n));
			CHECK_EQ(t, SEL_MSG_CAPS(rx_info[n - 1]), 1);
			CHECK_EQ(t, ident(rx_first + 4 * (n - 1)).type, SEL_OBJ_NOTIFICATION);
			CHECK(t, wait_blocked(rx, IPC_PATIENCE));
		}
		/* Call: GrantReply is enough to call, not to send caps. */
		CHECK_EQ(t, sel_call(c, &m), send_ok ? SEL_OK : SEL_ERR_NO_RIGHTS);
		if (send_ok) {
			CHECK(t, rx_reaches(++n));
			CHECK_EQ(t, SEL_MSG_CAPS(rx_info[n - 1]), 1);
		}
		sel_yield();
		CHECK_EQ(t, rx_n, n);
		CHECK_EQ(t, ident(rx_first + 4 * n).type, SEL_OBJ_NULL); /* nothing arrived */
		CHECK_EQ(t, ident(ntfn).type, SEL_OBJ_NOTIFICATION);     /* we keep ours */
		CHECK_EQ(t, sel_cnode_delete(ROOT, c, FULL, 0), SEL_OK);
	}
	CHECK_EQ(t, n, 16); /* W and G, with R, GR and X either way: 8 subsets, 2 messages */
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

static uint64_t tx_src[32];
static volatile uint64_t tx_err;

/* Sends tx_src[k] as the one cap of message k (label k), for k < 32. */
static void cap_tx(uint64_t ep)
{
	struct sel_ipc_buffer *b = sel_ipc_buffer();

	for (uint64_t k = 0; k < 32; k++) {
		b->send_caps[0] = tx_src[k];
		struct sel_msg m = cap_msg(k, 1, k);
		int err = sel_send(ep, &m);
		if (err != SEL_OK) {
			tx_err = (uint64_t)err;
			sel_exit(err);
		}
	}
}

TEST(IPC_0025,
     "each of the 16 R/W/G/GR subsets of an endpoint or notification cap arrives the same")
{
	uint64_t ut, ep, obj[2], tx;
	struct sel_ipc_buffer *b = sel_ipc_buffer();

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &obj[0]), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_NOTIFICATION, 0, &obj[1]), SEL_OK);
	for (uint32_t k = 0; k < 32; k++) {
		tx_src[k] = slot_new();
		CHECK_EQ(t,
		         sel_cnode_mint(ROOT, tx_src[k], obj[k / 16], FULL, k % 16,
		                        (k / 16 + 1) << 12 | (k % 16)),
		         SEL_OK);
	}
	uint64_t dst = slots_new(32);
	CHECK_EQ(t, ipc_thread(ut, cap_tx, ep, &tx), SEL_OK);
	for (uint32_t k = 0; k < 32; k++) {
		struct sel_msg m = {0};
		b->recv_cnode = ROOT;
		b->recv_index = dst + k;
		b->recv_depth = FULL;
		CHECK_EQ(t, sel_recv(ep, &m), SEL_OK);
		CHECK_EQ(t, SEL_MSG_LABEL(m.info), k);
		CHECK_EQ(t, SEL_MSG_CAPS(m.info), 1);
		CHECK_EQ(t, SEL_MSG_LENGTH(m.info), 2);
		CHECK_EQ(t, m.mr[0], k);
		struct sel_identity got = ident(dst + k), want = ident(tx_src[k]);
		CHECK_EQ(t, got.type, k < 16 ? SEL_OBJ_ENDPOINT : SEL_OBJ_NOTIFICATION);
		CHECK_EQ(t, got.rights, k % 16);
		CHECK_EQ(t, got.badge, (k / 16 + 1) << 12 | (k % 16));
		CHECK(t, ident_eq(got, want));
	}
	CHECK_EQ(t, tx_err, 0);
	b->recv_depth = 0;
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(IPC_0026, "three caps in one message arrive in order in consecutive slots, with the words")
{
	uint64_t ut, ep, rx, e2, n2, fr, be = slot_new();
	struct sel_ipc_buffer *b = sel_ipc_buffer();

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &e2), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_NOTIFICATION, 0, &n2), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_FRAME, 12, &fr), SEL_OK);
	CHECK_EQ(t, sel_cnode_mint(ROOT, be, e2, FULL, SEL_RIGHT_WRITE, 0xbeef), SEL_OK);
	CHECK_EQ(t, rx_start(ut, ep, &rx), SEL_OK);
	b->send_caps[0] = be;
	b->send_caps[1] = n2;
	b->send_caps[2] = fr;
	struct sel_msg m = cap_msg(5, 3, 0x1234);
	CHECK_EQ(t, sel_send(ep, &m), SEL_OK);
	CHECK(t, rx_reaches(1));
	CHECK_EQ(t, SEL_MSG_CAPS(rx_info[0]), 3);
	CHECK_EQ(t, SEL_MSG_LENGTH(rx_info[0]), 2);
	CHECK_EQ(t, rx_mr[0][0], 0x1234);
	CHECK_EQ(t, rx_mr[0][1], ~0x1234ull);
	for (unsigned i = 0; i < 3; i++)
		CHECK(t, ident_eq(ident(rx_first + i), ident(b->send_caps[i])));
	CHECK_EQ(t, ident(rx_first).badge, 0xbeef);
	/* Two caps, in the other order. */
	b->send_caps[0] = fr;
	b->send_caps[1] = be;
	m = cap_msg(6, 2, 0x77);
	CHECK_EQ(t, sel_send(ep, &m), SEL_OK);
	CHECK(t, rx_reaches(2));
	CHECK_EQ(t, SEL_MSG_CAPS(rx_info[1]), 2);
	CHECK_EQ(t, ident(rx_first + 4).type, SEL_OBJ_FRAME);
	CHECK_EQ(t, ident(rx_first + 5).type, SEL_OBJ_ENDPOINT);
	CHECK_EQ(t, ident(rx_first + 6).type, SEL_OBJ_NULL);
	/* The sender's caps stay where they were. */
	CHECK_EQ(t, ident(be).badge, 0xbeef);
	CHECK_EQ(t, ident(fr).type, SEL_OBJ_FRAME);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(IPC_0027,
     "no caps accepted: caps 0 and the words; an occupied receive slot stops the transfer")
{
	uint64_t ut, ep, rx, e2, n2, n3;
	struct sel_ipc_buffer *b = sel_ipc_buffer();

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &e2), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_NOTIFICATION, 0, &n2), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_NOTIFICATION, 0, &n3), SEL_OK);
	rx_first = slots_new(4 * RX_MAX);
	for (unsigned i = 0; i < RX_MAX; i++)
		rx_depth[i] = FULL;
	rx_depth[0] = 0; /* message 0: no caps accepted */
	/* Message 1: its second slot is taken; message 2: its first. */
	CHECK_EQ(t, sel_cnode_copy(ROOT, rx_first + 5, n3, FULL, SEL_RIGHTS_ALL), SEL_OK);
	CHECK_EQ(t, sel_cnode_copy(ROOT, rx_first + 8, n3, FULL, SEL_RIGHTS_ALL), SEL_OK);
	CHECK_EQ(t, ipc_thread(ut, cap_rx, ep, &rx), SEL_OK);
	b->send_caps[0] = e2;
	b->send_caps[1] = n2;
	b->send_caps[2] = e2;
	for (uint64_t k = 0; k < 3; k++) {
		struct sel_msg m = cap_msg(10 + k, 3, 100 + k);
		CHECK(t, wait_blocked(rx, IPC_PATIENCE));
		CHECK_EQ(t, sel_send(ep, &m), SEL_OK);
		CHECK(t, rx_reaches(k + 1));
		CHECK_EQ(t, SEL_MSG_LABEL(rx_info[k]), 10 + k);
		CHECK_EQ(t, SEL_MSG_LENGTH(rx_info[k]), 2);
		CHECK_EQ(t, rx_mr[k][0], 100 + k);
		CHECK_EQ(t, rx_mr[k][1], ~(100 + k));
	}
	CHECK_EQ(t, SEL_MSG_CAPS(rx_info[0]), 0);
	for (unsigned i = 0; i < 3; i++)
		CHECK_EQ(t, ident(rx_first + i).type, SEL_OBJ_NULL);
	CHECK_EQ(t, SEL_MSG_CAPS(rx_info[1]), 1); /* the first cap, then the taken slot */
	CHECK_EQ(t, ident(rx_first + 4).type, SEL_OBJ_ENDPOINT);
	CHECK(t, ident_eq(ident(rx_first + 5), ident(n3))); /* untouched */
	CHECK_EQ(t, ident(rx_first + 6).type, SEL_OBJ_NULL);
	CHECK_EQ(t, SEL_MSG_CAPS(rx_info[2]), 0);
	CHECK(t, ident_eq(ident(rx_first + 8), ident(n3)));
	CHECK_EQ(t, ident(rx_first + 9).type, SEL_OBJ_NULL);
	CHECK_EQ(t, ident(e2).type, SEL_OBJ_ENDPOINT);
	CHECK_EQ(t, ident(n2).type, SEL_OBJ_NOTIFICATION);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(IPC_0028,
     "an Untyped cap cannot be sent (SEL_ERR_ILLEGAL_OP), nor an empty slot; nothing goes")
{
	uint64_t ut, ut2, ep, rx, n2;
	struct sel_ipc_buffer *b = sel_ipc_buffer();

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_UNTYPED, 12, &ut2), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_NOTIFICATION, 0, &n2), SEL_OK);
	CHECK_EQ(t, rx_start(ut, ep, &rx), SEL_OK);
	CHECK(t, wait_blocked(rx, IPC_PATIENCE));
	for (unsigned pos = 0; pos < 3; pos++) {
		/* The Untyped first, second or third: the whole message is refused. */
		b->send_caps[0] = n2;
		b->send_caps[1] = n2;
		b->send_caps[2] = n2;
		b->send_caps[pos] = ut2;
		struct sel_msg m = cap_msg(7, 3, pos);
		CHECK_EQ(t, sel_send(ep, &m), SEL_ERR_ILLEGAL_OP);
		m = cap_msg(7, 3, pos);
		CHECK_EQ(t, sel_nb_send(ep, &m), SEL_ERR_ILLEGAL_OP);
		m = cap_msg(RX_CALL, 3, pos);
		CHECK_EQ(t, sel_call(ep, &m), SEL_ERR_ILLEGAL_OP);
	}
	b->send_caps[0] = n2;
	b->send_caps[1] = slot_new(); /* empty */
	struct sel_msg m = cap_msg(7, 2, 9);
	CHECK_EQ(t, sel_send(ep, &m), SEL_ERR_EMPTY_SLOT);
	sel_yield();
	CHECK_EQ(t, rx_n, 0);
	CHECK(t, wait_blocked(rx, 1));
	CHECK_EQ(t, ident(rx_first).type, SEL_OBJ_NULL);
	CHECK_EQ(t, ident(ut2).type, SEL_OBJ_UNTYPED);
	m = cap_msg(8, 1, 10);
	CHECK_EQ(t, sel_send(ep, &m), SEL_OK);
	CHECK(t, rx_reaches(1));
	CHECK_EQ(t, SEL_MSG_LABEL(rx_info[0]), 8);
	CHECK_EQ(t, SEL_MSG_CAPS(rx_info[0]), 1);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(IPC_0029, "a received cap is a child: it works, and revoking the sender's cap deletes it")
{
	uint64_t ut, ep, rx, ntfn, nb = slot_new(), w;
	struct sel_ipc_buffer *b = sel_ipc_buffer();

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_NOTIFICATION, 0, &ntfn), SEL_OK);
	CHECK_EQ(t, sel_cnode_mint(ROOT, nb, ntfn, FULL, SEL_RIGHT_WRITE, 0x44), SEL_OK);
	CHECK_EQ(t, rx_start(ut, ep, &rx), SEL_OK);
	b->send_caps[0] = nb;
	struct sel_msg m = cap_msg(1, 1, 0);
	CHECK_EQ(t, sel_send(ep, &m), SEL_OK);
	CHECK(t, rx_reaches(1));
	uint64_t got = rx_first;
	CHECK(t, ident_eq(ident(got), ident(nb)));
	CHECK_EQ(t, sel_signal(got), SEL_OK); /* the copy signals with the badge */
	CHECK_EQ(t, sel_poll(ntfn, &w), SEL_OK);
	CHECK_EQ(t, w, 0x44);
	/* Deleting the copy leaves the original; a second copy dies with a revoke. */
	CHECK_EQ(t, sel_cnode_delete(ROOT, got, FULL, 0), SEL_OK);
	CHECK_EQ(t, ident(nb).badge, 0x44);
	m = cap_msg(2, 1, 0);
	CHECK_EQ(t, sel_send(ep, &m), SEL_OK);
	CHECK(t, rx_reaches(2));
	got = rx_first + 4;
	CHECK_EQ(t, ident(got).type, SEL_OBJ_NOTIFICATION);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, nb, FULL, 0), SEL_OK);
	CHECK_EQ(t, ident(got).type, SEL_OBJ_NULL);
	CHECK_EQ(t, ident(nb).type, SEL_OBJ_NOTIFICATION);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

static volatile uint64_t caller_err, caller_info, caller_done;
static uint64_t caller_slot;

/* Calls ep accepting one cap into caller_slot. */
static void cap_caller(uint64_t ep)
{
	struct sel_ipc_buffer *b = sel_ipc_buffer();
	struct sel_msg m = msg(1, 1, 5, 0, 0, 0, 0);

	b->recv_cnode = ROOT;
	b->recv_index = caller_slot;
	b->recv_depth = FULL;
	caller_err = (uint64_t)sel_call(ep, &m);
	caller_info = m.info;
	caller_done = 1;
}

TEST(IPC_0030, "a reply carries caps only if the call came through a cap with Grant")
{
	uint64_t ut, ep, ntfn, cl, rd = slot_new(), rg = slot_new();
	struct sel_ipc_buffer *b = sel_ipc_buffer();
	struct sel_msg m;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_NOTIFICATION, 0, &ntfn), SEL_OK);
	CHECK_EQ(t, sel_cnode_mint(ROOT, rd, ep, FULL, SEL_RIGHT_READ, 0), SEL_OK);
	CHECK_EQ(t, sel_cnode_mint(ROOT, rg, ep, FULL, SEL_RIGHT_READ | SEL_RIGHT_GRANT, 0),
	         SEL_OK);
	caller_slot = slot_new();
	b->send_caps[0] = ntfn;
	/* Received through Read only: the reply with a cap is refused, the caller waits. */
	CHECK_EQ(t, ipc_thread(ut, cap_caller, ep, &cl), SEL_OK);
	m = (struct sel_msg){0};
	CHECK_EQ(t, sel_recv(rd, &m), SEL_OK);
	m = cap_msg(2, 1, 0);
	CHECK_EQ(t, sel_reply(&m), SEL_ERR_NO_RIGHTS);
	sel_yield();
	CHECK_EQ(t, caller_done, 0);
	CHECK(t, wait_blocked(cl, 1));
	m = cap_msg(3, 0, 0);
	CHECK_EQ(t, sel_reply(&m), SEL_OK); /* the reply was still owed */
	CHECK(t, wait_flag(&caller_done, IPC_PATIENCE));
	CHECK_EQ(t, caller_err, SEL_OK);
	CHECK_EQ(t, SEL_MSG_LABEL(caller_info), 3);
	CHECK_EQ(t, SEL_MSG_CAPS(caller_info), 0);
	CHECK_EQ(t, ident(caller_slot).type, SEL_OBJ_NULL);
	/* Received through Read + Grant: the cap goes back with the reply. */
	caller_done = 0;
	caller_slot = slot_new();
	CHECK_EQ(t, ipc_thread(ut, cap_caller, ep, &cl), SEL_OK);
	m = (struct sel_msg){0};
	CHECK_EQ(t, sel_recv(rg, &m), SEL_OK);
	m = cap_msg(4, 1, 0);
	CHECK_EQ(t, sel_reply(&m), SEL_OK);
	CHECK(t, wait_flag(&caller_done, IPC_PATIENCE));
	CHECK_EQ(t, caller_err, SEL_OK);
	CHECK_EQ(t, SEL_MSG_LABEL(caller_info), 4);
	CHECK_EQ(t, SEL_MSG_CAPS(caller_info), 1);
	CHECK(t, ident_eq(ident(caller_slot), ident(ntfn)));
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}
