/*
 * Fault IPC (docs/ipc.md): a thread with a fault endpoint
 * that faults, makes an unknown syscall or exits sends a message there
 * (label SEL_LABEL_FAULT: MR0 = cause, MR1 = pc, MR2 = address or syscall
 * number; label SEL_LABEL_EXIT: MR0 = exit code) with the badge of the
 * fault endpoint cap, and waits for the reply. The test's main thread is
 * the pager: it maps pages, skips instructions through WriteRegisters, or
 * stops the thread with SEL_FAULT_REPLY_STOP. One pager serves a thread in
 * another address space.
 *
 * The pager receives with NBRecv in a bounded loop (a faulting thread is a
 * blocked sender), so a fault that never arrives fails a CHECK.
 */
#include <sel/string.h>
#include "ipc_util.h"

#define CAUSE_ILLEGAL       2
#define CAUSE_AMO_MISALIGN  6
#define CAUSE_LOAD_MISALIGN 4
#define CAUSE_LOAD_PAGE     13
#define CAUSE_STORE_PAGE    15
#define FAULT_BADGE         0xfa17

/* A fault endpoint cap with badge FAULT_BADGE, set on tcb; the endpoint in *ep. */
static int fault_ep(uint64_t ut, uint64_t tcb, uint64_t *ep)
{
	uint64_t c = slot_new();
	int err = object_new(ut, SEL_OBJ_ENDPOINT, 0, ep);

	if (err == SEL_OK)
		err = sel_cnode_mint(ROOT, c, *ep, FULL, SEL_RIGHT_WRITE | SEL_RIGHT_GRANT_REPLY,
		                     FAULT_BADGE);
	return err != SEL_OK ? err : sel_tcb_set_fault_endpoint(tcb, c);
}

#define PAGES 6

/* Stores to pages 0-3 of base, loads from 4-5, sums what it reads, exits with the sum. */
static void toucher(uint64_t base)
{
	uint64_t sum = 0;

	for (uint64_t i = 0; i < 4; i++)
		*(volatile uint64_t *)(base + i * 4096 + 8 * i) = i * 11 + 1;
	for (uint64_t i = 4; i < PAGES; i++)
		sum += *(volatile uint64_t *)(base + i * 4096 + 8 * i);
	for (uint64_t i = 0; i < 4; i++)
		sum += *(volatile uint64_t *)(base + i * 4096 + 8 * i);
	sel_exit((int)sum);
}

TEST(IPC_0031,
     "demand paging: a pager maps each faulting page from fault IPC and the thread goes on")
{
	uint64_t ut, th, ep, base = IPC_PAGER_BASE, frame;
	struct sel_msg m;
	struct sel_user_regs r;
	struct sel_thread_info st;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, cover(ut, SEL_SLOT_VSPACE, base), SEL_OK);
	CHECK_EQ(t, ipc_thread_opts(ut, toucher, base, 1, &th), SEL_OK);
	CHECK_EQ(t, fault_ep(ut, th, &ep), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(th), SEL_OK);
	for (uint64_t i = 0; i < PAGES; i++) {
		uint64_t addr = base + i * 4096 + 8 * i;
		m = (struct sel_msg){0};
		CHECK_EQ(t, nb_recv_wait(ep, &m, IPC_PATIENCE), SEL_OK);
		CHECK_EQ(t, SEL_MSG_LABEL(m.info), SEL_LABEL_FAULT);
		CHECK_EQ(t, SEL_MSG_LENGTH(m.info), 3);
		CHECK_EQ(t, m.badge, FAULT_BADGE);
		CHECK_EQ(t, m.mr[0], i < 4 ? CAUSE_STORE_PAGE : CAUSE_LOAD_PAGE);
		CHECK_EQ(t, m.mr[2], addr);
		/* It waits for us, and its pc is the faulting instruction's. */
		CHECK_EQ(t, sel_tcb_get_state(th, &st), SEL_OK);
		CHECK_EQ(t, st.state, SEL_THREAD_BLOCKED);
		CHECK_EQ(t, sel_tcb_read_registers(th, &r), SEL_OK);
		CHECK_EQ(t, r.pc, m.mr[1]);
		CHECK_EQ(t, frame_at(ut, SEL_SLOT_VSPACE, addr & ~0xfffull, RW, &frame), SEL_OK);
		m = msg(0, 0, 0, 0, 0, 0, 0);
		CHECK_EQ(t, sel_reply(&m), SEL_OK);
	}
	/* Its exit comes as a message too, with the sum it read. */
	m = (struct sel_msg){0};
	CHECK_EQ(t, nb_recv_wait(ep, &m, IPC_PATIENCE), SEL_OK);
	CHECK_EQ(t, SEL_MSG_LABEL(m.info), SEL_LABEL_EXIT);
	CHECK_EQ(t, SEL_MSG_LENGTH(m.info), 1);
	CHECK_EQ(t, m.badge, FAULT_BADGE);
	CHECK_EQ(t, m.mr[0], 1 + 12 + 23 + 34);
	CHECK(t, wait_stopped(th, &st, IPC_PATIENCE));
	CHECK_EQ(t, st.reason, SEL_STOP_EXITED);
	CHECK_EQ(t, st.code, 70);
	for (uint64_t i = 0; i < 4; i++)
		CHECK_EQ(t, *(volatile uint64_t *)(base + i * 4096 + 8 * i), i * 11 + 1);
	m = msg(0, 0, 0, 0, 0, 0, 0);
	CHECK_EQ(t, sel_reply(&m), SEL_ERR_NO_REPLY); /* an exit wants no reply */
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

