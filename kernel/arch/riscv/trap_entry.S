/*
 * Trap entry and exit: the first and last instructions of every trap.
 *
 * sscratch holds the running thread's context (struct context, the start of
 * its TCB) while the hart is in user mode, and 0 while it is in the kernel.
 * The kernel runs with interrupts disabled and never traps itself except
 * by a bug, so a trap with sscratch == 0 goes to kernel_trap, which panics.
 *
 * From user mode, by the syscall number in a7 first:
 *  - Call, ReplyRecv, Yield, Signal and Poll: the fast paths of
 *    fast_entry.S (each saves what it needs and falls back to the generic
 *    path below with the syscall context complete);
 *  - the user-interrupt send and uret: ipc/uintr_fast.S, which finishes
 *    them without saving the context when it can, and otherwise comes back
 *    to trap_syscall (send) or user_full_entry (uret) with every register
 *    but t0 as the user left it;
 *  - SEL_SYS_NULL: nothing to do; scrub a0-a7 and t0-t6 (a0 = SEL_OK) and
 *    return at once, saving nothing;
 *  - any other ecall (scause 8), the syscall path: save only what the
 *    syscall ABI preserves (ra, sp, gp, tp, s0-s11) plus the resume pc,
 *    then call syscall_entry() with (a0..a6, a7), the user's argument
 *    registers intact;
 *  - anything else (interrupt or fault), and a uret the fast path leaves
 *    (it resumes interrupted code and so must keep every register): save
 *    all 31 registers and call trap_user(ctx).
 * Both run C on the hart's kernel stack with tp = the hart, and neither C
 * function returns: they leave through arch_return_to_user(ctx).
 */
#include "arch/riscv/context.h"
#include "arch/riscv/fast_entry.h"
#include "arch/riscv/syscall_save.inc"
#include "ipc/uintr_fast.h"

	.section .text
	.balign 4
	.globl trap_entry
trap_entry:
	csrrw	sp, sscratch, sp
	beqz	sp, kernel_trap_entry
	sd	t0, CTX_REG(5)(sp)
	csrr	t0, scause
	bltz	t0, user_full_entry		/* interrupt */
	addi	t0, t0, -8
	bnez	t0, user_full_entry		/* fault */
	/* By syscall number: the IPC fast paths (fast_entry.S) first. */
	li	t0, SYS_NR_REPLY_RECV
	bleu	a7, t0, fast_ipc_entry_far	/* Call, ReplyRecv */
	/* User interrupts: ipc/uintr_fast.S (falls back to the two paths below). */
	addi	t0, a7, -SYS_NR_UINTR_SEND
	beqz	t0, uintr_send_fast
	addi	t0, a7, -SYS_NR_URET
	beqz	t0, uintr_uret_fast
	addi	t0, a7, -SYS_NR_NULL
	beqz	t0, sys_null_entry
	addi	t0, a7, -SYS_NR_YIELD
	beqz	t0, fast_yield_entry_far
	addi	t0, a7, -SYS_NR_NB_RECV
	beqz	t0, fast_ntfn_entry_far		/* Poll */
	addi	t0, a7, -SYS_NR_SEND
	sltiu	t0, t0, 2
	bnez	t0, fast_ntfn_entry_far		/* Signal: Send, NBSend */

	/* Syscall: the registers the ABI preserves, and pc + 4. */
	.globl	syscall_generic_entry
	.globl	trap_syscall
syscall_generic_entry:
trap_syscall:
	SAVE_SYSCALL_CONTEXT
	call	syscall_entry
	j	kernel_trap_entry		/* not reached */
fast_ipc_entry_far:
	j	fast_ipc_entry
fast_yield_entry_far:
	j	fast_yield_entry
fast_ntfn_entry_far:
	j	fast_ntfn_entry

	.globl	sys_null_entry
sys_null_entry:
	csrr	t0, sepc
	addi	t0, t0, 4
	csrw	sepc, t0
	csrrw	sp, sscratch, sp		/* the user's sp back; sscratch = ctx again */
	li	a0, 0
	li	a1, 0
	SCRUB_A2_A7_T0_T6
	sret

	.globl	user_full_entry
