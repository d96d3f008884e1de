/*
 * User interrupts, the fast paths (docs/uintr.md, "The fast paths"): the
 * send and uret the trap entry finishes in assembly, the inline diversion
 * of a thread that sends to itself, the wake-up of a waiter of the same
 * hart drained under the lock, the light trampoline and the fused
 * send-and-wait. The group also runs with "fastpath=off" (variant nofast),
 * where the same tests go through the C paths. Positive controls:
 * UINTR_0447-0449 (kernel bugs planted in the fast paths).
 */
#include <sel/debug.h>
#include <sel/uintr.h>
#include "ipc_util.h"

static volatile uint64_t hits, seen, depth, max_depth, resend, stop, ready;

static void handler(uint64_t pending)
{
	depth = depth + 1;
	if (depth > max_depth)
		max_depth = depth;
	seen = seen | pending;
	hits = hits + 1;
	if (resend) {
		resend = resend - 1;
		sel_uintr_send(0); /* to ourselves: delivered at our uret, not inside */
	}
	depth = depth - 1;
}

/* A receiver bound to us with the light trampoline, a sender of `vector` at index 0. */
static int bind_self(uint64_t ut, uint64_t vector, uint64_t *recv)
{
	uint64_t snd = slot_new();
	int err = object_new(ut, SEL_OBJ_UINTR_RECEIVER, 0, recv);

	if (err == SEL_OK)
		err = sel_uintr_register_light(*recv, handler, 0);
	if (err == SEL_OK)
		err = sel_uintr_create_sender(*recv, vector, ROOT, snd, FULL);
	if (err == SEL_OK)
		err = sel_uintr_install(snd, 0);
	return err;
}

TEST(UINTR_0401, "a send from inside a handler is delivered right at uret, never nested")
{
	uint64_t ut, recv;

	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	CHECK_EQ(t, bind_self(ut, 6, &recv), SEL_OK);
	for (uint64_t round = 1; round <= 20; round++) {
		resend = 2;
		int err = sel_uintr_send(0);
		uint64_t now = hits; /* no system call between the send and this read */
		CHECK_EQ(t, err, SEL_OK);
		CHECK_EQ(t, now, 3 * round); /* the send's, and the two sent from the handler */
	}
	CHECK_EQ(t, max_depth, 1);
	CHECK_EQ(t, seen, 1ull << 6);
	CHECK_EQ(t, sel_uintr_unregister(), SEL_OK);
}

/* Registers a light handler, says so, then waits until told to stop. */
static void waiter(uint64_t recv)
{
	int err = sel_uintr_register_light(recv, handler, 0);

	ready = err == SEL_OK ? 1 : 2;
	while (!stop)
		if (sel_uintr_wait() != SEL_OK)
			break;
}

TEST(UINTR_0402, "a send wakes a waiter on the sender's own hart, 50 times")
{
	uint64_t ut, recv, tcb, snd = slot_new();
	uint64_t me = sel_debug_info(SEL_INFO_HART_ID);

	hits = seen = stop = ready = 0;
	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_UINTR_RECEIVER, 0, &recv), SEL_OK);
	CHECK_EQ(t, sel_uintr_create_sender(recv, 12, ROOT, snd, FULL), SEL_OK);
	CHECK_EQ(t, sel_uintr_install(snd, 1), SEL_OK);
	CHECK_EQ(t, ipc_thread_opts(ut, waiter, recv, 1, &tcb), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_affinity(tcb, me), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(tcb), SEL_OK);
	CHECK(t, wait_flag(&ready, IPC_PATIENCE));
	CHECK_EQ(t, ready, 1);
	for (uint64_t n = 1; n <= 50; n++) {
		CHECK(t, wait_blocked(tcb, IPC_PATIENCE));
		CHECK_EQ(t, sel_uintr_send(1), SEL_OK);
		for (unsigned i = 0; i < 200 && hits < n; i++) /* it runs at our first yield */
			sel_yield();
		CHECK_EQ(t, hits, n);
	}
	CHECK_EQ(t, seen, 1ull << 12);
	stop = 1;
	CHECK_EQ(t, sel_uintr_send(1), SEL_OK);
	CHECK_EQ(t, sel_uintr_uninstall(1), SEL_OK);
}

