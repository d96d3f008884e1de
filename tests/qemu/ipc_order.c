/*
 * The order of threads of one priority around a Call (docs/performance.md,
 * "Equal priority"), on one hart: the thread that wakes another and blocks
 * hands over to it ahead of the ready threads of its priority. The group
 * boots with the fastpath on and off (variant nofast), so the fastpath's
 * direct switch and the slow path's queueing (sched_run_next) are held to
 * the same order.
 */
#include <sel/debug.h>
#include "ipc_util.h"

#define EQ_PRIO 250 /* above the test harness's own threads */
static volatile uint64_t eq_seq, eq_served_at, eq_other_at;

static void eq_server(uint64_t ep)
{
	struct sel_msg m = {0};

	sel_recv(ep, &m);
	for (;;) {
		eq_served_at = ++eq_seq;
		m = msg(0, 1, m.mr[0] + 1, 0, 0, 0, 0);
		if (sel_reply_recv(ep, &m) != SEL_OK)
			break;
	}
}

static void eq_other(uint64_t arg)
{
	(void)arg;
	eq_other_at = ++eq_seq;
}

/* A thread on our hart at EQ_PRIO running fn(arg), resumed. */
static int eq_thread(uint64_t ut, void (*fn)(uint64_t), uint64_t arg, uint64_t *tcb)
{
	int err = ipc_thread_opts(ut, fn, arg, 1, tcb);

	if (err == SEL_OK)
		err = sel_tcb_set_affinity(*tcb, sel_debug_info(SEL_INFO_HART_ID));
	if (err == SEL_OK)
		err = sel_tcb_set_priority(*tcb, SEL_SLOT_TCB, EQ_PRIO);
	return err != SEL_OK ? err : sel_tcb_resume(*tcb);
}

TEST(IPC_0401, "at equal priority a Call runs the receiver, and its reply the caller, ahead of "
               "a ready thread (fastpath on and off)")
{
	uint64_t ut, ep, server, other;
	int tries = 0;

	CHECK_EQ(t, untyped_new(19, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_affinity(SEL_SLOT_TCB, sel_debug_info(SEL_INFO_HART_ID)), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_priority(SEL_SLOT_TCB, SEL_SLOT_TCB, EQ_PRIO), SEL_OK);
	CHECK_EQ(t, eq_thread(ut, eq_server, ep, &server), SEL_OK);
	CHECK(t, wait_blocked(server, IPC_PATIENCE));
	/* A preemption tick (10 ms) from making `other` ready to the reply lets
	 * `other` in by round robin: such a round does not count. */
	for (;;) {
		struct sel_msg m = msg(0, 1, 41, 0, 0, 0, 0);
		uint64_t ticks = sel_debug_info(SEL_INFO_TICKS);
		eq_other_at = 0;
		eq_served_at = 0;
		eq_seq = 0;
		CHECK_EQ(t, eq_thread(ut, eq_other, 0, &other), SEL_OK);
		CHECK_EQ(t, sel_call(ep, &m), SEL_OK);
		CHECK_EQ(t, m.mr[0], 42);
		if (sel_debug_info(SEL_INFO_TICKS) != ticks) {
			CHECK(t, ++tries < 10);
			CHECK(t, wait_flag(&eq_other_at, IPC_PATIENCE));
			continue;
		}
		CHECK_EQ(t, eq_served_at, 1); /* the server ran first */
		CHECK_EQ(t, eq_other_at, 0);  /* and the reply came back to us ahead of `other` */
		CHECK(t, wait_flag(&eq_other_at, IPC_PATIENCE));
		CHECK_EQ(t, eq_other_at, 2);
		break;
	}
}
