/*
 * The user-interrupt trampoline: the kernel diverts a thread here with
 * a0 = pending set, a1 = frame (every interrupted register), a2 = the C
 * handler, sp = below the frame. Call the handler, then uret with the
 * frame: SEL_SYS_UINTR_RET restores the interrupted state exactly, so
 * nothing needs saving here (s0 is restored from the frame too).
 */
	.section .text
	.globl sel_uintr_trampoline
sel_uintr_trampoline:
	mv	s0, a1
	jalr	a2
	mv	a0, s0
	li	a7, 11			/* SEL_SYS_UINTR_RET */
	ecall
1:	j	1b			/* not reached: uret does not return here */