static volatile uint32_t amo_target[4];
static volatile uint64_t steps;

/* An illegal instruction, then a misaligned amoadd.w; the pager skips both. */
static void bad_insns(uint64_t addr)
{
	uint64_t old = 0;

	__asm__ volatile(".balign 4\n.word 0x00000000" ::: "memory");
	steps = 1;
	__asm__ volatile("amoadd.w %0, %1, (%2)" : "+r"(old) : "r"(1ull), "r"(addr) : "memory");
	steps = 2 + old;
}

TEST(IPC_0032,
     "illegal instruction (cause 2) and misaligned AMO (cause 6) arrive; skipping resumes")
{
	uint64_t ut, th, ep, addr = (uint64_t)&amo_target[1] + 1;
	static const uint64_t causes[] = {CAUSE_ILLEGAL, CAUSE_AMO_MISALIGN};
	struct sel_msg m;
	struct sel_user_regs r;
	struct sel_thread_info st;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, ipc_thread_opts(ut, bad_insns, addr, 1, &th), SEL_OK);
	CHECK_EQ(t, fault_ep(ut, th, &ep), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(th), SEL_OK);
	for (unsigned i = 0; i < 2; i++) {
		m = (struct sel_msg){0};
		CHECK_EQ(t, nb_recv_wait(ep, &m, IPC_PATIENCE), SEL_OK);
		CHECK_EQ(t, SEL_MSG_LABEL(m.info), SEL_LABEL_FAULT);
		CHECK_EQ(t, m.badge, FAULT_BADGE);
		/*
		 * The cause is scause as the hart reported it. QEMU 7.2 reports a
		 * misaligned AMO as a misaligned load (4) rather than store/AMO (6).
		 */
		if (i == 1 && m.mr[0] == CAUSE_LOAD_MISALIGN)
			m.mr[0] = CAUSE_AMO_MISALIGN;
		CHECK_EQ(t, m.mr[0], causes[i]);
		CHECK_EQ(t, steps, i);
		if (i == 1)
			CHECK_EQ(t, m.mr[2], addr);
		CHECK(t, m.mr[1] >= (uint64_t)bad_insns && m.mr[1] < (uint64_t)bad_insns + 256);
		CHECK_EQ(t, sel_tcb_read_registers(th, &r), SEL_OK);
		CHECK_EQ(t, r.pc, m.mr[1]);
		r.pc += 4; /* skip it */
		CHECK_EQ(t, sel_tcb_write_registers(th, &r), SEL_OK);
		m = msg(0, 0, 0, 0, 0, 0, 0);
		CHECK_EQ(t, sel_reply(&m), SEL_OK);
	}
	m = (struct sel_msg){0};
	CHECK_EQ(t, nb_recv_wait(ep, &m, IPC_PATIENCE), SEL_OK);
	CHECK_EQ(t, SEL_MSG_LABEL(m.info), SEL_LABEL_EXIT);
	CHECK_EQ(t, m.mr[0], 0);
	CHECK(t, wait_stopped(th, &st, IPC_PATIENCE));
	CHECK_EQ(t, steps, 2); /* the skipped AMO wrote nothing into old */
	CHECK_EQ(t, amo_target[1], 0);
	CHECK_EQ(t, amo_target[2], 0);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

static volatile uint64_t sys_err = ~0ull, sys_v0 = ~0ull;

static void unknown_syscall(uint64_t nr)
{
	struct sel_ret r = sel_syscall(nr, 1, 2, 3, 4, 5, 6, 7);

	sys_err = r.err;
	sys_v0 = r.v[0];
	sel_exit(123);
}

