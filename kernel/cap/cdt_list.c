/*
 * cdt_list.c: the derivation tree's list -- the primitives every operation
 * is built from, and the queries on the tree's shape.
 *
 * The tree is the preorder list with depths described in cap.h. A child is
 * linked immediately after its parent with depth + 1. Removing a node
 * (cdt_remove) lifts its descendants one level, so depth is always exactly
 * parent + 1 and a node without a parent has depth 0; removing a leaf is
 * O(1). Relocating a node (Move) gives its place in the list, neighbours and
 * depth to the destination slot. The primitives keep struct cdt's
 * invariants themselves but check their arguments only with cap_assert():
 * callers (cdt.c, delete.c, untyped_retype.c) have checked them already.
 */
#include "cap/cap.h"
#include "cap/cap_assert.h"
#include "cap/cdt_internal.h"

/*@ requires \valid(c);
    assigns *c;
    ensures cte_empty(c) && c->prev == \null && c->next == \null && c->depth == 0; */
void cte_clear(struct cte *c)
{
	/* Field by field: struct cap has no padding, so these are the same 40
	 * zero bytes as storing an empty struct, in stores WP reads back one
	 * field at a time. */
	c->cap.object = 0;
	c->cap.badge = 0;
	c->cap.word0 = 0;
	c->cap.word1 = 0;
	c->cap.type = SEL_OBJ_NULL;
	c->cap.rights = 0;
	c->cap.size_bits = 0;
	c->cap.guard_bits = 0;
	c->cap.flags = 0;
	c->cap.reserved[0] = 0;
	c->cap.reserved[1] = 0;
	c->cap.reserved[2] = 0;
	c->prev = NULL;
	c->next = NULL;
	c->depth = 0;
	c->obj_gen = 0;
}

/*@ requires \valid(cdt) && \valid(pos) && \valid(node) && \separated(pos, node, cdt);
    requires cte_unlinked(node);
    requires pos->next == \null || (\valid(pos->next) && \separated(pos->next, node, cdt));
    assigns node->prev, node->next, pos->next, pos->next->prev, cdt->nodes;
    ensures linked: pos->next == node && node->prev == pos && node->next == \old(pos->next);
    ensures back_link: \old(pos->next) != \null ==> \old(pos->next)->prev == node; */
void cdt_link_after(struct cdt *cdt, struct cte *pos, struct cte *node)
{
	struct cte *next = pos->next;

	cap_assert(node->prev == NULL && node->next == NULL, "insert needs an unlinked slot");
	node->prev = pos;
	node->next = next;
	if (next != NULL) {
		next->prev = node;
	}
	pos->next = node;
	cdt->nodes++;
}

/*@ requires \valid(cdt) && \valid(node) && \separated(node, cdt);
    requires cdt->head == \null || (\valid(cdt->head) && \separated(cdt->head, node));
    assigns node->prev, node->next, cdt->head, cdt->head->prev, cdt->nodes;
    ensures cdt->head == node && node->prev == \null; */
void cdt_link_head(struct cdt *cdt, struct cte *node)
{
	cap_assert(node->prev == NULL && node->next == NULL, "insert needs an unlinked slot");
	node->prev = NULL;
	node->next = cdt->head;
	if (cdt->head != NULL) {
		cdt->head->prev = node;
	}
	cdt->head = node;
	cdt->nodes++;
}

/*@ requires \valid(cdt) && \valid(node) && \separated(node, cdt);
    requires node->prev == \null || \valid(node->prev);
    requires node->next == \null || \valid(node->next);
    assigns node->prev, node->next, node->prev->next, node->next->prev, cdt->head, cdt->nodes;
    ensures node->prev == \null && node->next == \null; */
void cdt_unlink(struct cdt *cdt, struct cte *node)
{
	struct cte *prev = node->prev;
	struct cte *next = node->next;

	cap_assert(cdt->nodes > 0, "an unlinked node was counted");
	if (prev != NULL) {
		prev->next = next;
	} else {
		cap_assert(cdt->head == node, "a node without predecessor is the head");
		cdt->head = next;
	}
	if (next != NULL) {
		next->prev = prev;
	}
	node->prev = NULL;
	node->next = NULL;
	cdt->nodes--;
}

/*
 * Remove a node from the tree. Its descendants move up one level first, so
 * that depth stays exactly parent + 1: keeping their depth instead would
 * hand them to the wrong parent whenever the node has an earlier sibling
 * (in [P, E, R, C] with E and R children of P and C a child of R, removing
 * R alone would make C a child of E). A leaf costs O(1); a node with
 * descendants costs one pass over them.
 */
/*@ requires \valid(cdt) && \valid(node) && \separated(node, cdt);
    requires node->prev == \null || \valid(node->prev);
    requires node->next == \null || \valid(node->next);
    ensures node->prev == \null && node->next == \null; */