/* Preserved registers (x1, x3, x4, x8, x9, x18-x27) hold in[] again after the ecall. */
static int preserved_intact(const uint64_t in[32], const uint64_t out[32])
{
	static const unsigned keep[] = {1, 3, 4, 8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27};

	for (unsigned i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		if (out[keep[i]] != in[keep[i]])
			return 0;
	return out[2] == out[0];
}

/* a0 = SEL_OK and a1-a7, t0-t6 zero. */
static int scrubbed(const uint64_t out[32])
{
	static const unsigned zero[] = {5, 6, 7, 10, 11, 12, 13, 14, 15, 16, 17, 28, 29, 30, 31};

	for (unsigned i = 0; i < sizeof(zero) / sizeof(zero[0]); i++)
		if (out[zero[i]] != 0)
			return 0;
	return 1;
}

TEST(UINTR_0403, "the send: SEL_OK, the ABI's scrubbed registers zero, preserved ones intact")
{
	uint64_t ut, recv, other, snd = slot_new(), in[32], out[32], p = 0;

	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	CHECK_EQ(t, bind_self(ut, 3, &recv), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_UINTR_RECEIVER, 0, &other), SEL_OK);
	CHECK_EQ(t, sel_uintr_create_sender(other, 9, ROOT, snd, FULL), SEL_OK);
	CHECK_EQ(t, sel_uintr_install(snd, 2), SEL_OK);
	for (unsigned i = 0; i < 32; i++)
		in[i] = 0x5a5a000000000000ull + i * 0x10001ull;
	/* gp and tp stay ours: the handler's C code needs them. */
	__asm__ volatile("mv %0, gp" : "=r"(in[3]));
	__asm__ volatile("mv %0, tp" : "=r"(in[4]));
	/* To ourselves (diverted), then to a receiver nobody is bound to. */
	for (unsigned index = 0; index <= 2; index += 2) {
		uint64_t before = hits;
		in[10] = index;
		in[17] = SEL_SYS_UINTR_SEND;
		ipc_probe(in, out);
		CHECK(t, scrubbed(out));
		CHECK(t, preserved_intact(in, out));
		CHECK_EQ(t, hits, before + (index == 0));
	}
	CHECK_EQ(t, seen, 1ull << 3);
	CHECK_EQ(t, sel_uintr_unregister(), SEL_OK);
	CHECK_EQ(t, sel_uintr_register_light(other, handler, 0), SEL_OK);
	/* The bit sent while nobody was bound: delivered as Register returns. */
	CHECK_EQ(t, hits, 2);
	CHECK_EQ(t, seen, 1ull << 3 | 1ull << 9);
	CHECK_EQ(t, sel_uintr_ctl(SEL_UINTR_PENDING, 0, &p), SEL_OK);
	CHECK_EQ(t, p, 0);
	CHECK_EQ(t, sel_uintr_unregister(), SEL_OK);
	CHECK_EQ(t, sel_uintr_uninstall(2), SEL_OK);
}

TEST(UINTR_0404, "uret outside a handler is refused, through the fast entry as through C")
{
	struct sel_ret r = sel_syscall(SEL_SYS_UINTR_RET, 1, 2, 3, 4, 5, 6, 0);

	CHECK_EQ(t, r.err, SEL_ERR_ILLEGAL_OP);
	for (unsigned i = 0; i < 6; i++)
		CHECK_EQ(t, r.v[i], 0);
}

#define PING_ROUNDS 300
static volatile uint64_t pong_rounds, pong_bad;

/* UINTR_0405's partner: installs its sender to us, then answers each ball with one. */
static void pong(uint64_t arg)
{
	uint64_t got = 0;
	int err = sel_uintr_register_light(arg & 0xffffffff, handler, 0);

	if (err == SEL_OK)
		err = sel_uintr_install(arg >> 32, 3);
	ready = err == SEL_OK ? 1 : 2;
	if (err == SEL_OK)
		err = sel_uintr_send_wait(SEL_UINTR_NO_SEND, 1ull << 21, &got);
	while (err == SEL_OK) {
		pong_bad += got != 1ull << 21;
		pong_rounds = pong_rounds + 1;
		if (pong_rounds == PING_ROUNDS) { /* the last answer, then we are done */
			stop = 1;
			sel_uintr_send(3);
			break;
		}
		err = sel_uintr_send_wait(3, 1ull << 21, &got);
	}
}

