/*
 * cdt.c: the derivations that add to the capability derivation tree --
 * Copy, Mint, Move, Mutate, insertion of boot caps (roots) and of
 * type-changing children -- and Identify. The list itself is cdt_list.c.
 *
 * The tree is the preorder list with depths described in cap.h. Copy and
 * Mint insert the new cap immediately after its source with depth + 1, so
 * it becomes the source's first child and stays next to the other caps to
 * the same object. Move and Mutate relocate a node: the destination takes
 * the source's place in the list (same neighbours, same depth), so the
 * tree's shape does not change. Nothing here can add a right: rights are
 * always intersected with the source's. A badge, once non-zero, is copied
 * to every derived cap and no Mint or Mutate may change or clear it.
 *
 * Every public function checks all of its preconditions first, in the order
 * destination (SEL_ERR_SLOT_OCCUPIED), source (SEL_ERR_EMPTY_SLOT; a dying
 * source: SEL_ERR_ILLEGAL_OP), type rule (SEL_ERR_ILLEGAL_OP,
 * SEL_ERR_WRONG_TYPE), rights argument (SEL_ERR_INVALID_ARG), data word
 * (SEL_ERR_BADGE_SET, SEL_ERR_INVALID_ARG), children (SEL_ERR_HAS_CHILDREN)
 * and depth (SEL_ERR_RANGE), and only then writes; on any error nothing has
 * changed.
 */
#include "cap/cap.h"
#include "cap/cap_assert.h"
#include "cap/cap_debug.h"
#include "cap/cdt_internal.h"

/* Destination empty, source a live cap. */
/*@ requires \valid_read(src) && \valid_read(dest);
    assigns \nothing;
    ensures occupied: !cte_empty(dest) ==> \result == SEL_ERR_SLOT_OCCUPIED;
    ensures no_source: cte_empty(dest) && cte_empty(src) ==> \result == SEL_ERR_EMPTY_SLOT;
    ensures ok: \result == SEL_OK <==>
            (cte_empty(dest) && !cte_empty(src) && (src->cap.flags & CAP_FLAG_ZOMBIE) == 0); */
static enum sel_error check_src_dest(const struct cte *src, const struct cte *dest)
{
	if (!cte_is_empty(dest)) {
		return SEL_ERR_SLOT_OCCUPIED;
	}
	if (cte_is_empty(src)) {
		return SEL_ERR_EMPTY_SLOT;
	}
	if (cap_is_zombie(&src->cap)) {
		return SEL_ERR_ILLEGAL_OP;
	}
	return SEL_OK;
}

/*
 * Apply a Mint/Mutate data word to `out` (a derivation of `src`): the badge
 * of an Endpoint/Notification (a badged source only accepts its own badge),
 * the guard of a CNode, and 0 for every other type.
 */
/*@ requires \valid_read(src) && \valid(out) && \separated(src, out);
    assigns out->badge, out->guard_bits, out->word0;
    ensures badge_kept: \result == SEL_OK && src->badge != 0 ==>
            out->badge == src->badge || out->badge == \old(out->badge); */
static enum sel_error apply_data(const struct cap *src, uint64_t data, struct cap *out)
{
	const struct cap_type_info *ti = cap_type_info(src->type);
	uint64_t bits;
	uint64_t guard;

	if (ti->data == CAP_DATA_BADGE) {
		if (src->badge != 0 && data != src->badge) {
			return SEL_ERR_BADGE_SET;
		}
		out->badge = data;
		return SEL_OK;
	}
	if (ti->data == CAP_DATA_GUARD) {
		bits = data & ((1u << CAP_GUARD_BITS_WIDTH) - 1u);
		guard = data >> CAP_GUARD_BITS_WIDTH;
		if (bits + src->size_bits > 64u || (guard >> bits) != 0) {
			return SEL_ERR_INVALID_ARG;
		}
		out->guard_bits = (uint8_t)bits;
		out->word0 = guard;
		return SEL_OK;
	}
	return data == 0 ? SEL_OK : SEL_ERR_INVALID_ARG;
}

