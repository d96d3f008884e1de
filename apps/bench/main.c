/*
 * The benchmark image: prints the figures of docs/performance.md as
 *     BENCH <name> <value> <unit>
 * one line each, or BENCH-REJECTED <name> <reason> when the measured
 * window saw a timer tick or a wfi (the kernel counts both, per hart, for
 * every window; see SEL_DEBUG_BENCH) or an operation failed.
 *
 * Method (sel4bench's): warm up, then measure N operations between two
 * rdinstret reads inside a benchmark window, measure the same loop without
 * the operation, and report (total - loop) / N. Under
 * -icount shift=0,sleep=off rdinstret counts instructions and runs repeat
 * exactly. With bootargs "quick" N is small (the test suite's check);
 * "idlonly" prints the generated-service lines alone, "fastonly" the fast
 * paths' (null_syscall to ntfn_signal_wake_xas), "sessiononly"
 * window_session alone (for tracing them).
 *
 * The root task is the client of every figure; its partners are the server
 * program (server.c, embedded here and spawned into address spaces of
 * their own) and a second thread in the root task's own address space
 * (serve.h). Everything runs on one hart at priority BENCH_PRIO. The
 * figures are measured in the order of the table and printed at the end,
 * the informational ones (satp writes and fences per round trip, how
 * often a wake-up switched at once) after them.
 */
#include <sel/debug.h>
#include <stdbool.h>
#include <sel/print.h>
#include <sel/string.h>
#include <sel/syscall.h>
#include "bench.h"
#include "serve.h"

/* The spawner's window: two page tables cover [WINDOW, WINDOW + 2 MiB). */
#define WINDOW 0x3200000000ull
#define PAGE   4096ull

extern const uint8_t bench_server_elf_start[], bench_server_elf_end[];

void window_begin(void)
{
	sel_bench_begin(); /* the root task holds the Bench right */
}

struct window window_end(void)
{
	struct sel_ret r;

	sel_bench_end(&r);
	return (struct window){r.v[0], r.v[1], r.v[2], r.v[3], r.v[4], r.v[5]};
}

uint64_t empty_loop(uint64_t n)
{
	uint64_t start = sel_rdinstret();

	for (uint64_t i = 0; i < n; i++)
		__asm__ volatile("" ::: "memory");
	return sel_rdinstret() - start;
}

uint64_t counter_overhead(void)
{
	uint64_t a = sel_rdinstret();
	uint64_t b = sel_rdinstret();
	return b - a;
}

/* Prints the figure, or a rejection if the window was disturbed or an operation failed. */
static void report(const struct result *r)
{
	if (r->err)
		sel_printf("BENCH-REJECTED %s error=%d%s%s\n", r->name, r->err, r->note ? " " : "",
		           r->note ? r->note : "");
	else if (r->w.ticks || (r->w.wfi && !r->cross_hart))
		sel_printf("BENCH-REJECTED %s ticks=%lu wfi=%lu\n", r->name, r->w.ticks, r->w.wfi);
	else
		sel_printf("BENCH %s %lu %s\n", r->name, r->value, r->unit);
}

sel_cptr_t env_slot(struct bench_env *env)
{
	return env->next_slot++;
}

int env_object(struct bench_env *env, enum sel_object_type type, uint32_t bits, sel_cptr_t *slot)
{
	*slot = env_slot(env);
	return sel_untyped_retype(env->ut, type, bits, SEL_SLOT_CNODE, *slot, 1);
}

int env_page(struct bench_env *env, sel_cptr_t *frame, uint64_t *vaddr)
{
	int err = env_object(env, SEL_OBJ_FRAME, 12, frame);

	*vaddr = env->spare_vaddr;
	env->spare_vaddr += PAGE;
	return err != SEL_OK ? err
	                     : sel_frame_map(*frame, SEL_SLOT_VSPACE, *vaddr,
	                                     SEL_RIGHT_READ | SEL_RIGHT_WRITE);
}

