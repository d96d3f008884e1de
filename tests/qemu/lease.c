/*
 * Leases (docs/windows.md): a Call lends a range of the caller's memory to
 * the server for that call only. The server reads and writes it through
 * the kernel within the lent bounds and rights; the lease ends the moment
 * the reply is sent or the caller dies (an error, never a fault); a server
 * may lend part of it onwards with no more rights than it holds.
 *
 * The servers are threads of the test; what they see is recorded in the
 * volatile variables below and checked by the test's main thread.
 */
#include <sel/string.h>
#include "ipc_util.h"

#define RW              (SEL_RIGHT_READ | SEL_RIGHT_WRITE)
#define LEASE_CALL(len) SEL_MSG_INFO(7, 0, len) | SEL_MSG_LEASE

static uint64_t lent[512] __attribute__((aligned(4096)));
static volatile uint64_t s_sum, s_err[8], s_done, s_release;
static volatile uint64_t fwd_ep; /* the endpoint server A forwards to */

/* Reads the whole lease, sums it, writes the sum at offset 8, replies. */
static void summing_server(uint64_t ep)
{
	struct sel_msg m = {0};
	uint64_t buf[64], sum = 0;

	s_err[0] = (uint64_t)sel_recv(ep, &m);
	for (uint64_t off = 0; off < 4096 && !s_err[1]; off += sizeof(buf)) {
		s_err[1] = (uint64_t)sel_lease_read(off, buf, sizeof(buf));
		for (unsigned i = 0; i < 64; i++)
			sum += buf[i];
	}
	s_err[2] = (uint64_t)sel_lease_write(8, &sum, sizeof(sum));
	s_sum = sum;
	m = msg(0, 1, sum, 0, 0, 0, 0);
	s_err[3] = (uint64_t)sel_reply(&m);
	s_done = 1;
}

TEST(WIN_0101, "a 4 KiB lease: the server reads it all and writes into it before replying")
{
	uint64_t ut, ep, tcb, expect = 0;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	for (unsigned i = 0; i < 512; i++)
		expect += lent[i] = i * 0x9e3779b97f4a7c15ull;
	CHECK_EQ(t, ipc_thread(ut, summing_server, ep, &tcb), SEL_OK);
	struct sel_msg m = msg(7, 2, (uint64_t)lent, SEL_LEASE_WORD(4096, RW), 0, 0, 0);
	m.info |= SEL_MSG_LEASE;
	CHECK_EQ(t, sel_call(ep, &m), SEL_OK);
	CHECK(t, wait_flag(&s_done, IPC_PATIENCE));
	for (int i = 0; i < 4; i++)
		CHECK_EQ(t, s_err[i], SEL_OK);
	CHECK_EQ(t, s_sum, expect);
	CHECK_EQ(t, m.mr[0], expect);
	CHECK_EQ(t, lent[1], expect); /* written through the lease at offset 8 */
}

/* Probes the bounds and rights of the lease of its call, then replies. */
static void probing_server(uint64_t ep)
{
	struct sel_msg m = {0};
	uint64_t w = 0;

	sel_recv(ep, &m);
	s_err[0] = (uint64_t)sel_lease_read(0, &w, 8);
	s_err[1] = (uint64_t)sel_lease_read(4096 - 8, &w, 16); /* runs past the end */
	s_err[2] = (uint64_t)sel_lease_read(~0ull - 4, &w, 8); /* wraps */
	s_err[3] = (uint64_t)sel_lease_write(0, &w, 8);        /* read-only lease */
	s_err[4] = (uint64_t)sel_lease_read(4096, &w, 0);      /* empty, at the end */
	s_err[5] = (uint64_t)sel_lease_read(0, (void *)8, 8);  /* our own bad buffer */
	m = msg(0, 0, 0, 0, 0, 0, 0);
	sel_reply(&m);
	s_err[6] = (uint64_t)sel_lease_read(0, &w, 8); /* after the reply */
	s_done = 1;
}

