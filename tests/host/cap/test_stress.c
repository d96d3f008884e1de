/*
 * Randomised stress of dying containers: 10^5 operations (fixed seed)
 * over free-standing slots *and* the slots inside every live CNode, so caps
 * to CNodes end up inside CNodes, nested and in cycles, and deleting them
 * runs the reaper with random preemption. Without a full model, it checks
 * the properties that matter: the invariants hold after every call (also
 * between preemptions); every error is one the operation may return; an
 * object is finalised only once, only after it was created, and never while
 * a usable cap still refers to it; a new object never reuses the identity
 * of a live one; and revoking the root Untyped at the end finalises every
 * object that was still alive.
 */
#include <string.h>

#include "cap_test.h"

#define FREE_SLOTS   32
#define MAX_UNIVERSE 512
#define MAX_OBJECTS  8192
#define STRESS_OPS   100000u

struct object_record {
	uint32_t ref_type;
	uint64_t object;
	uint32_t bits;
	bool live;
};

static struct env e;
static struct cte *universe[MAX_UNIVERSE];
static size_t nuniverse;
static struct object_record objects[MAX_OBJECTS];
static size_t nobjects;
static uint64_t seed = 0xc0ffee1234ull;

static uint64_t rnd(uint64_t n)
{
	return rng_next(&seed) % n;
}

static struct object_record *find_object(uint32_t ref_type, uint64_t object, uint32_t bits)
{
	for (size_t i = 0; i < nobjects; i++) {
		if (objects[i].ref_type == ref_type && objects[i].object == object &&
		    objects[i].bits == bits) {
			return &objects[i];
		}
	}
	return NULL;
}

/* Free-standing slots plus the slots of every CNode a usable cap names. */
static void collect_universe(void)
{
	nuniverse = 0;
	for (size_t i = 0; i < FREE_SLOTS; i++) {
		universe[nuniverse++] = &e.slots[i];
	}
	for (struct cte *n = e.cdt.head; n != NULL; n = n->next) {
		bool seen = n->prev != NULL && cap_same_object(&n->prev->cap, &n->cap);

		if (n->cap.type == SEL_OBJ_CNODE && !cap_is_zombie(&n->cap) && !seen) {
			struct cte *s = cnode_slots(n);

			for (uint64_t k = 0; k < cap_container_count(&n->cap); k++) {
				CHECK(nuniverse < MAX_UNIVERSE, "universe overflow");
				universe[nuniverse++] = &s[k];
			}
		}
	}
}

static void record_creation(const struct cte *c)
{
	uint32_t ref = cap_type_info(c->cap.type)->ref_type;
	uint32_t bits = cap_object_bits(&c->cap);
	struct object_record *r = find_object(ref, c->cap.object, bits);

	if (r == NULL) {
		CHECK(nobjects < MAX_OBJECTS, "object table overflow");
		r = &objects[nobjects++];
		r->ref_type = ref;
		r->object = c->cap.object;
		r->bits = bits;
	} else {
		CHECK(!r->live, "retype created an object over a live one");
	}
	r->live = true;
}

/* Every finalisation since `from` is of a live object no usable cap names. */
static void account_finalised(uint64_t from)
{
	CHECK(fin_count <= FIN_LOG_MAX, "the finalisation log overflowed");
	for (uint64_t f = from; f < fin_count; f++) {
		struct object_record *r =
		    find_object(fin_log[f].ref_type, fin_log[f].object, fin_log[f].bits);

		CHECK(r != NULL && r->live, "finalised an object that is not alive");
		r->live = false;
		for (struct cte *n = e.cdt.head; n != NULL; n = n->next) {
			CHECK(cap_is_zombie(&n->cap) || n->cap.type == SEL_OBJ_UNTYPED ||
			          cap_type_info(n->cap.type)->ref_type != r->ref_type ||
			          n->cap.object != r->object,
			      "a usable cap names a finalised object");
		}
	}
}

static enum sel_error drive(struct cte *slot, bool revoke)
{
	enum sel_error err;

	preempt_every = rnd(3);
	do {
		err = revoke ? cdt_revoke(&e.cdt, slot) : cdt_delete(&e.cdt, slot);
		env_check(&e);
	} while (err == SEL_ERR_PREEMPTED);
	return err;
}

static void op_retype(struct cte *dest)
{
	static const uint32_t types[] = {SEL_OBJ_CNODE, SEL_OBJ_CNODE, SEL_OBJ_ENDPOINT,
	                                 SEL_OBJ_TCB, SEL_OBJ_NOTIFICATION};
	uint32_t type = types[rnd(sizeof(types) / sizeof(types[0]))];
	enum sel_error err = untyped_retype(&e.cdt, &e.slots[0], type, 2, dest, 1);

	CHECK(err == SEL_OK || err == SEL_ERR_SLOT_OCCUPIED || err == SEL_ERR_NO_MEMORY,
	      "retype returned %d", (int)err);
	if (err == SEL_OK) {
		record_creation(dest);
	}
}

static void one_op(void)
{
	struct cte *a = universe[rnd(nuniverse)];
	struct cte *b = universe[rnd(nuniverse)];
	uint64_t r = rnd(100);
	enum sel_error err = SEL_OK;

	if (a == &e.slots[0] || b == &e.slots[0]) {
		return; /* keep the root Untyped where it is */
	}
	if (r < 25) {
		op_retype(b);
	} else if (r < 45) {
		err = cdt_copy(&e.cdt, a, b, (uint32_t)rnd(SEL_RIGHTS_ALL + 1));
	} else if (r < 70) {
		err = cdt_move(&e.cdt, a, b);
	} else if (r < 92) {
		err = drive(a, false);
	} else {
		err = drive(a, true);
	}
	CHECK(err == SEL_OK || err == SEL_ERR_SLOT_OCCUPIED || err == SEL_ERR_EMPTY_SLOT ||
	          err == SEL_ERR_ILLEGAL_OP,
	      "operation %llu returned %d", (unsigned long long)r, (int)err);
}

void test_random_containers(void)
{
	uint64_t before;
	size_t alive = 0;

	env_init(&e, FREE_SLOTS, 20);
	for (uint64_t i = 0; i < STRESS_OPS; i++) {
		before = fin_count;
		collect_universe();
		if (i % 5000 == 4999) {
			CHECK_ERR(drive(&e.slots[0], true), SEL_OK); /* memory back for retypes */
		} else {
			one_op();
		}
		env_check(&e);
		account_finalised(before);
	}
	for (size_t i = 0; i < nobjects; i++) {
		alive += objects[i].live;
	}
	before = fin_count;
	CHECK_ERR(drive(&e.slots[0], true), SEL_OK);
	account_finalised(before);
	CHECK(fin_count - before == alive && e.cdt.nodes == 1,
	      "revoking the root finalised the %zu live objects (%llu) and left only it", alive,
	      (unsigned long long)(fin_count - before));
	CHECK(fin_count > 1000 && nobjects > 100, "the run did something (%llu finalised)",
	      (unsigned long long)fin_count);
}
