/*
 * untyped_retype.c: carving objects out of Untyped memory.
 *
 * An Untyped cap covers [object, object + 2^size_bits) and owns a watermark
 * (word0): every object carved from it so far lies below object + watermark,
 * and the watermark only grows while the Untyped has children. A retype of
 * `count` objects of one type places them consecutively at the watermark
 * rounded up to the object size (objects are aligned to their size; the
 * Untyped itself is aligned to its size), moves the watermark past them and
 * inserts their caps, with all rights, as children of the Untyped into
 * `count` consecutive empty slots: dest[i] holds object i. Children are
 * inserted so that the list after the Untyped runs from the highest address
 * down, which lets the checker verify non-overlap in one pass.
 *
 * When the Untyped has no children (all were deleted or revoked) nothing
 * carved from it is alive, so a retype starts again at offset 0; the same is
 * available explicitly as untyped_reset(). Device Untyped memory may only
 * become Frames or smaller device Untypeds, whose caps carry the DEVICE flag;
 * the core never touches device memory.
 *
 * Errors, checked in this order before anything changes: SEL_ERR_RANGE for
 * count 0 or above CAP_RETYPE_MAX_COUNT; SEL_ERR_SLOT_OCCUPIED if a
 * destination slot is not empty; SEL_ERR_EMPTY_SLOT for an empty source;
 * SEL_ERR_WRONG_TYPE if it is not an Untyped cap; SEL_ERR_INVALID_ARG for a
 * type that cannot be retyped; SEL_ERR_RANGE for a size_bits the type does
 * not accept, an object larger than the whole Untyped, or an Untyped child
 * not smaller than its parent; SEL_ERR_WRONG_TYPE for anything but Frame or
 * Untyped from device memory; SEL_ERR_RANGE if the children would be too
 * deep; SEL_ERR_NO_MEMORY if the objects do not fit above the watermark.
 */
#include "cap/cap.h"
#include "cap/cap_assert.h"
#include "cap/cap_debug.h"
#include "cap/cdt_internal.h"

/*@ // The watermark a retype starts from: word0 while the Untyped has
    // children, 0 once it has none (see place()).
    logic integer ut_mark(struct cte *ut) =
      (ut->next != \null && ut->next->depth > ut->depth) ? ut->cap.word0 : 0; */

/*@ requires \valid_read(dest + (0 .. count - 1));
    assigns \nothing;
    ensures \result <==> (\forall integer i; 0 <= i < count ==> cte_empty(dest + i)); */
static bool slots_empty(const struct cte *dest, uint64_t count)
{
	/*@ loop invariant 0 <= i <= count;
	    loop invariant \forall integer j; 0 <= j < i ==> cte_empty(dest + j);
	    loop assigns i;
	    loop variant count - i; */
	for (uint64_t i = 0; i < count; i++) {
		if (!cte_is_empty(&dest[i])) {
			return false;
		}
	}
	return true;
}

/* Type, size and device rules; *obj_bits receives the object size. */
/*@ requires \valid_read(ut) && \valid(obj_bits) && \separated(ut, obj_bits);
    assigns *obj_bits;
    ensures \result == SEL_OK ==> *obj_bits <= ut->size_bits;
    ensures \result == SEL_OK && type == SEL_OBJ_UNTYPED ==> *obj_bits < ut->size_bits;
    ensures \result == SEL_OK || \result == SEL_ERR_INVALID_ARG || \result == SEL_ERR_RANGE ||
            \result == SEL_ERR_WRONG_TYPE; */
static enum sel_error check_kind(const struct cap *ut, uint32_t type, uint32_t size_bits,
                                 uint32_t *obj_bits)
{
	enum sel_error err = cap_retype_bits(type, size_bits, obj_bits);

	if (err != SEL_OK) {
		return err;
	}
	if (*obj_bits > ut->size_bits) {
		return SEL_ERR_RANGE;
	}
	if (type == SEL_OBJ_UNTYPED && *obj_bits >= ut->size_bits) {
		return SEL_ERR_RANGE;
	}
	if ((ut->flags & CAP_FLAG_DEVICE) != 0 && !cap_type_info(type)->device_ok) {
		return SEL_ERR_WRONG_TYPE;
	}
	return SEL_OK;
}

