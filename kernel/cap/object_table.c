/*
 * object_table.c: the one place that says, per object type, how big its
 * objects are and how its caps may be derived.
 *
 * Sizes (log2 bytes): Untyped 2^4..2^40 (user-given); CNode 2^(radix + 6)
 * with radix 1..20 (a slot is 64 bytes); TCB 2^11; Endpoint 2^5;
 * Notification 2^6; Frame 2^12 or 2^21 (user-given); PageTable and ASID
 * pool 2^12; VSpace 2^13 (root table, then struct vspace); UIntr receiver 2^6; Window 2^(size_bits + 1) for a region
 * of 2^size_bits (12..21) followed by CAP_WINDOW_SLOTS slots. IRQ control, IRQ handler,
 * ASID control, debug and UIntr sender objects have no memory of their own
 * and are never retyped: boot creates the controls and the debug object,
 * handlers and senders are derived with cdt_insert_child().
 *
 * Derivation: Copy and Mint are allowed for every type except Untyped (an
 * Untyped cap owns its watermark: split memory by retyping into smaller
 * Untypeds), IRQ control and ASID control (their children are other
 * objects; one cap each keeps "all caps to an object are contiguous").
 * The Mint/Mutate data word is a badge for Endpoint and Notification, the
 * guard of a CNode cap, and must be 0 for every other type. Frame, page
 * table and VSpace copies start unmapped (word0/word1 cleared).
 * Type-changing derivations are listed in cap_derivations[].
 *
 * Containers: a CNode holds 2^radix slots at its start; a TCB holds
 * CAP_TCB_SLOTS slots at CAP_TCB_SLOT_OFFSET; a Window CAP_WINDOW_SLOTS
 * slots right after its region. Deleting the last cap to a
 * container empties those slots first (delete.c).
 */
#include "cap/cap.h"
#include "cap/cap_assert.h"

/* Bits lo..hi set. */
#define SIZE_RANGE(lo, hi) ((((uint64_t)1 << ((hi) + 1u)) - 1u) & ~(((uint64_t)1 << (lo)) - 1u))
#define SIZE_ONE(b)        ((uint64_t)1 << (b))

static const struct cap_type_info cap_types[SEL_OBJ_TYPE_COUNT] = {
    [SEL_OBJ_NULL] = {0},
    [SEL_OBJ_UNTYPED] = {.size_mask = SIZE_RANGE(CAP_UNTYPED_MIN_BITS, CAP_UNTYPED_MAX_BITS),
                         .retypeable = 1,
                         .device_ok = 1,
                         .ref_type = SEL_OBJ_UNTYPED},
    [SEL_OBJ_CNODE] = {.size_mask = SIZE_RANGE(CAP_CNODE_RADIX_MIN, CAP_CNODE_RADIX_MAX),
                       .bits_offset = CAP_SLOT_BITS,
                       .retypeable = 1,
                       .copyable = 1,
                       .data = CAP_DATA_GUARD,
                       .ref_type = SEL_OBJ_CNODE},
    [SEL_OBJ_TCB] = {.fixed_bits = 11, .retypeable = 1, .copyable = 1, .ref_type = SEL_OBJ_TCB},
    [SEL_OBJ_ENDPOINT] = {.fixed_bits = 5,
                          .retypeable = 1,
                          .copyable = 1,
                          .data = CAP_DATA_BADGE,
                          .ref_type = SEL_OBJ_ENDPOINT},
    [SEL_OBJ_NOTIFICATION] = {.fixed_bits = 6,
                              .retypeable = 1,
                              .copyable = 1,
                              .data = CAP_DATA_BADGE,
                              .ref_type = SEL_OBJ_NOTIFICATION},
    [SEL_OBJ_FRAME] = {.size_mask = SIZE_ONE(CAP_FRAME_SMALL_BITS) | SIZE_ONE(CAP_FRAME_LARGE_BITS),
                       .retypeable = 1,
                       .device_ok = 1,
                       .copyable = 1,
                       .clear_words = 1,
                       .ref_type = SEL_OBJ_FRAME},
    [SEL_OBJ_PAGE_TABLE] = {.fixed_bits = 12,
                            .retypeable = 1,
                            .copyable = 0, /* one cap, one mapping */
                            .clear_words = 1,
                            .ref_type = SEL_OBJ_PAGE_TABLE},
    [SEL_OBJ_VSPACE] = {.fixed_bits = 13, /* root table + struct vspace */
                        .retypeable = 1,
                        .copyable = 1,
                        .clear_words = 1,
                        .ref_type = SEL_OBJ_VSPACE},
    [SEL_OBJ_ASID_CONTROL] = {.ref_type = SEL_OBJ_ASID_CONTROL},
    [SEL_OBJ_ASID_POOL] = {.fixed_bits = 12,
                           .retypeable = 1,
                           .copyable = 1,
                           .ref_type = SEL_OBJ_ASID_POOL},
    [SEL_OBJ_IRQ_CONTROL] = {.ref_type = SEL_OBJ_IRQ_CONTROL},
    [SEL_OBJ_IRQ_HANDLER] = {.copyable = 1, .ref_type = SEL_OBJ_IRQ_HANDLER},
    [SEL_OBJ_UINTR_RECEIVER] = {.fixed_bits = 6,
                                .retypeable = 1,
                                .copyable = 1,
                                .ref_type = SEL_OBJ_UINTR_RECEIVER},
    [SEL_OBJ_UINTR_SENDER] = {.copyable = 1, .ref_type = SEL_OBJ_UINTR_RECEIVER},
    [SEL_OBJ_WINDOW] = {.size_mask = SIZE_RANGE(CAP_FRAME_SMALL_BITS, CAP_FRAME_LARGE_BITS),
                        .bits_offset = 1, /* the region, then its slots */
                        .retypeable = 1,
                        .copyable = 1,
                        .clear_words = 1,
                        .ref_type = SEL_OBJ_WINDOW},
    [SEL_OBJ_DEBUG] = {.copyable = 1, .ref_type = SEL_OBJ_DEBUG},
};

