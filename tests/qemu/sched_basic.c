/*
 * Scheduling and SMP, the basics (docs/ipc.md, kernel/sched/scheduler.c):
 * priority order, yield, preemption by a woken higher-priority thread,
 * affinity and migration, cross-hart wake-ups, floating-point state that
 * survives other threads, and a TLB shootdown seen from another hart.
 * The test's main thread runs at priority 0; helper threads get explicit
 * priorities. Under -smp 1 the cross-hart cases run on the one hart.
 */
#include <sel/debug.h>
#include <sel/fault.h>
#include "ipc_util.h"

#define LOG_MAX 64
static volatile uint64_t order[LOG_MAX], order_n, flag, stop, spins[4];

static void log_and_exit(uint64_t id)
{
	order[order_n % LOG_MAX] = id;
	order_n = order_n + 1;
}

/* At priority 255, resumes the threads in `starts` (lower priorities), then ends. */
static volatile uint64_t starts[8], n_starts, raise_tcb;

static void starter(uint64_t arg)
{
	(void)arg;
	for (uint64_t i = 0; i < n_starts; i++)
		sel_tcb_resume(starts[i]);
	if (raise_tcb) /* a ready thread, raised while it waits its turn */
		sel_tcb_set_priority(raise_tcb, SEL_SLOT_TCB, 40);
}

/* Makes a thread on our hart with priority p running fn(arg), not resumed. */
static int make(uint64_t ut, void (*fn)(uint64_t), uint64_t arg, uint64_t p, uint64_t *tcb)
{
	int err = ipc_thread_opts(ut, fn, arg, 1, tcb);

	if (err == SEL_OK)
		err = sel_tcb_set_affinity(*tcb, sel_debug_info(SEL_INFO_HART_ID));
	if (err == SEL_OK)
		err = sel_tcb_set_priority(*tcb, SEL_SLOT_TCB, p);
	return err;
}

/* All of `tcbs` made ready at once by a priority-255 starter. */
static int start_together(uint64_t ut, const uint64_t *tcbs, unsigned n)
{
	uint64_t st;
	int err;

	for (unsigned i = 0; i < n; i++)
		starts[i] = tcbs[i];
	n_starts = n;
	err = make(ut, starter, 0, 255, &st);
	return err != SEL_OK ? err : sel_tcb_resume(st);
}

TEST(SCHED_0201, "ready threads run highest priority first")
{
	static const uint64_t prio[] = {10, 200, 50, 200, 10};
	/* By priority: {1, 3}, then 2, then {0, 4}. Within a priority the order is
	 * first come first served unless a timer tick turns them round, so each
	 * pair is checked as a set. */
	static const uint64_t rank[] = {2, 0, 1, 0, 2};
	uint64_t ut, tcb[5];

	CHECK_EQ(t, untyped_new(19, &ut), SEL_OK);
	for (unsigned i = 0; i < 5; i++)
		CHECK_EQ(t, make(ut, log_and_exit, i, prio[i], &tcb[i]), SEL_OK);
	CHECK_EQ(t, start_together(ut, tcb, 5), SEL_OK);
	/* We (priority 0) run again only once all of them are done. */
	CHECK_EQ(t, order_n, 5);
	static const uint64_t want_rank[] = {0, 0, 1, 2, 2};
	for (unsigned i = 0; i < 5; i++)
		CHECK_EQ(t, rank[order[i]], want_rank[i]);
}

static volatile uint64_t deadline;

/* Counts without a syscall until the deadline. */
static void spin_until(uint64_t i)
{
	while (sel_rdtime() < deadline)
		spins[i] = spins[i] + 1;
}

TEST(SCHED_0202, "two busy threads of one priority share the CPU by preemption; a lower starves")
{
	uint64_t ut, th[3];

	CHECK_EQ(t, untyped_new(19, &ut), SEL_OK);
	CHECK_EQ(t, make(ut, spin_until, 0, 100, &th[0]), SEL_OK);
	CHECK_EQ(t, make(ut, spin_until, 1, 100, &th[1]), SEL_OK);
	CHECK_EQ(t, make(ut, spin_until, 2, 50, &th[2]), SEL_OK);
	deadline = sel_rdtime() + 1000000; /* 100 ms: ten ticks */
	CHECK_EQ(t, start_together(ut, th, 3), SEL_OK);
	/* Without preemption the first would spin alone to the deadline. */
	CHECK(t, spins[0] > 1000);
	CHECK(t, spins[1] > 1000);
	CHECK(t, spins[2] <= 1); /* it got the CPU only after the deadline */
}

