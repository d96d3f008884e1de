/*
 * Address-space security (docs/security-vm.md): a page table carries no
 * translation away from the mapping that made it (unmapped, or its VSpace
 * deleted, it comes back empty), and a window mapping that fails part-way
 * fences the pages it installed before it returns.
 */
#include <sel/debug.h>
#include <sel/fault.h>
#include <sel/window.h>
#include "ipc_util.h"

#define MARK 0x5ec0000000000001ull

static void load_from(void *addr)
{
	(void)*(volatile uint64_t *)addr;
}

/* 1 if a load from addr faults. */
static int load_faults(uint64_t addr)
{
	struct sel_fault_info f;
	return sel_catch_fault(load_from, (void *)addr, &f) == 1;
}

/* Two page tables (levels 1 and 0) for vaddr in vspace. */
static int tables(uint64_t ut, uint64_t vspace, uint64_t vaddr, uint64_t *l1, uint64_t *l0)
{
	int err = object_new(ut, SEL_OBJ_PAGE_TABLE, 0, l1);

	if (err == SEL_OK)
		err = object_new(ut, SEL_OBJ_PAGE_TABLE, 0, l0);
	if (err == SEL_OK)
		err = sel_page_table_map(*l1, vspace, vaddr);
	return err == SEL_OK ? sel_page_table_map(*l0, vspace, vaddr) : err;
}

TEST(SEC_0001, "a page table unmapped and mapped elsewhere comes back empty")
{
	uint64_t ut, l1, l0, l1b, fr, va = REGION(2), va2 = REGION(3);

	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	CHECK_EQ(t, tables(ut, SEL_SLOT_VSPACE, va, &l1, &l0), SEL_OK);
	CHECK_EQ(t, frame_at(ut, SEL_SLOT_VSPACE, va, RW, &fr), SEL_OK);
	*(volatile uint64_t *)va = MARK;
	CHECK_EQ(t, sel_page_table_unmap(l0), SEL_OK);
	CHECK(t, load_faults(va));
	CHECK_EQ(t, object_new(ut, SEL_OBJ_PAGE_TABLE, 0, &l1b), SEL_OK);
	CHECK_EQ(t, sel_page_table_map(l1b, SEL_SLOT_VSPACE, va2), SEL_OK);
	CHECK_EQ(t, sel_page_table_map(l0, SEL_SLOT_VSPACE, va2), SEL_OK);
	CHECK(t, load_faults(va2)); /* the frame did not come along */
	/* The frame's own unmap and a new map work as they say. */
	CHECK_EQ(t, sel_frame_unmap(fr), SEL_OK);
	CHECK_EQ(t, sel_frame_map(fr, SEL_SLOT_VSPACE, va2, RW), SEL_OK);
	CHECK_EQ(t, *(volatile uint64_t *)va2, MARK);
	CHECK_EQ(t, sel_frame_unmap(fr), SEL_OK);
	CHECK(t, load_faults(va2));
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(SEC_0002,
     "a page table of a deleted VSpace comes back empty; its frame's memory stays out of reach")
{
	uint64_t ut, frut, vs, l1, l0, l1b, fr, va = REGION(4);

	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	CHECK_EQ(t, untyped_new(12, &frut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_VSPACE, 0, &vs), SEL_OK);
	CHECK_EQ(t, tables(ut, vs, va, &l1, &l0), SEL_OK);
	CHECK_EQ(t, object_new(frut, SEL_OBJ_FRAME, 12, &fr), SEL_OK);
	CHECK_EQ(t, sel_frame_map(fr, vs, va, RW), SEL_OK);
	CHECK_EQ(t, sel_cnode_delete(ROOT, vs, FULL, 0), SEL_OK);
	/* The frame goes and its memory becomes a CNode's slots. */
	CHECK_EQ(t, sel_cnode_revoke(ROOT, frut, FULL, 0), SEL_OK);
	uint64_t cn;
	CHECK_EQ(t, object_new(frut, SEL_OBJ_CNODE, 6, &cn), SEL_OK);
	CHECK_EQ(t, sel_page_table_unmap(l0), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_PAGE_TABLE, 0, &l1b), SEL_OK);
	CHECK_EQ(t, sel_page_table_map(l1b, SEL_SLOT_VSPACE, va), SEL_OK);
	CHECK_EQ(t, sel_page_table_map(l0, SEL_SLOT_VSPACE, va), SEL_OK);
	CHECK(t, load_faults(va)); /* not the CNode's slots */
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(SEC_0004, "a window mapping that would fail part-way installs no page (and needs no fence)")
{
	uint64_t ut, w, fr, va = REGION(5);

	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_WINDOW, 14, &w), SEL_OK); /* 4 pages */
	CHECK_EQ(t, cover(ut, SEL_SLOT_VSPACE, va), SEL_OK);
	CHECK_EQ(t, frame_at(ut, SEL_SLOT_VSPACE, va + 2 * 4096, RW, &fr), SEL_OK);
	struct sel_ret b;

	CHECK_EQ(t, sel_bench_begin(), SEL_OK);
	int err = sel_window_map(w, SEL_SLOT_VSPACE, va, RW, 0, 0);
	CHECK_EQ(t, sel_bench_end(&b), SEL_OK);
	CHECK_EQ(t, err, SEL_ERR_ALREADY_MAPPED);
	CHECK_EQ(t, b.v[2], 0); /* every page was checked first: none was installed to flush */
	CHECK(t, load_faults(va));
	CHECK(t, load_faults(va + 4096));
	CHECK(t, !load_faults(va + 2 * 4096));
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

