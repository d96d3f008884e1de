/*
 * Synchronous IPC, the basics (docs/ipc.md):
 * non-blocking sends and receives, the rights lattice on endpoint and
 * notification caps (an operation without its right fails with
 * SEL_ERR_NO_RIGHTS and the peer sees nothing), badges, long and malformed
 * messages, the priority order of an endpoint's queue, deletion and badge
 * revocation, and notifications: OR-ing, wake-ups and binding.
 *
 * The partner of the test's main thread is a helper thread in the same
 * address space (ipc_util.h) that logs what it receives into the volatile
 * variables below; the main thread waits for it a bounded number of yields.
 */
#include <sel/string.h>
#include "ipc_util.h"

#define LOG_MAX 64

static volatile uint64_t log_n, log_label[LOG_MAX], log_len[LOG_MAX], log_w0[LOG_MAX],
    log_badge[LOG_MAX];
static volatile uint64_t log_err;

static int expect(uint32_t rights, uint32_t need)
{
	return (rights & need) == need ? SEL_OK : SEL_ERR_NO_RIGHTS;
}

static void log_msg(const struct sel_msg *m)
{
	uint64_t i = log_n % LOG_MAX;

	log_label[i] = SEL_MSG_LABEL(m->info);
	log_len[i] = SEL_MSG_LENGTH(m->info);
	log_w0[i] = m->mr[0];
	log_badge[i] = m->badge;
	log_n = log_n + 1;
}

/* Receives on ep forever, logging each message; exits with the first error. */
static void receiver(uint64_t ep)
{
	for (;;) {
		struct sel_msg m = {0};
		int err = sel_recv(ep, &m);
		if (err != SEL_OK) {
			log_err = (uint64_t)err;
			sel_exit(err);
		}
		log_msg(&m);
	}
}

/* Receives on ep forever and replies label 0x31 with MR0 + 1 and the badge. */
static void echo_server(uint64_t ep)
{
	for (;;) {
		struct sel_msg m = {0};
		int err = sel_recv(ep, &m);
		if (err != SEL_OK)
			sel_exit(err);
		log_msg(&m);
		struct sel_msg r = msg(0x31, 2, m.mr[0] + 1, m.badge, 0, 0, 0);
		err = sel_reply(&r);
		if (err != SEL_OK)
			sel_exit(100 + err);
	}
}

/* Waits until the log has n entries; 1 if it did. */
static int log_reaches(uint64_t n)
{
	for (unsigned i = 0; i < IPC_PATIENCE && log_n < n; i++)
		sel_yield();
	return log_n >= n;
}

