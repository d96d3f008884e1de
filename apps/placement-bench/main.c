/*
 * The placement figures (docs/performance.md): one call of counter get()
 * through the generated stub, on the connection the manifest placed
 * (apps/bench-direct, apps/bench-sync, apps/bench-async boot it). The same
 * ELF in the three systems; its connection table says which figure it
 * measures:
 *   placement_direct    a blocking call into the private instance
 *   placement_sync      a blocking call over endpoint Calls
 *   placement_async_b8  8 calls sent, then finished, per doorbell: per call
 * Instructions retired in a benchmark window (the Bench debug right) over
 * 10^4 calls after a warm-up (PERFORMANCE.md's method), the same loops run
 * empty subtracted; a window that saw a tick or a wfi is rejected.
 */
#include <sel/bind.h>
#include <sel/debug.h>
#include <sel/print.h>
#include <sel/syscall.h>
#include "counter_client.h" /* generated from idl/counter.idl */

#define WARMUP 800
#define CALLS  10000
#define BATCH  8

/* The loops of calls() (batched 0) or batches() (batched 1) with no call in them. */
static uint64_t empty_loops(uint64_t n, int batched)
{
	uint64_t start = sel_rdinstret();

	for (uint64_t r = 0; r < n; r++) {
		__asm__ volatile("" ::: "memory");
		for (int k = 0; batched && k < BATCH; k++)
			__asm__ volatile("" ::: "memory");
		for (int k = 0; batched && k < BATCH; k++)
			__asm__ volatile("" ::: "memory");
	}
	return sel_rdinstret() - start;
}

/* n rounds of BATCH calls in flight; non-zero if one failed. */
static int batches(struct sel_idl_conn *c, uint64_t n)
{
	struct sel_idl_future *f[BATCH];
	int64_t value;
	int bad = 0;

	for (uint64_t r = 0; r < n; r++) {
		for (int k = 0; k < BATCH; k++)
			f[k] = counter_get_async(c);
		for (int k = 0; k < BATCH; k++)
			bad |= counter_get_finish(f[k], &value);
	}
	return bad;
}

static int calls(struct sel_idl_conn *c, uint64_t n)
{
	int64_t value;
	int bad = 0;

	for (uint64_t i = 0; i < n; i++)
		bad |= counter_get(c, &value);
	return bad;
}

int main(void);

int main(void)
{
	int err, bad;
	struct sel_idl_conn *c = sel_bind("counter", &err);
	uint32_t placement = sel_connections.e[0].placement;
	const char *name = placement == SEL_BIND_DIRECT ? "placement_direct"
	                   : placement == SEL_BIND_SYNC ? "placement_sync"
	                                                : "placement_async_b8";
	int batched = placement == SEL_BIND_ASYNC;
	uint64_t n = batched ? CALLS / BATCH : CALLS;
	struct sel_ret w;

	if (!c) {
		sel_printf("BENCH-REJECTED %s error=%d no connection\n", name, err);
		return 1;
	}
	bad = batched ? batches(c, WARMUP / BATCH) : calls(c, WARMUP);
	sel_bench_begin();
	uint64_t start = sel_rdinstret();
	bad |= batched ? batches(c, n) : calls(c, n);
	uint64_t total = sel_rdinstret() - start;
	uint64_t loop = empty_loops(n, batched);
	sel_bench_end(&w);
	if (bad)
		sel_printf("BENCH-REJECTED %s error=%d\n", name, bad);
	else if (w.v[0] || w.v[1])
		sel_printf("BENCH-REJECTED %s ticks=%lu wfi=%lu\n", name, w.v[0], w.v[1]);
	else
		sel_printf("BENCH %s %lu instr\n", name, (total - loop) / CALLS);
	return bad;
}