/*
 * Build the cap derived from `src` by Copy (with_data false) or Mint. The
 * rights are computed from the source's before the copy, with both operands
 * 8 bits wide (`rights` is at most SEL_RIGHTS_ALL here, so the cast changes
 * nothing), and stored last (after apply_data(), which does not touch them;
 * on an error the caller discards *out): so the proof of "rights within the
 * source's" is a matter of `&` alone, which WP's simplifier decides
 * (verify/frama-c/README.md).
 */
/*@ requires \valid_read(src) && \valid(out) && \separated(src, out);
    assigns *out;
    ensures derived_rights:
      \result == SEL_OK ==> (out->rights & \old(src->rights)) == out->rights;
    ensures same_object: \result == SEL_OK ==> out->type == src->type && out->object == src->object;
    ensures badge_kept:
      \result == SEL_OK && (src->badge != 0 || !with_data) ==> out->badge == src->badge; */
static enum sel_error derive(const struct cap *src, uint32_t rights, bool with_data, uint64_t data,
                             struct cap *out)
{
	const struct cap_type_info *ti = cap_type_info(src->type);
	enum sel_error err = SEL_OK;
	uint8_t derived;

	if (!ti->copyable) {
		return SEL_ERR_ILLEGAL_OP;
	}
	if (!cap_rights_valid(rights)) {
		return SEL_ERR_INVALID_ARG;
	}
	derived = (uint8_t)(src->rights & (uint8_t)rights);
	*out = *src;
	/*@ assert out->type == src->type && out->object == src->object &&
	           out->badge == src->badge; */
	if (ti->clear_words) {
		out->word0 = 0;
		out->word1 = 0;
	}
	if (with_data) {
		err = apply_data(src, data, out);
	}
	out->rights = derived;
	return err;
}

/*@ requires \valid(cdt) && \valid(src) && \valid(dest) && \separated(cdt, src, dest);
    requires cte_empty(dest) ==> cte_unlinked(dest);
    requires src->next == \null || (\valid(src->next) && \separated(src->next, dest, cdt));
    assigns *dest, src->next, src->next->prev, cdt->nodes;
    ensures \result != SEL_OK ==> *dest == \old(*dest) && src->next == \old(src->next) &&
            cdt->nodes == \old(cdt->nodes) &&
            (src->next == \null || src->next->prev == \old(src->next->prev));
    ensures inv_links: \old(cdt_derive_ok(cdt, src, dest)) && \result == SEL_OK ==>
            cdt_next_ok(dest) && cdt_prev_ok(cdt, dest) && cdt_next_ok(src) &&
            cdt_prev_ok(cdt, src) &&
            (dest->next != \null ==> cdt_next_ok(dest->next) && cdt_prev_ok(cdt, dest->next));
    ensures inv_depth: \old(cdt_derive_ok(cdt, src, dest)) && \result == SEL_OK ==>
            cdt_depth_step(dest) && dest->depth <= CAP_DEPTH_MAX && cdt_depth_step(src) &&
            (dest->next != \null ==> cdt_depth_step(dest->next));
    ensures inv_derived: \old(cdt_derive_ok(cdt, src, dest)) && \result == SEL_OK ==>
            cdt_child_ok(dest) && cdt_child_ok(src) &&
            (dest->next != \null ==> cdt_child_ok(dest->next));
    ensures inv_live: \old(cdt_derive_ok(cdt, src, dest)) && \result == SEL_OK ==>
            dest->cap.object == \old(src->cap.object) && dest->obj_gen == \old(src->obj_gen);
    behavior occupied:
      assumes !cte_empty(dest);
      ensures \result == SEL_ERR_SLOT_OCCUPIED;
    behavior no_source:
      assumes cte_empty(dest) && cte_empty(src);
      ensures \result == SEL_ERR_EMPTY_SLOT;
    behavior derive:
      assumes cte_empty(dest) && !cte_empty(src);
      ensures \result == SEL_OK ==> dest->prev == src && src->next == dest &&
              dest->next == \old(src->next) && dest->depth == src->depth + 1;
      ensures derive_object: \result == SEL_OK ==>
              dest->cap.type == src->cap.type && dest->cap.object == src->cap.object;
      ensures derive_rights: \result == SEL_OK ==>
              (dest->cap.rights & \old(src->cap.rights)) == dest->cap.rights;
      ensures derive_badge: \result == SEL_OK ==>
              (src->cap.badge != 0 || !with_data ==> dest->cap.badge == src->cap.badge);
    complete behaviors;
    disjoint behaviors; */
