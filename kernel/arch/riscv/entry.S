/*
 * Kernel entry from OpenSBI, on every hart.
 *
 * OpenSBI enters at _start (PA 0x80200000, MMU off) with a0 = hart id and
 * a1 = device tree. The first hart to arrive claims the boot role with an
 * atomic swap; any later arrival at _start is a secondary hart (OpenSBI 1.1
 * sometimes starts a hart at the cold-boot entry instead of the address
 * given to hart_start, while reporting success), so it takes the secondary
 * path, as if it had entered at secondary_entry.
 *
 * Both paths switch on Sv39 with boot_root_pt, which maps the kernel's
 * physical-memory window (root entries 256-511) and, for the jump across,
 * the gigapage holding the kernel at its physical address (entry 2). Then
 * they jump to the high alias, load their own stack and `tp` (= &harts[id])
 * and call kmain (boot hart) or secondary_main.
 */
#include "arch/riscv/memory.h"
#include <selene/bootinfo.h>

#define KSTACK_SIZE (16 * 1024)
#define PTE_KERNEL_GLOBAL 0xef /* V R W X G A D */
#define PTE_KERNEL_IDENT  0xcf /* V R W X A D */

	.section .text.entry, "ax"
	.globl _start
_start:
	lla	t0, boot_claimed
	li	t1, 1
	amoswap.w.aq t1, t1, (t0)
	bnez	t1, secondary_entry

	/* Boot hart: clear .bss (still at physical addresses). */
	lla	t0, __bss_start
	lla	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	li	s2, 1
	j	enable_mmu

	.globl secondary_entry
secondary_entry:
	li	s2, 0

enable_mmu:
	/* a0 = hart id, a1 = device tree (boot) or opaque; s2 = is boot hart */
	li	t0, SEL_MAX_HARTS
	bgeu	a0, t0, park
	lla	t0, boot_root_pt
	srli	t0, t0, 12
	li	t1, 8
	slli	t1, t1, 60
	or	t0, t0, t1
	sfence.vma
	csrw	satp, t0
	sfence.vma
	lla	t0, high_start_addr
	ld	t0, 0(t0)
	jr	t0

park:
	wfi
	j	park

	.balign 8
high_start_addr:
	.quad	high_start

	.text
high_start:
	/* Now at KERNEL_PHYS_BASE + PA. Stack: kernel_stacks[id + 1]. */
	la	sp, kernel_stacks
	addi	t0, a0, 1
	li	t1, KSTACK_SIZE
	mul	t0, t0, t1
	add	sp, sp, t0
	la	tp, harts
	li	t1, 256			/* sizeof(struct hart), checked in smp.c */
	mul	t0, a0, t1
	add	tp, tp, t0
	csrw	sscratch, zero
	beqz	s2, 3f
	call	kmain
	j	park
3:	call	secondary_main
	j	park

	.section .data
	.balign 4
	.globl boot_claimed
boot_claimed:
	.word	0

/*
 * Boot root page table: entry 2 maps PA 0x80000000-0xbfffffff to itself
 * (used only while jumping to the high alias), entries 256-511 map PA 0-256
 * GiB at KERNEL_PHYS_BASE. The kernel keeps it as its own root table;
 * every user root table copies entries 256-511.
 */
	.section .data.boot_pt, "aw"
	.balign 4096
	.globl boot_root_pt
boot_root_pt:
	.set	idx, 0
	.rept	512
	.if	idx == 2
	.quad	((0x80000000 >> 12) << 10) | PTE_KERNEL_IDENT
	.elseif	idx >= 256
	.quad	((((idx - 256) << 30) >> 12) << 10) | PTE_KERNEL_GLOBAL
	.else
	.quad	0
	.endif
	.set	idx, idx + 1
	.endr

	.section .bss
	.balign 16
	.globl kernel_stacks
kernel_stacks:
	.space	KSTACK_SIZE * SEL_MAX_HARTS
