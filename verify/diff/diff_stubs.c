/*
 * The machine layer under the fast/slow differential harness (diff_main.c):
 * what the kernel's IPC and scheduler code calls below itself, on the host.
 *
 * This file is compiled like the kernel files (its data is part of the
 * kernel state the harness snapshots and compares), so the modelled
 * machine -- each hart's satp, the info page's thread ids, the FPU
 * switches, the IPIs sent, the deadline of the tick -- is compared too.
 * Time is frozen (the tick deadline is a constant), so two runs that arm
 * the tick at different moments agree, exactly as the real timer_arm()
 * leaves an armed tick alone.
 *
 * A leaving path (arch_return_to_user, an idle hart, the machine stopping)
 * hands control back to the harness through diff_leave(). Functions the
 * compared paths must never reach abort the harness with their name (a
 * harness error, never a pass).
 */
#include "arch/riscv/asid.h"
#include "arch/riscv/context.h"
#include "arch/riscv/hart.h"
#include "arch/riscv/kinfo.h"
#include "arch/riscv/machine.h"
#include "arch/riscv/smp.h"
#include "arch/riscv/sv39.h"
#include "arch/riscv/timer.h"
#include "lib/spinlock.h"
#include "object/objects.h"
#include "object/tcb.h"
#include "object/vspace.h"
#include "lib/inject.h"
#include "lib/watchdog.h"
#include "diff.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct hart harts[SEL_MAX_HARTS];
union kinfo_page kinfo_page;
struct machine machine;
struct diff_machine diff_machine;
volatile uint32_t harts_online;      /* 1 or 2, set by the harness per episode */
uint8_t asid_harts_seen[ASID_COUNT]; /* the shootdown sets satp_change() writes */
uint32_t inject_bugs;                /* no bug injected: the harness's mutants patch the sources */
uint64_t inject_race_delay;

#define DIFF_TICK_DEADLINE 1000000u

NORETURN void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "diff: kernel panic: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	diff_report_panic();
	abort();
}

void printk(const char *fmt, ...)
{
	(void)fmt;
}

static NORETURN void unreached(const char *fn)
{
	fprintf(stderr, "diff: harness error: %s reached (not modelled)\n", fn);
	abort();
}

