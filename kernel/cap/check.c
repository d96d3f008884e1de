/*
 * check.c (debug builds only): the capability invariant checker.
 *
 * cap_check_invariants() walks the whole derivation tree and reports the
 * first invariant it finds broken (cap_debug.h lists them), naming the
 * invariant, the slot and its position. Three passes, each bounded by
 * cdt->nodes: (1) the list itself -- once it is known to be acyclic and of
 * the counted length, (2) every node against its parent, the children of
 * every Untyped against the Untyped, and every cap against the registry,
 * and (3) the dying stack against the zombies seen. The checker does not
 * change the tree; it writes only its own scratch (the ancestor stack and
 * the registry entries' `seen` epochs).
 */
#ifdef SELENE_DEBUG

#include "cap/cap.h"
#include "cap/cap_assert.h"
#include "cap/cap_debug.h"

struct walk {
	struct cdt *cdt;
	struct cap_check_report *r;
	uint64_t index;   /* position of the node being checked */
	uint64_t sp;      /* ancestor stack height */
	bool use_stack;   /* false once the scratch stack overflowed */
	uint64_t zombies; /* zombies seen in the list */
	/* the registry entry of the node checked last (NULL: none found) */
	struct cap_registry_entry *last;
};

static const char *const invariant_names[CAP_INV_COUNT] = {
    [CAP_INV_NONE] = "none",
    [CAP_INV_LIST] = "list",
    [CAP_INV_DEPTH] = "depth",
    [CAP_INV_DERIVATION] = "derivation",
    [CAP_INV_RIGHTS] = "rights",
    [CAP_INV_BADGE] = "badge",
    [CAP_INV_UNTYPED] = "untyped",
    [CAP_INV_FREED] = "freed",
    [CAP_INV_CONTIGUOUS] = "contiguous",
    [CAP_INV_ZOMBIE] = "zombie",
};

const char *cap_invariant_name(uint32_t inv)
{
	return inv < CAP_INV_COUNT ? invariant_names[inv] : "unknown";
}

static bool fail(struct walk *w, uint32_t inv, const struct cte *slot, const char *detail)
{
	w->r->failed = inv;
	w->r->slot = slot;
	w->r->index = w->index;
	w->r->detail = detail;
	return false;
}

/* Pass 1: acyclic, prev/next agree, as many nodes as counted, none empty. */
static bool check_list(struct walk *w)
{
	const struct cte *prev = NULL;
	const struct cte *n = w->cdt->head;

	for (w->index = 0; n != NULL; w->index++) {
		if (w->index >= w->cdt->nodes) {
			return fail(w, CAP_INV_LIST, n, "more nodes than counted (a cycle?)");
		}
		if (n->prev != prev) {
			return fail(w, CAP_INV_LIST, n, "prev does not point at the predecessor");
		}
		if (cte_is_empty(n)) {
			return fail(w, CAP_INV_LIST, n, "an empty slot is in the list");
		}
		prev = n;
		n = n->next;
	}
	if (w->index != w->cdt->nodes) {
		return fail(w, CAP_INV_LIST, prev, "fewer nodes than counted");
	}
	return true;
}

/* Parent of n: from the ancestor stack, or by scanning back once it is full. */
static const struct cte *find_parent(struct walk *w, const struct cte *n)
{
	const struct cte *parent;

	if (!w->use_stack) {
		return cdt_parent(n);
	}
	while (w->sp > 0 && w->cdt->scratch[w->sp - 1]->depth >= n->depth) {
		w->sp--;
	}
	parent = w->sp > 0 ? w->cdt->scratch[w->sp - 1] : NULL;
	if (w->sp < w->cdt->scratch_capacity) {
		w->cdt->scratch[w->sp] = n;
		w->sp++;
	} else {
		w->use_stack = false;
	}
	return parent;
}

/* (2) depth bounded, exactly the parent's + 1, 0 without a parent. */
static bool check_depth(struct walk *w, const struct cte *n, const struct cte *parent)
{
	if (n->depth > CAP_DEPTH_MAX) {
		return fail(w, CAP_INV_DEPTH, n, "depth beyond CAP_DEPTH_MAX");
	}
	if (parent == NULL && n->depth != 0) {
		return fail(w, CAP_INV_DEPTH, n, "a node without parent has a depth");
	}
	if (parent != NULL && n->depth != parent->depth + 1) {
		return fail(w, CAP_INV_DEPTH, n, "depth is not its parent's + 1");
	}
	return true;
}

