/*
 * The console driver: idl/console.idl served over the sync transport by a
 * 16550 driver in user mode (docs/console.md). It holds the UART's page,
 * mapped at CONSOLE_UART_VADDR, and the UART's PLIC source as a user
 * interrupt, nothing else of the machine.
 *
 * Two threads share the state in console.h under one lock: this one serves
 * requests (sel_idl_sync_serve) and a second one, started here, waits for
 * the UART's interrupt (routed by the IRQ handler cap to vector 0 of its
 * receiver), takes the received bytes, sends what the ring holds and acks
 * the interrupt. Input is by interrupt; output is buffered: a write lands
 * in the client's line buffer and the ring, and leaves by polling the
 * transmitter while it has room, or on its THRE interrupt when it has not.
 */
#include <sel/bind.h>
#include <sel/idl_sync.h>
#include <sel/local_thread.h>
#include <sel/uintr.h>
#include <selene/bootinfo.h>
#include "console.h"
#include "console_server.h" /* generated from idl/console.idl */

#define IRQ_VECTOR     0
#define IRQ_THREAD_VA  (SEL_IPC_BUFFER_VADDR + 0x1000) /* beside the main IPC buffer */
#define IRQ_STACK_SIZE 8192

struct console con;
static uint8_t irq_stack[IRQ_STACK_SIZE] __attribute__((aligned(16)));
static volatile uint64_t irq_seen;

void console_lock(void)
{
	while (__atomic_exchange_n(&con.lock, 1, __ATOMIC_ACQUIRE))
		sel_yield();
}

void console_unlock(void)
{
	__atomic_store_n(&con.lock, 0, __ATOMIC_RELEASE);
}

static void irq_handler(uint64_t pending, struct sel_uintr_frame *frame)
{
	(void)frame;
	if (pending & (1ull << IRQ_VECTOR))
		irq_seen = irq_seen + 1;
}

/* The interrupt thread: wait (masked, so no interrupt slips between check and wait), serve, ack. */
static void irq_thread(uint64_t arg)
{
	uint64_t done = 0;

	(void)arg;
	if (sel_uintr_register_handler(CONSOLE_SLOT_RECV, irq_handler, 0) != SEL_OK ||
	    sel_invoke(CONSOLE_SLOT_IRQ, SEL_IRQ_HANDLER_SET_RECEIVER, CONSOLE_SLOT_RECV,
	               IRQ_VECTOR, 0, 0, 0, 0) != SEL_OK)
		sel_exit(1);
	for (;;) {
		sel_uintr_mask();
		if (irq_seen == done)
			sel_uintr_wait();
		sel_uintr_unmask(); /* the handler runs here */
		done = irq_seen;
		console_lock();
		con.irqs++;
		uart_service();
		console_unlock();
		sel_invoke(CONSOLE_SLOT_IRQ, SEL_IRQ_HANDLER_ACK, 0, 0, 0, 0, 0, 0);
	}
}

int console_impl_write(void *ctx, uint64_t badge, const uint8_t *data, size_t data_len,
                       uint32_t *written)
{
	(void)ctx;
	console_lock();
	*written = client_write(badge, data, (uint32_t)data_len);
	console_unlock();
	return SEL_OK;
}

int console_impl_read(void *ctx, uint64_t badge, uint32_t max, uint8_t data[2048], size_t *data_len)
{
	(void)ctx;
	if (max > 2048)
		max = 2048;
	console_lock();
	con.foreground = badge;
	client_flush(badge); /* its prompt, before it waits for input */
	uart_service();      /* anything the interrupt has not brought yet */
	*data_len = input_take(data, max);
	console_unlock();
	return SEL_OK;
}

