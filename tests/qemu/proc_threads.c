/*
 * Threads: the rights lattice on TCB caps, bad user pointers, a thread
 * whose address space is taken away, ASIDs, and a hundred address spaces
 * created, run and destroyed with every byte of their Untyped returned.
 */
#include <sel/debug.h>
#include <sel/string.h>
#include "proc_util.h"

static void spin(uint64_t unused)
{
	(void)unused;
	for (;;)
		;
}

static int expect(uint32_t rights, uint32_t need)
{
	return (rights & need) == need ? SEL_OK : SEL_ERR_NO_RIGHTS;
}

TEST(PROC_0012, "TCB caps of all 32 rights subsets: changing needs Write, looking needs Read")
{
	uint64_t ut, tcb;
	struct sel_user_regs regs;
	struct sel_thread_info st;

	CHECK_EQ(t, untyped_new(14, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_TCB, 0, &tcb), SEL_OK);
	memset(&regs, 0, sizeof(regs));
	for (uint32_t r = 0; r <= SEL_RIGHTS_ALL; r++) {
		uint64_t m = slot_new();
		int w = expect(r, SEL_RIGHT_WRITE), rd = expect(r, SEL_RIGHT_READ);
		CHECK_EQ(t, sel_cnode_mint(ROOT, m, tcb, FULL, r, 0), SEL_OK);
		CHECK_EQ(t, sel_tcb_get_state(m, &st), rd);
		CHECK_EQ(t, sel_tcb_read_registers(m, &regs), rd);
		CHECK_EQ(t, sel_tcb_write_registers(m, &regs), w);
		CHECK_EQ(t, sel_tcb_set_priority(m, SEL_SLOT_TCB, 7), w);
		CHECK_EQ(t, sel_tcb_suspend(m), w);
		CHECK_EQ(t, sel_tcb_configure(m, ROOT, SEL_SLOT_VSPACE, 0, 0), w);
		CHECK_EQ(t, sel_cnode_delete(ROOT, m, FULL, 0), SEL_OK);
	}
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(PROC_0013, "bad user pointers to register calls give SEL_ERR_BAD_ADDRESS, nothing changed")
{
	static const uint64_t bad[] = {0x3000000000ull, 0xffffffc080200000ull, ~0ull - 16,
	                               SEL_IPC_BUFFER_VADDR + 4096 - 64, 0};
	uint64_t ut, tcb;
	struct sel_user_regs regs, after;

	CHECK_EQ(t, untyped_new(14, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_TCB, 0, &tcb), SEL_OK);
	memset(&regs, 0x5a, sizeof(regs));
	CHECK_EQ(t, sel_tcb_write_registers(tcb, &regs), SEL_OK);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_EQ(t, sel_invoke(tcb, SEL_TCB_READ_REGISTERS, bad[i], 0, 0, 0, 0, 0),
		         SEL_ERR_BAD_ADDRESS);
		CHECK_EQ(t, sel_invoke(tcb, SEL_TCB_WRITE_REGISTERS, bad[i], 0, 0, 0, 0, 0),
		         SEL_ERR_BAD_ADDRESS);
	}
	/* Read-only memory (our own code) cannot receive registers. */
	CHECK_EQ(t, sel_invoke(tcb, SEL_TCB_READ_REGISTERS, (uint64_t)spin, 0, 0, 0, 0, 0),
	         SEL_ERR_BAD_ADDRESS);
	CHECK_EQ(t, sel_tcb_read_registers(tcb, &after), SEL_OK);
	CHECK_EQ(t, memcmp(&regs, &after, sizeof(regs)), 0);
	/* A range that starts mapped and runs off the IPC buffer page (the top
	 * page) changes nothing. */
	uint64_t *top = (uint64_t *)(SEL_IPC_BUFFER_VADDR + 4096 - 64);
	uint64_t saved[8];
	memcpy(saved, top, sizeof(saved));
	CHECK_EQ(t, sel_invoke(tcb, SEL_TCB_READ_REGISTERS, (uint64_t)top, 0, 0, 0, 0, 0),
	         SEL_ERR_BAD_ADDRESS);
	CHECK_EQ(t, memcmp(saved, top, sizeof(saved)), 0);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(PROC_0014, "configure checks its caps; resume needs a configured thread")
{
	uint64_t ut, tcb, ep;

	CHECK_EQ(t, untyped_new(14, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_TCB, 0, &tcb), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(tcb), SEL_ERR_ILLEGAL_OP);
	CHECK_EQ(t, sel_tcb_configure(tcb, ep, SEL_SLOT_VSPACE, 0, 0), SEL_ERR_WRONG_TYPE);
	CHECK_EQ(t, sel_tcb_configure(tcb, ROOT, ROOT, 0, 0), SEL_ERR_WRONG_TYPE);
	CHECK_EQ(t, sel_tcb_configure(tcb, ROOT, slot_new(), 0, 0), SEL_ERR_EMPTY_SLOT);
	CHECK_EQ(t, sel_tcb_configure(tcb, ROOT, SEL_SLOT_VSPACE, ep, 0), SEL_ERR_WRONG_TYPE);
	CHECK_EQ(t, sel_tcb_set_priority(tcb, SEL_SLOT_TCB, 256), SEL_ERR_RANGE);
	CHECK_EQ(t, sel_tcb_set_affinity(tcb, 64), SEL_ERR_RANGE);
	CHECK_EQ(t, sel_tcb_configure(tcb, ROOT, SEL_SLOT_VSPACE, 0, 0), SEL_OK);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(PROC_0015, "taking a thread's address space away stops it; destroying its TCB stops it too")
{
	uint64_t ut, vs, tcb, t2;
	struct sel_thread_info st;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	/* A thread in its own address space, looping on its own code page. */
	CHECK_EQ(t, loader_thread(ut, 8, REGION(8), &vs, &tcb), SEL_OK);
	struct sel_user_regs r;
	CHECK_EQ(t, sel_tcb_read_registers(tcb, &r), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(tcb), SEL_OK); /* loads its own code word, exits */
	CHECK(t, wait_stopped(tcb, &st, 1000));
	CHECK_EQ(t, st.reason, SEL_STOP_EXITED);
	CHECK_EQ(t, st.code, 0x0080089300053503ull); /* the first two instructions */
	/* Now revoke its VSpace while it is runnable: it must stop. */
	CHECK_EQ(t, sel_tcb_write_registers(tcb, &r), SEL_OK);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, vs, FULL, 0), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(tcb), SEL_ERR_ILLEGAL_OP); /* no VSpace any more */
	/* A spinning thread in our space, destroyed while runnable. */
	CHECK_EQ(t, thread_in_root(ut, spin, 0, 3, &t2), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(t2), SEL_OK);
	sel_yield();
	CHECK_EQ(t, sel_cnode_delete(ROOT, t2, FULL, 0), SEL_OK);
	sel_yield(); /* we run again: the spinner is gone */
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(PROC_0016, "each address space has its own ASID, recycled after destruction")
{
	uint64_t ut, a, b;
	struct sel_ret ra, rb;

	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_VSPACE, 0, &a), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_VSPACE, 0, &b), SEL_OK);
	CHECK_EQ(t, sel_invoke(a, SEL_VSPACE_INFO, 0, 0, 0, 0, 0, &ra), SEL_OK);
	CHECK_EQ(t, sel_invoke(b, SEL_VSPACE_INFO, 0, 0, 0, 0, 0, &rb), SEL_OK);
	CHECK(t, ra.v[0] != 0 && rb.v[0] != 0 && ra.v[0] != rb.v[0]);
	CHECK_EQ(t, sel_invoke(SEL_SLOT_VSPACE, SEL_VSPACE_INFO, 0, 0, 0, 0, 0, &rb), SEL_OK);
	CHECK(t, rb.v[0] != 0 && rb.v[0] != ra.v[0]);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(PROC_0017, "100 address spaces created, run and destroyed: the Untyped comes back whole")
{
	uint64_t ut;
	struct sel_untyped_info info;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	uint64_t mark = slots_mark();
	for (int i = 0; i < 100; i++) {
		uint64_t vs, tcb;
		slots_release(mark); /* the revoke below empties every slot used */
		struct sel_thread_info st;
		CHECK_EQ(t, loader_thread(ut, 9, REGION(9), &vs, &tcb), SEL_OK);
		CHECK_EQ(t, sel_tcb_resume(tcb), SEL_OK);
		CHECK(t, wait_stopped(tcb, &st, 1000));
		CHECK_EQ(t, st.reason, SEL_STOP_EXITED);
		CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
		CHECK_EQ(t, sel_untyped_reset(ut), SEL_OK);
		CHECK_EQ(t, sel_untyped_info(ut, &info), SEL_OK);
		CHECK_EQ(t, info.watermark, 0);
	}
}

