/*
 * Round-robin scheduling per hart, and the idle loop.
 *
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
#include "arch/riscv/hart.h"
#include "arch/riscv/ipi.h"
#include "arch/riscv/machine.h"
#include "arch/riscv/timer.h"
#include "arch/riscv/vspace.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "lib/spinlock.h"
#include "ipc/ipc.h"
#include "object/objects.h"
#include "object/vspace.h"
#include <selene/object.h>

static struct spinlock big_lock;
static uint64_t live_threads;

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

static void remove_ready(struct hart *h, struct tcb *t)
{
	struct tcb **pp = &h->run_head, *prev = NULL;

	while (*pp && *pp != t) {
		prev = *pp;
		pp = &(*pp)->next;
	}
	assert(*pp == t && "a READY thread is on its hart's queue");
	*pp = t->next;
	if (h->run_tail == t)
		h->run_tail = prev;
	t->next = NULL;
}

void sched_make_ready(struct tcb *t)
{
	struct hart *h = &harts[t->hart_affinity];

	assert(kernel_lock_held());
	if (t->state == TCB_INACTIVE)
		live_threads++;
	enqueue(h, t);
	if (h != this_hart() && !h->current)
		ipi_send(h->id); /* wake it from wfi */
}

void sched_blocked(struct tcb *t)
{
	struct hart *h = this_hart();

	if (h->current == t)
		h->current = NULL;
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

/* Takes a RUNNING thread off its hart; on another hart, waits until it left user mode. */
static void take_off_cpu(struct tcb *t)
{
	struct hart *h = &harts[t->hart_affinity];

	if (h != this_hart()) {
		ipi_send(h->id);
		while (__atomic_load_n(&h->in_user, __ATOMIC_ACQUIRE) == t)
			;
	}
	h->current = NULL;
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
	leave_scheduler(t, 0);
	t->state = TCB_DEAD;
}

int sched_set_affinity(struct tcb *t, uint64_t hart)
{
	if (hart >= SEL_MAX_HARTS || !harts[hart].online)
		return SEL_ERR_RANGE;
	if (t->state == TCB_READY || t->state == TCB_RUNNING)
		return SEL_ERR_BUSY; /* migration of a runnable thread comes with SMP scheduling */
	t->hart_affinity = (uint32_t)hart;
	return SEL_OK;
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

/* The next thread for this hart; one whose VSpace cap is gone is stopped. */
static struct tcb *pick(struct hart *h)
{
	struct tcb *t = h->current;

	if (t && t->state == TCB_RUNNING && tcb_vspace(t))
		return t;
	if (t && t->state == TCB_RUNNING)
		sched_stop(t, SEL_STOP_FAULTED, 0);
	for (;;) {
		while (!(t = dequeue(h)))
			idle_wait(h);
		t->state = TCB_RUNNING;
		h->current = t;
		if (tcb_vspace(t))
			return t;
		sched_stop(t, SEL_STOP_FAULTED, 0); /* its address space was deleted */
	}
}

NORETURN void sched_return_to_user(void)
{
	struct hart *h = this_hart();
	struct tcb *t;

	assert(kernel_lock_held());
	t = pick(h);
	t->ctx.hart = h;
	void *vs = tcb_vspace(t);
	vspace_activate(vspace_root_pa(vs), vspace_asid(vs));
	timer_arm(h);
	__atomic_store_n(&h->in_user, t, __ATOMIC_RELEASE);
	kernel_unlock();
	arch_return_to_user(&t->ctx);
}
