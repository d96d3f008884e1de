/*
 * Address-space identifiers.
 *
 * Every VSpace gets an ASID when it is created, so switching between
 * address spaces writes satp and never fences. An ASID is fenced (on every
 * hart) only when it is recycled: asid_free() marks it dirty, and
 * asid_alloc() fences a dirty ASID before handing it out again. ASID 0 is
 * the kernel's; when all ASID_COUNT - 1 are in use a VSpace gets ASID 0 and
 * pays a fence on every switch to it (vspace_activate).
 * Invariant: asid_owner[a] != NULL iff ASID a is in use by that VSpace;
 * a hart may hold TLB entries tagged a only if its bit is set in
 * harts_seen[a] (set before satp is written, cleared only by a flush).
 * Big kernel lock.
 */
#ifndef SELENE_ARCH_ASID_H
#define SELENE_ARCH_ASID_H

#include "lib/types.h"

#define ASID_COUNT 4096u

uint32_t asid_alloc(void *owner);
/* ASIDs in use now. */
uint32_t asid_in_use(void);
void asid_free(uint32_t asid);
/* The VSpace that owns `asid`, or NULL. */
void *asid_owner(uint32_t asid);
/* This hart is about to run with `asid`: it may cache its translations. */
void asid_note_active(uint32_t asid);
/*
 * Flushes `asid`'s translations on every hart that may cache them (those
 * that ran with it since its last flush): this hart with sfence.vma, the
 * others with an SBI remote fence, before returning.
 */
void asid_flush(uint32_t asid);

#endif /* SELENE_ARCH_ASID_H */
