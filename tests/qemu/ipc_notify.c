/*
 * Notifications (docs/ipc.md): Signal ORs the badge of
 * its cap into the word, Poll and Wait take the word and clear it, and no
 * bit is ever invented or lost — checked over 10^5 signals from another
 * thread and exactly, round by round, from one. Wake-ups between two
 * threads, and notifications bound to a thread, whose Recv on an endpoint
 * then also returns a signal (label SEL_LABEL_NOTIFICATION, a7 = word).
 * A signal through an unbadged cap is not lost.
 */
#include "ipc_util.h"

#define N_SIGNALS 100000u

#define N_CAPS 16u

static volatile uint64_t sent_or, signaller_done, signaller_err;

/*
 * The signal caps: cap j has badge 1 << sig_bit(j), 16 bits spread over the
 * word from bit 0 to bit 63; the other 48 bits must never appear.
 */
static unsigned sig_bit(uint64_t j)
{
	return (unsigned)(4 * j + j % 4);
}

/*
 * Signals cap (i * 7) % N_CAPS for i < N_SIGNALS, recording each bit before it
 * goes; yields now and then, so that on one hart the poller runs between
 * signals however long a time slice is.
 */
static void signaller(uint64_t first)
{
	for (uint64_t i = 0; i < N_SIGNALS; i++) {
		uint64_t j = i * 7 % N_CAPS;
		sent_or = sent_or | 1ull << sig_bit(j);
		int err = sel_signal(first + j);
		if (err != SEL_OK) {
			signaller_err = (uint64_t)err;
			break;
		}
		if (i % 4096 == 4095)
			sel_yield();
	}
	signaller_done = 1;
}

/* N_CAPS caps to ntfn in consecutive slots, cap j with badge 1 << sig_bit(j). */
static int badge_caps(uint64_t ntfn, uint64_t *first)
{
	*first = slots_new(N_CAPS);
	for (unsigned j = 0; j < N_CAPS; j++) {
		int err = sel_cnode_mint(ROOT, *first + j, ntfn, FULL, SEL_RIGHTS_ALL,
		                         1ull << sig_bit(j));
		if (err != SEL_OK)
			return err;
	}
	return SEL_OK;
}

TEST(IPC_0013, "10^5 signals from another thread are OR-ed: no bit lost, none invented")
{
	uint64_t ut, ntfn, first, th, got = 0, w, expected = 0, polls = 0;

	for (unsigned j = 0; j < N_CAPS; j++)
		expected |= 1ull << sig_bit(j);
	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_NOTIFICATION, 0, &ntfn), SEL_OK);
	CHECK_EQ(t, badge_caps(ntfn, &first), SEL_OK);
	CHECK_EQ(t, ipc_thread(ut, signaller, first, &th), SEL_OK);
	while (!signaller_done) {
		CHECK_EQ(t, sel_poll(ntfn, &w), SEL_OK);
		CHECK_EQ(t, w & ~sent_or, 0); /* only bits already signalled */
		got |= w;
		polls += w != 0;
		sel_yield();
	}
	CHECK_EQ(t, signaller_err, 0);
	CHECK_EQ(t, sel_poll(ntfn, &w), SEL_OK);
	got |= w;
	CHECK_EQ(t, sent_or, expected);
	CHECK_EQ(t, got, expected);
	CHECK_EQ(t, sel_poll(ntfn, &w), SEL_OK);
	CHECK_EQ(t, w, 0); /* taking the word cleared it */
	CHECK(t, polls > 0);
	/* Exact rounds from one thread: the word is the OR of the round's badges. */
	for (uint64_t k = 1; k < 2000; k++) {
		uint64_t want = 0;
		for (unsigned i = 0; i < 3; i++) {
			uint64_t j = (k * 13 + i * 5 + (k >> 3)) % N_CAPS;
			want |= 1ull << sig_bit(j);
			CHECK_EQ(t, sel_signal(first + j), SEL_OK);
		}
		CHECK_EQ(t, sel_poll(ntfn, &w), SEL_OK);
		CHECK_EQ(t, w, want);
	}
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

#define PING_ROUNDS 300u

static volatile uint64_t pong_bad, pong_rounds;
static uint64_t ping_caps[3], ping_ntfn, pong_cap;
static const uint64_t ping_badges[3] = {0x1, 0x100, 1ull << 63};

/*
 * Round k wakes the ponger with one signal, of cap k % 3: a signal wakes a
 * waiter at once with the word as it is, so the OR of several signals is
 * only seen by a thread that was not waiting (IPC_0013 checks that).
 */
static uint64_t ping_word(uint64_t k)
{
	return ping_badges[k % 3];
}

