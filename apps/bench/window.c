/*
 * Window figures (docs/performance.md): ring_msg_pair, one 64-byte message
 * into a ring and out again with the copy into private memory, no trap;
 * ring_b8_rt_xas / ring_b32_rt_xas, batches of requests and responses
 * through a ring pair in a window shared with the server program, with
 * doorbells only when the other side sleeps, switches included, per
 * message; lease_4k_rt, a Call lending 4 KiB that the server sums (the
 * sum, calibrated on private memory, subtracted); and
 * window_session, opening and closing a session with a 4 KiB window.
 */
#include <sel/ipc.h>
#include <sel/ring.h>
#include <sel/session.h>
#include <sel/uintr.h>
#include <sel/window.h>
#include "bench.h"
#include "serve.h"

#define WARMUP 100

struct result bench_ring_msg_pair(struct bench_env *env, uint64_t n)
{
	struct result r = {"ring_msg_pair", "instr", 0, {0}, 0, NULL, 0};
	struct sel_ring prod, cons;
	uint64_t msg[SEL_RING_SLOT / 8] = {1}, out[SEL_RING_SLOT / 8], vaddr, check = 0;
	sel_cptr_t frame;

	r.err = env_page(env, &frame, &vaddr);
	if (r.err == SEL_OK)
		r.err = sel_ring_attach(&prod, (void *)vaddr, 16, -1, 1);
	if (r.err == SEL_OK)
		r.err = sel_ring_attach(&cons, (void *)vaddr, 16, -1, 0);
	for (int i = 0; i < WARMUP && r.err == SEL_OK; i++)
		if (sel_ring_push(&prod, msg) != SEL_OK || sel_ring_pop(&cons, out) != SEL_OK)
			r.err = SEL_ERR_INVALID_ARG, r.note = "the ring refused a message";
	if (r.err != SEL_OK)
		return r;
	window_begin();
	uint64_t start = sel_rdinstret();
	for (uint64_t i = 0; i < n; i++) {
		sel_ring_push(&prod, msg);
		sel_ring_pop(&cons, out);
		check += out[0];
	}
	uint64_t total = sel_rdinstret() - start;
	uint64_t loop = empty_loop(n);
	r.w = window_end();
	r.value = (total - loop) / n;
	if (check != n)
		r.err = SEL_ERR_INVALID_ARG, r.note = "a message came out wrong";
	return r;
}

static volatile uint64_t bells;

static void bell_handler(uint64_t pending, struct sel_uintr_frame *f)
{
	(void)pending;
	(void)f;
	bells = bells + 1;
}

/* One batch: `batch` requests out, their answers back; 0 if all came back right. */
static int batch_round(struct sel_ring *req, struct sel_ring *resp, uint64_t batch, uint64_t base)
{
	uint64_t msg[SEL_RING_SLOT / 8] = {0}, got = 0, bad = 0;

	for (uint64_t i = 0; i < batch; i++) {
		msg[0] = base + i;
		sel_ring_push(req, msg);
	}
	sel_ring_publish(req);
	while (got < batch) {
		if (sel_ring_pop(resp, msg) == SEL_OK)
			bad |= msg[0] != base + got++ + 1;
		else if (sel_ring_wait(resp) != SEL_OK)
			return 1;
	}
	return (int)bad;
}

/*
 * The window (8 KiB) with the ring pair, mapped here and, as side 1, in a
 * new server process running the echo loop; a receiver each, with a
 * sender to the other's installed (ours at index 5). Returns our address
 * of the window.
 */
