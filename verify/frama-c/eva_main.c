/*
 * eva_main.c: the driver of the EVA run (run_eva.py) over kernel/cap/*.c.
 *
 * Builds, in static arrays, a root CNode of 16 slots, a second CNode of 4
 * slots and a 4 KiB Untyped, inserts the roots, and then calls the
 * operations with nondeterministic arguments (Frama_C_interval): Retype,
 * Copy, Mint, Mutate, Move, Identify, Delete, Revoke, Reset. The kernel hooks
 * are stubs here. Every cap_assert() is checked through cap_assert_fail()'s
 * precondition (requires \false): EVA reports an alarm if it may be reached.
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

static struct cte *any_slot(void)
{
	return &root_cnode[Frama_C_interval(0, (int)ROOT_SLOTS - 1)];
}

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
	(void)cdt_insert_root(&tree, &boot_slots[0], c);
	/* An Untyped of 4 KiB. */
	c.type = SEL_OBJ_UNTYPED;
	c.object = (uint64_t)(uintptr_t)ut_mem;
	c.size_bits = 12;
	(void)cdt_insert_root(&tree, &root_cnode[1], c);

	/* Retype Endpoints and Notifications into slots 2.. of the root CNode. */
	(void)untyped_retype(&tree, &root_cnode[1],
	                     (uint32_t)Frama_C_interval(SEL_OBJ_ENDPOINT, SEL_OBJ_NOTIFICATION), 0,
	                     &root_cnode[2], (uint64_t)Frama_C_interval(1, 4));

	/* Derivations between arbitrary slots. */
	(void)cdt_copy(&tree, any_slot(), any_slot(), any_rights());
	(void)cdt_mint(&tree, any_slot(), any_slot(), any_rights(), data);
	(void)cdt_mutate(&tree, any_slot(), any_slot(), any_rights(), data);
	(void)cdt_move(&tree, any_slot(), any_slot());
	(void)cap_identify(any_slot());

	/* Removal. */
	(void)cdt_delete(&tree, any_slot());
	(void)cdt_revoke(&tree, &root_cnode[1]);
	(void)untyped_reset(&root_cnode[1]);
	return 0;
}