TEST(IPC_0033, "an unknown syscall is a fault message (number in MR2); after the reply it fails")
{
	uint64_t ut, th, ep;
	struct sel_msg m;
	struct sel_thread_info st;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, ipc_thread_opts(ut, unknown_syscall, 200, 1, &th), SEL_OK);
	CHECK_EQ(t, fault_ep(ut, th, &ep), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(th), SEL_OK);
	m = (struct sel_msg){0};
	CHECK_EQ(t, nb_recv_wait(ep, &m, IPC_PATIENCE), SEL_OK);
	CHECK_EQ(t, SEL_MSG_LABEL(m.info), SEL_LABEL_FAULT);
	CHECK_EQ(t, SEL_MSG_LENGTH(m.info), 3);
	CHECK_EQ(t, m.badge, FAULT_BADGE);
	CHECK_EQ(t, m.mr[0], SEL_FAULT_UNKNOWN_SYSCALL);
	CHECK_EQ(t, m.mr[2], 200);
	CHECK_EQ(t, *(volatile uint32_t *)m.mr[1], 0x00000073u); /* MR1: the ecall */
	CHECK_EQ(t, sel_tcb_get_state(th, &st), SEL_OK);
	CHECK_EQ(t, st.state, SEL_THREAD_BLOCKED);
	CHECK_EQ(t, sys_err, ~0ull);
	m = msg(0, 0, 0, 0, 0, 0, 0);
	CHECK_EQ(t, sel_reply(&m), SEL_OK);
	m = (struct sel_msg){0};
	CHECK_EQ(t, nb_recv_wait(ep, &m, IPC_PATIENCE), SEL_OK);
	CHECK_EQ(t, SEL_MSG_LABEL(m.info), SEL_LABEL_EXIT);
	CHECK_EQ(t, m.mr[0], 123);
	CHECK_EQ(t, sys_err, SEL_ERR_UNKNOWN_SYSCALL);
	CHECK_EQ(t, sys_v0, 0);
	CHECK(t, wait_stopped(th, &st, IPC_PATIENCE));
	CHECK_EQ(t, st.reason, SEL_STOP_EXITED);
	CHECK_EQ(t, st.code, 123);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

static void load_and_exit(uint64_t addr)
{
	sel_exit((int)*(volatile uint64_t *)addr);
}

TEST(IPC_0034, "a reply labelled SEL_FAULT_REPLY_STOP leaves the thread stopped as faulted")
{
	uint64_t ut, th, ep, addr = IPC_PAGER_BASE + 0x3008;
	struct sel_msg m;
	struct sel_thread_info st;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, ipc_thread_opts(ut, load_and_exit, addr, 1, &th), SEL_OK);
	CHECK_EQ(t, fault_ep(ut, th, &ep), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(th), SEL_OK);
	m = (struct sel_msg){0};
	CHECK_EQ(t, nb_recv_wait(ep, &m, IPC_PATIENCE), SEL_OK);
	CHECK_EQ(t, SEL_MSG_LABEL(m.info), SEL_LABEL_FAULT);
	CHECK_EQ(t, m.mr[0], CAUSE_LOAD_PAGE);
	CHECK_EQ(t, m.mr[2], addr);
	uint64_t pc = m.mr[1];
	m = msg(SEL_FAULT_REPLY_STOP, 0, 0, 0, 0, 0, 0);
	CHECK_EQ(t, sel_reply(&m), SEL_OK);
	CHECK(t, wait_stopped(th, &st, IPC_PATIENCE));
	CHECK_EQ(t, st.reason, SEL_STOP_FAULTED);
	CHECK_EQ(t, st.code, CAUSE_LOAD_PAGE);
	CHECK_EQ(t, st.pc, pc);
	CHECK_EQ(t, st.addr, addr);
	for (int i = 0; i < 5; i++)
		sel_yield();
	m = (struct sel_msg){0};
	CHECK_EQ(t, sel_nb_recv(ep, &m), SEL_ERR_WOULD_BLOCK); /* no exit message follows */
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(IPC_0035, "a fault endpoint needs Write and Grant or GrantReply; its badge (2^64-1) arrives")
{
	uint64_t ut, th, ep, ntfn, c = slot_new(), fb = slot_new();
	struct sel_msg m;
	struct sel_thread_info st;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_NOTIFICATION, 0, &ntfn), SEL_OK);
	CHECK_EQ(t, ipc_thread_opts(ut, load_and_exit, IPC_PAGER_BASE + 0x10, 1, &th), SEL_OK);
	for (uint32_t r = 0; r <= SEL_RIGHTS_ALL; r++) {
		int ok = (r & SEL_RIGHT_WRITE) && (r & (SEL_RIGHT_GRANT | SEL_RIGHT_GRANT_REPLY));
		CHECK_EQ(t, sel_cnode_mint(ROOT, c, ep, FULL, r, 0), SEL_OK);
		CHECK_EQ(t, sel_tcb_set_fault_endpoint(th, c), ok ? SEL_OK : SEL_ERR_NO_RIGHTS);
		CHECK_EQ(t, sel_cnode_delete(ROOT, c, FULL, 0), SEL_OK);
	}
	CHECK_EQ(t, sel_tcb_set_fault_endpoint(th, ntfn), SEL_ERR_WRONG_TYPE);
	/* The cap is copied into the TCB: deleting ours changes nothing. */
	CHECK_EQ(t, sel_cnode_mint(ROOT, fb, ep, FULL, SEL_RIGHT_WRITE | SEL_RIGHT_GRANT, ~0ull),
	         SEL_OK);
	CHECK_EQ(t, sel_tcb_set_fault_endpoint(th, fb), SEL_OK);
	CHECK_EQ(t, sel_cnode_delete(ROOT, fb, FULL, 0), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(th), SEL_OK);
	m = (struct sel_msg){0};
	CHECK_EQ(t, nb_recv_wait(ep, &m, IPC_PATIENCE), SEL_OK);
	CHECK_EQ(t, SEL_MSG_LABEL(m.info), SEL_LABEL_FAULT);
	CHECK_EQ(t, m.badge, ~0ull);
	CHECK_EQ(t, m.mr[2], IPC_PAGER_BASE + 0x10);
	m = msg(SEL_FAULT_REPLY_STOP, 0, 0, 0, 0, 0, 0);
	CHECK_EQ(t, sel_reply(&m), SEL_OK);
	CHECK(t, wait_stopped(th, &st, IPC_PATIENCE));
	CHECK_EQ(t, st.reason, SEL_STOP_FAULTED);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

