/*
 * Untyped invocations: Retype, Reset, Info.
 *
 * Retype carves `count` objects of one type from the Untyped at its
 * watermark into consecutive empty slots of a destination CNode
 * (kernel/cap/untyped_retype.c does the arithmetic and all the checks);
 * the new caps are children of the Untyped cap, so revoking it destroys
 * them all and lets the memory be carved again. Rights: Write on the
 * Untyped cap and on the destination CNode cap. A VSpace needs an ASID of
 * its own: with fewer left than asked for, Retype fails with SEL_ERR_FULL.
 */
#include "object/objects.h"
#include "arch/riscv/asid.h"
#include "arch/riscv/memory.h"
#include <selene/invocation.h>

/* Slots [first, first + count) of the CNode named by cptr (depth 64). */
static int decode_dest(struct tcb *t, uint64_t cptr, uint64_t first, uint64_t count,
                       struct cte **dest)
{
	struct cte *slot;
	int err = lookup_cap(t, cptr, SEL_OBJ_CNODE, SEL_RIGHT_WRITE, &slot);

	if (err != SEL_OK)
		return err;
	uint64_t n = cap_container_count(&slot->cap);
	if (first >= n || count > n - first)
		return SEL_ERR_RANGE;
	*dest = cap_container_slots(&slot->cap) + first;
	return SEL_OK;
}

static int decode_retype(struct tcb *t, struct cte *ut, struct syscall_args *args)
{
	uint64_t type = args->a[2], size_bits = args->a[3], count = args->a[6];
	struct cte *dest;
	int err;

	if (type >= SEL_OBJ_TYPE_COUNT || size_bits > 64)
		return SEL_ERR_INVALID_ARG;
	if (count == 0 || count > CAP_RETYPE_MAX_COUNT)
		return SEL_ERR_RANGE;
	err = decode_dest(t, args->a[4], args->a[5], count, &dest);
	if (err != SEL_OK)
		return err;
	if (type == SEL_OBJ_VSPACE && count > asid_available())
		return SEL_ERR_FULL; /* every VSpace has an ASID of its own: none is shared */
	return untyped_retype(&kernel_cdt, ut, (uint32_t)type, (uint32_t)size_bits, dest, count);
}

int untyped_decode(struct tcb *t, struct cte *ut, struct syscall_args *args)
{
	switch (args->a[1]) {
	case SEL_UNTYPED_RETYPE:
		if (!(ut->cap.rights & SEL_RIGHT_WRITE))
			return SEL_ERR_NO_RIGHTS;
		return decode_retype(t, ut, args);
	case SEL_UNTYPED_RESET:
		if (!(ut->cap.rights & SEL_RIGHT_WRITE))
			return SEL_ERR_NO_RIGHTS;
		return untyped_reset(ut);
	case SEL_UNTYPED_INFO:
		args->out[1] = virt_to_phys((void *)(uintptr_t)ut->cap.object);
		args->out[2] = ut->cap.size_bits;
		args->out[3] = ut->cap.word0;
		args->out[4] = (ut->cap.flags & CAP_FLAG_DEVICE) != 0;
		return SEL_OK;
	default:
		return SEL_ERR_ILLEGAL_OP;
	}
}