static enum sel_error derive_child(struct cdt *cdt, struct cte *src, struct cte *dest,
                                   uint32_t rights, bool with_data, uint64_t data)
{
	struct cap newcap;
	enum sel_error err = check_src_dest(src, dest);

	if (err != SEL_OK) {
		return err;
	}
	err = derive(&src->cap, rights, with_data, data, &newcap);
	if (err != SEL_OK) {
		return err;
	}
	if (src->depth >= CAP_DEPTH_MAX) {
		return SEL_ERR_RANGE;
	}
	cap_assert(cap_rights_within(newcap.rights, src->cap.rights),
	           "a derivation never adds rights");
	cap_assert(src->cap.badge == 0 || newcap.badge == src->cap.badge, "a badge never changes");
	/*@ assert insert_around: \at(cdt_derive_ok(cdt, src, dest), Pre) ==>
	           cdt_around_ok(cdt, src, dest) && cdt_obj_live(cdt, src); */
	/*@ assert insert_derived: cap_derived(newcap, src->cap) && newcap.type != SEL_OBJ_NULL; */
	cdt_insert_new(cdt, src, dest, &newcap, src->obj_gen);
	return SEL_OK;
}

/*
 * Copy: dest becomes a child of src with rights src.rights & rights, the
 * same badge and guard.
 */
/*@ requires \valid(cdt) && \valid(src) && \valid(dest) && \separated(cdt, src, dest);
    requires cte_empty(dest) ==> cte_unlinked(dest);
    requires src->next == \null || (\valid(src->next) && \separated(src->next, dest, cdt));
    assigns *dest, src->next, src->next->prev, cdt->nodes;
    ensures \result != SEL_OK ==> *dest == \old(*dest) && src->next == \old(src->next) &&
            cdt->nodes == \old(cdt->nodes) &&
            (src->next == \null || src->next->prev == \old(src->next->prev));
    ensures inv_links: \old(cdt_derive_ok(cdt, src, dest)) && \result == SEL_OK ==>
            cdt_next_ok(dest) && cdt_prev_ok(cdt, dest) && cdt_next_ok(src) &&
            cdt_prev_ok(cdt, src) &&
            (dest->next != \null ==> cdt_next_ok(dest->next) && cdt_prev_ok(cdt, dest->next));
    ensures inv_depth: \old(cdt_derive_ok(cdt, src, dest)) && \result == SEL_OK ==>
            cdt_depth_step(dest) && dest->depth <= CAP_DEPTH_MAX && cdt_depth_step(src) &&
            (dest->next != \null ==> cdt_depth_step(dest->next));
    ensures inv_derived: \old(cdt_derive_ok(cdt, src, dest)) && \result == SEL_OK ==>
            cdt_child_ok(dest) && cdt_child_ok(src) &&
            (dest->next != \null ==> cdt_child_ok(dest->next));
    ensures inv_live: \old(cdt_derive_ok(cdt, src, dest)) && \result == SEL_OK ==>
            dest->cap.object == \old(src->cap.object) && dest->obj_gen == \old(src->obj_gen);
    behavior occupied:
      assumes !cte_empty(dest);
      ensures \result == SEL_ERR_SLOT_OCCUPIED;
    behavior no_source:
      assumes cte_empty(dest) && cte_empty(src);
      ensures \result == SEL_ERR_EMPTY_SLOT;
    behavior derive:
      assumes cte_empty(dest) && !cte_empty(src);
      ensures \result == SEL_OK ==> dest->prev == src && src->next == dest &&
              dest->depth == src->depth + 1 && dest->cap.type == src->cap.type &&
              dest->cap.object == src->cap.object && dest->cap.badge == src->cap.badge &&
              rights_within(dest->cap.rights, src->cap.rights);
    complete behaviors;
    disjoint behaviors; */
