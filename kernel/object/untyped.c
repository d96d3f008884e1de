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
#include "kernel_unpack.h"
#include <selene/invocation.h>

/*
 * Slots [r->first, r->first + r->count) of the CNode r->dest (checked: a
 * CNode with Write). The bounds are tested on r's own fields, which the
 * caller passes on.
 */
static enum sel_error decode_dest(const struct untyped_retype_args *r, struct cte **dest)
{
	uint64_t n = cap_container_count(&r->dest->cap);

	if (r->first >= n || r->count > n - r->first)
		return SEL_ERR_RANGE;
	*dest = cap_container_slots(&r->dest->cap) + r->first;
	return SEL_OK;
}

/*
 * Whether `slot` is one of the `count` slots from `dest` (addresses compared
 * as integers: the two may lie in different CNodes).
 */
static bool in_range(const struct cte *dest, uint64_t count, const struct cte *slot)
{
	uintptr_t d = (uintptr_t)dest, s = (uintptr_t)slot;

	return s >= d && (s - d) / sizeof(struct cte) < count;
}

static enum sel_error decode_retype(struct tcb *t, struct cte *ut, const uint64_t *a)
{
	struct untyped_retype_args r;
	struct cte *dest;
	enum sel_error err = untyped_retype_unpack(t, a, &r);

	if (err != SEL_OK)
		return err;
	if (r.type >= SEL_OBJ_TYPE_COUNT || r.size_bits > 64)
		return SEL_ERR_INVALID_ARG;
	if (r.count == 0 || r.count > CAP_RETYPE_MAX_COUNT)
		return SEL_ERR_RANGE;
	err = decode_dest(&r, &dest);
	if (err != SEL_OK)
		return err;
	if (r.type == SEL_OBJ_VSPACE && r.count > asid_available())
		return SEL_ERR_FULL; /* every VSpace has an ASID of its own: none is shared */
	/*
	 * The core requires the Untyped's own slot outside the destination range
	 * (untyped_retype's precondition); it is occupied, so the core would
	 * refuse the range with this error.
	 */
	if (in_range(dest, r.count, ut))
		return SEL_ERR_SLOT_OCCUPIED;
	return untyped_retype(&kernel_cdt, ut, (uint32_t)r.type, (uint32_t)r.size_bits, dest,
	                      r.count);
}

static enum sel_error info(struct cte *ut, struct syscall_args *args)
{
	enum sel_error err = untyped_info_unpack(args->a);

	if (err != SEL_OK)
		return err;
	args->out[1] = virt_to_phys((void *)(uintptr_t)ut->cap.object);
	args->out[2] = ut->cap.size_bits;
	args->out[3] = ut->cap.word0;
	args->out[4] = (ut->cap.flags & CAP_FLAG_DEVICE) != 0;
	return SEL_OK;
}

enum sel_error untyped_decode(struct tcb *t, struct cte *ut, struct syscall_args *args)
{
	enum sel_error err;

	switch (args->a[1]) {
	case SEL_UNTYPED_RETYPE:
		return decode_retype(t, ut, args->a);
	case SEL_UNTYPED_RESET:
		err = untyped_reset_unpack(args->a);
		return err != SEL_OK ? err : untyped_reset(ut);
	default: /* SEL_UNTYPED_INFO */
		return info(ut, args);
	}
}
