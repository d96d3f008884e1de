/*
 * Boot-time memory: the free physical ranges, and a page allocator over
 * them used only while building the root task.
 *
 * Invariant: the ranges in boot_free are page-aligned, disjoint and exclude
 * OpenSBI, the kernel image, the device tree and /reserved-memory. After
 * boot, what is left is handed to the root task as Untyped memory, and
 * boot_alloc_page() must not be called again.
 */
#ifndef SELENE_BOOT_BOOT_ALLOC_H
#define SELENE_BOOT_BOOT_ALLOC_H

#include "boot/devicetree.h"

#define BOOT_MAX_REGIONS 16

struct region_set {
	uint32_t n;
	struct dt_range r[BOOT_MAX_REGIONS];
};

extern struct region_set boot_free;

void regions_add(struct region_set *s, paddr_t base, uint64_t size);
void regions_remove(struct region_set *s, paddr_t base, uint64_t size);
/* A zeroed page from the lowest free range; panics when memory runs out. */
paddr_t boot_alloc_page(void);
/* Zeroed memory of 2^bits bytes aligned to its size; panics if none. */
paddr_t boot_alloc_aligned(uint32_t bits);

#endif /* SELENE_BOOT_BOOT_ALLOC_H */
