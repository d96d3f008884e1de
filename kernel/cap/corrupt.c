/*
 * corrupt.c (debug builds only): deliberate corruption of the capability
 * state, one invariant at a time, so that tests can show the checker
 * catches each kind of damage and names it (the checker's positive
 * controls). Never called by the kernel proper.
 *
 * Each hook needs a slot in a particular situation (see enum
 * cap_corruption) and returns false, changing nothing, if the slot is not
 * in it.
 */
#ifdef SELENE_DEBUG

#include "cap/cap.h"
#include "cap/cap_assert.h"
#include "cap/cap_debug.h"
#include "cap/cdt_internal.h"

/* Unlink a leaf and append it to the list's tail as a root. */
static bool move_to_tail(struct cdt *cdt, struct cte *slot)
{
	struct cte *tail = cdt->head;

	if (cdt_has_children(slot)) {
		return false;
	}
	cdt_unlink(cdt, slot);
	for (uint64_t k = 0; tail != NULL && tail->next != NULL && k < cdt->nodes; k++) {
		tail = tail->next;
	}
	slot->depth = 0;
	if (tail == NULL) {
		cdt_link_head(cdt, slot);
	} else {
		cdt_link_after(cdt, tail, slot);
	}
	return true;
}

static bool corrupt_rights(struct cte *slot)
{
	struct cte *parent = cdt_parent(slot);
	uint32_t missing;

	if (parent == NULL) {
		return false;
	}
	missing = SEL_RIGHTS_ALL & ~(uint32_t)parent->cap.rights;
	if (missing == 0) {
		return false;
	}
	slot->cap.rights = (uint8_t)(slot->cap.rights | missing);
	return true;
}

static bool corrupt_freed(struct cdt *cdt, struct cte *slot)
{
	struct cap_registry_entry *e = cap_registry_find(cdt, &slot->cap);

	if (e == NULL) {
		return false;
	}
	e->live = 0;
	return true;
}

static bool corrupt_derivation(struct cte *slot, const struct cte *other)
{
	if (other == NULL || other->cap.type != slot->cap.type ||
	    cap_same_object(&other->cap, &slot->cap)) {
		return false;
	}
	slot->cap.object = other->cap.object;
	slot->cap.size_bits = other->cap.size_bits;
	slot->obj_gen = other->obj_gen;
	return true;
}

bool cap_debug_corrupt(struct cdt *cdt, enum cap_corruption kind, struct cte *slot,
                       struct cte *other)
{
	if (slot == NULL || cte_is_empty(slot)) {
		return false;
	}
	switch (kind) {
	case CAP_CORRUPT_LIST:
		if (slot->next == NULL) {
			return false;
		}
		slot->next->prev = slot->next;
		return true;
	case CAP_CORRUPT_DEPTH:
		if (cdt_has_children(slot)) {
			return false;
		}
		slot->depth++;
		return true;
	case CAP_CORRUPT_DERIVATION:
		return corrupt_derivation(slot, other);
	case CAP_CORRUPT_RIGHTS:
		return corrupt_rights(slot);
	case CAP_CORRUPT_BADGE:
		slot->cap.badge ^= 1u;
		return true;
	case CAP_CORRUPT_UNTYPED:
		if (slot->cap.type != SEL_OBJ_UNTYPED || !cdt_has_children(slot)) {
			return false;
		}
		slot->cap.word0 = 0;
		return true;
	case CAP_CORRUPT_FREED:
		return corrupt_freed(cdt, slot);
	case CAP_CORRUPT_CONTIGUOUS:
		return move_to_tail(cdt, slot);
	case CAP_CORRUPT_ZOMBIE:
		slot->cap.flags = (uint8_t)(slot->cap.flags | CAP_FLAG_ZOMBIE);
		return true;
	default:
		return false;
	}
}

#else

/* Release builds: nothing here, but ISO C wants a non-empty file. */
typedef int cap_corrupt_not_built;

#endif /* SELENE_DEBUG */