TEST(IPC_0001, "no partner: NBSend and NBRecv give SEL_ERR_WOULD_BLOCK, Poll gives SEL_OK and 0")
{
	uint64_t ut, ep, ntfn, rx, word = 77;
	struct sel_msg m = msg(5, 2, 11, 22, 0, 0, 0);

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_NOTIFICATION, 0, &ntfn), SEL_OK);
	CHECK_EQ(t, sel_nb_send(ep, &m), SEL_ERR_WOULD_BLOCK);
	CHECK_EQ(t, sel_nb_recv(ep, &m), SEL_ERR_WOULD_BLOCK);
	CHECK_EQ(t, sel_poll(ntfn, &word), SEL_OK);
	CHECK_EQ(t, word, 0);
	/* The failed NBSend left nothing queued: a receiver that comes now blocks. */
	CHECK_EQ(t, ipc_thread(ut, receiver, ep, &rx), SEL_OK);
	CHECK(t, wait_blocked(rx, IPC_PATIENCE));
	CHECK_EQ(t, log_n, 0);
	/* With a receiver waiting, NBSend delivers label, length and words. */
	m = msg(5, 2, 11, 22, 0, 0, 0);
	CHECK_EQ(t, sel_nb_send(ep, &m), SEL_OK);
	CHECK(t, log_reaches(1));
	CHECK_EQ(t, log_label[0], 5);
	CHECK_EQ(t, log_len[0], 2);
	CHECK_EQ(t, log_w0[0], 11);
	CHECK_EQ(t, log_badge[0], 0);
	CHECK_EQ(t, sel_tcb_suspend(rx), SEL_OK);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(IPC_0002, "Send and NBSend need Write on the endpoint cap (all 32 rights subsets)")
{
	uint64_t ut, ep, rx, c = slot_new(), n = 0;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, ipc_thread(ut, receiver, ep, &rx), SEL_OK);
	for (uint32_t r = 0; r <= SEL_RIGHTS_ALL; r++) {
		int want = expect(r, SEL_RIGHT_WRITE);
		CHECK_EQ(t, sel_cnode_mint(ROOT, c, ep, FULL, r, 0x100 + r), SEL_OK);
		CHECK(t, wait_blocked(rx, IPC_PATIENCE));
		struct sel_msg m = msg(0x10 + r, 1, r, 0, 0, 0, 0);
		CHECK_EQ(t, sel_send(c, &m), want);
		if (want == SEL_OK) {
			CHECK(t, log_reaches(++n));
			CHECK_EQ(t, log_label[(n - 1) % LOG_MAX], 0x10 + r);
			CHECK_EQ(t, log_badge[(n - 1) % LOG_MAX], 0x100 + r);
			CHECK(t, wait_blocked(rx, IPC_PATIENCE));
		}
		m = msg(0x50 + r, 1, r, 0, 0, 0, 0);
		CHECK_EQ(t, sel_nb_send(c, &m), want);
		if (want == SEL_OK) {
			CHECK(t, log_reaches(++n));
			CHECK_EQ(t, log_label[(n - 1) % LOG_MAX], 0x50 + r);
		}
		for (int i = 0; i < 3; i++)
			sel_yield();
		CHECK_EQ(t, log_n, n); /* nothing else arrived */
		CHECK_EQ(t, sel_cnode_delete(ROOT, c, FULL, 0), SEL_OK);
	}
	CHECK_EQ(t, n, 32); /* 16 subsets with Write, two messages each */
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

static volatile uint64_t sent_k;

/* Sends labels 0x40, 0x41, ... on ep (blocking) until an error. */
static void counting_sender(uint64_t ep)
{
	for (uint64_t k = 0;; k++) {
		struct sel_msg m = msg(0x40 + k, 1, k, 0, 0, 0, 0);
		sent_k = k;
		int err = sel_send(ep, &m);
		if (err != SEL_OK)
			sel_exit(err);
	}
}

