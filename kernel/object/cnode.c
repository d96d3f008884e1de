/*
 * CNode invocations: Copy, Mint, Move, Mutate, Delete, Revoke, Identify.
 *
 * The invoked CNode cap is the root for the destination (or the only) slot
 * argument, and the source of Copy/Mint/Move/Mutate has its own root, a
 * CNode cap named in the caller's CSpace: a slot is (root, index, depth)
 * resolved by kernel/cap/cspace.c, so a thread can move caps between any
 * CNodes it holds, at any level. Rights: Write on the invoked cap (and on
 * the source root) to change slots, Read on the invoked cap to Identify
 * (idl/kernel/cnode.idl; object/objects.c checks the invoked cap's rights,
 * the generated unpack the rest of the registers and the source root).
 * Decode resolves and checks the arguments and may fail without side
 * effects; invoke hands the slots to
 * the capability core, whose operations check their own preconditions
 * (destination empty, source present, rights never added, badge set once)
 * and change nothing when one fails.
 *
 * Delete and Revoke may stop at a preemption point with SEL_ERR_PREEMPTED;
 * the tree is consistent there, and calling again continues (libsel's
 * stubs do).
 */
#include "object/objects.h"
#include "arch/riscv/asid.h"
#include "ipc/ipc.h"
#include "lib/inject.h"
#include "kernel_unpack.h"
#include <selene/invocation.h>

struct cnode_args {
	struct cte *dest;
	struct cte *src;
	uint32_t rights;
	uint64_t data;
};

static enum sel_error resolve(struct cte *cnode, uint64_t index, uint8_t depth, struct cte **out)
{
	return cspace_lookup(cnode, index, depth, out);
}

/*
 * Copy, Mint, Move and Mutate share their first registers (a2 = dest
 * index, a3 = source root, a4 = source index, a5 = depths and rights):
 * each one's generated unpack, gathered into the Mint arguments (Copy and
 * Move have no data, Move no rights).
 */
static enum sel_error unpack_pair(struct tcb *t, uint64_t label, const uint64_t *a,
                                  struct cnode_mint_args *m)
{
	struct cnode_copy_args c = {0};
	struct cnode_move_args mv = {0};
	struct cnode_mutate_args mu = {0};
	enum sel_error err;

	switch (label) {
	case SEL_CNODE_MINT:
		return cnode_mint_unpack(t, a, m);
	case SEL_CNODE_MUTATE:
		err = cnode_mutate_unpack(t, a, &mu);
		*m = (struct cnode_mint_args){mu.dest_index, mu.src_root,  mu.src_index,
		                              mu.dest_depth, mu.src_depth, mu.rights,
		                              mu.data};
		return err;
	case SEL_CNODE_COPY:
		err = cnode_copy_unpack(t, a, &c);
		*m = (struct cnode_mint_args){
		    c.dest_index, c.src_root, c.src_index, c.dest_depth, c.src_depth, c.rights, 0};
		return err;
	default:
		err = cnode_move_unpack(t, a, &mv);
		*m = (struct cnode_mint_args){
		    mv.dest_index, mv.src_root, mv.src_index, mv.dest_depth, mv.src_depth, 0, 0};
		return err;
	}
}

static enum sel_error decode_pair(struct tcb *t, struct cte *cnode, uint64_t label,
                                  const uint64_t *a, struct cnode_args *ca)
{
	struct cnode_mint_args m = {0};
	enum sel_error err = unpack_pair(t, label, a, &m);

	if (err == SEL_OK)
		err = resolve(cnode, m.dest_index, m.dest_depth, &ca->dest);
	if (err == SEL_OK)
		err = resolve(m.src_root, m.src_index, m.src_depth, &ca->src);
	/*
	 * The core's operations require the source and the destination to be
	 * two distinct slots (cdt.c's preconditions), which the two lookups do
	 * not ensure: an occupied destination or an empty source -- the source
	 * named as the destination is one or the other -- is refused here, with
	 * the error the core would give it, so the core sees a live source and
	 * an empty destination: two slots.
	 */
	if (err == SEL_OK && !cte_is_empty(ca->dest))
		err = SEL_ERR_SLOT_OCCUPIED;
	else if (err == SEL_OK && cte_is_empty(ca->src))
		err = SEL_ERR_EMPTY_SLOT;
	ca->rights = m.rights;
	ca->data = m.data;
	return err;
}

