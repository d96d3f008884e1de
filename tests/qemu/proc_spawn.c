/*
 * The process spawner: a program built into a process from its ELF and an
 * Untyped budget, started, and destroyed with the whole budget returned; a
 * second program loaded into the same address space and entered through
 * its symbol; a derivation tree spread over three processes, revoked at
 * once; and a hundred processes without drift.
 */
#include <sel/spawn.h>
#include "proc_util.h"

extern const uint8_t embedded_embedded_a_start[], embedded_embedded_a_end[];
extern const uint8_t embedded_embedded_b_start[], embedded_embedded_b_end[];

#define ELF_A                                                                                      \
	embedded_embedded_a_start, (size_t)(embedded_embedded_a_end - embedded_embedded_a_start)
#define ELF_B                                                                                      \
	embedded_embedded_b_start, (size_t)(embedded_embedded_b_end - embedded_embedded_b_start)

/* A spawner whose window lives in test k's region. */
static int spawner(uint64_t ut, unsigned k, struct sel_spawner *sp)
{
	*sp = (struct sel_spawner){ROOT, SEL_SLOT_VSPACE, REGION(k)};
	return cover(ut, SEL_SLOT_VSPACE, REGION(k));
}

static int run_to_exit(struct sel_process *p, uint64_t arg, struct sel_thread_info *st)
{
	int err = sel_process_start(p, arg);
	return err != SEL_OK ? err : wait_stopped(p->tcb, st, 1000) ? SEL_OK : SEL_ERR_TIMEOUT;
}

