/*
 * User-interrupt figures (docs/performance.md): uintr_send, a send to a
 * receiver whose thread is not running (it waits in Recv on an endpoint
 * nobody sends to, so the send only sets the bit); and uintr_self_rt, a
 * thread sending to its own receiver: the send, the diversion, an empty
 * handler (through the light trampoline) and the return to the interrupted
 * code.
 */
#include <sel/debug.h>
#include <sel/ipc.h>
#include <sel/uintr.h>
#include "bench.h"
#include "serve.h"

#define WARMUP 100

static volatile uint64_t handled, parked;

static void empty_handler(uint64_t pending, struct sel_uintr_frame *f)
{
	(void)pending;
	(void)f;
	handled = handled + 1;
}

/* The same with the light trampoline (no frame). */
static void light_handler(uint64_t pending)
{
	(void)pending;
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
	struct result r = {"uintr_send", "instr", 0, {0}, 0, NULL, 0};
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
	struct result r = {"uintr_self_rt", "instr", 0, {0}, 0, NULL, 0};
	sel_cptr_t recv;

	r.err = sender(env, &recv, 0);
	if (r.err == SEL_OK)
		r.err = sel_uintr_register_light(recv, light_handler, 0);
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

/*
 * uintr_pingpong_rt_xas: the root task and the server program, each with
 * a receiver, each asleep in a fused send-and-wait until the other's send
 * wakes it; the wait claims the vector without running a handler. One
 * round is our call (send, sleep: the server runs and sends back) and the
 * return from it.
 */
struct result bench_uintr_pingpong(struct bench_env *env, uint64_t n)
{
	struct result r = {"uintr_pingpong_rt_xas", "instr", 0, {0}, 0, NULL, 0};
	sel_cptr_t ra, rb, to_a = 0, to_b = 0;
	struct sel_process p;
	uint64_t got = 0, bad = 0;

	r.err = env_object(env, SEL_OBJ_UINTR_RECEIVER, 0, &ra);
	if (r.err == SEL_OK)
		r.err = env_object(env, SEL_OBJ_UINTR_RECEIVER, 0, &rb);
	if (r.err == SEL_OK)
		r.err = sel_uintr_create_sender(ra, 2, SEL_SLOT_CNODE, to_a = env_slot(env),
		                                SEL_DEPTH_FULL);
	if (r.err == SEL_OK)
		r.err = sel_uintr_create_sender(rb, 3, SEL_SLOT_CNODE, to_b = env_slot(env),
		                                SEL_DEPTH_FULL);
	if (r.err == SEL_OK)
		r.err = sel_uintr_install(to_b, 2);
	if (r.err == SEL_OK)
		r.err = sel_uintr_register_light(ra, light_handler, 0);
	if (r.err == SEL_OK)
		r.err = env_spawn(env, BENCH_ROLE_UINTR_PONG, BENCH_PRIO, rb, to_a, 0, &p);
	handled = 0;
	if (r.err == SEL_OK) /* the server's "ready" */
		r.err = sel_uintr_send_wait(SEL_UINTR_NO_SEND, 1ull << 2, &got);
	for (int i = 0; i < WARMUP && r.err == SEL_OK; i++) {
		r.err = sel_uintr_send_wait(2, 1ull << 2, &got);
		bad += got != 1ull << 2;
	}
	if (r.err == SEL_OK && (handled || bad))
		r.err = SEL_ERR_INVALID_ARG, r.note = "a round did not claim our vector";
	if (r.err != SEL_OK)
		return r;
	window_begin();
	uint64_t start = sel_rdinstret();
	for (uint64_t i = 0; i < n; i++) {
		sel_uintr_send_wait(2, 1ull << 2, &got);
		__asm__ volatile("" ::: "memory");
	}
	uint64_t total = sel_rdinstret() - start;
	uint64_t loop = empty_loop(n);
	r.w = window_end();
	r.value = (total - loop) / n;
	if (handled || got != 1ull << 2)
		r.err = SEL_ERR_INVALID_ARG, r.note = "a round did not claim our vector";
	sel_uintr_unregister();
	sel_uintr_uninstall(2);
	return r;
}

/*
 * uintr_xhart_e2e: a thread of ours on the other hart spins in user code
 * with a receiver bound; we read the counter, send, read it again, and
 * block in wait at once. Its hart is interrupted, it runs its handler, and
 * back in its loop it reads the counter. It then sends back to wake us for
 * the next round. Under -icount the counter is global (both harts), and
 * the receiving hart runs only once ours executes wfi, so our blocking path
 * is not part of the figure: a round is (our send: the two reads around it)
 * + (the kernel's stamp just before our hart's wfi to the receiver's read
 * after its handler); the kernel sums its stamps over the window
 * (SEL_BENCH_WFI_STAMPS), one wfi a round. The SBI calls the
 * kernel made over the measured rounds, per cross-hart wake-up (two a
 * round: there and back), are the second figure.
 */
#define X_WARMUP 3 /* rounds before the measured ones */

static volatile uint64_t x_flag, x_stamp, x_seq, x_ready;

static void x_handler(uint64_t pending, struct sel_uintr_frame *f)
{
	(void)pending;
	(void)f;
	x_flag = 1;
}

static void x_receiver(uint64_t arg)
{
	int err = sel_uintr_register_handler(arg & 0xffffffff, x_handler, 0);

	if (err == SEL_OK)
		err = sel_uintr_install(arg >> 32, 0);
	if (err != SEL_OK)
		return;
	window_begin(); /* this hart's tick stays quiet too */
	x_ready = 1;
	for (;;) {
		while (!x_flag)
			__asm__ volatile("" ::: "memory");
		uint64_t now = sel_rdinstret();
		x_flag = 0;
		x_stamp = now;
		x_seq = x_seq + 1;
		sel_uintr_send(0);
	}
}

struct result bench_uintr_xhart(struct bench_env *env, uint64_t rounds, const char *name,
                                const char *sbi_name, struct result *sbi)
{
	struct result r = {name, "instr", 0, {0}, 0, NULL, 1};
	sel_cptr_t ra, rx, to_a = 0, to_x = 0, tcb;
	uint64_t sum = 0, calls = 0;

	if (sel_debug_info(SEL_INFO_HARTS_ONLINE) < 2)
		r.err = SEL_ERR_RANGE, r.note = "needs two harts";
	if (r.err == SEL_OK)
		r.err = env_object(env, SEL_OBJ_UINTR_RECEIVER, 0, &ra);
	if (r.err == SEL_OK)
		r.err = env_object(env, SEL_OBJ_UINTR_RECEIVER, 0, &rx);
	if (r.err == SEL_OK)
		r.err = sel_uintr_create_sender(ra, 4, SEL_SLOT_CNODE, to_a = env_slot(env),
		                                SEL_DEPTH_FULL);
	if (r.err == SEL_OK)
		r.err = sel_uintr_create_sender(rx, 5, SEL_SLOT_CNODE, to_x = env_slot(env),
		                                SEL_DEPTH_FULL);
	if (r.err == SEL_OK)
		r.err = sel_uintr_install(to_x, 3);
	if (r.err == SEL_OK)
		r.err = sel_uintr_register_handler(ra, empty_handler, 0);
	if (r.err == SEL_OK)
		r.err =
		    env_thread_on(env, x_receiver, to_a << 32 | rx, BENCH_PRIO,
		                  sel_debug_info(SEL_INFO_HART_ID) ? 0 : 1, &tcb); /* the other */
	while (r.err == SEL_OK && !x_ready)
		sel_yield();
	for (uint64_t i = 0; i < X_WARMUP + rounds && r.err == SEL_OK; i++) {
		uint64_t seq = x_seq;
		if (i == X_WARMUP) {
			window_begin();
			calls = sel_debug_info(SEL_INFO_SBI_CALLS);
		}
		uint64_t start = sel_rdinstret();
		r.err = sel_uintr_send(3);
		uint64_t sent = sel_rdinstret();
		/* Not sel_uintr_wait(): the answer's handler may run between the send and
		 * the wait, and a plain wait would then sleep through it. */
		while (r.err == SEL_OK && x_seq == seq)
			r.err = sel_uintr_wait_unless(&x_seq, seq);
		if (r.err == SEL_OK && x_seq != seq + 1)
			r.err = SEL_ERR_INVALID_ARG, r.note = "the other hart did not answer once";
		if (i >= X_WARMUP)
			sum += (sent - start) + x_stamp;
	}
	calls = sel_debug_info(SEL_INFO_SBI_CALLS) - calls;
	r.w = window_end();
	/* Our hart idled once a round: minus the kernel's stamps just before each wfi. */
	struct sel_ret idle = sel_debug_call(SEL_DEBUG_BENCH, SEL_BENCH_WFI_STAMPS, 0);
	if (r.err == SEL_OK && (idle.err != SEL_OK || r.w.wfi != rounds || idle.v[0] > sum))
		r.err = SEL_ERR_INVALID_ARG, r.note = "our hart did not idle once a round";
	r.value = (sum - idle.v[0]) / (rounds ? rounds : 1);
	*sbi = (struct result){sbi_name, "count", (calls + rounds) / (2 * rounds), r.w, r.err,
	                       r.note,   1};
	sel_uintr_unregister();
	return r;
}
