/*
 * The soak (docs/reliability.md): create and delete objects of every
 * retypeable type, mapped in every way the kernel maps (4 KiB and 2 MiB
 * frames, page tables, a second address space, windows, user-interrupt
 * senders installed), cycle after cycle, and measure the drift: memory
 * still carved from the Untyped once everything is deleted, and slots
 * still occupied. Both must stay 0.
 *
 * Boot argument soak-cycles=N replaces the test's cycle count (the
 * `robust` target's long run).
 */
#include <sel/cap.h>
#include <sel/print.h>
#include <sel/string.h>
#include <sel/thread.h>
#include <sel/uintr.h>
#include <sel/window.h>
#include "caps_util.h"
#include "process.h"
#include "proc_util.h"
#include "test.h"

extern struct test_shared *test_shared_page;

#define SOAK_MEMORY 20             /* the Untyped every cycle carves from */
#define SOAK_FIRST  40             /* the cycle's slots: 40..47 */
#define SOAK_REGION (210ull << 30) /* page tables in place: 4 KiB and 2 MiB frames */
#define SOAK_BARE   (211ull << 30) /* nothing in place: page tables map here */
#define SOAK_KINDS  12

static uint64_t soak_bootarg(const char *key, uint64_t dflt)
{
	const char *p = strstr(test_shared_page->bootargs, key);
	uint64_t v = 0;

	if (!p)
		return dflt;
	for (p += strlen(key); *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (uint64_t)(*p - '0');
	return v;
}

static int make(enum sel_object_type type, uint32_t bits, uint64_t slot)
{
	return sel_untyped_retype(SOAK_MEMORY, type, bits, ROOT, slot, 1);
}

/* One cycle of kind k: create, use, delete. Returns the first error. */
static int cycle(unsigned k)
{
	uint64_t a = SOAK_FIRST, b = SOAK_FIRST + 1, c = SOAK_FIRST + 2, d = SOAK_FIRST + 3;
	int err = SEL_OK;

	switch (k) {
	case 0: /* an Untyped and an object inside it; revoke, then delete */
		err = make(SEL_OBJ_UNTYPED, 14, a);
		if (!err)
			err = sel_untyped_retype(a, SEL_OBJ_ENDPOINT, 0, ROOT, b, 1);
		if (!err)
			err = sel_cnode_revoke(ROOT, a, FULL, 0);
		break;
	case 1: /* a CNode holding a copy of an endpoint, and a minted copy of the CNode */
		err = make(SEL_OBJ_CNODE, 4, a);
		if (!err)
			err = make(SEL_OBJ_ENDPOINT, 0, b);
		if (!err)
			err = sel_cnode_op(SEL_CNODE_COPY, sel_slot_in(a, 3, 4),
			                   sel_slot_in(ROOT, b, FULL), SEL_RIGHTS_ALL, 0);
		if (!err)
			err = sel_cnode_mint(ROOT, c, a, FULL, SEL_RIGHTS_ALL, 0);
		break;
	case 2: /* a TCB configured in this address space */
		err = make(SEL_OBJ_TCB, 0, a);
		if (!err)
			err = sel_tcb_configure(a, ROOT, SEL_SLOT_VSPACE, 0, 0);
		break;
	case 3: /* an endpoint and a badged chain of copies */
		err = make(SEL_OBJ_ENDPOINT, 0, a);
		if (!err)
			err = sel_cnode_mint(ROOT, b, a, FULL, SEL_RIGHTS_ALL, 7);
		if (!err)
			err = sel_cnode_copy(ROOT, c, b, FULL, SEL_RIGHT_WRITE);
		break;
	case 4: /* a notification and a copy */
		err = make(SEL_OBJ_NOTIFICATION, 0, a);
		if (!err)
			err = sel_cnode_copy(ROOT, b, a, FULL, SEL_RIGHTS_ALL);
		break;
	case 5: /* a 4 KiB frame mapped, written; deleted while mapped */
		err = make(SEL_OBJ_FRAME, 12, a);
		if (!err)
			err = sel_frame_map(a, SEL_SLOT_VSPACE, SOAK_REGION, RW);
		if (!err)
			*(volatile uint64_t *)SOAK_REGION = k;
		break;
	case 6: /* a copy of a frame mapped elsewhere, unmapped explicitly */
		err = make(SEL_OBJ_FRAME, 12, a);
		if (!err)
			err = sel_cnode_copy(ROOT, b, a, FULL, SEL_RIGHT_READ);
		if (!err)
			err = sel_frame_map(b, SEL_SLOT_VSPACE, SOAK_REGION + 4096, SEL_RIGHT_READ);
		if (!err)
			err = sel_frame_unmap(b);
		break;
	case 7: /* page tables into bare space: the first takes the root's entry */
		err = make(SEL_OBJ_PAGE_TABLE, 0, a);
		if (!err)
			err = sel_page_table_map(a, SEL_SLOT_VSPACE, SOAK_BARE);
		if (!err)
			err = make(SEL_OBJ_PAGE_TABLE, 0, b);
		if (!err)
			err = sel_page_table_map(b, SEL_SLOT_VSPACE, SOAK_BARE);
		break;
	case 8: /* a second address space with a frame in it; the VSpace goes first */
		err = make(SEL_OBJ_VSPACE, 0, a);
		if (!err)
			err = make(SEL_OBJ_PAGE_TABLE, 0, b);
		if (!err)
			err = sel_page_table_map(b, a, SOAK_BARE);
		if (!err)
			err = make(SEL_OBJ_PAGE_TABLE, 0, c);
		if (!err)
			err = sel_page_table_map(c, a, SOAK_BARE);
		if (!err)
			err = make(SEL_OBJ_FRAME, 12, d);
		if (!err)
			err = sel_frame_map(d, a, SOAK_BARE, RW);
		if (!err)
			err = sel_cnode_delete(ROOT, a, FULL, 0);
		break;
	case 9: /* a window mapped and unmapped */
		err = make(SEL_OBJ_WINDOW, 12, a);
		if (!err)
			err = sel_window_map(a, SEL_SLOT_VSPACE, SOAK_REGION + 8192, RW, 0, 0);
		if (!err)
			err = sel_window_unmap(a);
		break;
	case 10: /* a user-interrupt receiver and a sender, installed */
		err = make(SEL_OBJ_UINTR_RECEIVER, 0, a);
		if (!err)
			err = sel_uintr_create_sender(a, 5, ROOT, b, FULL);
		if (!err)
			err = sel_uintr_install(b, 3);
		if (!err)
			err = sel_uintr_send(3);
		if (!err)
			err = sel_uintr_uninstall(3);
		break;
	default: /* a 2 MiB frame mapped with the level-1 table */
		err = make(SEL_OBJ_FRAME, 21, a);
		if (!err)
			err = sel_frame_map(a, SEL_SLOT_VSPACE, SOAK_REGION + (2ull << 20), RW);
		if (!err)
			*(volatile uint64_t *)(SOAK_REGION + (2ull << 20)) = k;
		break;
	}
	for (uint64_t s = SOAK_FIRST + 4; s-- > SOAK_FIRST;) {
		int e = sel_cnode_delete(ROOT, s, FULL, 0);
		if (!err)
			err = e;
	}
	return err;
}

/* Occupied slots of the test's CNode. */
static unsigned occupied(void)
{
	unsigned n = 0;

	for (uint64_t s = 0; s < 256; s++) {
		struct sel_identity id;
		if (sel_cnode_identify(ROOT, s, FULL, &id) == SEL_OK && id.type != SEL_OBJ_NULL)
			n++;
	}
	return n;
}

TEST(ROBUST_0010, "soak: create and delete every object type and mapping kind, no drift")
{
	uint64_t cycles = soak_bootarg("soak-cycles=", 2400);
	struct sel_untyped_info before, after, mem;
	uint64_t failed = 0, first_err = 0, first_kind = 0;

	CHECK_EQ(t, cover(TEST_SLOT_UNTYPED, SEL_SLOT_VSPACE, SOAK_REGION), SEL_OK);
	CHECK_EQ(t,
	         sel_untyped_retype(TEST_SLOT_UNTYPED, SEL_OBJ_UNTYPED, 21, ROOT, SOAK_MEMORY, 1),
	         SEL_OK);
	CHECK_EQ(t, sel_untyped_info(TEST_SLOT_UNTYPED, &before), SEL_OK);
	unsigned slots_before = occupied();
	for (uint64_t i = 0; i < cycles; i++) {
		int err = cycle((unsigned)(i % SOAK_KINDS));
		if (err && !failed++) {
			first_err = (uint64_t)err;
			first_kind = i % SOAK_KINDS;
		}
	}
	unsigned slots_after = occupied();
	CHECK_EQ(t, sel_untyped_info(TEST_SLOT_UNTYPED, &after), SEL_OK);
	int reset = sel_untyped_reset(SOAK_MEMORY);
	CHECK_EQ(t, sel_untyped_info(SOAK_MEMORY, &mem), SEL_OK);
	uint64_t drift = (after.watermark - before.watermark) + mem.watermark;
	sel_printf("ROBUST soak_cycles %lu count\n", cycles);
	sel_printf("ROBUST soak_untyped_drift %lu bytes\n", drift);
	sel_printf("ROBUST soak_slot_drift %ld count\n", (long)slots_after - (long)slots_before);
	sel_printf("ROBUST soak_failed_cycles %lu count\n", failed);
	if (failed) {
		test_fail(t, __FILE__, __LINE__,
		          "%lu cycles failed, the first of kind %lu: error %lu", failed, first_kind,
		          first_err);
		return;
	}
	CHECK_EQ(t, reset, SEL_OK);
	CHECK_EQ(t, drift, 0);
	CHECK_EQ(t, slots_after, slots_before);
}