TEST(UINTR_0405, "a fused send-and-wait ping-pong claims each vector without a handler")
{
	uint64_t ut, ra, rb, tcb, to_a = slot_new(), to_b = slot_new(), got = 0, bad = 0;
	uint64_t me = sel_debug_info(SEL_INFO_HART_ID);

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_UINTR_RECEIVER, 0, &ra), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_UINTR_RECEIVER, 0, &rb), SEL_OK);
	CHECK_EQ(t, sel_uintr_create_sender(ra, 20, ROOT, to_a, FULL), SEL_OK);
	CHECK_EQ(t, sel_uintr_create_sender(rb, 21, ROOT, to_b, FULL), SEL_OK);
	CHECK_EQ(t, sel_uintr_install(to_b, 4), SEL_OK);
	CHECK_EQ(t, sel_uintr_register_light(ra, handler, 0), SEL_OK);
	CHECK_EQ(t, ipc_thread_opts(ut, pong, to_a << 32 | rb, 1, &tcb), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_affinity(tcb, me), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(tcb), SEL_OK);
	CHECK(t, wait_flag(&ready, IPC_PATIENCE));
	CHECK_EQ(t, ready, 1);
	CHECK(t, wait_blocked(tcb, IPC_PATIENCE));
	for (uint64_t i = 0; i < PING_ROUNDS; i++) {
		CHECK_EQ(t, sel_uintr_send_wait(4, 1ull << 20, &got), SEL_OK);
		bad += got != 1ull << 20;
	}
	CHECK_EQ(t, stop, 1);
	CHECK_EQ(t, pong_rounds, PING_ROUNDS);
	CHECK_EQ(t, bad, 0);
	CHECK_EQ(t, pong_bad, 0);
	CHECK_EQ(t, hits, 0); /* every vector claimed, no handler */
	/* A vector outside the mask: its handler runs, the claimed one does not. */
	uint64_t snd = slot_new();
	CHECK_EQ(t, sel_uintr_create_sender(ra, 33, ROOT, snd, FULL), SEL_OK);
	CHECK_EQ(t, sel_uintr_install(snd, 5), SEL_OK);
	CHECK_EQ(t, sel_uintr_mask(), SEL_OK);
	CHECK_EQ(t, sel_uintr_send(5), SEL_OK);
	CHECK_EQ(t, sel_uintr_unmask(), SEL_OK); /* delivered here */
	CHECK_EQ(t, hits, 1);
	CHECK_EQ(t, seen, 1ull << 33);
	CHECK_EQ(t, sel_uintr_mask(), SEL_OK);
	CHECK_EQ(t, sel_uintr_send(5), SEL_OK);
	CHECK_EQ(t, sel_uintr_unmask(), SEL_OK);
	CHECK_EQ(t, hits, 2);
	got = 7;
	CHECK_EQ(t, sel_uintr_mask(), SEL_OK);
	CHECK_EQ(t, sel_uintr_send(5), SEL_OK);
	CHECK_EQ(t, sel_uintr_send_wait(SEL_UINTR_NO_SEND, 1ull << 20, &got), SEL_OK);
	CHECK_EQ(t, got, 0); /* woke at once for 33, which it does not claim */
	CHECK_EQ(t, sel_uintr_unmask(), SEL_OK);
	CHECK_EQ(t, hits, 3);
}

TEST(UINTR_0406, "send-and-wait: no receiver, an empty entry, to oneself claimed or handled")
{
	uint64_t ut, recv, got = 5;

	CHECK_EQ(t, sel_uintr_send_wait(SEL_UINTR_NO_SEND, 1, &got), SEL_ERR_ILLEGAL_OP);
	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	CHECK_EQ(t, bind_self(ut, 1, &recv), SEL_OK);
	CHECK_EQ(t, sel_uintr_send_wait(7, 1, &got), SEL_ERR_EMPTY_SLOT);
	CHECK_EQ(t, sel_uintr_send_wait(0, 1ull << 1, &got), SEL_OK); /* to ourselves, claimed */
	CHECK_EQ(t, got, 1ull << 1);
	CHECK_EQ(t, hits, 0);
	CHECK_EQ(t, sel_uintr_send_wait(0, 0, &got), SEL_OK); /* not claimed: the handler runs */
	CHECK_EQ(t, got, 0);
	CHECK_EQ(t, hits, 1);
}