static uint64_t ring_window(struct bench_env *env, struct sel_process *p, int *err)
{
	sel_cptr_t w = 0, side = 0, ra, rb, to_a = 0, to_b = 0, frame;
	uint64_t vaddr, unused;

	*err = env_object(env, SEL_OBJ_WINDOW, 13, &w);
	if (*err == SEL_OK) /* two pages of our window region: its page tables exist */
		*err = env_page(env, &frame, &unused), env->spare_vaddr += 2 * 4096;
	vaddr = env->spare_vaddr - 2 * 4096;
	if (*err == SEL_OK)
		*err = sel_cnode_copy(SEL_SLOT_CNODE, side = env_slot(env), w, SEL_DEPTH_FULL,
		                      SEL_RIGHTS_ALL);
	if (*err == SEL_OK)
		*err = sel_window_map(w, SEL_SLOT_VSPACE, vaddr, SEL_RIGHT_READ | SEL_RIGHT_WRITE,
		                      0, 0);
	if (*err == SEL_OK)
		*err = env_object(env, SEL_OBJ_UINTR_RECEIVER, 0, &ra);
	if (*err == SEL_OK)
		*err = env_object(env, SEL_OBJ_UINTR_RECEIVER, 0, &rb);
	if (*err == SEL_OK)
		*err = sel_uintr_create_sender(ra, 6, SEL_SLOT_CNODE, to_a = env_slot(env),
		                               SEL_DEPTH_FULL);
	if (*err == SEL_OK)
		*err = sel_uintr_create_sender(rb, 7, SEL_SLOT_CNODE, to_b = env_slot(env),
		                               SEL_DEPTH_FULL);
	if (*err == SEL_OK)
		*err = sel_uintr_install(to_b, 5);
	if (*err == SEL_OK)
		*err = sel_uintr_register_handler(ra, bell_handler, 0);
	if (*err == SEL_OK) /* the shared frame gives the server page tables beside the window */
		*err = env_spawn(env, BENCH_ROLE_RING_ECHO, BENCH_PRIO, rb, to_a, frame, p);
	if (*err == SEL_OK) /* it runs once we block, with its side mapped by then */
		*err = sel_window_map(side, p->vspace, BENCH_RING_VADDR,
		                      SEL_RIGHT_READ | SEL_RIGHT_WRITE, 0, 1);
	return vaddr;
}

struct result bench_ring_rt(struct bench_env *env, uint64_t batch, uint64_t rounds)
{
	struct result r = {
	    batch == 8 ? "ring_b8_rt_xas" : "ring_b32_rt_xas", "instr", 0, {0}, 0, NULL, 0};
	struct sel_process p;
	struct sel_ring req, resp;
	uint64_t vaddr = ring_window(env, &p, &r.err), bad = 0;

	if (r.err == SEL_OK)
		r.err = sel_ring_attach(&req, (void *)vaddr, BENCH_RING_DEPTH, 5, 1);
	if (r.err == SEL_OK)
		r.err = sel_ring_attach(&resp, (void *)(vaddr + 4096), BENCH_RING_DEPTH, -1, 1);
	resp.bell_vectors = 1ull << 6; /* the server's doorbell wakes us without the handler */
	for (uint64_t i = 0; i < WARMUP / 10 && r.err == SEL_OK; i++)
		if (batch_round(&req, &resp, batch, i * batch))
			r.err = SEL_ERR_INVALID_ARG, r.note = "a response came back wrong";
	if (r.err != SEL_OK)
		return r;
	window_begin();
	uint64_t start = sel_rdinstret();
	for (uint64_t i = 0; i < rounds; i++)
		bad |= (uint64_t)batch_round(&req, &resp, batch, i * batch);
	uint64_t total = sel_rdinstret() - start;
	uint64_t loop = empty_loop(rounds);
	r.w = window_end();
	r.value = (total - loop) / (2 * batch * rounds);
	if (bad)
		r.err = SEL_ERR_INVALID_ARG, r.note = "a response came back wrong";
	sel_uintr_unregister();
	sel_uintr_uninstall(5);
	return r;
}

static uint64_t lent[512] __attribute__((aligned(4096)));

struct result bench_lease_4k_rt(struct bench_env *env, uint64_t n)
{
	struct result r = {"lease_4k_rt", "instr", 0, {0}, 0, NULL, 0};
	struct sel_process p;
	sel_cptr_t ep;
	uint64_t expect = 0, bad = 0;

