/*
 * Windows (docs/windows.md): one region mapped into several address spaces
 * with per-side rights and page tables; revoking it unmaps every side and
 * tells the others (peer-closed); SPSC rings in a window.
 *
 * "Two address spaces" here are the test's own VSpace and a second VSpace
 * the test also builds page tables for; reads through the second side are
 * checked by mapping it into a thread's address space (code_thread).
 */
#include <sel/fault.h>
#include <sel/ring.h>
#include <sel/session.h>
#include <sel/uintr.h>
#include <sel/window.h>
#include "ipc_util.h"

#define WIN_A REGION(26)
#define WIN_B (REGION(26) + 0x100000)

static volatile uint64_t closed_hits, closed_seen;

static void on_closed(uint64_t pending, struct sel_uintr_frame *f)
{
	(void)f;
	closed_seen = closed_seen | pending;
	closed_hits = closed_hits + 1;
}

static void store_b(void *arg)
{
	(void)arg;
	*(volatile uint64_t *)WIN_B = 7;
}

static void load_a(void *arg)
{
	(void)arg;
	(void)*(volatile uint64_t *)WIN_A;
}

/* A window of 2 pages with page tables for both sides in our VSpace. */
static int window(uint64_t ut, uint64_t *w)
{
	int err = object_new(ut, SEL_OBJ_WINDOW, 13, w);

	if (err == SEL_OK)
		err = cover(ut, SEL_SLOT_VSPACE, WIN_A);
	return err;
}

TEST(WIN_0001, "two sides share the bytes; the read-only side faults on a write")
{
	uint64_t ut, w, ro = slot_new();
	struct sel_fault_info fi;
	struct sel_window_info info;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, window(ut, &w), SEL_OK);
	CHECK_EQ(t, sel_cnode_mint(ROOT, ro, w, FULL, SEL_RIGHT_READ, 0), SEL_OK);
	CHECK_EQ(t, sel_window_map(w, SEL_SLOT_VSPACE, WIN_A, RW, 0, 0), SEL_OK);
	CHECK_EQ(t, sel_window_map(ro, SEL_SLOT_VSPACE, WIN_B, SEL_RIGHT_READ, 0, 1), SEL_OK);
	volatile uint64_t *a = (volatile uint64_t *)WIN_A, *b = (volatile uint64_t *)WIN_B;
	a[0] = 0x5eed;
	a[1023] = 42; /* the second page */
	CHECK_EQ(t, b[0], 0x5eed);
	CHECK_EQ(t, b[1023], 42);
	CHECK_EQ(t, sel_catch_fault(store_b, 0, &fi), 1);
	CHECK_EQ(t, fi.cause, 15);
	CHECK_EQ(t, sel_window_info(ro, &info), SEL_OK);
	CHECK_EQ(t, info.size, 8192);
	CHECK_EQ(t, info.mapped, WIN_B);
	CHECK_EQ(t, info.side, 1);
}

TEST(WIN_0002, "mapping checks rights, Execute, bounds, page tables and being mapped once")
{
	uint64_t ut, w, ro = slot_new(), nox = slot_new(), bare;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, window(ut, &w), SEL_OK);
	CHECK_EQ(t, sel_cnode_mint(ROOT, ro, w, FULL, SEL_RIGHT_READ, 0), SEL_OK);
	CHECK_EQ(t, sel_cnode_mint(ROOT, nox, w, FULL, RW, 0), SEL_OK);
	for (uint32_t r = 0; r <= SEL_RIGHTS_ALL; r++) {
		int want = !(r & RW)                         ? SEL_ERR_INVALID_ARG
		           : (r & ~(uint32_t)SEL_RIGHT_READ) ? SEL_ERR_NO_RIGHTS
		                                             : SEL_OK;
		CHECK_EQ(t, sel_window_map(ro, SEL_SLOT_VSPACE, WIN_B, r, 0, 1), want);
		if (want == SEL_OK)
			CHECK_EQ(t, sel_window_unmap(ro), SEL_ERR_NO_RIGHTS); /* read-only cap */
		if (want == SEL_OK)
			break;
	}
	CHECK_EQ(t, sel_window_map(nox, SEL_SLOT_VSPACE, WIN_A, RW | SEL_RIGHT_EXECUTE, 0, 0),
	         SEL_ERR_NO_RIGHTS); /* never executable unless the cap says so */
	CHECK_EQ(t, sel_window_map(nox, SEL_SLOT_VSPACE, WIN_A, RW, 3 * 4096, 0), SEL_ERR_RANGE);
	CHECK_EQ(t, sel_window_map(nox, SEL_SLOT_VSPACE, WIN_A, RW, 100, 0), SEL_ERR_RANGE);
	CHECK_EQ(t, sel_window_map(nox, SEL_SLOT_VSPACE, WIN_A + 8, RW, 0, 0), SEL_ERR_RANGE);
	CHECK_EQ(t, sel_window_map(nox, SEL_SLOT_VSPACE, WIN_A, RW, 0, 4), SEL_ERR_INVALID_ARG);
	CHECK_EQ(t, sel_window_map(nox, SEL_SLOT_VSPACE, REGION(27), RW, 0, 0),
	         SEL_ERR_NO_PAGE_TABLE);
	CHECK_EQ(t, sel_window_map(nox, SEL_SLOT_VSPACE, WIN_A, RW, 4096, 0), SEL_OK);
	CHECK_EQ(t, sel_window_map(nox, SEL_SLOT_VSPACE, WIN_A, RW, 0, 0), SEL_ERR_ALREADY_MAPPED);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_WINDOW, 12, &bare), SEL_OK);
	CHECK_EQ(t, sel_window_map(bare, SEL_SLOT_VSPACE, WIN_A, RW, 0, 0),
	         SEL_ERR_ALREADY_MAPPED); /* the address is taken by the other window */
	CHECK_EQ(t, sel_untyped_retype(ut, SEL_OBJ_WINDOW, 22, ROOT, slot_new(), 1), SEL_ERR_RANGE);
}

