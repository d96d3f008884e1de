/*
 * The kernel's view of memory (Sv39).
 *
 * The upper half of every address space (root entries 256-511) maps all
 * physical memory below 256 GiB at KERNEL_PHYS_BASE with global gigapages;
 * the kernel image runs inside that window (linked at KERNEL_PHYS_BASE +
 * 0x80200000). The lower half (0 - 256 GiB) belongs to user space.
 */
#ifndef SELENE_ARCH_MEMORY_H
#define SELENE_ARCH_MEMORY_H

#define KERNEL_PHYS_BASE 0xffffffc000000000
#define KERNEL_LOAD_PA   0x80200000
#define USER_TOP         0x4000000000

#ifndef __ASSEMBLER__
#include "lib/types.h"

static inline void *phys_to_virt(paddr_t pa)
{
	return (void *)(uintptr_t)(pa + KERNEL_PHYS_BASE);
}

static inline paddr_t virt_to_phys(const void *va)
{
	return (paddr_t)(uintptr_t)va - KERNEL_PHYS_BASE;
}

#endif /* __ASSEMBLER__ */
#endif /* SELENE_ARCH_MEMORY_H */
