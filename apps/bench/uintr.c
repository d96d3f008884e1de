/*
 * User-interrupt figures (PERFORMANCE.md): uintr_send, a send to a
 * receiver whose thread is not running (it waits in Recv on an endpoint
 * nobody sends to, so the send only sets the bit); and uintr_self_rt, a
 * thread sending to its own receiver: the send, the diversion, an empty
 * handler and the return to the interrupted code.
 */
#include <sel/ipc.h>
#include <sel/uintr.h>
#include "bench.h"

#define WARMUP 100

static volatile uint64_t handled, parked;

static void empty_handler(uint64_t pending, struct sel_uintr_frame *f)
{
	(void)pending;
	(void)f;
	handled = handled + 1;
}

/* The receiving thread: binds the receiver, then waits where no send wakes it. */
static void parked_receiver(uint64_t arg)
{
	struct sel_msg m = {0};

	if (sel_uintr_register_handler(arg & 0xffffffff, empty_handler, 0) == SEL_OK)
		parked = 1;
	sel_recv(arg >> 32, &m);
}

/* A receiver, a sender of vector 1 to it installed at `index` of our table. */
static int sender(struct bench_env *env, sel_cptr_t *recv, uint64_t index)
{
	sel_cptr_t snd;
	int err = env_object(env, SEL_OBJ_UINTR_RECEIVER, 0, recv);

	snd = env_slot(env);
	if (err == SEL_OK)
		err = sel_uintr_create_sender(*recv, 1, SEL_SLOT_CNODE, snd, SEL_DEPTH_FULL);
	return err != SEL_OK ? err : sel_uintr_install(snd, index);
}

struct result bench_uintr_send(struct bench_env *env, uint64_t n)
{
	struct result r = {"uintr_send", "instr", 0, {0}, 0, NULL};
	sel_cptr_t recv, ep, tcb;

	r.err = sender(env, &recv, 1);
	if (r.err == SEL_OK)
		r.err = env_object(env, SEL_OBJ_ENDPOINT, 0, &ep);
	if (r.err == SEL_OK) /* above us: it runs at once, binds, and parks in Recv */
		r.err = env_thread(env, parked_receiver, ep << 32 | recv, BENCH_PRIO + 1, &tcb);
	if (r.err == SEL_OK && !parked)
		r.err = SEL_ERR_BUSY, r.note = "the receiver did not bind";
	for (int i = 0; i < WARMUP && r.err == SEL_OK; i++)
		r.err = sel_uintr_send(1);
	if (r.err != SEL_OK)
		return r;
	window_begin();
	uint64_t start = sel_rdinstret();
	for (uint64_t i = 0; i < n; i++) {
		sel_uintr_send(1);
		__asm__ volatile("" ::: "memory");
	}
	uint64_t total = sel_rdinstret() - start;
	uint64_t loop = empty_loop(n);
	r.w = window_end();
	r.value = (total - loop) / n;
	if (handled)
		r.err = SEL_ERR_INVALID_ARG, r.note = "the parked receiver ran its handler";
	return r;
}

struct result bench_uintr_self_rt(struct bench_env *env, uint64_t n)
{
	struct result r = {"uintr_self_rt", "instr", 0, {0}, 0, NULL};
	sel_cptr_t recv;

	r.err = sender(env, &recv, 0);
	if (r.err == SEL_OK)
		r.err = sel_uintr_register_handler(recv, empty_handler, 0);
	handled = 0;
	for (int i = 0; i < WARMUP && r.err == SEL_OK; i++)
		r.err = sel_uintr_send(0);
	if (r.err == SEL_OK && handled != WARMUP)
		r.err = SEL_ERR_INVALID_ARG, r.note = "a send was not delivered at once";
	if (r.err != SEL_OK)
		return r;
	window_begin();
	uint64_t start = sel_rdinstret();
	for (uint64_t i = 0; i < n; i++) {
		sel_uintr_send(0);
		__asm__ volatile("" ::: "memory");
	}
	uint64_t total = sel_rdinstret() - start;
	uint64_t loop = empty_loop(n);
	r.w = window_end();
	r.value = (total - loop) / n;
	if (handled != WARMUP + n)
		r.err = SEL_ERR_INVALID_ARG, r.note = "not every send was delivered";
	sel_uintr_unregister();
	return r;
}
