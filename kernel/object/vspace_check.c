/*
 * vspace_check.c (debug kernels only): the address-space invariant checker
 * and its corruption hooks (vspace_check.h lists the invariants).
 *
 * LEAF and TABLE are checked by marking: (1) every mapping record in the
 * derivation tree sets the scratch bit PTE_RSW0 on the one entry it
 * accounts for, if that entry, reached from the record's live VSpace, maps
 * exactly what the record says; (2) one walk over every valid user entry
 * of every live VSpace reports the first entry without a mark (boot
 * entries excepted) and clears every mark. Several records may claim one
 * entry (a stale record and a live one naming the same page), which hides
 * nothing: an entry is either claimed or reported. Hardware never looks
 * at RSW bits, and the big lock keeps other harts from writing page tables
 * meanwhile. Cost per run: the whole tree, and every table of every live
 * VSpace once.
 */
#include "object/vspace_check.h"
#include "arch/riscv/asid.h"
#include "arch/riscv/csr.h"
#include "arch/riscv/hart.h"
#include "arch/riscv/memory.h"
#include "arch/riscv/sv39.h"
#include "object/vspace.h"
#include "object/window.h"
#include <selene/invocation.h>

#define PTE_LEAF   (PTE_R | PTE_W | PTE_X)
#define USER_ROOTS 255u /* root entries 0..254; 255 is the info page's */

extern uint64_t boot_root_pt[512];

static const char *const names[VM_INV_COUNT] = {
    [VM_INV_NONE] = "none", [VM_INV_LEAF] = "leaf",           [VM_INV_TABLE] = "table",
    [VM_INV_SATP] = "satp", [VM_INV_SHOOTDOWN] = "shootdown",
};

const char *vm_invariant_name(uint32_t inv)
{
	return inv < VM_INV_COUNT ? names[inv] : "unknown";
}

static uint64_t *table_of(uint64_t pte)
{
	return phys_to_virt((pte >> PTE_PPN_SHIFT) << PAGE_SHIFT);
}

static bool fail(struct vm_check_report *r, uint32_t inv, uint64_t where, uint64_t va,
                 const char *detail)
{
	if (r->failed == VM_INV_NONE) {
		r->failed = inv;
		r->asid = where;
		r->va = va;
		r->detail = detail;
	}
	return false;
}

/* One entry of the walk: it must carry the mark of the record that claimed it. */
static void visit(uint64_t *pte, uint64_t asid, uint64_t va, struct vm_check_report *r)
{
	bool claimed = (*pte & PTE_RSW0) != 0;

	*pte &= ~PTE_RSW0;
	if (claimed || (*pte & PTE_BOOT))
		return;
	if (*pte & PTE_LEAF)
		fail(r, VM_INV_LEAF, asid, va, "a user page no mapping record accounts for");
	else
		fail(r, VM_INV_TABLE, asid, va, "a page table its cap does not record there");
}

/*
 * True if none of the 8 entries from t[k] is valid. Most entries of a table
 * are empty: one test for 8 of them makes the walk several times cheaper.
 */
static bool block_empty(const uint64_t *t, uint64_t k)
{
	return ((t[k] | t[k + 1] | t[k + 2] | t[k + 3] | t[k + 4] | t[k + 5] | t[k + 6] |
	         t[k + 7]) &
	        PTE_V) == 0;
}

/* Every valid entry of the level-0 table `l0`, which maps from `va`. */
static void walk_l0(uint64_t *l0, uint64_t asid, uint64_t va, struct vm_check_report *r)
{
	for (uint64_t b = 0; b < 512; b += 8) {
		if (block_empty(l0, b))
			continue;
		for (uint64_t k = b; k < b + 8; k++)
			if (l0[k] & PTE_V)
				visit(&l0[k], asid, va | k << 12, r);
	}
}

/* Every valid entry of the level-1 table `l1` and of the tables below it. */
static void walk_l1(uint64_t *l1, uint64_t asid, uint64_t va, struct vm_check_report *r)
{
	for (uint64_t b = 0; b < 512; b += 8) {
		if (block_empty(l1, b))
			continue;
		for (uint64_t j = b; j < b + 8; j++) {
			if (!(l1[j] & PTE_V))
				continue;
			visit(&l1[j], asid, va | j << 21, r);
			if (!(l1[j] & PTE_LEAF))
				walk_l0(table_of(l1[j]), asid, va | j << 21, r);
		}
	}
}

/* Every valid user entry of the VSpace with root `root`, levels 2 to 0. */
static void walk(uint64_t *root, uint64_t asid, struct vm_check_report *r)
{
	for (uint64_t i = 0; i < USER_ROOTS; i++) {
		if (i % 8 == 0 && i + 8 <= USER_ROOTS && block_empty(root, i)) {
			i += 7;
			continue;
		}
		if (!(root[i] & PTE_V))
			continue;
		visit(&root[i], asid, i << 30, r);
		if (!(root[i] & PTE_LEAF))
			walk_l1(table_of(root[i]), asid, i << 30, r);
	}
}

static void walk_all(struct vm_check_report *r)
{
	for (uint32_t a = asid_next_in_use(1); a != 0; a = asid_next_in_use(a + 1))
		walk(phys_to_virt(vspace_root_pa(asid_owner(a))), a, r);
}

