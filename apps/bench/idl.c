/*
 * The generated-service figures: idlc's echo stubs (idl/echo.idl) called
 * from the root task, the echo server (servers/echo) spawned into an
 * address space of its own, over the synchronous transport
 * (<sel/idl_sync.h>) and the asynchronous one (<sel/idl_async.h>). Client
 * and server run on one hart at one priority, like ipc_call_rt_xas and
 * ring_b8_rt_xas, so the difference between the figures is what the stub,
 * the transport and the skeleton add to a bare Call or ring exchange.
 */
#include <sel/idl_async.h>
#include <sel/idl_sync.h>
#include <sel/uintr.h>
#include <sel/string.h>
#include "bench.h"
#include "echo_client.h"
#include "echo_launch.h"

#define WARMUP 100

extern const uint8_t bench_echo_elf_start[], bench_echo_elf_end[];

static struct sel_idl_future futures[1];
static struct sel_idl_sync_slot slots[1];
static struct sel_idl_sync_client client;
static struct sel_idl_conn conn;

/* The echo server in a process of its own, serving a new endpoint; conn calls it. */
static int echo_server(struct bench_env *env)
{
	struct sel_process p;
	sel_cptr_t budget, ep;
	uint64_t first;
	int err = env_object(env, SEL_OBJ_ENDPOINT, 0, &ep);

	if (err == SEL_OK)
		err = env_object(env, SEL_OBJ_UNTYPED, 20, &budget);
	first = env->next_slot;
	env->next_slot += SEL_PROCESS_SLOTS;
	if (err == SEL_OK)
		err = sel_process_create(&env->sp, budget, first, bench_echo_elf_start,
		                         (size_t)(bench_echo_elf_end - bench_echo_elf_start), &p);
	if (err == SEL_OK)
		err = sel_process_give(&env->sp, &p, ep, ECHO_SLOT_EP, SEL_RIGHTS_ALL);
	if (err == SEL_OK)
		err = sel_tcb_set_priority(p.tcb, SEL_SLOT_TCB, BENCH_PRIO);
	if (err == SEL_OK)
		err = sel_process_start(&p, ECHO_SERVE_SYNC);
	sel_idl_sync_connect(&conn, &client, ep, 0, futures, slots, 1);
	return err;
}

/* idl_sync_add_rt: echo_add(i, 1) through the generated stub, checked. */
struct result bench_idl_sync_add_rt(struct bench_env *env, uint64_t n)
{
	struct result r = {"idl_sync_add_rt", "instr", 0, {0}, 0, NULL, 0};
	int64_t sum = 0, bad = 0;

	r.err = echo_server(env);
	for (int i = 0; i < WARMUP && r.err == SEL_OK; i++)
		r.err = echo_add(&conn, i, 1, &sum);
	if (r.err != SEL_OK)
		return r;
	window_begin();
	uint64_t start = sel_rdinstret();
	for (uint64_t i = 0; i < n; i++) {
		int rc = echo_add(&conn, (int64_t)i, 1, &sum);
		bad |= rc | (sum ^ (int64_t)(i + 1));
	}
	uint64_t total = sel_rdinstret() - start;
	uint64_t loop = empty_loop(n);
	r.w = window_end();
	r.value = (total - loop) / n;
	if (bad) {
		r.err = SEL_ERR_PROTOCOL;
		r.note = "wrong sums";
	}
	return r;
}

/* idl_echo_bytes_2k_rt: 2 KiB of opaque bytes each way (the lent-buffer path). */
struct result bench_idl_echo_bytes_2k_rt(struct bench_env *env, uint64_t n)
{
	static uint8_t data[2048], back[2048];
	struct result r = {"idl_echo_bytes_2k_rt", "instr", 0, {0}, 0, NULL, 0};
	size_t len = 0;
	int bad = 0;

	for (unsigned i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7);
	r.err = echo_server(env);
	for (int i = 0; i < WARMUP / 10 && r.err == SEL_OK; i++)
		r.err = echo_echo_bytes(&conn, data, sizeof(data), back, &len);
	if (r.err != SEL_OK)
		return r;
	window_begin();
	uint64_t start = sel_rdinstret();
	for (uint64_t i = 0; i < n; i++)
		bad |=
		    echo_echo_bytes(&conn, data, sizeof(data), back, &len) | (len != sizeof(data));
	uint64_t total = sel_rdinstret() - start;
	uint64_t loop = empty_loop(n);
	r.w = window_end();
	r.value = (total - loop) / n;
	if (bad || memcmp(data, back, sizeof(data)) != 0) {
		r.err = SEL_ERR_PROTOCOL;
		r.note = "wrong bytes";
	}
	return r;
}

/* The async figure: the same stubs over a session window with rings and doorbells. */

#define ASYNC_SLOTS  8
#define ASYNC_WINDOW (72ull << 30) /* our side of the window */
#define ASYNC_UITT   5             /* our sender-table entry for the server's doorbell */

static struct sel_idl_future afutures[ASYNC_SLOTS];
static struct sel_idl_async_slot aslots[ASYNC_SLOTS];
static struct sel_idl_async_client aclient;
static struct sel_idl_conn aconn;

static void async_handler(uint64_t pending, struct sel_uintr_frame *f)
{
	(void)f;
	sel_idl_async_interrupt(&aclient, pending);
}

