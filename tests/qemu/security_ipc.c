/*
 * Security properties of IPC (docs/security-ipc.md): what a hostile
 * process can no longer reach through leases, device memory named as a
 * kernel buffer, or wild pointers handed to the kernel.
 *
 * Each test plays the hostile side from the test's own threads and checks
 * the kernel's answer: an error code, never a kernel panic, never access
 * to memory the caller was not lent.
 */
#include <sel/debug.h>
#include <sel/print.h>
#include <sel/string.h>
#include "ipc_util.h"

#define CAUSE_ILLEGAL 2

static uint64_t lent[512] __attribute__((aligned(4096)));
static volatile uint64_t c_err[4], c_done;

/* Lends `lent` for one Call, then (once the call is answered) faults. */
static void lend_then_fault(uint64_t ep)
{
	struct sel_msg m = msg(7, 2, (uint64_t)lent, SEL_LEASE_WORD(4096, RW), 0, 0, 0);

	m.info |= SEL_MSG_LEASE;
	c_err[0] = (uint64_t)sel_call(ep, &m);
	c_done = 1;
	__asm__ volatile(".balign 4\n.word 0x00000000" ::: "memory");
	c_done = 2;
}

TEST(SEC_0200, "a fault handler cannot reach the faulting thread's last, answered lease")
{
	uint64_t ut, ep, fep, th, w = 0;
	struct sel_msg m;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &fep), SEL_OK);
	lent[0] = 0x5ec0200;
	CHECK_EQ(t, ipc_thread_opts(ut, lend_then_fault, ep, 1, &th), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_fault_endpoint(th, fep), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(th), SEL_OK);
	/* Serve its Call: the lease is ours until the reply. */
	m = (struct sel_msg){0};
	CHECK_EQ(t, nb_recv_wait(ep, &m, IPC_PATIENCE), SEL_OK);
	CHECK_EQ(t, sel_lease_read(0, &w, 8), SEL_OK);
	CHECK_EQ(t, w, 0x5ec0200);
	m = msg(0, 0, 0, 0, 0, 0, 0);
	CHECK_EQ(t, sel_reply(&m), SEL_OK);
	CHECK_EQ(t, sel_lease_read(0, &w, 8), SEL_ERR_PEER_DEAD);
	/* Its fault comes to us as a message with a reply owed: no lease comes with it. */
	m = (struct sel_msg){0};
	CHECK_EQ(t, nb_recv_wait(fep, &m, IPC_PATIENCE), SEL_OK);
	CHECK_EQ(t, SEL_MSG_LABEL(m.info), SEL_LABEL_FAULT);
	CHECK_EQ(t, m.mr[0], CAUSE_ILLEGAL);
	CHECK_EQ(t, c_err[0], SEL_OK);
	w = 0;
	CHECK_EQ(t, sel_lease_read(0, &w, 8), SEL_ERR_ILLEGAL_OP);
	CHECK_EQ(t, w, 0);
	w = 0xbad;
	CHECK_EQ(t, sel_lease_write(0, &w, 8), SEL_ERR_ILLEGAL_OP);
	CHECK_EQ(t, lent[0], 0x5ec0200);
	m = msg(SEL_FAULT_REPLY_STOP, 0, 0, 0, 0, 0, 0);
	CHECK_EQ(t, sel_reply(&m), SEL_OK);
	CHECK_EQ(t, c_done, 1);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

/*
 * Wild user pointers: every address below is one the kernel must refuse
 * (an error, never a panic, never a byte moved): kernel memory, a range
 * that crosses the top of user space, one whose end wraps past 2^64, and
 * unmapped memory. Lengths where the call takes one: small, and huge.
 * A lease may name any user range at the Call (it is checked page by page
 * at each access); one that leaves user space is refused at once.
 */
