/*
 * Deletion cases: Revoke of trees, finalisation exactly once, reparenting,
 * a preempted revoke of 10^4 descendants, and dying containers (nested,
 * cyclic, inside TCBs, large) emptied without recursion.
 */
#include "cap_test.h"

static struct cte *copy_of(struct env *e, size_t src, size_t dest, uint32_t rights, uint64_t badge)
{
	CHECK_ERR(cdt_mint(&e->cdt, env_slot(e, src), env_slot(e, dest), rights, badge), SEL_OK);
	return env_slot(e, dest);
}

void test_revoke_three_levels(void)
{
	struct env e;
	struct cte *ep;

	env_init(&e, 16, 16);
	ep = env_slot(&e, 1);
	env_retype(&e, 0, SEL_OBJ_ENDPOINT, 0, 1);
	env_retype(&e, 0, SEL_OBJ_ENDPOINT, 0, 7);
	for (int round = 0; round < 2; round++) {
		copy_of(&e, 1, 2, SEL_RIGHTS_ALL, 0);
		copy_of(&e, 1, 3, SEL_RIGHT_READ, 0);
		copy_of(&e, 2, 4, SEL_RIGHT_WRITE, 0);
		copy_of(&e, 2, 5, SEL_RIGHTS_ALL, 0);
		copy_of(&e, 4, 6, SEL_RIGHT_WRITE, 0);
		CHECK(is_descendant(ep, env_slot(&e, 6)) && env_slot(&e, 6)->depth == ep->depth + 3,
		      "three levels below the endpoint");
		env_check(&e);
		if (round == 0) {
			CHECK_ERR(env_revoke_all(&e, env_slot(&e, 2)), SEL_OK);
			CHECK(cte_is_empty(env_slot(&e, 4)) && cte_is_empty(env_slot(&e, 5)) &&
			          cte_is_empty(env_slot(&e, 6)),
			      "revoke of the middle removes its subtree");
			CHECK(!cte_is_empty(env_slot(&e, 2)) && !cte_is_empty(env_slot(&e, 3)),
			      "revoke keeps the slot and its siblings");
			CHECK_ERR(cdt_delete(&e.cdt, env_slot(&e, 2)), SEL_OK);
			CHECK_ERR(cdt_delete(&e.cdt, env_slot(&e, 3)), SEL_OK);
		}
	}
	CHECK_ERR(env_revoke_all(&e, ep), SEL_OK);
	for (size_t i = 2; i <= 6; i++) {
		CHECK(cte_is_empty(env_slot(&e, i)), "slot %zu revoked", i);
	}
	CHECK(!cte_is_empty(ep) && !cdt_has_children(ep), "the revoked cap stays, childless");
	CHECK(!cte_is_empty(env_slot(&e, 7)), "another object is untouched");
	CHECK(fin_count == 0, "revoke of copies finalises nothing");
	env_fini(&e);
}

void test_revoke_one_badged_original(void)
{
	struct env e;
	struct cte *b1, *b2;

	env_init(&e, 16, 16);
	env_retype(&e, 0, SEL_OBJ_ENDPOINT, 0, 1);
	b1 = copy_of(&e, 1, 2, SEL_RIGHTS_ALL, 1);
	b2 = copy_of(&e, 1, 3, SEL_RIGHTS_ALL, 2);
	copy_of(&e, 2, 4, SEL_RIGHT_WRITE, 1);
	copy_of(&e, 2, 5, SEL_RIGHTS_ALL, 1);
	copy_of(&e, 3, 6, SEL_RIGHT_WRITE, 2);
	copy_of(&e, 3, 7, SEL_RIGHTS_ALL, 2);
	copy_of(&e, 6, 8, SEL_RIGHT_WRITE, 2);
	env_check(&e);
	CHECK_ERR(env_revoke_all(&e, b1), SEL_OK);
	CHECK(cte_is_empty(env_slot(&e, 4)) && cte_is_empty(env_slot(&e, 5)),
	      "b1's copies are gone");
	CHECK(!cte_is_empty(b1) && b1->cap.badge == 1, "b1 itself stays");
	for (size_t i = 6; i <= 8; i++) {
		CHECK(env_slot(&e, i)->cap.badge == 2 && is_descendant(b2, env_slot(&e, i)),
		      "b2's copy in slot %zu survives with its badge", i);
	}
	copy_of(&e, 8, 9, SEL_RIGHT_WRITE, 2);
	CHECK(cdt_parent(env_slot(&e, 9)) == env_slot(&e, 8), "b2's copies still derive");
	CHECK(fin_count == 0, "the endpoint lives on");
	env_check(&e);
	CHECK_ERR(env_revoke_all(&e, env_slot(&e, 1)), SEL_OK);
	CHECK(env_nodes(&e) == 2 && fin_count == 0, "revoke of the original leaves only it");
	env_fini(&e);
}