	for (unsigned i = 0; i < 512; i++)
		expect += lent[i] = i * 0x9e3779b97f4a7c15ull;
	r.err = env_object(env, SEL_OBJ_ENDPOINT, 0, &ep);
	if (r.err == SEL_OK)
		r.err = env_spawn(env, BENCH_ROLE_LEASE_SUM, BENCH_PRIO, ep, 0, 0, &p);
	struct sel_msg m;
	for (int i = 0; i < WARMUP && r.err == SEL_OK; i++) {
		m = (struct sel_msg){SEL_MSG_INFO(7, 0, 2) | SEL_MSG_LEASE,
		                     {(uint64_t)lent, SEL_LEASE_WORD(4096, SEL_RIGHT_READ)},
		                     0};
		r.err = sel_call(ep, &m);
		if (r.err == SEL_OK && m.mr[0] != expect)
			r.err = SEL_ERR_INVALID_ARG, r.note = "the server's sum is wrong";
	}
	if (r.err != SEL_OK)
		return r;
	window_begin();
	uint64_t start = sel_rdinstret();
	for (uint64_t i = 0; i < n; i++) {
		m = (struct sel_msg){SEL_MSG_INFO(7, 0, 2) | SEL_MSG_LEASE,
		                     {(uint64_t)lent, SEL_LEASE_WORD(4096, SEL_RIGHT_READ)},
		                     0};
		sel_call(ep, &m);
		bad |= m.mr[0] ^ expect;
	}
	uint64_t total = sel_rdinstret() - start;
	uint64_t loop = empty_loop(n);
	/* The server's sum, calibrated on private memory (the same function), is not the lease's. */
	uint64_t sums = sel_rdinstret();
	for (uint64_t i = 0; i < n; i++)
		bad |= bench_sum512(lent) ^ expect;
	sums = sel_rdinstret() - sums;
	r.w = window_end();
	r.value = (total - loop - (sums - loop)) / n;
	if (bad)
		r.err = SEL_ERR_INVALID_ARG, r.note = "the server's sum is wrong";
	return r;
}

/*
 * window_session: open (the server retypes and zeroes a 4 KiB window, maps
 * its side, makes the senders, replies with the caps; we map our side and
 * install the sender) and close (we uninstall and delete, which unmaps);
 * the server ends the previous session when the next request comes, inside
 * the loop. Page tables exist on both sides beforehand.
 */
struct result bench_window_session(struct bench_env *env, uint64_t n)
{
	struct result r = {"window_session", "instr", 0, {0}, 0, NULL, 0};
	sel_cptr_t ep, rs, rc, mine = 0, frame;
	struct sel_process p;
	struct sel_session s;
	uint64_t slot = 0, vaddr = 0;

	r.err = env_object(env, SEL_OBJ_ENDPOINT, 0, &ep);
	if (r.err == SEL_OK)
		r.err = env_object(env, SEL_OBJ_UINTR_RECEIVER, 0, &rs);
	if (r.err == SEL_OK)
		r.err = env_object(env, SEL_OBJ_UINTR_RECEIVER, 0, &rc);
	if (r.err == SEL_OK)
		r.err = sel_uintr_create_sender(rc, 8, SEL_SLOT_CNODE, mine = env_slot(env),
		                                SEL_DEPTH_FULL);
	if (r.err == SEL_OK)
		r.err = sel_uintr_register_handler(rc, bell_handler, 0);
	if (r.err == SEL_OK) /* its page tables for the server's side */
		r.err = env_page(env, &frame, &vaddr);
	vaddr = env->spare_vaddr; /* ours: the next free page of our covered region */
	env->spare_vaddr += 4096;
	slot = env_slot(env);
	env_slot(env);
	if (r.err == SEL_OK)
		r.err = env_spawn(env, BENCH_ROLE_SESSIONS, BENCH_PRIO, ep, rs, frame, &p);
	if (r.err == SEL_OK)
		r.err =
		    sel_process_give_untyped(&env->sp, &p, 13, BENCH_SRV_SLOT_UT); /* 1 window */
	for (int i = 0; i < WARMUP / 10 && r.err == SEL_OK; i++) {
		r.err = sel_session_open(ep, mine, slot, SEL_SLOT_VSPACE, vaddr, 6, &s);
		if (r.err == SEL_OK)
			r.err = sel_session_close(&s);
	}
	if (r.err != SEL_OK)
		return r;
	window_begin();
	uint64_t start = sel_rdinstret();
	for (uint64_t i = 0; i < n && r.err == SEL_OK; i++) {
		r.err = sel_session_open(ep, mine, slot, SEL_SLOT_VSPACE, vaddr, 6, &s);
		if (r.err == SEL_OK)
			r.err = sel_session_close(&s);
	}
	uint64_t total = sel_rdinstret() - start;
	uint64_t loop = empty_loop(n);
	r.w = window_end();
	r.value = (total - loop) / n;
	sel_uintr_unregister();
	return r;
}
