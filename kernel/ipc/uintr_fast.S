/*
 * The user-interrupt fast paths, straight from trap_entry.S: the send, the
 * diversion of a thread that sends to itself, and uret, none of which
 * saves the thread's context.
 *
 * On entry sp = the thread's context (its TCB), sscratch = the user's sp,
 * the user's t0 is in the context and every other register is the user's.
 *
 * uintr_send_fast (a0 = sender table index). The protocol is the C send's
 * (ipc/uintr.c, docs/uintr.md): this hart's uintr_seq odd, a full fence,
 * the table word, one amoor into the receiver's pending set, then one word
 * of receiver state: its bound thread, and whether that thread sleeps.
 * Done here when nothing more is needed: no thread bound; or a thread that
 * does not sleep in wait and is not in user mode on another hart. A send
 * to the sender's own receiver diverts it here to its handler (the
 * diversion uintr_deliver() makes, inline) when it can take it. Everything
 * else -- a sleeping thread to wake, another hart to kick, a thread whose
 * IPC buffer is not a plain frame -- continues in C (uintr_send_finish())
 * with the bit set and the epoch still open; a bad or empty index, before
 * anything is set, goes to the generic syscall path (trap_syscall) that
 * returns the error. The registers: a0 = SEL_OK, a1-a7 and t0-t6 zero, as
 * the syscall ABI says; the diversion gives a0 = the pending set and a1 =
 * the registers block, as uintr_deliver() does.
 *
 * uintr_uret_fast: the thread is in its handler, nothing is pending for it
 * and its FPU needs no discarding: pc, sp, a0, a1 and a7 come from its
 * user-interrupt registers and every other register stays as it is (t1
 * and t2 are borrowed and given back). Otherwise user_full_entry, where
 * uintr_uret() does the same in C and delivers what is pending.
 *
 * The registers block is read from the IPC buffer's Frame cap in the TCB
 * slot, without the big lock, so both paths read it inside this hart's
 * send epoch (uintr_seq odd): removing the Frame cap of a TCB's IPC
 * buffer slot (CAP_FLAG_IPC_BUFFER) waits in uintr_sync() until no hart is
 * inside one (object/uintr_cap.c); the frame outlives that copy of its cap,
 * so it cannot be freed and reused under the read or the write.
 *
 * A send from another hart that sets a bit while this hart is here reads
 * in_user, which names our thread all along (it is not cleared on these
 * paths), and kicks us: the interrupt is taken right after sret and
 * delivers. uintr_fast_on == 0 sends every case down the C paths.
 */
#include "arch/riscv/context.h"
#include "arch/riscv/syscall_save.inc"
#include "ipc/uintr_fast.h"

#define UBLOCK (TCB_OFF_IPCBUF_CAP)

/*
 * reg = the kernel's address of the thread's struct sel_uintr_regs (the
 * IPC buffer's Frame cap in its TCB slot, as ipc_buffer() computes it),
 * or a jump to `fail` if that slot holds no plain Frame. Uses tmp.
 */
.macro UREGS reg, tmp, fail
	lbu	\reg, UBLOCK + CAP_OFF_TYPE(sp)
	addi	\reg, \reg, -OBJ_FRAME
	bnez	\reg, \fail
	lbu	\reg, UBLOCK + CAP_OFF_FLAGS(sp)
	andi	\reg, \reg, CAP_DEVICE
	bnez	\reg, \fail
	lbu	\tmp, UBLOCK + CAP_OFF_SIZE_BITS(sp)
	li	\reg, -1
	sll	\reg, \reg, \tmp
	not	\reg, \reg			/* the frame's offset mask */
	ld	\tmp, TCB_OFF_IPC_BUFFER(sp)
	and	\reg, \reg, \tmp
	ld	\tmp, UBLOCK + CAP_OFF_OBJECT(sp)
	add	\reg, \reg, \tmp
	addi	\reg, \reg, IPCBUF_OFF_UINTR
