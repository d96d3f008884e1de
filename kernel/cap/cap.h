/*
 * The capability core: capabilities, slots, the capability derivation tree
 * (CDT), and the operations on them.
 *
 * A capability (struct cap) is a fixed 40-byte record naming one kernel
 * object, the rights it conveys and, for badgeable objects, a badge. A slot
 * (struct cte, "capability table entry", 64 bytes) holds one cap and the
 * slot's links in the CDT. Slots live in CNode objects (2^radix slots), in
 * TCB objects (CAP_TCB_SLOTS slots) and, for boot and tests, anywhere the
 * kernel puts them.
 *
 * The CDT is one global doubly-linked list of every non-empty slot, in
 * preorder, with an explicit depth on every node (as seL4's MDB):
 *   - a child is inserted immediately after its parent, depth = parent + 1;
 *   - the descendants of N are the maximal run of successors deeper than N;
 *   - the parent of N is the nearest predecessor with a smaller depth.
 * Depth is exactly parent + 1 (0 without a parent), at creation and always:
 * removing a node lifts its descendants one level, so its children become
 * its parent's. (Keeping their depth instead would be O(1) but wrong: an
 * earlier sibling of the removed node would adopt them.) Removing a leaf is
 * O(1); Revoke removes leaves only. All caps to one object are contiguous in
 * the list (Copy/Mint insert next to the source; Untyped, IRQ control and
 * ASID control caps, whose children are other objects, cannot be copied),
 * so "is this the last cap to the object" looks only at the two neighbours.
 *
 * Every operation checks everything first and a failed operation changes
 * nothing. Delete and Revoke are long-running: they stop at preemption
 * points with SEL_ERR_PREEMPTED, leaving the tree consistent, and the caller
 * repeats the call to continue. Nothing here recurses or allocates.
 *
 * Locking: the whole CDT, every slot and struct cdt are protected by the big
 * kernel lock. Only code in kernel/cap/ writes the fields of struct cap,
 * struct cte and struct cdt, except the fields marked "kernel-owned" below.
 *
 * Files: cdt_list.c (the list and its queries), cdt.c (copy, mint, move,
 * mutate, insertions, identify), delete.c (delete,
 * revoke, the reaper of dying containers), untyped_retype.c, cspace.c
 * (address resolution), object_table.c (object sizes and derivation rules:
 * edit them there), registry.c, check.c and corrupt.c (debug builds only:
 * the live-object registry, the invariant checker, corruption hooks).
 */
#ifndef SELENE_CAP_CAP_H
#define SELENE_CAP_CAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "selene/error.h"
#include "selene/object.h"

/*
 * Compile-time layout checks. Frama-C 25 accepts C11's _Static_assert only
 * with -c11, so under Frama-C the same check takes the C99 array form.
 */
#ifdef __FRAMAC__
#define CAP_SA_CAT2(a, b) a##b
#define CAP_SA_CAT(a, b)  CAP_SA_CAT2(a, b)
#define CAP_STATIC_ASSERT(cond, msg)                                                               \
	typedef uint8_t CAP_SA_CAT(cap_static_assert_, __LINE__)[(cond) ? 1 : -1]
#else
#define CAP_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif

/* A slot is 2^CAP_SLOT_BITS bytes: a CNode of radix r is 2^(r + 6) bytes. */
#define CAP_SLOT_BITS 6u
/* Delete and Revoke ask cap_preemption_point() after every this many steps. */
#define CAP_PREEMPT_INTERVAL 16u
/* Depth bound: a derivation that would exceed it fails with SEL_ERR_RANGE. */
#define CAP_DEPTH_MAX 0x7fffffffu
/* Most objects one untyped_retype() call may create. */
#define CAP_RETYPE_MAX_COUNT 256u
/* Slots inside a TCB object (cspace root, vspace root, IPC buffer, ...). */
#define CAP_TCB_SLOT_OFFSET 1024u
#define CAP_TCB_SLOTS       16u
#define CAP_WINDOW_SLOTS    4u /* a window's per-side peer senders */
/* Accepted size_bits of the variable-size objects. */
#define CAP_CNODE_RADIX_MIN  1u
#define CAP_CNODE_RADIX_MAX  20u
#define CAP_UNTYPED_MIN_BITS 4u
#define CAP_UNTYPED_MAX_BITS 40u
#define CAP_FRAME_SMALL_BITS 12u
#define CAP_FRAME_LARGE_BITS 21u
/* A UIntr sender's vector is below this. */
#define CAP_UINTR_VECTORS 64u

