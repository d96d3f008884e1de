/*
 * eva_main.c: the driver of the EVA run (run_eva.py) over kernel/cap/*.c.
 *
 * Builds, in static arrays, a root CNode of 16 slots and a 4 KiB Untyped,
 * inserts the roots, and then calls the operations on fixed slots, as their
 * contracts require, with nondeterministic arguments (Frama_C_interval):
 * Retype, Copy, Mint, Mutate, Move, Identify, Delete, Revoke, Reset. The
 * kernel hooks are stubs here. Every cap_assert() is checked through
 * cap_assert_fail()'s precondition (requires \false): if the call may be
 * reached, EVA gives that precondition the status "invalid" and run_eva.py
 * fails.
 */
#include "__fc_builtin.h"
#include "cap/cap.h"
#include "cap/cap_assert.h"
#include "cap/cap_debug.h"

void cap_object_finalise(struct cap *cap)
{
	(void)cap;
}

void cap_removed(const struct cap *cap)
{
	(void)cap;
}

void cap_object_init(enum sel_object_type type, uintptr_t addr, uint64_t size_bits, bool device)
{
	(void)type;
	(void)addr;
	(void)size_bits;
	(void)device;
}

bool cap_preemption_point(void)
{
	return Frama_C_interval(0, 1) != 0;
}

void cap_assert_fail(const char *expr, const char *why, const char *file, int line)
{
	(void)expr;
	(void)why;
	(void)file;
	(void)line;
	for (;;) {
	}
}

#define ROOT_RADIX 4u
#define ROOT_SLOTS (1u << ROOT_RADIX)

/* CNodes are aligned to their size, as retype and boot place them. */
static struct cte root_cnode[ROOT_SLOTS] __attribute__((aligned(1024)));
static struct cte boot_slots[2];
static uint8_t ut_mem[4096] __attribute__((aligned(4096)));
static struct cdt tree;

static uint32_t any_rights(void)
{
	return (uint32_t)Frama_C_interval(0, 0x3f);
}

static uint32_t valid_rights(void)
{
	return (uint32_t)Frama_C_interval(0, SEL_RIGHTS_ALL);
}

static uint32_t invalid_rights(void)
{
	return (uint32_t)Frama_C_interval(SEL_RIGHTS_ALL + 1, 0x3f);
}

static struct cte *any_slot(void)
{
	return &root_cnode[Frama_C_interval(0, (int)ROOT_SLOTS - 1)];
}

/*
 * The slots are fixed, so that every call meets its contract: source and
 * destination distinct (and distinct from the source's neighbours), every
 * slot zero-initialised (static storage), i.e. empty and unlinked, until an
 * operation fills it, and the tree built only through the operations. Only
 * the rights, the data word, the object type and the preemption points are
 * nondeterministic. After setup the list is
 *   root_cnode[1] (Untyped, depth 0), [5], [4], [3], [2] (its children,
 *   depth 1), boot_slots[0] (root CNode, depth 0).
 */
int main(void)
{
	struct cap c = {0};
	uint64_t data = (uint64_t)Frama_C_interval(0, 0x7ff);

	cdt_init(&tree);
	/* The root CNode, as boot creates it. */
	c.type = SEL_OBJ_CNODE;
	c.rights = SEL_RIGHTS_ALL;
	c.object = (uint64_t)(uintptr_t)root_cnode;
	c.size_bits = ROOT_RADIX;
	if (cdt_insert_root(&tree, &boot_slots[0], c) != SEL_OK) {
		return 1;
	}
	/* An Untyped of 4 KiB. */
	c.type = SEL_OBJ_UNTYPED;
	c.object = (uint64_t)(uintptr_t)ut_mem;
	c.size_bits = 12;
	if (cdt_insert_root(&tree, &root_cnode[1], c) != SEL_OK) {
		return 1;
	}

	/* Retype four Endpoints or Notifications into slots 2 to 5. */
	if (untyped_retype(&tree, &root_cnode[1],
	                   (uint32_t)Frama_C_interval(SEL_OBJ_ENDPOINT, SEL_OBJ_NOTIFICATION), 0,
	                   &root_cnode[2], 4) != SEL_OK) {
		return 1;
	}

	/* Copy and Mint into empty slots with valid rights: both succeed. */
	(void)cdt_copy(&tree, &root_cnode[2], &root_cnode[6], valid_rights());
	(void)cdt_mint(&tree, &root_cnode[3], &root_cnode[7], valid_rights(), data);
	/*
	 * Refused, changing nothing: rights outside SEL_RIGHTS_ALL, an occupied
	 * destination, an empty source, an Untyped source (not copyable).
	 */
	(void)cdt_copy(&tree, &root_cnode[2], &root_cnode[12], invalid_rights());
	(void)cdt_mint(&tree, &root_cnode[2], &root_cnode[4], any_rights(), data);
	(void)cdt_mint(&tree, &root_cnode[10], &root_cnode[11], any_rights(), data);
	(void)cdt_copy(&tree, &root_cnode[1], &root_cnode[12], any_rights());
	/* Mutate slot 4 into slot 8, Move slot 5 into slot 9: both succeed. */
	(void)cdt_mutate(&tree, &root_cnode[4], &root_cnode[8], valid_rights(), data);
	(void)cdt_move(&tree, &root_cnode[5], &root_cnode[9]);
	(void)cap_identify(any_slot());

	/* Removal. */
	(void)cdt_delete(&tree, &root_cnode[6]);
	(void)cdt_revoke(&tree, &root_cnode[1]);
	(void)untyped_reset(&root_cnode[1]);
	return 0;
}
