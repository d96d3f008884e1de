/*
 * A revoke that unmaps many frames of an address space that other harts
 * are running (docs/reliability.md, "Storms on four harts"), smp4 without
 * -icount.
 *
 * ROBUST_0004: N_FRAMES frames of 4 KiB, each retyped from one Untyped and
 * mapped into the test's own address space (their caps moved into a CNode
 * of their own), while spinning threads of the same address space keep the
 * three other harts busy, so every unmap must reach them. The Untyped is
 * revoked from the test's hart. A Delete or Revoke batches its TLB flushes
 * (kernel/arch/riscv/asid.h): each ASID it unmapped from is fenced once
 * where the call returns (done, or stopped at a preemption point), with one
 * SBI remote fence for all the busy harts, where it used to fence every
 * frame on every hart, one SBI call per hart. Figures, from the debug
 * kernel's counters: the SBI remote fences the revoke made
 * (SEL_INFO_REMOTE_FENCES), bounded far below one a frame, and the longest
 * the revoke held the big lock without a preemption point, in `time` ticks
 * (SEL_INFO_STRETCH_TIME_MAX). Positive control ROBUST_0005
 * (tests/qemu/groups.cmake): with inject=flush-per-frame the revoke fails
 * the test: the fences exceed the bound, or the lock is held so long that
 * the lock watchdog panics.
 */
#include <sel/debug.h>
#include <sel/print.h>
#include <sel/thread.h>
#include "caps_util.h"
#include "ipc_util.h"
#include "proc_util.h"
#include "process.h"
#include "robust_rtc.h"

#define HARTS     4
#define N_FRAMES  240u /* and two page tables: all of a 1 MiB Untyped but 8 KiB */
#define SLOT_BITS 8    /* the CNode that holds the frame caps */
#define FRAMES_VA REGION(30)
#define STRIDE    8 /* words between two harts' counters: no shared cache line */
/*
 * Bounds. Fences: batched, one where the revoke returns, plus one for each
 * time a pending interrupt stopped it and it was called again (measured: 1);
 * one a frame per busy hart (720) without the batch. The lock held between
 * two preemption points (16 steps): tens of milliseconds measured, most of
 * it the host descheduling a hart's thread; the bound is far above that
 * and far below the lock watchdog's 10 s, which the unbatched flush reaches
 * under load.
 */
#define FENCE_BOUND (N_FRAMES / 4)
#define HOLD_MS     500

static volatile uint64_t spins[HARTS * STRIDE], stop;

static void spinner(uint64_t hart)
{
	while (!stop)
		spins[hart * STRIDE] = spins[hart * STRIDE] + 1;
}

/* N_FRAMES frames from `mem`, mapped at FRAMES_VA on, their caps moved into `frames`. */
static int map_frames(uint64_t mem, uint64_t frames)
{
	uint64_t s = slot_new();
	int err = cover(mem, SEL_SLOT_VSPACE, FRAMES_VA);

	for (uint64_t i = 0; i < N_FRAMES && err == SEL_OK; i++) {
		err = sel_untyped_retype(mem, SEL_OBJ_FRAME, 12, ROOT, s, 1);
		if (err == SEL_OK)
			err = sel_frame_map(s, SEL_SLOT_VSPACE, FRAMES_VA + i * 4096,
			                    SEL_RIGHT_READ | SEL_RIGHT_WRITE);
		if (err == SEL_OK)
			*(volatile uint64_t *)(FRAMES_VA + i * 4096) = i; /* the mapping is used */
		if (err == SEL_OK)
			err = sel_cnode_op(SEL_CNODE_MOVE, sel_slot_in(frames, i, SLOT_BITS),
			                   sel_slot_in(ROOT, s, FULL), 0, 0);
	}
	return err;
}

/* A spinner (priority 10) on each hart but `me`, running once this returns. */
static int start_spinners(uint64_t ut, uint64_t me)
{
	uint64_t until = sel_rdtime() + ms(5000);
	int err = SEL_OK;

	stop = 0;
	for (uint64_t i = 0; i < HARTS && err == SEL_OK; i++) {
		uint64_t tcb;
		if (i == me)
			continue;
		err = ipc_thread_opts(ut, spinner, i, 1, &tcb);
		if (err == SEL_OK)
			err = sel_tcb_set_affinity(tcb, i);
		if (err == SEL_OK)
			err = sel_tcb_set_priority(tcb, SEL_SLOT_TCB, 10);
		if (err == SEL_OK)
			err = sel_tcb_resume(tcb);
	}
	for (uint64_t i = 0; i < HARTS && err == SEL_OK; i++)
		while (i != me && spins[i * STRIDE] == 0 && sel_rdtime() < until)
			sel_yield();
	return err;
}

TEST(ROBUST_0004, "a revoke unmapping 240 frames live on 3 other harts fences in batches")
{
	uint64_t ut, mem, frames, before[HARTS], ticks_ms = ms(1);
	uint64_t me = sel_debug_info(SEL_INFO_HART_ID); /* the spinners leave our hart alone */

	CHECK_EQ(t, sel_debug_info(SEL_INFO_DEBUG_KERNEL), 1);
	CHECK_EQ(t, untyped_new(21, &ut), SEL_OK);
	CHECK_EQ(t, untyped_new(20, &mem), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_CNODE, SLOT_BITS, &frames), SEL_OK);
	CHECK_EQ(t, map_frames(mem, frames), SEL_OK);
	CHECK(t, me < HARTS);
	CHECK_EQ(t, sel_tcb_set_affinity(SEL_SLOT_TCB, me), SEL_OK); /* and we stay on it */
	CHECK_EQ(t, start_spinners(ut, me), SEL_OK);
	for (int i = 0; i < HARTS; i++)
		before[i] = spins[i * STRIDE];

	(void)sel_debug_info(SEL_INFO_STRETCH_TIME_MAX); /* starts again */
	uint64_t f0 = sel_debug_info(SEL_INFO_REMOTE_FENCES);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, mem, FULL, 0), SEL_OK);
	uint64_t fences = sel_debug_info(SEL_INFO_REMOTE_FENCES) - f0;
	uint64_t hold = sel_debug_info(SEL_INFO_STRETCH_TIME_MAX);
	int busy = 1; /* the spinners still run: they were in the address space all along */
	uint64_t until = sel_rdtime() + ms(2000);
	for (uint64_t i = 0; i < HARTS; i++)
		while (i != me && spins[i * STRIDE] == before[i] && sel_rdtime() < until)
			sel_yield();
	for (uint64_t i = 0; i < HARTS; i++)
		busy = busy && (i == me || spins[i * STRIDE] != before[i]);
	stop = 1;

	sel_printf("ROBUST revoke4_frames %u count\n", N_FRAMES);
	sel_printf("ROBUST revoke4_remote_fences %lu count\n", fences);
	sel_printf("ROBUST revoke4_lock_hold_max %lu us\n", hold * 1000 / ticks_ms);
	CHECK(t, busy);
	CHECK(t, fences >= 1 && fences <= FENCE_BOUND);
	CHECK(t, hold <= ms(HOLD_MS));
	for (uint64_t i = 0; i < N_FRAMES; i++) {
		struct sel_identity id;
		CHECK_EQ(t, sel_cnode_identify(frames, i, SLOT_BITS, &id), SEL_OK);
		CHECK_EQ(t, id.type, SEL_OBJ_NULL);
	}
}