/* (3) for a child of the same object: rights within, badge kept. */
static bool check_copy(struct walk *w, const struct cte *n, const struct cap *p)
{
	if (!cap_rights_within(n->cap.rights, p->rights)) {
		return fail(w, CAP_INV_RIGHTS, n, "a right its parent lacks");
	}
	if (p->badge != 0 && n->cap.badge != p->badge) {
		return fail(w, CAP_INV_BADGE, n, "badge differs from its badged parent's");
	}
	return true;
}

/* (3) a type-changing derivation must be a row of the table. */
static bool check_typed(struct walk *w, const struct cte *n, const struct cap *p, bool same)
{
	const struct cap_derivation *rule = cap_derivation_find(p->type, n->cap.type);

	if (rule == NULL || (rule->same_object != 0) != same) {
		return fail(w, CAP_INV_DERIVATION, n, "its parent cannot derive it");
	}
	if (!cap_rights_within(n->cap.rights, p->rights)) {
		return fail(w, CAP_INV_RIGHTS, n, "a right its parent lacks");
	}
	if ((p->rights & rule->needs_right) != rule->needs_right) {
		return fail(w, CAP_INV_RIGHTS, n,
		            "its parent lacks the right the derivation needs");
	}
	return true;
}

/* (3) the parent is a legal source of n; badges only where they belong. */
static bool check_derivation(struct walk *w, const struct cte *n, const struct cte *parent)
{
	const struct cap_type_info *ti = cap_type_info(n->cap.type);
	const struct cap *p;
	bool same;

	if (n->cap.badge != 0 && ti->data != CAP_DATA_BADGE) {
		return fail(w, CAP_INV_BADGE, n, "a badge on a type without badges");
	}
	if (!cap_rights_valid(n->cap.rights) || n->cap.type >= SEL_OBJ_TYPE_COUNT) {
		return fail(w, CAP_INV_RIGHTS, n, "unknown type or rights");
	}
	if (parent == NULL) {
		return true;
	}
	p = &parent->cap;
	if (p->type == SEL_OBJ_UNTYPED) {
		if (!cap_type_info(ti->ref_type)->retypeable) {
			return fail(w, CAP_INV_DERIVATION, n, "an Untyped cannot hold this object");
		}
		return true; /* placement: check_untyped() */
	}
	same = n->cap.object == p->object && cap_same_object(&n->cap, p);
	if (same && n->cap.type == p->type) {
		return check_copy(w, n, p);
	}
	return check_typed(w, n, p, same);
}

/* (4) one direct child c of Untyped u; *lo is the lowest address so far. */
static bool check_ut_child(struct walk *w, const struct cap *u, const struct cte *c,
                           const struct cte *prev, uint64_t *lo)
{
	uint64_t base = c->cap.object;
	uint32_t bits = cap_object_bits(&c->cap);
	uint64_t end;

	if (bits == 0 || bits > u->size_bits || base < u->object) {
		return fail(w, CAP_INV_UNTYPED, c, "child lies outside its Untyped");
	}
	end = base + ((uint64_t)1 << bits);
	if (end > u->object + ((uint64_t)1 << u->size_bits)) {
		return fail(w, CAP_INV_UNTYPED, c, "child lies outside its Untyped");
	}
	if (((u->flags ^ c->cap.flags) & CAP_FLAG_DEVICE) != 0) {
		return fail(w, CAP_INV_UNTYPED, c, "device flag differs from its Untyped's");
	}
	if (prev != NULL && prev->cap.object == base && cap_same_object(&prev->cap, &c->cap)) {
		return true; /* another cap to the previous child's object */
	}
	if (end > *lo) {
		return fail(w, CAP_INV_UNTYPED, c,
		            "overlaps a sibling or lies above the watermark");
	}
	*lo = base;
	return true;
}

