/*
 * Call, Reply and ReplyRecv (docs/ipc.md): a ReplyRecv
 * server loop with several clients, the single-use reply capability,
 * callers and servers that die mid-call, suspending a thread blocked in
 * IPC, the registers a call leaves (scrubbed or preserved, checked with
 * ipc_probe.S), and a server in another address space.
 *
 * There is no way to name a reply capability: it is kept in the server's
 * TCB, not in a CSpace slot, so it cannot be copied, minted, sent, deleted
 * or invoked except through Reply and the reply half of ReplyRecv. The
 * tests can therefore only show that it is used once and then gone.
 */
#include "ipc_util.h"

static volatile uint64_t served, res[8], res_done[8], res_mr[8];

/* Receives, then answers each call with (2 * MR0 + badge, MR1 ^ badge) and takes the next. */
static void rr_server(uint64_t ep)
{
	struct sel_msg m = {0};
	int err = sel_recv(ep, &m);

	for (;;) {
		if (err != SEL_OK)
			sel_exit(err);
		served = served + 1;
		m = msg(SEL_MSG_LABEL(m.info) + 1, 2, 2 * m.mr[0] + m.badge, m.mr[1] ^ m.badge, 0,
		        0, 0);
		err = sel_reply_recv(ep, &m);
	}
}

#define RR_CALLS 40u

/* arg = badge << 8 | cap: RR_CALLS calls, each reply checked; exits non-zero on a mismatch. */
static void rr_client(uint64_t arg)
{
	uint64_t cap = arg & 0xff, badge = arg >> 8;

	for (uint64_t k = 0; k < RR_CALLS; k++) {
		struct sel_msg m = msg(100 + k, 2, k, 1000 * badge + k, 0, 0, 0);
		int err = sel_call(cap, &m);
		if (err != SEL_OK)
			sel_exit(err);
		if (SEL_MSG_LABEL(m.info) != 101 + k || SEL_MSG_LENGTH(m.info) != 2 ||
		    m.mr[0] != 2 * k + badge || m.mr[1] != ((1000 * badge + k) ^ badge))
			sel_exit(99);
	}
}

TEST(IPC_0017, "a ReplyRecv server loop serves three clients' calls, every value checked")
{
	uint64_t ut, ep, srv, cl[3];
	struct sel_thread_info st;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, ipc_thread(ut, rr_server, ep, &srv), SEL_OK);
	for (unsigned i = 0; i < 3; i++) {
		uint64_t c = slot_new();
		CHECK(t, c < 256);
		CHECK_EQ(t,
		         sel_cnode_mint(ROOT, c, ep, FULL, SEL_RIGHT_WRITE | SEL_RIGHT_GRANT_REPLY,
		                        i + 1),
		         SEL_OK);
		CHECK_EQ(t, ipc_thread(ut, rr_client, (uint64_t)(i + 1) << 8 | c, &cl[i]), SEL_OK);
	}
	/* The main thread is a client too, with badge 0. */
	for (uint64_t k = 0; k < 10; k++) {
		struct sel_msg m = msg(7, 2, k, 5 * k, 0, 0, 0);
		CHECK_EQ(t, sel_call(ep, &m), SEL_OK);
		CHECK_EQ(t, SEL_MSG_LABEL(m.info), 8);
		CHECK_EQ(t, m.mr[0], 2 * k);
		CHECK_EQ(t, m.mr[1], 5 * k);
	}
	for (unsigned i = 0; i < 3; i++) {
		CHECK(t, wait_stopped(cl[i], &st, IPC_PATIENCE));
		CHECK_EQ(t, st.reason, SEL_STOP_EXITED);
		CHECK_EQ(t, st.code, 0);
	}
	CHECK_EQ(t, served, 3 * RR_CALLS + 10);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