user_full_entry:
	sd	x1, CTX_REG(1)(sp)
	sd	x3, CTX_REG(3)(sp)
	sd	x4, CTX_REG(4)(sp)
	sd	x6, CTX_REG(6)(sp)
	sd	x7, CTX_REG(7)(sp)
	sd	x8, CTX_REG(8)(sp)
	sd	x9, CTX_REG(9)(sp)
	sd	x10, CTX_REG(10)(sp)
	sd	x11, CTX_REG(11)(sp)
	sd	x12, CTX_REG(12)(sp)
	sd	x13, CTX_REG(13)(sp)
	sd	x14, CTX_REG(14)(sp)
	sd	x15, CTX_REG(15)(sp)
	sd	x16, CTX_REG(16)(sp)
	sd	x17, CTX_REG(17)(sp)
	sd	x18, CTX_REG(18)(sp)
	sd	x19, CTX_REG(19)(sp)
	sd	x20, CTX_REG(20)(sp)
	sd	x21, CTX_REG(21)(sp)
	sd	x22, CTX_REG(22)(sp)
	sd	x23, CTX_REG(23)(sp)
	sd	x24, CTX_REG(24)(sp)
	sd	x25, CTX_REG(25)(sp)
	sd	x26, CTX_REG(26)(sp)
	sd	x27, CTX_REG(27)(sp)
	sd	x28, CTX_REG(28)(sp)
	sd	x29, CTX_REG(29)(sp)
	sd	x30, CTX_REG(30)(sp)
	sd	x31, CTX_REG(31)(sp)
	csrr	t0, sscratch
	sd	t0, CTX_REG(2)(sp)
	csrr	t0, sepc
	sd	t0, CTX_PC(sp)
	li	t0, 1
	sd	t0, CTX_FULL(sp)
	mv	a0, sp
	ld	tp, CTX_HART(sp)
	ld	sp, 0(tp)
	csrw	sscratch, zero
	call	trap_user
	j	kernel_trap_entry		/* not reached */

kernel_trap_entry:
	csrrw	sp, sscratch, sp		/* back to the kernel sp; sscratch = 0 */
	addi	sp, sp, -16
	sd	ra, 8(sp)
	call	kernel_trap			/* panics */
1:	wfi
	j	1b

/*
 * arch_return_to_user(ctx): a0 = the context to resume on this hart.
 * A syscall context restores the preserved registers and the results in
 * a0-a7, and returns zero in t0-t6; a full context restores all 31.
 */
	.globl arch_return_to_user
arch_return_to_user:
	csrw	sscratch, a0
	ld	t0, CTX_PC(a0)
	csrw	sepc, t0
	ld	t0, CTX_FULL(a0)
	bnez	t0, restore_full

	ld	ra, CTX_REG(1)(a0)
	ld	sp, CTX_REG(2)(a0)
	ld	gp, CTX_REG(3)(a0)
	ld	tp, CTX_REG(4)(a0)
	ld	s0, CTX_REG(8)(a0)
	ld	s1, CTX_REG(9)(a0)
	ld	s2, CTX_REG(18)(a0)
	ld	s3, CTX_REG(19)(a0)
	ld	s4, CTX_REG(20)(a0)
	ld	s5, CTX_REG(21)(a0)
	ld	s6, CTX_REG(22)(a0)
	ld	s7, CTX_REG(23)(a0)
	ld	s8, CTX_REG(24)(a0)
	ld	s9, CTX_REG(25)(a0)
	ld	s10, CTX_REG(26)(a0)
	ld	s11, CTX_REG(27)(a0)
	ld	a1, CTX_REG(11)(a0)
	ld	a2, CTX_REG(12)(a0)
	ld	a3, CTX_REG(13)(a0)
	ld	a4, CTX_REG(14)(a0)
	ld	a5, CTX_REG(15)(a0)
	ld	a6, CTX_REG(16)(a0)
	ld	a7, CTX_REG(17)(a0)
	li	t0, 0
	li	t1, 0
	li	t2, 0
	li	t3, 0
	li	t4, 0
	li	t5, 0
	li	t6, 0
	ld	a0, CTX_REG(10)(a0)
	sret

restore_full:
	ld	x1, CTX_REG(1)(a0)
	ld	x2, CTX_REG(2)(a0)
	ld	x3, CTX_REG(3)(a0)
	ld	x4, CTX_REG(4)(a0)
	ld	x5, CTX_REG(5)(a0)
	ld	x6, CTX_REG(6)(a0)
	ld	x7, CTX_REG(7)(a0)
	ld	x8, CTX_REG(8)(a0)
	ld	x9, CTX_REG(9)(a0)
	ld	x11, CTX_REG(11)(a0)
	ld	x12, CTX_REG(12)(a0)
	ld	x13, CTX_REG(13)(a0)
	ld	x14, CTX_REG(14)(a0)
	ld	x15, CTX_REG(15)(a0)
	ld	x16, CTX_REG(16)(a0)
	ld	x17, CTX_REG(17)(a0)
	ld	x18, CTX_REG(18)(a0)
	ld	x19, CTX_REG(19)(a0)
	ld	x20, CTX_REG(20)(a0)
	ld	x21, CTX_REG(21)(a0)
	ld	x22, CTX_REG(22)(a0)
	ld	x23, CTX_REG(23)(a0)
	ld	x24, CTX_REG(24)(a0)
	ld	x25, CTX_REG(25)(a0)
	ld	x26, CTX_REG(26)(a0)
	ld	x27, CTX_REG(27)(a0)
	ld	x28, CTX_REG(28)(a0)
	ld	x29, CTX_REG(29)(a0)
	ld	x30, CTX_REG(30)(a0)
	ld	x31, CTX_REG(31)(a0)
	ld	x10, CTX_REG(10)(a0)
	sret