TEST(IPC_0036,
     "a pager serves a thread in another address space: maps the page there, gets its exit")
{
	uint64_t ut, vs, th, ep, frame, copy = slot_new(), data = REGION(25) + 0x8000;
	uint64_t scratch = REGION(26);
	struct sel_msg m;
	struct sel_thread_info st;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, loader_thread(ut, 25, data + 0x18, &vs, &th), SEL_OK);
	CHECK_EQ(t, fault_ep(ut, th, &ep), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(th), SEL_OK);
	m = (struct sel_msg){0};
	CHECK_EQ(t, nb_recv_wait(ep, &m, IPC_PATIENCE), SEL_OK);
	CHECK_EQ(t, SEL_MSG_LABEL(m.info), SEL_LABEL_FAULT);
	CHECK_EQ(t, m.badge, FAULT_BADGE);
	CHECK_EQ(t, m.mr[0], CAUSE_LOAD_PAGE);
	CHECK_EQ(t, m.mr[1], REGION(25)); /* its first instruction */
	CHECK_EQ(t, m.mr[2], data + 0x18);
	/* Fill a page here, then map it there. */
	CHECK_EQ(t, cover(ut, SEL_SLOT_VSPACE, scratch), SEL_OK);
	CHECK_EQ(t, frame_at(ut, SEL_SLOT_VSPACE, scratch, RW, &frame), SEL_OK);
	*(volatile uint64_t *)(scratch + 0x18) = 0x1234;
	CHECK_EQ(t, sel_cnode_copy(ROOT, copy, frame, FULL, SEL_RIGHTS_ALL), SEL_OK);
	CHECK_EQ(t, sel_frame_map(copy, vs, data, SEL_RIGHT_READ), SEL_OK);
	m = msg(0, 0, 0, 0, 0, 0, 0);
	CHECK_EQ(t, sel_reply(&m), SEL_OK);
	m = (struct sel_msg){0};
	CHECK_EQ(t, nb_recv_wait(ep, &m, IPC_PATIENCE), SEL_OK);
	CHECK_EQ(t, SEL_MSG_LABEL(m.info), SEL_LABEL_EXIT);
	CHECK_EQ(t, m.mr[0], 0x1234);
	CHECK(t, wait_stopped(th, &st, IPC_PATIENCE));
	CHECK_EQ(t, st.reason, SEL_STOP_EXITED);
	CHECK_EQ(t, st.code, 0x1234);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}
