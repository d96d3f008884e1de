/*
 * Liveness on SMP (docs/security-ipc.md): no sequence of system calls may
 * hang a hart or lose a thread. A fixed-seed random sequence, run on every
 * hart at once (multi-threaded TCG): threads in address spaces of their
 * own, created and resumed with random affinities and moved while they
 * run on other harts; suspended and resumed; notifications bound and
 * unbound; their code's page table unmapped under them; and the Untyped
 * their address spaces came from revoked while they are queued or running
 * anywhere. A kernel that hangs makes the test run past its budget (or
 * the debug kernel's spin watchdog panic); a kernel that loses a thread
 * (RUNNING, yet on no hart) makes the main thread of this test vanish the
 * same way.
 *
 * Each generation's threads spin in user mode or yield in a loop; they
 * have a fault endpoint nobody reads, so a fault parks them quietly.
 */
#include <sel/debug.h>
#include <sel/print.h>
#include <sel/string.h>
#include "ipc_util.h"

#define N_THREADS  8
#define CODE_VA    REGION(50)
#define SCRATCH_VA (REGION(50) + (1ull << 29))

/* j . */
static const uint32_t spin_code[] = {0x0000006fu};
/* li a7, SEL_SYS_YIELD (7); ecall; j .-8 */
static const uint32_t yield_code[] = {0x00700893u, 0x00000073u, 0xff9ff06fu};

struct gen_thread {
	uint64_t tcb, vspace, pt;
	int live;
};

static uint64_t rng = 0x5ec0250u;

static uint64_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A code frame holding `code`, written through our own mapping at SCRATCH_VA. */
static int code_frame(uint64_t ut, const uint32_t *code, unsigned n, uint64_t *frame)
{
	int err = cover(ut, SEL_SLOT_VSPACE, SCRATCH_VA);

	if (err == SEL_OK)
		err = frame_at(ut, SEL_SLOT_VSPACE, SCRATCH_VA, RW, frame);
	if (err != SEL_OK)
		return err;
	memcpy((void *)SCRATCH_VA, code, n * sizeof(uint32_t));
	return sel_frame_unmap(*frame);
}

/* A thread in a new address space (from vut) running `frame`'s code; TCB from tut. */
static int gen_thread_new(uint64_t vut, uint64_t tut, uint64_t frame, uint64_t fault_ep,
                          struct gen_thread *g)
{
	uint64_t copy = slot_new();
	struct sel_user_regs r;
	int err = object_new(vut, SEL_OBJ_VSPACE, 0, &g->vspace);

	if (err == SEL_OK)
		err = sel_cnode_copy(ROOT, copy, frame, FULL, SEL_RIGHTS_ALL);
	if (err == SEL_OK)
		err = object_new(vut, SEL_OBJ_PAGE_TABLE, 0, &g->pt);
	if (err == SEL_OK)
		err = sel_page_table_map(g->pt, g->vspace, CODE_VA);
	if (err == SEL_OK) {
		uint64_t pt2;
		err = object_new(vut, SEL_OBJ_PAGE_TABLE, 0, &pt2);
		if (err == SEL_OK)
			err = sel_page_table_map(pt2, g->vspace, CODE_VA);
		if (err == SEL_ERR_ALREADY_MAPPED)
			err = SEL_OK;
		else if (err == SEL_OK) /* the first was the upper level: pt2 holds the code */
			g->pt = pt2;
	}
	if (err == SEL_OK)
		err = sel_frame_map(copy, g->vspace, CODE_VA, SEL_RIGHT_READ | SEL_RIGHT_EXECUTE);
	if (err == SEL_OK)
		err = object_new(tut, SEL_OBJ_TCB, 0, &g->tcb);
	if (err == SEL_OK)
		err = sel_tcb_configure(g->tcb, ROOT, g->vspace, 0, 0);
	if (err == SEL_OK)
		err = sel_tcb_set_fault_endpoint(g->tcb, fault_ep);
	if (err != SEL_OK)
		return err;
	memset(&r, 0, sizeof(r));
	r.pc = CODE_VA;
	g->live = 1;
	return sel_tcb_write_registers(g->tcb, &r);
}

struct stress_counts {
	uint64_t ops, errors_seen;
};

/*
 * One generation: `steps` random operations on N_THREADS threads, with one
 * Revoke of their address spaces' Untyped at a random step; then
 * everything goes. Errors of individual operations are expected (a thread
 * already running, a VSpace already gone); only a kernel that hangs or a
 * test step that cannot set up fails.
 */