/* Offset of the first new object, or SEL_ERR_NO_MEMORY. */
/*@ requires \valid_read(ut) && \valid(offset) && \separated(ut, offset);
    requires ut->next == \null || \valid_read(ut->next);
    requires ut->cap.size_bits <= CAP_UNTYPED_MAX_BITS && obj_bits <= ut->cap.size_bits;
    requires ut->cap.word0 <= ((uint64_t)1 << ut->cap.size_bits);
    assigns *offset;
    ensures \result == SEL_OK || \result == SEL_ERR_NO_MEMORY;
    ensures above_mark: \result == SEL_OK ==> ut_mark(ut) <= *offset;
    ensures aligned: \result == SEL_OK ==> (*offset & (((uint64_t)1 << obj_bits) - 1)) == 0;
    ensures fits: \result == SEL_OK ==>
            *offset + (count << obj_bits) <= ((uint64_t)1 << ut->cap.size_bits); */
static enum sel_error place(const struct cte *ut, uint32_t obj_bits, uint64_t count,
                            uint64_t *offset)
{
	uint64_t size = (uint64_t)1 << ut->cap.size_bits;
	uint64_t align = ((uint64_t)1 << obj_bits) - 1u;
	uint64_t mark = cdt_has_children(ut) ? ut->cap.word0 : 0;
	uint64_t start = (mark + align) & ~align;

	cap_assert(ut->cap.size_bits <= CAP_UNTYPED_MAX_BITS, "an Untyped's size is bounded");
	cap_assert(mark <= size, "the watermark lies inside the Untyped");
	if (start > size || count > ((size - start) >> obj_bits)) {
		return SEL_ERR_NO_MEMORY;
	}
	*offset = start;
	return SEL_OK;
}

/* The cap of a freshly carved object. */
/*@ requires \valid_read(ut);
    assigns \nothing;
    ensures \result.type == (uint8_t)type && \result.rights == SEL_RIGHTS_ALL &&
            \result.badge == 0 && \result.object == addr; */
static struct cap new_object_cap(const struct cap *ut, uint32_t type, uint32_t size_bits,
                                 uint64_t addr)
{
	struct cap c = {0};

	c.type = (uint8_t)type;
	c.rights = SEL_RIGHTS_ALL;
	c.object = addr;
	if (cap_type_info(type)->size_mask != 0) {
		c.size_bits = (uint8_t)size_bits;
	}
	c.flags = (uint8_t)(ut->flags & CAP_FLAG_DEVICE);
	return c;
}

/*
 * Initialise one new object and give its cap to dest as a child of ut. The
 * assigns clause leaves out the new object's own memory (a CNode's or TCB's
 * slots, emptied here): it is fresh memory inside the Untyped, disjoint from
 * every live slot, which WP cannot know (verify/frama-c/README.md).
 */
/*@ requires \valid(cdt) && \valid(ut) && \valid(dest) && \separated(cdt, ut, dest);
    requires \separated(cdt->reg + (0 .. cdt->reg_capacity - 1), cdt, ut, dest);
    requires cte_empty(dest) && cte_unlinked(dest) && !cte_empty(ut);
    requires ut->next == \null || (\valid(ut->next) && \separated(ut->next, ut, dest, cdt));
    requires ut->depth < CAP_DEPTH_MAX;
    assigns *dest, ut->next, ut->next->prev, cdt->nodes, cdt->reg[0 .. cdt->reg_capacity - 1],
            cdt->reg_gen, cdt->reg_overflow;
    ensures new_cap: dest->cap.type == (uint8_t)type && dest->cap.rights == SEL_RIGHTS_ALL &&
            dest->cap.badge == 0 && dest->cap.object == addr;
    ensures child: dest->depth == ut->depth + 1 && ut->next == dest && dest->prev == ut &&
            dest->next == \old(ut->next); */
static void create_one(struct cdt *cdt, struct cte *ut, struct cte *dest, uint32_t type,
                       uint32_t size_bits, uint64_t addr)
{
	struct cap c = new_object_cap(&ut->cap, type, size_bits, addr);
	uint64_t n;
	struct cte *slots;
	uint32_t gen;

	cap_object_init((enum sel_object_type)type, (uintptr_t)addr, size_bits,
	                (c.flags & CAP_FLAG_DEVICE) != 0);
	n = cap_container_count(&c);
	slots = cap_container_slots(&c);
	/*@ loop invariant 0 <= i <= n;
	    loop assigns i, slots[0 .. n - 1];
	    loop variant n - i; */
	for (uint64_t i = 0; i < n; i++) {
		cte_clear(&slots[i]);
	}
	gen = cap_registry_add(cdt, &c);
	cdt_insert_new(cdt, ut, dest, &c, gen);
}