TEST(IPC_0003, "Recv and NBRecv need Read (all 32 rights subsets); without it nothing is taken")
{
	uint64_t ut, ep, tx, c = slot_new(), next = 0;
	struct sel_msg m = {0};

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, ipc_thread(ut, counting_sender, ep, &tx), SEL_OK);
	for (uint32_t r = 0; r <= SEL_RIGHTS_ALL; r++) {
		CHECK_EQ(t, sel_cnode_mint(ROOT, c, ep, FULL, r, 0), SEL_OK);
		CHECK(t, wait_blocked(tx, IPC_PATIENCE));
		if (r & SEL_RIGHT_READ) {
			m = msg(0, 0, 0, 0, 0, 0, 0);
			CHECK_EQ(t, sel_recv(c, &m), SEL_OK);
			CHECK_EQ(t, SEL_MSG_LABEL(m.info), 0x40 + next);
			next++;
			CHECK(t, wait_blocked(tx, IPC_PATIENCE));
			m = msg(0, 0, 0, 0, 0, 0, 0);
			CHECK_EQ(t, sel_nb_recv(c, &m), SEL_OK);
			CHECK_EQ(t, SEL_MSG_LABEL(m.info), 0x40 + next);
			CHECK_EQ(t, m.mr[0], next);
			next++;
		} else {
			CHECK_EQ(t, sel_recv(c, &m), SEL_ERR_NO_RIGHTS);
			CHECK_EQ(t, sel_nb_recv(c, &m), SEL_ERR_NO_RIGHTS);
			CHECK(t, wait_blocked(tx, 1)); /* still blocked with the same message */
			CHECK_EQ(t, sent_k, next);
		}
		CHECK_EQ(t, sel_cnode_delete(ROOT, c, FULL, 0), SEL_OK);
	}
	CHECK_EQ(t, next, 32);
	CHECK(t, wait_blocked(tx, IPC_PATIENCE));
	m = msg(0, 0, 0, 0, 0, 0, 0);
	CHECK_EQ(t, sel_nb_recv(ep, &m), SEL_OK);
	CHECK_EQ(t, SEL_MSG_LABEL(m.info), 0x40 + next);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(IPC_0004, "Call needs Write and Grant or GrantReply (32 subsets): W+GR alone works, W+G too")
{
	uint64_t ut, ep, srv, c = slot_new(), n = 0;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, ipc_thread(ut, echo_server, ep, &srv), SEL_OK);
	for (uint32_t r = 0; r <= SEL_RIGHTS_ALL; r++) {
		int ok = (r & SEL_RIGHT_WRITE) && (r & (SEL_RIGHT_GRANT | SEL_RIGHT_GRANT_REPLY));
		CHECK_EQ(t, sel_cnode_mint(ROOT, c, ep, FULL, r, 0x200 + r), SEL_OK);
		CHECK(t, wait_blocked(srv, IPC_PATIENCE));
		struct sel_msg m = msg(0x30, 1, 3 * r, 0, 0, 0, 0);
		CHECK_EQ(t, sel_call(c, &m), ok ? SEL_OK : SEL_ERR_NO_RIGHTS);
		if (ok) {
			n++;
			CHECK_EQ(t, SEL_MSG_LABEL(m.info), 0x31);
			CHECK_EQ(t, SEL_MSG_LENGTH(m.info), 2);
			CHECK_EQ(t, m.mr[0], 3 * r + 1);
			CHECK_EQ(t, m.mr[1], 0x200 + r); /* the server saw our badge */
		}
		for (int i = 0; i < 3; i++)
			sel_yield();
		CHECK_EQ(t, log_n, n); /* a refused Call reached nobody */
		CHECK_EQ(t, sel_cnode_delete(ROOT, c, FULL, 0), SEL_OK);
	}
	CHECK_EQ(t, n, 12); /* W, G or GR or both (3 ways), R and X either way (4) */
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(IPC_0005,
     "Signal needs Write, Wait and Poll need Read (32 subsets); nothing is signalled or taken")
{
	uint64_t ut, ntfn, full = slot_new(), c = slot_new(), w;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_NOTIFICATION, 0, &ntfn), SEL_OK);
	CHECK_EQ(t, sel_cnode_mint(ROOT, full, ntfn, FULL, SEL_RIGHTS_ALL, 1ull << 40), SEL_OK);
	for (uint32_t r = 0; r <= SEL_RIGHTS_ALL; r++) {
		int wr = expect(r, SEL_RIGHT_WRITE), rd = expect(r, SEL_RIGHT_READ);
		CHECK_EQ(t, sel_cnode_mint(ROOT, c, ntfn, FULL, r, 1ull << r), SEL_OK);
		CHECK_EQ(t, sel_signal(c), wr);
		CHECK_EQ(t, sel_poll(ntfn, &w), SEL_OK);
		CHECK_EQ(t, w, wr == SEL_OK ? 1ull << r : 0);
		CHECK_EQ(t, sel_signal(full), SEL_OK);
		w = 5;
		CHECK_EQ(t, sel_poll(c, &w), rd);
		if (rd == SEL_OK) {
			CHECK_EQ(t, w, 1ull << 40);
			CHECK_EQ(t, sel_signal(full), SEL_OK);
		}
		CHECK_EQ(t, sel_wait(c, &w), rd); /* the word is set: never blocks */
		if (rd == SEL_OK)
			CHECK_EQ(t, w, 1ull << 40);
		CHECK_EQ(t, sel_poll(ntfn, &w), SEL_OK);
		CHECK_EQ(t, w, rd == SEL_OK ? 0 : 1ull << 40); /* untouched without Read */
		CHECK_EQ(t, sel_cnode_delete(ROOT, c, FULL, 0), SEL_OK);
	}
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

static volatile uint64_t waiter_err = ~0ull, waiter_word = ~0ull, waiter_done;

static void waiter(uint64_t ntfn)
{
	uint64_t w = 0;
	int err = sel_wait(ntfn, &w);

	waiter_err = (uint64_t)err;
	waiter_word = w;
	waiter_done = 1;
}

