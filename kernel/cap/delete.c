/*
 * delete.c: Delete, Revoke and the reaper that empties dying containers.
 *
 * Deleting a cap removes its node (cdt_remove: its children become its
 * parent's, one level up). If it was the last cap to its object
 * (cdt_is_final), the object is finalised through the kernel hook
 * cap_object_finalise(), exactly once.
 *
 * Revoke deletes the descendants of a slot leaf first (post-order), so no
 * step has to lift a subtree: each step finds the first leaf below a cursor
 * (the parent of the leaf deleted last), which is O(1) amortised; a call
 * that resumes after preemption walks down once from the slot.
 *
 * Containers. A CNode or TCB holds slots, and its memory may only be reused
 * once they are empty; emptying them may meet the last cap to another
 * non-empty container, to any depth, and even cycles (a CNode holding the
 * last cap to a CNode that holds the last cap to the first). Nothing here
 * recurses. Instead, deleting the last cap to a container finalises the
 * object and turns the cap, in place, into a *zombie* (flag ZOMBIE; word0 =
 * slots not yet emptied; word1 = next zombie): it stays in the CDT (so the
 * parent Untyped still has a child and its memory cannot be retyped) and is
 * pushed on the *dying stack* (cdt->dying, linked through word1 of the
 * zombies themselves: the stack lives inside the objects). One reaper step
 * works on the zombie Z on top, for container X, with n slots left:
 *   n == 0           pop Z, unlink and clear it: X is gone;
 *   X[n-1] empty, or Z itself (Z may live inside X): n := n - 1;
 *   X[n-1] a zombie W (of a container Y nested in X): swap the records of
 *                    Z and W (each keeps its place in the CDT list; each
 *                    slot keeps its stack link), so W is on top and Z now
 *                    lives inside X -- "self-contained", and it never moves
 *                    again, which bounds the number of swaps;
 *   X[n-1] a cap     delete it (it may become a zombie on top).
 * Every step removes a cap, clears a slot counter, pops a zombie or makes a
 * zombie self-contained, so the reaper ends after at most (caps + container
 * slots + zombies) steps, and the tree is consistent after each step.
 *
 * Preemption: cdt_delete and cdt_revoke first finish whatever the dying
 * stack holds (a preempted earlier call's work), then their own. After
 * every CAP_PREEMPT_INTERVAL steps they ask cap_preemption_point(); on true
 * they return SEL_ERR_PREEMPTED and the caller repeats the call. They return
 * SEL_OK only when their work is done and the dying stack is empty. Both
 * accept an empty slot (success, nothing to do), which is also what a
 * repeated call sees once the work is done.
 *
 * Invariants kept: the dying stack holds exactly the zombies in the list;
 * a zombie is the only cap to its object and has no children; only the
 * reaper moves a zombie (Move, Mutate, Copy, Mint refuse them).
 */
#include "cap/cap.h"
#include "cap/cap_assert.h"
#include "cap/cap_debug.h"
#include "cap/cdt_internal.h"

/*@ requires \valid_read(z);
    assigns \nothing; */
static struct cte *zombie_next(const struct cte *z)
{
	return (struct cte *)(uintptr_t)z->cap.word1;
}

/* The last cap to a container: finalise the object, keep the cap as a zombie. */
/*@ requires \valid(cdt) && \valid(slot) && \separated(cdt, slot);
    requires !cte_empty(slot) && (slot->next == \null || \valid_read(slot->next));
    assigns slot->cap.flags, slot->cap.word0, slot->cap.word1, cdt->dying;
    ensures cdt->dying == slot && (slot->cap.flags & CAP_FLAG_ZOMBIE) != 0;
    ensures slot->cap.type == \old(slot->cap.type) && slot->cap.object == \old(slot->cap.object); */
static void make_zombie(struct cdt *cdt, struct cte *slot)
{
	struct cap copy = slot->cap;

	cap_assert(!cdt_has_children(slot), "the last cap to an object has no children");
	cap_object_finalise(&copy);
	slot->cap.flags = (uint8_t)(slot->cap.flags | CAP_FLAG_ZOMBIE);
	slot->cap.word0 = cap_container_count(&slot->cap);
	slot->cap.word1 = (uint64_t)(uintptr_t)cdt->dying;
	cdt->dying = slot;
}

/*
 * Delete one non-zombie cap. Its object is finalised if it was the last
 * cap; a container becomes a zombie instead of being unlinked.
 */
/*@ requires \valid(cdt) && \valid(slot) && \separated(cdt, slot);
    requires !cte_empty(slot) && (slot->cap.flags & CAP_FLAG_ZOMBIE) == 0;
    requires cte_links_valid(slot);
    requires \separated(cdt->reg + (0 .. cdt->reg_capacity - 1), slot);
    assigns *slot, slot->prev->next, slot->next->prev, cdt->head, cdt->nodes, cdt->dying,
            cdt->reg[0 .. cdt->reg_capacity - 1], cdt->reg_overflow;
    ensures cte_empty(slot) || cdt->dying == slot; */
