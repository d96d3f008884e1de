/*
 * Priority round-robin scheduling per hart, and the idle loop.
 *
 * Each hart has SEL_PRIORITIES ready queues; it runs the highest-priority
 * ready thread, and threads of one priority take turns: each has a time
 * slice (timer_slice(), TICK_MS), charged to it for the time it ran, and
 * goes to the back of its queue when the slice is spent or it yields (see
 * "Time slices" below). A thread made ready on another hart kicks that hart (IPI:
 * ACLINT SSWI when present, else SBI) if it idles or runs something of
 * lower priority. Changing a thread's affinity moves it, running or not.
 * States (object/tcb.h): a READY thread is on exactly one hart's queue, a
 * RUNNING thread is its hart's `current`. sched_return_to_user() is the only
 * way back to user mode: it picks the thread, switches to the address space
 * in the thread's VSpace slot, arms the preemption tick, drops the big lock
 * and restores the context. A hart with nothing to run waits in
 * idle_wait() with `wfi`, lock released, and handles what woke it.
 *
 * Taking a thread off another hart (Suspend, exit, destroying its TCB):
 * that hart may be executing the thread in user mode. The stopper marks the
 * thread, kicks the hart, and waits (holding the big lock) until the hart's
 * `in_user` no longer names the thread. Trap entry clears `in_user` before
 * it asks for the lock, so the wait always ends; the hart then finds its
 * `current` taken away and schedules something else.
 */
#include "sched/scheduler.h"
#include "arch/riscv/csr.h"
#include "arch/riscv/fpu.h"
#include "arch/riscv/kinfo.h"
#include "arch/riscv/hart.h"
#include "arch/riscv/ipi.h"
#include "arch/riscv/machine.h"
#include "arch/riscv/timer.h"
#include "arch/riscv/sv39.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "lib/inject.h"
#include "lib/spinlock.h"
#include "lib/watchdog.h"
#include "ipc/ipc.h"
#include "ipc/uintr.h"
#include "object/irq.h"
#include "object/objects.h"
#include "object/vspace.h"
#include "uaccess/syscall_args.h"
#include <selene/object.h>
#include <selene/syscall.h>

struct spinlock big_lock;
static uint64_t live_threads;

/* Waiting for the lock, a hart leaves a VSpace being freed (vspace_evict). */
void kernel_lock(void)
{
	struct spin_watch w = SPIN_WATCH("the big lock, held by hart", 0);

	while (!spin_trylock(&big_lock))
		while (big_lock.locked) {
			vspace_poll_evict(); /* a root being freed must not wait for us */
			w.who = (uint64_t)(int64_t)big_lock.owner;
			spin_watch(&w);
		}
}

void kernel_unlock(void)
{
	assert(spin_held_by_me(&big_lock) && "only the holder releases the big lock");
	spin_unlock(&big_lock);
}

bool kernel_lock_held(void)
{
	return spin_held_by_me(&big_lock);
}

struct ready_queues sched_rq[SEL_MAX_HARTS];

static struct ready_queues *queues(const struct hart *h)
{
	return &sched_rq[h - harts];
}

/* The index of the highest set bit of x != 0 (no clz instruction in RV64IMAC). */
static int top_bit(uint64_t x)
{
	int n = 0;

	for (int s = 32; s; s >>= 1) {
		if (x >> s) {
			n += s;
			x >>= s;
		}
	}
	return n;
}

/* The highest priority with a ready thread on h, or -1. */
int highest_ready(const struct hart *h)
{
	const struct ready_queues *q = queues(h);

	if (!q->ready)
		return -1;
	for (int w = SEL_PRIORITIES / 64 - 1; w >= 0; w--)
		if (q->map[w])
			return w * 64 + top_bit(q->map[w]);
	return -1;
}

/* True if some hart other than this one executes t in user mode (asserts only). */
static bool in_user_elsewhere(const struct tcb *t)
{
	for (uint32_t i = 0; i < SEL_MAX_HARTS; i++)
		if (&harts[i] != this_hart() &&
		    __atomic_load_n(&harts[i].in_user, __ATOMIC_SEQ_CST) == t)
			return true;
	return false;
}

static void enqueue(struct hart *h, struct tcb *t, bool front)
{
	struct ready_queues *q = queues(h);
	uint32_t p = t->priority;

	assert(!in_user_elsewhere(t) && "a thread running in user mode is on no queue");

	t->state = TCB_READY;
	if (!front)
		t->slice_used = 0; /* at the back: a whole slice when its turn comes */
	if (!q->head[p]) {
		t->next = NULL;
		q->head[p] = q->tail[p] = t;
	} else if (front) {
		t->next = q->head[p];
		q->head[p] = t;
	} else {
		t->next = NULL;
		q->tail[p]->next = t;
		q->tail[p] = t;
	}
	q->map[p / 64] |= 1ull << (p % 64);
	q->ready++;
	if (p + 1 > h->ready_top && !inject_on(INJECT_STALE_READY_TOP))
		h->ready_top = p + 1;
}