TEST(WIN_0102, "lease bounds and rights are enforced; after the reply it is gone")
{
	uint64_t ut, ep, tcb;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, ipc_thread(ut, probing_server, ep, &tcb), SEL_OK);
	struct sel_msg m = msg(7, 2, (uint64_t)lent, SEL_LEASE_WORD(4096, SEL_RIGHT_READ), 0, 0, 0);
	m.info |= SEL_MSG_LEASE;
	CHECK_EQ(t, sel_call(ep, &m), SEL_OK);
	CHECK(t, wait_flag(&s_done, IPC_PATIENCE));
	CHECK_EQ(t, s_err[0], SEL_OK);
	CHECK_EQ(t, s_err[1], SEL_ERR_RANGE);
	CHECK_EQ(t, s_err[2], SEL_ERR_RANGE);
	CHECK_EQ(t, s_err[3], SEL_ERR_NO_RIGHTS);
	CHECK_EQ(t, s_err[4], SEL_OK);
	CHECK_EQ(t, s_err[5], SEL_ERR_BAD_ADDRESS);
	CHECK_EQ(t, s_err[6], SEL_ERR_PEER_DEAD);
}

/* Receives, waits until told, then tries the lease. */
static void slow_server(uint64_t ep)
{
	struct sel_msg m = {0};
	uint64_t w = 0;

	sel_recv(ep, &m);
	s_done = 1;
	while (!s_release)
		sel_yield();
	s_err[0] = (uint64_t)sel_lease_read(0, &w, 8);
	s_err[1] = (uint64_t)sel_lease_write(0, &w, 8);
	s_done = 2;
}

static void lending_client(uint64_t ep)
{
	struct sel_msg m = msg(7, 2, (uint64_t)lent, SEL_LEASE_WORD(4096, RW), 0, 0, 0);

	m.info |= SEL_MSG_LEASE;
	sel_call(ep, &m);
}

TEST(WIN_0103, "a caller that dies mid-lease: the server's accesses fail, nothing faults")
{
	uint64_t ut, ep, server, client;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, ipc_thread(ut, slow_server, ep, &server), SEL_OK);
	CHECK_EQ(t, ipc_thread(ut, lending_client, ep, &client), SEL_OK);
	CHECK(t, wait_flag(&s_done, IPC_PATIENCE));
	CHECK_EQ(t, sel_cnode_delete(ROOT, client, FULL, 0), SEL_OK); /* the caller dies */
	s_release = 1;
	for (unsigned i = 0; i < IPC_PATIENCE && s_done != 2; i++)
		sel_yield();
	CHECK_EQ(t, s_done, 2);
	CHECK_EQ(t, s_err[0], SEL_ERR_PEER_DEAD);
	CHECK_EQ(t, s_err[1], SEL_ERR_PEER_DEAD);
}

/* Server B: reads its (forwarded) lease and tries to write it. */
static void server_b(uint64_t ep)
{
	struct sel_msg m = {0};
	uint64_t w[2] = {0, 0};

	sel_recv(ep, &m);
	s_err[3] = (uint64_t)sel_lease_read(0, w, 16);
	s_sum = w[0] + w[1];
	s_err[4] = (uint64_t)sel_lease_write(0, w, 8);
	s_err[5] = (uint64_t)sel_lease_read(16, w, 8); /* past the forwarded part */
	m = msg(0, 0, 0, 0, 0, 0, 0);
	sel_reply(&m);
}

/* Server A: holds a read-only lease; forwarding more rights fails, a part works. */
static void server_a(uint64_t ep)
{
	struct sel_msg m = {0};

	sel_recv(ep, &m);
	m = msg(8, 2, 32, SEL_LEASE_WORD(16, RW), 0, 0, 0);
	m.info |= SEL_MSG_LEASE_FWD;
	s_err[0] = (uint64_t)sel_call(fwd_ep, &m); /* more rights than it holds */
	m = msg(8, 2, 4090, SEL_LEASE_WORD(16, SEL_RIGHT_READ), 0, 0, 0);
	m.info |= SEL_MSG_LEASE_FWD;
	s_err[1] = (uint64_t)sel_call(fwd_ep, &m); /* beyond its lease */
	m = msg(8, 2, 32, SEL_LEASE_WORD(16, SEL_RIGHT_READ), 0, 0, 0);
	m.info |= SEL_MSG_LEASE_FWD;
	s_err[2] = (uint64_t)sel_call(fwd_ep, &m); /* bytes 32..47 of its lease */
	m = msg(0, 0, 0, 0, 0, 0, 0);
	sel_reply(&m);
	s_done = 1;
}

