/*
 * cspace.c: capability address resolution (seL4's guard/radix scheme).
 *
 * A capability address is the top `depth` bits of a 64-bit word `cptr`
 * (depth 64: the whole word), read from the most significant end. Starting
 * at the CNode cap in `root`, each level consumes the CNode's guard
 * (guard_bits bits that must equal its guard value) and then radix bits
 * that index its slots. If bits remain and the slot holds a CNode cap,
 * resolution continues in it; when exactly `depth` bits are consumed the
 * slot reached is the result, whatever it holds (callers needing a cap
 * check for SEL_ERR_EMPTY_SLOT; callers needing an empty slot check that).
 * Every level consumes at least one bit (radix >= 1), so at most 64 levels
 * are visited.
 *
 * Errors (with the cspace_fault kind, as seL4 reports lookup failures):
 *   SEL_ERR_RANGE        depth 0 or above 64 (BAD_DEPTH);
 *   SEL_ERR_INVALID_CAP  the root is not a live CNode cap (INVALID_ROOT);
 *                        a guard differs (GUARD_MISMATCH); fewer bits are
 *                        left than a level's guard + radix (DEPTH_MISMATCH);
 *                        bits are left but the slot reached holds no live
 *                        CNode cap -- empty, another type, or dying
 *                        (NOT_CNODE).
 * bits_left tells how many address bits were still unresolved.
 *
 * Resolution reads slots only and needs no rights on the CNode caps it
 * traverses (as in seL4); what an invocation needs is the caller's check.
 */
#include "cap/cap.h"
#include "cap/cap_assert.h"

/* The low `n` bits of `v` (n <= 64). */
/*@ requires n <= 64;
    assigns \nothing; */
static uint64_t low_bits(uint64_t v, uint32_t n)
{
	if (n >= 64u) {
		return v;
	}
	return v & (((uint64_t)1 << n) - 1u);
}

/* Bits [left - n, left) of cptr, i.e. the next n bits when `left` remain. */
/*@ requires n <= left <= 64;
    assigns \nothing; */
static uint64_t take_bits(uint64_t cptr, uint32_t left, uint32_t n)
{
	uint32_t shift = left - n;

	if (n == 0) {
		return 0;
	}
	return low_bits(shift >= 64u ? 0 : cptr >> shift, n);
}

static bool is_live_cnode(const struct cap *c)
{
	return c->type == SEL_OBJ_CNODE && !cap_is_zombie(c);
}

static enum sel_error fail(struct cspace_fault *fault, uint32_t kind, uint32_t left)
{
	if (fault != NULL) {
		fault->kind = kind;
		fault->bits_left = left;
	}
	return kind == CSPACE_FAULT_BAD_DEPTH ? SEL_ERR_RANGE : SEL_ERR_INVALID_CAP;
}

/*@ requires \valid(root) && \valid(slot_out);
    requires fault == \null || \valid(fault);
    assigns *slot_out, *fault;
    ensures depth == 0 || depth > 64 ==> \result == SEL_ERR_RANGE;
    ensures \result == SEL_OK || \result == SEL_ERR_RANGE || \result == SEL_ERR_INVALID_CAP; */
enum sel_error cspace_resolve(struct cte *root, uint64_t cptr, uint32_t depth,
                              struct cte **slot_out, struct cspace_fault *fault)
{
	const struct cap *node = &root->cap;
	uint32_t left = depth;

	if (depth == 0 || depth > 64u) {
		return fail(fault, CSPACE_FAULT_BAD_DEPTH, depth);
	}
	if (!is_live_cnode(node)) {
		return fail(fault, CSPACE_FAULT_INVALID_ROOT, left);
	}
	/*@ loop invariant 0 < left <= depth && 0 <= level <= 64;
	    loop assigns left, node, level;
	    loop variant 64 - level; */
	for (uint32_t level = 0; level < 64u; level++) {
		uint32_t gbits = node->guard_bits;
		uint32_t radix = node->size_bits;
		struct cte *slot;

		cap_assert(radix >= CAP_CNODE_RADIX_MIN, "every level consumes a bit");
		if (radix == 0 || gbits + radix > left) {
			return fail(fault, CSPACE_FAULT_DEPTH_MISMATCH, left);
		}
		if (take_bits(cptr, left, gbits) != node->word0) {
			return fail(fault, CSPACE_FAULT_GUARD_MISMATCH, left);
		}
		left -= gbits;
		slot = cap_container_slots(node) + take_bits(cptr, left, radix);
		left -= radix;
		if (left == 0) {
			*slot_out = slot;
			if (fault != NULL) {
				fault->kind = CSPACE_FAULT_NONE;
				fault->bits_left = 0;
			}
			return SEL_OK;
		}
		if (!is_live_cnode(&slot->cap)) {
			return fail(fault, CSPACE_FAULT_NOT_CNODE, left);
		}
		node = &slot->cap;
	}
	return fail(fault, CSPACE_FAULT_DEPTH_MISMATCH, left);
}

/* cspace_resolve() without the fault details. */
enum sel_error cspace_lookup(struct cte *root, uint64_t cptr, uint32_t depth, struct cte **slot_out)
{
	return cspace_resolve(root, cptr, depth, slot_out, NULL);
}