/* arg = index << 8 | cap: one Call with MR0 = index, then (index 1) one Send. */
static void one_call(uint64_t arg)
{
	uint64_t i = arg >> 8, cap = arg & 0xff;
	struct sel_msg m = msg(1, 1, i, 0, 0, 0, 0);
	int err = sel_call(cap, &m);

	res[i] = (uint64_t)err;
	res_mr[i] = m.mr[0];
	res_done[i] = 1;
	if (i == 1) {
		m = msg(2, 1, 77, 0, 0, 0, 0);
		sel_send(cap, &m);
	}
}

TEST(IPC_0018, "a reply is single use: a second Reply, or one after ReplyRecv, is SEL_ERR_NO_REPLY")
{
	uint64_t ut, ep, th;
	struct sel_msg m = {0};

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK(t, ep < 256);
	m = msg(1, 1, 0, 0, 0, 0, 0);
	CHECK_EQ(t, sel_reply(&m), SEL_ERR_NO_REPLY); /* nothing received yet */
	/* Reply, then Reply again. */
	CHECK_EQ(t, ipc_thread(ut, one_call, 0ull << 8 | ep, &th), SEL_OK);
	m = (struct sel_msg){0};
	CHECK_EQ(t, sel_recv(ep, &m), SEL_OK);
	CHECK_EQ(t, m.mr[0], 0);
	m = msg(3, 1, 500, 0, 0, 0, 0);
	CHECK_EQ(t, sel_reply(&m), SEL_OK);
	m = msg(3, 1, 600, 0, 0, 0, 0);
	CHECK_EQ(t, sel_reply(&m), SEL_ERR_NO_REPLY);
	CHECK(t, wait_flag(&res_done[0], IPC_PATIENCE));
	CHECK_EQ(t, res[0], SEL_OK);
	CHECK_EQ(t, res_mr[0], 500); /* the first reply, once */
	/* ReplyRecv uses the reply and receives a plain Send: no reply is owed after it. */
	CHECK_EQ(t, ipc_thread(ut, one_call, 1ull << 8 | ep, &th), SEL_OK);
	m = (struct sel_msg){0};
	CHECK_EQ(t, sel_recv(ep, &m), SEL_OK);
	CHECK_EQ(t, m.mr[0], 1);
	m = msg(3, 1, 700, 0, 0, 0, 0);
	CHECK_EQ(t, sel_reply_recv(ep, &m), SEL_OK);
	CHECK_EQ(t, SEL_MSG_LABEL(m.info), 2);
	CHECK_EQ(t, m.mr[0], 77);
	m = msg(3, 1, 800, 0, 0, 0, 0);
	CHECK_EQ(t, sel_reply(&m), SEL_ERR_NO_REPLY);
	CHECK_EQ(t, res[1], SEL_OK);
	CHECK_EQ(t, res_mr[1], 700);
	/* ReplyRecv with no reply owed just receives. */
	CHECK_EQ(t, ipc_thread(ut, one_call, 2ull << 8 | ep, &th), SEL_OK);
	m = msg(3, 1, 900, 0, 0, 0, 0);
	CHECK_EQ(t, sel_reply_recv(ep, &m), SEL_OK);
	CHECK_EQ(t, SEL_MSG_LABEL(m.info), 1);
	CHECK_EQ(t, m.mr[0], 2);
	CHECK_EQ(t, res_done[2], 0); /* the ReplyRecv sent that caller nothing */
	m = msg(3, 1, 901, 0, 0, 0, 0);
	CHECK_EQ(t, sel_reply(&m), SEL_OK);
	CHECK(t, wait_flag(&res_done[2], IPC_PATIENCE));
	CHECK_EQ(t, res_mr[2], 901);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(IPC_0019,
     "a caller suspended or destroyed mid-call: Reply gives SEL_ERR_NO_REPLY, service goes on")
{
	uint64_t ut, ep, a, c, d;
	struct sel_msg m;
	struct sel_thread_info st;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK(t, ep < 256);
	/* A calls; we take the call; A is suspended; our Reply finds nobody. */
	CHECK_EQ(t, ipc_thread(ut, one_call, 3ull << 8 | ep, &a), SEL_OK);
	m = (struct sel_msg){0};
	CHECK_EQ(t, sel_recv(ep, &m), SEL_OK);
	CHECK_EQ(t, m.mr[0], 3);
	CHECK_EQ(t, sel_tcb_suspend(a), SEL_OK);
	m = msg(3, 1, 1, 0, 0, 0, 0);
	CHECK_EQ(t, sel_reply(&m), SEL_ERR_NO_REPLY);
	CHECK_EQ(t, sel_tcb_get_state(a, &st), SEL_OK);
	CHECK_EQ(t, st.state, SEL_THREAD_INACTIVE);
	CHECK_EQ(t, st.reason, SEL_STOP_SUSPENDED);
	CHECK_EQ(t, res_done[3], 0);
	/* Resumed, its Call returns SEL_ERR_CANCELLED (it never got a reply). */
	CHECK_EQ(t, sel_tcb_resume(a), SEL_OK);
	CHECK(t, wait_flag(&res_done[3], IPC_PATIENCE));
	CHECK_EQ(t, res[3], SEL_ERR_CANCELLED);
	/* C calls; we take it; C's TCB is destroyed; our Reply finds nobody. */
	CHECK_EQ(t, ipc_thread(ut, one_call, 4ull << 8 | ep, &c), SEL_OK);
	m = (struct sel_msg){0};
	CHECK_EQ(t, sel_recv(ep, &m), SEL_OK);
	CHECK_EQ(t, m.mr[0], 4);
	CHECK_EQ(t, sel_cnode_delete(ROOT, c, FULL, 0), SEL_OK);
	m = msg(3, 1, 1, 0, 0, 0, 0);
	CHECK_EQ(t, sel_reply(&m), SEL_ERR_NO_REPLY);
	CHECK_EQ(t, res_done[4], 0);
	/* The server still works: D is served normally. */
	CHECK_EQ(t, ipc_thread(ut, one_call, 5ull << 8 | ep, &d), SEL_OK);
	m = (struct sel_msg){0};
	CHECK_EQ(t, sel_recv(ep, &m), SEL_OK);
	CHECK_EQ(t, m.mr[0], 5);
	m = msg(3, 1, 55, 0, 0, 0, 0);
	CHECK_EQ(t, sel_reply(&m), SEL_OK);
	CHECK(t, wait_flag(&res_done[5], IPC_PATIENCE));
	CHECK_EQ(t, res[5], SEL_OK);
	CHECK_EQ(t, res_mr[5], 55);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

static volatile uint64_t srv_got, srv_err;

/* Takes one call and keeps its reply: spins (ep < 256) or receives again (1 << 8 | ep). */
static void stuck_server(uint64_t ep)
{
	struct sel_msg m = {0};
	int err = sel_recv(ep & 0xff, &m);

	if (err != SEL_OK) {
		srv_err = (uint64_t)err;
		sel_exit(1);
	}
	srv_got = srv_got + 1;
	if (ep >> 8) {
		m = (struct sel_msg){0};
		sel_recv(ep & 0xff, &m); /* drops the reply it holds */
	}
	for (;;)
		sel_yield();
}

TEST(IPC_0020, "the server suspended, destroyed or receiving again mid-call: SEL_ERR_PEER_DEAD")
{
	uint64_t ut, ep, srv, cl;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK(t, ep < 256);
	for (unsigned v = 0; v < 3; v++) {
		uint64_t arg = v == 2 ? 1ull << 8 | ep : ep;
		CHECK_EQ(t, ipc_thread(ut, stuck_server, arg, &srv), SEL_OK);
		/* Caller index v + 5 (index 1 would send again after its Call). */
		CHECK_EQ(t, ipc_thread(ut, one_call, (uint64_t)(v + 5) << 8 | ep, &cl), SEL_OK);
		for (unsigned i = 0; i < IPC_PATIENCE && srv_got < v + 1; i++)
			sel_yield();
		CHECK_EQ(t, srv_got, v + 1);
		if (v < 2) {
			CHECK(t, wait_blocked(cl, IPC_PATIENCE)); /* waiting for its reply */
			CHECK_EQ(t, res_done[v + 5], 0);
		}
		if (v == 0)
			CHECK_EQ(t, sel_tcb_suspend(srv), SEL_OK);
		else if (v == 1)
			CHECK_EQ(t, sel_cnode_delete(ROOT, srv, FULL, 0), SEL_OK);
		CHECK(t, wait_flag(&res_done[v + 5], IPC_PATIENCE));
		CHECK_EQ(t, res[v + 5], SEL_ERR_PEER_DEAD);
		if (v == 2)
			CHECK_EQ(t, sel_tcb_suspend(srv), SEL_OK);
	}
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(IPC_0021,
     "suspending a thread blocked in Send or Recv cancels it: SEL_ERR_CANCELLED on resume")
{
	uint64_t ut, ep, a, b;
	struct sel_msg m;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK(t, ep < 256);
	/* A caller blocked sending (nobody receives yet). */
	CHECK_EQ(t, ipc_thread(ut, one_call, 6ull << 8 | ep, &a), SEL_OK);
	CHECK(t, wait_blocked(a, IPC_PATIENCE));
	CHECK_EQ(t, sel_tcb_suspend(a), SEL_OK);
	m = (struct sel_msg){0};
	CHECK_EQ(t, sel_nb_recv(ep, &m), SEL_ERR_WOULD_BLOCK); /* it left the queue */
	CHECK_EQ(t, sel_tcb_resume(a), SEL_OK);
	CHECK(t, wait_flag(&res_done[6], IPC_PATIENCE));
	CHECK_EQ(t, res[6], SEL_ERR_CANCELLED);
	/* A receiver blocked in Recv (the stuck server, which then would spin). */
	CHECK_EQ(t, ipc_thread(ut, stuck_server, ep, &b), SEL_OK);
	CHECK(t, wait_blocked(b, IPC_PATIENCE));
	CHECK_EQ(t, sel_tcb_suspend(b), SEL_OK);
	m = msg(1, 1, 0, 0, 0, 0, 0);
	CHECK_EQ(t, sel_nb_send(ep, &m), SEL_ERR_WOULD_BLOCK); /* it left the queue */
	CHECK_EQ(t, sel_tcb_resume(b), SEL_OK);
	struct sel_thread_info st;
	CHECK(t, wait_stopped(b, &st, IPC_PATIENCE));
	CHECK_EQ(t, st.reason, SEL_STOP_EXITED);
	CHECK_EQ(t, st.code, 1); /* its Recv failed... */
	CHECK_EQ(t, srv_err, SEL_ERR_CANCELLED);
	CHECK_EQ(t, srv_got, 0);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

#define JUNK(n) (0x3a3a000000000000ull + (uint64_t)(n)*0x0102030405ull)

static const int t_regs[] = {5, 6, 7, 28, 29, 30, 31}; /* t0-t6 */
static const int kept[] = {1,  3,  4,  8,  9,  18, 19, 20,
                           21, 22, 23, 24, 25, 26, 27}; /* ra gp tp s0-s11 */
static volatile uint64_t client_out[32], client_done;
static uint64_t client_in[32];

static void fill_junk(uint64_t in[32], uint64_t salt)
{
	for (int i = 0; i < 32; i++)
		in[i] = JUNK(i) ^ salt;
}

/* Makes the probe's Call (client_in) and copies what came back to client_out. */
static void probe_client(uint64_t unused)
{
	uint64_t out[32];

	(void)unused;
	ipc_probe(client_in, out);
	for (int i = 0; i < 32; i++)
		client_out[i] = out[i];
	client_done = 1;
}

TEST(IPC_0022, "a call scrubs t0-t6 on both sides, delivers a7 = badge, keeps ra/sp/gp/tp/s0-s11")
{
	uint64_t ut, ep, c = slot_new(), th, in[32], out[32];

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, sel_cnode_mint(ROOT, c, ep, FULL, SEL_RIGHTS_ALL, 0xbadc0ffee), SEL_OK);
	fill_junk(client_in, 0x1111);
	client_in[10] = c;
	client_in[11] = SEL_MSG_INFO(0x77, 0, 5);
	for (int i = 0; i < 5; i++)
		client_in[12 + i] = 0xc0de0 + i;
	client_in[17] = SEL_SYS_CALL;
	CHECK_EQ(t, ipc_thread(ut, probe_client, 0, &th), SEL_OK);
	/* The server side: junk everywhere, Recv. */
	fill_junk(in, 0x2222);
	in[10] = ep;
	in[11] = 0;
	in[17] = SEL_SYS_RECV;
	ipc_probe(in, out);
	CHECK_EQ(t, out[10], SEL_OK);
	CHECK_EQ(t, out[11], SEL_MSG_INFO(0x77, 0, 5));
	for (int i = 0; i < 5; i++)
		CHECK_EQ(t, out[12 + i], 0xc0de0 + i);
	CHECK_EQ(t, out[17], 0xbadc0ffee); /* a7 = badge */
	for (unsigned i = 0; i < sizeof(t_regs) / sizeof(t_regs[0]); i++)
		CHECK_EQ(t, out[t_regs[i]], 0);
	for (unsigned i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		CHECK_EQ(t, out[kept[i]], in[kept[i]]);
	CHECK_EQ(t, out[2], out[0]);
	/* The reply: junk in t0-t6 again; Reply's own return scrubs them too. */
	fill_junk(in, 0x3333);
	in[11] = SEL_MSG_INFO(0x78, 0, 5);
	for (int i = 0; i < 5; i++)
		in[12 + i] = 0xfeed0 + i;
	in[17] = SEL_SYS_REPLY;
	ipc_probe(in, out);
	CHECK_EQ(t, out[10], SEL_OK);
	for (unsigned i = 0; i < sizeof(t_regs) / sizeof(t_regs[0]); i++)
		CHECK_EQ(t, out[t_regs[i]], 0);
	for (unsigned i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		CHECK_EQ(t, out[kept[i]], in[kept[i]]);
	/* The client: the reply in a1-a6, t0-t6 zero, its own registers kept. */
	CHECK(t, wait_flag(&client_done, IPC_PATIENCE));
	CHECK_EQ(t, client_out[10], SEL_OK);
	CHECK_EQ(t, client_out[11], SEL_MSG_INFO(0x78, 0, 5));
	for (int i = 0; i < 5; i++)
		CHECK_EQ(t, client_out[12 + i], 0xfeed0 + i);
	for (unsigned i = 0; i < sizeof(t_regs) / sizeof(t_regs[0]); i++)
		CHECK_EQ(t, client_out[t_regs[i]], 0);
	for (unsigned i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		CHECK_EQ(t, client_out[kept[i]], client_in[kept[i]]);
	CHECK_EQ(t, client_out[2], client_out[0]);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

/*
 * A server in its own address space, with no IPC buffer: a0 = the endpoint.
 *   mv s0, a0; li a1, 0; li a7, SEL_SYS_RECV; ecall
 *   1: addi a2, a2, 1; mv a3, a7; li a1, 2; mv a0, s0; li a7, SEL_SYS_REPLY_RECV; ecall; j 1b
 * It answers each message with (MR0 + 1, badge).
 */
static const uint32_t remote_server[] = {0x00050413u, 0x00000593u, 0x00400893u, 0x00000073u,
                                         0x00160613u, 0x00088693u, 0x00200593u, 0x00040513u,
                                         0x00100893u, 0x00000073u, 0xfe9ff06fu};

TEST(IPC_0023, "calls to a server in another address space: words and badge go there and back")
{
	uint64_t ut, ep, vs, srv, c = slot_new();

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t,
	         sel_cnode_mint(ROOT, c, ep, FULL, SEL_RIGHT_WRITE | SEL_RIGHT_GRANT_REPLY, 0x5eed),
	         SEL_OK);
	CHECK_EQ(t, code_thread(ut, 24, remote_server, 11, ep, &vs, &srv), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(srv), SEL_OK);
	CHECK(t, wait_blocked(srv, IPC_PATIENCE));
	for (uint64_t k = 0; k < 50; k++) {
		struct sel_msg m = msg(k + 1, 1, k * 1000, 0, 0, 0, 0);
		CHECK_EQ(t, sel_call(c, &m), SEL_OK);
		CHECK_EQ(t, SEL_MSG_LABEL(m.info), 0);
		CHECK_EQ(t, SEL_MSG_LENGTH(m.info), 2);
		CHECK_EQ(t, m.mr[0], k * 1000 + 1);
		CHECK_EQ(t, m.mr[1], 0x5eed);
	}
	/* The unbadged cap: badge 0 over there. */
	struct sel_msg m = msg(1, 1, 9, 0, 0, 0, 0);
	CHECK_EQ(t, sel_call(ep, &m), SEL_OK);
	CHECK_EQ(t, m.mr[0], 10);
	CHECK_EQ(t, m.mr[1], 0);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

static volatile uint64_t long_err, long_done;

/* Sends a 10-word message (words 5-9 through the IPC buffer, if it has one). */
static void long_sender(uint64_t ep)
{
	struct sel_msg m = msg(3, 10, 1, 2, 3, 4, 5);

	long_err = (uint64_t)sel_send(ep, &m);
	long_done = 1;
}

TEST(IPC_0038, "Configure without a frame leaves no IPC buffer; a queued message's registers "
               "cannot be rewritten")
{
	uint64_t ut, ep, tcb;
	struct sel_user_regs r;
	struct sel_msg m = {0};

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	/* A thread with a buffer, then configured again with frame 0 and a wild address. */
	CHECK_EQ(t, ipc_thread_opts(ut, long_sender, ep, 1, &tcb), SEL_OK);
	CHECK_EQ(t, sel_tcb_read_registers(tcb, &r), SEL_OK);
	CHECK_EQ(t, sel_tcb_configure(tcb, ROOT, SEL_SLOT_VSPACE, 0, r.x[3] + 4088), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(tcb), SEL_OK);
	CHECK(t, wait_flag(&long_done, IPC_PATIENCE));
	CHECK_EQ(t, long_err, SEL_ERR_INVALID_ARG); /* no buffer: 5 words at most */

	/* A sender blocked with a checked message: WriteRegisters is refused. */
	long_done = 0;
	CHECK_EQ(t, ipc_thread(ut, long_sender, ep, &tcb), SEL_OK);
	CHECK(t, wait_blocked(tcb, IPC_PATIENCE));
	CHECK_EQ(t, sel_tcb_read_registers(tcb, &r), SEL_OK);
	r.x[10] = SEL_MSG_INFO(SEL_LABEL_FAULT, 3, 127); /* a1: a forged info word */
	CHECK_EQ(t, sel_tcb_write_registers(tcb, &r), SEL_ERR_BUSY);
	CHECK_EQ(t, sel_recv(ep, &m), SEL_OK);
	CHECK_EQ(t, m.info, SEL_MSG_INFO(3, 0, 10));
	CHECK_EQ(t, m.mr[4], 5);
	CHECK(t, wait_flag(&long_done, IPC_PATIENCE));
	CHECK_EQ(t, long_err, SEL_OK);
}