static enum sel_error invoke_derive(uint64_t label, struct cnode_args *ca)
{
	switch (label) {
	case SEL_CNODE_COPY: {
		enum sel_error err = cdt_copy(&kernel_cdt, ca->src, ca->dest, ca->rights);
		if (err == SEL_OK && inject_on(INJECT_COPY_RIGHTS))
			ca->dest->cap.rights = SEL_RIGHTS_ALL; /* the planted bug: rights grow */
		return err;
	}
	case SEL_CNODE_MINT:
		return cdt_mint(&kernel_cdt, ca->src, ca->dest, ca->rights, ca->data);
	case SEL_CNODE_MOVE:
		return cdt_move(&kernel_cdt, ca->src, ca->dest);
	default:
		return cdt_mutate(&kernel_cdt, ca->src, ca->dest, ca->rights, ca->data);
	}
}

static enum sel_error invoke_identify(struct cte *slot, struct syscall_args *args)
{
	struct cap_identity id = cap_identify(slot);

	args->out[1] = id.type;
	args->out[2] = id.rights;
	args->out[3] = id.badge;
	args->out[4] = id.size_bits;
	args->out[5] = id.flags;
	return SEL_OK;
}

/*
 * Revoke; for a badged endpoint cap, the sends blocked on the endpoint with
 * that badge are cancelled too (SEL_ERR_CANCELLED), once the revoke is whole.
 */
static enum sel_error revoke(struct cte *slot)
{
	enum sel_error err;

	stretch_begin();
	asid_batch_begin();
	err = cdt_revoke(&kernel_cdt, slot);
	asid_batch_end(); /* every unmap fenced before the lock is released */
	stretch_end();

	if (err == SEL_OK && slot->cap.type == SEL_OBJ_ENDPOINT && slot->cap.badge)
		ep_cancel_badged_sends((struct endpoint *)(uintptr_t)slot->cap.object,
		                       slot->cap.badge);
	return err;
}

static enum sel_error delete_slot(struct cte *slot)
{
	enum sel_error err;

	stretch_begin();
	asid_batch_begin();
	err = cdt_delete(&kernel_cdt, slot);
	asid_batch_end();
	stretch_end();
	return err;
}

/* Delete, Revoke and Identify: one slot (a2 = index, a5 = depth). */
static enum sel_error decode_slot(struct cte *cnode, uint64_t label, const uint64_t *a,
                                  struct cte **slot)
{
	struct cnode_identify_args id;
	struct cnode_delete_args del;
	struct cnode_revoke_args rev;
	enum sel_error err;

	if (label == SEL_CNODE_IDENTIFY) {
		err = cnode_identify_unpack(a, &id);
		return err != SEL_OK ? err : resolve(cnode, id.index, id.depth, slot);
	}
	if (label == SEL_CNODE_DELETE) {
		err = cnode_delete_unpack(a, &del);
		return err != SEL_OK ? err : resolve(cnode, del.index, del.depth, slot);
	}
	err = cnode_revoke_unpack(a, &rev);
	return err != SEL_OK ? err : resolve(cnode, rev.index, rev.depth, slot);
}

enum sel_error cnode_decode(struct tcb *t, struct cte *cnode, struct syscall_args *args)
{
	uint64_t label = args->a[1];
	struct cnode_args ca;
	struct cte *slot;
	enum sel_error err;

	switch (label) {
	case SEL_CNODE_COPY:
	case SEL_CNODE_MINT:
	case SEL_CNODE_MOVE:
	case SEL_CNODE_MUTATE:
		err = decode_pair(t, cnode, label, args->a, &ca);
		return err != SEL_OK ? err : invoke_derive(label, &ca);
	default:
		err = decode_slot(cnode, label, args->a, &slot);
		if (err != SEL_OK)
			return err;
		if (label == SEL_CNODE_DELETE)
			return delete_slot(slot);
		if (label == SEL_CNODE_REVOKE)
			return revoke(slot);
		return invoke_identify(slot, args);
	}
}