/* A receiver for us, with a sender of `vector` in `snd`. */
static int closed_receiver(uint64_t ut, uint64_t vector, uint64_t *snd)
{
	uint64_t recv;
	int err = object_new(ut, SEL_OBJ_UINTR_RECEIVER, 0, &recv);

	*snd = slot_new();
	if (err == SEL_OK)
		err = sel_uintr_register_handler(recv, on_closed, 0);
	if (err == SEL_OK)
		err = sel_uintr_create_sender(recv, vector, ROOT, *snd, FULL);
	return err;
}

TEST(WIN_0003, "revoking the window unmaps both sides and raises peer-closed")
{
	uint64_t ut, w, side_a = slot_new(), side_b = slot_new(), snd;
	struct sel_fault_info fi;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, window(ut, &w), SEL_OK);
	CHECK_EQ(t, closed_receiver(ut, 13, &snd), SEL_OK);
	CHECK_EQ(t, sel_cnode_copy(ROOT, side_a, w, FULL, SEL_RIGHTS_ALL), SEL_OK);
	CHECK_EQ(t, sel_cnode_copy(ROOT, side_b, w, FULL, SEL_RIGHTS_ALL), SEL_OK);
	CHECK_EQ(t, sel_window_map(side_a, SEL_SLOT_VSPACE, WIN_A, RW, 0, 0), SEL_OK);
	CHECK_EQ(t, sel_window_map(side_b, SEL_SLOT_VSPACE, WIN_B, RW, 0, 1), SEL_OK);
	CHECK_EQ(t, sel_window_set_peer(w, 1, snd), SEL_OK); /* side 1 is told */
	*(volatile uint64_t *)WIN_A = 1;
	CHECK_EQ(t, closed_hits, 0);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, w, FULL, 0), SEL_OK);
	CHECK_EQ(t, ident(side_a).type, SEL_OBJ_NULL);
	CHECK_EQ(t, sel_catch_fault(load_a, 0, &fi), 1);
	CHECK_EQ(t, fi.cause, 13);
	CHECK_EQ(t, sel_catch_fault(store_b, 0, &fi), 1);
	CHECK_EQ(t, closed_hits, 1); /* side 0 went (and side 1: only others are told) */
	CHECK_EQ(t, closed_seen, 1ull << 13);
}