#define UNREACHED(ret, name, ...)                                                                  \
	ret name(__VA_ARGS__)                                                                      \
	{                                                                                          \
		unreached(#name);                                                                  \
	}

/* ---- leaving the kernel ---- */

NORETURN void arch_return_to_user(struct context *ctx)
{
	diff_machine.returned[this_hart() - harts] = ctx;
	diff_leave(DIFF_LEFT_USER);
}

NORETURN void machine_exit(uint32_t code)
{
	diff_machine.exit_code = code;
	diff_leave(DIFF_LEFT_STOPPED);
}

void timer_idle(struct hart *h)
{
	(void)h;
	diff_leave(DIFF_LEFT_IDLE); /* idle_wait(): nothing to run on this hart */
}

/* ---- the lock (one hart runs the kernel at a time here) ---- */

bool spin_trylock(struct spinlock *l)
{
	if (l->locked)
		return false;
	l->locked = 1;
	l->owner = (int32_t)this_hart()->id;
	return true;
}

void spin_lock(struct spinlock *l)
{
	if (!spin_trylock(l))
		unreached("spin_lock on a held lock");
}

void spin_unlock(struct spinlock *l)
{
	l->owner = -1;
	l->locked = 0;
}

bool spin_held_by_me(const struct spinlock *l)
{
	return l->locked && l->owner == (int32_t)this_hart()->id;
}

void spin_watch(struct spin_watch *w)
{
	(void)w;
	unreached("spin_watch (a wait for another hart)");
}

void vspace_poll_evict(void)
{
}

/* ---- the machine: CSRs, tick, IPIs, info page, FPU, satp ---- */

/*
 * The only CSR the compared paths read is satp (the IPC fastpath's direct
 * switch, vspace_switch()). The modelled CSR is hart.satp: every satp write
 * of the kernel goes through satp_change() (arch/riscv/sv39.h), which
 * stores hart.satp with the CSR.
 */
uint64_t eva_csr_read(void)
{
	return this_hart()->satp;
}

void timer_arm(struct hart *h)
{
	if (h->next_tick)
		return;
	h->next_tick = DIFF_TICK_DEADLINE;
}

/* Frozen time: no thread is charged any of its slice (sched/scheduler.c), on either path. */
void timer_arm_in(struct hart *h, uint64_t left)
{
	(void)left;
	timer_arm(h);
}

uint64_t timer_now(void)
{
	return 0;
}

uint64_t timer_slice(void)
{
	return DIFF_TICK_DEADLINE;
}

void ipi_send(uint64_t hart_id)
{
	diff_machine.ipis[hart_id % SEL_MAX_HARTS]++;
}

void kinfo_switch(const struct hart *h, const struct tcb *t)
{
	kinfo_page.k.hart[h - harts].thread = t ? t->tid : 0;
}

void fpu_switch(struct hart *h, struct tcb *t)
{
	diff_machine.fpu_switches[h - harts]++;
	h->fpu_owner = t;
}

void fpu_forget(struct tcb *t)
{
	for (int i = 0; i < SEL_MAX_HARTS; i++)
		if (harts[i].fpu_owner == t)
			harts[i].fpu_owner = NULL;
}

/* object/vspace.c's, through vspace_activate() (sv39.c): satp only when it changes. */
void vspace_switch(const void *obj)
{
	uint64_t satp = vspace_satp(obj);

	if (csr_read(satp) != satp)
		satp_change(this_hart(), satp);
}

void invariants_after_syscall(void)
{
	diff_machine.invariant_points++;
}

/* ---- user interrupts: no receivers in the harness's threads ---- */

void uintr_drain(struct hart *h)
{
	(void)h;
}

void uintr_tcb_finalise(struct tcb *t)
{
	(void)t;
}

void uintr_cap_removed(const struct cap *c)
{
	(void)c;
}

void vspace_cap_removed(const struct cap *c)
{
	(void)c;
}

void window_cap_removed(const struct cap *c)
{
	(void)c;
}

bool strstr_simple(const char *hay, const char *needle)
{
	return strstr(hay, needle) != NULL;
}

/* ---- never reached on the compared paths ---- */

UNREACHED(void, uintr_deliver, struct tcb *t)
UNREACHED(void, uintr_recheck, struct tcb *t)
UNREACHED(void, uintr_cancel_wait, struct tcb *t)
UNREACHED(void, uintr_send_entry, struct hart *h, uint64_t a0)
UNREACHED(void, uintr_receiver_init, void *r)
UNREACHED(void, uintr_receiver_finalise, struct uintr_receiver *r)
UNREACHED(int, sys_uintr_wait, struct tcb *t, struct syscall_args *a)
UNREACHED(int, sys_uintr_send_wait, struct tcb *t, struct syscall_args *a)
UNREACHED(int, sys_uintr_ctl, struct tcb *t, struct syscall_args *a)
UNREACHED(int, sys_lease_read, struct tcb *t, struct syscall_args *a)
UNREACHED(int, sys_lease_write, struct tcb *t, struct syscall_args *a)
UNREACHED(int, sys_debug_fault_handler, struct tcb *t, struct syscall_args *a)
UNREACHED(int, sys_debug_fault_done, struct tcb *t, struct syscall_args *a)
UNREACHED(enum sel_error, cnode_decode, struct tcb *t, struct cte *s, struct syscall_args *a)
UNREACHED(enum sel_error, untyped_decode, struct tcb *t, struct cte *s, struct syscall_args *a)
UNREACHED(enum sel_error, debug_cap_decode, struct tcb *t, struct cte *s, struct syscall_args *a)
UNREACHED(enum sel_error, tcb_decode, struct tcb *t, struct cte *s, struct syscall_args *a)
UNREACHED(enum sel_error, page_table_decode, struct tcb *t, struct cte *s, struct syscall_args *a)
UNREACHED(enum sel_error, frame_decode, struct tcb *t, struct cte *s, struct syscall_args *a)
UNREACHED(enum sel_error, vspace_decode, struct tcb *t, struct cte *s, struct syscall_args *a)
UNREACHED(enum sel_error, uintr_decode, struct tcb *t, struct cte *s, struct syscall_args *a)
UNREACHED(enum sel_error, irq_handler_decode, struct tcb *t, struct cte *s, struct syscall_args *a)
UNREACHED(enum sel_error, irq_control_get, struct tcb *t, struct cte *s, struct syscall_args *a)
UNREACHED(enum sel_error, window_decode, struct tcb *t, struct cte *s, struct syscall_args *a)
UNREACHED(void, irq_handle, void)
UNREACHED(void, irq_handler_finalise, struct cap *c)
UNREACHED(void, vspace_object_init, void *o)
UNREACHED(void, vspace_object_finalise, void *o)
UNREACHED(void, timer_tick, struct hart *h)
UNREACHED(uint32_t, asid_in_use, void)
UNREACHED(void, fault_unhandled, struct tcb *t, uint64_t cause, uint64_t stval)
UNREACHED(enum sel_error, copy_user_to_user, struct tcb *dt, uaddr_t dst, struct tcb *st,
          uaddr_t src, uint64_t len)
UNREACHED(paddr_t, vspace_satp_root, uint64_t satp)
UNREACHED(void, invariants_init, struct cdt *cdt, const char *bootargs)
