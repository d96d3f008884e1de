/*
 * The lock-free user-interrupt send touches receivers only inside its
 * epoch (docs/security-ipc.md, docs/uintr.md "Reclamation"). A send
 * also reads the *sending* thread's own receiver, to decide whether the
 * thread may go straight back to user mode; that receiver can be deleted
 * by another hart at the same moment. A thread on another hart sends in a
 * loop while it is bound to a receiver that this test deletes (its
 * Untyped revoked, the memory reused next round). The group boots with
 * race-delay=20000: a debug kernel's send spins between reading the
 * receiver and its pending word and panics if the receiver was freed
 * meanwhile. The control SEC_0298 (inject=uintr-late-check) makes that
 * read after the send has left its epoch.
 */
#include <sel/debug.h>
#include <sel/print.h>
#include <sel/uintr.h>
#include "ipc_util.h"

static volatile uint64_t offer, offer_round, taken_round, sends_ok, bad_err, sender_stop;

static void never_called(uint64_t pending, struct sel_uintr_frame *f)
{
	(void)pending;
	(void)f;
}

/* Installs sender `snd` at entry 0; binds itself to each offered receiver; sends without pause. */
static void bound_sender(uint64_t snd)
{
	uint64_t round = 0;

	if (sel_uintr_install(snd, 0) != SEL_OK)
		bad_err = 2000;
	while (!sender_stop) {
		if (offer_round != round) {
			round = offer_round;
			if (sel_uintr_register_handler(offer, never_called, 0) != SEL_OK)
				bad_err = 1000;
			taken_round = round;
		}
		int err = sel_uintr_send(0);
		if (err == SEL_OK)
			sends_ok = sends_ok + 1;
		else
			bad_err = (uint64_t)err;
	}
}

static int wait_round(uint64_t r)
{
	for (unsigned i = 0; i < IPC_PATIENCE; i++) {
		if (taken_round == r)
			return 1;
		sel_yield();
	}
	return taken_round == r;
}

TEST(SEC_0220, "a send reads its own thread's receiver only inside its epoch")
{
	uint64_t ut, small, tcb, target, snd = slot_new(), recv = slot_new();
	uint64_t harts = sel_debug_info(SEL_INFO_HARTS_ONLINE);
	uint64_t me = sel_debug_info(SEL_INFO_HART_ID);
	uint64_t n_rounds = harts > 1 ? 200 : 20;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, untyped_new(12, &small), SEL_OK); /* every receiver at the same address */
	/* The sends go to a receiver nobody is bound to: only the sender's own one matters. */
	CHECK_EQ(t, object_new(ut, SEL_OBJ_UINTR_RECEIVER, 0, &target), SEL_OK);
	CHECK_EQ(t, sel_uintr_create_sender(target, 1, ROOT, snd, FULL), SEL_OK);
	CHECK_EQ(t, ipc_thread_opts(ut, bound_sender, snd, 1, &tcb), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_affinity(tcb, (me + 1) % harts), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(tcb), SEL_OK);
	for (uint64_t r = 1; r <= n_rounds; r++) {
		CHECK_EQ(t, sel_untyped_retype(small, SEL_OBJ_UINTR_RECEIVER, 0, ROOT, recv, 1),
		         SEL_OK);
		offer = recv;
		__atomic_store_n(&offer_round, r, __ATOMIC_SEQ_CST);
		CHECK(t, wait_round(r));
		uint64_t ok = sends_ok;
		for (unsigned i = 0; i < IPC_PATIENCE && sends_ok < ok + 3; i++)
			sel_yield();
		CHECK_EQ(t, sel_cnode_revoke(ROOT, small, FULL, 0), SEL_OK);
	}
	sender_stop = 1;
	CHECK_EQ(t, bad_err, 0);
	sel_printf("SEC_0220: %lu rounds, %lu sends\n", n_rounds, sends_ok);
}
