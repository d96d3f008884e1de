/*
 * CNode invocations: Copy, Mint, Move, Mutate, Delete, Revoke, Identify.
 *
 * The invoked CNode cap is the root for the destination (or the only) slot
 * argument, and the source of Copy/Mint/Move/Mutate has its own root, a
 * CNode cap named in the caller's CSpace: a slot is (root, index, depth)
 * resolved by kernel/cap/cspace.c, so a thread can move caps between any
 * CNodes it holds, at any level. Rights: Write on the invoked cap (and on
 * the source root) to change slots, Read on the invoked cap to Identify. Decode resolves and checks the
 * arguments and may fail without side effects; invoke hands the slots to
 * the capability core, whose operations check their own preconditions
 * (destination empty, source present, rights never added, badge set once)
 * and change nothing when one fails.
 *
 * Delete and Revoke may stop at a preemption point with SEL_ERR_PREEMPTED;
 * the tree is consistent there, and calling again continues (libsel's
 * stubs do).
 */
#include "object/objects.h"
#include "ipc/ipc.h"
#include "lib/inject.h"
#include <selene/invocation.h>

struct cnode_args {
	struct cte *dest;
	struct cte *src;
	uint32_t rights;
	uint64_t data;
};

static int resolve(struct cte *cnode, uint64_t index, uint64_t depth, struct cte **out)
{
	return cspace_lookup(cnode, index, (uint32_t)depth, out);
}

/*
 * a2 = dest index, a3 = source root, a4 = source index,
 * a5 = dest depth | src depth << 8 | rights << 16, a6 = data.
 */
static int decode_pair(struct tcb *t, struct cte *cnode, struct syscall_args *args,
                       struct cnode_args *ca)
{
	uint64_t packed = args->a[5];
	struct cte *src_root;
	int err = resolve(cnode, args->a[2], packed & 0xff, &ca->dest);

	if (err == SEL_OK)
		err = lookup_cap(t, args->a[3], SEL_OBJ_CNODE, SEL_RIGHT_WRITE, &src_root);
	if (err == SEL_OK)
		err = resolve(src_root, args->a[4], (packed >> 8) & 0xff, &ca->src);
	if (err == SEL_OK && (packed >> 16) > SEL_RIGHTS_ALL)
		err = SEL_ERR_INVALID_ARG;
	ca->rights = (uint32_t)(packed >> 16);
	ca->data = args->a[6];
	return err;
}

static int invoke_derive(uint64_t label, struct cnode_args *ca)
{
	switch (label) {
	case SEL_CNODE_COPY: {
		int err = cdt_copy(&kernel_cdt, ca->src, ca->dest, ca->rights);
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

static int invoke_identify(struct cte *slot, struct syscall_args *args)
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
static int revoke(struct cte *slot)
{
	int err = cdt_revoke(&kernel_cdt, slot);

	if (err == SEL_OK && slot->cap.type == SEL_OBJ_ENDPOINT && slot->cap.badge)
		ep_cancel_badged_sends((struct endpoint *)(uintptr_t)slot->cap.object,
		                       slot->cap.badge);
	return err;
}

int cnode_decode(struct tcb *t, struct cte *cnode, struct syscall_args *args)
{
	uint64_t label = args->a[1];
	uint32_t rights = cnode->cap.rights;
	struct cnode_args ca;
	struct cte *slot;
	int err;

	switch (label) {
	case SEL_CNODE_COPY:
	case SEL_CNODE_MINT:
	case SEL_CNODE_MOVE:
	case SEL_CNODE_MUTATE:
		if (!(rights & SEL_RIGHT_WRITE))
			return SEL_ERR_NO_RIGHTS;
		err = decode_pair(t, cnode, args, &ca);
		return err != SEL_OK ? err : invoke_derive(label, &ca);
	case SEL_CNODE_DELETE:
	case SEL_CNODE_REVOKE:
		if (!(rights & SEL_RIGHT_WRITE))
			return SEL_ERR_NO_RIGHTS;
		err = resolve(cnode, args->a[2], args->a[5] & 0xff, &slot);
		if (err != SEL_OK)
			return err;
		if (label == SEL_CNODE_DELETE)
			return cdt_delete(&kernel_cdt, slot);
		return revoke(slot);
	case SEL_CNODE_IDENTIFY:
		if (!(rights & SEL_RIGHT_READ))
			return SEL_ERR_NO_RIGHTS;
		err = resolve(cnode, args->a[2], args->a[5] & 0xff, &slot);
		return err != SEL_OK ? err : invoke_identify(slot, args);
	default:
		return SEL_ERR_ILLEGAL_OP;
	}
}
