/*
 * Windows across harts (docs/windows.md), under multi-threaded TCG only:
 * a revoke is seen at once by a reader on another hart, and a hostile
 * client on another hart rewrites the length and offset of its request
 * 10^6 times while the server decodes it -- the server copies the header
 * out once and validates the copy, so it makes no access outside the
 * window (the page after it is unmapped: any access there faults), and it
 * keeps serving a second, honest client. The positive control WIN_0097
 * runs the same exchange with a server that reads the length from the
 * window again in its loop, and must fault on that guard page.
 */
#include <sel/debug.h>
#include <sel/fault.h>
#include <sel/print.h>
#include <sel/ring.h>
#include <sel/window.h>
#include "ipc_util.h"

#define WIN_SRV   REGION(27)              /* the server's side (read-only) */
#define WIN_CLI   (REGION(27) + 0x100000) /* the hostile client's side */
#define WIN_RING  (REGION(27) + 0x200000) /* the honest client's ring */
#define WIN_BYTES 8192u                   /* 2^13: the page after it is a guard */

static volatile uint64_t reads, stop;

/* Reads the window in a loop, counting the loads that completed. */
static void reader(uint64_t arg)
{
	(void)arg;
	while (!stop) {
		(void)*(volatile uint64_t *)WIN_SRV;
		reads = reads + 1;
	}
}

TEST(WIN_0006, "after a revoke returns, a reader on another hart faults on its next access")
{
	uint64_t ut, w, ep, tcb, r0, side = slot_new(), me = sel_debug_info(SEL_INFO_HART_ID);
	struct sel_msg m = {0};

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_WINDOW, 13, &w), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, cover(ut, SEL_SLOT_VSPACE, WIN_SRV), SEL_OK);
	CHECK_EQ(t, sel_cnode_copy(ROOT, side, w, FULL, SEL_RIGHTS_ALL), SEL_OK);
	CHECK_EQ(t, sel_window_map(side, SEL_SLOT_VSPACE, WIN_SRV, RW, 0, 0), SEL_OK);
	CHECK_EQ(t, ipc_thread_opts(ut, reader, 0, 1, &tcb), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_fault_endpoint(tcb, ep), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_affinity(tcb, (me + 1) % sel_debug_info(SEL_INFO_HARTS_ONLINE)),
	         SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(tcb), SEL_OK);
	for (unsigned i = 0; i < IPC_PATIENCE && reads < 1000; i++)
		sel_yield();
	CHECK(t, reads >= 1000);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, w, FULL, 0), SEL_OK); /* the mapped side goes */
	r0 = reads;
	CHECK_EQ(t, nb_recv_wait(ep, &m, IPC_PATIENCE), SEL_OK);
	CHECK_EQ(t, SEL_MSG_LABEL(m.info), SEL_LABEL_FAULT);
	CHECK_EQ(t, m.mr[0], 13); /* load page fault */
	CHECK_EQ(t, m.mr[2], WIN_SRV);
	CHECK(t, reads <= r0 + 1); /* at most the load already past its translation */
	stop = 1;
}

/* ---- the hostile client ------------------------------------------------ */

/* The request header at the start of the window; the payload follows. */
struct request {
	uint32_t off; /* payload offset from WIN_PAYLOAD */
	uint32_t len; /* payload bytes, a multiple of 8 */
};

#define WIN_PAYLOAD 64u
#define FLIPS       1000000u

#define MIN_REQUESTS 20000u

static volatile uint64_t flips_done, honest_sent, honest_done, requests, min_requests, server_done;

/*
 * Rewrites off and len, valid and wild values in turn, as fast as it can:
 * 10^6 times, and on until the server has decoded min_requests requests
 * (or stopped).
 */
static void hostile(uint64_t arg)
{
	static const uint32_t offs[] = {0, 8, 4000, 0xfffffff8u, 8064};
	static const uint32_t lens[] = {64, 8000, 1u << 30, 128, 0xfffffff8u};
	volatile struct request *q = (volatile struct request *)WIN_CLI;

	(void)arg;
	for (uint64_t i = 0; !server_done && (i < FLIPS || requests < min_requests); i++) {
		q->off = offs[i % 5];
		q->len = lens[(i / 5 + i) % 5];
	}
	flips_done = 1;
}

/* Pushes 1..n into its ring; the server sums them. */
static void honest(uint64_t n)
{
	struct sel_ring r;
	uint64_t msg[8] = {0};

	if (sel_ring_attach(&r, (void *)WIN_RING, 64, -1, 0) != SEL_OK)
		return;
	for (uint64_t i = 1; i <= n; i++) {
		msg[0] = i;
		while (sel_ring_push(&r, msg) != SEL_OK)
			sel_yield();
		sel_ring_publish(&r);
		honest_sent = i;
	}
	honest_done = 1;
}

struct serve_stats {
	uint64_t served, refused, honest_sum, honest_msgs;
};

/* Decode once: the header is copied out in one load, validated, used. */
static uint64_t serve_once(const volatile struct request *q, int double_fetch, uint64_t *ok)
{
	struct request h;
	uint64_t word = *(const volatile uint64_t *)q, sum = 0;

	h.off = (uint32_t)word;
	h.len = (uint32_t)(word >> 32);
	*ok = h.off <= WIN_BYTES - WIN_PAYLOAD && h.len <= WIN_BYTES - WIN_PAYLOAD - h.off;
	if (!*ok)
		return 0;
	const volatile uint64_t *p = (const volatile uint64_t *)(WIN_SRV + WIN_PAYLOAD + h.off);
	uint64_t n = h.len / 8;
	if (double_fetch) /* the bug: the validated length is fetched from the window again */
		n = q->len / 8;
	for (uint64_t i = 0; i < n; i++)
		sum += p[i];
	return sum;
}

