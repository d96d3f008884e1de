/*
 * Revoking user-interrupt receivers while another hart sends to them in a
 * loop (docs/uintr.md, "Reclamation"). Every round creates a receiver at
 * the same address, hands a sender to a thread on another hart that
 * installs it and sends without pause, and revokes the Untyped it came
 * from, so the next round's receiver reuses the memory. The group boots
 * with race-delay=20000: a debug kernel's send then spins between reading
 * its table word and touching the receiver, and checks afterwards that the
 * receiver was not freed meanwhile (it panics if it was). The positive
 * control UINTR_0398 boots the same image with inject=uintr-no-sync, a
 * kernel that frees receivers without waiting for those sends.
 */
#include <sel/debug.h>
#include <sel/print.h>
#include <sel/uintr.h>
#include "ipc_util.h"

static volatile uint64_t offer, offer_round, taken_round, sends_ok, sends_empty, bad_err,
    sender_stop;

/* Yields until *v == want; 1 if it happened. */
static int wait_value(volatile uint64_t *v, uint64_t want_value, uint64_t max_yields)
{
	for (uint64_t i = 0; i < max_yields; i++) {
		if (*v == want_value)
			return 1;
		sel_yield();
	}
	return *v == want_value;
}

/* Installs each offered sender at index 0 and sends through it without pause. */
static void loop_sender(uint64_t arg)
{
	uint64_t round = 0;

	(void)arg;
	while (!sender_stop) {
		if (offer_round != round) {
			round = offer_round;
			if (sel_uintr_install(offer, 0) != SEL_OK)
				bad_err = 1000;
			taken_round = round;
		}
		int err = sel_uintr_send(0);
		if (err == SEL_OK)
			sends_ok = sends_ok + 1;
		else if (err == SEL_ERR_EMPTY_SLOT)
			sends_empty = sends_empty + 1;
		else
			bad_err = (uint64_t)err;
	}
}

TEST(UINTR_0111, "revoking receivers while another hart sends to them in a loop is clean")
{
	uint64_t ut, small, tcb, recv = slot_new(), snd = slot_new();
	uint64_t harts = sel_debug_info(SEL_INFO_HARTS_ONLINE);
	uint64_t me = sel_debug_info(SEL_INFO_HART_ID);
	uint64_t n_rounds = harts > 1 ? 300 : 50;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, untyped_new(12, &small), SEL_OK); /* every receiver at the same address */
	CHECK_EQ(t, ipc_thread_opts(ut, loop_sender, 0, 1, &tcb), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_affinity(tcb, (me + 1) % harts), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(tcb), SEL_OK);
	for (uint64_t r = 1; r <= n_rounds; r++) {
		CHECK_EQ(t, sel_untyped_retype(small, SEL_OBJ_UINTR_RECEIVER, 0, ROOT, recv, 1),
		         SEL_OK);
		CHECK_EQ(t, sel_uintr_create_sender(recv, r % SEL_UINTR_VECTORS, ROOT, snd, FULL),
		         SEL_OK);
		offer = snd;
		__atomic_store_n(&offer_round, r, __ATOMIC_SEQ_CST);
		uint64_t ok = sends_ok;
		CHECK(t, wait_value(&taken_round, r, IPC_PATIENCE));
		for (unsigned i = 0; i < IPC_PATIENCE && sends_ok < ok + 3; i++)
			sel_yield();
		/* The receiver, its sender and the installed copy go; the memory is reused next round. */
		CHECK_EQ(t, sel_cnode_revoke(ROOT, small, FULL, 0), SEL_OK);
		CHECK_EQ(t, ident(recv).type, SEL_OBJ_NULL);
	}
	sender_stop = 1;
	CHECK_EQ(t, bad_err, 0);
	CHECK(t, sends_ok >= 3 * n_rounds);
	sel_printf("UINTR_0111: %lu rounds, %lu sends went through, %lu found the slot empty\n",
	           n_rounds, sends_ok, sends_empty);
}
