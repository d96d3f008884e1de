/*
 * Sv39 page-table walks for user address spaces (see sv39.h).
 *
 * Three levels of 512 entries: VPN[2] = va[38:30], VPN[1] = va[29:21],
 * VPN[0] = va[20:12]. A non-leaf PTE has V set and R/W/X clear.
 */
#include "arch/riscv/sv39.h"
#include "arch/riscv/kinfo.h"
#include <selene/kinfo.h>
#include "arch/riscv/csr.h"
#include "arch/riscv/hart.h"
#include "arch/riscv/memory.h"
#include "lib/string.h"
#include "arch/riscv/sbi.h"
#include "arch/riscv/smp.h"
#include "arch/riscv/asid.h"
#include "arch/riscv/ipi.h"
#include <selene/error.h>

typedef uint64_t pte_t;

extern pte_t boot_root_pt[512];

#define PTE_LEAF (PTE_R | PTE_W | PTE_X)

static inline paddr_t pte_addr(pte_t pte)
{
	return (pte >> PTE_PPN_SHIFT) << PAGE_SHIFT;
}

static inline pte_t *table_va(paddr_t pa)
{
	return phys_to_virt(pa);
}

static inline unsigned vpn(vaddr_t va, int level)
{
	return (va >> (PAGE_SHIFT + 9 * level)) & 511;
}

void vspace_init_root(paddr_t root)
{
	memcpy(table_va(root) + 256, boot_root_pt + 256, 256 * sizeof(pte_t));
	table_va(root)[255] = kinfo_root_entry(); /* the info page, shared */
}

/* The level-0 PTE slot for va, allocating tables when alloc is given. */
static pte_t *walk(paddr_t root, vaddr_t va, table_alloc_fn alloc)
{
	pte_t *table = table_va(root);

	for (int level = 2; level > 0; level--) {
		pte_t *pte = &table[vpn(va, level)];
		if (!(*pte & PTE_V)) {
			if (!alloc)
				return NULL;
			*pte = (alloc() >> PAGE_SHIFT) << PTE_PPN_SHIFT | PTE_BOOT | PTE_V;
		} else if (*pte & PTE_LEAF) {
			return NULL; /* a superpage: not ours to split */
		}
		table = table_va(pte_addr(*pte));
	}
	return &table[vpn(va, 0)];
}

bool vspace_map_page(paddr_t root, vaddr_t va, paddr_t pa, uint64_t rwx, table_alloc_fn alloc)
{
	if (va >= SEL_USER_MAP_END || !IS_ALIGNED(va | pa, PAGE_SIZE))
		return false;
	pte_t *pte = walk(root, va, alloc);
	if (!pte || (*pte & PTE_V))
		return false;
	*pte = (pa >> PAGE_SHIFT) << PTE_PPN_SHIFT | (rwx & PTE_LEAF) | PTE_U | PTE_A | PTE_D |
	       PTE_BOOT | PTE_V;
	return true;
}

/* The leaf PTE that maps va (a 4 KiB page or a 2 MiB frame) and the size it maps. */
static pte_t *walk_leaf(paddr_t root, vaddr_t va, uint64_t *size)
{
	pte_t *table = table_va(root);

	for (int level = 2; level >= 0; level--) {
		pte_t *pte = &table[vpn(va, level)];
		if (!(*pte & PTE_V))
			return NULL;
		if ((*pte & PTE_LEAF) || level == 0) {
			*size = 1ull << (PAGE_SHIFT + 9 * level);
			return pte;
		}
		table = table_va(pte_addr(*pte));
	}
	return NULL;
}

bool vspace_lookup(paddr_t root, vaddr_t va, paddr_t *pa, uint64_t *flags)
{
	uint64_t size;

	if (va >= USER_TOP)
		return false;
	pte_t *pte = walk_leaf(root, va, &size);
	if (!pte)
		return false;
	*pa = pte_addr(*pte) + (va & (size - 1));
	*flags = *pte & 0xff;
	return true;
}

void vspace_activate(paddr_t root, uint64_t asid)
{
	uint64_t satp = SATP_MODE_SV39 | asid << SATP_ASID_SHIFT | root >> PAGE_SHIFT;

	if (csr_read(satp) != satp)
		satp_change(this_hart(), satp);
}

paddr_t vspace_satp_root(uint64_t satp)
{
	return (satp & ((1ull << SATP_ASID_SHIFT) - 1)) << PAGE_SHIFT;
}