TEST(PROC_0024, "switching address spaces writes satp and never fences (ASIDs)")
{
	/* li a7, SEL_SYS_YIELD; ecall; j back to the li */
	static const uint32_t yielder[] = {0x00700893u, 0x00000073u, 0xff9ff06fu};
	uint64_t ut, vs, tcb;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, code_thread(ut, 16, yielder, 3, 0, &vs, &tcb), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(tcb), SEL_OK);
	sel_yield();
	CHECK_EQ(t, sel_bench_begin(), SEL_OK); /* the group grants the Bench right */
	for (int i = 0; i < 100; i++)
		sel_yield();
	struct sel_ret w;
	CHECK_EQ(t, sel_bench_end(&w), SEL_OK);
	CHECK(t, w.v[3] >= 100); /* satp writes: one per switch at least */
	CHECK_EQ(t, w.v[2], 0);  /* fences */
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

static uint64_t handler_stack[512] __attribute__((aligned(16)));

static void on_fault(uint64_t cause, uint64_t pc, uint64_t addr)
{
	(void)pc;
	sel_exit((int)(cause * 1000 + (addr & 0xfff)));
}

static void touch(uint64_t addr)
{
	*(volatile uint64_t *)addr = 0;
	sel_exit(0);
}

TEST(PROC_0025, "a supervisor sets another thread's fault handler; the fault goes there")
{
	uint64_t ut, tcb;
	struct sel_thread_info st;

	CHECK_EQ(t, untyped_new(14, &ut), SEL_OK);
	CHECK_EQ(t, thread_in_root(ut, touch, 0x3000000123ull & ~7ull, 4, &tcb), SEL_OK);
	CHECK_EQ(t,
	         sel_invoke(tcb, SEL_TCB_SET_FAULT_HANDLER, (uint64_t)on_fault,
	                    (uint64_t)&handler_stack[512], 0, 0, 0, 0),
	         SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(tcb), SEL_OK);
	CHECK(t, wait_stopped(tcb, &st, 1000));
	CHECK_EQ(t, st.reason, SEL_STOP_EXITED);
	CHECK_EQ(t, st.code, 15 * 1000 + 0x120); /* store page fault at ...120 */
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}