#define KERNEL_IMAGE 0xffffffc080200000ull
static const uint64_t wild[] = {
    REGION(30),             /* user memory with nothing mapped */
    KERNEL_IMAGE,           /* the kernel's own image */
    0xffffffc000000000ull,  /* the kernel's physical-memory window */
    SEL_USER_VADDR_END - 8, /* crosses the top of user space */
    SEL_USER_VADDR_END,     /* the first byte above it */
    ~0ull - 7,              /* addr + len wraps */
    0x8000000000000000ull,  /* non-canonical */
};
#define N_WILD (sizeof(wild) / sizeof(wild[0]))
static const uint64_t wild_len[] = {8, 16, 4096, 1ull << 40, ~0ull};
#define N_LEN (sizeof(wild_len) / sizeof(wild_len[0]))

/* 1 (and a line saying which) if the kernel accepted a wild pointer. */
static int accepted(const char *what, uint64_t addr, int err)
{
	if (err != SEL_OK)
		return 0;
	sel_printf("SEC_0201: %s accepted %lx\n", what, addr);
	return 1;
}

static volatile uint64_t sweep_bad, sweep_ok, sweep_done;

/* Serves one Call that lends 4 KiB: tries every wild buffer, replies. */
static void wild_lease_server(uint64_t ep)
{
	struct sel_msg m = {0};

	sel_recv(ep, &m);
	for (unsigned i = 0; i < N_WILD; i++)
		for (unsigned j = 0; j < N_LEN; j++) {
			uint64_t len = wild_len[j] > 4096 ? wild_len[j] : 16;
			int r = sel_lease_read(0, (void *)wild[i], len);
			int w = sel_lease_write(0, (const void *)wild[i], len);
			if (r == SEL_OK || w == SEL_OK)
				sweep_bad = sweep_bad + 1;
			else
				sweep_ok = sweep_ok + 1;
		}
	m = msg(0, 0, 0, 0, 0, 0, 0);
	sel_reply(&m);
	sweep_done = 1;
}

TEST(SEC_0201, "wild pointers into every call that takes one: an error each time, no panic")
{
	uint64_t ut, ep, th, frame, pt, bad = 0, n = 0;
	struct sel_user_regs r;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, ipc_thread_opts(ut, wild_lease_server, ep, 1, &th), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_FRAME, 12, &frame), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_PAGE_TABLE, 0, &pt), SEL_OK);
	CHECK_EQ(t, sel_tcb_read_registers(th, &r), SEL_OK);
	for (unsigned i = 0; i < N_WILD; i++) {
		n += 5;
		/* Mapping outside user space (page-aligned): refused, nothing mapped. */
		if (wild[i] >= SEL_USER_VADDR_END - 8) {
			uint64_t va = wild[i] < SEL_USER_VADDR_END ? SEL_USER_VADDR_END : wild[i];
			bad += accepted("frame map", va,
			                sel_frame_map(frame, SEL_SLOT_VSPACE, va & ~0xfffull, RW));
			bad += accepted("page table map", va,
			                sel_page_table_map(pt, SEL_SLOT_VSPACE, va & ~0x1fffffull));
		}
		bad += accepted("read registers", wild[i],
		                sel_tcb_read_registers(th, (struct sel_user_regs *)wild[i]));
		bad += accepted("write registers", wild[i],
		                sel_tcb_write_registers(th, (const struct sel_user_regs *)wild[i]));
		bad +=
		    accepted("console write", wild[i], sel_debug_write((const void *)wild[i], 16));
		for (unsigned j = 0; j < N_LEN; j++) {
			/* A lease that leaves user space is refused at the Call. */
			uint64_t ll = wild_len[j] & 0xffff ? wild_len[j] & 0xffff : 16;
			struct sel_msg m = msg(7, 2, wild[i], SEL_LEASE_WORD(ll, RW), 0, 0, 0);
			m.info |= SEL_MSG_LEASE;
			if (wild[i] + ll < wild[i] || wild[i] + ll > SEL_USER_VADDR_END)
				bad += accepted("lease", wild[i], sel_call(ep, &m));
			if (wild[i] == SEL_USER_VADDR_END - 8 && wild_len[j] <= 8)
				continue; /* the last 8 bytes of user space: not wild */
			bad += accepted("console write", wild[i],
			                sel_debug_write((const void *)wild[i], wild_len[j]));
			n += 2;
		}
	}
	CHECK_EQ(t, bad, 0);
	/* A huge console write from a good address is refused too. */
	CHECK(t, sel_debug_write(lent, 1ull << 40) != SEL_OK);
	CHECK(t, sel_debug_write(lent, ~0ull) != SEL_OK);
	/* Wild buffers for a lease's copies, from inside a call that lent 4 KiB. */
	CHECK_EQ(t, sel_tcb_resume(th), SEL_OK);
	struct sel_msg m = msg(7, 2, (uint64_t)lent, SEL_LEASE_WORD(4096, RW), 0, 0, 0);
	m.info |= SEL_MSG_LEASE;
	CHECK_EQ(t, sel_call(ep, &m), SEL_OK);
	CHECK(t, wait_flag(&sweep_done, IPC_PATIENCE));
	CHECK_EQ(t, sweep_bad, 0);
	CHECK_EQ(t, sweep_ok, N_WILD * N_LEN);
	sel_printf("SEC_0201: %lu wild calls refused\n", n + sweep_ok);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}