TEST(WIN_0004, "one side unmapping tells the other; its own peer sender is not raised")
{
	uint64_t ut, w, b = slot_new(), snd_a, snd_b, recv_b = 0;

	(void)recv_b;
	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, window(ut, &w), SEL_OK);
	CHECK_EQ(t, closed_receiver(ut, 20, &snd_b), SEL_OK);
	snd_a = slot_new();
	CHECK_EQ(t, sel_cnode_copy(ROOT, snd_a, snd_b, FULL, SEL_RIGHTS_ALL), SEL_OK);
	CHECK_EQ(t, sel_cnode_copy(ROOT, b, w, FULL, SEL_RIGHTS_ALL), SEL_OK);
	CHECK_EQ(t, sel_window_map(w, SEL_SLOT_VSPACE, WIN_A, RW, 0, 0), SEL_OK);
	CHECK_EQ(t, sel_window_map(b, SEL_SLOT_VSPACE, WIN_B, RW, 0, 1), SEL_OK);
	CHECK_EQ(t, sel_window_set_peer(w, 1, snd_b), SEL_OK);
	CHECK_EQ(t, sel_window_unmap(b), SEL_OK); /* side 1 leaves: side 0 has no peer sender */
	CHECK_EQ(t, closed_hits, 0);
	CHECK_EQ(t, sel_window_map(b, SEL_SLOT_VSPACE, WIN_B, RW, 0, 1), SEL_OK);
	CHECK_EQ(t, sel_window_unmap(w), SEL_OK); /* side 0 leaves: side 1 is told */
	CHECK_EQ(t, closed_hits, 1);
	CHECK_EQ(t, sel_cnode_delete(ROOT, b, FULL, 0), SEL_OK); /* no other side mapped */
	CHECK_EQ(t, closed_hits, 1);
}

TEST(WIN_0005, "a ring in a window: order, full, empty, and indices across 2^32")
{
	uint64_t ut, w;
	struct sel_ring prod, cons;
	uint64_t m[8] = {0}, out[8];

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, window(ut, &w), SEL_OK);
	CHECK_EQ(t, sel_window_map(w, SEL_SLOT_VSPACE, WIN_A, RW, 0, 0), SEL_OK);
	CHECK_EQ(t, sel_ring_attach(&prod, (void *)WIN_A, 8, -1, 1), SEL_OK);
	CHECK_EQ(t, sel_ring_attach(&cons, (void *)WIN_A, 8, -1, 0), SEL_OK);
	CHECK_EQ(t, sel_ring_attach(&cons, (void *)WIN_A, 6, -1, 0), SEL_ERR_INVALID_ARG);
	CHECK_EQ(t, sel_ring_attach(&cons, (void *)WIN_A, 8, -1, 0), SEL_OK);
	prod.hdr->head = prod.hdr->tail = (1ull << 32) - 5;
	CHECK_EQ(t, sel_ring_pop(&cons, out), SEL_ERR_EMPTY);
	for (uint64_t round = 0; round < 4; round++) {
		for (uint64_t i = 0; i < 8; i++) {
			m[0] = round * 100 + i;
			CHECK_EQ(t, sel_ring_push(&prod, m), SEL_OK);
		}
		CHECK_EQ(t, sel_ring_push(&prod, m), SEL_ERR_FULL);
		sel_ring_publish(&prod);
		CHECK_EQ(t, sel_ring_count(&cons), 8);
		for (uint64_t i = 0; i < 8; i++) {
			CHECK_EQ(t, sel_ring_pop(&cons, out), SEL_OK);
			CHECK_EQ(t, out[0], round * 100 + i);
		}
		CHECK_EQ(t, sel_ring_pop(&cons, out), SEL_ERR_EMPTY);
	}
	CHECK(t, prod.hdr->tail > (1ull << 32)); /* crossed 2^32 on the way */
	CHECK_EQ(t, prod.bells, 0);              /* nobody slept: no doorbell */
}

/* ---- sessions (<sel/session.h>) ---------------------------------------- */

/* Yields until *v >= want; 1 if it got there. */
static int wait_value_of(volatile uint64_t *v, uint64_t want)
{
	for (unsigned i = 0; i < IPC_PATIENCE && *v < want; i++)
		sel_yield();
	return *v >= want;
}

static volatile uint64_t srv_seen, srv_state, srv_err[2], srv_end, srv_recv, srv_ut, srv_closed,
    srv_ring_err;

static void on_server(uint64_t pending, struct sel_uintr_frame *f)
{
	(void)f;
	srv_seen = srv_seen | pending;
	if (pending & 1ull << 9) /* our peer-closed vector */
		srv_closed = 1;
}

