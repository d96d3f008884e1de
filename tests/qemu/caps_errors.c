/*
 * Capability-core tests: every distinct error of retype and of capability
 * addressing, with every involved slot unchanged after a failure; Untyped
 * exhaustion, reuse and reset; multi-level CSpaces with guards.
 */
#include "caps_util.h"

TEST(CAP_0014, "retype refuses bad sizes, types and counts with distinct errors, creating nothing")
{
	uint64_t ut, ep, d = slot_new();
	struct sel_untyped_info before, after;

	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, sel_untyped_info(ut, &before), SEL_OK);
	CHECK_EQ(t, sel_untyped_retype(ut, SEL_OBJ_CNODE, 0, ROOT, d, 1), SEL_ERR_RANGE);
	CHECK_EQ(t, sel_untyped_retype(ut, SEL_OBJ_CNODE, 21, ROOT, d, 1), SEL_ERR_RANGE);
	CHECK_EQ(t, sel_untyped_retype(ut, SEL_OBJ_FRAME, 13, ROOT, d, 1), SEL_ERR_RANGE);
	CHECK_EQ(t, sel_untyped_retype(ut, SEL_OBJ_UNTYPED, 3, ROOT, d, 1), SEL_ERR_RANGE);
	CHECK_EQ(t, sel_untyped_retype(ut, SEL_OBJ_UNTYPED, 16, ROOT, d, 1), SEL_ERR_RANGE);
	CHECK_EQ(t, sel_untyped_retype(ut, (enum sel_object_type)99, 0, ROOT, d, 1),
	         SEL_ERR_INVALID_ARG);
	CHECK_EQ(t, sel_untyped_retype(ut, SEL_OBJ_NULL, 0, ROOT, d, 1), SEL_ERR_INVALID_ARG);
	CHECK_EQ(t, sel_untyped_retype(ut, SEL_OBJ_DEBUG, 0, ROOT, d, 1), SEL_ERR_INVALID_ARG);
	CHECK_EQ(t, sel_untyped_retype(ut, SEL_OBJ_IRQ_CONTROL, 0, ROOT, d, 1),
	         SEL_ERR_INVALID_ARG);
	CHECK_EQ(t, sel_untyped_retype(ut, SEL_OBJ_ENDPOINT, 0, ROOT, d, 0), SEL_ERR_RANGE);
	CHECK_EQ(t, sel_untyped_retype(ut, SEL_OBJ_ENDPOINT, 0, ROOT, d, 257), SEL_ERR_RANGE);
	CHECK_EQ(t, sel_untyped_retype(ut, SEL_OBJ_ENDPOINT, 0, ROOT, 4095, 2), SEL_ERR_RANGE);
	CHECK_EQ(t, sel_untyped_retype(ut, SEL_OBJ_ENDPOINT, 0, ep, d, 1), SEL_ERR_WRONG_TYPE);
	CHECK_EQ(t, sel_untyped_retype(ut, SEL_OBJ_ENDPOINT, 0, slot_new(), d, 1),
	         SEL_ERR_EMPTY_SLOT);
	/* One occupied slot among the destinations: nothing is created. */
	uint64_t f = slots_new(3);
	CHECK_EQ(t, sel_cnode_copy(ROOT, f + 1, ep, FULL, SEL_RIGHTS_ALL), SEL_OK);
	CHECK_EQ(t, sel_untyped_retype(ut, SEL_OBJ_ENDPOINT, 0, ROOT, f, 3), SEL_ERR_SLOT_OCCUPIED);
	CHECK_EQ(t, ident(f).type, SEL_OBJ_NULL);
	CHECK_EQ(t, ident(f + 2).type, SEL_OBJ_NULL);
	CHECK_EQ(t, ident(d).type, SEL_OBJ_NULL);
	CHECK_EQ(t, sel_untyped_info(ut, &after), SEL_OK);
	CHECK_EQ(t, after.watermark, before.watermark);
	CHECK_EQ(t, ident(ep).type, SEL_OBJ_ENDPOINT);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(CAP_0015, "an Untyped runs out (SEL_ERR_NO_MEMORY), and revoke makes its memory reusable")
{
	uint64_t ut, first = slots_new(5);
	struct sel_untyped_info info;

	CHECK_EQ(t, untyped_new(14, &ut), SEL_OK);
	CHECK_EQ(t, sel_untyped_retype(ut, SEL_OBJ_FRAME, 12, ROOT, first, 4), SEL_OK);
	CHECK_EQ(t, sel_untyped_retype(ut, SEL_OBJ_FRAME, 12, ROOT, first + 4, 1),
	         SEL_ERR_NO_MEMORY);
	CHECK_EQ(t, sel_untyped_retype(ut, SEL_OBJ_ENDPOINT, 0, ROOT, first + 4, 1),
	         SEL_ERR_NO_MEMORY);
	CHECK_EQ(t, ident(first + 4).type, SEL_OBJ_NULL);
	CHECK_EQ(t, sel_untyped_info(ut, &info), SEL_OK);
	CHECK_EQ(t, info.watermark, 1ull << 14);
	CHECK_EQ(t, sel_untyped_reset(ut), SEL_ERR_HAS_CHILDREN);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
	for (int i = 0; i < 4; i++)
		CHECK_EQ(t, ident(first + i).type, SEL_OBJ_NULL);
	CHECK_EQ(t, sel_untyped_retype(ut, SEL_OBJ_FRAME, 12, ROOT, first, 4), SEL_OK);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
	CHECK_EQ(t, sel_untyped_reset(ut), SEL_OK);
	CHECK_EQ(t, sel_untyped_info(ut, &info), SEL_OK);
	CHECK_EQ(t, info.watermark, 0);
}

