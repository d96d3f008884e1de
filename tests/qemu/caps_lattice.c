/*
 * The rights lattice, exercised: for every one of the 32 subsets of rights,
 * a cap is minted (or mutated) to that subset and every operation that
 * exists is attempted through it. An operation succeeds exactly when the
 * cap holds the right it needs (docs/capabilities.md), and its effect (or
 * its absence) is checked through an unrestricted cap to the same object.
 * Plus: device Untyped, thread finalisation, Identify, and the checker.
 */
#include <sel/debug.h>
#include "caps_util.h"

static struct sel_slot at(uint64_t c, uint64_t index, uint32_t depth)
{
	return sel_slot_in(c, index, depth);
}

static int expect(uint32_t rights, uint32_t need)
{
	return (rights & need) == need ? SEL_OK : SEL_ERR_NO_RIGHTS;
}

/* Every CNode method through a CNode cap with rights r; C is the full cap. */
static void cnode_lattice_one(struct test_ctx *t, uint64_t c, uint64_t ep, uint32_t r)
{
	uint64_t cr = slot_new(), tmp = slot_new();
	int w = expect(r, SEL_RIGHT_WRITE), rd = expect(r, SEL_RIGHT_READ);
	struct sel_identity id;

	CHECK_EQ(t, sel_cnode_mint(ROOT, cr, c, FULL, r, 0), SEL_OK); /* guard 0: depth 4 */
	CHECK_EQ(t, sel_cnode_op(SEL_CNODE_COPY, at(cr, 1, 4), at(ROOT, ep, FULL), 7, 0), w);
	CHECK_EQ(t, sel_cnode_identify(c, 1, 4, &id), SEL_OK);
	CHECK_EQ(t, id.type, w == SEL_OK ? SEL_OBJ_ENDPOINT : SEL_OBJ_NULL);
	CHECK_EQ(t, sel_cnode_op(SEL_CNODE_MINT, at(cr, 2, 4), at(ROOT, ep, FULL), 3, 9), w);
	CHECK_EQ(t, sel_cnode_copy(ROOT, tmp, ep, FULL, SEL_RIGHTS_ALL), SEL_OK);
	CHECK_EQ(t, sel_cnode_op(SEL_CNODE_MOVE, at(cr, 3, 4), at(ROOT, tmp, FULL), 0, 0), w);
	CHECK_EQ(t, ident(tmp).type, w == SEL_OK ? SEL_OBJ_NULL : SEL_OBJ_ENDPOINT);
	CHECK_EQ(t, sel_cnode_op(SEL_CNODE_MUTATE, at(cr, 4, 4), at(ROOT, tmp, FULL), 1, 0),
	         w == SEL_OK ? SEL_ERR_EMPTY_SLOT : w);
	/* cr as the source root also needs Write. */
	CHECK_EQ(t, sel_cnode_op(SEL_CNODE_COPY, at(ROOT, slot_new(), FULL), at(cr, 1, 4), 7, 0),
	         w == SEL_OK ? SEL_OK : SEL_ERR_NO_RIGHTS);
	CHECK_EQ(t, sel_invoke(cr, SEL_CNODE_IDENTIFY, 1, 0, 0, 4, 0, 0), rd);
	CHECK_EQ(t, sel_cnode_revoke(cr, 1, 4, 0), w);
	CHECK_EQ(t, sel_cnode_delete(cr, 1, 4, 0), w);
	CHECK_EQ(t, sel_cnode_identify(c, 1, 4, &id), SEL_OK);
	CHECK_EQ(t, id.type, SEL_OBJ_NULL);
	/* Clean up through the full cap; nothing may be left for the next subset. */
	for (uint64_t i = 0; i < 16; i++)
		CHECK_EQ(t, sel_cnode_delete(c, i, 4, 0), SEL_OK);
	CHECK_EQ(t, sel_cnode_delete(ROOT, cr, FULL, 0), SEL_OK);
	CHECK_EQ(t, sel_cnode_delete(ROOT, tmp, FULL, 0), SEL_OK);
}

