/*
 * The user-interrupt trampoline: the kernel diverts a thread here with
 * a0 = pending set, a1 = frame (every interrupted register), a2 = the C
 * handler, sp = below the frame. Set gp for the C code (the frame keeps
 * the interrupted one), call the handler, then uret with the frame:
 * SEL_SYS_UINTR_RET restores the interrupted state exactly, so nothing
 * needs saving here (s0 and gp are restored from the frame too). tp is the
 * interrupted code's: the same thread's, unless that code changed it.
 */
	.section .text
	.globl sel_uintr_trampoline
sel_uintr_trampoline:
	mv	s0, a1
	.option push
	.option norelax
	la	gp, __global_pointer$	/* the interrupted code may have used gp */
	.option pop
	jalr	a2
	mv	a0, s0
	li	a7, 11			/* SEL_SYS_UINTR_RET */
	ecall
1:	j	1b			/* not reached: uret does not return here */