void cdt_remove(struct cdt *cdt, struct cte *node)
{
	uint32_t d = node->depth;
	struct cte *n = node->next;

	/*@ loop assigns n, n->depth; */
	for (uint64_t k = 0; n != NULL && n->depth > d && k < cdt->nodes; k++) {
		n->depth--;
		n = n->next;
	}
	cdt_unlink(cdt, node);
}

/*@ requires \valid(cdt) && \valid(src) && \valid(dest) && \separated(src, dest, cdt);
    requires !cte_empty(src) && cte_empty(dest) && cte_unlinked(dest) && cte_links_valid(src);
    requires src->prev == \null || \separated(src->prev, src, dest, cdt);
    requires src->next == \null || \separated(src->next, src, dest, cdt);
    assigns *dest, *src, src->prev->next, src->next->prev, cdt->head;
    ensures source_emptied: cte_empty(src) && cte_unlinked(src) && dest->depth == \old(src->depth);
    ensures same_cap: dest->cap == \old(src->cap);
    ensures same_gen: dest->obj_gen == \old(src->obj_gen);
    ensures same_place: dest->prev == \old(src->prev) && dest->next == \old(src->next);
    ensures relinked: (\old(src->prev) != \null ==> \old(src->prev)->next == dest) &&
            (\old(src->prev) == \null ==> cdt->head == dest) &&
            (\old(src->next) != \null ==> \old(src->next)->prev == dest);
    ensures inv_next_dest: CAP_SPEC_TREE(\old(cdt_relocate_ok(cdt, src, dest)) ==> cdt_next_ok(dest));
    ensures inv_prev_dest: CAP_SPEC_TREE(\old(cdt_relocate_ok(cdt, src, dest)) ==> cdt_prev_ok(cdt, dest));
    ensures inv_depth_dest: CAP_SPEC_TREE(\old(cdt_relocate_ok(cdt, src, dest)) ==>
            cdt_depth_step(dest) && dest->depth <= CAP_DEPTH_MAX);
    ensures inv_next_prev: CAP_SPEC_TREE(\old(cdt_relocate_ok(cdt, src, dest)) && dest->prev != \null ==> cdt_next_ok(dest->prev));
    ensures inv_depth_prev: CAP_SPEC_TREE(\old(cdt_relocate_ok(cdt, src, dest)) && dest->prev != \null ==> cdt_depth_step(dest->prev));
    ensures inv_prev_next: CAP_SPEC_TREE(\old(cdt_relocate_ok(cdt, src, dest)) && dest->next != \null ==> cdt_prev_ok(cdt, dest->next)); */
void cdt_relocate(struct cdt *cdt, struct cte *src, struct cte *dest)
{
	cap_assert(src != dest, "a slot is not relocated onto itself");
	cap_assert(cte_is_empty(dest) && dest->prev == NULL && dest->next == NULL,
	           "relocation needs an empty destination");
	*dest = *src;
	if (dest->prev != NULL) {
		dest->prev->next = dest;
	} else {
		cdt->head = dest;
	}
	if (dest->next != NULL) {
		dest->next->prev = dest;
	}
	cte_clear(src);
}