int env_spawn(struct bench_env *env, uint64_t role, uint64_t prio, sel_cptr_t ep, sel_cptr_t ntfn,
              sel_cptr_t shared, struct sel_process *p)
{
	sel_cptr_t budget;
	uint64_t first = env->next_slot;
	int err = env_object(env, SEL_OBJ_UNTYPED, 20, &budget);

	env->next_slot += SEL_PROCESS_SLOTS;
	if (err == SEL_OK)
		err =
		    sel_process_create(&env->sp, budget, first + 1, bench_server_elf_start,
		                       (size_t)(bench_server_elf_end - bench_server_elf_start), p);
	if (err == SEL_OK && ep)
		err = sel_process_give(&env->sp, p, ep, BENCH_SRV_SLOT_EP, SEL_RIGHTS_ALL);
	if (err == SEL_OK && ntfn)
		err = sel_process_give(&env->sp, p, ntfn, BENCH_SRV_SLOT_NTFN, SEL_RIGHTS_ALL);
	if (err == SEL_OK && shared)
		err = sel_process_map(&env->sp, p, shared, BENCH_SHARED_VADDR,
		                      SEL_RIGHT_READ | SEL_RIGHT_WRITE);
	if (err == SEL_OK)
		err = sel_tcb_set_priority(p->tcb, SEL_SLOT_TCB, prio);
	return err != SEL_OK ? err : sel_process_start(p, role);
}

/* Stacks of the threads in the root task's address space. */
#define THREAD_STACK_WORDS 1024
static uint64_t thread_stack[2][THREAD_STACK_WORDS] __attribute__((aligned(16)));
static unsigned threads;

static void thread_exit(void)
{
	sel_exit(0);
}

int env_thread(struct bench_env *env, void (*fn)(uint64_t), uint64_t arg, uint64_t prio,
               sel_cptr_t *tcb)
{
	return env_thread_on(env, fn, arg, prio, sel_debug_info(SEL_INFO_HART_ID), tcb);
}

int env_thread_on(struct bench_env *env, void (*fn)(uint64_t), uint64_t arg, uint64_t prio,
                  uint64_t hart, sel_cptr_t *tcb)
{
	struct sel_user_regs r;
	sel_cptr_t frame;
	uint64_t buffer, gp;
	int err = threads < 2 ? env_page(env, &frame, &buffer) : SEL_ERR_NO_MEMORY;

	if (err == SEL_OK)
		err = env_object(env, SEL_OBJ_TCB, 0, tcb);
	if (err == SEL_OK)
		err = sel_tcb_configure(*tcb, SEL_SLOT_CNODE, SEL_SLOT_VSPACE, frame, buffer);
	if (err == SEL_OK)
		err = sel_tcb_set_priority(*tcb, SEL_SLOT_TCB, prio);
	if (err == SEL_OK)
		err = sel_tcb_set_affinity(*tcb, hart);
	if (err != SEL_OK)
		return err;
	__asm__("mv %0, gp" : "=r"(gp));
	memset(&r, 0, sizeof(r));
	r.pc = (uint64_t)fn;
	r.x[0] = (uint64_t)thread_exit;                                  /* ra */
	r.x[1] = (uint64_t)&thread_stack[threads++][THREAD_STACK_WORDS]; /* sp */
	r.x[2] = gp;
	r.x[3] = buffer; /* tp: the IPC buffer (sel_ipc_buffer()) */
	r.x[9] = arg;    /* a0 */
	err = sel_tcb_write_registers(*tcb, &r);
	return err != SEL_OK ? err : sel_tcb_resume(*tcb);
}

static sel_cptr_t largest_untyped(const struct sel_bootinfo *bi)
{
	const struct sel_untyped_desc *best = NULL;

	for (uint32_t i = 0; i < bi->n_untyped; i++)
		if (!bi->untyped[i].is_device &&
		    (!best || bi->untyped[i].size_bits > best->size_bits))
			best = &bi->untyped[i];
	return best ? best->slot : 0;
}

/* The root task's priority, the spawner's window and its page tables. */
static int env_init(struct bench_env *env, const struct sel_bootinfo *bi)
{
	sel_cptr_t pt;
	int err;

	*env = (struct bench_env){bi,
	                          bi->first_free_slot,
	                          largest_untyped(bi),
	                          {SEL_SLOT_CNODE, SEL_SLOT_VSPACE, WINDOW},
	                          WINDOW + PAGE};
	err = sel_tcb_set_priority(SEL_SLOT_TCB, SEL_SLOT_TCB, BENCH_PRIO);
	for (int level = 0; level < 2 && err == SEL_OK; level++) {
		err = env_object(env, SEL_OBJ_PAGE_TABLE, 0, &pt);
		if (err == SEL_OK)
			err = sel_page_table_map(pt, SEL_SLOT_VSPACE, WINDOW);
	}
	return err;
}