.endm

/* Leaves this hart's send epoch: seq = the odd value it holds, h = the hart. */
.macro EPOCH_END seq, h
	fence	rw, w
	addi	\seq, \seq, 1
	sd	\seq, HART_OFF_UINTR_SEQ(\h)
.endm

/* Debug kernels: branch to `to` if the injected bug `bit` is on (positive controls). */
.macro BUG bit, tmp, to
#ifdef SELENE_DEBUG
	lla	\tmp, uintr_fast_bugs
	lw	\tmp, 0(\tmp)
	andi	\tmp, \tmp, \bit
	bnez	\tmp, \to
#endif
.endm

	.section .text
	.balign 4
	.globl uintr_send_fast
uintr_send_fast:
	lla	t0, uintr_fast_on
	lw	t0, 0(t0)
	beqz	t0, trap_syscall
	li	t0, UITT_SIZE
	bgeu	a0, t0, trap_syscall		/* SEL_ERR_RANGE, from C */
	ld	t1, CTX_HART(sp)
	ld	t2, HART_OFF_UINTR_SEQ(t1)
	addi	t2, t2, 1
	sd	t2, HART_OFF_UINTR_SEQ(t1)	/* odd: a finaliser waits for us */
	fence	rw, rw				/* ... before we read the table */
	slli	t0, a0, 3
	add	t0, t0, sp
	ld	t0, TCB_OFF_UITT(t0)		/* receiver | vector */
	beqz	t0, .Lempty
	andi	t3, t0, UITT_VECTOR_MASK
	xor	t0, t0, t3			/* the receiver */
	li	t4, 1
	sll	t4, t4, t3
	amoor.d.aqrl zero, t4, (t0)		/* pending |= 1 << vector */
	ld	t3, RECV_OFF_TCB(t0)		/* its thread */
	beqz	t3, .Lsent			/* none: the bit waits for one */
	ld	t4, RECV_OFF_SLEEPING(t0)
	BUG	FAST_BUG_NO_WAKE, t5, 1f
	bnez	t4, .Lfinish			/* it sleeps in wait: C wakes it */
1:	beq	t3, sp, .Ldivert		/* to ourselves */
	ld	t4, CTX_HART(t3)
	beqz	t4, .Lsent			/* it never ran */
	ld	t4, HART_OFF_IN_USER(t4)
	beq	t4, t3, .Lfinish		/* in user mode on another hart: C kicks it */
.Lsent:
	EPOCH_END t2, t1
	csrr	t0, sepc
	addi	t0, t0, 4
	csrw	sepc, t0
	li	a0, 0				/* SEL_OK */
	li	a1, 0
.Lscrub:					/* a2-a7 and t0-t6 zero, back to user mode */
	SCRUB_A2_A7_T0_T6
	csrrw	sp, sscratch, sp
	sret

.Lempty:					/* SEL_ERR_EMPTY_SLOT, from C */
	EPOCH_END t2, t1
	j	trap_syscall

/*
 * A send to ourselves (t0 = our receiver, t1 = the hart, t2 = the odd
 * epoch): in our handler or masked, the bit waits (as in C); else the
 * diversion uintr_deliver() makes, here: the interrupted pc (after the
 * ecall), sp, a0 (SEL_OK) and a1 (0) and the handler argument and ufpu go
 * to the registers block, the pending set is claimed with one amoswap, and
 * we leave at the handler with a0 = the set, a1 = the block's address.
 */
.Ldivert:
	lbu	t3, TCB_OFF_INHANDLER(sp)
	BUG	FAST_BUG_REENTER, t5, 1f
	bnez	t3, .Lsent