enum sel_error cdt_copy(struct cdt *cdt, struct cte *src, struct cte *dest, uint32_t rights)
{
	return derive_child(cdt, src, dest, rights, false, 0);
}

/*
 * Mint: as Copy, and `data` sets the badge of an unbadged Endpoint or
 * Notification cap (a badged source accepts only its own badge: anything
 * else, 0 included, is SEL_ERR_BADGE_SET), or the guard of a CNode cap.
 */
/*@ requires \valid(cdt) && \valid(src) && \valid(dest) && \separated(cdt, src, dest);
    requires cte_empty(dest) ==> cte_unlinked(dest);
    requires src->next == \null || (\valid(src->next) && \separated(src->next, dest, cdt));
    assigns *dest, src->next, src->next->prev, cdt->nodes;
    ensures \result != SEL_OK ==> *dest == \old(*dest) && src->next == \old(src->next) &&
            cdt->nodes == \old(cdt->nodes) &&
            (src->next == \null || src->next->prev == \old(src->next->prev));
    ensures inv_links: \old(cdt_derive_ok(cdt, src, dest)) && \result == SEL_OK ==>
            cdt_next_ok(dest) && cdt_prev_ok(cdt, dest) && cdt_next_ok(src) &&
            cdt_prev_ok(cdt, src) &&
            (dest->next != \null ==> cdt_next_ok(dest->next) && cdt_prev_ok(cdt, dest->next));
    ensures inv_depth: \old(cdt_derive_ok(cdt, src, dest)) && \result == SEL_OK ==>
            cdt_depth_step(dest) && dest->depth <= CAP_DEPTH_MAX && cdt_depth_step(src) &&
            (dest->next != \null ==> cdt_depth_step(dest->next));
    ensures inv_derived: \old(cdt_derive_ok(cdt, src, dest)) && \result == SEL_OK ==>
            cdt_child_ok(dest) && cdt_child_ok(src) &&
            (dest->next != \null ==> cdt_child_ok(dest->next));
    ensures inv_live: \old(cdt_derive_ok(cdt, src, dest)) && \result == SEL_OK ==>
            dest->cap.object == \old(src->cap.object) && dest->obj_gen == \old(src->obj_gen);
    behavior occupied:
      assumes !cte_empty(dest);
      ensures \result == SEL_ERR_SLOT_OCCUPIED;
    behavior no_source:
      assumes cte_empty(dest) && cte_empty(src);
      ensures \result == SEL_ERR_EMPTY_SLOT;
    behavior derive:
      assumes cte_empty(dest) && !cte_empty(src);
      ensures \result == SEL_OK ==> dest->prev == src && src->next == dest &&
              dest->depth == src->depth + 1 && dest->cap.type == src->cap.type &&
              dest->cap.object == src->cap.object &&
              rights_within(dest->cap.rights, src->cap.rights) &&
              (src->cap.badge != 0 ==> dest->cap.badge == src->cap.badge);
    complete behaviors;
    disjoint behaviors; */
enum sel_error cdt_mint(struct cdt *cdt, struct cte *src, struct cte *dest, uint32_t rights,
                        uint64_t data)
{
	return derive_child(cdt, src, dest, rights, true, data);
}