static struct tcb *dequeue(struct hart *h)
{
	struct ready_queues *q = queues(h);
	int p = highest_ready(h);
	struct tcb *t;

	if (p < 0)
		return NULL;
	t = q->head[p];
	q->ready--;
	q->head[p] = t->next;
	if (!q->head[p]) {
		q->tail[p] = NULL;
		q->map[p / 64] &= ~(1ull << (p % 64));
		h->ready_top = q->ready ? (uint64_t)(highest_ready(h) + 1) : 0;
	}
	t->next = NULL;
	return t;
}

static void remove_ready(struct hart *h, struct tcb *t)
{
	struct ready_queues *q = queues(h);
	uint32_t p = t->priority;
	struct tcb **pp = &q->head[p], *prev = NULL;

	while (*pp && *pp != t) {
		prev = *pp;
		pp = &(*pp)->next;
	}
	assert(*pp == t && "a READY thread is on its hart's queue");
	q->ready--;
	*pp = t->next;
	if (q->tail[p] == t)
		q->tail[p] = prev;
	if (!q->head[p]) {
		q->map[p / 64] &= ~(1ull << (p % 64));
		h->ready_top = q->ready ? (uint64_t)(highest_ready(h) + 1) : 0;
	}
	t->next = NULL;
}

/* Kicks hart h if it idles or runs something t should preempt. */
static void kick_for(struct hart *h, const struct tcb *t)
{
	struct tcb *cur = h->current;

	if (h != this_hart() && (!cur || cur->priority < t->priority) &&
	    !inject_on(INJECT_DROP_WAKEUP))
		ipi_send(h->id);
}

void sched_make_ready(struct tcb *t)
{
	struct hart *h = &harts[t->hart_affinity];

	assert(kernel_lock_held());
	assert(t->state != TCB_READY && "a thread is on one queue at most");
	if (t->state == TCB_INACTIVE)
		live_threads++;
	enqueue(h, t, false);
	kick_for(h, t);
}

/*
 * Time slices. A hart charges its `current` thread the `time` since
 * `slice_mark` whenever the scheduler takes the hart from it or looks at it:
 * when a thread of higher priority preempts it (pick(), sched_give_way()),
 * when it blocks, yields, or the tick lands on it. So each thread pays for
 * the time it ran itself, whichever thread the tick lands on: a thread that
 * keeps waking a higher-priority one (which then runs when the tick falls
 * due) still spends its slice, and at its next preemption goes behind its
 * peers instead of keeping the front of its priority. A preempted thread
 * with slice left goes back to the front; one whose slice is spent, to the
 * back (which gives it a new slice). The tick is armed for what is left of
 * the running thread's slice (run()), and rotates the priority only when
 * that slice is spent. The IPC fastpath's direct switch does not charge: the
 * blocked caller's last stretch is charged to the thread it switched to.
 * Inject "no-slice-charge" restores the tick that rotates whatever runs.
 */
static void charge(struct hart *h, struct tcb *t)
{
	uint64_t now = timer_now();

	assert(h->current == t);
	t->slice_used += now - h->slice_mark;
	h->slice_mark = now;
}

static bool slice_spent(const struct tcb *t)
{
	return t->slice_used >= timer_slice() && !inject_on(INJECT_NO_SLICE_CHARGE);
}

/* What is left of t's slice, in `time` ticks. */
static uint64_t slice_left(const struct tcb *t)
{
	uint64_t slice = timer_slice();

	if (inject_on(INJECT_NO_SLICE_CHARGE))
		return slice;
	return t->slice_used < slice ? slice - t->slice_used : 0;
}

/* t, h's running thread, is preempted: back to the front of its priority, or the back. */
static void preempted(struct hart *h, struct tcb *t)
{
	charge(h, t);
	enqueue(h, t, !slice_spent(t));
	h->current = NULL;
}

void sched_blocked(struct tcb *t)
{
	struct hart *h = this_hart();

	if (h->current == t) {
		charge(h, t);
		h->current = NULL;
	}
}

/*
 * Round robin: the running thread goes behind the others of its priority,
 * on this hart's queue only if it still belongs here (a thread whose
 * affinity changed while it ran is moved by pick()); alone, it keeps
 * running on a new slice.
 */
void sched_yield(void)
{
	struct hart *h = this_hart();
	struct tcb *t = h->current;

	if (!t || t->state != TCB_RUNNING)
		return;
	charge(h, t);
	t->slice_used = 0;
	if (&harts[t->hart_affinity] == h && highest_ready(h) >= (int)t->priority) {
		enqueue(h, t, false);
		h->current = NULL;
	}
}

