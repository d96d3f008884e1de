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
	.option push
	.option arch, +d
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	fsd	f\n, (\n * 8)(sp)
	.endr
	frcsr	t0
	sd	t0, 256(sp)
	.option pop
1:
	.option push
	.option norelax
	la	gp, __global_pointer$	/* the interrupted code may have used gp */
	.option pop
	ld	t0, U_ARG(s1)
	mv	a1, s0
	jalr	t0			/* fn(pending, frame) */
	beqz	s2, 1f
	addi	t3, s0, -FPFRAME	/* the FP frame, whatever the handler left in sp */
	.option push
	.option arch, +d
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	fld	f\n, (\n * 8)(t3)
	.endr
	ld	t0, 256(t3)
	fscsr	t0
	.option pop
1:

	/* Diverted inside sel_uintr_wait_unless before its wait (uintr_wait.S)? Restart it. */
	ld	t0, 0(s0)
	lla	t1, sel_uintr_wait_unless
	bltu	t0, t1, 2f
	lla	t2, sel_uintr_wait_unless_ecall
	bgtu	t0, t2, 2f
	lla	t2, sel_uintr_wait_no_restart
	ld	t2, 0(t2)
	bnez	t2, 2f			/* the positive control's broken variant */
	sd	t1, 0(s0)
2:
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
1:	j	1b			/* not reached */
