/*
 * A revoke that unmaps many frames of an address space that other harts
 * are running (docs/reliability.md, "Storms on four harts"), smp4 without
 * -icount.
 *
 * ROBUST_0004: N_FRAMES frames of 4 KiB, each retyped from one Untyped and
 * mapped into the test's own address space (their caps moved into a CNode
 * of their own), while spinning threads of the same address space keep
 * harts 1-3 busy in user mode, so every unmap must reach them. The Untyped
 * is revoked from hart 0. A Delete or Revoke batches its TLB flushes
 * (kernel/arch/riscv/asid.h): each ASID it unmapped from is fenced once per
 * preemption point and at its end, with one SBI remote fence for all the
 * busy harts, where it used to fence every frame on every hart, one SBI
 * call per hart. Figures, from the debug kernel's counters: the SBI remote
 * fences the revoke made (SEL_INFO_REMOTE_FENCES), bounded far below one a
 * frame, and the longest the revoke held the big lock without a preemption
 * point, in `time` ticks (SEL_INFO_STRETCH_TIME_MAX). Positive control
 * ROBUST_0005 (tests/qemu/groups.cmake): with inject=flush-per-frame the
 * fence count exceeds the bound.
 */
#include <sel/debug.h>
#include <sel/print.h>
#include <sel/thread.h>
#include <selene/kinfo.h>
#include "caps_util.h"
#include "ipc_util.h"
#include "proc_util.h"
#include "process.h"

#define HARTS     4
#define N_FRAMES  240u /* and two page tables: all of a 1 MiB Untyped but 8 KiB */
#define SLOT_BITS 8    /* the CNode that holds the frame caps */
#define FRAMES_VA REGION(30)
#define STRIDE    8 /* words between two harts' counters: no shared cache line */
/*
 * Bounds. Fences: batched, one per preemption point (every 16 steps) and
 * one at the end, so about (N_FRAMES + 2) / 16 + 1 = 16, plus one for each
 * time a tick stopped the revoke; one a frame per busy hart (720) without
 * the batch. The lock held: 16 steps, each an unmap, and one remote fence,
 * measured in milliseconds; the bound is far above that and far below the
 * lock watchdog's 10 s, which the unbatched flush reached under load.
 */
#define FENCE_BOUND (N_FRAMES / 4)
#define HOLD_MS     500

static volatile uint64_t spins[HARTS * STRIDE], stop;

static uint64_t ms(uint64_t n)
{
	return ((const volatile struct sel_kinfo *)SEL_KINFO_VADDR)->timebase_hz / 1000 * n;
}

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

/* A spinner on each of harts 1-3 (priority 10), running once this returns. */
static int start_spinners(uint64_t ut)
{
	uint64_t until = sel_rdtime() + ms(5000);
	int err = SEL_OK;

	stop = 0;
	for (uint64_t i = 1; i < HARTS && err == SEL_OK; i++) {
		uint64_t tcb;
		err = ipc_thread_opts(ut, spinner, i, 1, &tcb);
		if (err == SEL_OK)
			err = sel_tcb_set_affinity(tcb, i);
		if (err == SEL_OK)
			err = sel_tcb_set_priority(tcb, SEL_SLOT_TCB, 10);
		if (err == SEL_OK)
			err = sel_tcb_resume(tcb);
	}
	for (uint64_t i = 1; i < HARTS && err == SEL_OK; i++)
		while (spins[i * STRIDE] == 0 && sel_rdtime() < until)
			sel_yield();
	return err;
}

TEST(ROBUST_0004, "a revoke unmapping 240 frames live on 3 other harts fences in batches")
{
	uint64_t ut, mem, frames, before[HARTS], ticks_ms = ms(1);

	CHECK_EQ(t, sel_debug_info(SEL_INFO_DEBUG_KERNEL), 1);
	CHECK_EQ(t, untyped_new(21, &ut), SEL_OK);
	CHECK_EQ(t, untyped_new(20, &mem), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_CNODE, SLOT_BITS, &frames), SEL_OK);
	sel_printf("DBG map\n");
	CHECK_EQ(t, map_frames(mem, frames), SEL_OK);
	sel_printf("DBG spin\n");
	CHECK_EQ(t, start_spinners(ut), SEL_OK);
	for (int i = 1; i < HARTS; i++)
		before[i] = spins[i * STRIDE];

	sel_printf("DBG revoke\n");
	(void)sel_debug_info(SEL_INFO_STRETCH_TIME_MAX); /* starts again */
	uint64_t f0 = sel_debug_info(SEL_INFO_REMOTE_FENCES);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, mem, FULL, 0), SEL_OK);
	uint64_t fences = sel_debug_info(SEL_INFO_REMOTE_FENCES) - f0;
	uint64_t hold = sel_debug_info(SEL_INFO_STRETCH_TIME_MAX);
	int busy = 1;
	for (int i = 1; i < HARTS; i++)
		busy = busy && spins[i * STRIDE] != before[i]; /* they ran through the revoke */
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
