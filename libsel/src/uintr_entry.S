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
 */
#define FRAME 256		/* sizeof(struct sel_uintr_frame) */
#define F_X(n) ((n) * 8)	/* frame.x[n - 1]: register xn; frame.pc at 0 */
#define U_EPC  0		/* struct sel_uintr_regs */
#define U_SP   8
#define U_A0   16
#define U_A1   24
#define U_A7   32
#define U_ARG  40

	.section .text
	.globl sel_uintr_trampoline
sel_uintr_trampoline:
	andi	sp, sp, -16
	addi	sp, sp, -FRAME
	sd	x1, F_X(1)(sp)
	sd	x3, F_X(3)(sp)
	sd	x4, F_X(4)(sp)
	sd	x5, F_X(5)(sp)
	sd	x6, F_X(6)(sp)
	sd	x7, F_X(7)(sp)
	sd	x8, F_X(8)(sp)
	sd	x9, F_X(9)(sp)
	sd	x12, F_X(12)(sp)
	sd	x13, F_X(13)(sp)
	sd	x14, F_X(14)(sp)
	sd	x15, F_X(15)(sp)
	sd	x16, F_X(16)(sp)
	sd	x17, F_X(17)(sp)
	sd	x18, F_X(18)(sp)
	sd	x19, F_X(19)(sp)
	sd	x20, F_X(20)(sp)
	sd	x21, F_X(21)(sp)
	sd	x22, F_X(22)(sp)
	sd	x23, F_X(23)(sp)
	sd	x24, F_X(24)(sp)
	sd	x25, F_X(25)(sp)
	sd	x26, F_X(26)(sp)
	sd	x27, F_X(27)(sp)
	sd	x28, F_X(28)(sp)
	sd	x29, F_X(29)(sp)
	sd	x30, F_X(30)(sp)
	sd	x31, F_X(31)(sp)
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
	.option push
	.option norelax
	la	gp, __global_pointer$	/* the interrupted code may have used gp */
	.option pop
	ld	t0, U_ARG(s1)
	mv	a1, s0
	jalr	t0			/* fn(pending, frame) */

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
	ld	x1, F_X(1)(a1)
	ld	x3, F_X(3)(a1)
	ld	x4, F_X(4)(a1)
	ld	x5, F_X(5)(a1)
	ld	x6, F_X(6)(a1)
	ld	x7, F_X(7)(a1)
	ld	x8, F_X(8)(a1)
	ld	x9, F_X(9)(a1)
	ld	x12, F_X(12)(a1)
	ld	x13, F_X(13)(a1)
	ld	x14, F_X(14)(a1)
	ld	x15, F_X(15)(a1)
	ld	x16, F_X(16)(a1)
	ld	x18, F_X(18)(a1)
	ld	x19, F_X(19)(a1)
	ld	x20, F_X(20)(a1)
	ld	x21, F_X(21)(a1)
	ld	x22, F_X(22)(a1)
	ld	x23, F_X(23)(a1)
	ld	x24, F_X(24)(a1)
	ld	x25, F_X(25)(a1)
	ld	x26, F_X(26)(a1)
	ld	x27, F_X(27)(a1)
	ld	x28, F_X(28)(a1)
	ld	x29, F_X(29)(a1)
	ld	x30, F_X(30)(a1)
	ld	x31, F_X(31)(a1)
	li	a7, 11			/* SEL_SYS_UINTR_RET: pc, sp, a0, a1, a7 from the block */
	ecall
1:	j	1b			/* not reached */