/* Waits on the ping notification, checks the word, answers on the pong one. */
static void ponger(uint64_t unused)
{
	(void)unused;
	for (uint64_t k = 0; k < PING_ROUNDS; k++) {
		uint64_t w = 0;
		int err = sel_wait(ping_ntfn, &w);
		if (err != SEL_OK || w != ping_word(k))
			pong_bad = pong_bad + 1;
		pong_rounds = k + 1;
		if (sel_signal(pong_cap) != SEL_OK)
			pong_bad = pong_bad + 1;
	}
}

TEST(IPC_0014, "signal and wait wake each other up between two threads, with exact words")
{
	uint64_t ut, pong, th, w;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_NOTIFICATION, 0, &ping_ntfn), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_NOTIFICATION, 0, &pong), SEL_OK);
	for (unsigned j = 0; j < 3; j++) {
		ping_caps[j] = slot_new();
		CHECK_EQ(t,
		         sel_cnode_mint(ROOT, ping_caps[j], ping_ntfn, FULL, SEL_RIGHTS_ALL,
		                        ping_badges[j]),
		         SEL_OK);
	}
	pong_cap = slot_new();
	CHECK_EQ(t, sel_cnode_mint(ROOT, pong_cap, pong, FULL, SEL_RIGHT_WRITE, 0x10), SEL_OK);
	CHECK_EQ(t, ipc_thread(ut, ponger, 0, &th), SEL_OK);
	for (uint64_t k = 0; k < PING_ROUNDS; k++) {
		CHECK(t, wait_blocked(th, IPC_PATIENCE)); /* it sleeps in Wait: a real wake-up */
		CHECK_EQ(t, sel_signal(ping_caps[k % 3]), SEL_OK);
		w = 0;
		CHECK_EQ(t, sel_wait(pong, &w), SEL_OK);
		CHECK_EQ(t, w, 0x10);
		CHECK_EQ(t, pong_rounds, k + 1);
	}
	CHECK_EQ(t, pong_bad, 0);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

static volatile uint64_t b_n, b_info[4], b_badge[4], b_mr0[4];

/* Receives on ep four times, recording info, badge and MR0. */
static void bound_receiver(uint64_t ep)
{
	for (unsigned i = 0; i < 4; i++) {
		struct sel_msg m = {0};
		if (sel_recv(ep, &m) != SEL_OK)
			sel_exit(1);
		b_info[i] = m.info;
		b_badge[i] = m.badge;
		b_mr0[i] = m.mr[0];
		b_n = i + 1;
	}
}

static int b_reaches(uint64_t n)
{
	for (unsigned i = 0; i < IPC_PATIENCE && b_n < n; i++)
		sel_yield();
	return b_n >= n;
}

