/*
 * cap_spec.h: the derivation tree's invariants (cap.h) as ACSL predicates
 * over the slot graph, for the proofs of verify/frama-c (run_wp.py). ACSL
 * only: no C declaration, nothing compiled.
 *
 * The slots are an abstract set, cdt_slot(): every address that holds a
 * slot (CNode and TCB contents, boot slots). The invariant cdt_wf() holds
 * of the whole set at once: every empty slot is unlinked, and every listed
 * slot is well formed at its links (cdt_node_ok):
 *   - doubly linked: a neighbour is a valid, non-empty slot pointing back;
 *     the slot without predecessor is the head;
 *   - depth: a slot without predecessor has depth 0, and the next slot is
 *     at most one level deeper (cdt_depth_step). In a list in which depth
 *     never grows by more than one step, the nearest predecessor with a
 *     smaller depth -- the parent (cap.h) -- has exactly depth - 1: going
 *     back from a node the depth drops by at most one per step, so the first
 *     smaller depth met is depth - 1. This local step condition is thus
 *     "depth = parent + 1 for every node" and makes the list the preorder of
 *     a tree;
 *   - derivation: when the next slot is one level deeper it is a child of
 *     this one (its parent is its predecessor) and cap_derived() holds:
 *     rights within the parent's, a set badge kept, and the object is the
 *     parent's own (a copy), lies inside the parent's region when the parent
 *     is an Untyped (containment), or the child is of a type-changing
 *     derivation (cdt_insert_child);
 *   - not freed: the slot's object is live in the registry with the slot's
 *     generation (cdt_obj_live), when a registry is attached and has not
 *     overflowed (cap_debug.h).
 * Children whose predecessor is not their parent (later children) are not
 * related to their parent by cdt_node_ok, nor are siblings of one Untyped to
 * each other: those are stated by the checker's RIGHTS, BADGE and UNTYPED
 * invariants (check.c), not here. Acyclicity is not stated either (LIST).
 */
#ifndef SELENE_CAP_CAP_SPEC_H
#define SELENE_CAP_CAP_SPEC_H

#include "cap/cap.h"
#include "cap/cap_debug.h"

/*
 * CAP_SPEC_TREE(clause): a contract clause about the tree invariants
 * (cdt_insert_new's and cdt_relocate's inv_* post-conditions). The Delete/
 * Revoke and Retype proofs (run_wp.py --group delete, retype) parse with
 * -DCAP_SPEC_NO_TREE, which makes each such clause the predicate
 * cap_spec_omitted, true (the preprocessed ACSL cannot hold a \true): their targets
 * state nothing about the invariants, and those callee post-conditions only
 * crowd their goals' context (create_one's new_cap, proved by Qed without
 * them, times out at 60 s with them). A weaker callee contract at a call
 * site proves nothing false, so the groups stay sound; the core group
 * (VERIFY_0101) proves the clauses.
 */
#ifdef __FRAMAC__
#ifdef CAP_SPEC_NO_TREE
#define CAP_SPEC_TREE(...) cap_spec_omitted
#else
#define CAP_SPEC_TREE(...) __VA_ARGS__
#endif
#endif