static int double_fetch_variant;
static struct serve_stats stats;

static void server_loop(void *arg)
{
	const volatile struct request *q = (const volatile struct request *)WIN_SRV;
	struct sel_ring r;
	uint64_t msg[8], ok;

	uint64_t start = sel_rdtime();

	(void)arg;
	if (sel_ring_attach(&r, (void *)WIN_RING, 64, -1, 0) != SEL_OK)
		return;
	while (!flips_done || !honest_done || sel_ring_count(&r)) {
		if (double_fetch_variant && (requests & 1023) == 0 &&
		    sel_rdtime() - start > 100000000ull)
			break; /* the control: 10 s at 10 MHz without the bug showing */
		serve_once(q, double_fetch_variant, &ok);
		requests = requests + 1;
		if (ok)
			stats.served++;
		else
			stats.refused++;
		while (sel_ring_pop(&r, msg) == SEL_OK) {
			stats.honest_sum += msg[0];
			stats.honest_msgs++;
		}
	}
}

#define HONEST 20000u

/* The exchange; 1 if the server faulted (details in *fi). */
static int hostile_exchange(struct test_ctx *t, int double_fetch, struct sel_fault_info *fi)
{
	uint64_t ut, w, srv = slot_new(), ring, th, tc;
	uint64_t harts = sel_debug_info(SEL_INFO_HARTS_ONLINE),
	         me = sel_debug_info(SEL_INFO_HART_ID);
	struct sel_ring init;

	if (untyped_new(19, &ut) != SEL_OK || object_new(ut, SEL_OBJ_WINDOW, 13, &w) != SEL_OK ||
	    object_new(ut, SEL_OBJ_WINDOW, 13, &ring) != SEL_OK ||
	    cover(ut, SEL_SLOT_VSPACE, WIN_SRV) != SEL_OK ||
	    cover(ut, SEL_SLOT_VSPACE, WIN_RING) != SEL_OK ||
	    sel_cnode_copy(ROOT, srv, w, FULL, SEL_RIGHT_READ) != SEL_OK ||
	    sel_window_map(srv, SEL_SLOT_VSPACE, WIN_SRV, SEL_RIGHT_READ, 0, 0) != SEL_OK ||
	    sel_window_map(w, SEL_SLOT_VSPACE, WIN_CLI, RW, 0, 1) != SEL_OK ||
	    sel_window_map(ring, SEL_SLOT_VSPACE, WIN_RING, RW, 0, 0) != SEL_OK ||
	    sel_ring_attach(&init, (void *)WIN_RING, 64, -1, 1) != SEL_OK) {
		test_fail(t, __FILE__, __LINE__, "setting up the windows failed");
		return -1;
	}
	double_fetch_variant = double_fetch;
	/* The control goes on until the bug shows (or 10 s pass). */
	min_requests = double_fetch ? ~0ull : MIN_REQUESTS;
	if (ipc_thread_opts(ut, hostile, 0, 1, &th) != SEL_OK ||
	    sel_tcb_set_affinity(th, (me + 1) % harts) != SEL_OK ||
	    ipc_thread_opts(ut, honest, HONEST, 1, &tc) != SEL_OK ||
	    sel_tcb_set_affinity(tc, (me + 2) % harts) != SEL_OK || sel_tcb_resume(th) != SEL_OK ||
	    sel_tcb_resume(tc) != SEL_OK) {
		test_fail(t, __FILE__, __LINE__, "starting the clients failed");
		return -1;
	}
	int faulted = sel_catch_fault(server_loop, 0, fi);
	server_done = 1;
	return faulted;
}

TEST(WIN_0007, "a hostile client flips its request 10^6 times: the server never reads outside "
               "the window and serves an honest client meanwhile")
{
	struct sel_fault_info fi;
	int faulted = hostile_exchange(t, 0, &fi);

	if (faulted < 0)
		return;
	if (faulted)
		test_fail(t, __FILE__, __LINE__,
		          "the server faulted: cause %lu pc 0x%lx addr 0x%lx", fi.cause, fi.pc,
		          fi.stval);
	CHECK_EQ(t, faulted, 0);
	CHECK_EQ(t, flips_done, 1);
	CHECK(t, requests >= MIN_REQUESTS);
	CHECK_EQ(t, stats.honest_msgs, HONEST);
	CHECK_EQ(t, stats.honest_sum, (uint64_t)HONEST * (HONEST + 1) / 2);
	sel_printf("WIN_0007: %lu requests served, %lu refused, %lu honest messages\n",
	           stats.served, stats.refused, stats.honest_msgs);
}

TEST(WIN_0097, "control: the same exchange with a server that reads the length twice faults "
               "past the window")
{
	struct sel_fault_info fi;
	int faulted = hostile_exchange(t, 1, &fi);

	if (faulted < 0)
		return;
	CHECK_EQ(t, faulted, 1);
	CHECK_EQ(t, fi.cause, 13); /* load page fault */
	CHECK(t, fi.stval >= WIN_SRV + WIN_BYTES && fi.stval < WIN_SRV + 0x100000);
}