/* null_syscall: yield with nothing else runnable, through normal dispatch. */
static struct result bench_null_syscall(uint64_t n)
{
	struct result r = {"null_syscall", "instr", 0, {0}, 0, NULL, 0};

	for (int i = 0; i < 100; i++)
		sel_yield();
	window_begin();
	uint64_t start = sel_rdinstret();
	for (uint64_t i = 0; i < n; i++) {
		sel_yield();
		__asm__ volatile("" ::: "memory");
	}
	uint64_t total = sel_rdinstret() - start;
	uint64_t loop = empty_loop(n);
	r.w = window_end();
	r.value = (total - loop) / n;
	return r;
}

/* sys_null: the system call that does nothing, its register scrubbing included. */
static struct result bench_sys_null(uint64_t n)
{
	struct result r = {"sys_null", "instr", 0, {0}, 0, NULL, 0};
	uint64_t bad = 0;

	for (int i = 0; i < 100; i++)
		sel_null();
	window_begin();
	uint64_t start = sel_rdinstret();
	for (uint64_t i = 0; i < n; i++) {
		bad |= (uint64_t)sel_null();
		__asm__ volatile("" ::: "memory");
	}
	uint64_t total = sel_rdinstret() - start;
	uint64_t loop = empty_loop(n);
	r.w = window_end();
	r.value = (total - loop) / n;
	if (bad)
		r.err = (int)bad, r.note = "sys_null did not return SEL_OK";
	return r;
}

/* A figure derived from the window of another (its n round trips), rejected with it. */
static struct result derived(const struct result *xas, const char *name, const char *unit,
                             uint64_t value)
{
	return (struct result){name, unit, value, xas->w, xas->err, xas->note, 0};
}

int main(const struct sel_bootinfo *bi);