/*
 * A lease over three pages, its start and the server's buffer at different
 * offsets in their pages, so every piece of the kernel's copy ends on a page
 * boundary of one side only. The server reads it all, writes it all back
 * transformed, then tries one byte past the end each way: refused, and its
 * buffer and the caller's memory beyond the lease unchanged.
 */
#define SPAN_OFF 3001 /* the lease's offset into big (not a multiple of 8) */
#define SPAN_LEN 6000 /* crosses the two page boundaries inside big */

static uint8_t big[3 * 4096] __attribute__((aligned(4096)));
static uint8_t mine[3 * 4096] __attribute__((aligned(4096)));
static volatile uint64_t span_err[4], span_bad, span_done;

static void spanning_server(uint64_t ep)
{
	struct sel_msg m = {0};
	uint8_t *buf = mine + 4096 - 333; /* its page boundaries elsewhere than the lease's */

	sel_recv(ep, &m);
	span_err[0] = (uint64_t)sel_lease_read(0, buf, SPAN_LEN);
	for (unsigned i = 0; i < SPAN_LEN; i++) {
		span_bad += buf[i] != (uint8_t)(i * 13 + 5);
		buf[i] = (uint8_t)~buf[i];
	}
	span_err[1] = (uint64_t)sel_lease_write(0, buf, SPAN_LEN);
	buf[SPAN_LEN] = 0x5a;
	span_err[2] = (uint64_t)sel_lease_read(1, buf + 1, SPAN_LEN);  /* one past the end */
	span_err[3] = (uint64_t)sel_lease_write(1, buf + 1, SPAN_LEN); /* one past the end */
	span_bad += buf[SPAN_LEN] != 0x5a;
	m = msg(0, 0, 0, 0, 0, 0, 0);
	sel_reply(&m);
	span_done = 1;
}

TEST(SEC_0600, "a lease over three pages at other offsets on each side: every byte copied, "
               "not one beyond its end")
{
	uint64_t ut, ep, tcb, bad = 0;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	for (unsigned i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)((i - SPAN_OFF) * 13 + 5);
	CHECK_EQ(t, ipc_thread(ut, spanning_server, ep, &tcb), SEL_OK);
	struct sel_msg m =
	    msg(7, 2, (uint64_t)(big + SPAN_OFF), SEL_LEASE_WORD(SPAN_LEN, RW), 0, 0, 0);
	m.info |= SEL_MSG_LEASE;
	CHECK_EQ(t, sel_call(ep, &m), SEL_OK);
	CHECK(t, wait_flag(&span_done, IPC_PATIENCE));
	CHECK_EQ(t, span_err[0], SEL_OK);
	CHECK_EQ(t, span_err[1], SEL_OK);
	CHECK_EQ(t, span_err[2], SEL_ERR_RANGE);
	CHECK_EQ(t, span_err[3], SEL_ERR_RANGE);
	CHECK_EQ(t, span_bad, 0);
	for (unsigned i = 0; i < sizeof(big); i++) {
		uint8_t orig = (uint8_t)((i - SPAN_OFF) * 13 + 5);
		bool inside = i >= SPAN_OFF && i < SPAN_OFF + SPAN_LEN;
		bad += big[i] != (inside ? (uint8_t)~orig : orig);
	}
	CHECK_EQ(t, bad, 0);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
}
