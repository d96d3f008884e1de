/*
 * User program entry: the kernel starts a program at _start with a0 = its
 * start argument (the boot-info page for the root task) and sp = its stack.
 * Set gp for linker relaxation, call main(a0), and end with its result.
 */
	.section .text.start, "ax"
	.globl _start
_start:
	.option push
	.option norelax
	la	gp, __global_pointer$
	.option pop
	call	main
	call	sel_exit
1:	j	1b