int main(const struct sel_bootinfo *bi)
{
	bool quick = strstr((const char *)bi->bootargs, "quick") != NULL;
	uint64_t n = quick ? 1000 : 20000;
	struct bench_env env;
	struct result r[40], switched;
	unsigned k = 0;
	int err = env_init(&env, bi);

	if (err != SEL_OK) {
		sel_printf("bench: cannot set up (error %d)\n", err);
		sel_shutdown(1);
	}
	if (strstr((const char *)bi->bootargs, "xhart")) { /* the two-hart boots */
		bool sbi = strstr((const char *)bi->bootargs, "noaclint") != NULL;
		r[0] = bench_uintr_xhart(
		    &env, quick ? 5 : 100, sbi ? "uintr_xhart_e2e_noaclint" : "uintr_xhart_e2e",
		    sbi ? "uintr_xhart_sbi_calls_noaclint" : "uintr_xhart_sbi_calls", &r[1]);
		report(&r[0]);
		report(&r[1]);
		sel_printf("bench: done\n");
		sel_shutdown(0);
	}
	if (strstr((const char *)bi->bootargs, "fastonly")) { /* the fast paths' figures alone */
		r[k++] = bench_null_syscall(n);
		r[k++] = bench_sys_null(n);
		r[k++] = bench_ntfn_poll_empty(&env, n);
		r[k++] = bench_ipc_call_rt(&env, "ipc_call_rt_xas", n, 0);
		r[k++] = bench_ipc_call_rt(&env, "ipc_call_rt_same_as", n, 1);
		r[k++] = bench_ipc_call10_rt(&env, n);
		r[k++] = bench_ntfn_signal_nowake(&env, n);
		r[k++] = bench_ntfn_signal_wake(&env, n, &switched);
		for (unsigned i = 0; i < k; i++)
			report(&r[i]);
		sel_printf("bench: done\n");
		sel_shutdown(0);
	}
	if (strstr((const char *)bi->bootargs, "sessiononly")) { /* window_session alone */
		r[0] = bench_window_session(&env, n / 20);
		report(&r[0]);
		sel_printf("bench: done\n");
		sel_shutdown(0);
	}
	if (strstr((const char *)bi->bootargs, "idlonly")) { /* the generated-service lines */
		r[k++] = bench_ipc_call_rt(&env, "ipc_call_rt_xas", n, 0);
		r[k++] = bench_ring_rt(&env, 8, n / 8);
		const struct result *add = &r[k];
		r[k++] = bench_idl_sync_add_rt(&env, n);
		r[k++] = bench_idl_echo_bytes_2k_rt(&env, n / 10);
		r[k++] = bench_idl_async_add_b8(&env, n / 8);
		uint64_t add_calls = add->w.ipc_calls ? add->w.ipc_calls : 1;
		r[k++] =
		    derived(add, "idl_sync_fastpath_pct", "pct", 100 * add->w.fastpath / add_calls);
		for (unsigned i = 0; i < k; i++)
			report(&r[i]);
		sel_printf("bench: done\n");
		sel_shutdown(0);
	}
	r[k++] = bench_null_syscall(n);
	r[k++] = bench_sys_null(n);
	r[k++] = bench_ntfn_poll_empty(&env, n);
	const struct result *xas = &r[k];
	r[k++] = bench_ipc_call_rt(&env, "ipc_call_rt_xas", n, 0);
	const struct result *same_as = &r[k];
	r[k++] = bench_ipc_call_rt(&env, "ipc_call_rt_same_as", n, 1);
	r[k++] = bench_ipc_call10_rt(&env, n);
	/* 2 syscalls per round trip (Call, ReplyRecv): the share of them the fastpath took. */
	uint64_t calls = xas->w.ipc_calls ? xas->w.ipc_calls : 1;
	r[k++] = derived(xas, "ipc_fastpath_hits_pct", "pct", 100 * xas->w.fastpath / calls);
	r[k++] = derived(xas, "ipc_fences_per_rt", "count", (xas->w.fences + n / 2) / n);
	r[k++] = bench_ntfn_signal_nowake(&env, n);
	r[k++] = bench_ntfn_signal_wake(&env, n, &switched);
	r[k++] = bench_uintr_send(&env, n);
	r[k++] = bench_uintr_self_rt(&env, n);
	r[k++] = bench_uintr_pingpong(&env, n);
	r[k++] = bench_ring_msg_pair(&env, n);
	r[k++] = bench_ring_rt(&env, 8, n / 8);
	r[k++] = bench_ring_rt(&env, 32, n / 32);
	const struct result *lease = &r[k];
	r[k++] = bench_lease_4k_rt(&env, n / 10);
	const struct result *session = &r[k];
	r[k++] = bench_window_session(&env, n / 20);
	const struct result *idl_add = &r[k];
	r[k++] = bench_idl_sync_add_rt(&env, n);
	r[k++] = bench_idl_echo_bytes_2k_rt(&env, n / 10);
	r[k++] = bench_idl_async_add_b8(&env, n / 8);
	/* Informational: not in the table. */
	r[k++] = derived(xas, "ipc_fences_per_100rt", "count", 100 * xas->w.fences / n);
	r[k++] = derived(xas, "ipc_satp_per_rt", "count", (xas->w.satp_writes + n / 2) / n);
	r[k++] = derived(lease, "lease_satp_per_rt", "count",
	                 (lease->w.satp_writes + n / 20) / (n / 10));
	r[k++] =
	    derived(lease, "lease_fences_per_100rt", "count", 100 * lease->w.fences / (n / 10));
	r[k++] =
	    derived(session, "session_fences_per_100", "count", 100 * session->w.fences / (n / 20));
	r[k++] = derived(same_as, "ipc_satp_per_rt_same_as", "count",
	                 (same_as->w.satp_writes + n / 2) / n);
	r[k++] = switched;
	uint64_t idl_calls = idl_add->w.ipc_calls ? idl_add->w.ipc_calls : 1;
	r[k++] =
	    derived(idl_add, "idl_sync_fastpath_pct", "pct", 100 * idl_add->w.fastpath / idl_calls);
	for (unsigned i = 0; i < k; i++)
		report(&r[i]);
	if (!xas->err && xas->w.ipc_calls != 2 * n)
		sel_printf("bench: note: %lu Call/ReplyRecv counted in %lu round trips\n",
		           xas->w.ipc_calls, n);
	sel_printf("bench: done\n");
	sel_shutdown(0);
}
