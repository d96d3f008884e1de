/*
 * User interrupts under stress (docs/uintr.md): 10^5 sends of mixed
 * vectors to a receiver whose thread keeps random values in all 31
 * registers and never makes a syscall, on another hart when there is one;
 * and deleting threads that have interrupts pending, waited for or
 * arriving. Revoking receivers under concurrent sends is uintr_revoke.c.
 */
#include <sel/debug.h>
#include <sel/print.h>
#include <sel/uintr.h>
#include "ipc_util.h"

/* xorshift64: deterministic, so a failure repeats. */
static uint64_t rnd(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

/* ---- UINTR_0109: the register loop ---------------------------------- */

void uintr_reg_loop(const uint64_t regs[32]);
extern char uintr_reg_loop_spin[], uintr_reg_loop_exit[];

#define STRESS_SENDS    100000u
#define ALT_STACK_WORDS 1024

static uint64_t want[32];                   /* what x1..x31 must hold in the loop */
static uint64_t alt_stack[ALT_STACK_WORDS]; /* the handler's: the loop's sp is random */
static uint64_t handler_rng = 0x9e3779b97f4a7c15ull;
static volatile uint64_t expect_mask, got, deliveries, invented, bad_regs, bad_pc;
static volatile uint64_t stop_loop, loop_done, loop_ready, wake_ntfn;

static void fill(uint64_t *s, uint64_t regs[32])
{
	for (unsigned i = 1; i < 32; i++)
		regs[i] = rnd(s);
}

/*
 * Runs on the alternate stack with gp set by the trampoline and every other
 * register of the loop in the frame: check them all, then give the loop
 * new random values to hold until the next delivery.
 */
static void stress_handler(uint64_t pending, struct sel_uintr_frame *f)
{
	for (unsigned i = 1; i < 32; i++)
		if (f->x[i - 1] != want[i])
			bad_regs = bad_regs + 1;
	if (f->pc != (uint64_t)uintr_reg_loop_spin)
		bad_pc = bad_pc + 1;
	if (pending & ~expect_mask)
		invented = invented | (pending & ~expect_mask);
	deliveries = deliveries + 1;
	if (stop_loop) {
		f->pc = (uint64_t)uintr_reg_loop_exit;
	} else {
		fill(&handler_rng, want);
		for (unsigned i = 1; i < 32; i++)
			f->x[i - 1] = want[i];
	}
	__atomic_fetch_or(&got, pending, __ATOMIC_SEQ_CST);
	sel_signal(wake_ntfn); /* the sender waits for it */
}

static void reg_thread(uint64_t recv)
{
	if (sel_uintr_register_handler(recv, stress_handler,
	                               (uint64_t)&alt_stack[ALT_STACK_WORDS]) != SEL_OK)
		return;
	fill(&handler_rng, want);
	loop_ready = 1;
	uintr_reg_loop(want);
	loop_done = 1;
}

/* Installs the 12 senders for vectors 12r .. 12r + 11 (mod 64) at indices 0..11. */
static int install_set(uint64_t senders, unsigned r, uint64_t vec[SEL_UINTR_UITT_SIZE])
{
	for (unsigned j = 0; j < SEL_UINTR_UITT_SIZE; j++) {
		int err = sel_uintr_uninstall(j);
		if (err != SEL_OK && err != SEL_ERR_EMPTY_SLOT)
			return err;
		vec[j] = (SEL_UINTR_UITT_SIZE * r + j) % SEL_UINTR_VECTORS;
		err = sel_uintr_install(senders + vec[j], j);
		if (err != SEL_OK)
			return err;
	}
	return SEL_OK;
}

/* Until `got` holds all of `s` (or 2 s pass), blocked on the notification in between. */
static int wait_got(uint64_t s)
{
	uint64_t start = sel_rdtime(), word;

	while ((__atomic_load_n(&got, __ATOMIC_SEQ_CST) & s) != s) {
		if (sel_rdtime() - start > 20000000ull)
			return 0;
		sel_wait(wake_ntfn, &word);
	}
	return 1;
}

/* What the sending thread saw; it runs above the test's priority. */
static volatile uint64_t senders_base, sent, rounds, vectors_sent, vectors_got, send_err,
    fail_round, fail_s, fail_got, sender_done, done_ntfn;

/* One round: 1-3 sends of distinct vectors, then wait until exactly they arrived. */
static int round_once(uint64_t *rng, const uint64_t vec[SEL_UINTR_UITT_SIZE])
{
	uint64_t k = 1 + rnd(rng) % 3, idx[3], s = 0;

	for (uint64_t i = 0; i < k; i++) {
		do
			idx[i] = rnd(rng) % SEL_UINTR_UITT_SIZE;
		while (s & (1ull << vec[idx[i]]));
		s |= 1ull << vec[idx[i]];
	}
	__atomic_store_n(&got, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&expect_mask, s, __ATOMIC_SEQ_CST);
	for (uint64_t i = 0; i < k; i++) {
		int err = sel_uintr_send(idx[i]);
		if (err != SEL_OK) {
			send_err = (uint64_t)err;
			return 0;
		}
	}
	sent = sent + k;
	/* Each vector was sent once and is claimed once: anything more was invented. */
	if (!wait_got(s) || got != s) {
		fail_round = rounds + 1;
		fail_s = s;
		fail_got = got;
		return 0;
	}
	vectors_sent = vectors_sent | s;
	vectors_got = vectors_got | got;
	rounds = rounds + 1;
	return 1;
}

static void stress_sender(uint64_t arg)
{
	uint64_t rng = 12345, vec[SEL_UINTR_UITT_SIZE];

	(void)arg;
	while (sent < STRESS_SENDS) {
		if (rounds % 1000 == 0 &&
		    install_set(senders_base, (unsigned)(rounds / 1000), vec)) {
			send_err = 1000;
			break;
		}
		if (!round_once(&rng, vec))
			break;
	}
	stop_loop = 1; /* the next delivery ends the loop */
	__atomic_store_n(&got, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&expect_mask, 1ull << vec[0], __ATOMIC_SEQ_CST);
	if (sel_uintr_send(0) != SEL_OK || !wait_got(1ull << vec[0]))
		send_err = 2000;
	sender_done = 1;
	sel_signal(done_ntfn);
}

TEST(UINTR_0109,
     "10^5 mixed-vector sends to a 31-register user loop: all delivered, none invented, "
     "registers intact")
{
	uint64_t ut, recv, tcb, snd_tcb, ntfn, done, word;
	uint64_t harts = sel_debug_info(SEL_INFO_HARTS_ONLINE);
	uint64_t me = sel_debug_info(SEL_INFO_HART_ID);

	senders_base = slots_new(SEL_UINTR_VECTORS);
	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_UINTR_RECEIVER, 0, &recv), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_NOTIFICATION, 0, &done), SEL_OK);
	done_ntfn = done;
	for (uint64_t v = 0; v < SEL_UINTR_VECTORS; v++)
		CHECK_EQ(t, sel_uintr_create_sender(recv, v, ROOT, senders_base + v, FULL), SEL_OK);
	/* The sender blocks between rounds and the handler's signal wakes it: on one hart
	 * that is the only way back to it, and on several a sender that spun would share
	 * the host's CPUs with the very hart it waits for. The loop makes no syscall. */
	CHECK_EQ(t, object_new(ut, SEL_OBJ_NOTIFICATION, 0, &ntfn), SEL_OK);
	wake_ntfn = ntfn;
	CHECK_EQ(t, ipc_thread_opts(ut, reg_thread, recv, 1, &tcb), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_affinity(tcb, (me + 1) % harts), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(tcb), SEL_OK);
	CHECK(t, wait_flag(&loop_ready, IPC_PATIENCE));
	/* The sender: our hart, above us; we sleep until it is done. */
	CHECK_EQ(t, ipc_thread_opts(ut, stress_sender, 0, 1, &snd_tcb), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_affinity(snd_tcb, me), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_priority(snd_tcb, SEL_SLOT_TCB, 10), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(snd_tcb), SEL_OK);
	CHECK_EQ(t, sel_wait(done, &word), SEL_OK);
	CHECK_EQ(t, sender_done, 1);
	if (fail_round) {
		test_fail(t, __FILE__, __LINE__, "round %lu: sent 0x%lx, got 0x%lx", fail_round,
		          fail_s, fail_got);
		return;
	}
	CHECK_EQ(t, send_err, 0);
	CHECK(t, wait_flag(&loop_done, IPC_PATIENCE));
	sel_printf("UINTR_0109: %lu sends in %lu rounds, %lu deliveries\n", sent, rounds,
	           deliveries);
	CHECK(t, sent >= STRESS_SENDS);
	CHECK_EQ(t, invented, 0);
	CHECK_EQ(t, bad_regs, 0);
	CHECK_EQ(t, bad_pc, 0);
	CHECK_EQ(t, vectors_sent, ~0ull); /* every vector 0..63 was used */
	CHECK_EQ(t, vectors_got, vectors_sent);
	CHECK(t, deliveries <= sent + 1);
	CHECK(t, deliveries >= rounds);
}

