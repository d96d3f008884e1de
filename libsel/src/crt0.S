/*
 * User program entry: the kernel starts a program at _start with a0 = its
 * start argument (the boot-info page for the root task) and sp = its stack.
 * Set gp for linker relaxation, check the kernel's interface
 * (sel_start_check(), start.c: a mismatch ends the program), call main(a0),
 * and end with its result.
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
	call	main
	call	sel_exit
1:	j	1b
