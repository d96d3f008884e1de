/*
 * The IPC fast path's per-thread view (struct tcb: fast_epoch and the
 * fields after it: the flat CSpace, the hart it may run on, its satp, its
 * IPC buffer) is renewed when a TCB invocation changes what it was
 * computed from: a receiver waiting in Recv whose IPC buffer or address
 * space is replaced is reached through the new one. The group boots with
 * the fastpath on and off (variant nofast); the controls SCHED_0410
 * (inject=stale-eligible: TCB invocations leave every view valid) and
 * SCHED_0411 (inject=stale-satp: a view keeps the satp it first held) must
 * be caught here.
 */
#include <sel/debug.h>
#include "ipc_util.h"

/* A second IPC buffer page, far above the helper threads' spans. */
#define VIEW_BUF2 (IPC_BUF_BASE + IPC_THREAD_SPAN * 60 + 3 * 4096)

static volatile uint64_t view_replied;

/* Answers every Call with MR0 + 1. */
static void view_server(uint64_t ep)
{
	struct sel_msg m = {0};

	sel_recv(ep, &m);
	for (;;) {
		m = msg(0, 1, m.mr[0] + 1, 0, 0, 0, 0);
		if (sel_reply_recv(ep, &m) != SEL_OK)
			break;
	}
}

/* A Call of 10 words, MR0 = base and MR5-MR9 = base .. base + 4; *reply = the answer's MR0. */
static int call10(uint64_t ep, uint64_t base, uint64_t *reply)
{
	struct sel_msg m = msg(0, 10, base, 0, 0, 0, 0);
	struct sel_ipc_buffer *b = sel_ipc_buffer();
	int err;

	for (uint64_t i = 0; i < 5; i++)
		b->mr[SEL_MSG_REG_WORDS + i] = base + i;
	err = sel_call(ep, &m);
	*reply = m.mr[0];
	return err;
}

static void view_client(uint64_t ep)
{
	struct sel_msg m = msg(0, 1, 7, 0, 0, 0, 0);

	if (sel_call(ep, &m) == SEL_OK)
		view_replied = 1;
}

TEST(IPC_0402, "a receiver whose IPC buffer is replaced while it waits in Recv gets the next "
               "long message in the new buffer, the old one untouched")
{
	uint64_t ut, ep, server, frame2, reply;
	struct sel_user_regs r;
	const struct sel_ipc_buffer *b1, *b2 = (const struct sel_ipc_buffer *)VIEW_BUF2;

	CHECK_EQ(t, untyped_new(19, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, ipc_thread(ut, view_server, ep, &server), SEL_OK);
	CHECK(t, wait_blocked(server, IPC_PATIENCE));
	CHECK_EQ(t, sel_tcb_read_registers(server, &r), SEL_OK);
	b1 = (const struct sel_ipc_buffer *)r.x[3]; /* tp: its buffer */
	CHECK_EQ(t, call10(ep, 100, &reply), SEL_OK);
	CHECK_EQ(t, reply, 101);
	CHECK_EQ(t, b1->mr[9], 104);
	CHECK_EQ(t, frame_at(ut, SEL_SLOT_VSPACE, VIEW_BUF2, RW, &frame2), SEL_OK);
	CHECK_EQ(t, call10(ep, 200, &reply), SEL_OK); /* both views computed after the mapping */
	CHECK_EQ(t, reply, 201);
	/* The server waits in Recv again: give it the new buffer, then call at once. */
	CHECK_EQ(t, sel_tcb_configure(server, ROOT, SEL_SLOT_VSPACE, frame2, VIEW_BUF2), SEL_OK);
	CHECK_EQ(t, call10(ep, 300, &reply), SEL_OK);
	CHECK_EQ(t, reply, 301);
	for (uint64_t i = 0; i < 5; i++)
		CHECK_EQ(t, b2->mr[SEL_MSG_REG_WORDS + i], 300 + i);
	CHECK_EQ(t, b1->mr[SEL_MSG_REG_WORDS], 200);
}

TEST(IPC_0403, "a receiver moved to an empty address space while it waits in Recv faults when "
               "a Call reaches it, instead of running in the old one")
{
	uint64_t ut, ep, server, client, vs2, reply;
	struct sel_thread_info st;
	struct sel_user_regs r;

	CHECK_EQ(t, untyped_new(19, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_VSPACE, 0, &vs2), SEL_OK);
	CHECK_EQ(t, ipc_thread(ut, view_server, ep, &server), SEL_OK);
	CHECK(t, wait_blocked(server, IPC_PATIENCE));
	CHECK_EQ(t, call10(ep, 100, &reply), SEL_OK); /* its view: our address space */
	CHECK_EQ(t, reply, 101);
	CHECK_EQ(t, sel_tcb_read_registers(server, &r), SEL_OK); /* where it waits in ReplyRecv */
	CHECK_EQ(t, sel_tcb_configure(server, ROOT, vs2, 0, 0), SEL_OK);
	view_replied = 0;
	CHECK_EQ(t, ipc_thread(ut, view_client, ep, &client), SEL_OK);
	CHECK(t, !wait_flag(&view_replied, 2000)); /* nothing of its code is mapped there */
	CHECK_EQ(t, sel_tcb_get_state(server, &st), SEL_OK);
	CHECK_EQ(t, st.state, SEL_THREAD_INACTIVE);
	CHECK_EQ(t, st.reason, SEL_STOP_FAULTED);
	CHECK_EQ(t, st.pc, r.pc);
}