/* (4) every direct child of Untyped u in range, below the mark, disjoint. */
static bool check_untyped(struct walk *w, const struct cte *u)
{
	const struct cap *uc = &u->cap;
	uint64_t lo = uc->object + uc->word0;
	uint32_t min = UINT32_MAX;
	const struct cte *prev = NULL;
	const struct cte *c = u->next;

	if (uc->size_bits > CAP_UNTYPED_MAX_BITS || uc->word0 > ((uint64_t)1 << uc->size_bits) ||
	    (uc->object & (((uint64_t)1 << uc->size_bits) - 1u)) != 0) {
		return fail(w, CAP_INV_UNTYPED, u, "misaligned, or watermark beyond its end");
	}
	for (uint64_t k = 0; c != NULL && c->depth > u->depth && k < w->cdt->nodes; k++) {
		if (c->depth <= min) {
			min = c->depth;
			if (!check_ut_child(w, uc, c, prev, &lo)) {
				return false;
			}
			prev = c;
		}
		c = c->next;
	}
	return true;
}

/* (5) the object is live and of this generation; its caps form one run. */
static bool check_live(struct walk *w, const struct cte *n)
{
	struct cap_registry_entry *e;
	bool run;

	if (!w->r->registry_checked) {
		return true;
	}
	/* the previous node is checked just before: a cap to its object has its entry */
	run = n->prev != NULL && n->prev->cap.object == n->cap.object &&
	      cap_same_object(&n->prev->cap, &n->cap);
	e = run && w->last != NULL ? w->last : cap_registry_find(w->cdt, &n->cap);
	w->last = e;
	if (e == NULL || e->live == 0) {
		return fail(w, CAP_INV_FREED, n, "refers to a freed object");
	}
	if (e->gen != n->obj_gen) {
		return fail(w, CAP_INV_FREED, n, "refers to an earlier object at this address");
	}
	if (n->cap.type == SEL_OBJ_UNTYPED || run) {
		return true;
	}
	if (e->seen == w->cdt->check_epoch) {
		return fail(w, CAP_INV_CONTIGUOUS, n, "caps to this object are not contiguous");
	}
	e->seen = w->cdt->check_epoch;
	return true;
}

static bool check_node(struct walk *w, const struct cte *n)
{
	const struct cte *parent = find_parent(w, n);

	if (!check_depth(w, n, parent) || !check_derivation(w, n, parent)) {
		return false;
	}
	if (n->cap.type == SEL_OBJ_UNTYPED && !check_untyped(w, n)) {
		return false;
	}
	if (cap_is_zombie(&n->cap)) {
		w->zombies++;
		if (cdt_has_children(n) || cap_container_count(&n->cap) == 0) {
			return fail(w, CAP_INV_ZOMBIE, n, "a zombie with children or no slots");
		}
	}
	return check_live(w, n);
}

/* Pass 3: the dying stack holds exactly the zombies in the list. */
static bool check_zombies(struct walk *w)
{
	const struct cte *z = w->cdt->dying;
	uint64_t k = 0;

	w->index = 0;
	for (; z != NULL && k <= w->cdt->nodes; k++) {
		if (cte_is_empty(z) || !cap_is_zombie(&z->cap)) {
			return fail(w, CAP_INV_ZOMBIE, z, "a live cap is on the dying stack");
		}
		if (z->cap.word0 > cap_container_count(&z->cap)) {
			return fail(w, CAP_INV_ZOMBIE, z, "more slots left than the container has");
		}
		z = (const struct cte *)(uintptr_t)z->cap.word1;
	}
	if (k != w->zombies) {
		return fail(w, CAP_INV_ZOMBIE, z, "zombies and the dying stack disagree");
	}
	return true;
}

bool cap_check_invariants(struct cdt *cdt, struct cap_check_report *report)
{
	struct walk w = {cdt, report, 0, 0, cdt->scratch != NULL, 0, NULL};

	report->failed = CAP_INV_NONE;
	report->slot = NULL;
	report->index = 0;
	report->detail = "all invariants hold";
	report->nodes = cdt->nodes;
	report->registry_checked = cdt->reg != NULL && !cdt->reg_overflow;
	cdt->check_epoch++;
	if (!check_list(&w)) {
		return false;
	}
	w.index = 0;
	for (const struct cte *n = cdt->head; n != NULL; n = n->next) {
		if (!check_node(&w, n)) {
			return false;
		}
		w.index++;
	}
	return check_zombies(&w);
}

#else

/* Release builds: nothing here, but ISO C wants a non-empty file. */
typedef int cap_check_not_built;

#endif /* SELENE_DEBUG */
