/*
 * The benchmark image: prints the figures of PERFORMANCE.md as
 *     BENCH <name> <value> <unit>
 * one line each, or BENCH-REJECTED <name> <reason> when the measured
 * window saw a timer tick or a wfi (the kernel counts both, per hart, for
 * every window; see SEL_SYS_DEBUG_BENCH).
 *
 * Method (sel4bench's): warm up, then measure N operations between two
 * rdinstret reads inside a benchmark window, measure the same loop without
 * the operation, and report (total - loop) / N. Under
 * -icount shift=0,sleep=off rdinstret counts instructions and runs repeat
 * exactly. With bootargs "quick" N is small (the test suite's check).
 */
#include <stdbool.h>
#include <sel/print.h>
#include <sel/string.h>
#include <sel/syscall.h>
#include <selene/bootinfo.h>

struct window {
	uint64_t ticks, wfi, fences, satp_writes;
};

static void window_begin(void)
{
	sel_syscall(SEL_SYS_DEBUG_BENCH, SEL_BENCH_BEGIN, 0, 0, 0, 0, 0, 0);
}

static struct window window_end(void)
{
	struct sel_ret r = sel_syscall(SEL_SYS_DEBUG_BENCH, SEL_BENCH_END, 0, 0, 0, 0, 0, 0);
	return (struct window){r.v[0], r.v[1], r.v[2], r.v[3]};
}

/* Prints the figure, or a rejection if the window was disturbed. */
static void report(const char *name, uint64_t value, const char *unit, struct window w)
{
	if (w.ticks || w.wfi)
		sel_printf("BENCH-REJECTED %s ticks=%lu wfi=%lu\n", name, w.ticks, w.wfi);
	else
		sel_printf("BENCH %s %lu %s\n", name, value, unit);
}

static uint64_t empty_loop(uint64_t n)
{
	uint64_t start = sel_rdinstret();

	for (uint64_t i = 0; i < n; i++)
		__asm__ volatile("" ::: "memory");
	return sel_rdinstret() - start;
}

/* null_syscall: yield with nothing else runnable, through normal dispatch. */
static void bench_null_syscall(uint64_t n)
{
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
	struct window w = window_end();
	report("null_syscall", (total - loop) / n, "instr", w);
}

int main(const struct sel_bootinfo *bi);

int main(const struct sel_bootinfo *bi)
{
	bool quick = strstr((const char *)bi->bootargs, "quick") != NULL;
	uint64_t n = quick ? 1000 : 20000;

	bench_null_syscall(n);
	sel_printf("bench: done\n");
	return 0;
}
