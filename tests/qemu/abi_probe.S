/*
 * Register probes for the syscall ABI and the full-trap path (abi.c).
 *
 * syscall_abi_probe(out[32], nr): loads patterns into every register, makes
 * syscall nr (SEL_SYS_YIELD or SEL_SYS_NULL), and stores what every register holds after it into out[]
 * (out[0] = sp before the ecall).
 *
 * regs_survive_interrupt(iterations): loads patterns into every register
 * but sp, spins `iterations` times on t6 (long enough for timer interrupts
 * to preempt it), then returns 0 if every register still holds its
 * pattern, or the number of the first register that does not.
 */
#define PAT(n) (0x5e1e000000000000 + (n) * 0x0101010101)

	.text
	.globl syscall_abi_probe
syscall_abi_probe:
	addi	sp, sp, -384
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
	sd	a0, 120(sp)
	sd	sp, 128(sp)		/* out[0]: sp before the call */
	mv	x17, a1			/* the syscall number */
	li	x1, PAT(1)
	li	x3, PAT(3)
	li	x4, PAT(4)
	li	x5, PAT(5)
	li	x6, PAT(6)
	li	x7, PAT(7)
	li	x8, PAT(8)
	li	x9, PAT(9)
	li	x10, 0
	li	x11, PAT(11)
	li	x12, PAT(12)
	li	x13, PAT(13)
	li	x14, PAT(14)
	li	x15, PAT(15)
	li	x16, PAT(16)
	li	x18, PAT(18)
	li	x19, PAT(19)
	li	x20, PAT(20)
	li	x21, PAT(21)
	li	x22, PAT(22)
	li	x23, PAT(23)
	li	x24, PAT(24)
	li	x25, PAT(25)
	li	x26, PAT(26)
	li	x27, PAT(27)
	li	x28, PAT(28)
	li	x29, PAT(29)
	li	x30, PAT(30)
	li	x31, PAT(31)
	ecall
	sd	x1, 136(sp)
	sd	x2, 144(sp)
	sd	x3, 152(sp)
	sd	x4, 160(sp)
	sd	x5, 168(sp)
	sd	x6, 176(sp)
	sd	x7, 184(sp)
	sd	x8, 192(sp)
	sd	x9, 200(sp)
	sd	x10, 208(sp)
	sd	x11, 216(sp)
	sd	x12, 224(sp)
	sd	x13, 232(sp)
	sd	x14, 240(sp)
	sd	x15, 248(sp)
	sd	x16, 256(sp)
	sd	x17, 264(sp)
	sd	x18, 272(sp)
	sd	x19, 280(sp)
	sd	x20, 288(sp)
	sd	x21, 296(sp)
	sd	x22, 304(sp)
	sd	x23, 312(sp)
	sd	x24, 320(sp)
	sd	x25, 328(sp)
	sd	x26, 336(sp)
	sd	x27, 344(sp)
	sd	x28, 352(sp)
	sd	x29, 360(sp)
	sd	x30, 368(sp)
	sd	x31, 376(sp)
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
	ld	t0, 120(sp)		/* out */
	addi	t1, sp, 128
	li	t2, 32
1:	ld	t3, 0(t1)
	sd	t3, 0(t0)
	addi	t1, t1, 8
	addi	t0, t0, 8
	addi	t2, t2, -1
	bnez	t2, 1b
	addi	sp, sp, 384
	ret

	.globl regs_survive_interrupt
regs_survive_interrupt:
	addi	sp, sp, -128
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
	sd	sp, 120(sp)
	mv	t6, a0
	li	x1, PAT(1)
	li	x3, PAT(3)
	li	x4, PAT(4)
	li	x5, PAT(5)
	li	x6, PAT(6)
	li	x7, PAT(7)
	li	x8, PAT(8)
	li	x9, PAT(9)
	li	x10, PAT(10)
	li	x11, PAT(11)
	li	x12, PAT(12)
	li	x13, PAT(13)
	li	x14, PAT(14)
	li	x15, PAT(15)
	li	x16, PAT(16)
	li	x17, PAT(17)
	li	x18, PAT(18)
	li	x19, PAT(19)
	li	x20, PAT(20)
	li	x21, PAT(21)
	li	x22, PAT(22)
	li	x23, PAT(23)
	li	x24, PAT(24)
	li	x25, PAT(25)
	li	x26, PAT(26)
	li	x27, PAT(27)
	li	x28, PAT(28)
	li	x29, PAT(29)
	li	x30, PAT(30)
2:	addi	t6, t6, -1
	bnez	t6, 2b
	/* t6 is now 0; use it as the scratch register for the checks. */
	.irp	n, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30
	li	t6, PAT(\n)
	bne	x\n, t6, bad_\n
	.endr
	ld	t6, 120(sp)
	li	a0, 2
	bne	sp, t6, 3f
	li	a0, 0
	j	3f
	.irp	n, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30
bad_\n:
	li	a0, \n
	j	3f
	.endr
3:	ld	ra, 0(sp)
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
	addi	sp, sp, 128
	ret