void sched_tick(struct hart *h)
{
	struct tcb *t = h->current;

	if (!t || t->state != TCB_RUNNING)
		return;
	charge(h, t);
	if (slice_spent(t) || inject_on(INJECT_NO_SLICE_CHARGE))
		sched_yield();
}

/*
 * A thread becomes RUNNING on h. Invariant: t->state == TCB_RUNNING iff t
 * is the `current` of the hart t->ctx.hart names -- so whoever takes t
 * off (take_off_cpu) kicks and waits for the right hart, and never clears
 * another hart's `current` (which would lose the thread running there:
 * RUNNING, yet on no hart, never to run again).
 */
static void set_current(struct hart *h, struct tcb *t)
{
	h->slice_mark = timer_now(); /* its slice runs from here */
	t->state = TCB_RUNNING;
	if (!inject_on(INJECT_STALE_HART))
		t->ctx.hart = h;
	h->current = t;
}

/* Takes a RUNNING thread off its hart; on another hart, waits until it left user mode. */
static void take_off_cpu(struct tcb *t)
{
	struct hart *h = t->ctx.hart;

	assert(h && h->current == t && "a RUNNING thread is the current one of its ctx.hart");
	__atomic_store_n(&h->current, NULL, __ATOMIC_SEQ_CST); /* a lock-free send checks it */
	if (h != this_hart()) {
		ipi_send(h->id);
		struct spin_watch w = SPIN_WATCH("a thread to leave user mode on hart", h->id);
		while (__atomic_load_n(&h->in_user, __ATOMIC_SEQ_CST) == t)
			spin_watch(&w);
	}
}

/*
 * Takes t out of whatever state it is in (a queue, a hart, an IPC wait; a
 * reply it owes is dropped); stops the machine after the last thread.
 */
static void leave_scheduler(struct tcb *t, uint32_t exit_code)
{
	if (t->state == TCB_INACTIVE || t->state == TCB_DEAD)
		return;
	ipc_cancel(t);
	if (t->state == TCB_READY)
		remove_ready(&harts[t->hart_affinity], t);
	else if (t->state == TCB_RUNNING)
		take_off_cpu(t);
	t->state = TCB_INACTIVE;
	if (--live_threads == 0) {
		printk("selene: no threads left (last exit code %u); stopping\n", exit_code);
		machine_exit(exit_code);
	}
}

void sched_stop(struct tcb *t, uint32_t reason, uint64_t code)
{
	if (t->state == TCB_INACTIVE || t->state == TCB_DEAD)
		return;
	t->stop_reason = reason;
	t->stop_code = code;
	/* If it was the last thread, QEMU exits 3 after a fault, else with the code. */
	leave_scheduler(t, reason == SEL_STOP_FAULTED ? 3u : (uint32_t)code);
}

void sched_finalise(struct tcb *t)
{
	ntfn_unbind(t);
	uintr_tcb_finalise(t);
	fpu_forget(t);
	leave_scheduler(t, 0);
	t->state = TCB_DEAD;
}

/*
 * A VSpace (root table `root`) is being freed: every thread running in it
 * on another hart stops, as if it had faulted (this hart's own thread
 * stops when it next schedules: pick() finds its VSpace gone).
 */
void sched_stop_running_in(paddr_t root)
{
	for (uint32_t i = 0; i < SEL_MAX_HARTS; i++) {
		struct hart *h = &harts[i];
		struct tcb *t = h->current;
		if (h != this_hart() && h->online && t && t->state == TCB_RUNNING &&
		    t->ctx.hart == h && vspace_satp_root(h->satp) == root)
			sched_stop(t, SEL_STOP_FAULTED, 0);
	}
}

/*
 * A ready thread moves queues at once. A running one moves when its hart
 * next schedules (pick() sees the affinity changed; another hart is kicked),
 * so a syscall it is making completes first.
 */
enum sel_error sched_set_affinity(struct tcb *t, uint64_t hart)
{
	if (hart >= SEL_MAX_HARTS || !harts[hart].online)
		return SEL_ERR_RANGE;
	if (t->state == TCB_READY) {
		remove_ready(&harts[t->hart_affinity], t);
		t->hart_affinity = (uint32_t)hart;
		enqueue(&harts[hart], t, false);
		kick_for(&harts[hart], t);
		return SEL_OK;
	}
	t->hart_affinity = (uint32_t)hart;
	if (t->state == TCB_RUNNING && t->ctx.hart != this_hart())
		ipi_send(t->ctx.hart->id);
	return SEL_OK;
}

