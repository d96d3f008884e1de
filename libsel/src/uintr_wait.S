/*
 * sel_uintr_wait_unless(word, value): sel_uintr_wait unless *word != value,
 * without the lost wake-up of a check followed by a wait.
 *
 * sel_uintr_wait_unless_claim(word, value, mask) is the same with the
 * wait of SEL_SYS_UINTR_SEND_WAIT (no send): the vectors of `mask` pending
 * at the wake-up are claimed and no handler runs for them (a ring's
 * doorbell). sel_uintr_wait_unless_claimed(word, value, mask) is the same
 * entry, declared to return a two-word struct: a0, the error, and a1, the
 * vectors the wait claimed (0 when it did not sleep), as the RISC-V calling
 * convention returns such a struct. All of them copy their arguments to
 * a4-a6 first and check from the copies, so the wait's own a0 and a1 can be
 * set inside the window.
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
	.globl	sel_uintr_wait_unless_claim
	.globl	sel_uintr_wait_unless_claimed
	.globl	sel_uintr_wait_unless_check
	.globl	sel_uintr_wait_unless_ecall
sel_uintr_wait_unless:
	li	a2, 0			/* claim nothing: the handler runs */
sel_uintr_wait_unless_claim:
sel_uintr_wait_unless_claimed:
	mv	a4, a0
	mv	a5, a1
	mv	a6, a2
sel_uintr_wait_unless_check:
	ld	t0, 0(a4)
	bne	t0, a5, 2f		/* the word moved: no sleep */
	lla	t1, sel_uintr_wait_hold
1:	ld	t2, 0(t1)		/* tests: held here, between the check and the wait */
	bnez	t2, 1b
	li	a0, -1			/* SEL_UINTR_NO_SEND */
	mv	a1, a6
	li	a7, 15			/* SEL_SYS_UINTR_SEND_WAIT */
sel_uintr_wait_unless_ecall:
	ecall				/* a0: the error, a1: the vectors claimed */
	ret
2:	li	a0, 0			/* SEL_OK */
	li	a1, 0			/* nothing claimed */
	ret

	.section .bss
	.balign	8
	.globl	sel_uintr_wait_hold
	.globl	sel_uintr_wait_no_restart
sel_uintr_wait_hold:
	.zero	8
sel_uintr_wait_no_restart:		/* positive controls: the trampoline does not restart */
	.zero	8
