/*
 * User interrupts, the basics (docs/uintr.md): senders made from a receiver
 * cap with Grant and installed in the caller's table, sends by index,
 * delivery to the handler with the pending set claimed, uret, wait, mask,
 * coalescing, no re-entry, revocation, and a thread blocked in another
 * syscall. Helper threads record what they see in the volatile variables.
 */
#include <sel/debug.h>
#include <sel/uintr.h>
#include "ipc_util.h"

static volatile uint64_t hits, seen, depth, max_depth, resend, stop, ready, sp_seen;
static volatile uint64_t recv_err, recv_w0, recv_hits_at_return;

static void handler(uint64_t pending, struct sel_uintr_frame *f)
{
	depth = depth + 1;
	if (depth > max_depth)
		max_depth = depth;
	seen = seen | pending;
	hits = hits + 1;
	sp_seen = f->x[1];
	if (resend) {
		resend = 0;
		sel_uintr_send(0); /* to ourselves: must wait until we return */
	}
	depth = depth - 1;
}

/* A receiver bound to us, a sender with `vector` installed at index 0. */
static int bind_self(uint64_t ut, uint64_t vector, uint64_t *recv)
{
	uint64_t snd = slot_new();
	int err = object_new(ut, SEL_OBJ_UINTR_RECEIVER, 0, recv);

	if (err == SEL_OK)
		err = sel_uintr_register_handler(*recv, handler, 0);
	if (err == SEL_OK)
		err = sel_uintr_create_sender(*recv, vector, ROOT, snd, FULL);
	if (err == SEL_OK)
		err = sel_uintr_install(snd, 0);
	return err;
}

TEST(UINTR_0101, "a send to oneself runs the handler once with the vector, then resumes")
{
	uint64_t ut, recv;
	volatile uint64_t keep = 0x1234567887654321ull;

	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	CHECK_EQ(t, bind_self(ut, 9, &recv), SEL_OK);
	CHECK_EQ(t, hits, 0);
	CHECK_EQ(t, sel_uintr_send(0), SEL_OK);
	CHECK_EQ(t, hits, 1);
	CHECK_EQ(t, seen, 1ull << 9);
	CHECK_EQ(t, keep, 0x1234567887654321ull);
	uint64_t left = 1;
	CHECK_EQ(t, sel_uintr_ctl(SEL_UINTR_PENDING, 0, &left), SEL_OK);
	CHECK_EQ(t, left, 0); /* claimed when delivered */
	CHECK_EQ(t, sel_uintr_send(0), SEL_OK);
	CHECK_EQ(t, hits, 2);
}

TEST(UINTR_0102, "only a sender can be installed and sent through; Grant makes senders")
{
	uint64_t ut, recv, weak = slot_new(), snd = slot_new();

	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_UINTR_RECEIVER, 0, &recv), SEL_OK);
	CHECK_EQ(t, sel_uintr_install(recv, 0), SEL_ERR_WRONG_TYPE); /* a receiver cannot send */
	CHECK_EQ(t, sel_uintr_send(0), SEL_ERR_EMPTY_SLOT);
	CHECK_EQ(t, sel_uintr_send(12), SEL_ERR_RANGE);
	CHECK_EQ(t, sel_cnode_mint(ROOT, weak, recv, FULL, SEL_RIGHTS_ALL & ~SEL_RIGHT_GRANT, 0),
	         SEL_OK);
	CHECK_EQ(t, sel_uintr_create_sender(weak, 1, ROOT, snd, FULL), SEL_ERR_NO_RIGHTS);
	CHECK_EQ(t, sel_uintr_create_sender(recv, 64, ROOT, snd, FULL), SEL_ERR_RANGE);
	CHECK_EQ(t, ident(snd).type, SEL_OBJ_NULL);
	CHECK_EQ(t, sel_uintr_create_sender(recv, 63, ROOT, snd, FULL), SEL_OK);
	CHECK_EQ(t, ident(snd).type, SEL_OBJ_UINTR_SENDER);
	CHECK_EQ(t, sel_uintr_install(snd, 12), SEL_ERR_RANGE);
	CHECK_EQ(t, sel_uintr_install(snd, 3), SEL_OK);
	CHECK_EQ(t, sel_uintr_install(snd, 3), SEL_ERR_SLOT_OCCUPIED);
	CHECK_EQ(t, sel_uintr_send(3), SEL_OK); /* nobody registered: the bit waits */
	CHECK_EQ(t, sel_uintr_uninstall(3), SEL_OK);
	CHECK_EQ(t, sel_uintr_send(3), SEL_ERR_EMPTY_SLOT);
	CHECK_EQ(t, hits, 0);
}