TEST(IPC_0006, "badges 0, 1, 2^63, 2^64-1 arrive intact through Send, Call and Signal")
{
	static const uint64_t badges[] = {0, 1, 1ull << 63, ~0ull, 0x0123456789abcdefull};
	uint64_t ut, ep, ntfn, rx, srv, ep2, wt, w;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep2), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_NOTIFICATION, 0, &ntfn), SEL_OK);
	CHECK_EQ(t, ipc_thread(ut, receiver, ep, &rx), SEL_OK);
	CHECK_EQ(t, ipc_thread(ut, echo_server, ep2, &srv), SEL_OK);
	for (unsigned i = 0; i < sizeof(badges) / sizeof(badges[0]); i++) {
		uint64_t b = badges[i], c = slot_new(), c2 = slot_new(), cn = slot_new();
		CHECK_EQ(t, sel_cnode_mint(ROOT, c, ep, FULL, SEL_RIGHTS_ALL, b), SEL_OK);
		CHECK_EQ(t, sel_cnode_mint(ROOT, c2, ep2, FULL, SEL_RIGHTS_ALL, b), SEL_OK);
		CHECK_EQ(t, sel_cnode_mint(ROOT, cn, ntfn, FULL, SEL_RIGHTS_ALL, b), SEL_OK);
		CHECK_EQ(t, ident(c).badge, b);
		struct sel_msg m = msg(1, 1, i, 0, 0, 0, 0);
		CHECK_EQ(t, sel_send(c, &m), SEL_OK);
		CHECK(t, log_reaches(2 * i + 1));
		CHECK_EQ(t, log_badge[2 * i], b);
		/* The echo server logs into the same log and returns the badge it saw. */
		m = msg(1, 1, i, 0, 0, 0, 0);
		CHECK_EQ(t, sel_call(c2, &m), SEL_OK);
		CHECK_EQ(t, m.mr[1], b);
		CHECK(t, log_reaches(2 * i + 2));
		CHECK_EQ(t, sel_signal(cn), SEL_OK);
		w = 5;
		CHECK_EQ(t, sel_poll(ntfn, &w), SEL_OK);
		CHECK_EQ(t, w, b);
	}
	/* Signal with badge 0 still wakes a waiter, with word 0. */
	CHECK_EQ(t, ipc_thread(ut, waiter, ntfn, &wt), SEL_OK);
	CHECK(t, wait_blocked(wt, IPC_PATIENCE));
	CHECK_EQ(t, sel_signal(ntfn), SEL_OK);
	CHECK(t, wait_flag(&waiter_done, IPC_PATIENCE));
	CHECK_EQ(t, waiter_err, SEL_OK);
	CHECK_EQ(t, waiter_word, 0);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

static volatile uint64_t long_ok;

/* Calls with 64 words i * 3 + 1 and checks the 64-word reply i * 7 + 2. */
static void long_caller(uint64_t ep)
{
	struct sel_ipc_buffer *b = sel_ipc_buffer();
	struct sel_msg m = msg(77, 64, 1, 4, 7, 10, 13);

	for (unsigned i = 5; i < 64; i++)
		b->mr[i] = i * 3 + 1;
	int err = sel_call(ep, &m);
	if (err != SEL_OK)
		sel_exit(err);
	if (SEL_MSG_LABEL(m.info) != 78 || SEL_MSG_LENGTH(m.info) != 64)
		sel_exit(90);
	for (unsigned i = 0; i < 64; i++) {
		uint64_t v = i < 5 ? m.mr[i] : b->mr[i];
		if (v != i * 7 + 2)
			sel_exit(100 + (int)i);
	}
	long_ok = 1;
}