static void yielder(uint64_t id)
{
	for (int i = 0; i < 3; i++) {
		log_and_exit(id);
		sel_yield();
	}
}

TEST(SCHED_0204, "yield gives way to the same priority (turn by turn), not to a lower one")
{
	uint64_t ut, th[2];

	CHECK_EQ(t, untyped_new(19, &ut), SEL_OK);
	CHECK_EQ(t, make(ut, yielder, 1, 80, &th[0]), SEL_OK);
	CHECK_EQ(t, make(ut, yielder, 2, 80, &th[1]), SEL_OK);
	CHECK_EQ(t, start_together(ut, th, 2), SEL_OK);
	CHECK_EQ(t, order_n, 6); /* our own yields never let us in before they ended */
	/* Each yield hands over to the other: they take turns (a timer tick may
	 * shift one turn, so count the hand-overs rather than expect 1,2,1,2...). */
	unsigned turns = 0, ones = 0;
	for (unsigned i = 0; i < 6; i++) {
		ones += order[i] == 1;
		turns += i > 0 && order[i] != order[i - 1];
	}
	CHECK_EQ(t, ones, 3);
	CHECK(t, turns >= 3);
}

static void pinger(uint64_t ntfn)
{
	uint64_t w;

	flag = sel_debug_info(SEL_INFO_HART_ID) + 1;
	while (!stop) {
		if (sel_wait(ntfn, &w) != SEL_OK)
			break;
		order_n = order_n + 1;
	}
}

TEST(SCHED_0205, "wake-ups across harts are never lost; the woken thread runs on its hart")
{
	uint64_t ut, ntfn, tcb, harts = sel_debug_info(SEL_INFO_HARTS_ONLINE);
	uint64_t other = (sel_debug_info(SEL_INFO_HART_ID) + 1) % harts;

	CHECK_EQ(t, untyped_new(19, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_NOTIFICATION, 0, &ntfn), SEL_OK);
	CHECK_EQ(t, ipc_thread_opts(ut, pinger, ntfn, 1, &tcb), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_affinity(tcb, other), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_priority(tcb, SEL_SLOT_TCB, 10), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(tcb), SEL_OK);
	CHECK(t, wait_flag(&flag, IPC_PATIENCE));
	CHECK_EQ(t, flag, other + 1);
	order_n = 0;
	for (uint64_t n = 1; n <= 300; n++) {
		CHECK(t, wait_blocked(tcb, IPC_PATIENCE));
		CHECK_EQ(t, sel_signal(ntfn), SEL_OK);
		uint64_t start = sel_rdtime();
		while (order_n < n && sel_rdtime() - start < 20000000ull) /* 2 s */
			sel_yield();
		CHECK_EQ(t, order_n, n);
	}
	stop = 1;
	CHECK_EQ(t, sel_signal(ntfn), SEL_OK);
}

static void hart_reporter(uint64_t arg)
{
	(void)arg;
	while (!stop)
		flag = sel_debug_info(SEL_INFO_HART_ID) + 1;
}

TEST(SCHED_0206, "a running thread moved to another hart runs there")
{
	uint64_t ut, tcb, harts = sel_debug_info(SEL_INFO_HARTS_ONLINE);
	uint64_t me = sel_debug_info(SEL_INFO_HART_ID);

	CHECK_EQ(t, untyped_new(19, &ut), SEL_OK);
	CHECK_EQ(t, ipc_thread_opts(ut, hart_reporter, 0, 1, &tcb), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_affinity(tcb, me), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(tcb), SEL_OK);
	CHECK(t, wait_flag(&flag, IPC_PATIENCE));
	CHECK_EQ(t, sel_tcb_set_affinity(tcb, harts), SEL_ERR_RANGE);
	for (uint64_t k = 1; k <= harts; k++) {
		uint64_t target = (me + k) % harts;
		CHECK_EQ(t, sel_tcb_set_affinity(tcb, target), SEL_OK);
		flag = 0;
		uint64_t start = sel_rdtime();
		while (flag != target + 1 && sel_rdtime() - start < 20000000ull)
			sel_yield();
		CHECK_EQ(t, flag, target + 1);
	}
	stop = 1;
}