/*
 * Retype: carve `count` objects of `type` (size_bits for Untyped, CNode
 * radix and Frame) from the Untyped cap in `ut` into dest[0 .. count-1].
 */
/*@ requires \valid(cdt) && \valid(ut) && \valid(dest + (0 .. count - 1));
    requires \separated(cdt, ut, dest + (0 .. count - 1));
    requires \separated(cdt->reg + (0 .. cdt->reg_capacity - 1), cdt, ut, dest + (0 .. count - 1));
    requires ut->next == \null ||
             (\valid(ut->next) && \separated(ut->next, ut, cdt, dest + (0 .. count - 1)));
    requires \forall integer i; 0 <= i < count && cte_empty(dest + i) ==> cte_unlinked(dest + i);
    requires untyped_inv: ut->cap.type == SEL_OBJ_UNTYPED ==>
             ut->cap.size_bits <= CAP_UNTYPED_MAX_BITS &&
             ut->cap.word0 <= ((uint64_t)1 << ut->cap.size_bits);
    assigns ut->cap.word0, ut->next, ut->next->prev, dest[0 .. count - 1], cdt->nodes,
            cdt->reg[0 .. cdt->reg_capacity - 1], cdt->reg_gen, cdt->reg_overflow;
    behavior bad_count:
      assumes count == 0 || count > CAP_RETYPE_MAX_COUNT;
      assigns \nothing;
      ensures \result == SEL_ERR_RANGE;
    behavior occupied:
      assumes 0 < count <= CAP_RETYPE_MAX_COUNT;
      assumes \exists integer i; 0 <= i < count && !cte_empty(dest + i);
      assigns \nothing;
      ensures \result == SEL_ERR_SLOT_OCCUPIED;
    behavior no_source:
      assumes 0 < count <= CAP_RETYPE_MAX_COUNT;
      assumes \forall integer i; 0 <= i < count ==> cte_empty(dest + i);
      assumes cte_empty(ut);
      assigns \nothing;
      ensures \result == SEL_ERR_EMPTY_SLOT;
    behavior not_untyped:
      assumes 0 < count <= CAP_RETYPE_MAX_COUNT;
      assumes \forall integer i; 0 <= i < count ==> cte_empty(dest + i);
      assumes !cte_empty(ut) && ut->cap.type != SEL_OBJ_UNTYPED;
      assigns \nothing;
      ensures not_untyped_error: \result == SEL_ERR_WRONG_TYPE;
    behavior retype:
      assumes 0 < count <= CAP_RETYPE_MAX_COUNT;
      assumes \forall integer i; 0 <= i < count ==> cte_empty(dest + i);
      assumes ut->cap.type == SEL_OBJ_UNTYPED;
      ensures \result == SEL_OK || \result == SEL_ERR_INVALID_ARG || \result == SEL_ERR_RANGE ||
              \result == SEL_ERR_WRONG_TYPE || \result == SEL_ERR_NO_MEMORY;
      ensures refused: \result != SEL_OK ==>
              ut->cap.word0 == \old(ut->cap.word0) && ut->next == \old(ut->next) &&
              cdt->nodes == \old(cdt->nodes) &&
              (\forall integer i; 0 <= i < count ==> dest[i] == \old(dest[i]));
      ensures new_caps: \result == SEL_OK ==> \forall integer i; 0 <= i < count ==>
              dest[i].cap.type == (uint8_t)type && dest[i].cap.rights == SEL_RIGHTS_ALL &&
              dest[i].cap.badge == 0 && dest[i].depth == ut->depth + 1;
      ensures placed: \result == SEL_OK ==> \exists integer off, integer b;
              0 <= b <= ut->cap.size_bits && \old(ut_mark(ut)) <= off &&
              (off & ((1 << b) - 1)) == 0 &&
              off + (count << b) <= ((uint64_t)1 << ut->cap.size_bits) &&
              ut->cap.word0 == (uint64_t)(off + (uint64_t)(count << b)) &&
              (\forall integer i; 0 <= i < count ==>
                  dest[i].cap.object == (uint64_t)((uint64_t)(ut->cap.object + off) +
                                                   (uint64_t)(i << b)));
      ensures mark_grows: \result == SEL_OK ==> \old(ut_mark(ut)) <= ut->cap.word0;
      ensures \result == SEL_OK ==> ut->cap.object == \old(ut->cap.object) &&
              ut->cap.size_bits == \old(ut->cap.size_bits) && ut->next == dest + (count - 1);
    complete behaviors;
    disjoint behaviors; */