/* Page tables for vaddr in `vspace` (two levels), from the bench's Untyped. */
static int cover(struct bench_env *env, sel_cptr_t vspace, uint64_t vaddr)
{
	for (int i = 0; i < 2; i++) {
		sel_cptr_t pt;
		int err = env_object(env, SEL_OBJ_PAGE_TABLE, 0, &pt);
		if (err == SEL_OK)
			err = sel_page_table_map(pt, vspace, vaddr);
		if (err == SEL_ERR_ALREADY_MAPPED)
			return SEL_OK;
		if (err != SEL_OK)
			return err;
	}
	return SEL_OK;
}

/*
 * The echo server serving one async session (8 call slots, a 64 KiB
 * window), its windows' Untyped, receiver and page tables given; aconn
 * connects to it with a receiver of ours (doorbell vector 0, peer-closed 1).
 */
static int echo_async_server(struct bench_env *env)
{
	struct sel_process p;
	sel_cptr_t budget, ep, wut, srecv, recv, to_me, closed;
	uint64_t first;
	int err = env_object(env, SEL_OBJ_ENDPOINT, 0, &ep);

	if (err == SEL_OK)
		err = env_object(env, SEL_OBJ_UNTYPED, 20, &budget);
	if (err == SEL_OK)
		err = env_object(env, SEL_OBJ_UNTYPED, 18, &wut);
	if (err == SEL_OK)
		err = env_object(env, SEL_OBJ_UINTR_RECEIVER, 0, &srecv);
	if (err == SEL_OK)
		err = env_object(env, SEL_OBJ_UINTR_RECEIVER, 0, &recv);
	first = env->next_slot;
	env->next_slot += SEL_PROCESS_SLOTS;
	if (err == SEL_OK)
		err = sel_process_create(&env->sp, budget, first, bench_echo_elf_start,
		                         (size_t)(bench_echo_elf_end - bench_echo_elf_start), &p);
	if (err == SEL_OK)
		err = sel_process_give(&env->sp, &p, ep, ECHO_SLOT_EP, SEL_RIGHTS_ALL);
	if (err == SEL_OK)
		err = sel_process_give(&env->sp, &p, srecv, ECHO_SLOT_RECV, SEL_RIGHTS_ALL);
	if (err == SEL_OK)
		err =
		    sel_cnode_op(SEL_CNODE_MOVE, sel_slot_in(p.cnode, ECHO_SLOT_UT, SEL_DEPTH_FULL),
		                 sel_slot_in(SEL_SLOT_CNODE, wut, SEL_DEPTH_FULL), 0, 0);
	if (err == SEL_OK)
		err = cover(env, p.vspace, ECHO_WINDOWS);
	if (err == SEL_OK)
		err = cover(env, SEL_SLOT_VSPACE, ASYNC_WINDOW);
	if (err == SEL_OK)
		err = sel_tcb_set_priority(p.tcb, SEL_SLOT_TCB, BENCH_PRIO);
	if (err == SEL_OK)
		err = sel_process_start(&p, ECHO_ASYNC_ARG(1, ASYNC_SLOTS, 16));
	if (err == SEL_OK)
		err = sel_uintr_create_sender(recv, 0, SEL_SLOT_CNODE, to_me = env_slot(env),
		                              SEL_DEPTH_FULL);
	if (err == SEL_OK)
		err = sel_uintr_create_sender(recv, 1, SEL_SLOT_CNODE, closed = env_slot(env),
		                              SEL_DEPTH_FULL);
	if (err == SEL_OK)
		err = sel_uintr_register_handler(recv, async_handler, 0);
	if (err == SEL_OK) {
		uint64_t slot = env_slot(env);
		struct sel_idl_async_params params = {
		    ep, to_me, closed, 0, 1, slot, SEL_SLOT_VSPACE, ASYNC_WINDOW, ASYNC_UITT, 0};
		env_slot(env); /* slot + 1: the server's sender */
		err =
		    sel_idl_async_connect(&aconn, &aclient, &params, afutures, aslots, ASYNC_SLOTS);
	}
	return err;
}

/* One batch: 8 echo_add calls sent, then finished; non-zero if a sum is wrong. */
static int64_t async_batch(uint64_t base)
{
	struct sel_idl_future *f[ASYNC_SLOTS];
	int64_t bad = 0, sum = 0;

	for (uint64_t i = 0; i < ASYNC_SLOTS; i++)
		f[i] = echo_add_async(&aconn, (int64_t)(base + i), 1);
	for (uint64_t i = 0; i < ASYNC_SLOTS; i++)
		bad |= echo_add_finish(f[i], &sum) | (sum ^ (int64_t)(base + i + 1));
	return bad;
}

/* idl_async_add_b8: echo_add through the async transport, 8 in flight per doorbell, per call. */
struct result bench_idl_async_add_b8(struct bench_env *env, uint64_t rounds)
{
	struct result r = {"idl_async_add_b8", "instr", 0, {0}, 0, NULL, 0};
	int64_t bad = 0;

	r.err = echo_async_server(env);
	for (uint64_t i = 0; i < WARMUP / 10 && r.err == SEL_OK; i++)
		if (async_batch(i * ASYNC_SLOTS))
			r.err = SEL_ERR_PROTOCOL, r.note = "wrong sums";
	if (r.err != SEL_OK)
		return r;
	window_begin();
	uint64_t start = sel_rdinstret();
	for (uint64_t i = 0; i < rounds; i++)
		bad |= async_batch(i * ASYNC_SLOTS);
	uint64_t total = sel_rdinstret() - start;
	uint64_t loop = empty_loop(rounds);
	r.w = window_end();
	r.value = (total - loop) / (ASYNC_SLOTS * rounds);
	if (bad)
		r.err = SEL_ERR_PROTOCOL, r.note = "wrong sums";
	sel_uintr_unregister();
	sel_uintr_uninstall(ASYNC_UITT);
	return r;
}
