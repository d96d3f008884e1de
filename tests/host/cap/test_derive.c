/*
 * Derivation cases: Copy, Mint, Move, Mutate, Identify, the badge and rights
 * rules, and "a failed operation changes nothing".
 */
#include <stdlib.h>
#include <string.h>

#include "cap_test.h"

/* A byte image of every test slot and the tree root, to prove "unchanged". */
struct snapshot {
	struct cte *slots;
	size_t n;
	struct cdt cdt;
};

static void snap_take(struct snapshot *s, struct env *e)
{
	s->n = e->nslots;
	s->slots = malloc(s->n * sizeof(struct cte));
	CHECK(s->slots != NULL, "out of host memory");
	memcpy(s->slots, e->slots, s->n * sizeof(struct cte));
	s->cdt = e->cdt;
}

static void snap_same(struct snapshot *s, struct env *e, const char *what)
{
	CHECK(memcmp(s->slots, e->slots, s->n * sizeof(struct cte)) == 0,
	      "%s changed a slot although it failed", what);
	CHECK(memcmp(&s->cdt, &e->cdt, sizeof(struct cdt)) == 0, "%s changed the tree root", what);
}

static void snap_free(struct snapshot *s)
{
	free(s->slots);
}

void test_mint_copy_rights_matrix(void)
{
	struct env e;
	struct cte *ep, *src, *minted, *copied;

	env_init(&e, 8, 16);
	ep = env_slot(&e, 1);
	src = env_slot(&e, 2);
	minted = env_slot(&e, 3);
	copied = env_slot(&e, 4);
	env_retype(&e, 0, SEL_OBJ_ENDPOINT, 0, 1);
	for (uint32_t have = 0; have <= SEL_RIGHTS_ALL; have++) {
		CHECK_ERR(cdt_mint(&e.cdt, ep, src, have, 0), SEL_OK);
		CHECK(src->cap.rights == have, "mint from all rights to %#x gave %#x", have,
		      src->cap.rights);
		for (uint32_t ask = 0; ask <= SEL_RIGHTS_ALL; ask++) {
			CHECK_ERR(cdt_mint(&e.cdt, src, minted, ask, 0), SEL_OK);
			CHECK_ERR(cdt_copy(&e.cdt, src, copied, ask), SEL_OK);
			CHECK(minted->cap.rights == (have & ask), "mint %#x of %#x gave %#x", ask,
			      have, minted->cap.rights);
			CHECK(copied->cap.rights == (have & ask), "copy %#x of %#x gave %#x", ask,
			      have, copied->cap.rights);
			CHECK(cdt_parent(minted) == src && cdt_parent(copied) == src,
			      "a derived cap is a child of its source");
			CHECK(minted->depth == src->depth + 1, "a child is one deeper");
			env_check(&e);
			CHECK_ERR(cdt_delete(&e.cdt, minted), SEL_OK);
			CHECK_ERR(cdt_delete(&e.cdt, copied), SEL_OK);
		}
		CHECK_ERR(cdt_copy(&e.cdt, src, copied, SEL_RIGHTS_ALL), SEL_OK);
		CHECK(copied->cap.rights == have, "copy with all rights keeps the rights");
		CHECK_ERR(cdt_delete(&e.cdt, copied), SEL_OK);
		CHECK_ERR(cdt_delete(&e.cdt, src), SEL_OK);
	}
	CHECK(fin_count == 0, "the original survives: nothing is finalised");
	env_fini(&e);
}