/*
 * Derivations that change the type. A UIntr sender is created by invoking
 * its receiver cap, which needs Grant, and refers to the receiver object (so
 * it counts as a reference to it and revoking the receiver revokes it). An
 * IRQ handler is a new object derived from IRQ control.
 */
static const struct cap_derivation cap_derivations[] = {
    {SEL_OBJ_UINTR_RECEIVER, SEL_OBJ_UINTR_SENDER, 1, SEL_RIGHT_GRANT},
    {SEL_OBJ_IRQ_CONTROL, SEL_OBJ_IRQ_HANDLER, 0, 0},
};

#define CAP_DERIVATION_COUNT (sizeof(cap_derivations) / sizeof(cap_derivations[0]))

/*@ ensures type < SEL_OBJ_TYPE_COUNT ==> \result == &cap_types[type];
    ensures type >= SEL_OBJ_TYPE_COUNT ==> \result == &cap_types[SEL_OBJ_NULL];
    assigns \nothing; */
const struct cap_type_info *cap_type_info(uint32_t type)
{
	if (type >= SEL_OBJ_TYPE_COUNT) {
		return &cap_types[SEL_OBJ_NULL];
	}
	return &cap_types[type];
}

/*@ assigns \nothing; */
const struct cap_derivation *cap_derivation_find(uint32_t parent_type, uint32_t child_type)
{
	/*@ loop invariant 0 <= i <= CAP_DERIVATION_COUNT;
	    loop assigns i;
	    loop variant CAP_DERIVATION_COUNT - i; */
	for (size_t i = 0; i < CAP_DERIVATION_COUNT; i++) {
		if (cap_derivations[i].parent_type == parent_type &&
		    cap_derivations[i].child_type == child_type) {
			return &cap_derivations[i];
		}
	}
	return NULL;
}

/* log2 of the size of the object `c` refers to (0 for objects without memory). */
/*@ requires \valid_read(c);
    assigns \nothing; */
uint32_t cap_object_bits(const struct cap *c)
{
	const struct cap_type_info *ti = cap_type_info(c->type);
	const struct cap_type_info *ref = cap_type_info(ti->ref_type);

	if (ref->size_mask != 0) {
		return (uint32_t)c->size_bits + ref->bits_offset;
	}
	return ref->fixed_bits;
}

/*
 * Do `a` and `b` refer to the same object? Untyped caps never do: each
 * Untyped cap is the only cap to its memory range (its own watermark).
 */
/*@ requires \valid_read(a) && \valid_read(b);
    assigns \nothing; */
bool cap_same_object(const struct cap *a, const struct cap *b)
{
	if (a->type == SEL_OBJ_NULL || b->type == SEL_OBJ_NULL) {
		return false;
	}
	if (a->type == SEL_OBJ_UNTYPED || b->type == SEL_OBJ_UNTYPED) {
		return false;
	}
	return cap_type_info(a->type)->ref_type == cap_type_info(b->type)->ref_type &&
	       a->object == b->object && cap_object_bits(a) == cap_object_bits(b);
}

/* Number of slots inside the object `c` refers to (0 unless a container). */
/*@ requires \valid_read(c);
    assigns \nothing; */
uint64_t cap_container_count(const struct cap *c)
{
	if (c->type == SEL_OBJ_CNODE) {
		cap_assert(c->size_bits <= CAP_CNODE_RADIX_MAX, "a CNode's radix is bounded");
		return (uint64_t)1 << c->size_bits;
	}
	if (c->type == SEL_OBJ_TCB) {
		return CAP_TCB_SLOTS;
	}
	if (c->type == SEL_OBJ_WINDOW) {
		return CAP_WINDOW_SLOTS;
	}
	return 0;
}

/* The first slot inside a container object (NULL otherwise). */
/*@ requires \valid_read(c);
    assigns \nothing; */
struct cte *cap_container_slots(const struct cap *c)
{
	if (c->type == SEL_OBJ_CNODE) {
		return (struct cte *)(uintptr_t)c->object;
	}
	if (c->type == SEL_OBJ_TCB) {
		return (struct cte *)(uintptr_t)(c->object + CAP_TCB_SLOT_OFFSET);
	}
	if (c->type == SEL_OBJ_WINDOW && c->size_bits < 64u) {
		return (struct cte *)(uintptr_t)(c->object + ((uint64_t)1 << c->size_bits));
	}
	return NULL;
}

/*
 * Object size of a retype: SEL_ERR_INVALID_ARG for a type that cannot be
 * retyped, SEL_ERR_RANGE for a size_bits the type does not accept. The
 * size_bits of fixed-size types is ignored.
 */
/*@ requires \valid(obj_bits);
    assigns *obj_bits;
    ensures \result == SEL_OK ==> *obj_bits <= 64; */
enum sel_error cap_retype_bits(uint32_t type, uint32_t size_bits, uint32_t *obj_bits)
{
	const struct cap_type_info *ti = cap_type_info(type);

	if (!ti->retypeable) {
		return SEL_ERR_INVALID_ARG;
	}
	if (ti->size_mask == 0) {
		*obj_bits = ti->fixed_bits;
		return SEL_OK;
	}
	if (size_bits >= 64u || ((ti->size_mask >> size_bits) & 1u) == 0) {
		return SEL_ERR_RANGE;
	}
	*obj_bits = size_bits + ti->bits_offset;
	return SEL_OK;
}
