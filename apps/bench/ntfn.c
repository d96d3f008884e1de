/*
 * The notification figures: Poll on an empty notification, Signal with no
 * waiter, and Signal that wakes a higher-priority waiter in another
 * address space.
 *
 * The wake-up is measured end to end, from the root task's counter read
 * before its Signal to the waiter's read right after its Wait returned
 * (written to a page both map), less one counter read. The waiter runs at
 * BENCH_PRIO + 1: when the Signal makes it ready the kernel should switch
 * to it before the root task runs again. Whether it did is checked each
 * time (the waiter's sequence number moved before the Signal returned);
 * if it did not, the root task yields at once (the signaller gives way
 * right after sending, as docs/performance.md's cross-hart figures are
 * structured) and that yield is part of the figure. ntfn_wake_switch_pct
 * says how many wake-ups switched at once (100 when the kernel preempts).
 */
#include "bench.h"
#include "serve.h"

#define WARMUP 100

/* ntfn_poll_empty: Poll a notification nobody signals. */
struct result bench_ntfn_poll_empty(struct bench_env *env, uint64_t n)
{
	struct result r = {"ntfn_poll_empty", "instr", 0, {0}, 0, NULL, 0};
	sel_cptr_t ntfn;
	uint64_t word = 0;

	r.err = env_object(env, SEL_OBJ_NOTIFICATION, 0, &ntfn);
	for (int i = 0; i < WARMUP && r.err == SEL_OK && word == 0; i++)
		r.err = sel_poll(ntfn, &word);
	if (r.err == SEL_OK && word != 0)
		r.err = SEL_ERR_INVALID_ARG, r.note = "the notification is not empty";
	if (r.err != SEL_OK)
		return r;
	window_begin();
	uint64_t start = sel_rdinstret();
	for (uint64_t i = 0; i < n; i++) {
		sel_poll(ntfn, &word);
		__asm__ volatile("" ::: "memory");
	}
	uint64_t total = sel_rdinstret() - start;
	uint64_t loop = empty_loop(n);
	r.w = window_end();
	r.value = (total - loop) / n;
	return r;
}

/* A notification and a copy of its cap with badge 1 (what Signal ORs in). */
static int badged_ntfn(struct bench_env *env, sel_cptr_t *ntfn, sel_cptr_t *badged)
{
	int err = env_object(env, SEL_OBJ_NOTIFICATION, 0, ntfn);

	*badged = env_slot(env);
	return err != SEL_OK ? err
	                     : sel_cnode_mint(SEL_SLOT_CNODE, *badged, *ntfn, SEL_DEPTH_FULL,
	                                      SEL_RIGHTS_ALL, 1);
}

/* ntfn_signal_nowake: Signal a notification nobody waits on. */
struct result bench_ntfn_signal_nowake(struct bench_env *env, uint64_t n)
{
	struct result r = {"ntfn_signal_nowake", "instr", 0, {0}, 0, NULL, 0};
	sel_cptr_t ntfn, badged;
	uint64_t word = 0;

	r.err = badged_ntfn(env, &ntfn, &badged);
	for (int i = 0; i < WARMUP && r.err == SEL_OK; i++)
		r.err = sel_signal(badged);
	if (r.err != SEL_OK)
		return r;
	window_begin();
	uint64_t start = sel_rdinstret();
	for (uint64_t i = 0; i < n; i++) {
		sel_signal(badged);
		__asm__ volatile("" ::: "memory");
	}
	uint64_t total = sel_rdinstret() - start;
	uint64_t loop = empty_loop(n);
	r.w = window_end();
	r.value = (total - loop) / n;
	r.err = sel_poll(ntfn, &word);
	if (r.err == SEL_OK && word != 1)
		r.err = SEL_ERR_INVALID_ARG, r.note = "the signals did not arrive";
	return r;
}

/* One wake-up: 1 if the waiter ran before the Signal returned. */
static int wake(sel_cptr_t badged, const struct bench_shared *sh, uint64_t *elapsed)
{
	uint64_t seq = sh->seq;
	uint64_t start = sel_rdinstret();
	int switched = 1;

	sel_signal(badged);
	if (sh->seq == seq) {
		sel_yield();
		switched = 0;
	}
	*elapsed = sh->stamp - start;
	return switched;
}

/*
 * ntfn_signal_wake_xas; *switched gets ntfn_wake_switch_pct (informational)
 * from the same window.
 */
struct result bench_ntfn_signal_wake(struct bench_env *env, uint64_t n, struct result *switched)
{
	struct result r = {"ntfn_signal_wake_xas", "instr", 0, {0}, 0, NULL, 0};
	struct sel_process p;
	struct bench_shared *sh;
	sel_cptr_t ntfn, badged, frame;
	uint64_t vaddr, elapsed, total = 0, direct = 0;

	*switched = (struct result){"ntfn_wake_switch_pct", "pct", 0, {0}, 0, NULL, 0};
	r.err = badged_ntfn(env, &ntfn, &badged);
	if (r.err == SEL_OK)
		r.err = env_page(env, &frame, &vaddr);
	sh = (struct bench_shared *)vaddr;
	/* The waiter preempts us at once and blocks in its Wait. */
	if (r.err == SEL_OK)
		r.err = env_spawn(env, BENCH_ROLE_WAITER, BENCH_PRIO + 1, 0, ntfn, frame, &p);
	for (int i = 0; i < WARMUP && r.err == SEL_OK; i++)
		r.err = sel_signal(badged);
	if (r.err == SEL_OK && (sh->seq != WARMUP || sh->errors || sh->word != 1))
		r.err = SEL_ERR_INVALID_ARG, r.note = "the waiter did not wake once per signal";
	if (r.err != SEL_OK) {
		switched->err = r.err;
		return r;
	}
	uint64_t overhead = counter_overhead();
	window_begin();
	for (uint64_t i = 0; i < n; i++) {
		direct += (uint64_t)wake(badged, sh, &elapsed);
		total += elapsed;
	}
	r.w = window_end();
	r.value = total / n - overhead;
	if (sh->seq != WARMUP + n || sh->errors)
		r.err = SEL_ERR_INVALID_ARG, r.note = "the waiter did not wake once per signal";
	*switched =
	    (struct result){"ntfn_wake_switch_pct", "pct", 100 * direct / n, r.w, r.err, r.note, 0};
	return r;
}