void sched_set_priority(struct tcb *t, uint32_t prio)
{
	bool runnable = t->state == TCB_READY;

	if (runnable)
		remove_ready(&harts[t->hart_affinity], t);
	t->priority = prio;
	if (runnable) {
		enqueue(&harts[t->hart_affinity], t, false);
		kick_for(&harts[t->hart_affinity], t);
	} else if (t->state == TCB_RUNNING && t->ctx.hart != this_hart()) {
		ipi_send(t->ctx.hart->id); /* it may have to give way now */
	} else if (t->blocked_on) {
		ipc_requeue(t); /* its place in the endpoint's queue follows its priority */
	}
}

uint64_t sched_live_threads(void)
{
	return live_threads;
}

/* Waits for an interrupt with the lock dropped, then handles it. */
static void idle_wait(struct hart *h)
{
	if (h->last_user) {
		kinfo_switch(h, NULL);
		if (fpu_needed(h, NULL))
			fpu_switch(h, NULL); /* the FPU state of the last thread is saved */
		h->last_user = NULL;
	}
	timer_idle(h);
	h->idle = true; /* flushes of ASIDs it may cache leave it tlb_stale (asid.c) */
	kernel_unlock();
	h->bench.wfi++;
	h->bench.wfi_stamps += csr_read(instret);
	wfi();
	kernel_lock();
	h->idle = false;
	if (h->tlb_stale) {
		h->tlb_stale = false;
		sfence_vma_all();
	}
	uint64_t pending = csr_read(sip);
	if (pending & BIT(IRQ_S_TIMER))
		timer_tick(h);
	if (pending & BIT(IRQ_S_SOFT))
		csr_clear(sip, BIT(IRQ_S_SOFT));
	if (pending & BIT(IRQ_S_EXT))
		irq_handle();
	uintr_drain(h);
}

/*
 * The next thread for this hart: the current one unless a thread of higher
 * priority is ready (the current one then goes first among its priority, last if its slice is spent);
 * a thread whose VSpace cap is gone is stopped.
 */
static struct tcb *pick(struct hart *h)
{
	struct tcb *t = h->current;

	if (t && t->state == TCB_RUNNING && &harts[t->hart_affinity] != h) {
		h->current = NULL; /* its affinity changed: it moves now */
		sched_make_ready(t);
	} else if (t && t->state == TCB_RUNNING && !tcb_vspace(t))
		sched_stop(t, SEL_STOP_FAULTED, 0);
	else if (t && t->state == TCB_RUNNING && highest_ready(h) <= (int)t->priority)
		return t;
	else if (t && t->state == TCB_RUNNING)
		preempted(h, t);
	for (;;) {
		while (!(t = dequeue(h)))
			idle_wait(h);
		set_current(h, t);
		if (tcb_vspace(t))
			return t;
		sched_stop(t, SEL_STOP_FAULTED, 0); /* its address space was deleted */
	}
}

/*
 * Runs t on h: a pending user interrupt, its FPU, its address space, the
 * tick, and back to user mode.
 */
static NORETURN void run(struct hart *h, struct tcb *t)
{
	if (inject_on(INJECT_STALE_HART))
		t->ctx.hart = h; /* the control: ctx.hart set only here, as it once was */
	assert(t->ctx.hart == h && h->current == t);
	if (t->uintr) { /* only threads with a receiver pay for user interrupts */
		uintr_deliver(t);
		if (t->state != TCB_RUNNING) /* it could not take the interrupt: it faulted */
			sched_return_to_user();
	}
	if (h->last_user != t) { /* a switch: FPU state and the info page follow */
		if (fpu_needed(h, t))
			fpu_switch(h, t);
		h->last_user = t;
		kinfo_switch(h, t);
	}
	vspace_switch(tcb_vspace(t));
	timer_arm_in(h, slice_left(t));
	__atomic_store_n(&h->in_user, t, __ATOMIC_SEQ_CST);
	if (t->uintr)
		uintr_recheck(t);
	kernel_unlock_inline();
	arch_return_to_user(&t->ctx);
}

void sched_run_next(struct tcb *t)
{
	struct hart *h = this_hart();

	if (t->state != TCB_READY || &harts[t->hart_affinity] != h ||
	    queues(h)->head[t->priority] == t || highest_ready(h) > (int)t->priority)
		return;
	remove_ready(h, t);
	enqueue(h, t, true);
}

void sched_give_way(struct hart *h, struct tcb *t)
{
	assert(h->current == t && t->state == TCB_RUNNING);
	preempted(h, t);
}

NORETURN void sched_switch_to(struct hart *h, struct tcb *to)
{
	set_current(h, to);
	invariants_after_syscall();
	run(h, to);
}

NORETURN void sched_return_to_user(void)
{
	struct hart *h = this_hart();

	assert(kernel_lock_held());
	run(h, pick(h));
}

const char *panic_thread_name(const struct hart *h)
{
	return h->current ? h->current->name : "(none)";
}
