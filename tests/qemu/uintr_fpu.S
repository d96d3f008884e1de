/*
 * Floating-point probes for the user-interrupt tests (uintr_fpu.c). Each
 * takes arrays of 33 words: f0-f31, then fcsr.
 *
 * uintr_fp_send(in, out, index): loads in, sends user interrupt `index`
 * (the syscall; a send to oneself is delivered as it returns), stores the
 * FP registers to out. Returns the send's result.
 *
 * uintr_fp_spin(in, out, hits, target, ready): loads in, stores target to
 * *ready, spins without a syscall until *hits >= target, stores the FP
 * registers to out.
 *
 * uintr_fp_clobber(vals, back): loads vals, then stores the FP registers
 * to back (what a handler that uses every FP register leaves behind).
 *
 * uintr_fp_read(out): stores the FP registers to out.
 */
	.option push
	.option arch, +d

	.macro	fp_load base
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	fld	f\n, (\n * 8)(\base)
	.endr
	ld	t0, 256(\base)
	fscsr	t0
	.endm

	.macro	fp_store base
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	fsd	f\n, (\n * 8)(\base)
	.endr
	frcsr	t0
	sd	t0, 256(\base)
	.endm

	.section .text
	.globl uintr_fp_send, uintr_fp_spin, uintr_fp_clobber, uintr_fp_read
uintr_fp_send:
	addi	sp, sp, -16
	sd	s0, 0(sp)
	mv	s0, a1			/* out: a syscall keeps only the s registers */
	fp_load	a0
	mv	a0, a2
	li	a7, 9			/* SEL_SYS_UINTR_SEND */
	ecall
	fp_store s0
	ld	s0, 0(sp)
	addi	sp, sp, 16
	ret

uintr_fp_spin:
	fp_load	a0
	sd	a3, 0(a4)
1:	ld	t0, 0(a2)
	bltu	t0, a3, 1b
	fp_store a1
	ret

uintr_fp_clobber:
	fp_load	a0
	fp_store a1
	ret

uintr_fp_read:
	fp_store a0
	ret

	.option pop