TEST(CAP_0019, "CNode caps of all 32 rights subsets: each method works iff its right is held")
{
	uint64_t ut, c, ep;

	CHECK_EQ(t, untyped_new(14, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_CNODE, 4, &c), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	for (uint32_t r = 0; r <= SEL_RIGHTS_ALL && !t->failed; r++)
		cnode_lattice_one(t, c, ep, r);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(CAP_0020, "Untyped caps of all 32 rights subsets: Retype and Reset need Write, Info nothing")
{
	struct sel_untyped_info info;

	for (uint32_t r = 0; r <= SEL_RIGHTS_ALL; r++) {
		uint64_t ut, ur = slot_new(), obj = slot_new();
		int w = expect(r, SEL_RIGHT_WRITE);
		CHECK_EQ(t, untyped_new(12, &ut), SEL_OK);
		CHECK_EQ(t, sel_cnode_mutate(ROOT, ur, ut, FULL, r, 0), SEL_OK);
		CHECK_EQ(t, ident(ur).rights, r);
		CHECK_EQ(t, sel_untyped_info(ur, &info), SEL_OK);
		CHECK_EQ(t, sel_untyped_reset(ur), w);
		CHECK_EQ(t, sel_untyped_retype(ur, SEL_OBJ_ENDPOINT, 0, ROOT, obj, 1), w);
		CHECK_EQ(t, ident(obj).type, w == SEL_OK ? SEL_OBJ_ENDPOINT : SEL_OBJ_NULL);
		CHECK_EQ(t, sel_untyped_info(ur, &info), SEL_OK);
		CHECK_EQ(t, info.watermark, w == SEL_OK ? 32 : 0);
		CHECK_EQ(t, sel_cnode_revoke(ROOT, ur, FULL, 0), SEL_OK);
		CHECK_EQ(t, sel_cnode_delete(ROOT, ur, FULL, 0), SEL_OK);
	}
}

TEST(CAP_0021, "Mint and Copy never add a right: asking for all rights keeps the source's")
{
	uint64_t ut, nt, a = slot_new(), b = slot_new();

	CHECK_EQ(t, untyped_new(12, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_NOTIFICATION, 0, &nt), SEL_OK);
	for (uint32_t r = 0; r <= SEL_RIGHTS_ALL; r++) {
		CHECK_EQ(t, sel_cnode_mint(ROOT, a, nt, FULL, r, 0), SEL_OK);
		CHECK_EQ(t, sel_cnode_mint(ROOT, b, a, FULL, SEL_RIGHTS_ALL, 0), SEL_OK);
		CHECK_EQ(t, ident(b).rights, r);
		CHECK_EQ(t, sel_cnode_delete(ROOT, b, FULL, 0), SEL_OK);
		CHECK_EQ(t, sel_cnode_copy(ROOT, b, a, FULL, SEL_RIGHTS_ALL), SEL_OK);
		CHECK_EQ(t, ident(b).rights, r);
		CHECK_EQ(t, sel_cnode_delete(ROOT, b, FULL, 0), SEL_OK);
		CHECK_EQ(t, sel_cnode_mutate(ROOT, b, a, FULL, SEL_RIGHTS_ALL, 0), SEL_OK);
		CHECK_EQ(t, ident(b).rights, r);
		CHECK_EQ(t, sel_cnode_delete(ROOT, b, FULL, 0), SEL_OK);
	}
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(CAP_0022, "device Untyped gives Frames and Untyped, never other objects, and is never zeroed")
{
	uint64_t dev = device_untyped(), fr = slot_new(), ep = slot_new();

	CHECK(t, dev != 0);
	CHECK_EQ(t, ident(dev).flags & 1, 1);
	CHECK_EQ(t, sel_untyped_retype(dev, SEL_OBJ_ENDPOINT, 0, ROOT, ep, 1), SEL_ERR_WRONG_TYPE);
	CHECK_EQ(t, sel_untyped_retype(dev, SEL_OBJ_CNODE, 4, ROOT, ep, 1), SEL_ERR_WRONG_TYPE);
	CHECK_EQ(t, ident(ep).type, SEL_OBJ_NULL);
	CHECK_EQ(t, sel_untyped_retype(dev, SEL_OBJ_FRAME, 12, ROOT, fr, 1), SEL_OK);
	CHECK(t, ident(fr).type == SEL_OBJ_FRAME && (ident(fr).flags & 1));
	CHECK_EQ(t, sel_cnode_revoke(ROOT, dev, FULL, 0), SEL_OK);
	CHECK_EQ(t, sel_untyped_reset(dev), SEL_OK);
}

TEST(CAP_0023, "deleting the last cap to a thread finalises it; its memory can be carved again")
{
	uint64_t ut, tcb, copy = slot_new();

	CHECK_EQ(t, untyped_new(12, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_TCB, 0, &tcb), SEL_OK);
	CHECK_EQ(t, sel_cnode_copy(ROOT, copy, tcb, FULL, SEL_RIGHT_READ), SEL_OK);
	CHECK_EQ(t, sel_cnode_delete(ROOT, tcb, FULL, 0), SEL_OK);
	CHECK_EQ(t, sel_untyped_reset(ut), SEL_ERR_HAS_CHILDREN);
	CHECK_EQ(t, sel_cnode_delete(ROOT, copy, FULL, 0), SEL_OK);
	CHECK_EQ(t, sel_untyped_reset(ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_TCB, 0, &tcb), SEL_OK);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(CAP_0024, "Identify reports exactly the type, rights, badge and size that were minted")
{
	uint64_t ut, ep, fr, cn, a = slot_new(), b = slot_new(), c = slot_new();
	struct sel_identity id;

	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_FRAME, 12, &fr), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_CNODE, 6, &cn), SEL_OK);
	CHECK_EQ(t, sel_cnode_mint(ROOT, a, ep, FULL, SEL_RIGHT_WRITE | SEL_RIGHT_GRANT, 0xbeef),
	         SEL_OK);
	CHECK_EQ(t, sel_cnode_mint(ROOT, b, fr, FULL, SEL_RIGHT_READ | SEL_RIGHT_EXECUTE, 0),
	         SEL_OK);
	CHECK_EQ(t, sel_cnode_mint(ROOT, c, cn, FULL, SEL_RIGHT_READ, 0), SEL_OK);
	id = ident(a);
	CHECK(t, id.type == SEL_OBJ_ENDPOINT && id.badge == 0xbeef && id.flags == 0);
	CHECK_EQ(t, id.rights, SEL_RIGHT_WRITE | SEL_RIGHT_GRANT);
	id = ident(b);
	CHECK(t, id.type == SEL_OBJ_FRAME && id.size_bits == 12 && id.badge == 0);
	CHECK_EQ(t, id.rights, SEL_RIGHT_READ | SEL_RIGHT_EXECUTE);
	id = ident(c);
	CHECK(t, id.type == SEL_OBJ_CNODE && id.size_bits == 6 && id.rights == SEL_RIGHT_READ);
	id = ident(ut);
	CHECK(t, id.type == SEL_OBJ_UNTYPED && id.size_bits == 16 && id.flags == 0);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(CAP_0025, "the kernel's invariant checker finds every invariant holding after all of this")
{
	struct sel_ret r;

	if (!sel_debug_info(SEL_INFO_DEBUG_KERNEL)) { /* release kernels have no checker */
		CHECK_EQ(t,
		         sel_invoke(SEL_SLOT_DEBUG, SEL_DEBUG_CHECK_INVARIANTS, 0, 0, 0, 0, 0, &r),
		         SEL_ERR_NOT_SUPPORTED);
		return;
	}
	CHECK_EQ(t, sel_invoke(SEL_SLOT_DEBUG, SEL_DEBUG_CHECK_INVARIANTS, 0, 0, 0, 0, 0, &r),
	         SEL_OK);
	CHECK_EQ(t, r.v[0], 0);                                            /* no invariant failed */
	CHECK(t, r.v[1] > (test_bootinfo ? test_bootinfo->n_untyped : 3)); /* it walked every cap */
}