static void badge_rules(uint32_t type)
{
	struct env e;
	struct cte *obj, *b7, *s;
	struct snapshot snap;

	env_init(&e, 8, 16);
	obj = env_slot(&e, 1);
	b7 = env_slot(&e, 2);
	s = env_slot(&e, 3);
	env_retype(&e, 0, type, 0, 1);
	CHECK_ERR(cdt_mint(&e.cdt, obj, b7, SEL_RIGHTS_ALL, 7), SEL_OK);
	CHECK(b7->cap.badge == 7, "mint sets the badge of an unbadged cap");
	snap_take(&snap, &e);
	CHECK_ERR(cdt_mint(&e.cdt, b7, s, SEL_RIGHTS_ALL, 9), SEL_ERR_BADGE_SET);
	snap_same(&snap, &e, "re-badge by mint");
	CHECK_ERR(cdt_mint(&e.cdt, b7, s, SEL_RIGHTS_ALL, 0), SEL_ERR_BADGE_SET);
	snap_same(&snap, &e, "un-badge by mint");
	CHECK_ERR(cdt_mutate(&e.cdt, b7, s, SEL_RIGHTS_ALL, 9), SEL_ERR_BADGE_SET);
	snap_same(&snap, &e, "re-badge by mutate");
	CHECK_ERR(cdt_mutate(&e.cdt, b7, s, SEL_RIGHTS_ALL, 0), SEL_ERR_BADGE_SET);
	snap_same(&snap, &e, "un-badge by mutate");
	snap_free(&snap);
	CHECK_ERR(cdt_mint(&e.cdt, b7, s, SEL_RIGHT_READ, 7), SEL_OK);
	CHECK(s->cap.badge == 7 && s->cap.rights == SEL_RIGHT_READ, "mint with the same badge");
	CHECK_ERR(cdt_delete(&e.cdt, s), SEL_OK);
	CHECK_ERR(cdt_copy(&e.cdt, b7, s, SEL_RIGHTS_ALL), SEL_OK);
	CHECK(s->cap.badge == 7, "copy keeps the badge");
	CHECK_ERR(cdt_delete(&e.cdt, s), SEL_OK);
	CHECK_ERR(cdt_copy(&e.cdt, obj, s, SEL_RIGHTS_ALL), SEL_OK);
	CHECK_ERR(cdt_mutate(&e.cdt, s, env_slot(&e, 4), SEL_RIGHTS_ALL, 5), SEL_OK);
	CHECK(env_slot(&e, 4)->cap.badge == 5 && cte_is_empty(s), "mutate badges a leaf");
	env_check(&e);
	env_fini(&e);
}

void test_badge_immutable(void)
{
	struct env e;

	badge_rules(SEL_OBJ_ENDPOINT);
	badge_rules(SEL_OBJ_NOTIFICATION);
	env_init(&e, 8, 16);
	env_retype(&e, 0, SEL_OBJ_FRAME, 12, 1);
	CHECK_ERR(cdt_mint(&e.cdt, env_slot(&e, 1), env_slot(&e, 2), SEL_RIGHTS_ALL, 3),
	          SEL_ERR_INVALID_ARG);
	CHECK(cte_is_empty(env_slot(&e, 2)), "a refused mint leaves the slot empty");
	env_fini(&e);
}

/* Every derivation into an occupied slot fails and changes nothing. */
void test_occupied_dest_changes_nothing(void)
{
	struct env e;
	struct cte *src, *busy;
	struct snapshot snap;
	struct cap sender = {0};

	env_init(&e, 8, 16);
	src = env_slot(&e, 1);
	busy = env_slot(&e, 2);
	env_retype(&e, 0, SEL_OBJ_UINTR_RECEIVER, 0, 1);
	env_retype(&e, 0, SEL_OBJ_ENDPOINT, 0, 2);
	sender.type = SEL_OBJ_UINTR_SENDER;
	sender.rights = SEL_RIGHT_WRITE;
	sender.object = src->cap.object;
	CHECK_ERR(cdt_copy(&e.cdt, busy, env_slot(&e, 5), SEL_RIGHTS_ALL), SEL_OK);
	snap_take(&snap, &e);
	CHECK_ERR(cdt_copy(&e.cdt, src, busy, SEL_RIGHTS_ALL), SEL_ERR_SLOT_OCCUPIED);
	snap_same(&snap, &e, "copy");
	CHECK_ERR(cdt_mint(&e.cdt, src, busy, SEL_RIGHTS_ALL, 0), SEL_ERR_SLOT_OCCUPIED);
	snap_same(&snap, &e, "mint");
	CHECK_ERR(cdt_move(&e.cdt, src, busy), SEL_ERR_SLOT_OCCUPIED);
	snap_same(&snap, &e, "move");
	CHECK_ERR(cdt_move(&e.cdt, src, src), SEL_ERR_SLOT_OCCUPIED);
	snap_same(&snap, &e, "move onto itself");
	CHECK_ERR(cdt_mutate(&e.cdt, src, busy, SEL_RIGHT_READ, 0), SEL_ERR_SLOT_OCCUPIED);
	snap_same(&snap, &e, "mutate");
	CHECK_ERR(cdt_insert_child(&e.cdt, src, busy, sender), SEL_ERR_SLOT_OCCUPIED);
	snap_same(&snap, &e, "insert_child");
	CHECK_ERR(untyped_retype(&e.cdt, env_slot(&e, 0), SEL_OBJ_ENDPOINT, 0, env_slot(&e, 2), 1),
	          SEL_ERR_SLOT_OCCUPIED);
	snap_same(&snap, &e, "retype");
	CHECK_ERR(untyped_retype(&e.cdt, env_slot(&e, 0), SEL_OBJ_ENDPOINT, 0, env_slot(&e, 3), 3),
	          SEL_ERR_SLOT_OCCUPIED);
	snap_same(&snap, &e, "retype of three whose last slot is taken");
	CHECK_ERR(cdt_insert_root(&e.cdt, busy, sender), SEL_ERR_SLOT_OCCUPIED);
	snap_same(&snap, &e, "insert_root");
	snap_free(&snap);
	env_check(&e);
	env_fini(&e);
}