/* The address-space invariant the checker names after one deliberate corruption. */
static uint64_t caught(enum sel_debug_vm_corruption kind, uint64_t cap)
{
	struct sel_ret r;
	int err = sel_invoke(SEL_SLOT_DEBUG, SEL_DEBUG_CORRUPT_VSPACE, kind, cap, 0, 0, 0, &r);

	return err == SEL_OK ? r.v[0] : 100 + (uint64_t)err;
}

TEST(SEC_0020,
     "the address-space checker holds on a live system and names a leaf no record accounts for")
{
	uint64_t ut, fr, va = REGION(6);
	struct sel_ret r;

	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	CHECK_EQ(t, cover(ut, SEL_SLOT_VSPACE, va), SEL_OK);
	CHECK_EQ(t, frame_at(ut, SEL_SLOT_VSPACE, va, RW, &fr), SEL_OK);
	CHECK_EQ(t, sel_invoke(SEL_SLOT_DEBUG, SEL_DEBUG_CHECK_INVARIANTS, 0, 0, 0, 0, 0, &r),
	         SEL_OK);
	CHECK_EQ(t, r.v[2], 0); /* no address-space invariant broken */
	CHECK_EQ(t, caught(SEL_DEBUG_VM_CORRUPT_LEAF, fr), 1);
	CHECK_EQ(t, sel_invoke(SEL_SLOT_DEBUG, SEL_DEBUG_CHECK_INVARIANTS, 0, 0, 0, 0, 0, &r),
	         SEL_OK);
	CHECK_EQ(t, r.v[2], 0); /* repaired */
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(SEC_0021, "the address-space checker names a page table its cap does not record")
{
	uint64_t ut, l1, l0, va = REGION(7);

	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	CHECK_EQ(t, tables(ut, SEL_SLOT_VSPACE, va, &l1, &l0), SEL_OK);
	CHECK_EQ(t, caught(SEL_DEBUG_VM_CORRUPT_TABLE, l0), 2);
	CHECK_EQ(t, caught(SEL_DEBUG_VM_CORRUPT_TABLE, l1), 2);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(SEC_0022, "the address-space checker names a satp without a live VSpace of that ASID")
{
	CHECK_EQ(t, caught(SEL_DEBUG_VM_CORRUPT_SATP, 0), 3);
}

TEST(SEC_0023, "the address-space checker names a hart running an ASID outside its shootdown set")
{
	CHECK_EQ(t, caught(SEL_DEBUG_VM_CORRUPT_SHOOTDOWN, 0), 4);
}
