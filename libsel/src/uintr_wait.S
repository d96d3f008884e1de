/*
 * sel_uintr_wait_unless(word, value): sel_uintr_wait unless *word != value,
 * without the lost wake-up of a check followed by a wait.
 *
 * A thread that checks its state in C and then calls sel_uintr_wait() can
 * be diverted to its handler between the two: the handler claims the
 * pending set (the bits are cleared as they are handed over), records the
 * wake-up in memory, and returns; the wait then finds nothing pending and
 * sleeps although the reason to wake has already come. Here the check is
 * the load below, and the trampoline (uintr_entry.S) restarts this
 * function at its first instruction when it diverted the thread anywhere
 * from that load up to and including the ecall: the load then sees what
 * the handler wrote. A diversion after the ecall is the wait's own
 * wake-up. a0 and a1 are not written before the ecall, so a restart finds
 * them as the caller passed them. This is the N extension's "mask, check,
 * wfi, unmask" without the two mask system calls.
 *
 * While sel_uintr_wait_hold is non-zero (tests only), a waiter spins inside
 * the window, between the check and the ecall, so a test can send exactly
 * there; sel_uintr_wait_no_restart (positive controls only) makes the
 * trampoline leave the thread where it was, which is the lost wake-up.
 */
	.section .text
	.globl	sel_uintr_wait_unless
	.globl	sel_uintr_wait_unless_ecall
sel_uintr_wait_unless:
	ld	t0, 0(a0)
	bne	t0, a1, 2f		/* the word moved: no sleep */
	lla	t1, sel_uintr_wait_hold
1:	ld	t2, 0(t1)		/* tests: held here, between the check and the wait */
	bnez	t2, 1b
	li	a7, 10			/* SEL_SYS_UINTR_WAIT */
sel_uintr_wait_unless_ecall:
	ecall
	ret
2:	li	a0, 0			/* SEL_OK */
	ret

	.section .bss
	.balign	8
	.globl	sel_uintr_wait_hold
	.globl	sel_uintr_wait_no_restart
sel_uintr_wait_hold:
	.zero	8
sel_uintr_wait_no_restart:		/* positive controls: the trampoline does not restart */
	.zero	8
