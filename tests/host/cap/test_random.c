/*
 * Randomised test: 10^5 operations with a fixed seed on 48 slots, each
 * predicted by a small reference model of the derivation tree
 * (random_model.c: explicit parent indices instead of a preordered list,
 * the rules re-stated independently). After every operation the error
 * code, the set of objects finalised, every slot's contents and its parent,
 * and the invariant checker must agree with the model.
 */
#include <string.h>

#include "random_model.h"

#define NS        MODEL_SLOTS
#define OPS       100000u
#define ROOT_BITS 20u

static struct env e;
static uint64_t rng = 0x5e1e9e0ca9ull;
static uint64_t op_no;

static uint64_t rnd(uint64_t n)
{
	return rng_next(&rng) % n;
}

/* Compare every slot and its parent with the model, and the finalisations. */
static void compare(uint64_t fin_before)
{
	size_t used = 0;

	for (int i = 0; i < NS; i++) {
		const struct cte *s = &e.slots[i];
		const struct mcap *c = &m[i];

		CHECK(c->used == !cte_is_empty(s), "op %llu: slot %d used %d, model %d",
		      (unsigned long long)op_no, i, !cte_is_empty(s), c->used);
		if (!c->used) {
			continue;
		}
		used++;
		CHECK(s->cap.type == c->type && s->cap.rights == c->rights &&
		          s->cap.badge == c->badge && s->cap.object == c->object,
		      "op %llu: slot %d holds another cap than the model",
		      (unsigned long long)op_no, i);
		CHECK((c->type != SEL_OBJ_UNTYPED && c->type != SEL_OBJ_UINTR_SENDER) ||
		          s->cap.word0 == c->word0,
		      "op %llu: slot %d word0 %llu, model %llu", (unsigned long long)op_no, i,
		      (unsigned long long)s->cap.word0, (unsigned long long)c->word0);
		CHECK(cdt_parent(s) == (c->parent < 0 ? NULL : &e.slots[c->parent]),
		      "op %llu: slot %d has another parent than the model's %d",
		      (unsigned long long)op_no, i, c->parent);
	}
	CHECK(e.cdt.nodes == used, "op %llu: %llu nodes, model %zu", (unsigned long long)op_no,
	      (unsigned long long)e.cdt.nodes, used);
	CHECK(fin_count - fin_before == nexpect, "op %llu: %llu finalisations, model %zu",
	      (unsigned long long)op_no, (unsigned long long)(fin_count - fin_before), nexpect);
	for (size_t k = 0; k < nexpect; k++) {
		uint64_t n = 0;

		for (uint64_t f = fin_before; f < fin_count; f++) {
			n += fin_log[f].ref_type == expect[k].ref_type &&
			     fin_log[f].object == expect[k].object &&
			     fin_log[f].bits == expect[k].bits;
		}
		CHECK(n == 1, "op %llu: object %#llx finalised %llu times",
		      (unsigned long long)op_no, (unsigned long long)expect[k].object,
		      (unsigned long long)n);
	}
}

static enum sel_error run_long(bool revoke, int slot)
{
	enum sel_error err;

	preempt_every = rnd(4);
	for (;;) {
		err = revoke ? cdt_revoke(&e.cdt, &e.slots[slot])
		             : cdt_delete(&e.cdt, &e.slots[slot]);
		if (err != SEL_ERR_PREEMPTED) {
			return err;
		}
		env_check(&e);
	}
}

static const uint32_t retype_types[] = {
    SEL_OBJ_ENDPOINT, SEL_OBJ_NOTIFICATION,   SEL_OBJ_CNODE, SEL_OBJ_UNTYPED,
    SEL_OBJ_FRAME,    SEL_OBJ_UINTR_RECEIVER, SEL_OBJ_TCB,   SEL_OBJ_WINDOW};

static uint32_t pick_bits(uint32_t type)
{
	switch (type) {
	case SEL_OBJ_CNODE:
		return 1 + (uint32_t)rnd(2);
	case SEL_OBJ_UNTYPED:
		return 7 + (uint32_t)rnd(7);
	case SEL_OBJ_FRAME:
		return rnd(8) == 0 ? 13 : 12;
	case SEL_OBJ_WINDOW: /* a container: size 0 makes every window retype a refused one */
	default:
		return 0;
	}
}

static uint64_t pick_data(int src)
{
	uint64_t k = rnd(4);

	if (m[src].used && m[src].type == SEL_OBJ_CNODE) {
		return k == 0 ? cap_cnode_guard_data(1, 1) : 0;
	}
	if (k == 3 && m[src].used) {
		return m[src].badge;
	}
	return k;
}

static uint32_t pick_rights(void)
{
	return rnd(50) == 0 ? 0x20 : (uint32_t)rnd(SEL_RIGHTS_ALL + 1);
}