/* cap.flags */
#define CAP_FLAG_DEVICE 0x01u /* Untyped, Frame: device memory, never zeroed */
#define CAP_FLAG_ZOMBIE 0x02u /* CNode, TCB, Window: the object is dying (delete.c) */
/* Frame: the copy in a TCB's IPC buffer slot, which the user-interrupt fast
 * paths read without the lock: its removal waits for them (object/uintr_cap.c). */
#define CAP_FLAG_IPC_BUFFER 0x04u

/* Mint/Mutate data of a CNode cap: guard value << 6 | guard bits. */
#define CAP_GUARD_BITS_WIDTH 6u

/*
 * A capability. Fixed layout, no bitfields. Invariants:
 *  - type == SEL_OBJ_NULL iff the slot is empty, and then every field is 0;
 *  - rights is a subset of SEL_RIGHTS_ALL;
 *  - badge != 0 only for Endpoint and Notification; once non-zero it never
 *    changes, and every cap derived from a badged cap has the same badge;
 *  - object is the kernel address of the object (for types without memory
 *    -- IRQ control/handler, ASID control, debug -- a boot-chosen identity);
 *    UIntr sender caps hold their receiver's address.
 * Type-specific fields:
 *   Untyped  size_bits = log2 size; word0 = watermark (bytes used from
 *            object; children lie below it); flags DEVICE.
 *   CNode    size_bits = radix; guard_bits; word0 = guard value.
 *   Window   size_bits = 12..21 (its region); word0/word1 kernel-owned
 *            mapping state (cleared on Copy/Mint, kept by Move/Mutate).
 *   Frame    size_bits = 12 or 21; flags DEVICE; word0/word1 kernel-owned
 *            mapping state (cleared on Copy/Mint, kept by Move/Mutate).
 *   PageTable, VSpace  word0/word1 kernel-owned mapping state (as Frame).
 *   UIntr sender  word0 = vector (< CAP_UINTR_VECTORS).
 *   IRQ handler   word0 kernel-owned (the IRQ number).
 *   Zombie (flags ZOMBIE on a CNode, TCB or Window cap; see delete.c): word0 =
 *            slots not yet emptied; word1 = next zombie on the dying stack
 *            (stays with the slot when zombies are swapped).
 */
struct cap {
	uint64_t object;
	uint64_t badge;
	uint64_t word0;
	uint64_t word1;
	uint8_t type;   /* enum sel_object_type */
	uint8_t rights; /* mask of enum sel_right */
	uint8_t size_bits;
	uint8_t guard_bits;
	uint8_t flags;
	uint8_t reserved[3]; /* zero */
};
CAP_STATIC_ASSERT(sizeof(struct cap) == 40, "struct cap is 40 bytes");

/*
 * A slot: a cap and its CDT links. Invariants:
 *  - empty (cap.type == SEL_OBJ_NULL) iff not in the CDT list, and then
 *    prev == next == NULL and depth == obj_gen == 0;
 *  - prev->next == this and next->prev == this when non-NULL;
 *  - depth > depth of the parent (nearest predecessor with smaller depth);
 *  - obj_gen: debug builds' generation of the object (registry.c), 0 in
 *    release builds; copies inherit it.
 */
struct cte {
	struct cap cap;
	struct cte *prev;
	struct cte *next;
	uint32_t depth;
	uint32_t obj_gen;
};
CAP_STATIC_ASSERT(sizeof(struct cte) == (1u << CAP_SLOT_BITS), "a slot is 64 bytes");
CAP_STATIC_ASSERT(offsetof(struct cte, cap) == 0, "a slot starts with its cap");

struct cap_registry_entry;

/*
 * The derivation tree's root. Invariants:
 *  - head is the first node (head->prev == NULL) or NULL when no cap exists;
 *  - nodes is the number of slots in the list;
 *  - dying is the top of the stack of zombies (linked through word1), and
 *    every zombie in the list is on it exactly once; dying == NULL iff no
 *    zombie exists.
 * The registry and scratch fields are used by debug builds only and are
 * attached with cdt_debug_attach() (cap_debug.h).
 */