enum sel_error untyped_retype(struct cdt *cdt, struct cte *ut, uint32_t type, uint32_t size_bits,
                              struct cte *dest, uint64_t count)
{
	uint32_t obj_bits = 0;
	uint64_t offset = 0;
	enum sel_error err;

	if (count == 0 || count > CAP_RETYPE_MAX_COUNT) {
		return SEL_ERR_RANGE;
	}
	if (!slots_empty(dest, count)) {
		return SEL_ERR_SLOT_OCCUPIED;
	}
	if (cte_is_empty(ut)) {
		return SEL_ERR_EMPTY_SLOT;
	}
	if (ut->cap.type != SEL_OBJ_UNTYPED) {
		return SEL_ERR_WRONG_TYPE;
	}
	err = check_kind(&ut->cap, type, size_bits, &obj_bits);
	if (err != SEL_OK) {
		return err;
	}
	if (ut->depth >= CAP_DEPTH_MAX) {
		return SEL_ERR_RANGE;
	}
	err = place(ut, obj_bits, count, &offset);
	if (err != SEL_OK) {
		return err;
	}
	ut->cap.word0 = offset + (count << obj_bits);
	/*@ loop invariant 0 <= i <= count;
	    loop invariant ut->cap.word0 == \at(ut->cap.word0, LoopEntry) &&
	                   ut->cap.object == \at(ut->cap.object, LoopEntry) &&
	                   ut->cap.type == SEL_OBJ_UNTYPED && ut->depth == \at(ut->depth, LoopEntry);
	    loop invariant i == 0 ==> ut->next == \at(ut->next, Pre);
	    loop invariant i > 0 ==> ut->next == dest + (i - 1);
	    loop invariant \forall integer j; i <= j < count ==>
	                   cte_empty(dest + j) && cte_unlinked(dest + j);
	    loop invariant \forall integer j; 0 <= j < i ==>
	                   dest[j].cap.type == (uint8_t)type && dest[j].cap.rights == SEL_RIGHTS_ALL &&
	                   dest[j].cap.badge == 0 && dest[j].depth == ut->depth + 1 &&
	                   dest[j].cap.object == (uint64_t)((uint64_t)(ut->cap.object + offset) +
	                                                    (uint64_t)(j << obj_bits));
	    loop assigns i, dest[0 .. count - 1], ut->next, \at(ut->next, Pre)->prev, cdt->nodes,
	                 cdt->reg[0 .. cdt->reg_capacity - 1], cdt->reg_gen, cdt->reg_overflow;
	    loop variant count - i; */
	for (uint64_t i = 0; i < count; i++) {
		create_one(cdt, ut, &dest[i], type, size_bits,
		           ut->cap.object + offset + (i << obj_bits));
	}
	return SEL_OK;
}

/*
 * Reset: the watermark of an Untyped without children goes back to 0.
 * SEL_ERR_EMPTY_SLOT, SEL_ERR_WRONG_TYPE, SEL_ERR_HAS_CHILDREN.
 */
/*@ requires \valid(ut);
    assigns ut->cap.word0;
    ensures \result == SEL_OK ==> ut->cap.word0 == 0; */
enum sel_error untyped_reset(struct cte *ut)
{
	if (cte_is_empty(ut)) {
		return SEL_ERR_EMPTY_SLOT;
	}
	if (ut->cap.type != SEL_OBJ_UNTYPED) {
		return SEL_ERR_WRONG_TYPE;
	}
	if (cdt_has_children(ut)) {
		return SEL_ERR_HAS_CHILDREN;
	}
	ut->cap.word0 = 0;
	return SEL_OK;
}
