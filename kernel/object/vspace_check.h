/*
 * The address-space invariant checker (debug kernels; vspace_check.c).
 *
 *   LEAF       every valid user leaf entry in a page table reachable from a
 *              live VSpace is accounted for by exactly one mapping record:
 *              a Frame or Window cap that records that VSpace, that
 *              address and that physical page (entries the kernel built
 *              at boot for the root task, of boot memory, carry PTE_BOOT
 *              and are exempt);
 *   TABLE      every page table reachable from a live VSpace is recorded
 *              by its PageTable cap as mapped there, at that level;
 *   SATP       every online hart's satp names the kernel's root or a live
 *              VSpace, with that VSpace's own ASID;
 *   SHOOTDOWN  every online hart running an ASID is in its shootdown set.
 * Corruption hooks (debug cap, SEL_DEBUG_CORRUPT_VSPACE) break one at a
 * time, run the checker and undo the damage, so a test sees the checker
 * name what was broken without the kernel running on broken state.
 */
#ifndef SELENE_OBJECT_VSPACE_CHECK_H
#define SELENE_OBJECT_VSPACE_CHECK_H

#include "object/objects.h"

enum vm_invariant {
	VM_INV_NONE = 0,
	VM_INV_LEAF,
	VM_INV_TABLE,
	VM_INV_SATP,
	VM_INV_SHOOTDOWN,
	VM_INV_COUNT
};

struct vm_check_report {
	uint32_t failed; /* enum vm_invariant */
	uint64_t asid;   /* where: the VSpace's ASID, or the hart for SATP/SHOOTDOWN */
	uint64_t va;
	const char *detail;
};

bool vm_check_invariants(struct cdt *cdt, struct vm_check_report *r);
const char *vm_invariant_name(uint32_t inv);
/* Breaks `kind` (enum sel_debug_vm_corruption) using the cap at cptr where
 * needed, runs the checker, repairs; SEL_OK with *caught = what it found. */
enum sel_error vm_debug_corrupt_and_check(struct tcb *t, uint64_t kind, uint64_t cptr,
                                          uint32_t *caught);

#endif /* SELENE_OBJECT_VSPACE_CHECK_H */