#define FP_ALL(op)                                                                                 \
	".option push\n.option arch, +d\n" op " f0, 0(%0)\n" op " f1, 8(%0)\n" op                  \
	" f2, 16(%0)\n" op " f3, 24(%0)\n" op " f4, 32(%0)\n" op " f5, 40(%0)\n" op                \
	" f6, 48(%0)\n" op " f7, 56(%0)\n" op " f8, 64(%0)\n" op " f9, 72(%0)\n" op                \
	" f10, 80(%0)\n" op " f11, 88(%0)\n" op " f12, 96(%0)\n" op " f13, 104(%0)\n" op           \
	" f14, 112(%0)\n" op " f15, 120(%0)\n" op " f16, 128(%0)\n" op " f17, 136(%0)\n" op        \
	" f18, 144(%0)\n" op " f19, 152(%0)\n" op " f20, 160(%0)\n" op " f21, 168(%0)\n" op        \
	" f22, 176(%0)\n" op " f23, 184(%0)\n" op " f24, 192(%0)\n" op " f25, 200(%0)\n" op        \
	" f26, 208(%0)\n" op " f27, 216(%0)\n" op " f28, 224(%0)\n" op " f29, 232(%0)\n" op        \
	" f30, 240(%0)\n" op " f31, 248(%0)\n.option pop"

/* Loads f0-f31 with seed + i, yields, and checks that they kept their values. */
static int fp_round(uint64_t seed)
{
	uint64_t in[32], out[32];

	for (int i = 0; i < 32; i++)
		in[i] = seed + (uint64_t)i;
	__asm__ volatile(FP_ALL("fld")::"r"(in) : "memory");
	sel_yield();
	__asm__ volatile(FP_ALL("fsd")::"r"(out) : "memory");
	for (int i = 0; i < 32; i++)
		if (out[i] != in[i])
			return 0;
	return 1;
}

static volatile uint64_t fp_bad, fp_rounds;

static void fp_thread(uint64_t seed)
{
	for (int r = 0; r < 200; r++) {
		if (!fp_round(seed + (uint64_t)r * 64))
			fp_bad = fp_bad + 1;
		fp_rounds = fp_rounds + 1;
	}
}

TEST(SCHED_0207, "floating-point registers of two threads survive each other's use")
{
	uint64_t ut, a, b, hart = sel_debug_info(SEL_INFO_HART_ID);

	CHECK_EQ(t, untyped_new(19, &ut), SEL_OK);
	CHECK_EQ(t, ipc_thread_opts(ut, fp_thread, 0x1000, 1, &a), SEL_OK);
	CHECK_EQ(t, ipc_thread_opts(ut, fp_thread, 0x900000, 1, &b), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_affinity(a, hart), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_affinity(b, hart), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_priority(a, SEL_SLOT_TCB, 60), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_priority(b, SEL_SLOT_TCB, 60), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(a), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(b), SEL_OK);
	for (unsigned i = 0; i < IPC_PATIENCE && fp_rounds < 400; i++)
		sel_yield();
	CHECK_EQ(t, fp_rounds, 400);
	CHECK_EQ(t, fp_bad, 0);
}

static volatile uint64_t fresh_f[32], fresh_done;

static void fresh_fp(uint64_t arg)
{
	(void)arg;
	__asm__ volatile(".option push\n.option arch, +d\n"
	                 "fsd f0, 0(%0)\nfsd f5, 8(%0)\nfsd f31, 16(%0)\nfrcsr t0\nsd t0, 24(%0)\n"
	                 ".option pop" ::"r"(fresh_f)
	                 : "t0", "memory");
	fresh_done = 1;
}

TEST(SCHED_0208, "a new thread's FPU starts zeroed: nothing leaks from another thread")
{
	uint64_t ut, a, b, hart = sel_debug_info(SEL_INFO_HART_ID);

	CHECK_EQ(t, untyped_new(19, &ut), SEL_OK);
	CHECK_EQ(t, ipc_thread_opts(ut, fp_thread, 0x5555, 1, &a), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_affinity(a, hart), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_priority(a, SEL_SLOT_TCB, 60), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(a), SEL_OK);
	CHECK_EQ(t, fp_rounds, 200); /* ran to its end: its values sit in this hart's FPU */
	CHECK_EQ(t, ipc_thread_opts(ut, fresh_fp, 0, 1, &b), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_affinity(b, hart), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_priority(b, SEL_SLOT_TCB, 60), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(b), SEL_OK);
	CHECK(t, wait_flag(&fresh_done, IPC_PATIENCE));
	for (int i = 0; i < 4; i++)
		CHECK_EQ(t, fresh_f[i], 0);
}