/* The root a VSpace being freed had: harts running on it move to the kernel's. */
static paddr_t evicting;

/* This hart leaves whatever address space it is in for the kernel's own. */
static void leave_to_kernel_root(struct hart *h)
{
	uint64_t satp = SATP_MODE_SV39 | virt_to_phys(boot_root_pt) >> PAGE_SHIFT;

	csr_write(satp, satp);
	__atomic_store_n(&h->satp, satp, __ATOMIC_RELEASE);
}

void vspace_poll_evict(void)
{
	struct hart *h = this_hart();
	paddr_t root = __atomic_load_n(&evicting, __ATOMIC_ACQUIRE);

	if (root && vspace_satp_root(__atomic_load_n(&h->satp, __ATOMIC_RELAXED)) == root)
		leave_to_kernel_root(h);
}

void vspace_evict(paddr_t root)
{
	struct hart *me = this_hart();

	if (vspace_satp_root(me->satp) == root)
		leave_to_kernel_root(me);
	__atomic_store_n(&evicting, root, __ATOMIC_RELEASE);
	for (uint32_t i = 0; i < SEL_MAX_HARTS; i++) {
		struct hart *h = &harts[i];
		if (h == me || !h->online ||
		    vspace_satp_root(__atomic_load_n(&h->satp, __ATOMIC_ACQUIRE)) != root)
			continue;
		ipi_send(h->id);
		while (vspace_satp_root(__atomic_load_n(&h->satp, __ATOMIC_ACQUIRE)) == root)
			;
	}
	__atomic_store_n(&evicting, 0, __ATOMIC_RELEASE);
}

void vspace_fence_all(void)
{
	sfence_vma_all();
	this_hart()->bench.fences++;
}

uint64_t *pt_slot(paddr_t root, vaddr_t va, int level)
{
	pte_t *table = table_va(root);

	if (va >= USER_TOP)
		return NULL;
	for (int l = 2; l > level; l--) {
		pte_t pte = table[vpn(va, l)];
		if (!(pte & PTE_V) || (pte & PTE_LEAF))
			return NULL;
		table = table_va(pte_addr(pte));
	}
	return &table[vpn(va, level)];
}

enum sel_error pt_install_table(paddr_t root, vaddr_t va, paddr_t table, int *level)
{
	for (int l = 2; l >= 1; l--) {
		pte_t *pte = pt_slot(root, va, l);
		if (!pte)
			return SEL_ERR_ALREADY_MAPPED; /* a leaf above: a large page */
		if (!(*pte & PTE_V)) {
			*pte = (table >> PAGE_SHIFT) << PTE_PPN_SHIFT | PTE_V;
			*level = l;
			return SEL_OK;
		}
		if (*pte & PTE_LEAF)
			return SEL_ERR_ALREADY_MAPPED;
	}
	return SEL_ERR_ALREADY_MAPPED;
}

void pt_remove_table(paddr_t root, vaddr_t va, int level, paddr_t table)
{
	pte_t *pte = pt_slot(root, va, level);

	if (pte && (*pte & PTE_V) && !(*pte & PTE_LEAF) && pte_addr(*pte) == table)
		*pte = 0;
}

enum sel_error pt_map_frame(paddr_t root, vaddr_t va, paddr_t pa, uint32_t size_bits, uint64_t rwx)
{
	int level = size_bits == 21 ? 1 : 0;
	pte_t *pte = pt_slot(root, va, level);

	if (!pte)
		return SEL_ERR_NO_PAGE_TABLE;
	if (*pte & PTE_V)
		return SEL_ERR_ALREADY_MAPPED;
	*pte =
	    (pa >> PAGE_SHIFT) << PTE_PPN_SHIFT | (rwx & PTE_LEAF) | PTE_U | PTE_A | PTE_D | PTE_V;
	return SEL_OK;
}

void pt_unmap_frame(paddr_t root, vaddr_t va, paddr_t pa, uint32_t size_bits)
{
	pte_t *pte = pt_slot(root, va, size_bits == 21 ? 1 : 0);

	if (pte && (*pte & PTE_V) && (*pte & PTE_LEAF) && pte_addr(*pte) == pa)
		*pte = 0;
}

void pt_clear(paddr_t table)
{
	memset(table_va(table), 0, PAGE_SIZE);
}
