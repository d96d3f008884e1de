/*
 * A revoke of ten thousand descendants (in a test process with an Untyped of
 * 2^23 bytes: boot argument "untyped-bits=23" of its group): the kernel stops at preemption
 * points and the call is repeated until done (libsel retries), so it never
 * holds interrupts off throughout. Runs without the per-syscall checker
 * (which would make this quadratic); the checker runs once at the end.
 */
#include <sel/debug.h>
#include <sel/print.h>
#include "caps_util.h"
#include "process.h"

extern struct test_shared *test_shared_page;

#define N_COPIES 10000u

TEST(CAP_0026, "revoke of 10^4 descendants completes, preemptibly, and leaves none behind")
{
	uint64_t ut, big, ep, preempted = 0;
	struct sel_untyped_info info;
	struct sel_ret r;

	CHECK_EQ(t, untyped_new(22, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_CNODE, 14, &big), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	for (uint64_t i = 0; i < N_COPIES; i++) {
		/* Half fan out from ep, half form a chain of copies of copies. */
		struct sel_slot src =
		    i % 2 || i < 2 ? sel_slot_in(ROOT, ep, FULL) : sel_slot_in(big, i - 2, 14);
		CHECK_EQ(
		    t,
		    sel_cnode_op(SEL_CNODE_COPY, sel_slot_in(big, i, 14), src, SEL_RIGHTS_ALL, 0),
		    SEL_OK);
	}
	/* Start just before a timer tick, so an interrupt arrives mid-revoke. */
	uint64_t ticks = sel_debug_info(SEL_INFO_TICKS), tick = test_shared_page->timebase_hz / 100;
	while (sel_debug_info(SEL_INFO_TICKS) == ticks)
		;
	uint64_t go = sel_rdtime() + tick - tick / 50;
	while (sel_rdtime() < go)
		;
	uint64_t start = sel_rdinstret();
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ep, FULL, &preempted), SEL_OK);
	sel_printf("CAP_0026: revoke of %u descendants: %lu instructions, preempted %lu times\n",
	           N_COPIES, sel_rdinstret() - start, preempted);
	for (uint64_t i = 0; i < N_COPIES; i += 97)
		CHECK_EQ(t,
		         sel_invoke(big, SEL_CNODE_IDENTIFY, i, 0, 0, 14, 0, &r) == SEL_OK &&
		             r.v[0] == SEL_OBJ_NULL,
		         1);
	CHECK(t, preempted > 0); /* the revoke stopped for the tick, and went on */
	CHECK_EQ(t, ident(ep).type, SEL_OBJ_ENDPOINT);
	if (sel_debug_info(SEL_INFO_DEBUG_KERNEL)) { /* release kernels have no checker */
		CHECK_EQ(t,
		         sel_invoke(SEL_SLOT_DEBUG, SEL_DEBUG_CHECK_INVARIANTS, 0, 0, 0, 0, 0, &r),
		         SEL_OK);
		CHECK_EQ(t, r.v[0], 0);
	}
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
	CHECK_EQ(t, sel_untyped_info(ut, &info), SEL_OK);
	CHECK_EQ(t, sel_untyped_reset(ut), SEL_OK);
}
