/*
 * The per-hart kernel info page (<selene/kinfo.h>): a kernel page mapped
 * read-only at SEL_KINFO_VADDR in every address space through two
 * kernel-owned page tables that every VSpace's root shares (root entry
 * 255, which user mappings never reach: they end at SEL_USER_MAP_END).
 * Each hart writes only its own entry, as it switches threads and takes
 * ticks.
 */
#include "arch/riscv/kinfo.h"
#include "arch/riscv/csr.h"
#include "arch/riscv/hart.h"
#include "arch/riscv/machine.h"
#include "arch/riscv/memory.h"
#include "arch/riscv/sv39.h"
#include "object/tcb.h"
#include <selene/kernel_abi.h>
#include <selene/kinfo.h>

static uint64_t kinfo_l1[512] ALIGNED(PAGE_SIZE);
static uint64_t kinfo_l0[512] ALIGNED(PAGE_SIZE);
union kinfo_page kinfo_page ALIGNED(PAGE_SIZE);

_Static_assert(sizeof(struct sel_kinfo) <= PAGE_SIZE, "the info page is one page");

static uint64_t table_pte(const void *table)
{
	return (virt_to_phys(table) >> PAGE_SHIFT) << PTE_PPN_SHIFT | PTE_V;
}

void kinfo_init(uint64_t n_harts)
{
	kinfo_l1[(SEL_KINFO_VADDR >> 21) & 511] = table_pte(kinfo_l0);
	kinfo_l0[(SEL_KINFO_VADDR >> 12) & 511] =
	    table_pte(&kinfo_page) | PTE_R | PTE_U | PTE_A | PTE_G;
	kinfo_page.k.magic = SEL_KINFO_MAGIC;
	kinfo_page.k.timebase_hz = machine.timebase_hz;
	kinfo_page.k.abi_hash = SEL_KERNEL_ABI_HASH;
	kinfo_page.k.n_harts = n_harts;
	for (uint32_t i = 0; i < SEL_MAX_HARTS; i++)
		harts[i].kinfo_thread = &kinfo_page.k.hart[i].thread;
}

uint64_t kinfo_root_entry(void)
{
	return table_pte(kinfo_l1);
}

void kinfo_switch(const struct hart *h, const struct tcb *t)
{
	struct sel_kinfo_hart *e = &kinfo_page.k.hart[h - harts];

	__atomic_store_n(&e->thread, t ? t->tid : 0, __ATOMIC_RELAXED);
	__atomic_store_n(&e->clock, csr_read(time), __ATOMIC_RELAXED);
	if (t)
		__atomic_store_n(&e->switches, e->switches + 1, __ATOMIC_RELAXED);
	__atomic_store_n(&e->online, 1, __ATOMIC_RELAXED);
}

void kinfo_tick(const struct hart *h)
{
	__atomic_store_n(&kinfo_page.k.hart[h - harts].clock, csr_read(time), __ATOMIC_RELAXED);
}
