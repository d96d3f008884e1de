/*
 * Helpers for the capability tests: see caps_util.h.
 *
 * They serve both drivers: in the root task (test_bootinfo set) slots come
 * from the root CNode and Untyped from the largest boot Untyped; in a test
 * process (process mode) from the process's own CNode and the Untyped the
 * driver gave it (tests/harness/process.h).
 */
#include "caps_util.h"
#include "process.h"

static uint64_t next_slot;

uint64_t slots_new(uint64_t n)
{
	if (!next_slot)
		next_slot = test_bootinfo ? test_bootinfo->first_free_slot : TEST_SLOT_FIRST_FREE;
	uint64_t s = next_slot;
	next_slot += n;
	return s;
}

uint64_t slots_mark(void)
{
	return slots_new(0);
}

void slots_release(uint64_t mark)
{
	next_slot = mark;
}

uint64_t slot_new(void)
{
	return slots_new(1);
}

static uint64_t largest_ram_untyped(void)
{
	const struct sel_untyped_desc *best = 0;

	if (!test_bootinfo)
		return TEST_SLOT_UNTYPED;
	for (uint32_t i = 0; i < test_bootinfo->n_untyped; i++) {
		const struct sel_untyped_desc *u = &test_bootinfo->untyped[i];
		if (!u->is_device && (!best || u->size_bits > best->size_bits))
			best = u;
	}
	return best ? best->slot : 0;
}

int untyped_new(uint32_t bits, uint64_t *slot)
{
	*slot = slot_new();
	return sel_untyped_retype(largest_ram_untyped(), SEL_OBJ_UNTYPED, bits, ROOT, *slot, 1);
}

int object_new(uint64_t ut, enum sel_object_type type, uint32_t size_bits, uint64_t *slot)
{
	*slot = slot_new();
	return sel_untyped_retype(ut, type, size_bits, ROOT, *slot, 1);
}

struct sel_identity ident(uint64_t slot)
{
	struct sel_identity id;

	if (sel_cnode_identify(ROOT, slot, FULL, &id) != SEL_OK)
		id.type = ~0ull;
	return id;
}

int ident_eq(struct sel_identity a, struct sel_identity b)
{
	return a.type == b.type && a.rights == b.rights && a.badge == b.badge &&
	       a.size_bits == b.size_bits && a.flags == b.flags;
}

uint64_t device_untyped(void)
{
	if (!test_bootinfo)
		return TEST_SLOT_DEVICE;
	for (uint32_t i = 0; i < test_bootinfo->n_untyped; i++)
		if (test_bootinfo->untyped[i].is_device)
			return test_bootinfo->untyped[i].slot;
	return 0;
}