/* Move: dest takes src's place in the tree unchanged; src becomes empty. */
/*@ requires \valid(cdt) && \valid(src) && \valid(dest) && \separated(cdt, src, dest);
    requires cte_empty(dest) ==> cte_unlinked(dest);
    requires cte_links_valid(src);
    requires src->prev == \null || \separated(src->prev, src, dest, cdt);
    requires src->next == \null || \separated(src->next, src, dest, cdt);
    ensures inv_links: \old(cdt_relocate_ok(cdt, src, dest)) && \result == SEL_OK ==>
            cdt_next_ok(dest) && cdt_prev_ok(cdt, dest) &&
            (dest->prev != \null ==> cdt_next_ok(dest->prev)) &&
            (dest->next != \null ==> cdt_prev_ok(cdt, dest->next));
    ensures inv_depth: \old(cdt_relocate_ok(cdt, src, dest)) && \result == SEL_OK ==>
            cdt_depth_step(dest) && dest->depth <= CAP_DEPTH_MAX &&
            (dest->prev != \null ==> cdt_depth_step(dest->prev));
    ensures inv_derived: \old(cdt_relocate_ok(cdt, src, dest)) && \result == SEL_OK ==>
            cdt_child_ok(dest) && (dest->prev != \null ==> cdt_child_ok(dest->prev));
    ensures inv_live: \old(cdt_relocate_ok(cdt, src, dest)) && \result == SEL_OK ==>
            dest->cap.object == \old(src->cap.object) && dest->obj_gen == \old(src->obj_gen);
    behavior occupied:
      assumes !cte_empty(dest);
      assigns \nothing;
      ensures \result == SEL_ERR_SLOT_OCCUPIED;
    behavior no_source:
      assumes cte_empty(dest) && cte_empty(src);
      assigns \nothing;
      ensures \result == SEL_ERR_EMPTY_SLOT;
    behavior move:
      assumes cte_empty(dest) && !cte_empty(src);
      assigns *dest, *src, src->prev->next, src->next->prev, cdt->head;
      ensures \result == SEL_OK ==> cte_empty(src) && dest->depth == \old(src->depth) &&
              dest->cap == \old(src->cap) && dest->prev == \old(src->prev) &&
              dest->next == \old(src->next);
      ensures \result != SEL_OK ==> *src == \old(*src) && *dest == \old(*dest);
    complete behaviors;
    disjoint behaviors; */
enum sel_error cdt_move(struct cdt *cdt, struct cte *src, struct cte *dest)
{
	enum sel_error err = check_src_dest(src, dest);

	if (err != SEL_OK) {
		return err;
	}
	cdt_relocate(cdt, src, dest);
	return SEL_OK;
}

/*
 * Mutate: Move, intersecting the rights with `rights` and applying `data`
 * as Mint does (badge an unbadged cap, keep a badge, set a CNode guard).
 * Changing the rights or the badge of a cap that has children would break
 * the children's derivation (their rights or badge must follow the
 * parent's), so it is refused with SEL_ERR_HAS_CHILDREN.
 */
/*@ requires \valid(cdt) && \valid(src) && \valid(dest) && \separated(cdt, src, dest);
    requires cte_empty(dest) ==> cte_unlinked(dest);
    requires cte_links_valid(src);
    requires src->prev == \null || \separated(src->prev, src, dest, cdt);
    requires src->next == \null || \separated(src->next, src, dest, cdt);
    ensures inv_links: \old(cdt_relocate_ok(cdt, src, dest)) && \result == SEL_OK ==>
            cdt_next_ok(dest) && cdt_prev_ok(cdt, dest) &&
            (dest->prev != \null ==> cdt_next_ok(dest->prev)) &&
            (dest->next != \null ==> cdt_prev_ok(cdt, dest->next));
    ensures inv_depth: \old(cdt_relocate_ok(cdt, src, dest)) && \result == SEL_OK ==>
            cdt_depth_step(dest) && dest->depth <= CAP_DEPTH_MAX &&
            (dest->prev != \null ==> cdt_depth_step(dest->prev));
    ensures inv_derived: \old(cdt_relocate_ok(cdt, src, dest)) && \result == SEL_OK ==>
            cdt_child_ok(dest) && (dest->prev != \null ==> cdt_child_ok(dest->prev));
    ensures inv_live: \old(cdt_relocate_ok(cdt, src, dest)) && \result == SEL_OK ==>
            dest->cap.object == \old(src->cap.object) && dest->obj_gen == \old(src->obj_gen);
    behavior occupied:
      assumes !cte_empty(dest);
      assigns \nothing;
      ensures \result == SEL_ERR_SLOT_OCCUPIED;
    behavior no_source:
      assumes cte_empty(dest) && cte_empty(src);
      assigns \nothing;
      ensures \result == SEL_ERR_EMPTY_SLOT;
    behavior mutate:
      assumes cte_empty(dest) && !cte_empty(src);
      assigns *dest, *src, src->prev->next, src->next->prev, cdt->head;
      ensures \result == SEL_OK ==> cte_empty(src) && dest->depth == \old(src->depth);
      ensures mutate_rights: \result == SEL_OK ==>
              (dest->cap.rights & \old(src->cap.rights)) == dest->cap.rights;
      ensures mutate_badge: \result == SEL_OK ==>
              (\old(src->cap.badge) != 0 ==> dest->cap.badge == \old(src->cap.badge));
      ensures \result == SEL_OK ==> dest->cap.type == \old(src->cap.type) &&
              dest->cap.object == \old(src->cap.object) && dest->prev == \old(src->prev) &&
              dest->next == \old(src->next);
      ensures \result != SEL_OK ==> *src == \old(*src) && *dest == \old(*dest);
    complete behaviors;
    disjoint behaviors; */