/* Pass 1: the entry at `level` for va in vs is (pa, leaf): the record claims it. */
static void claim(void *vs, vaddr_t va, int level, paddr_t pa, bool leaf)
{
	uint64_t *pte = pt_slot(vspace_root_pa(vs), va, level);

	if (pte && (*pte & PTE_V) && ((*pte & PTE_LEAF) != 0) == leaf &&
	    (*pte >> PTE_PPN_SHIFT) << PAGE_SHIFT == pa)
		*pte |= PTE_RSW0;
}

static void claim_records(struct cdt *cdt)
{
	uint64_t n = 0;

	for (const struct cte *c = cdt->head; c != NULL && n < cdt->nodes; c = c->next, n++) {
		paddr_t pa = virt_to_phys((void *)(uintptr_t)c->cap.object);
		void *vs;
		vaddr_t va;
		int level;
		uint64_t pages;
		if (vspace_cap_mapping(&c->cap, &vs, &va, &level))
			claim(vs, va, level, pa, c->cap.type == SEL_OBJ_FRAME);
		else if (window_cap_mapping(&c->cap, &vs, &va, &pages))
			for (uint64_t i = 0; i < pages; i++)
				claim(vs, va + i * PAGE_SIZE, 0, pa + i * PAGE_SIZE, true);
	}
}

static uint64_t kernel_satp(void)
{
	return SATP_MODE_SV39 | virt_to_phys(boot_root_pt) >> PAGE_SHIFT;
}

/* SATP and SHOOTDOWN, hart by hart. */
static void check_harts(struct vm_check_report *r)
{
	for (uint32_t i = 0; i < SEL_MAX_HARTS; i++) {
		uint64_t satp = __atomic_load_n(&harts[i].satp, __ATOMIC_ACQUIRE);
		uint32_t asid = (uint32_t)(satp >> SATP_ASID_SHIFT & 0xffff);
		void *vs = asid_owner(asid);
		if (!harts[i].online || satp == 0 || satp == kernel_satp())
			continue;
		if (!vs || vspace_root_pa(vs) != vspace_satp_root(satp))
			fail(r, VM_INV_SATP, i, 0, "satp names no live VSpace with that ASID");
		else if (!(asid_shootdown_set(asid) & (1u << i)))
			fail(r, VM_INV_SHOOTDOWN, i, 0, "a hart running an ASID is not in its set");
	}
}

bool vm_check_invariants(struct cdt *cdt, struct vm_check_report *r)
{
	r->failed = VM_INV_NONE;
	r->asid = r->va = 0;
	r->detail = "all invariants hold";
	claim_records(cdt);
	walk_all(r);
	check_harts(r);
	return r->failed == VM_INV_NONE;
}

/* The mapped Frame or PageTable cap at cptr with a live VSpace, or NULL. */
static struct cap *mapped_cap(struct tcb *t, uint64_t cptr, uint32_t type)
{
	struct cte *slot;
	void *vs;
	vaddr_t va;
	int level;

	if (lookup_cap(t, cptr, type, 0, &slot) != SEL_OK ||
	    !vspace_cap_mapping(&slot->cap, &vs, &va, &level))
		return NULL;
	return &slot->cap;
}

/* An ASID no VSpace owns. */
static uint32_t free_asid(void)
{
	for (uint32_t a = ASID_COUNT - 1; a > 0; a--)
		if (!asid_owner(a))
			return a;
	return 0;
}

enum sel_error vm_debug_corrupt_and_check(struct tcb *t, uint64_t kind, uint64_t cptr,
                                          uint32_t *caught)
{
	struct hart *h = this_hart();
	struct vm_check_report r;
	uint64_t satp = h->satp, word0, word1;
	uint32_t asid = (uint32_t)(satp >> SATP_ASID_SHIFT & 0xffff), set;
	struct cap *c = NULL;

	switch (kind) {
	case SEL_DEBUG_VM_CORRUPT_LEAF:  /* a Frame's mapping record forgotten, its entry kept */
	case SEL_DEBUG_VM_CORRUPT_TABLE: /* the same for a PageTable */
		c = mapped_cap(t, cptr,
		               kind == SEL_DEBUG_VM_CORRUPT_LEAF ? SEL_OBJ_FRAME
		                                                 : SEL_OBJ_PAGE_TABLE);
		if (!c)
			return SEL_ERR_INVALID_ARG;
		word0 = c->word0;
		word1 = c->word1;
		c->word0 = c->word1 = 0;
		vm_check_invariants(&kernel_cdt, &r);
		c->word0 = word0;
		c->word1 = word1;
		break;
	case SEL_DEBUG_VM_CORRUPT_SATP: /* this hart's satp names an ASID nobody owns */
		if (!free_asid())
			return SEL_ERR_FULL;
		h->satp = (satp & ~(0xffffull << SATP_ASID_SHIFT)) | (uint64_t)free_asid()
		                                                         << SATP_ASID_SHIFT;
		vm_check_invariants(&kernel_cdt, &r);
		h->satp = satp;
		break;
	case SEL_DEBUG_VM_CORRUPT_SHOOTDOWN: /* this hart leaves its ASID's set, still running it */
		set = asid_shootdown_set(asid);
		asid_debug_set_shootdown(asid, set & ~(1u << h->id));
		vm_check_invariants(&kernel_cdt, &r);
		asid_debug_set_shootdown(asid, set);
		break;
	default:
		return SEL_ERR_INVALID_ARG;
	}
	*caught = r.failed;
	return SEL_OK;
}