struct cdt {
	struct cte *head;
	struct cte *dying;
	uint64_t nodes;
	struct cap_registry_entry *reg;
	uint64_t reg_capacity;
	const struct cte **scratch;
	uint64_t scratch_capacity;
	uint64_t check_epoch;
	uint32_t reg_gen;
	bool reg_overflow;
};

/* What Identify reports about a slot; all zero for an empty slot. */
struct cap_identity {
	uint32_t type; /* enum sel_object_type */
	uint32_t rights;
	uint64_t badge;
	uint32_t size_bits;
	uint32_t flags; /* CAP_FLAG_DEVICE, CAP_FLAG_ZOMBIE */
};

/*@ predicate cte_empty(struct cte *c) = c->cap.type == SEL_OBJ_NULL;
    predicate rights_within(integer a, integer b) = (a & b) == a;
    // The slot invariant of cap.h for an empty slot: it is not linked.
    predicate cte_unlinked(struct cte *c) = c->prev == \null && c->next == \null;
    // A slot's neighbours are valid slots (or absent).
    predicate cte_links_valid(struct cte *c) =
      (c->prev == \null || \valid(c->prev)) && (c->next == \null || \valid(c->next)); */

/*@ requires \valid_read(c);
    assigns \nothing;
    ensures \result <==> cte_empty(c); */
static inline bool cte_is_empty(const struct cte *c)
{
	return c->cap.type == SEL_OBJ_NULL;
}

/*@ requires \valid_read(c);
    assigns \nothing;
    ensures \result <==> (c->flags & CAP_FLAG_ZOMBIE) != 0; */
static inline bool cap_is_zombie(const struct cap *c)
{
	return (c->flags & CAP_FLAG_ZOMBIE) != 0;
}

/* True iff every right in `a` is also in `b`. */
/*@ assigns \nothing;
    ensures \result <==> (a & b) == a; */
static inline bool cap_rights_within(uint32_t a, uint32_t b)
{
	return (a & b) == a; /* (a & ~b) == 0: a's bits are all in b */
}

/*@ assigns \nothing;
    ensures \result <==> (r & SEL_RIGHTS_ALL) == r; */
static inline bool cap_rights_valid(uint32_t r)
{
	return cap_rights_within(r, SEL_RIGHTS_ALL);
}

/* The CNode Mint/Mutate data word that sets a guard. */
static inline uint64_t cap_cnode_guard_data(uint64_t guard, uint32_t guard_bits)
{
	return (guard << CAP_GUARD_BITS_WIDTH) | (uint64_t)guard_bits;
}

/* --- object_table.c: sizes and derivation rules, one row per type. --- */

enum cap_data_kind {
	CAP_DATA_NONE = 0, /* Mint/Mutate data must be 0 */
	CAP_DATA_BADGE,    /* data is the badge */
	CAP_DATA_GUARD,    /* data is cap_cnode_guard_data() */
};

struct cap_type_info {
	uint64_t size_mask;  /* retype size_bits accepted (bit b = b ok); 0: fixed */
	uint8_t fixed_bits;  /* log2 object size of a fixed-size type */
	uint8_t bits_offset; /* variable size: object bits = size_bits + this */
	uint8_t retypeable;  /* may be created by untyped_retype() */
	uint8_t device_ok;   /* may be carved from device Untyped */
	uint8_t copyable;    /* Copy and Mint allowed */
	uint8_t data;        /* enum cap_data_kind */
	uint8_t clear_words; /* Copy/Mint clear word0/word1 (mapping state) */
	uint8_t ref_type;    /* the type of object the cap refers to */
};

/* A derivation that changes the type (cdt_insert_child). */
struct cap_derivation {
	uint8_t parent_type;
	uint8_t child_type;
	uint8_t same_object; /* child refers to the parent's object */
	uint8_t needs_right; /* right the parent must hold (0: none) */
};

const struct cap_type_info *cap_type_info(uint32_t type);
const struct cap_derivation *cap_derivation_find(uint32_t parent_type, uint32_t child_type);
uint32_t cap_object_bits(const struct cap *c);
bool cap_same_object(const struct cap *a, const struct cap *b);
uint64_t cap_container_count(const struct cap *c);
struct cte *cap_container_slots(const struct cap *c);
enum sel_error cap_retype_bits(uint32_t type, uint32_t size_bits, uint32_t *obj_bits);