/* Every derivation from an empty slot fails and changes nothing. */
void test_empty_source_changes_nothing(void)
{
	struct env e;
	struct cte *none, *dest;
	struct snapshot snap;
	struct cap sender = {0};

	env_init(&e, 8, 16);
	none = env_slot(&e, 3);
	dest = env_slot(&e, 4);
	env_retype(&e, 0, SEL_OBJ_ENDPOINT, 0, 1);
	sender.type = SEL_OBJ_UINTR_SENDER;
	snap_take(&snap, &e);
	CHECK_ERR(cdt_copy(&e.cdt, none, dest, SEL_RIGHTS_ALL), SEL_ERR_EMPTY_SLOT);
	snap_same(&snap, &e, "copy");
	CHECK_ERR(cdt_mint(&e.cdt, none, dest, SEL_RIGHTS_ALL, 1), SEL_ERR_EMPTY_SLOT);
	snap_same(&snap, &e, "mint");
	CHECK_ERR(cdt_move(&e.cdt, none, dest), SEL_ERR_EMPTY_SLOT);
	snap_same(&snap, &e, "move");
	CHECK_ERR(cdt_move(&e.cdt, none, none), SEL_ERR_EMPTY_SLOT);
	snap_same(&snap, &e, "move onto itself");
	CHECK_ERR(cdt_mutate(&e.cdt, none, dest, SEL_RIGHTS_ALL, 0), SEL_ERR_EMPTY_SLOT);
	snap_same(&snap, &e, "mutate");
	CHECK_ERR(cdt_insert_child(&e.cdt, none, dest, sender), SEL_ERR_EMPTY_SLOT);
	snap_same(&snap, &e, "insert_child");
	CHECK_ERR(untyped_retype(&e.cdt, none, SEL_OBJ_ENDPOINT, 0, dest, 1), SEL_ERR_EMPTY_SLOT);
	snap_same(&snap, &e, "retype");
	CHECK_ERR(untyped_reset(none), SEL_ERR_EMPTY_SLOT);
	snap_same(&snap, &e, "reset");
	CHECK_ERR(cdt_delete(&e.cdt, none), SEL_OK);
	snap_same(&snap, &e, "delete of an empty slot");
	CHECK_ERR(cdt_revoke(&e.cdt, none), SEL_OK);
	snap_same(&snap, &e, "revoke of an empty slot");
	snap_free(&snap);
	CHECK(fin_count == 0, "nothing was finalised");
	env_fini(&e);
}