/*@ // `&` is associative and commutative. The provers see `&` as an
    // uninterpreted function; WP's simplifier normalises both sides of each
    // lemma to one form, so each is proved, and as hypotheses they let the
    // provers combine "rights within" facts (derive_child, cdt_mutate).
    lemma land_comm: \forall integer a, b; (a & b) == (b & a);
    lemma land_assoc: \forall integer a, b, c; ((a & b) & c) == (a & (b & c));

    // A clause left out of a proof's context (CAP_SPEC_TREE above).
    predicate cap_spec_omitted = \true;

    // The set of slot addresses (fixed; which memory holds slots is the
    // kernel's business, see above).
    axiomatic cdt_slots {
      predicate cdt_slot(struct cte *c) reads \nothing;
    }

    // Depth never grows by more than one step from a slot to the next.
    predicate cdt_depth_step(struct cte *c) =
      c->next == \null || c->next->depth <= c->depth + 1;

    // `child` may be derived from `parent` (caps by value).
    predicate cap_derived(struct cap child, struct cap parent) =
      rights_within(child.rights, parent.rights) &&
      (parent.badge != 0 ==> child.badge == parent.badge) &&
      ((child.object == parent.object && child.type == parent.type) ||
       (parent.type == SEL_OBJ_UNTYPED && parent.object <= child.object &&
        child.object - parent.object < (1 << parent.size_bits)) ||
       (parent.type != SEL_OBJ_UNTYPED && child.type != parent.type));

    // The next slot, when it is a child, is derived from this one.
    predicate cdt_child_ok(struct cte *c) =
      c->next == \null || c->next->depth != c->depth + 1 || cap_derived(c->next->cap, c->cap);

    // The slot's object is not freed: a live registry entry with its
    // generation (nothing is known without a registry, or after it overflowed).
    predicate reg_live(struct cdt *cdt, integer object, integer gen) =
      cdt->reg_capacity == 0 || cdt->reg_overflow ||
      \exists integer i; 0 <= i < cdt->reg_capacity && cdt->reg[i].live != 0 &&
        cdt->reg[i].object == object && cdt->reg[i].gen == gen;
    predicate cdt_obj_live(struct cdt *cdt, struct cte *c) =
      reg_live(cdt, c->cap.object, c->obj_gen);

    // Links of a listed slot: forward, backward (the first slot is the head).
    predicate cdt_next_ok(struct cte *c) =
      c->next == \null || (cdt_slot(c->next) && c->next->prev == c && !cte_empty(c->next));
    predicate cdt_prev_ok(struct cdt *cdt, struct cte *c) =
      (c->prev == \null || (cdt_slot(c->prev) && c->prev->next == c && !cte_empty(c->prev))) &&
      (c->prev == \null ==> cdt->head == c && c->depth == 0);
    predicate cdt_links_ok(struct cdt *cdt, struct cte *c) =
      cdt_next_ok(c) && cdt_prev_ok(cdt, c);

    predicate cdt_node_ok(struct cdt *cdt, struct cte *c) =
      cdt_links_ok(cdt, c) && cdt_depth_step(c) && c->depth <= CAP_DEPTH_MAX &&
      cdt_child_ok(c);

    // The registry lies outside every slot and outside struct cdt.
    predicate cdt_reg_apart(struct cdt *cdt) =
      \forall struct cte *c; cdt_slot(c) ==>
        \separated(cdt->reg + (0 .. cdt->reg_capacity - 1), c, cdt);

    // The invariant of the whole tree, one conjunct per property (so that
    // each is its own proof goal).
    predicate cdt_wf_frame(struct cdt *cdt) =
      (\forall struct cte *c; cdt_slot(c) ==> \valid(c) && \separated(c, cdt)) &&
      (\forall struct cte *c, *d; cdt_slot(c) && cdt_slot(d) && c != d ==> \separated(c, d)) &&
      cdt_reg_apart(cdt);
    predicate cdt_wf_head(struct cdt *cdt) =
      cdt->head == \null ||
      (cdt_slot(cdt->head) && !cte_empty(cdt->head) && cdt->head->prev == \null);
    predicate cdt_wf_empty(struct cdt *cdt) =
      \forall struct cte *c; cdt_slot(c) && cte_empty(c) ==> cte_unlinked(c);
    predicate cdt_wf_links(struct cdt *cdt) =
      \forall struct cte *c; cdt_slot(c) && !cte_empty(c) ==> cdt_links_ok(cdt, c);
    predicate cdt_wf_depth(struct cdt *cdt) =
      \forall struct cte *c; cdt_slot(c) && !cte_empty(c) ==>
        cdt_depth_step(c) && c->depth <= CAP_DEPTH_MAX;
    predicate cdt_wf_derived(struct cdt *cdt) =
      \forall struct cte *c; cdt_slot(c) && !cte_empty(c) ==> cdt_child_ok(c);
    predicate cdt_wf_live(struct cdt *cdt) =
      \forall struct cte *c; cdt_slot(c) && !cte_empty(c) ==> cdt_obj_live(cdt, c);
    predicate cdt_wf(struct cdt *cdt) =
      cdt_wf_frame(cdt) && cdt_wf_head(cdt) && cdt_wf_empty(cdt) && cdt_wf_links(cdt) &&
      cdt_wf_depth(cdt) && cdt_wf_derived(cdt) && cdt_wf_live(cdt);

    // The registry is apart from a slot.
    predicate reg_apart(struct cdt *cdt, struct cte *c) =
      c == \null || \separated(cdt->reg + (0 .. cdt->reg_capacity - 1), c);

    // The invariant at a slot that may be NULL (an absent neighbour).
    predicate cdt_node_ok0(struct cdt *cdt, struct cte *c) =
      c == \null || cdt_node_ok(cdt, c);

    // The neighbourhood of an insertion below `parent` into `dest`: the
    // invariant at the parent and its successor, and the slots around
    // them apart from each other, from the registry and from struct cdt.
    predicate cdt_around_ok(struct cdt *cdt, struct cte *parent, struct cte *dest) =
      cdt_slot(parent) && cdt_slot(dest) && cdt_node_ok(cdt, parent) &&
      cdt_node_ok0(cdt, parent->next) &&
      \separated(cdt->reg + (0 .. cdt->reg_capacity - 1), cdt, dest, parent) &&
      reg_apart(cdt, parent->next) &&
      (parent->prev == \null ||
       (\valid(parent->prev) && \separated(parent->prev, parent, dest, cdt))) &&
      (parent->prev == \null || parent->next == \null ||
       \separated(parent->prev, parent->next)) &&
      (parent->next == \null ||
       (\separated(parent->next, parent, dest, cdt) &&
        (parent->next->next == \null ||
         (\valid(parent->next->next) &&
          \separated(parent->next->next, parent->next, parent, dest, cdt)))));

    // What an insertion of `cap` below `parent` into `dest` needs for the
    // invariant to hold after it at the three slots whose links change
    // (cdt_insert_new): a new child derived from its parent, of a live
    // object.
    predicate cdt_insert_ok(struct cdt *cdt, struct cte *parent, struct cte *dest,
                            struct cap *cap, integer gen) =
      cdt_around_ok(cdt, parent, dest) && cap->type != SEL_OBJ_NULL &&
      cap_derived(*cap, parent->cap) && reg_live(cdt, cap->object, gen);

    // What Copy and Mint of `src` into `dest` need (derive_child): the
    // neighbourhood, and a source whose object is live.
    predicate cdt_derive_ok(struct cdt *cdt, struct cte *src, struct cte *dest) =
      cdt_around_ok(cdt, src, dest) && cdt_obj_live(cdt, src);

    // What a relocation of `src` to `dest` needs (cdt_relocate, Move): the
    // invariant at src and at both its neighbours.
    predicate cdt_relocate_ok(struct cdt *cdt, struct cte *src, struct cte *dest) =
      cdt_slot(src) && cdt_slot(dest) && cdt_node_ok(cdt, src) &&
      cdt_node_ok0(cdt, src->prev) && cdt_node_ok0(cdt, src->next) &&
      \separated(cdt->reg + (0 .. cdt->reg_capacity - 1), cdt, dest, src) &&
      reg_apart(cdt, src->prev) && reg_apart(cdt, src->next) &&
      (src->prev == \null || src->prev->prev == \null ||
       (\valid(src->prev->prev) && \separated(src->prev->prev, src->prev, src, dest, cdt))) &&
      (src->next == \null || src->next->next == \null ||
       (\valid(src->next->next) && \separated(src->next->next, src->next, src, dest, cdt))) &&
      (src->prev == \null || src->next == \null || \separated(src->prev, src->next));
*/

#endif /* SELENE_CAP_CAP_SPEC_H */