/* Accepts a session and ends it once the client closed it; accepts another, ends it when told. */
static void session_server(uint64_t ep)
{
	struct sel_session_server srv = {srv_ut, srv_recv, SEL_SLOT_VSPACE, 13};
	uint64_t base = slots_new(2 * SEL_SESSION_SLOTS);
	struct sel_msg m = {0};

	if (sel_uintr_register_handler(srv_recv, on_server, 0) != SEL_OK)
		return;
	for (int k = 0; k < 2; k++) {
		uint64_t b = base + (uint64_t)k * SEL_SESSION_SLOTS;
		sel_session_listen(b);
		srv_err[k] = (uint64_t)sel_recv(ep, &m);
		if (srv_err[k] == SEL_OK)
			srv_err[k] = (uint64_t)sel_session_accept(&srv, &m, b, WIN_B, 3, 9);
		srv_state = 2 * (uint64_t)k + 1;
		if (k == 0) { /* blocked on a ring in the window until the client's side goes */
			struct sel_ring r;
			srv_ring_err = (uint64_t)sel_ring_attach(&r, (void *)WIN_B, 16, -1, 0);
			r.closed = &srv_closed;
			if (srv_ring_err == SEL_OK)
				srv_ring_err = (uint64_t)sel_ring_wait(&r);
			srv_err[0] |= (uint64_t)sel_session_end(b); /* and ours goes with it */
		} else {
			while (!srv_end)
				sel_yield();
			srv_err[1] |= (uint64_t)sel_session_end(b);
		}
		srv_state = 2 * (uint64_t)k + 2;
	}
}

TEST(WIN_0010, "a session: open maps one window both sides with senders both ways; close and "
               "end unmap, tell the other side and fail its blocked wait")
{
	uint64_t ut, sut, ep, recv, tcb, mine = slot_new(), slot = slots_new(2),
	                                 slot2 = slots_new(2);
	struct sel_session s;
	struct sel_fault_info fi;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, untyped_new(15, &sut), SEL_OK); /* the server's windows come from here */
	srv_ut = sut;
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_UINTR_RECEIVER, 0, &recv), SEL_OK);
	srv_recv = recv;
	CHECK_EQ(t, cover(ut, SEL_SLOT_VSPACE, WIN_A), SEL_OK);
	CHECK_EQ(t, closed_receiver(ut, 13, &mine), SEL_OK); /* ours: peer-closed on 13 */
	CHECK_EQ(t, ipc_thread(ut, session_server, ep, &tcb), SEL_OK);
	CHECK_EQ(t, sel_session_open(ep, mine, slot, SEL_SLOT_VSPACE, WIN_A, 2, &s), SEL_OK);
	CHECK(t, wait_value_of(&srv_state, 1));
	CHECK_EQ(t, srv_err[0], SEL_OK);
	CHECK_EQ(t, s.bytes, 8192);
	CHECK_EQ(t, ident(slot).rights, RW); /* never Execute */
	/* One window: what we write there the server reads at its address. */
	*(volatile uint64_t *)(WIN_A + 8184) = 0x5e55;
	CHECK_EQ(t, *(volatile uint64_t *)(WIN_B + 8184), 0x5e55);
	CHECK_EQ(t, sel_uintr_send(2), SEL_OK); /* the doorbell reaches the server */
	for (unsigned i = 0; i < IPC_PATIENCE && !(srv_seen & 1ull << 3); i++)
		sel_yield();
	CHECK_EQ(t, srv_seen & (1ull << 3 | 1ull << 9), 1ull << 3);
	/* Close: our side is unmapped and the server is told. */
	CHECK_EQ(t, sel_session_close(&s), SEL_OK);
	CHECK_EQ(t, sel_catch_fault(load_a, 0, &fi), 1);
	CHECK(t, wait_value_of(&srv_state, 2));
	CHECK_EQ(t, srv_ring_err, SEL_ERR_PEER_CLOSED); /* the blocked server got an error */
	CHECK_EQ(t, sel_uintr_send(2), SEL_ERR_EMPTY_SLOT);
	/* A second session, ended by the server: we are told and unmapped. */
	CHECK_EQ(t, sel_session_open(ep, mine, slot2, SEL_SLOT_VSPACE, WIN_A, 2, &s), SEL_OK);
	CHECK(t, wait_value_of(&srv_state, 3));
	CHECK_EQ(t, srv_err[1], SEL_OK);
	CHECK_EQ(t, sel_uintr_send(2), SEL_OK);
	uint64_t told = closed_hits;
	srv_end = 1;
	CHECK(t, wait_value_of(&srv_state, 4));
	CHECK_EQ(t, srv_err[1], SEL_OK);
	for (unsigned i = 0; i < IPC_PATIENCE && closed_hits == told; i++)
		sel_yield();
	CHECK(t, closed_hits > told);
	CHECK_EQ(t, closed_seen, 1ull << 13);
	CHECK_EQ(t, sel_catch_fault(load_a, 0, &fi), 1);
	CHECK_EQ(t, ident(slot2).type, SEL_OBJ_NULL);       /* revoked with the window */
	CHECK_EQ(t, sel_uintr_send(2), SEL_ERR_EMPTY_SLOT); /* and the sender with it */
}
