/*
 * Deep revoke (docs/reliability.md): a tree of 10^4 descendants of one
 * endpoint cap revoked while a timer tick falls due, on one hart under
 * -icount (instret counts every instruction of the hart).
 *
 * The tree: 100 copies of the endpoint, and below each a chain of 99
 * copies of copies (depths 1 to 100), in a CNode of 2^14 slots. Figures,
 * from the debug kernel's counters (SEL_INFO_STRETCH_MAX: the longest gap
 * between the start of a Delete or Revoke, its preemption points and its
 * end; SEL_INFO_TIMER_LATE_MAX: how late a tick was taken after its
 * deadline): the longest stretch with interrupts held off inside the
 * revoke, the lateness of the tick that fell due during it, the cost of a
 * revoke call that has nothing to do (the syscall's way in and out, which
 * the stretch does not cover), and the revoke's total cost.
 */
#include <sel/debug.h>
#include <sel/print.h>
#include "caps_util.h"
#include "process.h"

extern struct test_shared *test_shared_page;

#define N_HEADS    100u
#define N_DESC     10000u
#define BIG_BITS   14
#define NS_PER_SEC 1000000000ull
/*
 * Bounds, instructions: the longest stretch inside the revoke (measured
 * 6 274 on smp1: 16 steps of about 390 between preemption points), and the
 * lateness of the tick (at most that stretch and the way out of the
 * kernel; measured 600). Each bound leaves room for another compiler.
 */
#define STRETCH_BOUND 10000
#define LATE_BOUND    12000

/* The 10^4 descendants of ep: heads in slots 0..99, slot i >= 100 a copy of slot i - 100. */
static int build(uint64_t big, uint64_t ep)
{
	for (uint64_t i = 0; i < N_DESC; i++) {
		struct sel_slot src = i < N_HEADS ? sel_slot_in(ROOT, ep, FULL)
		                                  : sel_slot_in(big, i - N_HEADS, BIG_BITS);
		int err = sel_cnode_op(SEL_CNODE_COPY, sel_slot_in(big, i, BIG_BITS), src,
		                       SEL_RIGHTS_ALL, 0);
		if (err != SEL_OK)
			return err;
	}
	return SEL_OK;
}

/* How many of the tree's slots are still occupied. */
static uint64_t occupied(uint64_t big)
{
	uint64_t n = 0;
	struct sel_ret r;

	for (uint64_t i = 0; i < N_DESC; i++)
		if (sel_invoke(big, SEL_CNODE_IDENTIFY, i, 0, 0, BIG_BITS, 0, &r) != SEL_OK ||
		    r.v[0] != SEL_OBJ_NULL)
			n++;
	return n;
}

/* The checker's verdict (failures) and the derivation tree's node count. */
static int check(uint64_t *failed, uint64_t *nodes)
{
	struct sel_ret r;
	int err = sel_invoke(SEL_SLOT_DEBUG, SEL_DEBUG_CHECK_INVARIANTS, 0, 0, 0, 0, 0, &r);

	*failed = r.v[0];
	*nodes = r.v[1];
	return err;
}

/* Spins until just after a tick, then until `before` of time is left to the next one. */
static void just_before_tick(uint64_t before)
{
	uint64_t ticks = sel_debug_info(SEL_INFO_TICKS), tick = test_shared_page->timebase_hz / 100;

	while (sel_debug_info(SEL_INFO_TICKS) == ticks)
		;
	uint64_t go = sel_rdtime() + tick - before;
	while (sel_rdtime() < go)
		;
}

TEST(ROBUST_0050, "deep revoke: 10^4 descendants gone, interrupts held off for a bounded stretch")
{
	uint64_t ut, big, ep, preempted = 0, failed, nodes0, nodes1, nodes2;
	uint64_t hz = test_shared_page->timebase_hz;

	CHECK_EQ(t, sel_debug_info(SEL_INFO_DEBUG_KERNEL), 1);
	CHECK_EQ(t, untyped_new(22, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_CNODE, BIG_BITS, &big), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, check(&failed, &nodes0), SEL_OK);

	/* A revoke with nothing to do: the syscall's way in and out. */
	uint64_t s = sel_rdinstret();
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ep, FULL, 0), SEL_OK);
	uint64_t empty_call = sel_rdinstret() - s;

	/* The whole revoke's cost, the tick wherever it falls. */
	CHECK_EQ(t, build(big, ep), SEL_OK);
	CHECK_EQ(t, check(&failed, &nodes1), SEL_OK);
	CHECK_EQ(t, nodes1, nodes0 + N_DESC);
	s = sel_rdinstret();
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ep, FULL, 0), SEL_OK);
	uint64_t total = sel_rdinstret() - s;
	CHECK_EQ(t, occupied(big), 0);

	/* Again, the revoke starting 0.2 ms (2 * 10^5 instructions) before a tick. */
	CHECK_EQ(t, build(big, ep), SEL_OK);
	just_before_tick(hz / 5000);
	uint64_t ticks = sel_debug_info(SEL_INFO_TICKS);
	(void)sel_debug_info(SEL_INFO_STRETCH_MAX); /* both start again */
	(void)sel_debug_info(SEL_INFO_TIMER_LATE_MAX);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ep, FULL, &preempted), SEL_OK);
	uint64_t late = sel_debug_info(SEL_INFO_TIMER_LATE_MAX);
	uint64_t stretch = sel_debug_info(SEL_INFO_STRETCH_MAX);
	uint64_t ticked = sel_debug_info(SEL_INFO_TICKS) - ticks;
	uint64_t late_insns = late * (NS_PER_SEC / hz); /* -icount shift=0: one per ns */

	sel_printf("ROBUST revoke_descendants %u count\n", N_DESC);
	sel_printf("ROBUST revoke_instructions %lu instructions\n", total);
	sel_printf("ROBUST revoke_stretch_max %lu instructions\n", stretch);
	sel_printf("ROBUST revoke_empty_call %lu instructions\n", empty_call);
	sel_printf("ROBUST revoke_timer_late_max %lu instructions\n", late_insns);
	sel_printf("ROBUST revoke_timer_late_max_ticks %lu ticks\n", late);
	sel_printf("ROBUST revoke_preempted %lu count\n", preempted);
	sel_printf("robust revoke: %lu ticks taken during the revoke\n", ticked);

	CHECK_EQ(t, occupied(big), 0);
	CHECK_EQ(t, ident(ep).type, SEL_OBJ_ENDPOINT);
	CHECK_EQ(t, check(&failed, &nodes2), SEL_OK);
	CHECK_EQ(t, failed, 0);
	CHECK_EQ(t, nodes2, nodes0);             /* the tree's nodes are gone */
	CHECK(t, ticked >= 1 && preempted >= 1); /* the tick fell due and was taken mid-revoke */
	CHECK(t, stretch > 0 && stretch <= STRETCH_BOUND);
	CHECK(t, late_insns <= LATE_BOUND);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}
