/*
 * Floating-point register file save and restore (struct fpu_state: f0-f31
 * then fcsr). The kernel is built without F/D; these routines switch the
 * D extension on for the assembler only. The caller makes sure
 * sstatus.FS is not Off (arch/riscv/fpu.c).
 */
	.section .text
	.option push
	.option arch, +d

	.globl fpu_save
fpu_save:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fsd	f\n, (\n * 8)(a0)
	.endr
	frcsr	t0
	sd	t0, 256(a0)
	ret

	.globl fpu_restore
fpu_restore:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fld	f\n, (\n * 8)(a0)
	.endr
	ld	t0, 256(a0)
	fscsr	t0
	ret

	.option pop