TEST(UINTR_0103, "revoking the receiver empties every installed sender")
{
	uint64_t ut, recv, snd = slot_new();

	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_UINTR_RECEIVER, 0, &recv), SEL_OK);
	CHECK_EQ(t, sel_uintr_create_sender(recv, 2, ROOT, snd, FULL), SEL_OK);
	CHECK_EQ(t, sel_uintr_install(snd, 0), SEL_OK);
	CHECK_EQ(t, sel_cnode_delete(ROOT, snd, FULL, 0), SEL_OK);
	CHECK_EQ(t, sel_uintr_send(0), SEL_OK); /* the installed copy is its own */
	CHECK_EQ(t, sel_cnode_revoke(ROOT, recv, FULL, 0), SEL_OK);
	CHECK_EQ(t, sel_uintr_send(0), SEL_ERR_EMPTY_SLOT);
	CHECK_EQ(t, sel_cnode_delete(ROOT, recv, FULL, 0), SEL_OK);
	CHECK_EQ(t, sel_uintr_send(0), SEL_ERR_EMPTY_SLOT);
}

TEST(UINTR_0104, "masked: sends stay pending and coalesce; unmask delivers them once")
{
	uint64_t ut, recv, p = 0;

	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	CHECK_EQ(t, bind_self(ut, 5, &recv), SEL_OK);
	CHECK_EQ(t, sel_uintr_mask(), SEL_OK);
	for (int i = 0; i < 3; i++)
		CHECK_EQ(t, sel_uintr_send(0), SEL_OK);
	CHECK_EQ(t, hits, 0);
	CHECK_EQ(t, sel_uintr_ctl(SEL_UINTR_PENDING, 0, &p), SEL_OK);
	CHECK_EQ(t, p, 1ull << 5);
	CHECK_EQ(t, sel_uintr_unmask(), SEL_OK);
	CHECK_EQ(t, hits, 1);
	CHECK_EQ(t, seen, 1ull << 5);
}

TEST(UINTR_0105, "a handler is never re-entered: a send from inside waits for uret")
{
	uint64_t ut, recv;

	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	CHECK_EQ(t, bind_self(ut, 7, &recv), SEL_OK);
	resend = 1;
	CHECK_EQ(t, sel_uintr_send(0), SEL_OK);
	for (int i = 0; i < 100 && hits < 2; i++)
		sel_yield();
	CHECK_EQ(t, hits, 2);
	CHECK_EQ(t, max_depth, 1);
}

/* Registers a receiver for itself, says so, then waits. */
static void waiter(uint64_t recv)
{
	int err = sel_uintr_register_handler(recv, handler, 0);

	ready = err == SEL_OK ? 1 : 2;
	while (!stop)
		if (sel_uintr_wait() != SEL_OK)
			break;
}

TEST(UINTR_0106, "a thread blocked in wait is woken by a send, runs its handler, waits again")
{
	uint64_t ut, recv, tcb, snd = slot_new();

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_UINTR_RECEIVER, 0, &recv), SEL_OK);
	CHECK_EQ(t, sel_uintr_create_sender(recv, 11, ROOT, snd, FULL), SEL_OK);
	CHECK_EQ(t, sel_uintr_install(snd, 0), SEL_OK);
	CHECK_EQ(t, ipc_thread(ut, waiter, recv, &tcb), SEL_OK);
	CHECK(t, wait_flag(&ready, IPC_PATIENCE));
	CHECK_EQ(t, ready, 1);
	CHECK(t, wait_blocked(tcb, IPC_PATIENCE));
	for (uint64_t n = 1; n <= 20; n++) {
		CHECK_EQ(t, sel_uintr_send(0), SEL_OK);
		for (unsigned i = 0; i < IPC_PATIENCE && hits < n; i++)
			sel_yield();
		CHECK_EQ(t, hits, n);
		CHECK(t, wait_blocked(tcb, IPC_PATIENCE)); /* back in wait */
	}
	CHECK_EQ(t, seen, 1ull << 11);
	stop = 1;
	CHECK_EQ(t, sel_uintr_send(0), SEL_OK);
}

