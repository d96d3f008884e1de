/*
 * The fast paths from the entry: Call and ReplyRecv, Yield, and Signal and
 * Poll on a notification, sorted by trap_entry.S before anything generic
 * runs (ipc/fastpath.c holds their C halves and states their
 * preconditions; docs/performance.md counts their instructions).
 *
 * Each is entered from trap_entry.S with sp = the caller's context, the
 * user's sp in sscratch and the user's t0 saved, a0-a7 as the user left
 * them. When a precondition fails it goes to the generic path with the
 * syscall context complete and the arguments as they were.
 */
#include "arch/riscv/context.h"
#include "arch/riscv/fast_entry.h"
#include "arch/riscv/syscall_save.inc"

	.section .text
	.balign 4

/*
 * Call, ReplyRecv: the syscall context is saved (the caller blocks), the
 * message stays in registers: a0-a7 are copied to s0-s7 (saved already)
 * across fastpath_ipc(), which returns the thread to switch to, its badge
 * written in its context's a7, or NULL. The receiver gets a0 = SEL_OK, a1 = the info, a2-a6 =
 * the words, a7 = the badge, and t0-t6 zero.
 */
	.globl fast_ipc_entry
fast_ipc_entry:
	SAVE_SYSCALL_CONTEXT
	mv	s0, a0
	mv	s1, a1
	mv	s2, a2
	mv	s3, a3
	mv	s4, a4
	mv	s5, a5
	mv	s6, a6
	mv	s7, a7
	mv	a2, a7
	call	fastpath_ipc
	beqz	a0, 1f
	csrw	sscratch, a0
	ld	t1, CTX_PC(a0)
	csrw	sepc, t1
	mv	t0, a0
	ld	a7, CTX_REG(17)(a0)		/* the badge */
	mv	a1, s1
	mv	a2, s2
	mv	a3, s3
	mv	a4, s4
	mv	a5, s5
	mv	a6, s6
	li	a0, 0
	LOAD_PRESERVED t0
	ZERO_T1_T6
	li	t0, 0
	sret
1:	mv	a0, s0
	mv	a1, s1
	mv	a2, s2
	mv	a3, s3
	mv	a4, s4
	mv	a5, s5
	mv	a6, s6
	mv	a7, s7
	call	fastpath_slow
	unimp					/* not reached */

/*
 * Yield with one hart online: when nothing of the caller's priority or
 * above is ready on this hart (the hart's ready_top) and the caller has no
 * user-interrupt receiver, Yield is a null syscall: answered as SEL_SYS_NULL
 * is, nothing saved. With more harts online Yield takes the generic path,
 * under the big lock (another hart may be changing this hart's queues or
 * taking this thread away, and waits for this hart to enter the kernel).
 */
	.globl fast_yield_entry
fast_yield_entry:
	la	t0, harts_online
	lw	t0, 0(t0)
	addi	t0, t0, -1
	bnez	t0, syscall_generic_entry
	ld	t0, TCB_UINTR(sp)
	bnez	t0, syscall_generic_entry
	ld	t0, CTX_HART(sp)
	ld	t0, HART_READY_TOP(t0)
	lwu	t1, TCB_PRIORITY(sp)
	bleu	t0, t1, sys_null_entry		/* ready_top <= priority: nobody to yield to */
	j	syscall_generic_entry

/*
 * Signal (Send, NBSend), Poll (NBRecv), with one hart online (with more they
 * take the generic path). First in assembly alone, nothing saved, when the
 * caller's fast-path view is current and was computed with one hart online
 * (struct tcb: fast_epoch equal to tcb_fast_epoch, bit 0 clear; harts_online
 * is tested only when it is not): the cap by
 * one indexed load in its flat CSpace, a notification with the right the
 * operation needs; Poll takes the word, Signal with nobody waiting on the
 * notification and no bound thread in Recv ORs in its badge. This is
 * fastpath_ntfn()'s common case, instruction for instruction (t1-t6 are
 * free: the exit zeroes them). A Signal that finds a waiter, or the bound
 * thread in Recv, saves the syscall context and goes to
 * fastpath_ntfn_slow() at once (.Lntfn_wake). Otherwise, since the caller keeps running,
 * only what C may clobber is saved (ra, sp, tp) with the arguments, in case
 * the generic path must run; fastpath_ntfn() returns the caller, its a7
 * written in its context, or NULL. The result is a0 = SEL_OK, a7 = the word
 * taken (Poll), every other argument and temporary register zero.
 */
	.globl fast_ntfn_entry
fast_ntfn_entry:
	ld	t1, TCB_FAST_EPOCH(sp)
