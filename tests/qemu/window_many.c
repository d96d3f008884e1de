/*
 * Many clients of one server (docs/windows.md, "Many clients";
 * <sel/mux.h>): 100 clients, each with a request ring in a window of its
 * own and a sender to the server's one receiver on vector client % 64, are
 * all served, in order per client, none left behind; and a server that
 * needs clock order takes the oldest stamped request first.
 */
#include <sel/debug.h>
#include <sel/mux.h>
#include <sel/print.h>
#include <sel/uintr.h>
#include <sel/window.h>
#include <selene/kinfo.h>
#include "ipc_util.h"

#define CLIENTS   100u
#define PRODUCERS 10u /* threads, each the producer of 10 clients' rings */
#define PER       (CLIENTS / PRODUCERS)
#define MSGS      100u /* per client */
#define DEPTH     16u
#define WIN_MANY  REGION(28)

struct msg {
	uint64_t client, seq, stamp, pad[5];
};

_Static_assert(sizeof(struct msg) == SEL_RING_SLOT, "one message per slot");

static struct sel_ring server_rings[CLIENTS];
static struct sel_mux mux;
static volatile uint64_t scratch_base, server_recv, producers_done, producer_err;

static void on_doorbell(uint64_t pending, struct sel_uintr_frame *f)
{
	(void)f;
	sel_mux_raise(&mux, pending);
}

static uint64_t clock_now(void)
{
	const struct sel_kinfo *k = (const struct sel_kinfo *)SEL_KINFO_VADDR;

	return k->hart[sel_debug_info(SEL_INFO_HART_ID)].clock;
}

/*
 * Producer k: makes its clients' senders (vector c % 64 each) and installs
 * them at 0..PER-1 of its own table, then sends MSGS to each, interleaved.
 */
static void producer(uint64_t k)
{
	struct sel_ring r[PER];
	struct msg m = {0};
	uint64_t scratch = scratch_base + k;

	for (uint32_t j = 0; j < PER; j++) {
		uint64_t c = k * PER + j;
		if (sel_uintr_create_sender(server_recv, SEL_MUX_VECTOR(c), ROOT, scratch, FULL) !=
		        SEL_OK ||
		    sel_uintr_install(scratch, j) != SEL_OK ||
		    sel_cnode_delete(ROOT, scratch, FULL, 0) != SEL_OK ||
		    sel_ring_attach(&r[j], (void *)(WIN_MANY + c * 4096), DEPTH, j, 0) != SEL_OK) {
			producer_err = 1;
			return;
		}
	}
	for (uint64_t seq = 0; seq < MSGS; seq++)
		for (uint32_t j = 0; j < PER; j++) {
			m.client = k * PER + j;
			m.seq = seq;
			m.stamp = clock_now();
			while (sel_ring_push(&r[j], &m) != SEL_OK) {
				sel_ring_publish(&r[j]);
				sel_yield();
			}
			sel_ring_publish(&r[j]);
		}
	__atomic_fetch_add(&producers_done, 1, __ATOMIC_SEQ_CST);
}

