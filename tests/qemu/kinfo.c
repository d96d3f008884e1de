/*
 * The per-hart kernel info page (<selene/kinfo.h>, docs/uintr.md): read-only
 * at SEL_KINFO_VADDR in every address space; for each hart the id of the
 * thread running there and a clock that advances. User mappings cannot
 * reach the GiB that holds it.
 */
#include <sel/debug.h>
#include <sel/fault.h>
#include <selene/kinfo.h>
#include "ipc_util.h"

#define KINFO ((const volatile struct sel_kinfo *)SEL_KINFO_VADDR)

static volatile uint64_t seen_thread, seen_hart, spin_stop, spinning;

/* Records what the info page says about the hart this thread runs on. */
static void look(uint64_t arg)
{
	(void)arg;
	seen_hart = sel_debug_info(SEL_INFO_HART_ID);
	seen_thread = KINFO->hart[seen_hart].thread;
}

/* Spins on its hart until told to stop. */
static void spin(uint64_t arg)
{
	(void)arg;
	spinning = 1;
	while (!spin_stop)
		__asm__ volatile("" ::: "memory");
}

static void store_to_kinfo(void *arg)
{
	(void)arg;
	*(volatile uint64_t *)SEL_KINFO_VADDR = 1;
}

TEST(UINTR_0201, "the info page: magic, harts, and the running thread's id on its hart")
{
	uint64_t ut, tcb;
	struct sel_thread_info st;

	CHECK_EQ(t, KINFO->magic, SEL_KINFO_MAGIC);
	CHECK_EQ(t, KINFO->n_harts, sel_debug_info(SEL_INFO_HARTS_ONLINE));
	CHECK(t, KINFO->timebase_hz != 0);
	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, ipc_thread(ut, look, 0, &tcb), SEL_OK);
	CHECK(t, wait_stopped(tcb, &st, IPC_PATIENCE));
	CHECK_EQ(t, sel_tcb_get_state(tcb, &st), SEL_OK);
	CHECK(t, st.tid != 0);
	CHECK_EQ(t, seen_thread, st.tid);
	/* The thread reading now is on our hart's entry, and it is not that one. */
	CHECK(t, KINFO->hart[sel_debug_info(SEL_INFO_HART_ID)].thread != st.tid);
	CHECK(t, KINFO->hart[sel_debug_info(SEL_INFO_HART_ID)].thread != 0);
}

TEST(UINTR_0202, "the info page's clock advances and its switch count grows")
{
	uint64_t hart = sel_debug_info(SEL_INFO_HART_ID);
	uint64_t c0 = KINFO->hart[hart].clock, s0 = KINFO->hart[hart].switches;
	uint64_t start = sel_rdtime();
	uint64_t ut, tcb;
	struct sel_thread_info st;

	while (sel_rdtime() - start < KINFO->timebase_hz / 20) /* > 4 ticks of 10 ms */
		__asm__ volatile("" ::: "memory");
	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, ipc_thread(ut, look, 0, &tcb), SEL_OK);
	CHECK(t, wait_stopped(tcb, &st, IPC_PATIENCE));
	hart = sel_debug_info(SEL_INFO_HART_ID);
	CHECK(t, KINFO->hart[hart].clock > c0);
	CHECK(t, KINFO->hart[hart].clock <= sel_rdtime());
	CHECK(t, KINFO->hart[hart].switches > s0);
}

TEST(UINTR_0203, "a write to the info page faults; nothing maps into its GiB")
{
	struct sel_fault_info fi;
	uint64_t ut, pt, fr;

	CHECK_EQ(t, sel_catch_fault(store_to_kinfo, 0, &fi), 1);
	CHECK_EQ(t, fi.cause, 15); /* store page fault */
	CHECK_EQ(t, fi.stval, SEL_KINFO_VADDR);
	CHECK_EQ(t, KINFO->magic, SEL_KINFO_MAGIC);
	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_PAGE_TABLE, 0, &pt), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_FRAME, 12, &fr), SEL_OK);
	CHECK_EQ(t, sel_page_table_map(pt, SEL_SLOT_VSPACE, SEL_USER_MAP_END), SEL_ERR_RANGE);
	CHECK_EQ(t, sel_page_table_map(pt, SEL_SLOT_VSPACE, SEL_KINFO_VADDR), SEL_ERR_RANGE);
	CHECK_EQ(t, sel_frame_map(fr, SEL_SLOT_VSPACE, SEL_KINFO_VADDR, SEL_RIGHT_READ),
	         SEL_ERR_RANGE);
	CHECK_EQ(t, sel_frame_map(fr, SEL_SLOT_VSPACE, SEL_USER_MAP_END - 4096, SEL_RIGHT_READ),
	         SEL_ERR_NO_PAGE_TABLE); /* the page below is ordinary user space */
}

TEST(UINTR_0204, "a thread spinning on another hart shows on that hart's entry")
{
	uint64_t ut, tcb, harts = sel_debug_info(SEL_INFO_HARTS_ONLINE);
	uint64_t me = sel_debug_info(SEL_INFO_HART_ID), other = (me + 1) % harts;
	struct sel_thread_info st;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, ipc_thread_opts(ut, spin, 0, 1, &tcb), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_affinity(tcb, other), SEL_OK);
	CHECK_EQ(t, sel_tcb_get_state(tcb, &st), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(tcb), SEL_OK);
	CHECK(t, wait_flag(&spinning, IPC_PATIENCE));
	if (harts > 1) {
		uint64_t start = sel_rdtime();
		while (KINFO->hart[other].thread != st.tid &&
		       sel_rdtime() - start < KINFO->timebase_hz)
			;
		CHECK_EQ(t, KINFO->hart[other].thread, st.tid);
		CHECK(t, KINFO->hart[me].thread != st.tid);
	} else {
		/* One hart: it shows whichever of us runs, and that is us now. */
		CHECK(t, KINFO->hart[me].thread != st.tid);
		CHECK(t, KINFO->hart[me].thread != 0);
	}
	spin_stop = 1;
	CHECK(t, wait_stopped(tcb, &st, IPC_PATIENCE));
}