static void op_retype(int root, int a, enum sel_error *want, enum sel_error *got)
{
	uint32_t type = retype_types[rnd(sizeof(retype_types) / sizeof(retype_types[0]))];
	uint32_t bits = pick_bits(type);
	int count = 1 + (int)rnd(3);
	int ut = rnd(3) == 0 ? a : root;
	int b = (int)rnd(NS - count + 1);

	*want = m_retype(ut, type, bits, b, count);
	*got = untyped_retype(&e.cdt, &e.slots[ut], type, bits, &e.slots[b], (uint64_t)count);
}

static void op_sender(int a, int b, uint32_t rights, enum sel_error *want, enum sel_error *got)
{
	uint64_t vector = rnd(10) == 0 ? 64 + rnd(8) : rnd(64);
	struct cap s = {0};

	s.type = SEL_OBJ_UINTR_SENDER;
	s.rights = (uint8_t)(rights & SEL_RIGHTS_ALL);
	s.object = m[a].object;
	s.word0 = vector;
	*want = m_sender(a, b, vector, s.rights);
	*got = cdt_insert_child(&e.cdt, &e.slots[a], &e.slots[b], s);
}

static enum sel_error m_reset(int a)
{
	if (!m[a].used) {
		return SEL_ERR_EMPTY_SLOT;
	}
	if (m[a].type != SEL_OBJ_UNTYPED) {
		return SEL_ERR_WRONG_TYPE;
	}
	if (has_children(a)) {
		return SEL_ERR_HAS_CHILDREN;
	}
	m[a].word0 = 0;
	return SEL_OK;
}

/* Mostly an occupied slot (operations on empty slots are tested too). */
static int pick_source(void)
{
	int a = (int)rnd(NS);

	for (int k = 0; k < NS && rnd(4) != 0 && !m[a].used; k++) {
		a = (a + 1) % NS;
	}
	return a;
}

static void one_op(int root)
{
	uint64_t r = rnd(100);
	int a = pick_source(), b = (int)rnd(NS);
	uint32_t rights = pick_rights();
	uint64_t data = pick_data(a);
	enum sel_error want, got;

	if (r < 16) {
		op_retype(root, a, &want, &got);
	} else if (r < 30) {
		want = m_derive(a, b, rights, false, 0);
		got = cdt_copy(&e.cdt, &e.slots[a], &e.slots[b], rights);
	} else if (r < 45) {
		want = m_derive(a, b, rights, true, data);
		got = cdt_mint(&e.cdt, &e.slots[a], &e.slots[b], rights, data);
	} else if (r < 52) {
		want = m[b].used ? SEL_ERR_SLOT_OCCUPIED : m[a].used ? SEL_OK : SEL_ERR_EMPTY_SLOT;
		if (want == SEL_OK) {
			m_relocate(a, b);
		}
		got = cdt_move(&e.cdt, &e.slots[a], &e.slots[b]);
	} else if (r < 60) {
		want = m_mutate(a, b, rights, data);
		got = cdt_mutate(&e.cdt, &e.slots[a], &e.slots[b], rights, data);
	} else if (r < 75) {
		if (a == root) {
			return;
		}
		if (m[a].used) {
			m_remove(a);
		}
		want = SEL_OK;
		got = run_long(false, a);
	} else if (r < 82) {
		m_revoke(a);
		want = SEL_OK;
		got = run_long(true, a);
	} else if (r < 94) {
		op_sender(a, b, rights, &want, &got);
	} else {
		want = m_reset(a);
		got = untyped_reset(&e.slots[a]);
	}
	CHECK(got == want, "op %llu (kind %llu, slots %d %d): got %d, model %d",
	      (unsigned long long)op_no, (unsigned long long)r, a, b, (int)got, (int)want);
}

static int find_root(void)
{
	for (int i = 0; i < NS; i++) {
		if (m[i].used && m[i].parent < 0 && m[i].type == SEL_OBJ_UNTYPED &&
		    m[i].size_bits == ROOT_BITS) {
			return i;
		}
	}
	return -1;
}

void test_random_against_model(void)
{
	uint64_t fin_before;
	int root;

	env_init(&e, NS, ROOT_BITS);
	memset(m, 0, sizeof(m));
	for (int i = 0; i < NS; i++) {
		m[i].parent = -1;
	}
	m[0].used = true;
	m[0].type = SEL_OBJ_UNTYPED;
	m[0].rights = SEL_RIGHTS_ALL;
	m[0].object = e.slots[0].cap.object;
	m[0].size_bits = ROOT_BITS;
	for (op_no = 0; op_no < OPS; op_no++) {
		root = find_root();
		CHECK(root >= 0, "op %llu: the root Untyped is lost", (unsigned long long)op_no);
		nexpect = 0;
		fin_before = fin_count;
		one_op(root);
		env_check(&e);
		compare(fin_before);
	}
	CHECK(fin_count > OPS / 20, "the run finalised objects (%llu)",
	      (unsigned long long)fin_count);
	env_fini(&e);
}