TEST(WIN_0008, "100 clients of one server, 64 vectors shared: all served, in order, none left")
{
	uint64_t ut, recv, w, tcb, expect[CLIENTS] = {0}, got = 0, wins = slots_new(CLIENTS);
	uint64_t harts = sel_debug_info(SEL_INFO_HARTS_ONLINE);
	struct msg m;
	uint32_t c;

	scratch_base = slots_new(PRODUCERS);
	CHECK_EQ(t, untyped_new(21, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_UINTR_RECEIVER, 0, &recv), SEL_OK);
	CHECK_EQ(t, sel_uintr_register_handler(recv, on_doorbell, 0), SEL_OK);
	server_recv = recv;
	CHECK_EQ(t, cover(ut, SEL_SLOT_VSPACE, WIN_MANY), SEL_OK);
	for (c = 0; c < CLIENTS; c++) {
		w = wins + c;
		CHECK_EQ(t, sel_untyped_retype(ut, SEL_OBJ_WINDOW, 12, ROOT, w, 1), SEL_OK);
		CHECK_EQ(t, sel_window_map(w, SEL_SLOT_VSPACE, WIN_MANY + c * 4096, RW, 0, 0),
		         SEL_OK);
		CHECK_EQ(
		    t,
		    sel_ring_attach(&server_rings[c], (void *)(WIN_MANY + c * 4096), DEPTH, -1, 1),
		    SEL_OK);
	}
	CHECK_EQ(t, sel_mux_init(&mux, server_rings, CLIENTS), SEL_OK);
	for (uint64_t k = 0; k < PRODUCERS; k++) {
		CHECK_EQ(t, ipc_thread_opts(ut, producer, k, 1, &tcb), SEL_OK);
		CHECK_EQ(t, sel_tcb_set_affinity(tcb, k % harts), SEL_OK);
		CHECK_EQ(t, sel_tcb_resume(tcb), SEL_OK);
	}
	while (got < CLIENTS * MSGS) {
		if (sel_mux_next(&mux, &m, &c) != SEL_OK) {
			CHECK_EQ(t, producer_err, 0);
			CHECK_EQ(t, sel_mux_sleep(&mux), SEL_OK);
			continue;
		}
		CHECK_EQ(t, m.client, c); /* what the client wrote in its own ring */
		CHECK_EQ(t, m.seq, expect[c]);
		expect[c]++;
		got++;
	}
	for (c = 0; c < CLIENTS; c++)
		CHECK_EQ(t, expect[c], MSGS);
	CHECK_EQ(t, sel_mux_next(&mux, &m, &c), SEL_ERR_EMPTY);
	for (unsigned i = 0; i < IPC_PATIENCE && producers_done < PRODUCERS; i++)
		sel_yield();
	CHECK_EQ(t, producers_done, PRODUCERS);
	sel_printf("WIN_0008: %u messages from %u clients, the server slept %lu times\n",
	           CLIENTS * MSGS, CLIENTS, mux.sleeps);
}

TEST(WIN_0009, "fair and clock order: round robin one message per ready client; oldest stamp "
               "first when asked")
{
	static const uint64_t stamps[3][2] = {{10, 40}, {20, 30}, {15, 0}};
	uint64_t ut, w = slots_new(3);
	struct msg m = {0};
	uint32_t c;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, cover(ut, SEL_SLOT_VSPACE, WIN_MANY), SEL_OK);
	for (c = 0; c < 3; c++) {
		CHECK_EQ(t, sel_untyped_retype(ut, SEL_OBJ_WINDOW, 12, ROOT, w + c, 1), SEL_OK);
		CHECK_EQ(t, sel_window_map(w + c, SEL_SLOT_VSPACE, WIN_MANY + c * 4096, RW, 0, 0),
		         SEL_OK);
		CHECK_EQ(
		    t,
		    sel_ring_attach(&server_rings[c], (void *)(WIN_MANY + c * 4096), DEPTH, -1, 1),
		    SEL_OK);
	}
	CHECK_EQ(t, sel_mux_init(&mux, server_rings, 3), SEL_OK);
	/* Fair: client 0 sends 4, the others 1 each: 0, 1, 2, then 0's rest. */
	for (uint64_t i = 0; i < 4; i++) {
		m.client = 0, m.seq = i;
		CHECK_EQ(t, sel_ring_push(&server_rings[0], &m), SEL_OK);
	}
	for (c = 1; c < 3; c++) {
		m.client = c, m.seq = 0;
		CHECK_EQ(t, sel_ring_push(&server_rings[c], &m), SEL_OK);
	}
	static const uint32_t fair[] = {0, 1, 2, 0, 0, 0};
	for (unsigned i = 0; i < 6; i++) {
		CHECK_EQ(t, sel_mux_next(&mux, &m, &c), SEL_OK);
		CHECK_EQ(t, c, fair[i]);
	}
	CHECK_EQ(t, sel_mux_next(&mux, &m, &c), SEL_ERR_EMPTY);
	/* Clock order: heads 10, 20, 15; then 40 behind 10 and 30 behind 20. */
	for (c = 0; c < 3; c++)
		for (unsigned i = 0; i < 2 && stamps[c][i]; i++) {
			m.client = c, m.stamp = stamps[c][i];
			CHECK_EQ(t, sel_ring_push(&server_rings[c], &m), SEL_OK);
		}
	sel_mux_raise(&mux, 0x7); /* their doorbells */
	static const uint64_t order[] = {10, 15, 20, 30, 40};
	for (unsigned i = 0; i < 5; i++) {
		CHECK_EQ(t, sel_mux_next_oldest(&mux, &m, &c, 16), SEL_OK);
		CHECK_EQ(t, m.stamp, order[i]);
	}
	CHECK_EQ(t, sel_mux_next_oldest(&mux, &m, &c, 16), SEL_ERR_EMPTY);
}