enum sel_error cdt_mutate(struct cdt *cdt, struct cte *src, struct cte *dest, uint32_t rights,
                          uint64_t data)
{
	struct cap newcap;
	enum sel_error err = check_src_dest(src, dest);
	uint8_t derived;

	if (err != SEL_OK) {
		return err;
	}
	if (!cap_rights_valid(rights)) {
		return SEL_ERR_INVALID_ARG;
	}
	derived = (uint8_t)(src->cap.rights & (uint8_t)rights);
	newcap = src->cap;
	newcap.rights = derived;
	err = apply_data(&src->cap, data, &newcap);
	if (err != SEL_OK) {
		return err;
	}
	if ((newcap.rights != src->cap.rights || newcap.badge != src->cap.badge) &&
	    cdt_has_children(src)) {
		return SEL_ERR_HAS_CHILDREN;
	}
	cdt_relocate(cdt, src, dest);
	dest->cap = newcap;
	/* The value newcap already holds (apply_data() leaves the rights alone),
	 * stored again from the local so that "rights within the source's" is a
	 * matter of `&` alone, as in derive(). */
	dest->cap.rights = derived;
	return SEL_OK;
}

/* Shape checks of a cap handed in by the kernel (root or derived). */
static enum sel_error check_new_cap(const struct cap *c)
{
	const struct cap_type_info *ti = cap_type_info(c->type);

	if (c->type == SEL_OBJ_NULL || c->type >= SEL_OBJ_TYPE_COUNT ||
	    !cap_rights_valid(c->rights)) {
		return SEL_ERR_INVALID_ARG;
	}
	if ((c->flags & ~CAP_FLAG_DEVICE) != 0 ||
	    ((c->flags & CAP_FLAG_DEVICE) != 0 && !ti->device_ok)) {
		return SEL_ERR_INVALID_ARG;
	}
	if (c->reserved[0] != 0 || c->reserved[1] != 0 || c->reserved[2] != 0) {
		return SEL_ERR_INVALID_ARG;
	}
	if (c->badge != 0 && ti->data != CAP_DATA_BADGE) {
		return SEL_ERR_INVALID_ARG;
	}
	if (c->type == SEL_OBJ_UINTR_SENDER && c->word0 >= CAP_UINTR_VECTORS) {
		return SEL_ERR_RANGE;
	}
	return SEL_OK;
}

/* Size and placement checks of a boot-created cap with memory. */
static enum sel_error check_root_memory(const struct cap *c)
{
	uint32_t bits = cap_object_bits(c);
	uint64_t mask = bits >= 64u ? ~(uint64_t)0 : (((uint64_t)1 << bits) - 1u);