static void delete_one(struct cdt *cdt, struct cte *slot)
{
	struct cap copy = slot->cap;
	bool final = cdt_is_final(slot);

	cap_assert(!cap_is_zombie(&slot->cap), "a zombie is only handled by the reaper");
	cap_removed(&copy);
	if (final && cap_container_count(&copy) != 0) {
		make_zombie(cdt, slot);
		return;
	}
	cdt_remove(cdt, slot);
	cte_clear(slot);
	if (final) {
		cap_object_finalise(&copy);
		cap_registry_remove(cdt, &copy);
	}
}

/* Exchange the records of zombies `a` and `b`; each slot keeps its stack link. */
/*@ requires \valid(cdt) && \valid(a) && \valid(b) && \separated(cdt, a, b);
    assigns *a, *b, a->prev->next, a->next->prev, b->prev->next, b->next->prev, cdt->head; */
static void zombie_swap(struct cdt *cdt, struct cte *a, struct cte *b)
{
	uint64_t link_a = a->cap.word1;
	uint64_t link_b = b->cap.word1;
	struct cte tmp;

	cte_clear(&tmp);
	cdt_relocate(cdt, a, &tmp);
	cdt_relocate(cdt, b, a);
	cdt_relocate(cdt, &tmp, b);
	a->cap.word1 = link_a;
	b->cap.word1 = link_b;
}

/*
 * Is any zombie on the dying stack (other than `z`) stored inside the memory
 * of z's container? It must not be: that memory is about to be released.
 * Debug check, O(stack).
 */
/*@ requires \valid_read(cdt) && \valid_read(z);
    assigns \nothing; */
static bool zombie_inside(const struct cdt *cdt, const struct cte *z)
{
	uint64_t lo = z->cap.object;
	uint64_t hi = lo + ((uint64_t)1 << cap_object_bits(&z->cap));
	const struct cte *w = cdt->dying;

	for (uint64_t k = 0; w != NULL && k < cdt->nodes; k++) {
		uint64_t at = (uint64_t)(uintptr_t)w;

		if (w != z && at >= lo && at < hi) {
			return true;
		}
		w = zombie_next(w);
	}
	return false;
}

/* The zombie on top has emptied its container: pop, unlink and clear it. */
/*@ requires \valid(cdt) && \valid(cdt->dying) && \separated(cdt, cdt->dying);
    assigns *(cdt->dying), cdt->dying, cdt->head, cdt->nodes,
            cdt->dying->prev->next, cdt->dying->next->prev,
            cdt->reg[0 .. cdt->reg_capacity - 1], cdt->reg_overflow; */
static void zombie_finish(struct cdt *cdt)
{
	struct cte *z = cdt->dying;
	struct cap copy = z->cap;

	cap_assert(z->cap.word0 == 0, "a zombie finishes once its container is empty");
	cap_assert(!zombie_inside(cdt, z), "no zombie outlives the container it is stored in");
	cdt->dying = zombie_next(z);
	cdt_remove(cdt, z);
	cte_clear(z);
	cap_registry_remove(cdt, &copy);
}

/* One step of the reaper on the zombie on top of the dying stack. */
/*@ requires \valid(cdt) && \valid(cdt->dying) && \separated(cdt, cdt->dying); */
static void reap_step(struct cdt *cdt)
{
	struct cte *z = cdt->dying;
	uint64_t left = z->cap.word0;
	struct cte *e;

	cap_assert(cap_is_zombie(&z->cap), "the dying stack holds zombies");
	if (left == 0) {
		zombie_finish(cdt);
		return;
	}
	cap_assert(left <= cap_container_count(&z->cap), "a zombie counts its slots down");
	e = cap_container_slots(&z->cap) + (left - 1u);
	if (e == z || cte_is_empty(e)) {
		z->cap.word0 = left - 1u;
	} else if (cap_is_zombie(&e->cap)) {
		zombie_swap(cdt, z, e);
	} else {
		delete_one(cdt, e);
	}
}

/* Count a step; true if the caller must stop for a pending interrupt. */
/*@ assigns \nothing;
    ensures steps == 0 ==> !\result; */
static bool preempt_due(uint64_t steps)
{
	return steps != 0 && steps % CAP_PREEMPT_INTERVAL == 0 && cap_preemption_point();
}

/*
 * Delete the cap in `slot` (and, if it was the last cap to a container,
 * everything inside it). SEL_OK when done (also for an empty slot);
 * SEL_ERR_PREEMPTED when interrupted: call again.
 */
/*@ requires \valid(cdt) && \valid(slot) && \separated(cdt, slot);
    ensures done: \result == SEL_OK ==> cte_empty(slot) && cdt->dying == \null;
    ensures \result == SEL_OK || \result == SEL_ERR_PREEMPTED;
    ensures nothing_to_do: \old(cdt->dying) == \null && \old(cte_empty(slot)) ==>
            \result == SEL_OK && *slot == \old(*slot) && *cdt == \old(*cdt); */
