/* Boot-time free ranges and page allocator: see boot_alloc.h. */
#include "boot/boot_alloc.h"
#include "arch/riscv/memory.h"
#include "lib/panic.h"
#include "lib/string.h"

struct region_set boot_free;

void regions_add(struct region_set *s, paddr_t base, uint64_t size)
{
	paddr_t lo = ALIGN_UP(base, PAGE_SIZE), hi = ALIGN_DOWN(base + size, PAGE_SIZE);

	if (hi <= lo)
		return;
	if (s->n == BOOT_MAX_REGIONS)
		panic("boot: more than %d memory ranges", BOOT_MAX_REGIONS);
	s->r[s->n++] = (struct dt_range){lo, hi - lo};
}

/* Removes [base, base + size) (widened to pages) from every range. */
void regions_remove(struct region_set *s, paddr_t base, uint64_t size)
{
	paddr_t lo = ALIGN_DOWN(base, PAGE_SIZE), hi = ALIGN_UP(base + size, PAGE_SIZE);
	struct region_set out = {0};

	for (uint32_t i = 0; i < s->n; i++) {
		paddr_t b = s->r[i].base, e = b + s->r[i].size;
		if (hi <= b || lo >= e) {
			regions_add(&out, b, e - b);
			continue;
		}
		if (lo > b)
			regions_add(&out, b, lo - b);
		if (hi < e)
			regions_add(&out, hi, e - hi);
	}
	*s = out;
}

paddr_t boot_alloc_page(void)
{
	for (uint32_t i = 0; i < boot_free.n; i++) {
		struct dt_range *r = &boot_free.r[i];
		if (r->size < PAGE_SIZE)
			continue;
		paddr_t pa = r->base;
		r->base += PAGE_SIZE;
		r->size -= PAGE_SIZE;
		memset(phys_to_virt(pa), 0, PAGE_SIZE);
		return pa;
	}
	panic("boot: out of memory building the root task");
}

paddr_t boot_alloc_aligned(uint32_t bits)
{
	uint64_t size = 1ull << bits;

	for (uint32_t i = 0; i < boot_free.n; i++) {
		paddr_t pa = ALIGN_UP(boot_free.r[i].base, size);
		if (pa + size > boot_free.r[i].base + boot_free.r[i].size)
			continue;
		regions_remove(&boot_free, pa, size);
		memset(phys_to_virt(pa), 0, size);
		return pa;
	}
	panic("boot: no %lu-byte aligned block left", size);
}
