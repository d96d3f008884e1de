/*
 * Round-robin scheduling per hart, and the idle loop.
 *
 * States (object/tcb.h): a READY thread is on exactly one hart's queue, a
 * RUNNING thread is its hart's `current`. sched_return_to_user() is the only
 * way back to user mode: it picks the thread, switches address space, arms
 * the preemption tick, drops the big lock and restores the context. A hart
 * with nothing to run waits in idle_wait() with `wfi`, lock released, and
 * handles what woke it (timer, software interrupt) with the lock held.
 */
#include "sched/scheduler.h"
#include "arch/riscv/csr.h"
#include "arch/riscv/hart.h"
#include "arch/riscv/machine.h"
#include "arch/riscv/timer.h"
#include "arch/riscv/vspace.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "lib/spinlock.h"

static struct spinlock big_lock;
static uint64_t live_threads;
static uint32_t last_exit_code;

void kernel_lock(void)
{
	spin_lock(&big_lock);
}

void kernel_unlock(void)
{
	spin_unlock(&big_lock);
}

bool kernel_lock_held(void)
{
	return spin_held_by_me(&big_lock);
}

static void enqueue(struct hart *h, struct tcb *t)
{
	t->next = NULL;
	t->state = TCB_READY;
	if (h->run_tail)
		h->run_tail->next = t;
	else
		h->run_head = t;
	h->run_tail = t;
}

static struct tcb *dequeue(struct hart *h)
{
	struct tcb *t = h->run_head;

	if (t) {
		h->run_head = t->next;
		if (!h->run_head)
			h->run_tail = NULL;
		t->next = NULL;
	}
	return t;
}

void sched_make_ready(struct tcb *t)
{
	assert(kernel_lock_held());
	if (t->state == TCB_INACTIVE)
		live_threads++;
	enqueue(&harts[t->hart_affinity], t);
}

void sched_yield(void)
{
	struct hart *h = this_hart();
	struct tcb *t = h->current;

	if (t && h->run_head) {
		enqueue(h, t);
		h->current = NULL;
	}
}

void sched_kill(struct tcb *t, uint32_t exit_code)
{
	struct hart *h = this_hart();

	assert(t == h->current && "only the running thread ends itself for now");
	t->state = TCB_DEAD;
	h->current = NULL;
	live_threads--;
	last_exit_code = exit_code;
	if (live_threads == 0) {
		printk("selene: no threads left (last exit code %u); stopping\n", exit_code);
		machine_exit(exit_code);
	}
}

uint64_t sched_live_threads(void)
{
	return live_threads;
}

/* Waits for an interrupt with the lock dropped, then handles it. */
static void idle_wait(struct hart *h)
{
	timer_idle(h);
	kernel_unlock();
	h->bench.wfi++;
	wfi();
	kernel_lock();
	uint64_t pending = csr_read(sip);
	if (pending & BIT(IRQ_S_TIMER))
		timer_tick(h);
	if (pending & BIT(IRQ_S_SOFT))
		csr_clear(sip, BIT(IRQ_S_SOFT));
}

NORETURN void sched_return_to_user(void)
{
	struct hart *h = this_hart();
	struct tcb *t = h->current;

	assert(kernel_lock_held());
	if (!t || t->state != TCB_RUNNING) {
		while (!(t = dequeue(h)))
			idle_wait(h);
		t->state = TCB_RUNNING;
		h->current = t;
	}
	t->ctx.hart = h;
	vspace_activate(t->vspace_root, t->asid);
	timer_arm(h);
	kernel_unlock();
	arch_return_to_user(&t->ctx);
}