1:	lbu	t3, TCB_OFF_MASKED(sp)
	bnez	t3, .Lsent
	UREGS	t3, t4, .Lfinish
	csrr	t4, sepc
	addi	t4, t4, 4
	sd	t4, UREGS_EPC(t3)
	csrr	t4, sscratch
	sd	t4, UREGS_SP(t3)
	sd	zero, UREGS_A0(t3)
	sd	zero, UREGS_A1(t3)
	ld	t5, TCB_OFF_UARG(sp)
	sd	t5, UREGS_ARG(t3)
	ld	t5, TCB_OFF_FPU_HART(sp)
	snez	t6, t5
	sd	t6, UREGS_FPU(t3)		/* its FP registers are live */
	seqz	t6, t5
	sb	t6, TCB_OFF_FPU_FRESH(sp)
	li	t6, 1
	sb	t6, TCB_OFF_INHANDLER(sp)
	ld	t5, TCB_OFF_UHANDLER(sp)
	csrw	sepc, t5
	ld	t5, TCB_OFF_USTACK(sp)
	bnez	t5, 1f
	mv	t5, t4				/* no alternate stack: the interrupted sp */
1:	csrw	sscratch, t5
	amoswap.d.aqrl a0, zero, (t0)		/* claim the pending set */
	EPOCH_END t2, t1
	ld	a1, TCB_OFF_IPC_BUFFER(sp)
	addi	a1, a1, IPCBUF_OFF_UINTR
	j	.Lscrub

/* The bit is set and the epoch open: the rest in C, the syscall context saved. */
.Lfinish:
	mv	a0, t0
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
	mv	tp, t1
	ld	sp, 0(tp)			/* hart->kstack_top */
	csrw	sscratch, zero
	call	uintr_send_finish
1:	j	1b				/* not reached */

	.globl uintr_uret_fast
uintr_uret_fast:
	lla	t0, uintr_fast_on
	lw	t0, 0(t0)
	beqz	t0, user_full_entry
	sd	t1, CTX_REG(6)(sp)
	sd	t2, CTX_REG(7)(sp)
	lbu	t0, TCB_OFF_INHANDLER(sp)
	beqz	t0, .Luret_slow			/* not in a handler: C refuses it */
	lbu	t0, TCB_OFF_FPU_FRESH(sp)
	beqz	t0, 1f
	ld	t0, TCB_OFF_FPU_HART(sp)
	bnez	t0, .Luret_slow			/* FP state to discard: C */
1:	ld	t0, TCB_OFF_UINTR(sp)
	beqz	t0, .Luret_slow
	ld	t0, RECV_OFF_PENDING(t0)
	BUG	FAST_BUG_NO_RECHECK, t1, 1f
	bnez	t0, .Luret_slow			/* more to deliver: C diverts again */
1:	ld	a0, CTX_HART(sp)		/* a0, a1, a7 are free: uret reloads them */
	ld	a1, HART_OFF_UINTR_SEQ(a0)
	addi	a1, a1, 1
	sd	a1, HART_OFF_UINTR_SEQ(a0)	/* odd: a Frame's removal waits for us */
	fence	rw, rw
	UREGS	t1, t2, .Luret_slow_epoch
	sb	zero, TCB_OFF_INHANDLER(sp)
	ld	t2, UREGS_EPC(t1)
	csrw	sepc, t2
	ld	t2, UREGS_SP(t1)
	csrw	sscratch, t2
	ld	a7, UREGS_A7(t1)
	ld	t0, UREGS_A0(t1)
	ld	t2, UREGS_A1(t1)
	EPOCH_END a1, a0
	mv	a0, t0
	mv	a1, t2
	ld	t0, CTX_REG(5)(sp)
	ld	t1, CTX_REG(6)(sp)
	ld	t2, CTX_REG(7)(sp)
	csrrw	sp, sscratch, sp
	sret
.Luret_slow_epoch:
	EPOCH_END a1, a0
.Luret_slow:					/* every register but t0 the user's again */
	ld	t1, CTX_REG(6)(sp)
	ld	t2, CTX_REG(7)(sp)
	j	user_full_entry