static int generation(uint64_t harts, uint64_t steps, struct stress_counts *c)
{
	struct gen_thread th[N_THREADS];
	uint64_t mark = slots_mark(), vut, tut, sut, cut, nut, spin, yield, fault_ep, ntfn;
	uint64_t revoke_at = next_random() % steps;
	int err;

	memset(th, 0, sizeof(th));
	err = untyped_new(20, &vut);
	if (err == SEL_OK)
		err = untyped_new(17, &tut);
	if (err == SEL_OK)
		err = untyped_new(16, &sut);
	if (err == SEL_OK)
		err = untyped_new(16, &cut);
	if (err == SEL_OK)
		err = untyped_new(12, &nut);
	if (err == SEL_OK)
		err = code_frame(cut, spin_code, 1, &spin);
	if (err == SEL_OK)
		err = code_frame(cut, yield_code, 3, &yield);
	if (err == SEL_OK)
		err = object_new(sut, SEL_OBJ_ENDPOINT, 0, &fault_ep);
	if (err == SEL_OK)
		err = object_new(nut, SEL_OBJ_NOTIFICATION, 0, &ntfn);
	for (unsigned i = 0; i < N_THREADS && err == SEL_OK; i++)
		err = gen_thread_new(vut, tut, i % 2 ? yield : spin, fault_ep, &th[i]);
	for (unsigned i = 0; i < N_THREADS && err == SEL_OK; i++)
		err = sel_tcb_set_affinity(th[i].tcb, next_random() % harts);
	for (unsigned i = 0; i < N_THREADS && err == SEL_OK; i++)
		err = sel_tcb_resume(th[i].tcb);
	if (err != SEL_OK)
		return err;
	for (uint64_t s = 0; s < steps; s++) {
		struct gen_thread *g = &th[next_random() % N_THREADS];
		uint64_t hart = next_random() % harts;
		int r = SEL_OK;
		switch (next_random() % 8) {
		case 0:
		case 1:
			r = sel_tcb_set_affinity(g->tcb, hart);
			break;
		case 2:
			r = sel_tcb_set_affinity(g->tcb, hart);
			if (r == SEL_OK)
				r = sel_tcb_resume(g->tcb);
			break;
		case 3:
			r = sel_tcb_suspend(g->tcb);
			break;
		case 4:
			r = sel_tcb_bind_notification(g->tcb, ntfn);
			break;
		case 5:
			r = sel_tcb_unbind_notification(g->tcb);
			break;
		case 6:
			if (next_random() % 4 == 0)
				r = sel_page_table_unmap(g->pt);
			else
				r = sel_tcb_resume(g->tcb);
			break;
		default:
			sel_yield();
			break;
		}
		if (s ==
		    revoke_at) /* the fault endpoint and notification go, with waiters and bound */
			r = sel_cnode_revoke(ROOT, sut, FULL, 0);
		c->ops++;
		c->errors_seen += r != SEL_OK;
	}
	/*
	 * Everything goes: threads stopped first, then their address spaces
	 * (docs/security-ipc.md: deleting a VSpace under a running thread is
	 * the address-space work's), then the threads.
	 */
	for (unsigned i = 0; i < N_THREADS; i++)
		sel_tcb_suspend(th[i].tcb);
	err = sel_cnode_revoke(ROOT, vut, FULL, 0);
	if (err == SEL_OK)
		err = sel_cnode_revoke(ROOT, tut, FULL, 0);
	if (err == SEL_OK)
		err = sel_cnode_revoke(ROOT, sut, FULL, 0);
	if (err == SEL_OK)
		err = sel_cnode_revoke(ROOT, cut, FULL, 0);
	if (err == SEL_OK)
		err = sel_cnode_revoke(ROOT, nut, FULL, 0);
	for (uint64_t s = mark; s < slots_mark() && err == SEL_OK; s++)
		err = sel_cnode_delete(ROOT, s, FULL, 0);
	slots_release(mark);
	return err;
}

TEST(SEC_0250, "a fixed-seed random syscall sequence on every hart hangs no hart, loses no thread")
{
	uint64_t harts = sel_debug_info(SEL_INFO_HARTS_ONLINE);
	struct stress_counts c = {0, 0};

	/* smp1 (-icount, one hart) runs the spinning threads by turns: fewer generations. */
	for (unsigned gen = 0; gen < (harts > 1 ? 16 : 2); gen++)
		CHECK_EQ(t, generation(harts, 200, &c), SEL_OK);
	sel_printf("SEC_0250: %lu operations on %lu harts (%lu refused)\n", c.ops, harts,
	           c.errors_seen);
}

TEST(SEC_0251, "a thread whose address space goes before it ever ran is stopped cleanly")
{
	uint64_t vut, tut, cut, fault_ep, spin, me = sel_debug_info(SEL_INFO_HART_ID);
	struct gen_thread g[4];
	struct sel_thread_info st;

	CHECK_EQ(t, untyped_new(18, &vut), SEL_OK);
	CHECK_EQ(t, untyped_new(16, &tut), SEL_OK);
	CHECK_EQ(t, untyped_new(16, &cut), SEL_OK);
	CHECK_EQ(t, code_frame(cut, spin_code, 1, &spin), SEL_OK);
	CHECK_EQ(t, object_new(cut, SEL_OBJ_ENDPOINT, 0, &fault_ep), SEL_OK);
	for (unsigned i = 0; i < 4; i++) {
		CHECK_EQ(t, gen_thread_new(vut, tut, spin, fault_ep, &g[i]), SEL_OK);
		/* Queued behind us on our own hart: none runs before its VSpace goes. */
		CHECK_EQ(t, sel_tcb_set_affinity(g[i].tcb, me), SEL_OK);
		CHECK_EQ(t, sel_tcb_resume(g[i].tcb), SEL_OK);
	}
	CHECK_EQ(t, sel_cnode_revoke(ROOT, vut, FULL, 0), SEL_OK);
	for (unsigned i = 0; i < 4; i++) {
		CHECK(t, wait_stopped(g[i].tcb, &st, IPC_PATIENCE));
		CHECK_EQ(t, st.reason, SEL_STOP_FAULTED);
	}
	CHECK_EQ(t, sel_cnode_revoke(ROOT, tut, FULL, 0), SEL_OK);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, cut, FULL, 0), SEL_OK);
}