/* ---- UINTR_0110: threads deleted with interrupts pending ------------ */

static volatile uint64_t hits, seen, ready;

static void counting_handler(uint64_t pending, struct sel_uintr_frame *f)
{
	(void)f;
	seen = seen | pending;
	hits = hits + 1;
}

/* Registers, masks deliveries, says so and keeps yielding. */
static void masked_thread(uint64_t recv)
{
	if (sel_uintr_register_handler(recv, counting_handler, 0) != SEL_OK ||
	    sel_uintr_mask() != SEL_OK)
		return;
	ready = 1;
	for (;;)
		sel_yield();
}

/* Registers and waits for ever. */
static void waiting_thread(uint64_t recv)
{
	if (sel_uintr_register_handler(recv, counting_handler, 0) != SEL_OK)
		return;
	ready = 1;
	for (;;)
		sel_uintr_wait();
}

/* Registers and spins in user mode. */
static void spinning_thread(uint64_t recv)
{
	if (sel_uintr_register_handler(recv, counting_handler, 0) != SEL_OK)
		return;
	ready = 1;
	for (;;)
		__asm__ volatile("" ::: "memory");
}

/* A receiver with a sender for `vector` installed at index 0. */
static int receiver_for(uint64_t ut, uint64_t vector, uint64_t *recv)
{
	uint64_t snd = slot_new();
	int err = sel_uintr_uninstall(0);

	if (err == SEL_OK || err == SEL_ERR_EMPTY_SLOT)
		err = object_new(ut, SEL_OBJ_UINTR_RECEIVER, 0, recv);
	if (err == SEL_OK)
		err = sel_uintr_create_sender(*recv, vector, ROOT, snd, FULL);
	return err == SEL_OK ? sel_uintr_install(snd, 0) : err;
}