TEST(IPC_0007, "a 64-word message and a 64-word reply arrive intact through the IPC buffers")
{
	uint64_t ut, ep, cl;
	struct sel_ipc_buffer *b = sel_ipc_buffer();
	struct sel_msg m = {0};
	struct sel_thread_info st;

	CHECK(t, b != 0);
	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	memset(b->mr, 0, sizeof(b->mr));
	CHECK_EQ(t, ipc_thread(ut, long_caller, ep, &cl), SEL_OK);
	CHECK_EQ(t, sel_recv(ep, &m), SEL_OK);
	CHECK_EQ(t, SEL_MSG_LABEL(m.info), 77);
	CHECK_EQ(t, SEL_MSG_LENGTH(m.info), 64);
	for (unsigned i = 0; i < 64; i++)
		CHECK_EQ(t, i < 5 ? m.mr[i] : b->mr[i], i * 3 + 1);
	m = msg(78, 64, 2, 9, 16, 23, 30);
	for (unsigned i = 5; i < 64; i++)
		b->mr[i] = i * 7 + 2;
	CHECK_EQ(t, sel_reply(&m), SEL_OK);
	CHECK(t, wait_stopped(cl, &st, IPC_PATIENCE));
	CHECK_EQ(t, st.reason, SEL_STOP_EXITED);
	CHECK_EQ(t, st.code, 0);
	CHECK_EQ(t, long_ok, 1);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

static volatile uint64_t nb_info, nb_mr[5], nb_done, nb_err[3];

/* Without an IPC buffer: receives one message and records it. */
static void bufferless_receiver(uint64_t ep)
{
	struct sel_msg m = {0};

	nb_err[0] = (uint64_t)sel_recv(ep, &m);
	nb_info = m.info;
	for (int i = 0; i < 5; i++)
		nb_mr[i] = m.mr[i];
	nb_done = 1;
}

/* Without an IPC buffer: a 6-word message and one with a cap are refused, 5 words go. */
static void bufferless_sender(uint64_t ep)
{
	struct sel_msg m = msg(3, 6, 1, 2, 3, 4, 5);

	nb_err[0] = (uint64_t)sel_nb_send(ep, &m);
	m = (struct sel_msg){SEL_MSG_INFO(3, 1, 1), {1}, 0};
	nb_err[1] = (uint64_t)sel_nb_send(ep, &m);
	m = msg(4, 5, 1, 2, 3, 4, 5);
	nb_err[2] = (uint64_t)sel_send(ep, &m);
	nb_done = 1;
}

TEST(IPC_0008,
     "without an IPC buffer: a receiver gets 5 words (length 5), a sender cannot send more")
{
	uint64_t ut, ep, th;
	struct sel_ipc_buffer *b = sel_ipc_buffer();
	struct sel_msg m = msg(9, 20, 10, 11, 12, 13, 14);

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, ipc_thread_opts(ut, bufferless_receiver, ep, 0, &th), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(th), SEL_OK);
	CHECK(t, wait_blocked(th, IPC_PATIENCE));
	for (unsigned i = 5; i < 20; i++)
		b->mr[i] = 10 + i;
	CHECK_EQ(t, sel_send(ep, &m), SEL_OK);
	CHECK(t, wait_flag(&nb_done, IPC_PATIENCE));
	CHECK_EQ(t, nb_err[0], SEL_OK);
	CHECK_EQ(t, SEL_MSG_LABEL(nb_info), 9);
	CHECK_EQ(t, SEL_MSG_LENGTH(nb_info), 5);
	for (int i = 0; i < 5; i++)
		CHECK_EQ(t, nb_mr[i], 10 + i);
	nb_done = 0;
	CHECK_EQ(t, ipc_thread_opts(ut, bufferless_sender, ep, 0, &th), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(th), SEL_OK);
	CHECK(t, wait_blocked(th, IPC_PATIENCE));
	m = (struct sel_msg){0};
	CHECK_EQ(t, sel_recv(ep, &m), SEL_OK);
	CHECK_EQ(t, SEL_MSG_LABEL(m.info), 4);
	CHECK_EQ(t, SEL_MSG_LENGTH(m.info), 5);
	CHECK_EQ(t, m.mr[4], 5);
	CHECK(t, wait_flag(&nb_done, IPC_PATIENCE));
	CHECK_EQ(t, nb_err[0], SEL_ERR_INVALID_ARG);
	CHECK_EQ(t, nb_err[1], SEL_ERR_INVALID_ARG);
	CHECK_EQ(t, nb_err[2], SEL_OK);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(IPC_0009, "length 65, kernel labels and reserved info bits: SEL_ERR_INVALID_ARG, nothing sent")
{
	static const uint64_t bad[] = {
	    SEL_MSG_INFO(1, 0, 65),
	    SEL_MSG_INFO(1, 0, 127),
	    SEL_MSG_INFO(SEL_LABEL_KERNEL, 0, 1),
	    SEL_MSG_INFO(SEL_LABEL_NOTIFICATION, 0, 0),
	    SEL_MSG_INFO(SEL_LABEL_FAULT, 0, 3),
	    SEL_MSG_INFO(SEL_LABEL_EXIT, 0, 1),
	    ~0ull & ~0xfffull,
	    SEL_MSG_INFO(1, 0, 1) | 0x200,
	    SEL_MSG_INFO(1, 0, 1) | 0x400,
	    SEL_MSG_INFO(1, 0, 1) | 0x800,
	};
	uint64_t ut, ep, rx;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, ipc_thread(ut, receiver, ep, &rx), SEL_OK);
	CHECK(t, wait_blocked(rx, IPC_PATIENCE));
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct sel_msg m = {bad[i], {1, 2, 3, 4, 5}, 0};
		CHECK_EQ(t, sel_send(ep, &m), SEL_ERR_INVALID_ARG);
		m = (struct sel_msg){bad[i], {1, 2, 3, 4, 5}, 0};
		CHECK_EQ(t, sel_nb_send(ep, &m), SEL_ERR_INVALID_ARG);
		m = (struct sel_msg){bad[i], {1, 2, 3, 4, 5}, 0};
		CHECK_EQ(t, sel_call(ep, &m), SEL_ERR_INVALID_ARG);
	}
	sel_yield();
	CHECK_EQ(t, log_n, 0);
	CHECK(t, wait_blocked(rx, 1));
	struct sel_msg ok = msg(SEL_LABEL_KERNEL - 1, 64, 1, 0, 0, 0, 0);
	CHECK_EQ(t, sel_send(ep, &ok), SEL_OK); /* the largest lengths and labels are fine */
	CHECK(t, log_reaches(1));
	CHECK_EQ(t, log_label[0], SEL_LABEL_KERNEL - 1);
	CHECK_EQ(t, log_len[0], 64);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