	if (c->type == SEL_OBJ_UNTYPED || c->type == SEL_OBJ_CNODE || c->type == SEL_OBJ_FRAME) {
		if (cap_type_info(c->type)->size_mask == 0 || c->size_bits >= 64u ||
		    ((cap_type_info(c->type)->size_mask >> c->size_bits) & 1u) == 0) {
			return SEL_ERR_RANGE;
		}
	}
	if ((c->object & mask) != 0) {
		return SEL_ERR_INVALID_ARG;
	}
	if (c->type == SEL_OBJ_UNTYPED && c->word0 > ((uint64_t)1 << c->size_bits)) {
		return SEL_ERR_INVALID_ARG;
	}
	if (c->type == SEL_OBJ_CNODE &&
	    ((uint32_t)c->guard_bits + c->size_bits > 64u ||
	     (c->guard_bits < 64u && (c->word0 >> c->guard_bits) != 0))) {
		return SEL_ERR_INVALID_ARG;
	}
	return SEL_OK;
}

/*
 * Boot: insert an original cap (an initial Untyped, the root CNode, IRQ and
 * ASID control, the debug object) at depth 0. The object's memory must be
 * initialised by the caller (a CNode's slots empty or holding caps already
 * in the tree).
 */
enum sel_error cdt_insert_root(struct cdt *cdt, struct cte *dest, struct cap cap)
{
	enum sel_error err;

	if (!cte_is_empty(dest)) {
		return SEL_ERR_SLOT_OCCUPIED;
	}
	err = check_new_cap(&cap);
	if (err != SEL_OK) {
		return err;
	}
	err = check_root_memory(&cap);
	if (err != SEL_OK) {
		return err;
	}
	dest->cap = cap;
	dest->depth = 0;
	dest->obj_gen = cap_registry_add(cdt, &cap);
	cdt_link_head(cdt, dest);
	return SEL_OK;
}

/*
 * A type-changing derivation (cap_derivations[] in object_table.c): dest
 * becomes a child of parent holding `newcap`, e.g. a UIntr sender (needs
 * Grant on the receiver cap; same object) or an IRQ handler (a new object).
 * Rights are intersected with the parent's. SEL_ERR_WRONG_TYPE if the table
 * has no such derivation, SEL_ERR_NO_RIGHTS if the parent lacks the right it
 * needs, SEL_ERR_INVALID_ARG for a malformed cap or a same-object child
 * naming another object, SEL_ERR_RANGE for a sender vector >= 64.
 */
enum sel_error cdt_insert_child(struct cdt *cdt, struct cte *parent, struct cte *dest,
                                struct cap newcap)
{
	const struct cap_derivation *rule;
	enum sel_error err = check_src_dest(parent, dest);
	uint32_t gen;

	if (err != SEL_OK) {
		return err;
	}
	rule = cap_derivation_find(parent->cap.type, newcap.type);
	if (rule == NULL) {
		return SEL_ERR_WRONG_TYPE;
	}
	if ((parent->cap.rights & rule->needs_right) != rule->needs_right) {
		return SEL_ERR_NO_RIGHTS;
	}
	err = check_new_cap(&newcap);
	if (err != SEL_OK) {
		return err;
	}
	if (rule->same_object && newcap.object != parent->cap.object) {
		return SEL_ERR_INVALID_ARG;
	}
	if (parent->depth >= CAP_DEPTH_MAX) {
		return SEL_ERR_RANGE;
	}
	newcap.rights = (uint8_t)(newcap.rights & parent->cap.rights);
	gen = rule->same_object ? parent->obj_gen : cap_registry_add(cdt, &newcap);
	cdt_insert_new(cdt, parent, dest, &newcap, gen);
	return SEL_OK;
}

/* Identify: type, rights, badge, size and flags of a slot (zero if empty). */
/*@ requires \valid_read(slot);
    assigns \nothing;
    ensures \result.type == slot->cap.type && \result.rights == slot->cap.rights &&
            \result.badge == slot->cap.badge; */
struct cap_identity cap_identify(const struct cte *slot)
{
	struct cap_identity id;

	id.type = slot->cap.type;
	id.rights = slot->cap.rights;
	id.badge = slot->cap.badge;
	id.size_bits = slot->cap.size_bits;
	id.flags = slot->cap.flags;
	return id;
}