TEST(CAP_0016, "bad capability addresses give distinct errors and change nothing")
{
	uint64_t ut, ep, empty = slot_new();
	struct sel_identity id;

	CHECK_EQ(t, untyped_new(12, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	/* The root CNode's guard is 52 zero bits: anything above bit 11 mismatches. */
	CHECK_EQ(t, sel_invoke(1ull << 12 | ROOT, SEL_CNODE_IDENTIFY, ep, 0, 0, FULL, 0, 0),
	         SEL_ERR_INVALID_CAP);
	CHECK_EQ(t, sel_invoke(~0ull, SEL_CNODE_IDENTIFY, ep, 0, 0, FULL, 0, 0),
	         SEL_ERR_INVALID_CAP);
	CHECK_EQ(t, sel_invoke(empty, SEL_CNODE_IDENTIFY, ep, 0, 0, FULL, 0, 0),
	         SEL_ERR_EMPTY_SLOT);
	CHECK_EQ(t, sel_invoke(SEL_SLOT_NULL, SEL_UNTYPED_INFO, 0, 0, 0, 0, 0, 0),
	         SEL_ERR_EMPTY_SLOT);
	CHECK_EQ(t, sel_invoke(ut, SEL_CNODE_COPY, 0, 0, 0, 0, 0, 0), SEL_ERR_ILLEGAL_OP);
	CHECK_EQ(t, sel_invoke(ROOT, 999, 0, 0, 0, 0, 0, 0), SEL_ERR_ILLEGAL_OP);
	CHECK_EQ(t, sel_invoke(ROOT, SEL_CNODE_IDENTIFY, ep, 0, 0, 0, 0, 0), SEL_ERR_RANGE);
	CHECK_EQ(t, sel_invoke(ROOT, SEL_CNODE_IDENTIFY, ep, 0, 0, 65, 0, 0), SEL_ERR_RANGE);
	CHECK_EQ(t, sel_invoke(ROOT, SEL_CNODE_IDENTIFY, ep, 0, 0, 12, 0, 0), SEL_ERR_INVALID_CAP);
	CHECK_EQ(t, sel_cnode_copy(ROOT, 1ull << 40, ep, FULL, SEL_RIGHTS_ALL),
	         SEL_ERR_INVALID_CAP);
	CHECK_EQ(t, sel_cnode_identify(ROOT, empty, FULL, &id), SEL_OK);
	CHECK_EQ(t, id.type, SEL_OBJ_NULL);
	CHECK_EQ(t, ident(ep).type, SEL_OBJ_ENDPOINT);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

/* A slot of CNode `c` (a root CNode cptr) at `index`, `depth`. */
static struct sel_slot at(uint64_t c, uint64_t index, uint32_t depth)
{
	return sel_slot_in(c, index, depth);
}

TEST(CAP_0017, "a multi-level CSpace resolves through guards and radices, and rejects mismatches")
{
	uint64_t ut, c1, c2, ep;
	struct sel_identity id;
	struct sel_ret r;

	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_CNODE, 8, &c1), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_CNODE, 4, &c2), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	/* C2's cap moves into C1 slot 5, then is mutated into slot 6 with guard 0b01. */
	CHECK_EQ(t, sel_cnode_op(SEL_CNODE_MOVE, at(c1, 5, 8), at(ROOT, c2, FULL), 0, 0), SEL_OK);
	CHECK_EQ(t, ident(c2).type, SEL_OBJ_NULL);
	CHECK_EQ(t,
	         sel_cnode_op(SEL_CNODE_MUTATE, at(c1, 6, 8), at(c1, 5, 8), SEL_RIGHTS_ALL,
	                      (1 << 6) | 2),
	         SEL_OK);
	/* The endpoint goes into C2 slot 3, addressed through C1: 6 . 01 . 3 (8+2+4 bits). */
	uint64_t deep = (6u << 6) | (1u << 4) | 3u;
	CHECK_EQ(
	    t,
	    sel_cnode_op(SEL_CNODE_COPY, at(c1, deep, 14), at(ROOT, ep, FULL), SEL_RIGHT_READ, 0),
	    SEL_OK);
	CHECK_EQ(t, sel_cnode_identify(c1, deep, 14, &id), SEL_OK);
	CHECK(t, id.type == SEL_OBJ_ENDPOINT && id.rights == SEL_RIGHT_READ);
	/* Guard mismatch, depth mismatch, and a non-CNode in the middle. */
	CHECK_EQ(t, sel_invoke(c1, SEL_CNODE_IDENTIFY, (6u << 6) | (2u << 4) | 3u, 0, 0, 14, 0, &r),
	         SEL_ERR_INVALID_CAP);
	CHECK_EQ(t, sel_invoke(c1, SEL_CNODE_IDENTIFY, deep >> 1, 0, 0, 13, 0, &r),
	         SEL_ERR_INVALID_CAP);
	CHECK_EQ(t, sel_invoke(c1, SEL_CNODE_IDENTIFY, (7u << 6) | (1u << 4) | 3u, 0, 0, 14, 0, &r),
	         SEL_ERR_INVALID_CAP);
	/* Revoking the Untyped removes everything, at every level. */
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
	CHECK_EQ(t, ident(c1).type, SEL_OBJ_NULL);
	CHECK_EQ(t, ident(ep).type, SEL_OBJ_NULL);
}

TEST(CAP_0018, "deleting the last cap to nested non-empty CNodes destroys everything inside")
{
	uint64_t ut, c1, c2, c3, ep;
	struct sel_untyped_info info;

	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_CNODE, 4, &c1), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_CNODE, 4, &c2), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_CNODE, 4, &c3), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	/* ep -> C3[2], C3 -> C2[1], C2 -> C1[0]: three levels deep, only caps there. */
	CHECK_EQ(t, sel_cnode_op(SEL_CNODE_MOVE, at(c3, 2, 4), at(ROOT, ep, FULL), 0, 0), SEL_OK);
	CHECK_EQ(t, sel_cnode_op(SEL_CNODE_MOVE, at(c2, 1, 4), at(ROOT, c3, FULL), 0, 0), SEL_OK);
	CHECK_EQ(t, sel_cnode_op(SEL_CNODE_MOVE, at(c1, 0, 4), at(ROOT, c2, FULL), 0, 0), SEL_OK);
	CHECK_EQ(t, sel_untyped_reset(ut), SEL_ERR_HAS_CHILDREN);
	CHECK_EQ(t, sel_cnode_delete(ROOT, c1, FULL, 0), SEL_OK);
	CHECK_EQ(t, ident(c1).type, SEL_OBJ_NULL);
	CHECK_EQ(t, sel_untyped_reset(ut), SEL_OK); /* every object was finalised */
	CHECK_EQ(t, sel_untyped_info(ut, &info), SEL_OK);
	CHECK_EQ(t, info.watermark, 0);
}