enum sel_error cdt_delete(struct cdt *cdt, struct cte *slot)
{
	uint64_t steps = 0;

	/*@ loop invariant nothing_to_do: \at(cdt->dying, Pre) == \null && \at(cte_empty(slot), Pre) ==>
	                   steps == 0 && *slot == \at(*slot, Pre) && *cdt == \at(*cdt, Pre); */
	for (;;) {
		if (cdt->dying == NULL && cte_is_empty(slot)) {
			return SEL_OK;
		}
		if (preempt_due(steps)) {
			return SEL_ERR_PREEMPTED;
		}
		if (cdt->dying != NULL) {
			reap_step(cdt);
		} else {
			delete_one(cdt, slot);
		}
		steps++;
	}
}

/* The first leaf in preorder at or below `n`. */
/*@ requires \valid(n);
    assigns \nothing;
    ensures \valid(\result); */
static struct cte *leaf_below(struct cte *n)
{
	/*@ loop invariant \valid(n);
	    loop assigns n; */
	while (cdt_has_children(n)) {
		n = n->next;
	}
	return n;
}

/*
 * One Revoke step: delete the first leaf below the cursor (a descendant of
 * slot, or slot itself) and return the next cursor: the leaf's parent, or
 * the slot again if the reaper now has work (it may empty any slot).
 */
/*@ requires \valid(cdt) && \valid(slot) && \separated(cdt, slot) && \valid(cursor);
    requires slot->next == \null || \valid(slot->next);
    requires cdt->dying == \null && !cte_empty(slot);
    requires slot->next != \null && slot->next->depth > slot->depth;
    requires \separated(cdt->reg + (0 .. cdt->reg_capacity - 1), slot);
    ensures slot_kept: slot->cap.type == \old(slot->cap.type) &&
            slot->cap.object == \old(slot->cap.object) &&
            slot->cap.rights == \old(slot->cap.rights) && slot->cap.badge == \old(slot->cap.badge);
    ensures \result == slot || \valid(\result); */
static struct cte *revoke_step(struct cdt *cdt, struct cte *slot, struct cte *cursor)
{
	struct cte *leaf = leaf_below(cursor == slot ? slot->next : cursor);
	struct cte *back = leaf->prev;

	cap_assert(leaf != slot && leaf->depth > slot->depth, "revoke deletes descendants only");
	delete_one(cdt, leaf);
	if (cdt->dying != NULL) {
		return slot;
	}
	return back;
}

/*
 * Revoke: delete every descendant of `slot`, keep `slot`. SEL_OK when done
 * (also for an empty slot); SEL_ERR_PREEMPTED when interrupted: call again.
 * The descendants go one at a time, leaves first.
 */
/*@ requires \valid(cdt) && \valid(slot) && \separated(cdt, slot);
    requires slot->next == \null || \valid(slot->next);
    ensures done: \result == SEL_OK ==> cdt->dying == \null &&
            (cte_empty(slot) || slot->next == \null || slot->next->depth <= slot->depth);
    ensures \result == SEL_OK || \result == SEL_ERR_PREEMPTED;
    ensures slot_kept: \result == SEL_OK ==> cte_empty(slot) ||
            (slot->cap.type == \old(slot->cap.type) && slot->cap.object == \old(slot->cap.object) &&
             slot->cap.rights == \old(slot->cap.rights) &&
             slot->cap.badge == \old(slot->cap.badge));
    ensures nothing_to_do: \old(cdt->dying) == \null &&
            \old(cte_empty(slot) || slot->next == \null || slot->next->depth <= slot->depth) ==>
            \result == SEL_OK && *slot == \old(*slot) && *cdt == \old(*cdt); */
enum sel_error cdt_revoke(struct cdt *cdt, struct cte *slot)
{
	uint64_t steps = 0;
	struct cte *cursor = slot;

	/*@ loop invariant \valid(cursor);
	    loop invariant slot->next == \null || \valid(slot->next);
	    loop invariant slot_kept: cte_empty(slot) ||
	                   (slot->cap.type == \at(slot->cap.type, Pre) &&
	                    slot->cap.object == \at(slot->cap.object, Pre) &&
	                    slot->cap.rights == \at(slot->cap.rights, Pre) &&
	                    slot->cap.badge == \at(slot->cap.badge, Pre));
	    loop invariant nothing_to_do: \at(cdt->dying, Pre) == \null &&
	                   \at(cte_empty(slot) || slot->next == \null ||
	                        slot->next->depth <= slot->depth, Pre) ==>
	                   steps == 0 && *slot == \at(*slot, Pre) && *cdt == \at(*cdt, Pre); */
	for (;;) {
		if (cdt->dying == NULL && (cte_is_empty(slot) || !cdt_has_children(slot))) {
			return SEL_OK;
		}
		if (preempt_due(steps)) {
			return SEL_ERR_PREEMPTED;
		}
		if (cdt->dying != NULL) {
			reap_step(cdt);
			cursor = slot;
		} else {
			cursor = revoke_step(cdt, slot, cursor);
		}
		steps++;
	}
}
