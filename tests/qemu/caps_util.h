/*
 * Helpers for the capability tests: fresh slots in the root CNode, private
 * Untyped memory, object creation and Identify shorthands. Every helper
 * that can fail returns the kernel's error; tests CHECK it.
 */
#ifndef SELENE_TESTS_CAPS_UTIL_H
#define SELENE_TESTS_CAPS_UTIL_H

#include <sel/cap.h>
#include <selene/bootinfo.h>
#include "test.h"

extern const struct sel_bootinfo *test_bootinfo;

#define ROOT SEL_SLOT_CNODE
#define FULL SEL_DEPTH_FULL

/* A fresh empty slot (or n consecutive ones) of the root CNode. */
uint64_t slot_new(void);
uint64_t slots_new(uint64_t n);
/* The slot allocator's position, and going back to it (slots emptied first). */
uint64_t slots_mark(void);
void slots_release(uint64_t mark);
/* A new RAM Untyped of 2^bits bytes, carved from the test's Untyped. */
int untyped_new(uint32_t bits, uint64_t *slot);
/* A device Untyped this test may use (0: none). */
uint64_t device_untyped(void);
/* One object of `type` (size_bits for variable-size types) from `ut`. */
int object_new(uint64_t ut, enum sel_object_type type, uint32_t size_bits, uint64_t *slot);
/* Identify a root CNode slot. */
struct sel_identity ident(uint64_t slot);
/* True if two identities are equal field by field. */
int ident_eq(struct sel_identity a, struct sel_identity b);

#endif /* SELENE_TESTS_CAPS_UTIL_H */
