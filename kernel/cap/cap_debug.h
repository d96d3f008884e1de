/*
 * Debug-build support of the capability core: the live-object registry, the
 * invariant checker and the corruption hooks that prove the checker works.
 *
 * Registry (registry.c). The checker must tell a live object from a freed
 * one, which the CDT alone cannot do. Debug builds keep an open-addressing
 * hash table, in memory the kernel (or a test) attaches with
 * cdt_debug_attach(), keyed by (object address, referred type, size bits).
 * An entry is created or revived when an object is created (retype, boot
 * insert, type-changing insert of a new object) and marked dead (live = 0)
 * when the object's last cap leaves the CDT (delete.c). Each creation bumps
 * the entry's generation; every slot records the generation of its object
 * (struct cte.obj_gen, inherited by copies), so a cap that outlived its
 * object is caught even after the memory was retyped into a new object of
 * the same type. A dead entry is a tombstone and is reused only when the
 * table would otherwise be full; a cap whose key is not found is reported
 * as pointing at a freed object. If the table fills up, reg_overflow is set
 * and check (5) is skipped from then on (the report says so).
 *
 * Checker (check.c) walks the whole list, bounded by cdt->nodes, and checks:
 *   1 LIST        acyclic, prev/next consistent, node count, no empty node;
 *   2 DEPTH       depth within CAP_DEPTH_MAX and exactly the parent's + 1
 *                 (0 for a node without parent);
 *   3 DERIVATION  the parent is a legal source: same object (copy), the
 *                 Untyped it was carved from, or a row of the type-changing
 *                 table; RIGHTS: a child's rights lie within its parent's
 *                 (same object or type-changing derivation); BADGE: the
 *                 child of a badged cap carries the same badge and only
 *                 badgeable types carry one;
 *   4 UNTYPED     children of an Untyped lie inside it, below its
 *                 watermark, do not overlap each other, and are device
 *                 objects iff the Untyped is device memory;
 *   5 FREED       no slot refers to a freed object (registry + generation);
 *     CONTIGUOUS  the caps to one object form one run in the list (what
 *                 cdt_is_final() relies on);
 *     ZOMBIE      the dying stack holds exactly the zombies in the list.
 * The walk keeps its ancestor stack in scratch memory attached with the
 * registry; without scratch (or beyond it) parents are found by scanning
 * backwards, which is slower but complete.
 *
 * This header is usable in release builds: the registry calls become empty
 * inline functions and the checker is not compiled.
 */
#ifndef SELENE_CAP_DEBUG_H
#define SELENE_CAP_DEBUG_H

#include "cap/cap.h"

struct cap_registry_entry {
	uint64_t object;
	uint64_t seen; /* checker scratch: epoch of the last run seen */
	uint32_t gen;  /* bumped at every creation with this key */
	uint16_t live; /* objects alive with this key (0: freed, a tombstone) */
	uint8_t type;  /* referred type (cap_type_info()->ref_type) */
	uint8_t bits;  /* log2 object size, 0 without memory */
	uint8_t used;  /* 0: never used, ends a probe sequence */
	uint8_t reserved[7];
};
CAP_STATIC_ASSERT(sizeof(struct cap_registry_entry) == 32, "registry entry is 32 bytes");

enum cap_invariant {
	CAP_INV_NONE = 0,
	CAP_INV_LIST,
	CAP_INV_DEPTH,
	CAP_INV_DERIVATION,
	CAP_INV_RIGHTS,
	CAP_INV_BADGE,
	CAP_INV_UNTYPED,
	CAP_INV_FREED,
	CAP_INV_CONTIGUOUS,
	CAP_INV_ZOMBIE,
	CAP_INV_COUNT
};

struct cap_check_report {
	uint32_t failed;        /* enum cap_invariant; CAP_INV_NONE if all hold */
	const struct cte *slot; /* the slot where the failure was seen */
	uint64_t index;         /* its position in the list (0 = head) */
	const char *detail;     /* what exactly was wrong */
	uint64_t nodes;         /* nodes walked */
	bool registry_checked;  /* check (5) ran */
};

/* What cap_debug_corrupt() breaks; each breaks exactly one invariant. */
enum cap_corruption {
	CAP_CORRUPT_LIST = 0,   /* slot->next->prev points elsewhere */
	CAP_CORRUPT_DEPTH,      /* slot (a leaf) one level deeper than its parent + 1 */
	CAP_CORRUPT_DERIVATION, /* slot takes `other`'s object (same type, other run) */
	CAP_CORRUPT_RIGHTS,     /* slot gains a right its parent lacks */
	CAP_CORRUPT_BADGE,      /* slot's badge changes (slot: child of a badged cap) */
	CAP_CORRUPT_UNTYPED,    /* slot (an Untyped with children): watermark to 0 */
	CAP_CORRUPT_FREED,      /* slot's object is marked freed in the registry */
	CAP_CORRUPT_CONTIGUOUS, /* slot (a leaf) is moved to the list's tail as a root */
	CAP_CORRUPT_ZOMBIE,     /* slot is flagged a zombie without being on the stack */
	CAP_CORRUPT_COUNT
};

#ifdef SELENE_DEBUG

void cdt_debug_attach(struct cdt *cdt, struct cap_registry_entry *reg, uint64_t reg_capacity,
                      const struct cte **scratch, uint64_t scratch_capacity);
/* The registry writes its own entries and counters, never a slot. */
/*@ requires \valid(cdt) && \valid_read(c);
    assigns cdt->reg[0 .. cdt->reg_capacity - 1], cdt->reg_gen, cdt->reg_overflow; */
uint32_t cap_registry_add(struct cdt *cdt, const struct cap *c);
/*@ requires \valid(cdt) && \valid_read(c);
    assigns cdt->reg[0 .. cdt->reg_capacity - 1], cdt->reg_overflow; */
void cap_registry_remove(struct cdt *cdt, const struct cap *c);
struct cap_registry_entry *cap_registry_find(struct cdt *cdt, const struct cap *c);

bool cap_check_invariants(struct cdt *cdt, struct cap_check_report *report);
const char *cap_invariant_name(uint32_t inv);
bool cap_debug_corrupt(struct cdt *cdt, enum cap_corruption kind, struct cte *slot,
                       struct cte *other);

#else

static inline uint32_t cap_registry_add(struct cdt *cdt, const struct cap *c)
{
	(void)cdt;
	(void)c;
	return 0;
}

static inline void cap_registry_remove(struct cdt *cdt, const struct cap *c)
{
	(void)cdt;
	(void)c;
}

#endif /* SELENE_DEBUG */

#endif /* SELENE_CAP_DEBUG_H */
