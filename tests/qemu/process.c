/*
 * Tests that run each in a fresh process (process mode): what a test
 * process holds, what it may do with its own Untyped, and how the driver
 * reports a process that faults or hangs while the run goes on.
 */
#include <sel/cap.h>
#include <sel/fault.h>
#include <sel/thread.h>
#include <selene/bootinfo.h>
#include "process.h"
#include "test.h"

extern struct test_shared *test_shared_page;

static uint64_t type_at(uint64_t slot)
{
	struct sel_identity id;

	if (sel_cnode_identify(SEL_SLOT_CNODE, slot, SEL_DEPTH_FULL, &id) != SEL_OK)
		return ~0ull;
	return id.type;
}

TEST(PROC_0101, "a test process holds exactly what the driver gave it, nothing of the root's")
{
	CHECK_EQ(t, type_at(SEL_SLOT_CNODE), SEL_OBJ_CNODE);
	CHECK_EQ(t, type_at(SEL_SLOT_VSPACE), SEL_OBJ_VSPACE);
	CHECK_EQ(t, type_at(SEL_SLOT_DEBUG), SEL_OBJ_DEBUG);
	CHECK_EQ(t, type_at(SEL_SLOT_TCB), SEL_OBJ_TCB);
	CHECK_EQ(t, type_at(TEST_SLOT_UNTYPED), SEL_OBJ_UNTYPED);
	CHECK_EQ(t, type_at(TEST_SLOT_DEVICE), SEL_OBJ_UNTYPED);
	CHECK_EQ(t, type_at(TEST_SLOT_RTC_IRQ), SEL_OBJ_IRQ_HANDLER); /* QEMU virt has the RTC */
	for (uint64_t s = 0; s < 256; s++)
		if (s != SEL_SLOT_CNODE && s != SEL_SLOT_VSPACE && s != SEL_SLOT_DEBUG &&
		    s != SEL_SLOT_TCB && s != TEST_SLOT_UNTYPED && s != TEST_SLOT_DEVICE &&
		    s != TEST_SLOT_RTC_IRQ)
			CHECK_EQ(t, type_at(s), SEL_OBJ_NULL);
	/* Addresses beyond its 256-slot CNode do not resolve. */
	CHECK_EQ(t, sel_invoke(300, SEL_UNTYPED_INFO, 0, 0, 0, 0, 0, 0), SEL_ERR_INVALID_CAP);
	/* Its debug cap prints and nothing more; its TCB cap is its own thread. */
	struct sel_identity id;
	CHECK_EQ(t, sel_cnode_identify(SEL_SLOT_CNODE, SEL_SLOT_DEBUG, SEL_DEPTH_FULL, &id),
	         SEL_OK);
	CHECK_EQ(t, id.rights, SEL_DEBUG_RIGHT_WRITE);
	CHECK_EQ(t, sel_invoke(SEL_SLOT_TCB, SEL_TCB_GET_STATE, 0, 0, 0, 0, 0, 0), SEL_OK);
}

TEST(PROC_0102, "a test process carves objects from its own Untyped and frees them")
{
	struct sel_untyped_info info;

	CHECK_EQ(t, sel_untyped_info(TEST_SLOT_UNTYPED, &info), SEL_OK);
	CHECK_EQ(t, info.size_bits, test_shared_page->untyped_bits);
	CHECK_EQ(t, info.watermark, 0); /* the previous test's objects are gone */
	CHECK_EQ(t,
	         sel_untyped_retype(TEST_SLOT_UNTYPED, SEL_OBJ_ENDPOINT, 0, SEL_SLOT_CNODE, 20, 4),
	         SEL_OK);
	CHECK_EQ(t, type_at(23), SEL_OBJ_ENDPOINT);
	CHECK_EQ(t, sel_cnode_revoke(SEL_SLOT_CNODE, TEST_SLOT_UNTYPED, SEL_DEPTH_FULL, 0), SEL_OK);
	CHECK_EQ(t, type_at(23), SEL_OBJ_NULL);
}

EXPECT_FAULT(PROC_0103, "a process that faults is reported as such, and the next test still runs")
{
	(void)t;
	*(volatile uint64_t *)0x3000000000ull = 1;
}

EXPECT_HANG(PROC_0104, "a process that spins past its time budget is stopped, and the run goes on")
{
	(void)t;
	for (;;)
		;
}

TEST(PROC_0105, "the run went on after a faulting and a hanging test: this one runs and passes")
{
	CHECK_EQ(t, type_at(TEST_SLOT_UNTYPED), SEL_OBJ_UNTYPED);
}
