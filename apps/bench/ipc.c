/*
 * The synchronous IPC figures: Call + ReplyRecv round trips from the root
 * task to a server in another address space (the server program, spawned)
 * or in its own (a second thread), with an empty and a 10-word message.
 *
 * Client and server run on one hart at the same priority: the Call blocks
 * the client and switches to the server, whose ReplyRecv wakes the client,
 * blocks the server and switches back. The user loops on both sides are
 * part of the figure; the client's empty loop is subtracted. The window
 * also gives the kernel's counts of satp writes, fences and fastpath hits
 * over the round trips (the ipc_* lines derived in main.c).
 */
#include "bench.h"
#include "serve.h"

#define WARMUP 100

static void serve0_thread(uint64_t ep)
{
	bench_serve0(ep);
}

/* An endpoint and its server, running `role` in another AS or serve_fn in ours. */
static int server(struct bench_env *env, int same_as, uint64_t role, void (*serve_fn)(uint64_t),
                  sel_cptr_t *ep)
{
	struct sel_process p;
	sel_cptr_t tcb;
	int err = env_object(env, SEL_OBJ_ENDPOINT, 0, ep);

	if (err != SEL_OK)
		return err;
	if (same_as)
		return env_thread(env, serve_fn, *ep, BENCH_PRIO, &tcb);
	return env_spawn(env, role, BENCH_PRIO, *ep, 0, 0, &p);
}

static int call0(sel_cptr_t ep)
{
	struct sel_msg m = {0};
	return sel_call(ep, &m);
}

/* ipc_call_rt_xas / ipc_call_rt_same_as: empty Call, empty reply. */
struct result bench_ipc_call_rt(struct bench_env *env, const char *name, uint64_t n, int same_as)
{
	struct result r = {name, "instr", 0, {0}, 0, NULL, 0};
	sel_cptr_t ep;

	r.err = server(env, same_as, BENCH_ROLE_ECHO0, serve0_thread, &ep);
	for (int i = 0; i < WARMUP && r.err == SEL_OK; i++)
		r.err = call0(ep);
	if (r.err != SEL_OK)
		return r;
	window_begin();
	uint64_t start = sel_rdinstret();
	for (uint64_t i = 0; i < n; i++) {
		struct sel_msg m = {0};
		sel_call(ep, &m);
		__asm__ volatile("" ::: "memory");
	}
	uint64_t total = sel_rdinstret() - start;
	uint64_t loop = empty_loop(n);
	r.w = window_end();
	r.value = (total - loop) / n;
	r.err = call0(ep); /* the server still answers */
	return r;
}

static void serve10_thread(uint64_t ep)
{
	bench_serve10(ep);
}

/*
 * ipc_call10_rt_xas: a 10-word Call (MR0-MR4 in registers, MR5-MR9 written
 * to the IPC buffer each time) answered with 10 words.
 */
struct result bench_ipc_call10_rt(struct bench_env *env, uint64_t n)
{
	struct result r = {"ipc_call10_rt_xas", "instr", 0, {0}, 0, NULL, 0};
	struct sel_ipc_buffer *buf = sel_ipc_buffer();
	struct sel_msg m = {0};
	sel_cptr_t ep;

	r.err = server(env, 0, BENCH_ROLE_ECHO10, serve10_thread, &ep);
	for (int i = 0; i < WARMUP && r.err == SEL_OK; i++) {
		m = (struct sel_msg){SEL_MSG_INFO(0, 0, 10), {1, 2, 3, 4, 5}, 0};
		buf->mr[9] = (uint64_t)i;
		r.err = sel_call(ep, &m);
		if (r.err == SEL_OK &&
		    (SEL_MSG_LENGTH(m.info) != 10 || m.mr[4] != 5 || buf->mr[9] != (uint64_t)i + 1))
			r.err = SEL_ERR_INVALID_ARG, r.note = "reply is not the 10 words";
	}
	if (r.err != SEL_OK)
		return r;
	window_begin();
	uint64_t start = sel_rdinstret();
	for (uint64_t i = 0; i < n; i++) {
		m = (struct sel_msg){SEL_MSG_INFO(0, 0, 10), {1, 2, 3, 4, 5}, 0};
		buf->mr[5] = 6;
		buf->mr[6] = 7;
		buf->mr[7] = 8;
		buf->mr[8] = 9;
		buf->mr[9] = i;
		sel_call(ep, &m);
		__asm__ volatile("" ::: "memory");
	}
	uint64_t total = sel_rdinstret() - start;
	uint64_t loop = empty_loop(n);
	r.w = window_end();
	r.value = (total - loop) / n;
	if (SEL_MSG_LENGTH(m.info) != 10 || buf->mr[8] != 9 || buf->mr[9] != n)
		r.err = SEL_ERR_INVALID_ARG, r.note = "reply is not the 10 words";
	return r;
}
