/*
 * The shell's helper threads, in its own address space (<sel/local_thread.h>):
 * the receiver of `uintr` on another hart, and the two `talk` clients that
 * write lines to the console at once, each through a console cap of its own
 * badge. Their IPC buffers sit in the pages after the main thread's.
 */
#include <sel/idl_sync.h>
#include <sel/local_thread.h>
#include <sel/print.h>
#include <sel/string.h>
#include <sel/uintr.h>
#include <selene/bootinfo.h>
#include "console_client.h"
#include "shell.h"

#define STACK      8192
#define VECTOR     1
#define UITT_INDEX 0
/* 5 s at QEMU virt's 10 MHz: generous, for a host busy with other work */
#define TIMEOUT_TICKS 50000000ull

static uint8_t stacks[3][STACK] __attribute__((aligned(16)));

/* The receiver's thread writes got and at (in its handler); the main thread only reads
 * them. Invariant: ready once recv, sender and tcb exist and the sender is installed. */
static struct {
	bool ready;
	sel_cptr_t recv, sender, tcb;
	volatile uint64_t got, at; /* deliveries; rdtime at the last one */
} ui;

static void ui_handler(uint64_t pending, struct sel_uintr_frame *f)
{
	(void)f;
	if (pending & (1ull << VECTOR)) {
		ui.at = sel_rdtime();
		ui.got = ui.got + 1;
	}
}

static void ui_receiver(uint64_t arg)
{
	(void)arg;
	if (sel_uintr_register_handler(ui.recv, ui_handler, 0) != SEL_OK)
		return;
	for (;;)
		sel_uintr_wait();
}

static int slots(uint64_t n, uint64_t *first)
{
	*first = SHELL_SLOT_FREE + sh.next_slot;
	sh.next_slot += n;
	return *first + n < 1u << 8 ? SEL_OK : SEL_ERR_NO_MEMORY;
}

/* The receiver thread on the next hart, a sender for it in this thread's table. */
static int ui_setup(uint32_t hart)
{
	uint64_t s;
	int err = slots(4, &s);
	struct sel_local_thread t = {SYS_SLOT_UNTYPED,
	                             SEL_SLOT_CNODE,
	                             SEL_SLOT_VSPACE,
	                             s + 2,
	                             SEL_IPC_BUFFER_VADDR + 0x1000,
	                             (uint64_t)(stacks[0] + STACK),
	                             hart};

	ui.recv = s;
	ui.sender = s + 1;
	ui.tcb = s + 2;
	if (err == SEL_OK)
		err = sel_untyped_retype(SYS_SLOT_UNTYPED, SEL_OBJ_UINTR_RECEIVER, 0,
		                         SEL_SLOT_CNODE, ui.recv, 1);
	if (err == SEL_OK)
		err = sel_uintr_create_sender(ui.recv, VECTOR, SEL_SLOT_CNODE, ui.sender, 64);
	if (err == SEL_OK)
		err = sel_uintr_install(ui.sender, UITT_INDEX);
	if (err == SEL_OK)
		err = sel_local_thread_start(&t, ui_receiver, 0);
	ui.ready = err == SEL_OK;
	return err;
}

/* Waits until the receiver thread is blocked in its wait (or a second passes). */
static void wait_blocked(void)
{
	struct sel_thread_info st;
	uint64_t start = sel_rdtime();

	while (sel_tcb_get_state(ui.tcb, &st) == SEL_OK && st.state != SEL_THREAD_BLOCKED &&
	       sel_rdtime() - start < TIMEOUT_TICKS)
		sel_yield();
}

int uintr_measure(struct uintr_cost *c, uint32_t rounds)
{
	uint32_t hart = (sh.hart + 1) % (sh.harts ? sh.harts : 1);
	int err = ui.ready ? SEL_OK : ui_setup(hart);

	memset(c, 0, sizeof(*c));
	c->hart = hart;
	for (uint32_t i = 0; i < rounds && err == SEL_OK; i++) {
		uint64_t before = ui.got;
		wait_blocked();
		uint64_t t0 = sel_rdtime(), i0 = sel_rdinstret(), c0 = sel_rdcycle();
		err = sel_uintr_send(UITT_INDEX);
		uint64_t i1 = sel_rdinstret(), c1 = sel_rdcycle();
		while (err == SEL_OK && ui.got == before && sel_rdtime() - t0 < TIMEOUT_TICKS)
			sel_yield();
		if (ui.got == before)
			err = SEL_ERR_TIMEOUT;
		if (err != SEL_OK)
			break;
		if (!c->rounds || i1 - i0 < c->send_instret)
			c->send_instret = i1 - i0;
		if (!c->rounds || c1 - c0 < c->send_cycles)
			c->send_cycles = c1 - c0;
		if (!c->rounds || ui.at - t0 < c->latency_ticks)
			c->latency_ticks = ui.at - t0;
		c->rounds++;
	}
	return err;
}

/* One `talk` client: its own console connection (its badge), lines in pieces. Written by
 * talk_run() before the thread starts; the thread then owns it and sets done last. */
struct talker {
	char letter;
	sel_cptr_t ep;
	uint32_t lines;
	volatile bool done;
	struct sel_idl_conn conn;
	struct sel_idl_sync_client client;
	struct sel_idl_future futures[1];
	struct sel_idl_sync_slot slots[1];
};

static struct talker talkers[2];

static void talk_thread(uint64_t arg)
{
	struct talker *t = &talkers[arg];
	char piece[64];

	sel_idl_sync_connect(&t->conn, &t->client, t->ep, 0, t->futures, t->slots, 1);
	for (uint32_t i = 0; i < t->lines; i++) {
		/* "talk-a 07 " then 40 letters in two pieces, then the newline */
		sel_snprintf(piece, sizeof(piece), "talk-%c %02u ", t->letter, i);
		out_bytes(&t->conn, piece, strlen(piece));
		memset(piece, t->letter, 20);
		out_bytes(&t->conn, piece, 20);
		sel_yield();
		piece[20] = '\n';
		out_bytes(&t->conn, piece, 21);
	}
	t->done = true;
}

int talk_run(uint32_t lines_each)
{
	static uint64_t base;
	int err = base ? SEL_OK : slots(4, &base);

	for (uint64_t k = 0; k < 2 && err == SEL_OK; k++) {
		struct talker *t = &talkers[k];
		struct sel_local_thread lt = {SYS_SLOT_UNTYPED,
		                              SEL_SLOT_CNODE,
		                              SEL_SLOT_VSPACE,
		                              base + 2 * k,
		                              SEL_IPC_BUFFER_VADDR + 0x2000 + 0x1000 * k,
		                              (uint64_t)(stacks[1 + k] + STACK),
		                              (sh.hart + 1 + k) % (sh.harts ? sh.harts : 1)};
		/* the previous run's thread and buffer go first (it has exited) */
		sel_cnode_delete(SEL_SLOT_CNODE, base + 2 * k, 64, 0);
		sel_cnode_delete(SEL_SLOT_CNODE, base + 2 * k + 1, 64, 0);
		memset(t, 0, sizeof(*t));
		t->letter = (char)('a' + k);
		t->ep = sh.console_ep + SYS_CONN_SESSION + k; /* sessions 1 and 2: own badges */
		t->lines = lines_each;
		err = sel_local_thread_start(&lt, talk_thread, k);
	}
	uint64_t start = sel_rdtime();
	while (err == SEL_OK && !(talkers[0].done && talkers[1].done)) {
		if (sel_rdtime() - start > 200000000) /* 20 s at 10 MHz */
			return SEL_ERR_TIMEOUT;
		sel_yield();
	}
	return err;
}
