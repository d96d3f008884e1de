/*
 * Helpers of the capability core's host tests: an environment with a root
 * Untyped over real, aligned host memory, a registry and checker scratch,
 * and loops that drive preemptible operations to completion while checking
 * the invariants after every interruption.
 */
#include <stdlib.h>
#include <string.h>

#include "cap_test.h"

#define REG_CAPACITY     (1u << 16)
#define SCRATCH_CAPACITY (1u << 15)

void env_init(struct env *e, size_t nslots, uint32_t arena_bits)
{
	struct cap u = {0};

	memset(e, 0, sizeof(*e));
	e->slots = calloc(nslots, sizeof(struct cte));
	e->nslots = nslots;
	e->arena_bits = arena_bits;
	e->arena = aligned_alloc((size_t)1 << arena_bits, (size_t)1 << arena_bits);
	e->reg = calloc(REG_CAPACITY, sizeof(*e->reg));
	e->scratch = calloc(SCRATCH_CAPACITY, sizeof(*e->scratch));
	CHECK(e->slots && e->arena && e->reg && e->scratch, "out of host memory");
	cdt_init(&e->cdt);
	cdt_debug_attach(&e->cdt, e->reg, REG_CAPACITY, e->scratch, SCRATCH_CAPACITY);
	u.type = SEL_OBJ_UNTYPED;
	u.rights = SEL_RIGHTS_ALL;
	u.object = (uint64_t)(uintptr_t)e->arena;
	u.size_bits = (uint8_t)arena_bits;
	CHECK_ERR(cdt_insert_root(&e->cdt, &e->slots[0], u), SEL_OK);
}

void env_fini(struct env *e)
{
	free(e->slots);
	free(e->arena);
	free(e->reg);
	free(e->scratch);
}

struct cap_check_report env_report(struct env *e)
{
	struct cap_check_report r;

	cap_check_invariants(&e->cdt, &r);
	return r;
}

void env_check_at(struct env *e, const char *file, int line)
{
	struct cap_check_report r;

	if (!cap_check_invariants(&e->cdt, &r)) {
		test_fail(file, line, "invariant %s broken at node %llu: %s",
		          cap_invariant_name(r.failed), (unsigned long long)r.index, r.detail);
	}
	if (!r.registry_checked) {
		test_fail(file, line, "the registry check did not run");
	}
}

struct cte *env_slot(struct env *e, size_t i)
{
	CHECK(i < e->nslots, "slot %zu out of range", i);
	return &e->slots[i];
}

void env_retype(struct env *e, size_t ut, uint32_t type, uint32_t bits, size_t dest)
{
	enum sel_error err =
	    untyped_retype(&e->cdt, env_slot(e, ut), type, bits, env_slot(e, dest), 1);

	CHECK(err == SEL_OK, "retype of type %u bits %u into slot %zu failed: %d", type, bits, dest,
	      (int)err);
}

struct cte *cnode_slots(const struct cte *c)
{
	return cap_container_slots(&c->cap);
}

static enum sel_error drive(struct env *e, struct cte *slot, bool revoke)
{
	enum sel_error err;
	uint64_t rounds = 0;

	for (;;) {
		err = revoke ? cdt_revoke(&e->cdt, slot) : cdt_delete(&e->cdt, slot);
		env_check(e);
		if (err != SEL_ERR_PREEMPTED) {
			return err;
		}
		rounds++;
		CHECK(rounds < 100000000u, "a preempted operation does not finish");
	}
}

enum sel_error env_delete_all(struct env *e, struct cte *slot)
{
	return drive(e, slot, false);
}

enum sel_error env_revoke_all(struct env *e, struct cte *slot)
{
	return drive(e, slot, true);
}

uint64_t env_nodes(struct env *e)
{
	return e->cdt.nodes;
}

bool is_descendant(const struct cte *a, const struct cte *c)
{
	const struct cte *p = c;

	while (p != NULL) {
		p = cdt_parent(p);
		if (p == a) {
			return true;
		}
	}
	return false;
}

uint64_t rng_next(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dull;
}
