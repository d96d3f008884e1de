/*
 * Address-space objects: VSpace, PageTable and Frame.
 *
 * A VSpace object is 8 KiB: the Sv39 root table (4 KiB, its upper half the
 * kernel's) and then struct vspace. It gets an ASID when it is created and
 * gives it back when destroyed. PageTables and Frames are mapped into a
 * VSpace by invoking their caps; the cap remembers where (word0 = address
 * | level << 1 | 1, word1 = ASID | VSpace generation << 16), so each cap
 * maps at most once, unmapping needs no search, and a mapping whose VSpace
 * is gone (its ASID free or reused by a younger VSpace) is simply dropped.
 * PageTable caps cannot be copied (one cap, one mapping); Frame caps can,
 * and each copy maps the frame once more.
 */
#ifndef SELENE_OBJECT_VSPACE_H
#define SELENE_OBJECT_VSPACE_H

#include "arch/riscv/csr.h"
#include "arch/riscv/memory.h"
#include "cap/cap.h"
#include "lib/types.h"

#define VSPACE_OBJECT_BITS 13

/*
 * Invariants: asid_owner(asid) == this VSpace, or asid == 0 (none left);
 * satp == the value that runs it (Sv39, asid, the root's page number),
 * stored when the ASID is assigned (vspace_object_init) and cleared when it
 * is freed (vspace_object_finalise): the ASID is fixed in between, so the
 * value cannot go stale while the VSpace lives.
 */
struct vspace {
	uint64_t asid;
	uint64_t generation; /* unique per VSpace created; mapped caps record it */
	uint64_t satp;
};

/* The satp value that runs obj (read from the VSpace, not computed). */
static inline uint64_t vspace_satp(const void *obj)
{
	return ((const struct vspace *)((uintptr_t)obj + PAGE_SIZE))->satp;
}

void vspace_object_init(void *obj);
void vspace_object_finalise(void *obj);
paddr_t vspace_root_pa(const void *obj);
/* Makes obj this hart's address space (no satp write if it already is). */
void vspace_switch(const void *obj);
uint64_t vspace_asid(const void *obj);
/* A cap left its slot: if it maps a PageTable or Frame, unmap it. */
void vspace_cap_removed(const struct cap *cap);
/* For other mappable objects (windows): the VSpace a mapping record
 * (word1 = vspace_mapping_word()) points into if it still exists; the
 * VSpace object of a VSpace cap. */
void *mapped_vspace(const struct cap *c);
uint64_t vspace_mapping_word(const void *vs);
/* A mapped Frame or PageTable cap whose VSpace is live: where it maps
 * (the entry at `level` for `va` in vs); false otherwise. */
bool vspace_cap_mapping(const struct cap *c, void **vs, vaddr_t *va, int *level);
struct cte;
void *vspace_of(const struct cte *slot);

#endif /* SELENE_OBJECT_VSPACE_H */
