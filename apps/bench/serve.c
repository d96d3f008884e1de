/*
 * The server loops of the benchmark image (see serve.h): Recv once, then
 * ReplyRecv forever; and the notification waiter. They return only on an
 * error, which their caller turns into an exit.
 */
#include <sel/ring.h>
#include <sel/session.h>
#include <sel/uintr.h>
#include <selene/bootinfo.h>
#include "serve.h"

/* Replies to every Call with an empty message. */
void bench_serve0(sel_cptr_t ep)
{
	struct sel_msg m = {0};
	int err = sel_recv(ep, &m);

	while (err == SEL_OK) {
		m.info = 0;
		err = sel_reply_recv(ep, &m);
	}
}

/*
 * Answers with 10 words: MR0-MR4 as received (registers), MR5-MR9 as the
 * kernel put them in the IPC buffer, MR9 plus one so the client can tell
 * the words went both ways.
 */
void bench_serve10(sel_cptr_t ep)
{
	struct sel_ipc_buffer *buf = sel_ipc_buffer();
	struct sel_msg m = {0};
	int err = sel_recv(ep, &m);

	while (err == SEL_OK) {
		m.info = SEL_MSG_INFO(0, 0, 10);
		buf->mr[9]++;
		err = sel_reply_recv(ep, &m);
	}
}

/* Stamps the counter as soon as each Wait returns, then waits again. */
void bench_wait_loop(sel_cptr_t ntfn, struct bench_shared *sh)
{
	for (;;) {
		uint64_t word;
		int err = sel_wait(ntfn, &word);
		uint64_t now = sel_rdinstret();

		sh->stamp = now;
		sh->word = word;
		sh->seq = sh->seq + 1;
		if (err != SEL_OK) {
			sh->errors = sh->errors + 1;
			return;
		}
	}
}

static void pong_handler(uint64_t pending, struct sel_uintr_frame *f)
{
	(void)pending;
	(void)f;
}

static void pong_light(uint64_t pending)
{
	(void)pending;
}

/* Sends to the peer and sleeps until its send, claiming our vector (3), forever. */
void bench_uintr_pong(sel_cptr_t recv, sel_cptr_t to_peer)
{
	int err = sel_uintr_register_light(recv, pong_light, 0);
	uint64_t got = 0;

	if (err == SEL_OK)
		err = sel_uintr_install(to_peer, 0);
	while (err == SEL_OK)
		err = sel_uintr_send_wait(0, 1ull << 3, &got);
}

void bench_ring_echo(sel_cptr_t recv, sel_cptr_t to_client)
{
	struct sel_ring req, resp;
	uint64_t msg[SEL_RING_SLOT / 8];
	int err = sel_uintr_register_handler(recv, pong_handler, 0);

	if (err == SEL_OK)
		err = sel_uintr_install(to_client, 0);
	if (err == SEL_OK)
		err = sel_ring_attach(&req, (void *)BENCH_RING_VADDR, BENCH_RING_DEPTH, -1, 0);
	req.bell_vectors = 1ull << 7; /* the client's doorbell wakes us without the handler */
	if (err == SEL_OK)
		err = sel_ring_attach(&resp, (void *)(BENCH_RING_VADDR + 4096), BENCH_RING_DEPTH, 0,
		                      0);
	while (err == SEL_OK) {
		err = sel_ring_wait(&req);
		while (err == SEL_OK && sel_ring_pop(&req, msg) == SEL_OK) {
			msg[0]++;
			while (sel_ring_push(&resp, msg) !=
			       SEL_OK) { /* full: let the client drain */
				sel_ring_publish(&resp);
				sel_yield();
			}
		}
		sel_ring_publish(&resp);
	}
}

__attribute__((noinline)) uint64_t bench_sum512(const uint64_t *buf)
{
	uint64_t sum = 0;

	for (unsigned i = 0; i < 512; i++)
		sum += buf[i];
	return sum;
}

void bench_lease_sum(sel_cptr_t ep)
{
	static uint64_t buf[512];
	struct sel_msg m = {0};
	int err = sel_recv(ep, &m);

	while (err == SEL_OK) {
		err = sel_lease_read(0, buf, sizeof(buf));
		uint64_t sum = bench_sum512(buf);
		m.info = SEL_MSG_INFO(0, 0, 1);
		m.mr[0] = err == SEL_OK ? sum : 0;
		err = sel_reply_recv(ep, &m);
	}
}

void bench_session_server(sel_cptr_t ep, sel_cptr_t recv)
{
	const struct sel_session_server srv = {BENCH_SRV_SLOT_UT, recv, SEL_SLOT_VSPACE, 12};
	struct sel_msg m = {0};
	int err = sel_uintr_register_handler(recv, pong_handler, 0);

	/* Two sets of slots in turn: a request arrives in one while the other still holds
	 * the previous session, which ends only then (its Untyped is free again). */
	for (uint64_t k = 0; err == SEL_OK; k ^= 1) {
		uint64_t base = BENCH_SRV_SLOT_UT + 8 + k * SEL_SESSION_SLOTS;
		sel_session_listen(base);
		err = sel_recv(ep, &m);
		sel_session_end(BENCH_SRV_SLOT_UT + 8 + (k ^ 1) * SEL_SESSION_SLOTS);
		if (err == SEL_OK)
			sel_session_accept(&srv, &m, base, BENCH_SESSION_VADDR, 1, 2);
	}
}
