/*
 * The user-interrupt trampoline: the handler entry libsel registers.
 *
 * The kernel diverts a thread here as the N extension would: a0 = the
 * pending set, a1 = the thread's struct sel_uintr_regs (the interrupted pc,
 * sp, a0 and a1, and the handler argument: the C function), sp = the stack
 * to use; every other register still holds the interrupted code's value.
 * The trampoline saves all 31 of them in a struct sel_uintr_frame on that
 * stack (pc and the four from the registers block), calls fn(pending,
 * frame) with gp set for C, then resumes from the frame, which the handler
 * may have edited (and that it moves back to the start of
 * sel_uintr_wait_unless if it interrupted that function before its wait:
 * uintr_wait.S): pc, sp, a0, a1 and a7 go back through the registers
 * block (uret takes them from there), everything else is loaded here, and
 * the ecall with a7 = SEL_SYS_UINTR_RET resumes the interrupted code.
 *
 * The FP registers: when the kernel says the interrupted code's are live
 * (ufpu in the registers block: it has used the FPU), f0-f31 and fcsr are
 * stored in an FP frame below the frame before the call and loaded back
 * after it, so a handler may use floating point freely. Otherwise they are
 * not touched (a thread that never used the FPU has none to keep), and the
 * cost is one load and two branches.
 */
#define FRAME 256		/* sizeof(struct sel_uintr_frame) */
#define F_X(n) ((n) * 8)	/* frame.x[n - 1]: register xn; frame.pc at 0 */
#define U_EPC  0		/* struct sel_uintr_regs */
#define U_SP   8
#define U_A0   16
#define U_A1   24
#define U_A7   32
#define U_ARG  40
#define U_FPU  48
#define FPFRAME 272		/* f0-f31, fcsr at 256; a multiple of 16 */

/* f0-f31 and fcsr to the FP frame at `base`; tmp is clobbered. */
.macro FP_SAVE base, tmp
	.option push
	.option arch, +d
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	fsd	f\n, (\n * 8)(\base)
	.endr
	frcsr	\tmp
	sd	\tmp, 256(\base)
	.option pop
.endm

.macro FP_LOAD base, tmp
	.option push
	.option arch, +d
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	fld	f\n, (\n * 8)(\base)
	.endr
	ld	\tmp, 256(\base)
	fscsr	\tmp
	.option pop
.endm

/*
 * Diverted inside sel_uintr_wait_unless between its check and its wait
 * (uintr_wait.S)? Then *pcp = the check. t0-t2 are clobbered.
 */
.macro RESTART_WAIT pcp
	ld	t0, 0(\pcp)
	lla	t1, sel_uintr_wait_unless_check
	bltu	t0, t1, 2f
	lla	t2, sel_uintr_wait_unless_ecall
	bgtu	t0, t2, 2f
	lla	t2, sel_uintr_wait_no_restart
	ld	t2, 0(t2)
	bnez	t2, 2f			/* the positive control's broken variant */
	sd	t1, 0(\pcp)
2:
.endm

.macro SET_GP
	.option push
	.option norelax
	la	gp, __global_pointer$	/* the interrupted code may have used gp */
	.option pop
.endm

	.section .text
	.globl sel_uintr_trampoline
sel_uintr_trampoline:
	andi	sp, sp, -16
	addi	sp, sp, -FRAME
	.irp	n, 1, 3, 4, 5, 6, 7, 8, 9, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	sd	x\n, F_X(\n)(sp)	/* all but sp, a0, a1: from the registers block below */
	.endr
	ld	t0, U_EPC(a1)
	sd	t0, 0(sp)
	ld	t0, U_SP(a1)
	sd	t0, F_X(2)(sp)
	ld	t0, U_A0(a1)
	sd	t0, F_X(10)(sp)
	ld	t0, U_A1(a1)
	sd	t0, F_X(11)(sp)
	mv	s0, sp			/* the frame */
	mv	s1, a1			/* the registers block */
	ld	s2, U_FPU(s1)		/* the interrupted code's FP registers are live */
	beqz	s2, 1f
	addi	sp, sp, -FPFRAME
	FP_SAVE	sp, t0
