/*
 * Sv39 page tables: building user address spaces and switching to them.
 *
 * A root table's entries 256-511 are always the kernel's (copied from the
 * boot root table, global mappings); entry 255 holds the shared tables of
 * the info page (arch/riscv/kinfo.c); entries 0-254 are the user's. Leaf
 * PTEs for user pages always carry U, A and D (A/D are set up front so
 * hardware never has to update them).
 */
#ifndef SELENE_ARCH_SV39_H
#define SELENE_ARCH_SV39_H

#include "arch/riscv/asid.h"
#include "arch/riscv/csr.h"
#include "arch/riscv/hart.h"
#include "lib/types.h"
#include <selene/error.h>

#define PTE_V         BIT(0)
#define PTE_R         BIT(1)
#define PTE_W         BIT(2)
#define PTE_X         BIT(3)
#define PTE_U         BIT(4)
#define PTE_G         BIT(5)
#define PTE_A         BIT(6)
#define PTE_D         BIT(7)
#define PTE_RSW0      BIT(8) /* invariant checker's scratch mark (debug kernels) */
#define PTE_BOOT      BIT(9) /* built at boot for the root task, of boot memory */
#define PTE_PPN_SHIFT 10

typedef paddr_t (*table_alloc_fn)(void);

/* Copies the kernel half into a fresh (zeroed) root table. */
void vspace_init_root(paddr_t root);
/* Maps one 4 KiB page (boot only: its entries and tables carry PTE_BOOT);
 * false if `va` is already mapped or not user space. */
bool vspace_map_page(paddr_t root, vaddr_t va, paddr_t pa, uint64_t rwx, table_alloc_fn alloc);
/* Translates a user address; false if unmapped. *flags gets the leaf PTE's flags. */
bool vspace_lookup(paddr_t root, vaddr_t va, paddr_t *pa, uint64_t *flags);
/* Writes satp for (root, asid) on this hart (and hart.satp), puts the hart
 * in the ASID's shootdown set first, and counts the write. */
void vspace_activate(paddr_t root, uint64_t asid);
/* The ASID bookkeeping and the satp write, for a satp value this hart does not hold
 * (inline: the IPC fastpath's direct switch makes it on every cross-address-space call). */
static inline ALWAYS_INLINE void satp_change(struct hart *h, uint64_t satp)
{
	asid_note_active((uint32_t)(satp >> SATP_ASID_SHIFT) & 0xffff); /* shootdown set first */
	__atomic_store_n(&h->satp, satp, __ATOMIC_RELEASE);
	csr_write(satp, satp);
	h->bench.satp_writes++;
}
/* The root table a satp value names. */
paddr_t vspace_satp_root(uint64_t satp);
/*
 * A VSpace whose root is `root` is being freed: every hart whose satp
 * holds it moves to the kernel's root table (boot_root_pt, ASID 0) before
 * this returns -- this hart at once, the others when the IPI brings them
 * into the kernel (they switch while waiting for the big lock,
 * vspace_poll_evict). Called with the big lock held. No hart's satp then
 * names the root, so its memory may be retyped.
 */
void vspace_evict(paddr_t root);
/* Called while waiting for the big lock: leave a root being evicted. */
void vspace_poll_evict(void);
/* Flushes this hart's TLB and counts the fence. */
void vspace_fence_all(void);

/* The PTE at `level` (2: root, 1, 0) on the way to va, or NULL if a table
 * above it is missing or a leaf. */
uint64_t *pt_slot(paddr_t root, vaddr_t va, int level);
/* Installs `table` as the next missing table for va; *level = the level of
 * the entry it went into (2 or 1). SEL_ERR_ALREADY_MAPPED if none is missing. */
enum sel_error pt_install_table(paddr_t root, vaddr_t va, paddr_t table, int *level);
/* Clears the entry at `level` for va if it still points at `table`. */
void pt_remove_table(paddr_t root, vaddr_t va, int level, paddr_t table);
/* Clears every entry of a page table that is no longer mapped anywhere. */
void pt_clear(paddr_t table);
/* Maps a 4 KiB (size_bits 12) or 2 MiB (21) frame: SEL_OK,
 * SEL_ERR_NO_PAGE_TABLE or SEL_ERR_ALREADY_MAPPED. */
enum sel_error pt_map_frame(paddr_t root, vaddr_t va, paddr_t pa, uint32_t size_bits, uint64_t rwx);
/* Unmaps va if it still maps pa. */
void pt_unmap_frame(paddr_t root, vaddr_t va, paddr_t pa, uint32_t size_bits);

#endif /* SELENE_ARCH_SV39_H */
