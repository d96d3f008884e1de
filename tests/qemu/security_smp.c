/*
 * Address spaces across harts (docs/security-vm.md), under multi-threaded
 * TCG only: a hart that runs an address space stays in its shootdown set
 * after a flush made on another hart, and deleting a VSpace stops a thread
 * running in it on another hart before the call returns. Positive
 * controls: SEC_0090 (inject=vspace-no-evict) and SEC_0091
 * (inject=asid-drop-running).
 */
#include <sel/debug.h>
#include <sel/fault.h>
#include "ipc_util.h"

/* ld t0, 0(a0); addi t0, t0, 1; sd t0, 0(a0); j .-12 */
static const uint32_t counter_code[] = {0x00053283u, 0x00128293u, 0x00553023u, 0xff5ff06fu};

#define TICKS_PER_MS 10000ull /* `time` runs at 10 MHz on QEMU virt */

/* Waits until *v changes from `from` or `ms` pass; the last value seen. */
static uint64_t wait_change(volatile uint64_t *v, uint64_t from, uint64_t ms)
{
	uint64_t start = sel_rdtime();

	while (*v == from && sel_rdtime() - start < ms * TICKS_PER_MS)
		;
	return *v;
}

TEST(SEC_0010, "deleting a VSpace stops the thread running in it on another hart before it returns")
{
	uint64_t ut, vs, tcb, d, copy = slot_new(), harts = sel_debug_info(SEL_INFO_HARTS_ONLINE);
	uint64_t other = (sel_debug_info(SEL_INFO_HART_ID) + 1) % harts;
	uint64_t mine = REGION(3) + (1ull << 29) + 0x1000, theirs = REGION(3) + 0x1000;
	volatile uint64_t *counter = (volatile uint64_t *)mine;
	struct sel_thread_info st;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, code_thread(ut, 3, counter_code, 4, theirs, &vs, &tcb), SEL_OK);
	CHECK_EQ(t, frame_at(ut, SEL_SLOT_VSPACE, mine, RW, &d), SEL_OK);
	CHECK_EQ(t, sel_cnode_copy(ROOT, copy, d, FULL, SEL_RIGHTS_ALL), SEL_OK);
	CHECK_EQ(t, sel_frame_map(copy, vs, theirs, RW), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_affinity(tcb, other), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(tcb), SEL_OK);
	CHECK(t, wait_change(counter, 0, 2000) != 0);
	CHECK(t, wait_change(counter, *counter, 2000) != 0); /* it runs there */
	/* Its TCB's copy goes with the revoke, then the last cap: the VSpace is freed. */
	CHECK_EQ(t, sel_cnode_revoke(ROOT, vs, FULL, 0), SEL_OK);
	CHECK_EQ(t, sel_cnode_delete(ROOT, vs, FULL, 0), SEL_OK);
	uint64_t at_delete = *counter;
	CHECK_EQ(t, sel_tcb_get_state(tcb, &st), SEL_OK);
	CHECK_EQ(t, st.state, SEL_THREAD_INACTIVE);
	CHECK_EQ(t, wait_change(counter, at_delete, 30),
	         at_delete); /* 3 ticks: not one more store */
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

static volatile uint64_t reads, faulted_after, started;
static volatile uint64_t *watched;

static void reader_body(void *arg)
{
	(void)arg;
	for (;;) {
		(void)*watched;
		reads = reads + 1;
	}
}

static void reader(uint64_t arg)
{
	struct sel_fault_info fi;

	(void)arg;
	started = 1;
	if (sel_catch_fault(reader_body, 0, &fi))
		faulted_after = reads + 1;
}

TEST(SEC_0011,
     "after a flush on this hart, an unmap still reaches the other hart running the space")
{
	uint64_t ut, fr, other_fr, tcb, harts = sel_debug_info(SEL_INFO_HARTS_ONLINE);
	uint64_t other = (sel_debug_info(SEL_INFO_HART_ID) + 1) % harts;
	uint64_t va = REGION(4);

	CHECK_EQ(t, untyped_new(19, &ut), SEL_OK);
	CHECK_EQ(t, cover(ut, SEL_SLOT_VSPACE, va), SEL_OK);
	CHECK_EQ(t, frame_at(ut, SEL_SLOT_VSPACE, va, RW, &fr), SEL_OK);
	watched = (volatile uint64_t *)va;
	CHECK_EQ(t, ipc_thread_opts(ut, reader, 0, 1, &tcb), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_affinity(tcb, other), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(tcb), SEL_OK);
	CHECK(t, wait_flag(&started, IPC_PATIENCE));
	while (reads < 1000)
		;
	/* A flush of this ASID made here, while the reader runs there. */
	CHECK_EQ(t, frame_at(ut, SEL_SLOT_VSPACE, va + 4096, RW, &other_fr), SEL_OK);
	CHECK_EQ(t, sel_frame_unmap(other_fr), SEL_OK);
	uint64_t after_flush = reads;
	while (reads < after_flush + 1000) /* it reads the page again: translated anew */
		;
	CHECK_EQ(t, sel_frame_unmap(fr), SEL_OK);
	uint64_t at_unmap = reads;
	uint64_t start = sel_rdtime();
	while (!faulted_after && sel_rdtime() - start < 2000 * TICKS_PER_MS)
		;
	CHECK(t, faulted_after != 0);
	CHECK(t, faulted_after <= at_unmap + 2);
}