static volatile uint64_t reads, faulted_after;
static volatile uint64_t *watched;

static void reader_body(void *arg)
{
	(void)arg;
	for (;;) {
		(void)*watched;
		reads = reads + 1;
	}
}

static void reader(uint64_t arg)
{
	struct sel_fault_info fi;

	(void)arg;
	flag = 1;
	if (sel_catch_fault(reader_body, 0, &fi))
		faulted_after = reads + 1;
}

TEST(SCHED_0209, "a page unmapped on one hart faults at once on another that reads it")
{
	uint64_t ut, fr, tcb, harts = sel_debug_info(SEL_INFO_HARTS_ONLINE);
	uint64_t other = (sel_debug_info(SEL_INFO_HART_ID) + 1) % harts;
	uint64_t va = REGION(25);

	CHECK_EQ(t, untyped_new(19, &ut), SEL_OK);
	CHECK_EQ(t, cover(ut, SEL_SLOT_VSPACE, va), SEL_OK);
	CHECK_EQ(t, frame_at(ut, SEL_SLOT_VSPACE, va, RW, &fr), SEL_OK);
	watched = (volatile uint64_t *)va;
	CHECK_EQ(t, ipc_thread_opts(ut, reader, 0, 1, &tcb), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_affinity(tcb, other), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(tcb), SEL_OK);
	CHECK(t, wait_flag(&flag, IPC_PATIENCE));
	while (reads < 1000)
		sel_yield();
	CHECK_EQ(t, sel_frame_unmap(fr), SEL_OK);
	uint64_t at_unmap = reads;
	uint64_t start = sel_rdtime();
	while (!faulted_after && sel_rdtime() - start < 20000000ull) /* 2 s */
		sel_yield();
	CHECK(t, faulted_after != 0);
	/* Any read that began after the unmap returned faulted: at most the one in flight. */
	CHECK(t, faulted_after <= at_unmap + 2);
}

/* Serves `n` calls with ReplyRecv, echoing MR0 + 1. */
static void echo_server(uint64_t ep)
{
	struct sel_msg m = {0};

	sel_recv(ep, &m);
	for (;;) {
		m = msg(0, m.info & 7, m.mr[0] + 1, 0, 0, 0, 0);
		if (sel_reply_recv(ep, &m) != SEL_OK)
			break;
	}
}

