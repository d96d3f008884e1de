/*
 * The entry of a POSIX program (selene_posix_program(), docs/porting.md):
 * linked before libsel, it replaces libsel's crt0. Set gp, check the
 * kernel's interface (sel_start_check), then sel_posix_start (program.c):
 * argv and environment from the manifest, main, exit.
 */
	.section .text.start, "ax"
	.globl _start
_start:
	.option push
	.option norelax
	la	gp, __global_pointer$
	.option pop
	mv	s0, a0
	call	sel_start_check
	mv	a0, s0
	call	sel_posix_start
1:	j	1b
