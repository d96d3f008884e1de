/*
 * List primitives of the derivation tree, shared by the files of
 * kernel/cap/ and by nothing else. Each keeps struct cdt's invariants
 * (cap.h) on its own; none checks arguments beyond cap_assert().
 */
#ifndef SELENE_CAP_CDT_INTERNAL_H
#define SELENE_CAP_CDT_INTERNAL_H

#include "cap/cap.h"
#include "cap/cap_spec.h"

/* Make `c` an empty slot: every field zero. */
void cte_clear(struct cte *c);
/* Link the empty slot `node` (already filled in) right after `pos`. */
void cdt_link_after(struct cdt *cdt, struct cte *pos, struct cte *node);
/* Link the empty slot `node` (already filled in) at the head of the list. */
void cdt_link_head(struct cdt *cdt, struct cte *node);
/* Take `node` out of the list as it is (its descendants are not touched). */
void cdt_unlink(struct cdt *cdt, struct cte *node);
/* Remove `node` from the tree: its descendants move up one level, so its
 * children become its parent's; O(number of descendants). */
void cdt_remove(struct cdt *cdt, struct cte *node);
/* The empty slot `dest` takes `src`'s place in the list; `src` becomes empty. */
void cdt_relocate(struct cdt *cdt, struct cte *src, struct cte *dest);
/* Fill the empty slot `dest` with `cap` as a new child of `parent`. */
void cdt_insert_new(struct cdt *cdt, struct cte *parent, struct cte *dest, const struct cap *cap,
                    uint32_t gen);

#endif /* SELENE_CAP_CDT_INTERNAL_H */