void test_delete_last_finalises_once(void)
{
	static const uint32_t types[] = {SEL_OBJ_ENDPOINT, SEL_OBJ_NOTIFICATION,   SEL_OBJ_FRAME,
	                                 SEL_OBJ_WINDOW,   SEL_OBJ_UINTR_RECEIVER, SEL_OBJ_CNODE};
	struct env e;

	env_init(&e, 8, 18);
	for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
		uint64_t before = fin_count;
		struct cte *orig = env_slot(&e, 1);
		uint64_t object;

		env_retype(&e, 0, types[t],
		           types[t] == SEL_OBJ_FRAME || types[t] == SEL_OBJ_WINDOW ? 12 : 2, 1);
		object = orig->cap.object;
		copy_of(&e, 1, 2, SEL_RIGHTS_ALL, 0);
		copy_of(&e, 2, 3, SEL_RIGHT_READ, 0);
		CHECK_ERR(cdt_delete(&e.cdt, orig), SEL_OK);
		CHECK_ERR(cdt_delete(&e.cdt, env_slot(&e, 2)), SEL_OK);
		CHECK(fin_count == before, "deleting a non-last cap finalises nothing (type %u)",
		      types[t]);
		env_check(&e);
		CHECK_ERR(env_delete_all(&e, env_slot(&e, 3)), SEL_OK);
		CHECK(fin_count == before + 1 && fin_times(object, types[t]) == 1,
		      "deleting the last cap finalises once (type %u)", types[t]);
		CHECK_ERR(cdt_delete(&e.cdt, env_slot(&e, 3)), SEL_OK);
		CHECK(fin_count == before + 1, "deleting again does nothing");
		env_check(&e);
	}
	env_fini(&e);
}

void test_delete_intermediate_reparents(void)
{
	struct env e;
	struct cte *ep, *g1, *g2, *h;

	env_init(&e, 16, 16);
	ep = env_slot(&e, 1);
	env_retype(&e, 0, SEL_OBJ_ENDPOINT, 0, 1);
	copy_of(&e, 1, 2, SEL_RIGHTS_ALL, 0);
	g1 = copy_of(&e, 2, 3, SEL_RIGHT_READ, 0);
	g2 = copy_of(&e, 2, 4, SEL_RIGHT_WRITE, 0);
	h = copy_of(&e, 3, 5, SEL_RIGHT_READ, 0);
	CHECK_ERR(cdt_delete(&e.cdt, env_slot(&e, 2)), SEL_OK);
	CHECK(cdt_parent(g1) == ep && cdt_parent(g2) == ep && cdt_parent(h) == g1,
	      "children of a deleted node become its parent's");
	CHECK(g1->depth == ep->depth + 1 && h->depth == ep->depth + 2,
	      "and move up one level: depth stays parent + 1");
	CHECK(fin_count == 0, "the endpoint is not finalised");
	env_check(&e);
	/* An earlier sibling must not adopt the children: ep -> [s6, r7 -> k8]. */
	copy_of(&e, 1, 7, SEL_RIGHTS_ALL, 0);
	copy_of(&e, 7, 8, SEL_RIGHT_READ, 0);
	copy_of(&e, 1, 6, SEL_RIGHT_WRITE, 0);
	CHECK(env_slot(&e, 6)->next == env_slot(&e, 7), "s6 precedes its sibling r7");
	CHECK_ERR(cdt_delete(&e.cdt, env_slot(&e, 7)), SEL_OK);
	CHECK(cdt_parent(env_slot(&e, 8)) == ep, "k8 goes to ep, not to its uncle s6");
	env_check(&e);
	CHECK_ERR(env_revoke_all(&e, ep), SEL_OK);
	CHECK(cte_is_empty(g1) && cte_is_empty(g2) && cte_is_empty(h), "revoke finds them");
	CHECK(env_nodes(&e) == 2, "only the Untyped and the endpoint remain");
	env_fini(&e);
}

