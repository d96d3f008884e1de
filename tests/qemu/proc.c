/*
 * Threads and address spaces: TCB life cycle, registers, suspend and
 * resume, faults reported to the supervisor, preemption of a spinning
 * thread, page tables and frames (rights, errors, unmapping everywhere),
 * threads in other address spaces, ASIDs, and creating and destroying
 * address spaces without drift.
 */
#include <sel/fault.h>
#include <sel/string.h>
#include "proc_util.h"

static volatile uint64_t counter;

static void count_forever(uint64_t step)
{
	for (;;)
		counter += step;
}

static void exit_with(uint64_t code)
{
	sel_exit((int)code);
}

static void load_from(uint64_t addr)
{
	(void)*(volatile uint64_t *)addr;
	sel_exit(0);
}

TEST(PROC_0001, "a new thread runs, exits with a code, and its supervisor reads it")
{
	uint64_t ut, tcb;
	struct sel_thread_info st;

	CHECK_EQ(t, untyped_new(14, &ut), SEL_OK);
	CHECK_EQ(t, thread_in_root(ut, exit_with, 42, 0, &tcb), SEL_OK);
	CHECK_EQ(t, sel_tcb_get_state(tcb, &st), SEL_OK);
	CHECK(t, st.state == SEL_THREAD_INACTIVE && st.reason == SEL_STOP_NONE);
	CHECK_EQ(t, sel_tcb_resume(tcb), SEL_OK);
	CHECK(t, wait_stopped(tcb, &st, 1000));
	CHECK_EQ(t, st.reason, SEL_STOP_EXITED);
	CHECK_EQ(t, st.code, 42);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(PROC_0002, "registers written to a thread read back exactly")
{
	uint64_t ut, tcb;
	struct sel_user_regs in, out;

	CHECK_EQ(t, untyped_new(14, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_TCB, 0, &tcb), SEL_OK);
	in.pc = 0x1234568;
	for (int i = 0; i < 31; i++)
		in.x[i] = 0x5e1e000000000000ull ^ ((uint64_t)i << 40) ^ (uint64_t)i * 0x9e3779b9ull;
	CHECK_EQ(t, sel_tcb_write_registers(tcb, &in), SEL_OK);
	memset(&out, 0, sizeof(out));
	CHECK_EQ(t, sel_tcb_read_registers(tcb, &out), SEL_OK);
	CHECK_EQ(t, memcmp(&in, &out, sizeof(in)), 0);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(PROC_0003, "suspend stops a spinning thread, resume continues it; preemption shares the CPU")
{
	uint64_t ut, tcb;
	struct sel_thread_info st;

	CHECK_EQ(t, untyped_new(14, &ut), SEL_OK);
	CHECK_EQ(t, thread_in_root(ut, count_forever, 1, 1, &tcb), SEL_OK);
	counter = 0;
	CHECK_EQ(t, sel_tcb_resume(tcb), SEL_OK);
	/* The child never yields: we run again only because the timer preempts it. */
	for (int i = 0; i < 3 && counter == 0; i++)
		sel_yield();
	CHECK(t, counter > 0);
	CHECK_EQ(t, sel_tcb_suspend(tcb), SEL_OK);
	CHECK_EQ(t, sel_tcb_get_state(tcb, &st), SEL_OK);
	CHECK(t, st.state == SEL_THREAD_INACTIVE && st.reason == SEL_STOP_SUSPENDED);
	uint64_t frozen = counter;
	for (int i = 0; i < 5; i++)
		sel_yield();
	CHECK_EQ(t, counter, frozen);
	CHECK_EQ(t, sel_tcb_resume(tcb), SEL_OK);
	for (int i = 0; i < 3 && counter == frozen; i++)
		sel_yield();
	CHECK(t, counter > frozen);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK); /* destroys the thread */
	frozen = counter;
	for (int i = 0; i < 5; i++)
		sel_yield();
	CHECK_EQ(t, counter, frozen);
}

TEST(PROC_0004, "a thread's fault is reported to its supervisor (cause, pc, address); we go on")
{
	uint64_t ut, tcb;
	struct sel_thread_info st;

	CHECK_EQ(t, untyped_new(14, &ut), SEL_OK);
	CHECK_EQ(t, thread_in_root(ut, load_from, 0x3000000008ull, 2, &tcb), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(tcb), SEL_OK);
	CHECK(t, wait_stopped(tcb, &st, 1000));
	CHECK_EQ(t, st.reason, SEL_STOP_FAULTED);
	CHECK_EQ(t, st.code, 13); /* load page fault */
	CHECK_EQ(t, st.addr, 0x3000000008ull);
	CHECK(t, st.pc >= (uint64_t)load_from && st.pc < (uint64_t)load_from + 64);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(PROC_0005, "a thread in another address space runs code from a frame and reads shared data")
{
	uint64_t ut, vs, tcb, data, copy = slot_new();
	uint64_t mine = REGION(1), theirs = REGION(1) + (1ull << 21);
	struct sel_thread_info st;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, loader_thread(ut, 1, theirs, &vs, &tcb), SEL_OK);
	CHECK_EQ(t, cover(ut, SEL_SLOT_VSPACE, mine), SEL_OK);
	CHECK_EQ(t, frame_at(ut, SEL_SLOT_VSPACE, mine, RW, &data), SEL_OK);
	*(volatile uint64_t *)mine = 0xfeedface;
	CHECK_EQ(t, sel_cnode_copy(ROOT, copy, data, FULL, SEL_RIGHT_READ), SEL_OK);
	CHECK_EQ(t, cover(ut, vs, theirs), SEL_OK);
	CHECK_EQ(t, sel_frame_map(copy, vs, theirs, SEL_RIGHT_READ), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(tcb), SEL_OK);
	CHECK(t, wait_stopped(tcb, &st, 1000));
	CHECK(t, st.reason == SEL_STOP_EXITED && st.code == 0xfeedface);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}