TEST(WIN_0104, "a forwarded lease: a part, never more rights, through two servers")
{
	uint64_t ut, ep_a, ep_b, a, b;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep_a), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep_b), SEL_OK);
	fwd_ep = ep_b;
	for (unsigned i = 0; i < 512; i++)
		lent[i] = i + 1;
	CHECK_EQ(t, ipc_thread(ut, server_b, ep_b, &b), SEL_OK);
	CHECK_EQ(t, ipc_thread(ut, server_a, ep_a, &a), SEL_OK);
	struct sel_msg m = msg(7, 2, (uint64_t)lent, SEL_LEASE_WORD(4096, SEL_RIGHT_READ), 0, 0, 0);
	m.info |= SEL_MSG_LEASE;
	CHECK_EQ(t, sel_call(ep_a, &m), SEL_OK);
	CHECK(t, wait_flag(&s_done, IPC_PATIENCE));
	CHECK_EQ(t, s_err[0], SEL_ERR_NO_RIGHTS);
	CHECK_EQ(t, s_err[1], SEL_ERR_RANGE);
	CHECK_EQ(t, s_err[2], SEL_OK);
	CHECK_EQ(t, s_err[3], SEL_OK);
	CHECK_EQ(t, s_sum, 5 + 6); /* words 4 and 5 of the lease: bytes 32..47 */
	CHECK_EQ(t, s_err[4], SEL_ERR_NO_RIGHTS);
	CHECK_EQ(t, s_err[5], SEL_ERR_RANGE);
	CHECK_EQ(t, lent[4], 5);
}

TEST(WIN_0105, "malformed leases are refused before anything is sent")
{
	uint64_t ut, ep;
	struct sel_msg m;

	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	m = msg(7, 2, (uint64_t)lent, SEL_LEASE_WORD(4096, RW), 0, 0, 0);
	m.info |= SEL_MSG_LEASE;
	CHECK_EQ(t, sel_send(ep, &m), SEL_ERR_INVALID_ARG); /* a lease goes with a Call */
	m = msg(7, 2, (uint64_t)lent, SEL_LEASE_WORD(0, RW), 0, 0, 0);
	m.info |= SEL_MSG_LEASE;
	CHECK_EQ(t, sel_call(ep, &m), SEL_ERR_INVALID_ARG); /* empty */
	m = msg(7, 2, (uint64_t)lent, SEL_LEASE_WORD(SEL_LEASE_MAX + 1, RW), 0, 0, 0);
	m.info |= SEL_MSG_LEASE;
	CHECK_EQ(t, sel_call(ep, &m), SEL_ERR_INVALID_ARG); /* too long */
	m = msg(7, 2, SEL_USER_VADDR_END - 8, SEL_LEASE_WORD(16, RW), 0, 0, 0);
	m.info |= SEL_MSG_LEASE;
	CHECK_EQ(t, sel_call(ep, &m), SEL_ERR_RANGE); /* beyond user space */
	m = msg(7, 1, (uint64_t)lent, 0, 0, 0, 0);
	m.info |= SEL_MSG_LEASE;
	CHECK_EQ(t, sel_call(ep, &m), SEL_ERR_INVALID_ARG); /* no room for the descriptor */
	m = msg(7, 2, (uint64_t)lent, SEL_LEASE_WORD(16, RW), 0, 0, 0);
	m.info |= SEL_MSG_LEASE | SEL_MSG_LEASE_FWD;
	CHECK_EQ(t, sel_call(ep, &m), SEL_ERR_INVALID_ARG); /* both kinds */
	m = msg(7, 2, 0, SEL_LEASE_WORD(16, RW), 0, 0, 0);
	m.info |= SEL_MSG_LEASE_FWD;
	CHECK_EQ(t, sel_call(ep, &m), SEL_ERR_PEER_DEAD); /* nothing to forward */
	m = msg(7, 2, (uint64_t)lent, SEL_LEASE_WORD(16, 4), 0, 0, 0);
	m.info |= SEL_MSG_LEASE;
	CHECK_EQ(t, sel_call(ep, &m), SEL_ERR_INVALID_ARG); /* Grant is no lease right */
}
