/*
 * Page tables and frames: mapping rights never exceed the cap's, every map
 * error is distinct, unmapping (by invocation, delete or revoke) takes the
 * page away at once in every address space that had it.
 */
#include <sel/fault.h>
#include "proc_util.h"

static void store_to(void *addr)
{
	*(volatile uint64_t *)addr = 1;
}

static void load_from(void *addr)
{
	(void)*(volatile uint64_t *)addr;
}

/* 1 if a store to / load from addr faults. */
static int store_faults(uint64_t addr)
{
	struct sel_fault_info f;
	return sel_catch_fault(store_to, (void *)addr, &f) == 1;
}

static int load_faults(uint64_t addr)
{
	struct sel_fault_info f;
	return sel_catch_fault(load_from, (void *)addr, &f) == 1;
}

TEST(PROC_0006,
     "a frame maps with rights within its cap's only; a read-only mapping rejects stores")
{
	uint64_t ut, fr, ro = slot_new(), va = REGION(2);

	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	CHECK_EQ(t, cover(ut, SEL_SLOT_VSPACE, va), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_FRAME, 12, &fr), SEL_OK);
	CHECK_EQ(t, sel_cnode_mint(ROOT, ro, fr, FULL, SEL_RIGHT_READ, 0), SEL_OK);
	CHECK_EQ(t, sel_frame_map(ro, SEL_SLOT_VSPACE, va, RW), SEL_ERR_NO_RIGHTS);
	CHECK_EQ(t, sel_frame_map(ro, SEL_SLOT_VSPACE, va, SEL_RIGHT_READ | SEL_RIGHT_EXECUTE),
	         SEL_ERR_NO_RIGHTS);
	CHECK_EQ(t, sel_frame_map(ro, SEL_SLOT_VSPACE, va, SEL_RIGHT_READ), SEL_OK);
	CHECK(t, !load_faults(va));
	CHECK(t, store_faults(va));
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(PROC_0007,
     "mapping errors are distinct: no page table, taken, remapped, misaligned, bad space")
{
	uint64_t ut, fr, fr2, ep, va = REGION(3);

	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_FRAME, 12, &fr), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_FRAME, 12, &fr2), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, sel_frame_map(fr, SEL_SLOT_VSPACE, va, RW), SEL_ERR_NO_PAGE_TABLE);
	CHECK_EQ(t, cover(ut, SEL_SLOT_VSPACE, va), SEL_OK);
	CHECK_EQ(t, sel_frame_map(fr, SEL_SLOT_VSPACE, va + 8, RW), SEL_ERR_RANGE);
	CHECK_EQ(t, sel_frame_map(fr, SEL_SLOT_VSPACE, 0xffffffc080200000ull, RW), SEL_ERR_RANGE);
	CHECK_EQ(t, sel_frame_map(fr, ep, va, RW), SEL_ERR_WRONG_TYPE);
	CHECK_EQ(t, sel_frame_map(fr, slot_new(), va, RW), SEL_ERR_EMPTY_SLOT);
	CHECK_EQ(t, sel_frame_map(fr, SEL_SLOT_VSPACE, va, 0), SEL_ERR_INVALID_ARG);
	CHECK_EQ(t, sel_frame_map(fr, SEL_SLOT_VSPACE, va, RW), SEL_OK);
	CHECK_EQ(t, sel_frame_map(fr, SEL_SLOT_VSPACE, va + 4096, RW), SEL_ERR_ALREADY_MAPPED);
	CHECK_EQ(t, sel_frame_map(fr2, SEL_SLOT_VSPACE, va, RW), SEL_ERR_ALREADY_MAPPED);
	CHECK_EQ(t, sel_frame_map(fr2, SEL_SLOT_VSPACE, 0x10000, RW), SEL_ERR_ALREADY_MAPPED);
	CHECK_EQ(t, sel_frame_map(fr2, SEL_SLOT_VSPACE, (1ull << 38), RW), SEL_ERR_RANGE);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(PROC_0008, "unmap takes a page away at once; the frame maps again afterwards")
{
	uint64_t ut, fr, va = REGION(4);

	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	CHECK_EQ(t, cover(ut, SEL_SLOT_VSPACE, va), SEL_OK);
	CHECK_EQ(t, frame_at(ut, SEL_SLOT_VSPACE, va, RW, &fr), SEL_OK);
	*(volatile uint64_t *)va = 77;
	CHECK_EQ(t, sel_frame_unmap(fr), SEL_OK);
	CHECK(t, load_faults(va));
	CHECK_EQ(t, sel_frame_map(fr, SEL_SLOT_VSPACE, va + 4096, RW), SEL_OK);
	CHECK_EQ(t, *(volatile uint64_t *)(va + 4096), 77); /* same memory, new place */
	CHECK_EQ(t, sel_cnode_delete(ROOT, fr, FULL, 0), SEL_OK);
	CHECK(t, load_faults(va + 4096)); /* deleting the cap unmapped it */
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(PROC_0009, "revoking a frame unmaps every copy, here and in another address space")
{
	uint64_t ut, vs, tcb, fr, c1 = slot_new(), c2 = slot_new();
	uint64_t here = REGION(5), there = REGION(5) + (1ull << 21);
	struct sel_thread_info st;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, loader_thread(ut, 5, there, &vs, &tcb), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_FRAME, 12, &fr), SEL_OK);
	CHECK_EQ(t, sel_cnode_copy(ROOT, c1, fr, FULL, SEL_RIGHTS_ALL), SEL_OK);
	CHECK_EQ(t, sel_cnode_copy(ROOT, c2, fr, FULL, SEL_RIGHTS_ALL), SEL_OK);
	CHECK_EQ(t, cover(ut, SEL_SLOT_VSPACE, here), SEL_OK);
	CHECK_EQ(t, cover(ut, vs, there), SEL_OK);
	CHECK_EQ(t, sel_frame_map(c1, SEL_SLOT_VSPACE, here, RW), SEL_OK);
	CHECK_EQ(t, sel_frame_map(c2, vs, there, SEL_RIGHT_READ), SEL_OK);
	*(volatile uint64_t *)here = 5;
	CHECK_EQ(t, sel_cnode_revoke(ROOT, fr, FULL, 0), SEL_OK);
	CHECK(t, load_faults(here));
	CHECK_EQ(t, sel_tcb_resume(tcb), SEL_OK);
	CHECK(t, wait_stopped(tcb, &st, 1000));
	CHECK(t, st.reason == SEL_STOP_FAULTED && st.code == 13 && st.addr == there);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(PROC_0010,
     "page tables install level by level, cannot be copied, unmap their range and come back empty")
{
	uint64_t ut, p1, p2, p3, fr, va = REGION(6), c = slot_new();

	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_PAGE_TABLE, 0, &p1), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_PAGE_TABLE, 0, &p2), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_PAGE_TABLE, 0, &p3), SEL_OK);
	CHECK_EQ(t, sel_cnode_copy(ROOT, c, p1, FULL, SEL_RIGHTS_ALL), SEL_ERR_ILLEGAL_OP);
	CHECK_EQ(t, sel_page_table_map(p1, SEL_SLOT_VSPACE, va), SEL_OK); /* 1 GiB level */
	CHECK_EQ(t, sel_page_table_map(p1, SEL_SLOT_VSPACE, va), SEL_ERR_ALREADY_MAPPED);
	CHECK_EQ(t, sel_page_table_map(p2, SEL_SLOT_VSPACE, va), SEL_OK); /* 2 MiB level */
	CHECK_EQ(t, sel_page_table_map(p3, SEL_SLOT_VSPACE, va), SEL_ERR_ALREADY_MAPPED);
	CHECK_EQ(t, sel_page_table_map(p3, SEL_SLOT_VSPACE, 1ull << 38), SEL_ERR_RANGE);
	CHECK_EQ(t, frame_at(ut, SEL_SLOT_VSPACE, va, RW, &fr), SEL_OK);
	CHECK(t, !load_faults(va));
	CHECK_EQ(t, sel_page_table_unmap(p2), SEL_OK);
	CHECK(t, load_faults(va)); /* its whole 2 MiB went with it */
	CHECK_EQ(t, sel_page_table_map(p2, SEL_SLOT_VSPACE, va), SEL_OK);
	CHECK(t, load_faults(va)); /* an unmapped table is cleared: it comes back empty */
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(PROC_0011, "frames of all 32 rights subsets map exactly with the rights they hold")
{
	uint64_t ut, fr, va = REGION(7);

	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	CHECK_EQ(t, cover(ut, SEL_SLOT_VSPACE, va), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_FRAME, 12, &fr), SEL_OK);
	for (uint32_t r = 0; r <= SEL_RIGHTS_ALL; r++) {
		uint64_t m = slot_new();
		CHECK_EQ(t, sel_cnode_mint(ROOT, m, fr, FULL, r, 0), SEL_OK);
		for (uint32_t want = 1; want <= SEL_RIGHTS_ALL; want++) {
			int err = sel_frame_map(m, SEL_SLOT_VSPACE, va, want);
			int legal = want & (SEL_RIGHT_READ | SEL_RIGHT_WRITE);
			int expect = !legal             ? SEL_ERR_INVALID_ARG
			             : (want & ~r) != 0 ? SEL_ERR_NO_RIGHTS
			                                : SEL_OK;
			CHECK_EQ(t, err, expect);
			if (err == SEL_OK) {
				CHECK_EQ(t, load_faults(va), 0);
				CHECK_EQ(t, store_faults(va), !(want & SEL_RIGHT_WRITE));
				CHECK_EQ(t, sel_frame_unmap(m), SEL_OK);
			}
		}
		CHECK_EQ(t, sel_cnode_delete(ROOT, m, FULL, 0), SEL_OK);
	}
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(PROC_0022, "page-table caps of all 32 rights subsets: Map and Unmap need Write")
{
	uint64_t ut, va = REGION(14);

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	for (uint32_t r = 0; r <= SEL_RIGHTS_ALL; r++) {
		uint64_t pt, m = slot_new();
		int w = r & SEL_RIGHT_WRITE ? SEL_OK : SEL_ERR_NO_RIGHTS;
		CHECK_EQ(t, object_new(ut, SEL_OBJ_PAGE_TABLE, 0, &pt), SEL_OK);
		CHECK_EQ(t, sel_cnode_mutate(ROOT, m, pt, FULL, r, 0), SEL_OK);
		CHECK_EQ(t, ident(m).rights, r);
		CHECK_EQ(t, sel_page_table_map(m, SEL_SLOT_VSPACE, va), w);
		CHECK_EQ(t, sel_page_table_unmap(m), w);
		CHECK_EQ(t, sel_cnode_delete(ROOT, m, FULL, 0), SEL_OK);
	}
	/* A VSpace cap without Write cannot be mapped into. */
	uint64_t pt, vs_ro = slot_new();
	CHECK_EQ(t, object_new(ut, SEL_OBJ_PAGE_TABLE, 0, &pt), SEL_OK);
	CHECK_EQ(t, sel_cnode_copy(ROOT, vs_ro, SEL_SLOT_VSPACE, FULL, SEL_RIGHT_READ), SEL_OK);
	CHECK_EQ(t, sel_page_table_map(pt, vs_ro, va), SEL_ERR_NO_RIGHTS);
	CHECK_EQ(t, sel_cnode_delete(ROOT, vs_ro, FULL, 0), SEL_OK);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(PROC_0023, "a 2 MiB frame maps under a level-1 table only, and unmaps whole")
{
	uint64_t ut, pt, fr, va = REGION(15);

	CHECK_EQ(t, untyped_new(22, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_FRAME, 21, &fr), SEL_OK);
	CHECK_EQ(t, sel_frame_map(fr, SEL_SLOT_VSPACE, va, RW), SEL_ERR_NO_PAGE_TABLE);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_PAGE_TABLE, 0, &pt), SEL_OK);
	CHECK_EQ(t, sel_page_table_map(pt, SEL_SLOT_VSPACE, va), SEL_OK); /* the 1 GiB level */
	CHECK_EQ(t, sel_frame_map(fr, SEL_SLOT_VSPACE, va + 4096, RW), SEL_ERR_RANGE);
	CHECK_EQ(t, sel_frame_map(fr, SEL_SLOT_VSPACE, va, RW), SEL_OK);
	*(volatile uint64_t *)va = 1;
	*(volatile uint64_t *)(va + (2u << 20) - 8) = 2; /* its last word */
	CHECK(t, load_faults(va + (2u << 20)));          /* and not one byte more */
	CHECK_EQ(t, sel_frame_unmap(fr), SEL_OK);
	CHECK(t, load_faults(va));
	CHECK(t, load_faults(va + (1u << 20)));
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}
