/*
 * CSpace address resolution: three levels with guards, and every error.
 *
 * Layout of the 64-bit address used throughout (most significant first):
 *   L1 guard 0xABCDE (20 bits) | L1 index (4) | L2 guard 0x5A (8) |
 *   L2 index (8) | L3 guard 0x1234 (14) | L3 index (10)
 */
#include "cap_test.h"

#define G1 0xABCDEull
#define G2 0x5Aull
#define G3 0x1234ull

struct space {
	struct env e;
	struct cte *root;
	struct cte *l1, *l2, *l3;
};

static uint64_t addr(uint64_t i1, uint64_t i2, uint64_t i3)
{
	return (G1 << 44) | (i1 << 40) | (G2 << 32) | (i2 << 24) | (G3 << 10) | i3;
}

static void build(struct space *s)
{
	struct env *e = &s->e;

	env_init(e, 16, 20);
	env_retype(e, 0, SEL_OBJ_CNODE, 4, 1);
	env_retype(e, 0, SEL_OBJ_CNODE, 8, 3);
	env_retype(e, 0, SEL_OBJ_CNODE, 10, 4);
	env_retype(e, 0, SEL_OBJ_ENDPOINT, 0, 5);
	s->l1 = cnode_slots(env_slot(e, 1));
	s->l2 = cnode_slots(env_slot(e, 3));
	s->l3 = cnode_slots(env_slot(e, 4));
	s->root = env_slot(e, 2);
	CHECK_ERR(cdt_mint(&e->cdt, env_slot(e, 1), s->root, SEL_RIGHTS_ALL,
	                   cap_cnode_guard_data(G1, 20)),
	          SEL_OK);
	CHECK_ERR(cdt_mint(&e->cdt, env_slot(e, 3), &s->l1[9], SEL_RIGHTS_ALL,
	                   cap_cnode_guard_data(G2, 8)),
	          SEL_OK);
	CHECK_ERR(cdt_mint(&e->cdt, env_slot(e, 4), &s->l2[200], SEL_RIGHTS_ALL,
	                   cap_cnode_guard_data(G3, 14)),
	          SEL_OK);
	CHECK_ERR(cdt_copy(&e->cdt, env_slot(e, 5), &s->l3[777], SEL_RIGHT_WRITE), SEL_OK);
	CHECK_ERR(cdt_copy(&e->cdt, env_slot(e, 5), &s->l1[10], SEL_RIGHT_WRITE), SEL_OK);
	env_check(e);
}

void test_cspace_three_levels(void)
{
	struct space s;
	struct cte *slot = NULL;
	struct cspace_fault f;

	build(&s);
	CHECK_ERR(cspace_resolve(s.root, addr(9, 200, 777), 64, &slot, &f), SEL_OK);
	CHECK(slot == &s.l3[777] && slot->cap.type == SEL_OBJ_ENDPOINT, "three levels resolve");
	CHECK(f.kind == CSPACE_FAULT_NONE && f.bits_left == 0, "no fault");
	CHECK_ERR(cspace_lookup(s.root, addr(9, 200, 777) >> 40, 24, &slot), SEL_OK);
	CHECK(slot == &s.l1[9] && slot->cap.type == SEL_OBJ_CNODE, "24 bits stop at level 1");
	CHECK_ERR(cspace_lookup(s.root, addr(9, 200, 777) >> 24, 40, &slot), SEL_OK);
	CHECK(slot == &s.l2[200], "40 bits stop at level 2");
	CHECK_ERR(cspace_lookup(s.root, addr(9, 200, 5), 64, &slot), SEL_OK);
	CHECK(slot == &s.l3[5] && cte_is_empty(slot), "an empty slot resolves (for a destination)");
	CHECK_ERR(cspace_lookup(env_slot(&s.e, 1), 3, 4, &slot), SEL_OK);
	CHECK(slot == &s.l1[3], "an unguarded CNode with radix 4 takes 4 bits");
	env_fini(&s.e);
}