1:	SET_GP
	ld	t0, U_ARG(s1)
	mv	a1, s0
	jalr	t0			/* fn(pending, frame) */
	beqz	s2, 1f
	addi	t3, s0, -FPFRAME	/* the FP frame, whatever the handler left in sp */
	FP_LOAD	t3, t0
1:	RESTART_WAIT s0
	ld	t0, 0(s0)
	sd	t0, U_EPC(s1)
	ld	t0, F_X(2)(s0)
	sd	t0, U_SP(s1)
	ld	t0, F_X(10)(s0)
	sd	t0, U_A0(s1)
	ld	t0, F_X(11)(s0)
	sd	t0, U_A1(s1)
	ld	t0, F_X(17)(s0)
	sd	t0, U_A7(s1)
	mv	a1, s0
	.irp	n, 1, 3, 4, 5, 6, 7, 8, 9, 12, 13, 14, 15, 16, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	ld	x\n, F_X(\n)(a1)	/* all but sp, a0, a1, a7: uret takes those */
	.endr
	li	a7, 11			/* SEL_SYS_UINTR_RET: pc, sp, a0, a1, a7 from the block */
	ecall
	unimp				/* a uret refused (not in a handler): fault, do not spin */

/*
 * The light trampoline (sel_uintr_register_light): a handler fn(pending)
 * that sees no frame, so only what a C function may clobber is kept: ra,
 * gp (set for C), t0-t6 and a2-a6 on the stack, a7 straight into the
 * registers block (uret takes it from there, with pc, sp, a0 and a1); the
 * callee-saved registers survive the call by the C convention. The FP
 * registers as above, when ufpu says they are live.
 */
#define LFRAME 128		/* 14 registers and the block's address, 16-byte aligned */
#define L(n) (FPFRAME + (n) * 8)	/* the FP frame below them, used when ufpu is set */
	.globl sel_uintr_trampoline_light
sel_uintr_trampoline_light:
	andi	sp, sp, -16
	addi	sp, sp, -(LFRAME + FPFRAME)
	sd	ra, L(0)(sp)
	sd	gp, L(1)(sp)
	sd	t0, L(2)(sp)
	sd	t1, L(3)(sp)
	sd	t2, L(4)(sp)
	sd	a2, L(5)(sp)
	sd	a3, L(6)(sp)
	sd	a4, L(7)(sp)
	sd	a5, L(8)(sp)
	sd	a6, L(9)(sp)
	sd	t3, L(10)(sp)
	sd	t4, L(11)(sp)
	sd	t5, L(12)(sp)
	sd	t6, L(13)(sp)
	sd	a1, L(14)(sp)
	sd	a7, U_A7(a1)		/* uret resumes with it */
	ld	t0, U_FPU(a1)
	bnez	t0, 8f
6:	SET_GP
	ld	t0, U_ARG(a1)
	jalr	t0			/* fn(pending) */
	ld	a1, L(14)(sp)
	ld	t0, U_FPU(a1)
	bnez	t0, 9f
7:	RESTART_WAIT a1		/* uepc is at offset 0 of the block */
	ld	ra, L(0)(sp)
	ld	gp, L(1)(sp)
	ld	t0, L(2)(sp)
	ld	t1, L(3)(sp)
	ld	t2, L(4)(sp)
	ld	a2, L(5)(sp)
	ld	a3, L(6)(sp)
	ld	a4, L(7)(sp)
	ld	a5, L(8)(sp)
	ld	a6, L(9)(sp)
	ld	t3, L(10)(sp)
	ld	t4, L(11)(sp)
	ld	t5, L(12)(sp)
	ld	t6, L(13)(sp)
	li	a7, 11			/* SEL_SYS_UINTR_RET: pc, sp, a0, a1, a7 from the block */
	ecall
	unimp				/* a uret refused (not in a handler): fault, do not spin */
8:	FP_SAVE	sp, t0
	j	6b
9:	FP_LOAD	sp, t0
	j	7b