int console_impl_write_lease(void *ctx, uint64_t badge, const struct sel_idl_lease *src,
                             uint64_t *written)
{
	uint8_t chunk[256];
	uint64_t len = src->desc.len;
	int err = SEL_OK;

	(void)ctx;
	*written = 0;
	while (err == SEL_OK && *written < len) {
		uint32_t n =
		    len - *written < sizeof(chunk) ? (uint32_t)(len - *written) : sizeof(chunk);
		err = sel_idl_lease_read(src, *written, chunk, n);
		if (err != SEL_OK)
			break;
		console_lock();
		uint32_t took = client_write(badge, chunk, n);
		console_unlock();
		*written += took;
		if (took < n)
			break; /* the ring is full: the caller writes the rest later */
	}
	return err;
}

int console_impl_set_mode(void *ctx, uint64_t badge, enum console_mode mode)
{
	(void)ctx;
	console_lock();
	client_flush(badge);
	con.cooked = mode == CONSOLE_MODE_COOKED;
	con.edit_len = 0;
	con.esc_state = 0;
	console_unlock();
	return SEL_OK;
}

int console_impl_get_mode(void *ctx, uint64_t badge, enum console_mode *mode)
{
	(void)ctx;
	(void)badge;
	*mode = con.cooked ? CONSOLE_MODE_COOKED : CONSOLE_MODE_RAW;
	return SEL_OK;
}

int console_impl_flush(void *ctx, uint64_t badge)
{
	bool idle;

	(void)ctx;
	console_lock();
	client_flush(badge);
	console_unlock();
	do {
		console_lock();
		uart_drain();
		idle = uart_idle();
		console_unlock();
		if (!idle)
			sel_yield();
	} while (!idle);
	return SEL_OK;
}

int console_impl_set_line(void *ctx, uint64_t badge, const char *text)
{
	(void)ctx;
	(void)badge;
	console_lock();
	if (con.cooked)
		edit_replace(text);
	console_unlock();
	return SEL_OK;
}

static int start_irq_thread(void)
{
	struct sel_local_thread t = {
	    .ut = CONSOLE_SLOT_UT,
	    .cnode = SEL_SLOT_CNODE,
	    .vspace = SEL_SLOT_VSPACE,
	    .tcb_slot = CONSOLE_SLOT_THREAD,
	    .ipc_vaddr = IRQ_THREAD_VA,
	    .stack_top = (uint64_t)(irq_stack + IRQ_STACK_SIZE),
	    .hart = 0,
	};
	int err = sel_untyped_retype(CONSOLE_SLOT_UT, SEL_OBJ_UINTR_RECEIVER, 0, SEL_SLOT_CNODE,
	                             CONSOLE_SLOT_RECV, 1);

	if (err == SEL_OK)
		err = sel_local_thread_start(&t, irq_thread, 0);
	/* As urgent as this thread (the MCP the parent gave this one bounds it). */
	if (err == SEL_OK)
		err =
		    sel_tcb_set_priority(CONSOLE_SLOT_THREAD, CONSOLE_SLOT_SELF, CONSOLE_PRIORITY);
	return err;
}

SEL_SERVICE(console_dispatch);

int main(uint64_t index);

/* `index` is its place in the manifest; CONSOLE_FLAGS (a build of its own) the start flags. */
int main(uint64_t index)
{
	int err;

	(void)index;
	con.uart = (volatile uint8_t *)CONSOLE_UART_VADDR;
	con.cooked = true;
	con.broken_no_lines = (CONSOLE_FLAGS & CONSOLE_BROKEN_NO_LINES) != 0;
	uart_init();
	err = start_irq_thread();
	if (err != SEL_OK)
		return err;
	/* A driver that replaces a dead one does not know who waited for input: every client
	 * with a notification is woken, reads again, and so names the foreground anew. */
	for (uint64_t b = 0; b < CONSOLE_MAX_CLIENTS; b++)
		sel_signal(CONSOLE_SLOT_NOTIFY + b);
	return sel_serve(); /* on CONSOLE_SLOT_EP, as the root task's table says */
}