2:	auipc	t2, %pcrel_hi(tcb_fast_epoch)
	ld	t2, %pcrel_lo(2b)(t2)
	bne	t1, t2, .Lntfn_c		/* a stale view or more harts: C, or the generic path */
	ld	t1, TCB_FAST_BASE(sp)
	ld	t2, TCB_FAST_LIMIT(sp)
	sub	t1, a0, t1			/* the slot's index, if below the limit */
	bgeu	t1, t2, .Lntfn_c
	ld	t2, TCB_FAST_SLOTS(sp)
	slli	t1, t1, CTE_SHIFT
	add	t1, t1, t2			/* the slot */
	lbu	t2, CAP_TYPE(t1)
	addi	t2, t2, -OBJ_NTFN
	bnez	t2, .Lntfn_c
	lbu	t2, CAP_RIGHTS(t1)
	ld	t3, CAP_OBJECT(t1)		/* the notification */
	addi	t4, a7, -SYS_NR_NB_RECV
	bnez	t4, .Lsignal
	andi	t2, t2, RIGHT_READ		/* Poll: take the word */
	beqz	t2, .Lntfn_c
	ld	a7, NTFN_WORD(t3)
	sd	zero, NTFN_WORD(t3)
	sd	zero, NTFN_ACTIVE(t3)
	j	.Lntfn_done
.Lsignal:
	andi	t2, t2, RIGHT_WRITE		/* Signal: set bits, when that is all it does */
	beqz	t2, .Lntfn_c
	ld	t4, NTFN_HEAD(t3)
	bnez	t4, .Lntfn_wake			/* a waiter to wake */
	ld	t4, NTFN_BOUND(t3)
	beqz	t4, 3f
	lw	t4, TCB_STATE(t4)
	addi	t4, t4, -STATE_RECV
	beqz	t4, .Lntfn_wake			/* the bound thread waits in Recv */
3:	ld	t4, CAP_BADGE(t1)
	ld	t5, NTFN_WORD(t3)
	li	t6, 1
	or	t5, t5, t4
	sd	t5, NTFN_WORD(t3)
	sd	t6, NTFN_ACTIVE(t3)
	li	a7, 0
.Lntfn_done:
	csrr	t0, sepc
	addi	t0, t0, 4
	csrw	sepc, t0
	csrrw	sp, sscratch, sp		/* the user's sp back; sscratch = ctx again */
	li	a0, 0
	li	a1, 0
	li	a2, 0
	li	a3, 0
	li	a4, 0
	li	a5, 0
	li	a6, 0
	li	t0, 0
	ZERO_T1_T6
	sret
/*
 * A Signal that wakes a thread, decided here: the syscall context saved at
 * once (its arguments in a0-a7 untouched), then fastpath_ntfn_slow(), which
 * switches to a waiter of higher priority or takes the generic path.
 */
.Lntfn_wake:
	SAVE_SYSCALL_CONTEXT
	call	fastpath_ntfn_slow
	unimp					/* not reached */
.Lntfn_c:
1:	auipc	t0, %pcrel_hi(harts_online)
	lw	t0, %pcrel_lo(1b)(t0)
	addi	t0, t0, -1
	bnez	t0, syscall_generic_entry
	sd	ra, CTX_REG(1)(sp)
	sd	tp, CTX_REG(4)(sp)
	sd	a0, CTX_REG(10)(sp)
	sd	a1, CTX_REG(11)(sp)
	sd	a2, CTX_REG(12)(sp)
	sd	a3, CTX_REG(13)(sp)
	sd	a4, CTX_REG(14)(sp)
	sd	a5, CTX_REG(15)(sp)
	sd	a6, CTX_REG(16)(sp)
	sd	a7, CTX_REG(17)(sp)
	csrr	t0, sscratch
	sd	t0, CTX_REG(2)(sp)
	mv	t0, sp
	ld	tp, CTX_HART(sp)
	ld	sp, 0(tp)			/* hart->kstack_top */
	csrw	sscratch, zero
	addi	sp, sp, -16
	sd	t0, 0(sp)			/* the context, for the generic path */
	mv	a1, a7
	call	fastpath_ntfn
	beqz	a0, 1f
	csrw	sscratch, a0
	csrr	t1, sepc
	addi	t1, t1, 4
	csrw	sepc, t1
	mv	t0, a0
	ld	a7, CTX_REG(17)(a0)		/* the word Poll took, or 0 */
	ld	ra, CTX_REG(1)(t0)
	ld	sp, CTX_REG(2)(t0)
	ld	tp, CTX_REG(4)(t0)
	li	a0, 0
	li	a1, 0
	li	a2, 0
	li	a3, 0
	li	a4, 0
	li	a5, 0
	li	a6, 0
	ZERO_T1_T6
	li	t0, 0
	sret
1:	ld	t0, 0(sp)			/* the rest of the syscall context */
	addi	sp, sp, 16
	STORE_GP_S t0
	csrr	t1, sepc
	addi	t1, t1, 4
	sd	t1, CTX_PC(t0)
	sd	zero, CTX_FULL(t0)
	ld	a0, CTX_REG(10)(t0)
	ld	a1, CTX_REG(11)(t0)
	ld	a2, CTX_REG(12)(t0)
	ld	a3, CTX_REG(13)(t0)
	ld	a4, CTX_REG(14)(t0)
	ld	a5, CTX_REG(15)(t0)
	ld	a6, CTX_REG(16)(t0)
	ld	a7, CTX_REG(17)(t0)
	call	fastpath_ntfn_slow
	unimp					/* not reached */