void test_uncopyable_types(void)
{
	struct env e;
	struct cap irq = {0};
	struct snapshot snap;

	env_init(&e, 8, 16);
	irq.type = SEL_OBJ_IRQ_CONTROL;
	irq.rights = SEL_RIGHTS_ALL;
	irq.object = 1;
	CHECK_ERR(cdt_insert_root(&e.cdt, env_slot(&e, 1), irq), SEL_OK);
	irq.type = SEL_OBJ_ASID_CONTROL;
	CHECK_ERR(cdt_insert_root(&e.cdt, env_slot(&e, 2), irq), SEL_OK);
	snap_take(&snap, &e);
	for (size_t s = 0; s < 3; s++) {
		CHECK_ERR(cdt_copy(&e.cdt, env_slot(&e, s), env_slot(&e, 5), SEL_RIGHTS_ALL),
		          SEL_ERR_ILLEGAL_OP);
		CHECK_ERR(cdt_mint(&e.cdt, env_slot(&e, s), env_slot(&e, 5), SEL_RIGHTS_ALL, 0),
		          SEL_ERR_ILLEGAL_OP);
		snap_same(&snap, &e, "copy or mint of an uncopyable cap");
	}
	CHECK_ERR(
	    untyped_retype(&e.cdt, env_slot(&e, 0), SEL_OBJ_IRQ_CONTROL, 0, env_slot(&e, 5), 1),
	    SEL_ERR_INVALID_ARG);
	CHECK_ERR(untyped_retype(&e.cdt, env_slot(&e, 0), SEL_OBJ_NULL, 0, env_slot(&e, 5), 1),
	          SEL_ERR_INVALID_ARG);
	CHECK_ERR(untyped_retype(&e.cdt, env_slot(&e, 0), 99, 0, env_slot(&e, 5), 1),
	          SEL_ERR_INVALID_ARG);
	snap_same(&snap, &e, "retype into a type that cannot be retyped");
	snap_free(&snap);
	CHECK_ERR(cdt_move(&e.cdt, env_slot(&e, 0), env_slot(&e, 5)), SEL_OK);
	CHECK(env_slot(&e, 5)->cap.type == SEL_OBJ_UNTYPED, "an Untyped cap can be moved");
	env_check(&e);
	env_fini(&e);
}

void test_move_and_mutate(void)
{
	struct env e;
	struct cte *ep, *c, *g, *m, *g2;

	env_init(&e, 8, 16);
	ep = env_slot(&e, 1);
	c = env_slot(&e, 2);
	g = env_slot(&e, 3);
	m = env_slot(&e, 4);
	g2 = env_slot(&e, 5);
	env_retype(&e, 0, SEL_OBJ_ENDPOINT, 0, 1);
	CHECK_ERR(cdt_copy(&e.cdt, ep, c, SEL_RIGHTS_ALL), SEL_OK);
	CHECK_ERR(cdt_copy(&e.cdt, c, g, SEL_RIGHTS_ALL), SEL_OK);
	CHECK_ERR(cdt_move(&e.cdt, c, m), SEL_OK);
	CHECK(cte_is_empty(c) && ep->next == m && cdt_parent(g) == m && m->depth == ep->depth + 1,
	      "move keeps the node's place in the tree");
	CHECK_ERR(cdt_mutate(&e.cdt, m, c, SEL_RIGHT_READ, 0), SEL_ERR_HAS_CHILDREN);
	CHECK_ERR(cdt_mutate(&e.cdt, m, c, SEL_RIGHTS_ALL, 4), SEL_ERR_HAS_CHILDREN);
	CHECK_ERR(cdt_mutate(&e.cdt, m, c, SEL_RIGHTS_ALL, 0), SEL_OK);
	CHECK(cdt_parent(g) == c && cte_is_empty(m), "an unchanged mutate is a move");
	CHECK_ERR(cdt_mutate(&e.cdt, g, g2, SEL_RIGHT_READ, 5), SEL_OK);
	CHECK(g2->cap.rights == SEL_RIGHT_READ && g2->cap.badge == 5 && cdt_parent(g2) == c,
	      "mutate reduces rights and badges a leaf in place");
	CHECK_ERR(cdt_mutate(&e.cdt, g2, g, SEL_RIGHTS_ALL, 5), SEL_OK);
	CHECK(g->cap.rights == SEL_RIGHT_READ, "mutate never adds rights");
	CHECK_ERR(cdt_mutate(&e.cdt, g, g2, 0x20, 5), SEL_ERR_INVALID_ARG);
	CHECK_ERR(cdt_copy(&e.cdt, g, g2, 0x40), SEL_ERR_INVALID_ARG);
	CHECK(fin_count == 0, "moves finalise nothing");
	env_check(&e);
	env_fini(&e);
}

