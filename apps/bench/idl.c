/*
 * The generated-service figures: idlc's echo stubs (idl/echo.idl) called
 * from the root task, the echo server (servers/echo) spawned into an
 * address space of its own, over the synchronous transport
 * (<sel/idl_sync.h>). Client and server run on one hart at one priority,
 * like ipc_call_rt_xas, so the difference between the two figures is what
 * the stub, the transport and the skeleton add to a bare Call.
 */
#include <sel/idl_sync.h>
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