/* A thread running fn(recv) on hart `hart`, started, and ready. */
static int start_on(uint64_t ut, void (*fn)(uint64_t), uint64_t recv, uint64_t hart, uint64_t *tcb)
{
	int err;

	ready = 0;
	err = ipc_thread_opts(ut, fn, recv, 1, tcb);
	if (err == SEL_OK)
		err = sel_tcb_set_affinity(*tcb, hart);
	if (err == SEL_OK)
		err = sel_tcb_resume(*tcb);
	if (err == SEL_OK && !wait_flag(&ready, IPC_PATIENCE))
		err = SEL_ERR_BUSY;
	return err;
}

TEST(UINTR_0110, "deleting a thread with interrupts pending, awaited or arriving is clean")
{
	uint64_t ut, recv, tcb, other;
	uint64_t harts = sel_debug_info(SEL_INFO_HARTS_ONLINE);
	uint64_t me = sel_debug_info(SEL_INFO_HART_ID);

	other = (me + 1) % harts;
	CHECK_EQ(t, untyped_new(20, &ut), SEL_OK);

	/* Masked with bits pending: the bits stay with the receiver. */
	CHECK_EQ(t, receiver_for(ut, 6, &recv), SEL_OK);
	CHECK_EQ(t, start_on(ut, masked_thread, recv, me, &tcb), SEL_OK);
	for (int i = 0; i < 3; i++)
		CHECK_EQ(t, sel_uintr_send(0), SEL_OK);
	CHECK_EQ(t, sel_cnode_delete(ROOT, tcb, FULL, 0), SEL_OK);
	CHECK_EQ(t, hits, 0);
	CHECK_EQ(t, sel_uintr_send(0), SEL_OK); /* nobody bound: the bit waits */
	/* A new thread binding the receiver takes what was pending, once. */
	CHECK_EQ(t, start_on(ut, spinning_thread, recv, other, &tcb), SEL_OK);
	for (unsigned i = 0; i < IPC_PATIENCE && !hits; i++)
		sel_yield();
	CHECK_EQ(t, hits, 1);
	CHECK_EQ(t, seen, 1ull << 6);

	/* Arriving: sends in a loop while the thread is deleted on its hart. */
	for (int i = 0; i < 2000; i++) {
		CHECK_EQ(t, sel_uintr_send(0), SEL_OK);
		if (i == 1000)
			CHECK_EQ(t, sel_cnode_delete(ROOT, tcb, FULL, 0), SEL_OK);
	}
	uint64_t h = hits;
	CHECK(t, h >= 1);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, recv, FULL, 0), SEL_OK);
	CHECK_EQ(t, sel_cnode_delete(ROOT, recv, FULL, 0), SEL_OK);
	CHECK_EQ(t, sel_uintr_send(0), SEL_ERR_EMPTY_SLOT);

	/* Awaited: a send wakes the waiter and the thread goes at once, 20 times over. */
	for (int n = 0; n < 20; n++) {
		CHECK_EQ(t, receiver_for(ut, (uint64_t)n, &recv), SEL_OK);
		CHECK_EQ(t, start_on(ut, waiting_thread, recv, other, &tcb), SEL_OK);
		CHECK(t, wait_blocked(tcb, IPC_PATIENCE));
		CHECK_EQ(t, sel_uintr_send(0), SEL_OK);
		CHECK_EQ(t, sel_cnode_delete(ROOT, tcb, FULL, 0), SEL_OK);
		CHECK_EQ(t, sel_uintr_send(0), SEL_OK);
		CHECK_EQ(t, sel_cnode_revoke(ROOT, recv, FULL, 0), SEL_OK);
		CHECK_EQ(t, sel_cnode_delete(ROOT, recv, FULL, 0), SEL_OK);
		CHECK_EQ(t, sel_uintr_send(0), SEL_ERR_EMPTY_SLOT);
	}

	/* And the machinery still works. */
	hits = 0;
	seen = 0;
	CHECK_EQ(t, receiver_for(ut, 33, &recv), SEL_OK);
	CHECK_EQ(t, start_on(ut, spinning_thread, recv, other, &tcb), SEL_OK);
	CHECK_EQ(t, sel_uintr_send(0), SEL_OK);
	for (unsigned i = 0; i < IPC_PATIENCE && !hits; i++)
		sel_yield();
	CHECK_EQ(t, hits, 1);
	CHECK_EQ(t, seen, 1ull << 33);
}