/* Registers, then blocks in Recv on ep; records what Recv returned and the hits then. */
static void receiver_in_recv(uint64_t arg)
{
	struct sel_msg m = {0};
	uint64_t ep = arg >> 32, recv = arg & 0xffffffff;

	if (sel_uintr_register_handler(recv, handler, 0) != SEL_OK)
		return;
	ready = 1;
	recv_err = (uint64_t)sel_recv(ep, &m);
	recv_hits_at_return = hits;
	recv_w0 = m.mr[0];
	stop = 1;
}

TEST(UINTR_0107, "a thread blocked in Recv takes the interrupt after the Recv, results intact")
{
	uint64_t ut, recv, ep, tcb, snd = slot_new();

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_UINTR_RECEIVER, 0, &recv), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, sel_uintr_create_sender(recv, 4, ROOT, snd, FULL), SEL_OK);
	CHECK_EQ(t, sel_uintr_install(snd, 0), SEL_OK);
	CHECK_EQ(t, ipc_thread(ut, receiver_in_recv, ep << 32 | recv, &tcb), SEL_OK);
	CHECK(t, wait_flag(&ready, IPC_PATIENCE));
	CHECK(t, wait_blocked(tcb, IPC_PATIENCE));
	CHECK_EQ(t, sel_uintr_send(0), SEL_OK);
	for (int i = 0; i < 200; i++)
		sel_yield();
	CHECK_EQ(t, hits, 0); /* still in Recv: the bit waits */
	struct sel_msg m = msg(1, 1, 0xabcdef, 0, 0, 0, 0);
	CHECK_EQ(t, sel_send(ep, &m), SEL_OK);
	CHECK(t, wait_flag(&stop, IPC_PATIENCE));
	CHECK_EQ(t, recv_err, SEL_OK);
	CHECK_EQ(t, recv_w0, 0xabcdef);
	CHECK_EQ(t, recv_hits_at_return, 1); /* the handler ran before its code went on */
	CHECK_EQ(t, seen, 1ull << 4);
}

/* Spins without syscalls until `hits` moves, on whatever hart it was put on. */
static void spinner(uint64_t recv)
{
	if (sel_uintr_register_handler(recv, handler, 0) != SEL_OK)
		return;
	ready = 1;
	while (!hits)
		__asm__ volatile("" ::: "memory");
	stop = 1;
}

TEST(UINTR_0108, "a receiver running user code (on another hart when there is one) is interrupted")
{
	uint64_t ut, recv, tcb, snd = slot_new();
	uint64_t harts = sel_debug_info(SEL_INFO_HARTS_ONLINE);
	uint64_t me = sel_debug_info(SEL_INFO_HART_ID);

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_UINTR_RECEIVER, 0, &recv), SEL_OK);
	CHECK_EQ(t, sel_uintr_create_sender(recv, 30, ROOT, snd, FULL), SEL_OK);
	CHECK_EQ(t, sel_uintr_install(snd, 0), SEL_OK);
	CHECK_EQ(t, ipc_thread_opts(ut, spinner, recv, 1, &tcb), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_affinity(tcb, (me + 1) % harts), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(tcb), SEL_OK);
	CHECK(t, wait_flag(&ready, IPC_PATIENCE));
	CHECK_EQ(t, sel_uintr_send(0), SEL_OK);
	uint64_t start = sel_rdtime();
	/* 5 s at 10 MHz: each of our yields runs the invariant checker (capcheck=all) under the
	 * big lock the other hart's interrupt path also needs, so delivery can take a while. */
	while (!stop && sel_rdtime() - start < 50000000ull)
		sel_yield();
	CHECK_EQ(t, stop, 1);
	CHECK_EQ(t, seen, 1ull << 30);
}