void test_revoke_10k_preempted(void)
{
	enum { CHAIN = 5000, FLAT = 5000 };
	struct env e;
	struct cte *ep;
	uint64_t rounds = 0;
	uint64_t saved_capacity;
	enum sel_error err;

	env_init(&e, 2 + CHAIN + FLAT, 16);
	ep = env_slot(&e, 1);
	env_retype(&e, 0, SEL_OBJ_ENDPOINT, 0, 1);
	for (size_t i = 0; i < CHAIN; i++) {
		copy_of(&e, 1 + i, 2 + i, SEL_RIGHTS_ALL, 0);
	}
	for (size_t i = 0; i < FLAT; i++) {
		copy_of(&e, 1, 2 + CHAIN + i, (uint32_t)(i & SEL_RIGHTS_ALL), 0);
	}
	CHECK(env_nodes(&e) == 2 + CHAIN + FLAT, "10^4 descendants built");
	saved_capacity = e.cdt.scratch_capacity;
	e.cdt.scratch_capacity = 64; /* once: the checker's backward-scan fallback */
	env_check(&e);
	e.cdt.scratch_capacity = saved_capacity;
	preempt_every = 3;
	do {
		err = cdt_revoke(&e.cdt, ep);
		env_check(&e);
		rounds++;
		CHECK(err == SEL_OK || err == SEL_ERR_PREEMPTED, "revoke returned %d", (int)err);
	} while (err == SEL_ERR_PREEMPTED);
	CHECK(rounds == preempt_fired + 1, "every PREEMPTED came from the hook");
	CHECK(rounds > 100, "a revoke of 10^4 was preempted (%llu rounds)",
	      (unsigned long long)rounds);
	CHECK(preempt_calls >= (CHAIN + FLAT) / CAP_PREEMPT_INTERVAL - rounds,
	      "the hook is asked every %u steps", CAP_PREEMPT_INTERVAL);
	CHECK(env_nodes(&e) == 2 && !cdt_has_children(ep) && fin_count == 0,
	      "only the Untyped and the endpoint remain");
	env_fini(&e);
}

/* Four CNodes, each holding the only cap to the next, and endpoint copies. */
static void nested_four(void)
{
	struct env e;
	uint64_t obj[5];

	env_init(&e, 16, 16);
	for (size_t i = 1; i <= 4; i++) {
		env_retype(&e, 0, SEL_OBJ_CNODE, 2, i);
		obj[i] = env_slot(&e, i)->cap.object;
	}
	env_retype(&e, 0, SEL_OBJ_ENDPOINT, 0, 5);
	CHECK_ERR(cdt_copy(&e.cdt, env_slot(&e, 5), &cnode_slots(env_slot(&e, 4))[1], 3), SEL_OK);
	CHECK_ERR(cdt_copy(&e.cdt, env_slot(&e, 5), &cnode_slots(env_slot(&e, 2))[1], 1), SEL_OK);
	CHECK_ERR(cdt_move(&e.cdt, env_slot(&e, 4), &cnode_slots(env_slot(&e, 3))[2]), SEL_OK);
	CHECK_ERR(cdt_move(&e.cdt, env_slot(&e, 3), &cnode_slots(env_slot(&e, 2))[0]), SEL_OK);
	CHECK_ERR(cdt_move(&e.cdt, env_slot(&e, 2), &cnode_slots(env_slot(&e, 1))[3]), SEL_OK);
	env_check(&e);
	preempt_every = 1;
	CHECK_ERR(env_delete_all(&e, env_slot(&e, 1)), SEL_OK);
	for (size_t i = 1; i <= 4; i++) {
		CHECK(fin_times(obj[i], SEL_OBJ_CNODE) == 1, "CNode %zu finalised once", i);
	}
	CHECK(fin_count == 4, "the endpoint is not finalised");
	CHECK(env_nodes(&e) == 2 && !cdt_has_children(env_slot(&e, 5)),
	      "the endpoint copies inside went with their CNodes");
	env_fini(&e);
}