void test_identify(void)
{
	struct env e;
	struct cap_identity id;
	struct cap dev = {0};

	env_init(&e, 8, 16);
	env_retype(&e, 0, SEL_OBJ_ENDPOINT, 0, 1);
	CHECK_ERR(cdt_mint(&e.cdt, env_slot(&e, 1), env_slot(&e, 2), SEL_RIGHT_WRITE, 42), SEL_OK);
	id = cap_identify(env_slot(&e, 2));
	CHECK(id.type == SEL_OBJ_ENDPOINT && id.rights == SEL_RIGHT_WRITE && id.badge == 42,
	      "identify reports type, rights and badge");
	id = cap_identify(env_slot(&e, 3));
	CHECK(id.type == SEL_OBJ_NULL && id.rights == 0 && id.badge == 0, "an empty slot is NULL");
	env_retype(&e, 0, SEL_OBJ_FRAME, 12, 3);
	id = cap_identify(env_slot(&e, 3));
	CHECK(id.type == SEL_OBJ_FRAME && id.size_bits == 12 && id.flags == 0, "a 4 KiB frame");
	dev.type = SEL_OBJ_UNTYPED;
	dev.rights = SEL_RIGHTS_ALL;
	dev.object = 0x10000000;
	dev.size_bits = 16;
	dev.flags = CAP_FLAG_DEVICE;
	CHECK_ERR(cdt_insert_root(&e.cdt, env_slot(&e, 4), dev), SEL_OK);
	id = cap_identify(env_slot(&e, 4));
	CHECK(id.type == SEL_OBJ_UNTYPED && id.flags == CAP_FLAG_DEVICE, "device untyped");
	env_check(&e);
	env_fini(&e);
}

void test_cnode_guard_data(void)
{
	struct env e;
	struct cte *cn, *g;

	env_init(&e, 8, 16);
	cn = env_slot(&e, 1);
	g = env_slot(&e, 2);
	env_retype(&e, 0, SEL_OBJ_CNODE, 4, 1);
	CHECK_ERR(cdt_mint(&e.cdt, cn, g, SEL_RIGHTS_ALL, cap_cnode_guard_data(5, 3)), SEL_OK);
	CHECK(g->cap.guard_bits == 3 && g->cap.word0 == 5, "mint sets the guard");
	CHECK_ERR(cdt_copy(&e.cdt, g, env_slot(&e, 3), SEL_RIGHTS_ALL), SEL_OK);
	CHECK(env_slot(&e, 3)->cap.guard_bits == 3 && env_slot(&e, 3)->cap.word0 == 5,
	      "copy keeps the guard");
	CHECK_ERR(
	    cdt_mint(&e.cdt, cn, env_slot(&e, 4), SEL_RIGHTS_ALL, cap_cnode_guard_data(0, 61)),
	    SEL_ERR_INVALID_ARG);
	CHECK_ERR(cdt_mint(&e.cdt, cn, env_slot(&e, 4), SEL_RIGHTS_ALL, cap_cnode_guard_data(8, 3)),
	          SEL_ERR_INVALID_ARG);
	CHECK_ERR(
	    cdt_mint(&e.cdt, cn, env_slot(&e, 4), SEL_RIGHTS_ALL, cap_cnode_guard_data(0, 60)),
	    SEL_OK);
	CHECK_ERR(
	    cdt_mutate(&e.cdt, g, env_slot(&e, 5), SEL_RIGHTS_ALL, cap_cnode_guard_data(1, 1)),
	    SEL_OK);
	CHECK(env_slot(&e, 5)->cap.guard_bits == 1 && env_slot(&e, 5)->cap.word0 == 1,
	      "a guard is not authority: mutate may change it on a cap with children");
	env_check(&e);
	env_fini(&e);
}