/* --- cdt_list.c and cdt.c: the tree and the derivations. --- */

void cdt_init(struct cdt *cdt);
enum sel_error cdt_insert_root(struct cdt *cdt, struct cte *dest, struct cap cap);
enum sel_error cdt_copy(struct cdt *cdt, struct cte *src, struct cte *dest, uint32_t rights);
enum sel_error cdt_mint(struct cdt *cdt, struct cte *src, struct cte *dest, uint32_t rights,
                        uint64_t data);
enum sel_error cdt_move(struct cdt *cdt, struct cte *src, struct cte *dest);
enum sel_error cdt_mutate(struct cdt *cdt, struct cte *src, struct cte *dest, uint32_t rights,
                          uint64_t data);
enum sel_error cdt_insert_child(struct cdt *cdt, struct cte *parent, struct cte *dest,
                                struct cap newcap);
bool cdt_has_children(const struct cte *slot);
struct cte *cdt_parent(const struct cte *slot);
bool cdt_is_final(const struct cte *slot);
struct cap_identity cap_identify(const struct cte *slot);

/* --- delete.c: deletion, revocation, dying containers. --- */

enum sel_error cdt_delete(struct cdt *cdt, struct cte *slot);
enum sel_error cdt_revoke(struct cdt *cdt, struct cte *slot);

/* --- untyped_retype.c --- */

enum sel_error untyped_retype(struct cdt *cdt, struct cte *ut, uint32_t type, uint32_t size_bits,
                              struct cte *dest, uint64_t count);
enum sel_error untyped_reset(struct cte *ut);

/* --- cspace.c: address resolution. --- */

enum cspace_fault_kind {
	CSPACE_FAULT_NONE = 0,
	CSPACE_FAULT_BAD_DEPTH,      /* depth is 0 or above 64: SEL_ERR_RANGE */
	CSPACE_FAULT_INVALID_ROOT,   /* root slot holds no usable CNode */
	CSPACE_FAULT_GUARD_MISMATCH, /* the guard bits differ */
	CSPACE_FAULT_DEPTH_MISMATCH, /* fewer bits left than a level needs */
	CSPACE_FAULT_NOT_CNODE,      /* bits left but the slot is no CNode */
};

struct cspace_fault {
	uint32_t kind;      /* enum cspace_fault_kind */
	uint32_t bits_left; /* address bits not yet resolved at the failure */
};

enum sel_error cspace_lookup(struct cte *root, uint64_t cptr, uint32_t depth,
                             struct cte **slot_out);
enum sel_error cspace_resolve(struct cte *root, uint64_t cptr, uint32_t depth,
                              struct cte **slot_out, struct cspace_fault *fault);

/* --- Hooks the kernel implements (host tests provide stubs). --- */

/*
 * The last cap to an object was deleted: release the object's kernel state
 * (wake waiters with an error, unmap, unbind, suspend a thread). `cap` is a
 * copy; the core no longer refers to the object except, for CNode and TCB,
 * through the zombie that empties its slots next. Called exactly once per
 * object. Must not touch any slot.
 */
/*@ requires \valid_read(cap);
    assigns \nothing; */
void cap_object_finalise(struct cap *cap);

/*
 * A cap is about to leave its slot for good (Delete, Revoke, or a dying
 * container's contents): release what this one cap holds (a mapping made
 * through it). Called for every cap deleted, before cap_object_finalise()
 * if it was the last. Must not touch any slot.
 */
/*@ requires \valid_read(cap);
    assigns \nothing; */
void cap_removed(const struct cap *cap);

/*
 * untyped_retype() carved a new object at `addr`: initialise its memory
 * (zero it unless `device`). The core itself empties the slots of a new
 * CNode, TCB or Window afterwards. Must not touch any slot outside the object.
 */
/*@ assigns \nothing; */
void cap_object_init(enum sel_object_type type, uintptr_t addr, uint64_t size_bits, bool device);

/* True if an interrupt is pending and a long operation should stop. */
/*@ assigns \nothing; */
bool cap_preemption_point(void);

#endif /* SELENE_CAP_CAP_H */
