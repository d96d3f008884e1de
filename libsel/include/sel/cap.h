/*
 * Capability-space invocations: CNode and Untyped methods, and Identify.
 *
 * A capability address (cptr) names a slot in the caller's CSpace. The
 * root task's root CNode makes a cptr equal to a slot index (full depth,
 * SEL_DEPTH_FULL). CNode methods take slot indices relative to the invoked
 * CNode and a depth, so they reach CNodes below it too.
 *
 * Every invocation goes through the stubs idlc generates from
 * idl/kernel/ (<sel/kernel_stubs.h>, sel_invoke_<type>_<method>()),
 * which pack the arguments as the kernel unpacks them (docs/kernel-api.md).
 *
 * Delete and Revoke retry on SEL_ERR_PREEMPTED (the kernel stops long
 * deletions at preemption points); *preempted counts how often, when given.
 */
#ifndef SEL_CAP_H
#define SEL_CAP_H

#include <stdint.h>
#include <sel/kernel_stubs.h>
#include <sel/syscall.h>
#include <selene/invocation.h>
#include <selene/object.h>

#define SEL_DEPTH_FULL 64u

struct sel_identity {
	uint64_t type; /* enum sel_object_type; SEL_OBJ_NULL for an empty slot */
	uint64_t rights;
	uint64_t badge;
	uint64_t size_bits;
	uint64_t flags; /* 1: device memory, 2: a dying object */
};

/* A slot: (root CNode cptr, index within it, depth of the index). */
struct sel_slot {
	sel_cptr_t root;
	uint64_t index;
	uint32_t depth;
};

/* Any invocation with raw registers (tests of the kernel's checks use it). */
static inline int sel_invoke(sel_cptr_t cap, uint64_t label, uint64_t a2, uint64_t a3, uint64_t a4,
                             uint64_t a5, uint64_t a6, struct sel_ret *out)
{
	struct sel_ret r = sel_syscall(SEL_SYS_CALL, cap, label, a2, a3, a4, a5, a6);
	if (out)
		*out = r;
	return (int)r.err;
}

/* Copy, Mint, Move or Mutate from src to dest (dest.root is invoked). */
static inline int sel_cnode_op(uint64_t label, struct sel_slot dest, struct sel_slot src,
                               uint32_t rights, uint64_t data)
{
	uint8_t dd = (uint8_t)dest.depth, sd = (uint8_t)src.depth, r = (uint8_t)rights;

	switch (label) {
	case SEL_CNODE_COPY:
		return sel_invoke_cnode_copy(dest.root, dest.index, src.root, src.index, dd, sd, r);
	case SEL_CNODE_MINT:
		return sel_invoke_cnode_mint(dest.root, dest.index, src.root, src.index, dd, sd, r,
		                             data);
	case SEL_CNODE_MOVE:
		return sel_invoke_cnode_move(dest.root, dest.index, src.root, src.index, dd, sd);
	case SEL_CNODE_MUTATE:
		return sel_invoke_cnode_mutate(dest.root, dest.index, src.root, src.index, dd, sd,
		                               r, data);
	default:
		return SEL_ERR_ILLEGAL_OP;
	}
}

/* The same with both slots in one CNode, at one depth (the common case). */
static inline struct sel_slot sel_slot_in(sel_cptr_t cnode, uint64_t index, uint32_t depth)
{
	return (struct sel_slot){cnode, index, depth};
}

static inline int sel_cnode_copy(sel_cptr_t cnode, uint64_t dest, uint64_t src, uint32_t depth,
                                 uint32_t rights)
{
	return sel_cnode_op(SEL_CNODE_COPY, sel_slot_in(cnode, dest, depth),
	                    sel_slot_in(cnode, src, depth), rights, 0);
}

/* Copy with reduced rights and a badge (or, for a CNode, guard data). */
static inline int sel_cnode_mint(sel_cptr_t cnode, uint64_t dest, uint64_t src, uint32_t depth,
                                 uint32_t rights, uint64_t badge)
{
	return sel_cnode_op(SEL_CNODE_MINT, sel_slot_in(cnode, dest, depth),
	                    sel_slot_in(cnode, src, depth), rights, badge);
}

static inline int sel_cnode_move(sel_cptr_t cnode, uint64_t dest, uint64_t src, uint32_t depth)
{
	return sel_cnode_op(SEL_CNODE_MOVE, sel_slot_in(cnode, dest, depth),
	                    sel_slot_in(cnode, src, depth), 0, 0);
}

static inline int sel_cnode_mutate(sel_cptr_t cnode, uint64_t dest, uint64_t src, uint32_t depth,
                                   uint32_t rights, uint64_t data)
{
	return sel_cnode_op(SEL_CNODE_MUTATE, sel_slot_in(cnode, dest, depth),
	                    sel_slot_in(cnode, src, depth), rights, data);
}

int sel_cnode_delete(sel_cptr_t cnode, uint64_t index, uint32_t depth, uint64_t *preempted);
int sel_cnode_revoke(sel_cptr_t cnode, uint64_t index, uint32_t depth, uint64_t *preempted);
int sel_cnode_identify(sel_cptr_t cnode, uint64_t index, uint32_t depth, struct sel_identity *id);

/* Carve `count` objects into slots [first, first + count) of dest_cnode. */
static inline int sel_untyped_retype(sel_cptr_t ut, enum sel_object_type type, uint32_t size_bits,
                                     sel_cptr_t dest_cnode, uint64_t first, uint64_t count)
{
	return sel_invoke_untyped_retype(ut, type, size_bits, dest_cnode, first, count);
}

static inline int sel_untyped_reset(sel_cptr_t ut)
{
	return sel_invoke_untyped_reset(ut);
}

struct sel_untyped_info {
	uint64_t paddr, size_bits, watermark, device;
};

int sel_untyped_info(sel_cptr_t ut, struct sel_untyped_info *info);

#endif /* SEL_CAP_H */