static void expect_fault(struct cte *root, uint64_t cptr, uint32_t depth, enum sel_error err,
                         uint32_t kind, uint32_t left)
{
	struct cte *slot = NULL;
	struct cspace_fault f = {0, 0};
	enum sel_error got = cspace_resolve(root, cptr, depth, &slot, &f);

	CHECK(got == err && f.kind == kind && f.bits_left == left,
	      "resolve(%#llx, %u): error %d kind %u left %u, expected %d %u %u",
	      (unsigned long long)cptr, depth, (int)got, f.kind, f.bits_left, (int)err, kind, left);
	CHECK(cspace_lookup(root, cptr, depth, &slot) == err, "lookup agrees with resolve");
}

void test_cspace_errors(void)
{
	struct space s;
	uint64_t good = addr(9, 200, 777);
	enum sel_error err;

	build(&s);
	expect_fault(s.root, good, 0, SEL_ERR_RANGE, CSPACE_FAULT_BAD_DEPTH, 0);
	expect_fault(s.root, good, 65, SEL_ERR_RANGE, CSPACE_FAULT_BAD_DEPTH, 65);
	expect_fault(env_slot(&s.e, 5), good, 64, SEL_ERR_INVALID_CAP, CSPACE_FAULT_INVALID_ROOT,
	             64);
	expect_fault(env_slot(&s.e, 9), good, 64, SEL_ERR_INVALID_CAP, CSPACE_FAULT_INVALID_ROOT,
	             64);
	expect_fault(s.root, good ^ (1ull << 50), 64, SEL_ERR_INVALID_CAP,
	             CSPACE_FAULT_GUARD_MISMATCH, 64);
	expect_fault(s.root, good ^ (1ull << 35), 64, SEL_ERR_INVALID_CAP,
	             CSPACE_FAULT_GUARD_MISMATCH, 40);
	expect_fault(s.root, good ^ (1ull << 12), 64, SEL_ERR_INVALID_CAP,
	             CSPACE_FAULT_GUARD_MISMATCH, 24);
	expect_fault(s.root, good >> 44, 20, SEL_ERR_INVALID_CAP, CSPACE_FAULT_DEPTH_MISMATCH, 20);
	expect_fault(s.root, good >> 34, 30, SEL_ERR_INVALID_CAP, CSPACE_FAULT_DEPTH_MISMATCH, 6);
	expect_fault(s.root, good >> 1, 63, SEL_ERR_INVALID_CAP, CSPACE_FAULT_DEPTH_MISMATCH, 23);
	expect_fault(s.root, addr(8, 200, 777), 64, SEL_ERR_INVALID_CAP, CSPACE_FAULT_NOT_CNODE,
	             40);
	expect_fault(s.root, addr(10, 200, 777), 64, SEL_ERR_INVALID_CAP, CSPACE_FAULT_NOT_CNODE,
	             40);
	/* A dying CNode (a zombie, mid-delete) cannot be traversed. */
	env_retype(&s.e, 0, SEL_OBJ_CNODE, 8, 6);
	CHECK_ERR(cdt_move(&s.e.cdt, env_slot(&s.e, 6), &s.l1[11]), SEL_OK);
	preempt_every = 1;
	err = cdt_delete(&s.e.cdt, &s.l1[11]);
	CHECK(err == SEL_ERR_PREEMPTED && cap_is_zombie(&s.l1[11].cap), "a zombie mid-delete");
	expect_fault(s.root, addr(11, 200, 777), 64, SEL_ERR_INVALID_CAP, CSPACE_FAULT_NOT_CNODE,
	             40);
	expect_fault(&s.l1[11], 0, 8, SEL_ERR_INVALID_CAP, CSPACE_FAULT_INVALID_ROOT, 8);
	CHECK_ERR(cdt_copy(&s.e.cdt, &s.l1[11], env_slot(&s.e, 7), SEL_RIGHTS_ALL),
	          SEL_ERR_ILLEGAL_OP);
	CHECK_ERR(cdt_move(&s.e.cdt, &s.l1[11], env_slot(&s.e, 7)), SEL_ERR_ILLEGAL_OP);
	env_check(&s.e);
	preempt_every = 0;
	CHECK_ERR(env_delete_all(&s.e, &s.l1[11]), SEL_OK);
	CHECK(cte_is_empty(&s.l1[11]) && fin_count == 1, "the zombie finished");
	env_fini(&s.e);
}
