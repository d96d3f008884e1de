/*
 * Interrupts and faults from user mode (the syscall path is
 * syscall/syscall.c), and the kernel's own traps, which are bugs.
 *
 * trap_user() runs after trap_entry.S saved all 31 registers. Interrupts:
 * the timer tick (preemption) and the supervisor software interrupt (a
 * wake-up from another hart). An illegal instruction with the FPU off is
 * a thread's first FP instruction (arch/riscv/fpu.h). Faults go to the thread's debug fault handler
 * if it has one and is not already in it, else as a message to its fault
 * endpoint (ipc/fault.c) if it has one; otherwise they are reported on the
 * console ("FAULT: ...") and the thread stops, its TCB recording the
 * cause, pc and address for whoever supervises it (SEL_TCB_GET_STATE).
 */
#include "arch/riscv/trap.h"
#include "arch/riscv/csr.h"
#include "arch/riscv/fpu.h"
#include "arch/riscv/hart.h"
#include "arch/riscv/timer.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "ipc/ipc.h"
#include "ipc/uintr.h"
#include "object/irq.h"
#include "object/tcb.h"
#include "sched/scheduler.h"
#include <selene/object.h>

extern char trap_entry[];

void trap_init_hart(void)
{
	csr_write(stvec, (uint64_t)trap_entry);
	csr_write(sscratch, 0);
	csr_clear(sstatus, SSTATUS_SIE | SSTATUS_SPP | SSTATUS_SUM | SSTATUS_FS);
	csr_set(sie, BIT(IRQ_S_SOFT) | BIT(IRQ_S_EXT));
	/* User code may read cycle, time and instret (benchmarks, clocks). */
	csr_write(scounteren, 7);
}

const char *trap_cause_name(uint64_t cause)
{
	static const char *const names[] = {
	    [CAUSE_MISALIGNED_FETCH] = "misaligned fetch",
	    [CAUSE_FETCH_ACCESS] = "fetch access fault",
	    [CAUSE_ILLEGAL_INSN] = "illegal instruction",
	    [CAUSE_BREAKPOINT] = "breakpoint",
	    [CAUSE_MISALIGNED_LOAD] = "misaligned load",
	    [CAUSE_LOAD_ACCESS] = "load access fault",
	    [CAUSE_MISALIGNED_STORE] = "misaligned store/AMO",
	    [CAUSE_STORE_ACCESS] = "store/AMO access fault",
	    [CAUSE_USER_ECALL] = "ecall from U",
	    [CAUSE_FETCH_PAGE_FAULT] = "instruction page fault",
	    [CAUSE_LOAD_PAGE_FAULT] = "load page fault",
	    [CAUSE_STORE_PAGE_FAULT] = "store/AMO page fault",
	};

	if (cause < ARRAY_SIZE(names) && names[cause])
		return names[cause];
	return "unknown cause";
}

/* Enters the thread's fault handler: a0 = cause, a1 = pc, a2 = stval. */
static void divert_to_fault_handler(struct tcb *t, uint64_t cause, uint64_t stval)
{
	uint64_t pc = t->ctx.pc;

	t->in_fault_handler = true;
	t->ctx.regs[REG_A0] = cause;
	t->ctx.regs[REG_A0 + 1] = pc;
	t->ctx.regs[REG_A0 + 2] = stval;
	t->ctx.regs[REG_SP] = t->fault_handler_sp;
	t->ctx.pc = t->fault_handler_pc;
}

void fault_unhandled(struct tcb *t, uint64_t cause, uint64_t stval)
{
	if (t->name[0])
		printk("FAULT: thread %s cause %lu (%s) pc 0x%lx stval 0x%lx\n", t->name, cause,
		       trap_cause_name(cause), t->ctx.pc, stval);
	else
		printk("FAULT: thread %p cause %lu (%s) pc 0x%lx stval 0x%lx\n", (void *)t, cause,
		       trap_cause_name(cause), t->ctx.pc, stval);
	t->fault_pc = t->ctx.pc;
	t->fault_addr = stval;
	sched_stop(t, SEL_STOP_FAULTED, cause);
}

/* The debug fault handler (in-thread) first, then the fault endpoint. */
static void handle_fault(struct tcb *t, uint64_t cause, uint64_t stval)
{
	if (cause == CAUSE_USER_ECALL) { /* the one syscall that takes this path: uret */
		uintr_uret(t);
		return;
	}
	if (cause == CAUSE_ILLEGAL_INSN && fpu_claim(this_hart(), t))
		return; /* its first FP instruction: run it again with the FPU on */
	if (t->fault_handler_pc && !t->in_fault_handler)
		divert_to_fault_handler(t, cause, stval);
	else if (!fault_send(t, cause, stval, 0))
		fault_unhandled(t, cause, stval);
}

static void handle_interrupt(struct hart *h, uint64_t irq)
{
	switch (irq) {
	case IRQ_S_TIMER:
		timer_tick(h);
		break;
	case IRQ_S_SOFT:
		csr_clear(sip, BIT(IRQ_S_SOFT));
		uintr_drain(h);
		break;
	case IRQ_S_EXT:
		irq_handle();
		break;
	default:
		panic("unexpected interrupt %lu", irq);
	}
}

NORETURN void trap_user(struct context *ctx)
{
	uint64_t cause = csr_read(scause), stval = csr_read(stval);
	struct hart *h = this_hart();

	__atomic_store_n(&h->in_user, NULL, __ATOMIC_RELEASE);
	kernel_lock();
	if (cause & SCAUSE_INTERRUPT)
		handle_interrupt(h, cause & ~SCAUSE_INTERRUPT);
	else if (h->current) /* NULL: another hart took the thread away meanwhile */
		handle_fault(h->current, cause, stval);
	(void)ctx;
	sched_return_to_user();
}

NORETURN void kernel_trap(void)
{
	uint64_t cause = csr_read(scause);

	panic("trap in kernel mode: %s%s", cause & SCAUSE_INTERRUPT ? "interrupt " : "",
	      cause & SCAUSE_INTERRUPT ? "" : trap_cause_name(cause));
}
