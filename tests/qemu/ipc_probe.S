/*
 * The register probe of the IPC tests (ipc_util.h, IPC_0022):
 *
 * ipc_probe(in[32], out[32]) loads every register but sp (x2) from in[]
 * (x1 from in[1], x3 from in[3], ..., x31 from in[31]; so the caller
 * chooses the syscall number in in[17] = a7, the cap in in[10] = a0, the
 * info in in[11] = a1 and junk everywhere else), executes ecall, and
 * stores every register as the kernel left it into out[1..31], with
 * out[0] = sp before the ecall (out[2] is sp after it). The C caller's
 * callee-saved registers are kept on the stack and restored.
 */
	.text
	.globl ipc_probe
ipc_probe:
	addi	sp, sp, -160
	sd	ra, 0(sp)
	sd	gp, 8(sp)
	sd	tp, 16(sp)
	sd	s0, 24(sp)
	sd	s1, 32(sp)
	sd	s2, 40(sp)
	sd	s3, 48(sp)
	sd	s4, 56(sp)
	sd	s5, 64(sp)
	sd	s6, 72(sp)
	sd	s7, 80(sp)
	sd	s8, 88(sp)
	sd	s9, 96(sp)
	sd	s10, 104(sp)
	sd	s11, 112(sp)
	sd	a1, 120(sp)		/* out */
	sd	sp, 128(sp)		/* sp before the ecall */
	mv	t6, a0			/* in: the base, loaded last */
	.irp	n, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30
	ld	x\n, (\n * 8)(t6)
	.endr
	ld	t6, 248(t6)
	ecall
	sd	t6, 136(sp)		/* free t6 to hold out */
	ld	t6, 120(sp)
	.irp	n, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30
	sd	x\n, (\n * 8)(t6)
	.endr
	ld	t5, 136(sp)
	sd	t5, 248(t6)		/* x31 */
	ld	t5, 128(sp)
	sd	t5, 0(t6)		/* sp before */
	ld	ra, 0(sp)
	ld	gp, 8(sp)
	ld	tp, 16(sp)
	ld	s0, 24(sp)
	ld	s1, 32(sp)
	ld	s2, 40(sp)
	ld	s3, 48(sp)
	ld	s4, 56(sp)
	ld	s5, 64(sp)
	ld	s6, 72(sp)
	ld	s7, 80(sp)
	ld	s8, 88(sp)
	ld	s9, 96(sp)
	ld	s10, 104(sp)
	ld	s11, 112(sp)
	addi	sp, sp, 160
	ret