TEST(SCHED_0210, "Call and ReplyRecv take the fastpath with up to 10 words; 11 words take the "
                 "slow path")
{
	uint64_t ut, ep, tcb;
	struct sel_ipc_buffer *buf = sel_ipc_buffer();

	CHECK_EQ(t, untyped_new(19, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, make(ut, echo_server, ep, 0, &tcb), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(tcb), SEL_OK);
	CHECK(t, wait_blocked(tcb, IPC_PATIENCE));
	uint64_t calls0 = sel_debug_info(SEL_INFO_IPC_CALLS),
	         fast0 = sel_debug_info(SEL_INFO_FASTPATH);
	for (uint64_t i = 0; i < 100; i++) {
		struct sel_msg m =
		    msg(5, 1 + i % 10, i, 0, 0, 0, 0); /* MR5-MR9 through the buffers */
		CHECK_EQ(t, sel_call(ep, &m), SEL_OK);
		CHECK_EQ(t, m.mr[0], i + 1);
	}
	uint64_t calls = sel_debug_info(SEL_INFO_IPC_CALLS) - calls0;
	uint64_t fast = sel_debug_info(SEL_INFO_FASTPATH) - fast0;
	CHECK(t, calls >= 200); /* 100 Calls and 100 ReplyRecvs */
	CHECK(t, fast >= 190);  /* all but a few (the first receive, preemption) */
	uint64_t fast1 = sel_debug_info(SEL_INFO_FASTPATH);
	for (uint64_t i = 0; i < 20; i++) {
		struct sel_msg m = msg(5, 11, i, 0, 0, 0, 0); /* MR10 too: beyond the fastpath */
		buf->mr[10] = i;
		CHECK_EQ(t, sel_call(ep, &m), SEL_OK);
		CHECK_EQ(t, m.mr[0], i + 1);
	}
	/* The 11-word Calls took the slow path; only the 3-word replies (11 & 7) may not. */
	CHECK(t, sel_debug_info(SEL_INFO_FASTPATH) - fast1 <= 20);
}

static volatile uint64_t served_on, call_hart;

/* A server that answers with the hart it runs on. */
static void hart_server(uint64_t ep)
{
	struct sel_msg m = {0};

	sel_recv(ep, &m);
	for (;;) {
		m = msg(0, 1, sel_debug_info(SEL_INFO_HART_ID), 0, 0, 0, 0);
		if (sel_reply_recv(ep, &m) != SEL_OK)
			break;
	}
}

TEST(SCHED_0211, "a Call from one hart reaches a server pinned to another and returns")
{
	uint64_t ut, ep, tcb, harts = sel_debug_info(SEL_INFO_HARTS_ONLINE);
	uint64_t other = (sel_debug_info(SEL_INFO_HART_ID) + 1) % harts;

	CHECK_EQ(t, untyped_new(19, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, ipc_thread_opts(ut, hart_server, ep, 1, &tcb), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_affinity(tcb, other), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(tcb), SEL_OK);
	CHECK(t, wait_blocked(tcb, IPC_PATIENCE));
	for (int i = 0; i < 200; i++) {
		struct sel_msg m = msg(1, 1, 0, 0, 0, 0, 0);
		CHECK_EQ(t, sel_call(ep, &m), SEL_OK);
		CHECK_EQ(t, m.mr[0], other);
	}
}

static volatile uint64_t signalled, woke_before_flag, waiter_hart;

static void high_waiter(uint64_t ntfn)
{
	uint64_t w;

	if (sel_wait(ntfn, &w) == SEL_OK) {
		woke_before_flag = signalled == 0 ? 1 : 2;
		waiter_hart = sel_debug_info(SEL_INFO_HART_ID) + 1;
	}
}

static void low_signaller(uint64_t ntfn)
{
	sel_signal(ntfn);
	signalled = 1; /* the waiter must have run before this line */
}

TEST(SCHED_0212, "a signal that wakes a higher-priority thread switches to it at once")
{
	uint64_t ut, ntfn, w, s;

	CHECK_EQ(t, untyped_new(19, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_NOTIFICATION, 0, &ntfn), SEL_OK);
	CHECK_EQ(t, make(ut, high_waiter, ntfn, 100, &w), SEL_OK);
	CHECK_EQ(t, make(ut, low_signaller, ntfn, 50, &s), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(w), SEL_OK);
	CHECK(t, wait_blocked(w, IPC_PATIENCE));
	CHECK_EQ(t, sel_tcb_resume(s), SEL_OK);
	CHECK(t, wait_flag(&signalled, IPC_PATIENCE));
	CHECK_EQ(t, woke_before_flag, 1);
}

TEST(SCHED_0213, "a thread woken from another hart runs on its own hart")
{
	uint64_t ut, ntfn, w, harts = sel_debug_info(SEL_INFO_HARTS_ONLINE);
	uint64_t other = (sel_debug_info(SEL_INFO_HART_ID) + 1) % harts;

	CHECK_EQ(t, untyped_new(19, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_NOTIFICATION, 0, &ntfn), SEL_OK);
	CHECK_EQ(t, ipc_thread_opts(ut, high_waiter, ntfn, 1, &w), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_affinity(w, other), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(w), SEL_OK);
	CHECK(t, wait_blocked(w, IPC_PATIENCE));
	CHECK_EQ(t, sel_signal(ntfn), SEL_OK);
	CHECK(t, wait_flag(&waiter_hart, IPC_PATIENCE));
	CHECK_EQ(t, waiter_hart, other + 1);
}

TEST(SCHED_0214, "raising a ready thread's priority moves it ahead in the queue; 256 is refused")
{
	uint64_t ut, th[3];

	CHECK_EQ(t, untyped_new(19, &ut), SEL_OK);
	CHECK_EQ(t, make(ut, log_and_exit, 0, 10, &th[0]), SEL_OK);
	CHECK_EQ(t, make(ut, log_and_exit, 1, 20, &th[1]), SEL_OK);
	CHECK_EQ(t, make(ut, log_and_exit, 2, 30, &th[2]), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_priority(th[0], SEL_SLOT_TCB, SEL_PRIORITIES), SEL_ERR_RANGE);
	raise_tcb = th[0]; /* 10 -> 40 while ready behind 30 and 20 */
	CHECK_EQ(t, start_together(ut, th, 3), SEL_OK);
	CHECK_EQ(t, order_n, 3);
	CHECK_EQ(t, order[0], 0);
	CHECK_EQ(t, order[1], 2);
	CHECK_EQ(t, order[2], 1);
}
