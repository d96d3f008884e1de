/*
 * The checker's positive controls: for each invariant, a healthy tree
 * passes, one corruption hook breaks exactly that invariant, and the
 * checker names it and the slot.
 */
#include <string.h>

#include "cap_test.h"

static void expect_broken(struct env *e, uint32_t inv, const struct cte *slot)
{
	struct cap_check_report r = env_report(e);

	CHECK(r.failed == inv, "expected invariant %s, checker said %s (%s)",
	      cap_invariant_name(inv), cap_invariant_name(r.failed), r.detail);
	CHECK(slot == NULL || r.slot == slot, "the report names the wrong slot (%s)", r.detail);
	CHECK(strcmp(cap_invariant_name(inv), "unknown") != 0, "every invariant has a name");
}

static void corrupt(struct env *e, enum cap_corruption kind, struct cte *slot, struct cte *other)
{
	env_check(e);
	CHECK(cap_debug_corrupt(&e->cdt, kind, slot, other), "the corruption hook refused");
}

/* U, an endpoint in slot 1 and its copy in slot 2. */
static void endpoint_and_copy(struct env *e, uint32_t rights, uint64_t badge)
{
	env_init(e, 8, 16);
	env_retype(e, 0, SEL_OBJ_ENDPOINT, 0, 1);
	CHECK_ERR(cdt_mint(&e->cdt, env_slot(e, 1), env_slot(e, 2), rights, badge), SEL_OK);
	CHECK_ERR(cdt_copy(&e->cdt, env_slot(e, 2), env_slot(e, 3), SEL_RIGHTS_ALL), SEL_OK);
}

void test_corrupt_list(void)
{
	struct env e;

	endpoint_and_copy(&e, SEL_RIGHTS_ALL, 0);
	corrupt(&e, CAP_CORRUPT_LIST, env_slot(&e, 1), NULL);
	expect_broken(&e, CAP_INV_LIST, env_slot(&e, 2));
	env_fini(&e);
}

void test_corrupt_depth(void)
{
	struct env e;

	endpoint_and_copy(&e, SEL_RIGHTS_ALL, 0);
	corrupt(&e, CAP_CORRUPT_DEPTH, env_slot(&e, 3), NULL);
	expect_broken(&e, CAP_INV_DEPTH, env_slot(&e, 3));
	env_fini(&e);
}

void test_corrupt_derivation(void)
{
	struct env e;

	endpoint_and_copy(&e, SEL_RIGHTS_ALL, 0);
	env_retype(&e, 0, SEL_OBJ_ENDPOINT, 0, 4);
	corrupt(&e, CAP_CORRUPT_DERIVATION, env_slot(&e, 3), env_slot(&e, 4));
	expect_broken(&e, CAP_INV_DERIVATION, env_slot(&e, 3));
	env_fini(&e);
}

void test_corrupt_rights(void)
{
	struct env e;

	endpoint_and_copy(&e, SEL_RIGHT_READ, 0);
	corrupt(&e, CAP_CORRUPT_RIGHTS, env_slot(&e, 3), NULL);
	expect_broken(&e, CAP_INV_RIGHTS, env_slot(&e, 3));
	env_fini(&e);
}

void test_corrupt_badge(void)
{
	struct env e;

	endpoint_and_copy(&e, SEL_RIGHTS_ALL, 5);
	corrupt(&e, CAP_CORRUPT_BADGE, env_slot(&e, 3), NULL);
	expect_broken(&e, CAP_INV_BADGE, env_slot(&e, 3));
	env_fini(&e);
}

void test_corrupt_untyped(void)
{
	struct env e;

	endpoint_and_copy(&e, SEL_RIGHTS_ALL, 0);
	corrupt(&e, CAP_CORRUPT_UNTYPED, env_slot(&e, 0), NULL);
	expect_broken(&e, CAP_INV_UNTYPED, env_slot(&e, 1));
	env_fini(&e);
}

void test_corrupt_freed(void)
{
	struct env e;

	endpoint_and_copy(&e, SEL_RIGHTS_ALL, 0);
	corrupt(&e, CAP_CORRUPT_FREED, env_slot(&e, 3), NULL);
	expect_broken(&e, CAP_INV_FREED, env_slot(&e, 1));
	/* A new object at the same address: the old caps are caught by generation. */
	cap_registry_add(&e.cdt, &env_slot(&e, 1)->cap);
	expect_broken(&e, CAP_INV_FREED, env_slot(&e, 1));
	CHECK(strcmp(env_report(&e).detail, "refers to an earlier object at this address") == 0,
	      "the generation, not the live flag, caught it");
	env_fini(&e);
}

void test_corrupt_contiguous(void)
{
	struct env e;

	env_init(&e, 8, 16);
	env_retype(&e, 0, SEL_OBJ_ENDPOINT, 0, 1);
	env_retype(&e, 0, SEL_OBJ_ENDPOINT, 0, 2);
	CHECK_ERR(cdt_copy(&e.cdt, env_slot(&e, 2), env_slot(&e, 3), SEL_RIGHTS_ALL), SEL_OK);
	corrupt(&e, CAP_CORRUPT_CONTIGUOUS, env_slot(&e, 3), NULL);
	expect_broken(&e, CAP_INV_CONTIGUOUS, env_slot(&e, 3));
	env_fini(&e);
}

void test_corrupt_zombie(void)
{
	struct env e;

	endpoint_and_copy(&e, SEL_RIGHTS_ALL, 0);
	corrupt(&e, CAP_CORRUPT_ZOMBIE, env_slot(&e, 3), NULL);
	expect_broken(&e, CAP_INV_ZOMBIE, env_slot(&e, 3));
	env_fini(&e);
}