TEST(PROC_0018, "a spawned process runs its ELF and is torn down with its whole budget returned")
{
	uint64_t ut, budget;
	struct sel_spawner sp;
	struct sel_process p;
	struct sel_thread_info st;
	struct sel_untyped_info info;

	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	CHECK_EQ(t, spawner(ut, 10, &sp), SEL_OK);
	CHECK_EQ(t, untyped_new(18, &budget), SEL_OK);
	CHECK_EQ(t, sel_process_create(&sp, budget, slots_new(SEL_PROCESS_SLOTS), ELF_A, &p),
	         SEL_OK);
	CHECK_EQ(t, sel_untyped_info(budget, &info), SEL_OK);
	CHECK(t, info.watermark > 0);
	CHECK_EQ(t, run_to_exit(&p, 5, &st), SEL_OK);
	CHECK(t, st.reason == SEL_STOP_EXITED && st.code == 0x5e1e + 5);
	CHECK_EQ(t, sel_process_destroy(&sp, &p), SEL_OK);
	CHECK_EQ(t, sel_untyped_info(budget, &info), SEL_OK);
	CHECK_EQ(t, info.watermark, 0);
	CHECK_EQ(t, ident(p.tcb).type, SEL_OBJ_NULL);
	CHECK_EQ(t, sel_process_create(&sp, budget, p.first, "not an elf", 10, &p),
	         SEL_ERR_INVALID_ARG);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(PROC_0019, "a second program loads into an existing address space and runs from its symbol")
{
	uint64_t ut, budget;
	struct sel_spawner sp;
	struct sel_process p;
	struct sel_thread_info st;

	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	CHECK_EQ(t, spawner(ut, 11, &sp), SEL_OK);
	CHECK_EQ(t, untyped_new(18, &budget), SEL_OK);
	CHECK_EQ(t, sel_process_create(&sp, budget, slots_new(SEL_PROCESS_SLOTS), ELF_A, &p),
	         SEL_OK);
	CHECK_EQ(t, sel_process_load(&sp, &p, ELF_B), SEL_OK);
	CHECK_EQ(t, sel_process_load(&sp, &p, ELF_A), SEL_ERR_ALREADY_MAPPED); /* overlaps */
	uint64_t entry = sel_elf_symbol(ELF_B, "second_entry");
	CHECK(t, entry >= 0x400000 && entry < 0x500000);
	CHECK_EQ(t, sel_elf_symbol(ELF_B, "no_such_symbol"), 0);
	CHECK(t, sel_elf_symbol(ELF_A, "main_value") >= 0x10000);
	p.entry = entry;
	CHECK_EQ(t, run_to_exit(&p, 41, &st), SEL_OK);
	CHECK(t, st.reason == SEL_STOP_EXITED && st.code == 42);
	CHECK_EQ(t, sel_process_destroy(&sp, &p), SEL_OK);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(PROC_0020, "revoking a derivation tree spread over three processes empties all three")
{
	uint64_t ut, ep, b[3];
	struct sel_spawner sp;
	struct sel_process p[3];
	struct sel_ret r;

	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	CHECK_EQ(t, spawner(ut, 12, &sp), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(t, untyped_new(18, &b[i]), SEL_OK);
		CHECK_EQ(t,
		         sel_process_create(&sp, b[i], slots_new(SEL_PROCESS_SLOTS), ELF_A, &p[i]),
		         SEL_OK);
	}
	/* ep -> process 0 slot 20 -> process 1 slot 21 -> process 2 slot 22. */
	CHECK_EQ(t, sel_process_give(&sp, &p[0], ep, 20, SEL_RIGHTS_ALL), SEL_OK);
	CHECK_EQ(t,
	         sel_cnode_op(SEL_CNODE_COPY, sel_slot_in(p[1].cnode, 21, FULL),
	                      sel_slot_in(p[0].cnode, 20, FULL), SEL_RIGHT_WRITE, 0),
	         SEL_OK);
	CHECK_EQ(t,
	         sel_cnode_op(SEL_CNODE_COPY, sel_slot_in(p[2].cnode, 22, FULL),
	                      sel_slot_in(p[1].cnode, 21, FULL), SEL_RIGHT_WRITE, 0),
	         SEL_OK);
	CHECK_EQ(t, sel_invoke(p[2].cnode, SEL_CNODE_IDENTIFY, 22, 0, 0, FULL, 0, &r), SEL_OK);
	CHECK(t, r.v[0] == SEL_OBJ_ENDPOINT && r.v[1] == SEL_RIGHT_WRITE);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ep, FULL, 0), SEL_OK);
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(t, sel_invoke(p[i].cnode, SEL_CNODE_IDENTIFY, 20 + i, 0, 0, FULL, 0, &r),
		         SEL_OK);
		CHECK_EQ(t, r.v[0], SEL_OBJ_NULL);
		CHECK_EQ(t, sel_process_destroy(&sp, &p[i]), SEL_OK);
	}
	CHECK_EQ(t, ident(ep).type, SEL_OBJ_ENDPOINT);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(PROC_0021, "100 processes spawned, run and destroyed: no drift in memory or slots")
{
	uint64_t ut, budget, first = slots_new(SEL_PROCESS_SLOTS);
	struct sel_spawner sp;
	struct sel_untyped_info info;

	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	CHECK_EQ(t, spawner(ut, 13, &sp), SEL_OK);
	CHECK_EQ(t, untyped_new(18, &budget), SEL_OK);
	for (uint64_t i = 0; i < 100; i++) {
		struct sel_process p;
		struct sel_thread_info st;
		CHECK_EQ(t, sel_process_create(&sp, budget, first, ELF_A, &p), SEL_OK);
		CHECK_EQ(t, run_to_exit(&p, i, &st), SEL_OK);
		CHECK_EQ(t, st.code, 0x5e1e + i);
		CHECK_EQ(t, sel_process_destroy(&sp, &p), SEL_OK);
		CHECK_EQ(t, sel_untyped_info(budget, &info), SEL_OK);
		CHECK_EQ(t, info.watermark, 0);
	}
	for (uint64_t s = first; s < first + SEL_PROCESS_SLOTS; s++)
		CHECK_EQ(t, ident(s).type, SEL_OBJ_NULL);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}