/* Sends label = arg >> 8 on the endpoint arg & 0xff. */
static void tagged_sender(uint64_t arg)
{
	struct sel_msg m = msg(arg >> 8, 0, 0, 0, 0, 0, 0);
	int err = sel_send(arg & 0xff, &m);

	if (err != SEL_OK)
		sel_exit(err);
}

TEST(IPC_0010,
     "senders blocked on an endpoint are received highest priority first, FIFO within one")
{
	static const uint64_t prio[] = {10, 50, 30, 50, 10, 30, 50};
	static const uint64_t order[] = {1, 3, 6, 2, 5, 0, 4};
	uint64_t ut, ep, th;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK(t, ep < 256);
	for (unsigned i = 0; i < 7; i++) {
		CHECK_EQ(t, ipc_thread_opts(ut, tagged_sender, ep | (uint64_t)(i + 1) << 8, 1, &th),
		         SEL_OK);
		CHECK_EQ(t, sel_tcb_set_priority(th, SEL_SLOT_TCB, prio[i]), SEL_OK);
		CHECK_EQ(t, sel_tcb_resume(th), SEL_OK);
		CHECK(t, wait_blocked(th, IPC_PATIENCE));
	}
	for (unsigned i = 0; i < 7; i++) {
		struct sel_msg m = {0};
		CHECK_EQ(t, sel_nb_recv(ep, &m), SEL_OK);
		CHECK_EQ(t, SEL_MSG_LABEL(m.info), order[i] + 1);
	}
	struct sel_msg m = {0};
	CHECK_EQ(t, sel_nb_recv(ep, &m), SEL_ERR_WOULD_BLOCK);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

static volatile uint64_t res[6], res_done[6];

/* arg = index << 8 | cap; kinds by index: 0 Send, 1 Call, 2-3 Recv, 4 Wait, 5 Send. */
static void blocker(uint64_t arg)
{
	uint64_t i = arg >> 8, cap = arg & 0xff, w;
	struct sel_msg m = msg(1, 1, 1, 0, 0, 0, 0);
	int err;

	if (i == 0 || i == 5)
		err = sel_send(cap, &m);
	else if (i == 1)
		err = sel_call(cap, &m);
	else if (i == 4)
		err = sel_wait(cap, &w);
	else
		err = sel_recv(cap, &m);
	res[i] = (uint64_t)err;
	res_done[i] = 1;
}

TEST(IPC_0011, "deleting an endpoint wakes its senders, callers and receivers with SEL_ERR_DELETED")
{
	uint64_t ut, ep1, ep2, ntfn, th[5];

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep1), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep2), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_NOTIFICATION, 0, &ntfn), SEL_OK);
	CHECK(t, ntfn < 256);
	uint64_t caps[5] = {ep1, ep1, ep2, ep2, ntfn};
	for (unsigned i = 0; i < 5; i++) {
		CHECK_EQ(t, ipc_thread(ut, blocker, (uint64_t)i << 8 | caps[i], &th[i]), SEL_OK);
		CHECK(t, wait_blocked(th[i], IPC_PATIENCE));
	}
	CHECK_EQ(t, sel_cnode_delete(ROOT, ep1, FULL, 0), SEL_OK);
	CHECK(t, wait_flag(&res_done[0], IPC_PATIENCE) && wait_flag(&res_done[1], IPC_PATIENCE));
	CHECK_EQ(t, res[0], SEL_ERR_DELETED);
	CHECK_EQ(t, res[1], SEL_ERR_DELETED);
	CHECK_EQ(t, res_done[2] | res_done[3] | res_done[4], 0);
	CHECK_EQ(t, sel_cnode_delete(ROOT, ep2, FULL, 0), SEL_OK);
	CHECK(t, wait_flag(&res_done[2], IPC_PATIENCE) && wait_flag(&res_done[3], IPC_PATIENCE));
	CHECK_EQ(t, res[2], SEL_ERR_DELETED);
	CHECK_EQ(t, res[3], SEL_ERR_DELETED);
	CHECK_EQ(t, sel_cnode_delete(ROOT, ntfn, FULL, 0), SEL_OK);
	CHECK(t, wait_flag(&res_done[4], IPC_PATIENCE));
	CHECK_EQ(t, res[4], SEL_ERR_DELETED);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(IPC_0012, "revoking a badged cap cancels the sends blocked with its badge, others stay queued")
{
	uint64_t ut, ep, b1 = slot_new(), b2 = slot_new(), c1 = slot_new(), th[3];

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, sel_cnode_mint(ROOT, b1, ep, FULL, SEL_RIGHTS_ALL, 1), SEL_OK);
	CHECK_EQ(t, sel_cnode_mint(ROOT, b2, ep, FULL, SEL_RIGHTS_ALL, 2), SEL_OK);
	CHECK_EQ(t, sel_cnode_copy(ROOT, c1, b1, FULL, SEL_RIGHTS_ALL), SEL_OK);
	CHECK(t, c1 < 256);
	/* Send with badge 1 (b1), Call with badge 1 (c1, a child of b1), Send with badge 2. */
	CHECK_EQ(t, ipc_thread(ut, blocker, 0ull << 8 | b1, &th[0]), SEL_OK);
	CHECK(t, wait_blocked(th[0], IPC_PATIENCE));
	CHECK_EQ(t, ipc_thread(ut, blocker, 5ull << 8 | b2, &th[2]), SEL_OK);
	CHECK(t, wait_blocked(th[2], IPC_PATIENCE));
	CHECK_EQ(t, ipc_thread(ut, blocker, 1ull << 8 | c1, &th[1]), SEL_OK);
	CHECK(t, wait_blocked(th[1], IPC_PATIENCE));
	CHECK_EQ(t, sel_cnode_revoke(ROOT, b1, FULL, 0), SEL_OK);
	CHECK_EQ(t, ident(c1).type, SEL_OBJ_NULL);
	CHECK_EQ(t, ident(b1).type, SEL_OBJ_ENDPOINT);
	CHECK(t, wait_flag(&res_done[0], IPC_PATIENCE) && wait_flag(&res_done[1], IPC_PATIENCE));
	CHECK_EQ(t, res[0], SEL_ERR_CANCELLED);
	CHECK_EQ(t, res[1], SEL_ERR_CANCELLED);
	CHECK_EQ(t, res_done[5], 0);
	CHECK(t, wait_blocked(th[2], 1));
	struct sel_msg m = {0};
	CHECK_EQ(t, sel_nb_recv(ep, &m), SEL_OK);
	CHECK_EQ(t, m.badge, 2);
	CHECK(t, wait_flag(&res_done[5], IPC_PATIENCE));
	CHECK_EQ(t, res[5], SEL_OK);
	m = (struct sel_msg){0};
	CHECK_EQ(t, sel_nb_recv(ep, &m), SEL_ERR_WOULD_BLOCK);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}