/* 2000 CNodes nested one inside the other: no recursion, preemptible. */
static void nested_deep(void)
{
	enum { LEVELS = 2000 };
	struct env e;

	env_init(&e, LEVELS + 1, 20);
	for (size_t i = 1; i <= LEVELS; i++) {
		env_retype(&e, 0, SEL_OBJ_CNODE, 1, i);
	}
	for (size_t i = LEVELS; i > 1; i--) {
		CHECK_ERR(cdt_move(&e.cdt, env_slot(&e, i), &cnode_slots(env_slot(&e, i - 1))[1]),
		          SEL_OK);
	}
	env_check(&e);
	preempt_every = 1;
	CHECK_ERR(env_delete_all(&e, env_slot(&e, 1)), SEL_OK);
	CHECK(fin_count == LEVELS && env_nodes(&e) == 1 && !cdt_has_children(env_slot(&e, 0)),
	      "all %d levels finalised once (%llu)", LEVELS, (unsigned long long)fin_count);
	CHECK(preempt_fired > 100, "the deletion was preempted many times");
	env_fini(&e);
}

void test_nested_cnodes_delete(void)
{
	nested_four();
	hooks_reset();
	nested_deep();
}

/* Two CNodes each holding the only cap to the other, deleted from inside. */
static void cycle_delete_from_inside(void)
{
	struct env e;
	struct cte *a, *b;

	env_init(&e, 8, 16);
	env_retype(&e, 0, SEL_OBJ_CNODE, 2, 1);
	env_retype(&e, 0, SEL_OBJ_CNODE, 2, 2);
	a = cnode_slots(env_slot(&e, 1));
	b = cnode_slots(env_slot(&e, 2));
	CHECK_ERR(cdt_move(&e.cdt, env_slot(&e, 2), &a[0]), SEL_OK);
	CHECK_ERR(cdt_move(&e.cdt, env_slot(&e, 1), &b[1]), SEL_OK);
	env_check(&e);
	CHECK_ERR(env_delete_all(&e, &b[1]), SEL_OK);
	CHECK(fin_count == 2 && env_nodes(&e) == 1, "both CNodes finalised once");
	env_fini(&e);
}

/* Unreachable cycles (self, two, three CNodes) are reclaimed by revoking the Untyped. */
static void cycles_revoked(size_t members)
{
	struct env e;
	struct cte *inside[4];

	env_init(&e, 8, 16);
	for (size_t i = 1; i <= members; i++) {
		env_retype(&e, 0, SEL_OBJ_CNODE, 2, i);
		inside[i] = cnode_slots(env_slot(&e, i));
	}
	env_retype(&e, 0, SEL_OBJ_ENDPOINT, 0, 7);
	CHECK_ERR(cdt_copy(&e.cdt, env_slot(&e, 7), &inside[1][2], 1), SEL_OK);
	/* CNode i+1 holds the only cap to CNode i; CNode 1 holds the last one's. */
	for (size_t i = 1; i <= members; i++) {
		size_t holder = i == members ? 1 : i + 1;

		CHECK_ERR(cdt_move(&e.cdt, env_slot(&e, i), &inside[holder][i == members ? 3 : 0]),
		          SEL_OK);
	}
	env_check(&e);
	CHECK_ERR(env_revoke_all(&e, env_slot(&e, 0)), SEL_OK);
	CHECK(fin_count == members + 1 && env_nodes(&e) == 1, "a %zu-cycle is reclaimed", members);
	env_retype(&e, 0, SEL_OBJ_CNODE, 2, 1);
	CHECK(env_slot(&e, 1)->cap.object == (uint64_t)(uintptr_t)e.arena,
	      "the memory is reused from the start");
	env_fini(&e);
}

