/*
 * Assembly macros shared by trap_entry.S and fast_entry.S: the syscall
 * context saved on entry (the registers the ABI preserves and the resume
 * pc) and restored on exit. Included by assembly only.
 */
#ifndef SELENE_ARCH_SYSCALL_SAVE_H
#define SELENE_ARCH_SYSCALL_SAVE_H

#include "arch/riscv/context.h"

/*
 * On entry with sp = the context and the user's sp in sscratch: saves ra,
 * sp, gp, tp, s0-s11 and pc + 4, marks the context a syscall one, and moves
 * to the hart's kernel stack with tp = the hart and sscratch = 0. Uses t0.
 */
.macro SAVE_SYSCALL_CONTEXT
	sd	ra, CTX_REG(1)(sp)
	sd	gp, CTX_REG(3)(sp)
	sd	tp, CTX_REG(4)(sp)
	sd	s0, CTX_REG(8)(sp)
	sd	s1, CTX_REG(9)(sp)
	sd	s2, CTX_REG(18)(sp)
	sd	s3, CTX_REG(19)(sp)
	sd	s4, CTX_REG(20)(sp)
	sd	s5, CTX_REG(21)(sp)
	sd	s6, CTX_REG(22)(sp)
	sd	s7, CTX_REG(23)(sp)
	sd	s8, CTX_REG(24)(sp)
	sd	s9, CTX_REG(25)(sp)
	sd	s10, CTX_REG(26)(sp)
	sd	s11, CTX_REG(27)(sp)
	csrr	t0, sscratch
	sd	t0, CTX_REG(2)(sp)
	csrr	t0, sepc
	addi	t0, t0, 4
	sd	t0, CTX_PC(sp)
	sd	zero, CTX_FULL(sp)
	ld	tp, CTX_HART(sp)
	ld	sp, 0(tp)			/* hart->kstack_top */
	csrw	sscratch, zero
.endm

/* Loads ra, sp, gp, tp and s0-s11 from the context at \base (not sp). */
.macro LOAD_PRESERVED base
	ld	ra, CTX_REG(1)(\base)
	ld	sp, CTX_REG(2)(\base)
	ld	gp, CTX_REG(3)(\base)
	ld	tp, CTX_REG(4)(\base)
	ld	s0, CTX_REG(8)(\base)
	ld	s1, CTX_REG(9)(\base)
	ld	s2, CTX_REG(18)(\base)
	ld	s3, CTX_REG(19)(\base)
	ld	s4, CTX_REG(20)(\base)
	ld	s5, CTX_REG(21)(\base)
	ld	s6, CTX_REG(22)(\base)
	ld	s7, CTX_REG(23)(\base)
	ld	s8, CTX_REG(24)(\base)
	ld	s9, CTX_REG(25)(\base)
	ld	s10, CTX_REG(26)(\base)
	ld	s11, CTX_REG(27)(\base)
.endm

/* Zeroes t1-t6 (t0 is left to the caller: it is often the base register). */
.macro ZERO_T1_T6
	li	t1, 0
	li	t2, 0
	li	t3, 0
	li	t4, 0
	li	t5, 0
	li	t6, 0
.endm

#endif /* SELENE_ARCH_SYSCALL_SAVE_H */
