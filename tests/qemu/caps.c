/*
 * Capability-core tests: the boot capabilities, retype, rights through
 * Mint and Copy, badges, errors that leave every slot unchanged, the
 * derivation tree under Revoke, Delete, Move and Mutate, and finalisation.
 * This image boots with "capcheck=all": the kernel runs its invariant
 * checker after every syscall, so each test also proves the invariants
 * hold after each step.
 */
#include "caps_util.h"

TEST(CAP_0002, "retype creates each object type with all rights and moves the watermark")
{
	static const struct {
		enum sel_object_type type;
		uint32_t size_bits, obj_bits;
	} objs[] = {
	    {SEL_OBJ_CNODE, 4, 10},       {SEL_OBJ_TCB, 0, 11},      {SEL_OBJ_ENDPOINT, 0, 5},
	    {SEL_OBJ_NOTIFICATION, 0, 6}, {SEL_OBJ_FRAME, 12, 12},   {SEL_OBJ_PAGE_TABLE, 0, 12},
	    {SEL_OBJ_VSPACE, 0, 12},      {SEL_OBJ_UNTYPED, 12, 12}, {SEL_OBJ_UINTR_RECEIVER, 0, 6},
	};
	struct sel_untyped_info before, after;
	uint64_t ut, s;

	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	for (unsigned i = 0; i < sizeof(objs) / sizeof(objs[0]); i++) {
		CHECK_EQ(t, sel_untyped_info(ut, &before), SEL_OK);
		CHECK_EQ(t, object_new(ut, objs[i].type, objs[i].size_bits, &s), SEL_OK);
		CHECK_EQ(t, sel_untyped_info(ut, &after), SEL_OK);
		struct sel_identity id = ident(s);
		CHECK_EQ(t, id.type, objs[i].type);
		CHECK_EQ(t, id.rights, SEL_RIGHTS_ALL);
		CHECK(t, after.watermark >= before.watermark + (1ull << objs[i].obj_bits));
		CHECK_EQ(t, after.watermark % (1ull << objs[i].obj_bits), 0); /* aligned */
	}
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(CAP_0003, "Mint yields exactly each of the 32 rights subsets; Copy intersects, never adds")
{
	uint64_t ut, ep, a = slot_new(), b = slot_new();

	CHECK_EQ(t, untyped_new(12, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	for (uint32_t r = 0; r <= SEL_RIGHTS_ALL; r++) {
		CHECK_EQ(t, sel_cnode_mint(ROOT, a, ep, FULL, r, 0), SEL_OK);
		CHECK_EQ(t, ident(a).rights, r);
		for (uint32_t m = 0; m <= SEL_RIGHTS_ALL; m++) {
			CHECK_EQ(t, sel_cnode_copy(ROOT, b, a, FULL, m), SEL_OK);
			CHECK_EQ(t, ident(b).rights, r & m);
			CHECK_EQ(t, sel_cnode_delete(ROOT, b, FULL, 0), SEL_OK);
		}
		CHECK_EQ(t, sel_cnode_delete(ROOT, a, FULL, 0), SEL_OK);
	}
	CHECK_EQ(t, sel_cnode_mint(ROOT, a, ep, FULL, SEL_RIGHTS_ALL + 1, 0), SEL_ERR_INVALID_ARG);
	CHECK_EQ(t, ident(a).type, SEL_OBJ_NULL);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(CAP_0004, "a badge once set never changes: re-mint with another badge or 0 is refused")
{
	uint64_t ut, ep, a = slot_new(), b = slot_new(), c = slot_new();

	CHECK_EQ(t, untyped_new(12, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, sel_cnode_mint(ROOT, a, ep, FULL, SEL_RIGHTS_ALL, 5), SEL_OK);
	CHECK_EQ(t, ident(a).badge, 5);
	CHECK_EQ(t, sel_cnode_mint(ROOT, b, a, FULL, SEL_RIGHTS_ALL, 7), SEL_ERR_BADGE_SET);
	CHECK_EQ(t, sel_cnode_mint(ROOT, b, a, FULL, SEL_RIGHTS_ALL, 0), SEL_ERR_BADGE_SET);
	CHECK_EQ(t, ident(b).type, SEL_OBJ_NULL);
	CHECK_EQ(t, sel_cnode_mint(ROOT, b, a, FULL, SEL_RIGHT_WRITE, 5), SEL_OK);
	CHECK(t, ident(b).badge == 5 && ident(b).rights == SEL_RIGHT_WRITE);
	CHECK_EQ(t, sel_cnode_copy(ROOT, c, b, FULL, SEL_RIGHTS_ALL), SEL_OK);
	CHECK_EQ(t, ident(c).badge, 5);
	CHECK_EQ(t, sel_cnode_mutate(ROOT, ep, c, FULL, SEL_RIGHTS_ALL, 9), SEL_ERR_SLOT_OCCUPIED);
	uint64_t d = slot_new();
	CHECK_EQ(t, sel_cnode_mutate(ROOT, d, c, FULL, SEL_RIGHTS_ALL, 9), SEL_ERR_BADGE_SET);
	CHECK_EQ(t, sel_cnode_mutate(ROOT, d, c, FULL, SEL_RIGHTS_ALL, 0), SEL_ERR_BADGE_SET);
	CHECK_EQ(t, ident(c).badge, 5);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(CAP_0005, "badges up to 2^64-1 are kept exactly, on endpoints and notifications")
{
	static const uint64_t badges[] = {1, 0x8000000000000000ull, ~0ull, 0x0123456789abcdefull};
	uint64_t ut, ep, nt, a = slot_new(), b = slot_new();

	CHECK_EQ(t, untyped_new(13, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_NOTIFICATION, 0, &nt), SEL_OK);
	for (unsigned i = 0; i < 4; i++) {
		CHECK_EQ(t, sel_cnode_mint(ROOT, a, ep, FULL, SEL_RIGHTS_ALL, badges[i]), SEL_OK);
		CHECK_EQ(t, sel_cnode_mint(ROOT, b, nt, FULL, SEL_RIGHT_WRITE, badges[i]), SEL_OK);
		CHECK_EQ(t, ident(a).badge, badges[i]);
		CHECK(t, ident(b).badge == badges[i] && ident(b).type == SEL_OBJ_NOTIFICATION);
		CHECK_EQ(t, sel_cnode_delete(ROOT, a, FULL, 0), SEL_OK);
		CHECK_EQ(t, sel_cnode_delete(ROOT, b, FULL, 0), SEL_OK);
	}
	/* Types without badges refuse a non-zero Mint data word. */
	uint64_t fr;
	CHECK_EQ(t, object_new(ut, SEL_OBJ_FRAME, 12, &fr), SEL_OK);
	CHECK_EQ(t, sel_cnode_mint(ROOT, a, fr, FULL, SEL_RIGHTS_ALL, 3), SEL_ERR_INVALID_ARG);
	CHECK_EQ(t, ident(a).type, SEL_OBJ_NULL);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(CAP_0006, "copy, mint, move and mutate into an occupied slot fail; both slots unchanged")
{
	uint64_t ut, ep, nt, a = slot_new();

	CHECK_EQ(t, untyped_new(12, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_NOTIFICATION, 0, &nt), SEL_OK);
	CHECK_EQ(t, sel_cnode_mint(ROOT, a, ep, FULL, SEL_RIGHT_READ, 11), SEL_OK);
	struct sel_identity src = ident(a), dst = ident(nt);
	CHECK_EQ(t, sel_cnode_copy(ROOT, nt, a, FULL, SEL_RIGHTS_ALL), SEL_ERR_SLOT_OCCUPIED);
	CHECK_EQ(t, sel_cnode_mint(ROOT, nt, a, FULL, SEL_RIGHTS_ALL, 11), SEL_ERR_SLOT_OCCUPIED);
	CHECK_EQ(t, sel_cnode_move(ROOT, nt, a, FULL), SEL_ERR_SLOT_OCCUPIED);
	CHECK_EQ(t, sel_cnode_mutate(ROOT, nt, a, FULL, 0, 11), SEL_ERR_SLOT_OCCUPIED);
	CHECK(t, ident_eq(ident(a), src) && ident_eq(ident(nt), dst));
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(CAP_0007, "copy, mint, move and mutate from an empty slot fail; the destination stays empty")
{
	uint64_t empty = slot_new(), dest = slot_new();

	CHECK_EQ(t, sel_cnode_copy(ROOT, dest, empty, FULL, SEL_RIGHTS_ALL), SEL_ERR_EMPTY_SLOT);
	CHECK_EQ(t, sel_cnode_mint(ROOT, dest, empty, FULL, SEL_RIGHTS_ALL, 1), SEL_ERR_EMPTY_SLOT);
	CHECK_EQ(t, sel_cnode_move(ROOT, dest, empty, FULL), SEL_ERR_EMPTY_SLOT);
	CHECK_EQ(t, sel_cnode_mutate(ROOT, dest, empty, FULL, 0, 0), SEL_ERR_EMPTY_SLOT);
	CHECK_EQ(t, sel_cnode_delete(ROOT, empty, FULL, 0), SEL_OK); /* deleting nothing is fine */
	CHECK_EQ(t, ident(dest).type, SEL_OBJ_NULL);
	CHECK_EQ(t, ident(empty).type, SEL_OBJ_NULL);
}

TEST(CAP_0008, "revoke of a three-level tree removes every descendant and keeps the cap")
{
	uint64_t ut, ep, a = slot_new(), b = slot_new(), c = slot_new(), d = slot_new();

	CHECK_EQ(t, untyped_new(12, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, sel_cnode_copy(ROOT, a, ep, FULL, SEL_RIGHTS_ALL), SEL_OK);
	CHECK_EQ(t, sel_cnode_copy(ROOT, b, a, FULL, SEL_RIGHTS_ALL), SEL_OK);
	CHECK_EQ(t, sel_cnode_copy(ROOT, c, b, FULL, SEL_RIGHTS_ALL), SEL_OK);
	CHECK_EQ(t, sel_cnode_copy(ROOT, d, a, FULL, SEL_RIGHT_READ), SEL_OK);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, a, FULL, 0), SEL_OK);
	CHECK_EQ(t, ident(a).type, SEL_OBJ_ENDPOINT);
	CHECK_EQ(t, ident(b).type, SEL_OBJ_NULL);
	CHECK_EQ(t, ident(c).type, SEL_OBJ_NULL);
	CHECK_EQ(t, ident(d).type, SEL_OBJ_NULL);
	CHECK_EQ(t, ident(ep).type, SEL_OBJ_ENDPOINT);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
	CHECK_EQ(t, ident(ep).type, SEL_OBJ_NULL);
	CHECK_EQ(t, ident(a).type, SEL_OBJ_NULL);
}

TEST(CAP_0009, "revoking one badged original leaves the other original's copies working")
{
	uint64_t ut, ep, m1 = slot_new(), m2 = slot_new(), c1 = slot_new(), c2 = slot_new();

	CHECK_EQ(t, untyped_new(12, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, sel_cnode_mint(ROOT, m1, ep, FULL, SEL_RIGHTS_ALL, 1), SEL_OK);
	CHECK_EQ(t, sel_cnode_mint(ROOT, m2, ep, FULL, SEL_RIGHTS_ALL, 2), SEL_OK);
	CHECK_EQ(t, sel_cnode_copy(ROOT, c1, m1, FULL, SEL_RIGHT_WRITE), SEL_OK);
	CHECK_EQ(t, sel_cnode_copy(ROOT, c2, m2, FULL, SEL_RIGHT_WRITE), SEL_OK);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, m1, FULL, 0), SEL_OK);
	CHECK_EQ(t, ident(c1).type, SEL_OBJ_NULL);
	CHECK(t, ident(c2).type == SEL_OBJ_ENDPOINT && ident(c2).badge == 2);
	/* The surviving copy still works as a source. */
	uint64_t c3 = slot_new();
	CHECK_EQ(t, sel_cnode_copy(ROOT, c3, c2, FULL, SEL_RIGHTS_ALL), SEL_OK);
	CHECK(t, ident(c3).badge == 2 && ident(c3).rights == SEL_RIGHT_WRITE);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(CAP_0010, "deleting the last cap finalises the object; deleting a non-last copy does not")
{
	uint64_t ut, ep, copy = slot_new();
	struct sel_untyped_info info;

	CHECK_EQ(t, untyped_new(12, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, sel_cnode_copy(ROOT, copy, ep, FULL, SEL_RIGHTS_ALL), SEL_OK);
	CHECK_EQ(t, sel_cnode_delete(ROOT, ep, FULL, 0), SEL_OK);
	CHECK_EQ(t, ident(copy).type, SEL_OBJ_ENDPOINT); /* the object lives on */
	CHECK_EQ(t, sel_untyped_reset(ut), SEL_ERR_HAS_CHILDREN);
	CHECK_EQ(t, sel_cnode_delete(ROOT, copy, FULL, 0), SEL_OK);
	CHECK_EQ(t, sel_untyped_reset(ut), SEL_OK); /* no child left: it was finalised */
	CHECK_EQ(t, sel_untyped_info(ut, &info), SEL_OK);
	CHECK_EQ(t, info.watermark, 0);
}

TEST(CAP_0011, "deleting an intermediate cap keeps its children under the grandparent")
{
	uint64_t ut, ep, a = slot_new(), b = slot_new();

	CHECK_EQ(t, untyped_new(12, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, sel_cnode_copy(ROOT, a, ep, FULL, SEL_RIGHTS_ALL), SEL_OK);
	CHECK_EQ(t, sel_cnode_copy(ROOT, b, a, FULL, SEL_RIGHT_READ), SEL_OK);
	CHECK_EQ(t, sel_cnode_delete(ROOT, a, FULL, 0), SEL_OK);
	CHECK_EQ(t, ident(b).type, SEL_OBJ_ENDPOINT);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ep, FULL, 0), SEL_OK);
	CHECK_EQ(t, ident(b).type, SEL_OBJ_NULL);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(CAP_0012, "move keeps the cap's place in the tree; mutate only reduces rights")
{
	uint64_t ut, ep, a = slot_new(), b = slot_new(), c = slot_new();

	CHECK_EQ(t, untyped_new(12, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, sel_cnode_mint(ROOT, a, ep, FULL, SEL_RIGHT_READ | SEL_RIGHT_WRITE, 0), SEL_OK);
	CHECK_EQ(t, sel_cnode_move(ROOT, b, a, FULL), SEL_OK);
	CHECK_EQ(t, ident(a).type, SEL_OBJ_NULL);
	CHECK_EQ(t, ident(b).rights, SEL_RIGHT_READ | SEL_RIGHT_WRITE);
	CHECK_EQ(t, sel_cnode_mutate(ROOT, c, b, FULL, SEL_RIGHTS_ALL, 0), SEL_OK);
	CHECK_EQ(t, ident(c).rights, SEL_RIGHT_READ | SEL_RIGHT_WRITE); /* not widened */
	CHECK_EQ(t, sel_cnode_mutate(ROOT, b, c, FULL, SEL_RIGHT_WRITE, 42), SEL_OK);
	CHECK(t, ident(b).rights == SEL_RIGHT_WRITE && ident(b).badge == 42);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ep, FULL, 0), SEL_OK); /* still ep's child */
	CHECK_EQ(t, ident(b).type, SEL_OBJ_NULL);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(CAP_0013, "Untyped caps cannot be copied or minted, only moved")
{
	uint64_t ut, a = slot_new(), b = slot_new();

	CHECK_EQ(t, untyped_new(12, &ut), SEL_OK);
	CHECK_EQ(t, sel_cnode_copy(ROOT, a, ut, FULL, SEL_RIGHTS_ALL), SEL_ERR_ILLEGAL_OP);
	CHECK_EQ(t, sel_cnode_mint(ROOT, a, ut, FULL, SEL_RIGHTS_ALL, 0), SEL_ERR_ILLEGAL_OP);
	CHECK_EQ(t, ident(a).type, SEL_OBJ_NULL);
	CHECK_EQ(t, sel_cnode_move(ROOT, b, ut, FULL), SEL_OK);
	CHECK(t, ident(b).type == SEL_OBJ_UNTYPED && ident(ut).type == SEL_OBJ_NULL);
	CHECK_EQ(t, sel_cnode_delete(ROOT, b, FULL, 0), SEL_OK);
}