void test_cnode_cycles_reclaimed(void)
{
	cycle_delete_from_inside();
	for (size_t n = 1; n <= 3; n++) {
		hooks_reset();
		cycles_revoked(n);
	}
}

void test_tcb_slots_emptied(void)
{
	struct env e;
	struct cte *tcb_slots, *cn;
	uint64_t tcb_obj, cn_obj;

	env_init(&e, 8, 16);
	env_retype(&e, 0, SEL_OBJ_TCB, 0, 1);
	tcb_obj = env_slot(&e, 1)->cap.object;
	tcb_slots = cap_container_slots(&env_slot(&e, 1)->cap);
	for (size_t i = 0; i < CAP_TCB_SLOTS; i++) {
		CHECK(cte_is_empty(&tcb_slots[i]), "a new TCB's slots are empty");
	}
	env_retype(&e, 0, SEL_OBJ_ENDPOINT, 0, 2);
	env_retype(&e, 0, SEL_OBJ_CNODE, 3, 3);
	cn_obj = env_slot(&e, 3)->cap.object;
	cn = cnode_slots(env_slot(&e, 3));
	CHECK_ERR(cdt_copy(&e.cdt, env_slot(&e, 2), &tcb_slots[0], SEL_RIGHTS_ALL), SEL_OK);
	CHECK_ERR(cdt_copy(&e.cdt, env_slot(&e, 2), &cn[7], SEL_RIGHTS_ALL), SEL_OK);
	CHECK_ERR(cdt_copy(&e.cdt, env_slot(&e, 1), &cn[0], SEL_RIGHTS_ALL), SEL_OK);
	CHECK_ERR(cdt_move(&e.cdt, env_slot(&e, 3), &tcb_slots[5]), SEL_OK);
	CHECK_ERR(cdt_delete(&e.cdt, env_slot(&e, 1)), SEL_OK);
	CHECK(fin_count == 0, "the TCB's cap inside the CNode keeps it alive");
	env_check(&e);
	CHECK_ERR(env_delete_all(&e, &cn[0]), SEL_OK);
	CHECK(fin_times(tcb_obj, SEL_OBJ_TCB) == 1 && fin_times(cn_obj, SEL_OBJ_CNODE) == 1 &&
	          fin_count == 2,
	      "the TCB and the CNode it held are finalised once each");
	CHECK(env_nodes(&e) == 2 && !cdt_has_children(env_slot(&e, 2)),
	      "the endpoint copies inside are gone");
	env_fini(&e);
}

void test_large_cnode_delete_preempted(void)
{
	struct env e;
	struct cte *cn;
	uint64_t rounds = 0;
	enum sel_error err;

	env_init(&e, 8, 20);
	env_retype(&e, 0, SEL_OBJ_CNODE, 12, 1);
	env_retype(&e, 0, SEL_OBJ_ENDPOINT, 0, 2);
	cn = cnode_slots(env_slot(&e, 1));
	for (size_t i = 0; i < 1000; i++) {
		CHECK_ERR(cdt_copy(&e.cdt, env_slot(&e, 2), &cn[i * 4 + 1], SEL_RIGHTS_ALL),
		          SEL_OK);
	}
	for (size_t i = 0; i < 100; i++) {
		CHECK_ERR(untyped_retype(&e.cdt, env_slot(&e, 0), SEL_OBJ_NOTIFICATION, 0,
		                         &cn[i * 4 + 2], 1),
		          SEL_OK);
	}
	env_check(&e);
	preempt_every = 1;
	do {
		err = cdt_delete(&e.cdt, env_slot(&e, 1));
		env_check(&e);
		rounds++;
	} while (err == SEL_ERR_PREEMPTED);
	CHECK_ERR(err, SEL_OK);
	CHECK(rounds > 4096 / CAP_PREEMPT_INTERVAL, "the delete was preempted (%llu rounds)",
	      (unsigned long long)rounds);
	CHECK(fin_count == 101 && env_nodes(&e) == 2, "100 notifications and the CNode finalised");
	env_fini(&e);
}