TEST(IPC_0015, "a bound notification ends a Recv on an endpoint, signalled before or during it")
{
	uint64_t ut, ep, ntfn, th, w, s5 = slot_new(), s30 = slot_new(), eb = slot_new();

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_NOTIFICATION, 0, &ntfn), SEL_OK);
	CHECK_EQ(t, sel_cnode_mint(ROOT, s5, ntfn, FULL, SEL_RIGHT_WRITE, 0x5), SEL_OK);
	CHECK_EQ(t, sel_cnode_mint(ROOT, s30, ntfn, FULL, SEL_RIGHT_WRITE, 0x30), SEL_OK);
	CHECK_EQ(t, sel_cnode_mint(ROOT, eb, ep, FULL, SEL_RIGHTS_ALL, 0x99), SEL_OK);
	CHECK_EQ(t, ipc_thread_opts(ut, bound_receiver, ep, 1, &th), SEL_OK);
	CHECK_EQ(t, sel_tcb_bind_notification(th, ntfn), SEL_OK);
	/* Signalled before the Recv: it returns at once. */
	CHECK_EQ(t, sel_signal(s5), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(th), SEL_OK);
	CHECK(t, b_reaches(1));
	CHECK_EQ(t, SEL_MSG_LABEL(b_info[0]), SEL_LABEL_NOTIFICATION);
	CHECK_EQ(t, SEL_MSG_LENGTH(b_info[0]), 0);
	CHECK_EQ(t, SEL_MSG_CAPS(b_info[0]), 0);
	CHECK_EQ(t, b_badge[0], 0x5);
	/* Signalled while it waits in Recv. */
	CHECK(t, wait_blocked(th, IPC_PATIENCE));
	CHECK_EQ(t, sel_signal(s30), SEL_OK);
	CHECK_EQ(t, sel_signal(s5), SEL_OK); /* after the wake-up: stays in the word */
	CHECK(t, b_reaches(2));
	CHECK_EQ(t, SEL_MSG_LABEL(b_info[1]), SEL_LABEL_NOTIFICATION);
	CHECK_EQ(t, b_badge[1], 0x30);
	/* The pending 0x5 ends the next Recv at once. */
	CHECK(t, b_reaches(3));
	CHECK_EQ(t, SEL_MSG_LABEL(b_info[2]), SEL_LABEL_NOTIFICATION);
	CHECK_EQ(t, b_badge[2], 0x5);
	/* An ordinary message still arrives as one. */
	CHECK(t, wait_blocked(th, IPC_PATIENCE));
	struct sel_msg m = msg(7, 1, 42, 0, 0, 0, 0);
	CHECK_EQ(t, sel_send(eb, &m), SEL_OK);
	CHECK(t, b_reaches(4));
	CHECK_EQ(t, SEL_MSG_LABEL(b_info[3]), 7);
	CHECK_EQ(t, b_badge[3], 0x99);
	CHECK_EQ(t, b_mr0[3], 42);
	CHECK_EQ(t, sel_poll(ntfn, &w), SEL_OK);
	CHECK_EQ(t, w, 0); /* each signal was taken once */
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(IPC_0016, "binding twice gives SEL_ERR_BUSY (either side); binding needs Read; unbind frees")
{
	uint64_t ut, ep, n1, n2, t1, t2, nr = slot_new();

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_NOTIFICATION, 0, &n1), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_NOTIFICATION, 0, &n2), SEL_OK);
	CHECK_EQ(t, ipc_thread_opts(ut, bound_receiver, ep, 1, &t1), SEL_OK);
	CHECK_EQ(t, ipc_thread_opts(ut, bound_receiver, ep, 1, &t2), SEL_OK);
	CHECK_EQ(t, sel_cnode_mint(ROOT, nr, n2, FULL, SEL_RIGHTS_ALL & ~SEL_RIGHT_READ, 0),
	         SEL_OK);
	CHECK_EQ(t, sel_tcb_bind_notification(t2, nr), SEL_ERR_NO_RIGHTS);
	CHECK_EQ(t, sel_tcb_bind_notification(t1, n1), SEL_OK);
	CHECK_EQ(t, sel_tcb_bind_notification(t1, n1), SEL_ERR_BUSY);
	CHECK_EQ(t, sel_tcb_bind_notification(t1, n2), SEL_ERR_BUSY);
	CHECK_EQ(t, sel_tcb_bind_notification(t2, n1), SEL_ERR_BUSY);
	CHECK_EQ(t, sel_tcb_bind_notification(t2, n2), SEL_OK);
	CHECK_EQ(t, sel_tcb_unbind_notification(t1), SEL_OK);
	CHECK_EQ(t, sel_tcb_unbind_notification(t2), SEL_OK);
	CHECK_EQ(t, sel_tcb_bind_notification(t2, n1), SEL_OK);
	/* n1 now wakes t2's Recv, not t1's. */
	CHECK_EQ(t, sel_tcb_resume(t2), SEL_OK);
	CHECK(t, wait_blocked(t2, IPC_PATIENCE));
	CHECK_EQ(t, sel_signal(n1), SEL_OK);
	CHECK(t, b_reaches(1));
	CHECK_EQ(t, SEL_MSG_LABEL(b_info[0]), SEL_LABEL_NOTIFICATION);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

static volatile uint64_t w_done, w_word, w_err;

/* Waits once on the notification and records what came. */
static void one_wait(uint64_t ntfn)
{
	uint64_t word = 1;

	w_err = (uint64_t)sel_wait(ntfn, &word);
	w_word = word;
	w_done = 1;
}

TEST(IPC_0037, "a signal through an unbadged cap is not lost: the next Wait returns at once, 0")
{
	uint64_t ut, n, t1, t2;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_NOTIFICATION, 0, &n), SEL_OK);
	CHECK_EQ(t, sel_signal(n), SEL_OK); /* badge 0, nobody waiting */
	CHECK_EQ(t, ipc_thread(ut, one_wait, n, &t1), SEL_OK);
	CHECK(t, wait_flag(&w_done, IPC_PATIENCE));
	CHECK_EQ(t, w_err, SEL_OK);
	CHECK_EQ(t, w_word, 0);
	/* Taken: the next Wait blocks until the next signal. */
	w_done = 0;
	CHECK_EQ(t, ipc_thread(ut, one_wait, n, &t2), SEL_OK);
	CHECK(t, wait_blocked(t2, IPC_PATIENCE));
	CHECK_EQ(t, w_done, 0);
	CHECK_EQ(t, sel_signal(n), SEL_OK);
	CHECK(t, wait_flag(&w_done, IPC_PATIENCE));
	CHECK_EQ(t, w_word, 0);
}