/*@ requires \valid(cdt) && \valid(parent) && \valid(dest) && \valid_read(cap);
    requires \separated(parent, dest, cdt) && \separated(cap, dest, cdt);
    requires cte_empty(dest) && cte_unlinked(dest) && !cte_empty(parent);
    requires parent->next == \null || (\valid(parent->next) && \separated(parent->next, dest, cdt));
    requires parent->depth < CAP_DEPTH_MAX;
    assigns *dest, parent->next, parent->next->prev, cdt->nodes;
    ensures child_depth: dest->depth == parent->depth + 1;
    ensures linked: parent->next == dest && dest->prev == parent && dest->next == \old(parent->next);
    ensures back_link: \old(parent->next) != \null ==> \old(parent->next)->prev == dest;
    ensures same_cap: dest->cap == \old(*cap);
    ensures cap_fields: dest->cap.type == \old(cap->type) && dest->cap.object == \old(cap->object) &&
            dest->cap.rights == \old(cap->rights) && dest->cap.badge == \old(cap->badge);
    ensures same_gen: dest->obj_gen == gen;
    ensures inv_next_dest: CAP_SPEC_TREE(\old(cdt_insert_ok(cdt, parent, dest, cap, gen)) ==>
            cdt_next_ok(dest));
    ensures inv_prev_dest: CAP_SPEC_TREE(\old(cdt_insert_ok(cdt, parent, dest, cap, gen)) ==>
            cdt_prev_ok(cdt, dest));
    ensures inv_next_parent: CAP_SPEC_TREE(\old(cdt_insert_ok(cdt, parent, dest, cap, gen)) ==>
            cdt_next_ok(parent));
    ensures inv_prev_parent: CAP_SPEC_TREE(\old(cdt_insert_ok(cdt, parent, dest, cap, gen)) ==>
            cdt_prev_ok(cdt, parent));
    ensures inv_next_next: CAP_SPEC_TREE(\old(cdt_insert_ok(cdt, parent, dest, cap, gen)) && \old(parent->next) != \null ==>
            cdt_next_ok(\old(parent->next)));
    ensures inv_prev_next: CAP_SPEC_TREE(\old(cdt_insert_ok(cdt, parent, dest, cap, gen)) && \old(parent->next) != \null ==>
            cdt_prev_ok(cdt, \old(parent->next)));
    ensures inv_depth_dest: CAP_SPEC_TREE(\old(cdt_insert_ok(cdt, parent, dest, cap, gen)) ==>
            cdt_depth_step(dest) && dest->depth <= CAP_DEPTH_MAX);
    ensures inv_depth_parent: CAP_SPEC_TREE(\old(cdt_insert_ok(cdt, parent, dest, cap, gen)) ==> cdt_depth_step(parent));
    ensures inv_depth_next: CAP_SPEC_TREE(\old(cdt_insert_ok(cdt, parent, dest, cap, gen)) && \old(parent->next) != \null ==>
            cdt_depth_step(\old(parent->next)));
    ensures inv_derived_dest: CAP_SPEC_TREE(\old(cdt_insert_ok(cdt, parent, dest, cap, gen)) ==> cdt_child_ok(dest));
    ensures inv_derived_parent: CAP_SPEC_TREE(\old(cdt_insert_ok(cdt, parent, dest, cap, gen)) ==> cdt_child_ok(parent));
    ensures inv_derived_next: CAP_SPEC_TREE(\old(cdt_insert_ok(cdt, parent, dest, cap, gen)) && \old(parent->next) != \null ==>
            cdt_child_ok(\old(parent->next)));
    ensures inv_live_dest: CAP_SPEC_TREE(\old(cdt_insert_ok(cdt, parent, dest, cap, gen)) ==>
            \let o = dest->cap.object; \let g = dest->obj_gen; \old(reg_live(cdt, o, g))); */
void cdt_insert_new(struct cdt *cdt, struct cte *parent, struct cte *dest, const struct cap *cap,
                    uint32_t gen)
{
	cap_assert(cte_is_empty(dest), "insert needs an empty slot");
	cap_assert(parent->depth < CAP_DEPTH_MAX, "depth stays bounded");
	dest->cap = *cap;
	dest->depth = parent->depth + 1;
	dest->obj_gen = gen;
	cdt_link_after(cdt, parent, dest);
}

/*@ requires \valid(cdt);
    assigns *cdt;
    ensures cdt->head == \null && cdt->dying == \null && cdt->nodes == 0; */
void cdt_init(struct cdt *cdt)
{
	cdt->head = NULL;
	cdt->dying = NULL;
	cdt->nodes = 0;
	cdt->reg = NULL;
	cdt->reg_capacity = 0;
	cdt->scratch = NULL;
	cdt->scratch_capacity = 0;
	cdt->check_epoch = 0;
	cdt->reg_gen = 0;
	cdt->reg_overflow = false;
}

/*@ requires \valid_read(slot) && (slot->next == \null || \valid_read(slot->next));
    assigns \nothing;
    ensures \result <==> (slot->next != \null && slot->next->depth > slot->depth); */
bool cdt_has_children(const struct cte *slot)
{
	return slot->next != NULL && slot->next->depth > slot->depth;
}

/* The parent of a listed slot: nearest predecessor with a smaller depth. */
struct cte *cdt_parent(const struct cte *slot)
{
	struct cte *p = slot->prev;

	while (p != NULL && p->depth >= slot->depth) {
		p = p->prev;
	}
	return p;
}

/*
 * Is `slot` the last cap to its object? Caps to one object are contiguous in
 * the list, so only the neighbours need looking at (seL4's
 * isFinalCapability). A UIntr sender counts as a cap to its receiver.
 */
/*@ requires \valid_read(slot) && !cte_empty(slot);
    requires slot->prev == \null || \valid_read(slot->prev);
    requires slot->next == \null || \valid_read(slot->next);
    assigns \nothing; */
bool cdt_is_final(const struct cte *slot)
{
	if (slot->prev != NULL && cap_same_object(&slot->prev->cap, &slot->cap)) {
		return false;
	}
	if (slot->next != NULL && cap_same_object(&slot->next->cap, &slot->cap)) {
		return false;
	}
	return true;
}
