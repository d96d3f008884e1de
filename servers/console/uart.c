/*
 * The 16550 in user mode and the console's line discipline: the output
 * ring, each client's line buffer, the input queue and cooked-mode
 * editing. Every function here runs with the console lock held (console.h).
 */
#include <sel/ipc.h>
#include <sel/string.h>
#include "console.h"

#define RBR        0 /* receive buffer (read) */
#define THR        0 /* transmit holding (write) */
#define IER        1
#define IIR        2 /* interrupt identification (read) */
#define FCR        2 /* FIFO control (write) */
#define LCR        3
#define MCR        4
#define LSR        5
#define IER_RX     0x01
#define IER_THRE   0x02
#define LSR_DR     0x01
#define LSR_THRE   0x20
#define LSR_TEMT   0x40
#define FIFO_DEPTH 16

void uart_init(void)
{
	volatile uint8_t *u = con.uart;

	u[IER] = 0;
	u[FCR] = 0x07; /* FIFOs on and cleared */
	u[LCR] = 0x03; /* 8 data bits, no parity, 1 stop bit */
	u[MCR] = 0x0b; /* DTR, RTS, OUT2 (the interrupt line) */
	while (u[LSR] & LSR_DR)
		(void)u[RBR];
	u[IER] = IER_RX;
}

static uint32_t out_free(void)
{
	return OUT_SIZE - (uint32_t)(con.out_head - con.out_tail);
}

bool uart_drain(void)
{
	volatile uint8_t *u = con.uart;

	while (con.out_tail != con.out_head && (u[LSR] & LSR_THRE))
		for (int k = 0; k < FIFO_DEPTH && con.out_tail != con.out_head; k++) {
			u[THR] = con.out[con.out_tail++ % OUT_SIZE];
			con.tx_bytes++;
		}
	/* What the transmitter did not take goes out on its THRE interrupt. */
	u[IER] = con.out_tail == con.out_head ? IER_RX : IER_RX | IER_THRE;
	return con.out_tail == con.out_head;
}

bool uart_idle(void)
{
	return con.out_tail == con.out_head && (con.uart[LSR] & LSR_TEMT);
}

uint32_t out_put(const uint8_t *s, uint32_t n)
{
	uint32_t need = n;

	for (uint32_t i = 0; i < n; i++)
		need += s[i] == '\n';
	if (need > out_free())
		uart_drain();
	if (need > out_free())
		return 0;
	for (uint32_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			con.out[con.out_head++ % OUT_SIZE] = '\r';
		con.out[con.out_head++ % OUT_SIZE] = s[i];
	}
	uart_drain();
	return n;
}

static void out_str(const char *s)
{
	out_put((const uint8_t *)s, (uint32_t)strlen(s));
}

/* A client's collected line to the ring, whole; false if the ring has no room now. */
static bool line_commit(struct client_line *l)
{
	if (l->len && !out_put(l->buf, l->len))
		return false;
	l->len = 0;
	return true;
}

static struct client_line *line_of(uint64_t badge)
{
	return &con.lines[badge % CONSOLE_MAX_CLIENTS];
}

uint32_t client_write(uint64_t badge, const uint8_t *s, uint32_t n)
{
	struct client_line *l = line_of(badge);
	uint32_t i;

	if (con.broken_no_lines)
		return out_put(s, n);
	/* A line left complete by a full ring goes first. */
	if (l->len && l->buf[l->len - 1] == '\n' && !line_commit(l))
		return 0;
	for (i = 0; i < n; i++) {
		if (l->len == LINE_MAX && !line_commit(l))
			break;
		l->buf[l->len++] = s[i];
		if (s[i] == '\n' && !line_commit(l)) {
			i++; /* taken: it goes out with its line on the next write or flush */
			break;
		}
	}
	return i;
}

void client_flush(uint64_t badge)
{
	line_commit(line_of(badge));
}

static void notify_foreground(void)
{
	sel_signal(CONSOLE_SLOT_NOTIFY + con.foreground % CONSOLE_MAX_CLIENTS);
}

static void in_push(const uint8_t *s, uint32_t n)
{
	if (n > IN_SIZE - (con.in_head - con.in_tail))
		return; /* no room: the input is dropped, as a full FIFO would */
	for (uint32_t i = 0; i < n; i++)
		con.in[con.in_head++ % IN_SIZE] = s[i];
}

uint32_t input_take(uint8_t *dst, uint32_t max)
{
	uint32_t n = 0;

	while (n < max && con.in_tail != con.in_head) {
		uint8_t c = con.in[con.in_tail % IN_SIZE];
		if (con.cooked && n > 0 && (c == CTRL_C || c == ESC))
			break; /* a ^C or an arrow is a unit of its own */
		dst[n++] = c;
		con.in_tail++;
		if (!con.cooked)
			continue;
		if (c == '\n' || c == CTRL_C)
			break;
		if (c == ESC) { /* ESC [ A or ESC [ B: pushed whole */
			for (int k = 0; k < 2 && n < max && con.in_tail != con.in_head; k++)
				dst[n++] = con.in[con.in_tail++ % IN_SIZE];
			break;
		}
	}
	return n;
}

static void erase_edit(void)
{
	for (uint32_t i = 0; i < con.edit_len; i++)
		out_str("\b \b");
	con.edit_len = 0;
}

void edit_replace(const char *text)
{
	uint32_t n = (uint32_t)strlen(text);

	erase_edit();
	if (n > EDIT_MAX - 1)
		n = EDIT_MAX - 1;
	memcpy(con.edit, text, n);
	con.edit_len = n;
	out_put(con.edit, n);
}

/* Cooked mode: one received byte edits the line or completes a unit of input. */
static void rx_cooked(uint8_t c)
{
	static const uint8_t ctrl_c = CTRL_C;
	static uint8_t last;
	bool crlf = last == '\r' && c == '\n'; /* a terminal's CR LF is one Enter */

	last = c;
	if (crlf)
		return;
	if (con.esc_state == 1) {
		con.esc_state = c == '[' ? 2 : 0;
		return;
	}
	if (con.esc_state == 2) {
		uint8_t seq[3] = {ESC, '[', c};
		con.esc_state = 0;
		if (c == 'A' || c == 'B') {
			in_push(seq, 3);
			notify_foreground();
		}
		return;
	}
	if (c == ESC) {
		con.esc_state = 1;
	} else if (c == '\r' || c == '\n') {
		out_str("\n");
		con.edit[con.edit_len++] = '\n';
		in_push(con.edit, con.edit_len);
		con.edit_len = 0;
		notify_foreground();
	} else if (c == BACKSPACE || c == DELETE) {
		if (con.edit_len) {
			con.edit_len--;
			out_str("\b \b");
		}
	} else if (c == CTRL_U) {
		erase_edit();
	} else if (c == CTRL_C) {
		out_str("^C\n");
		con.edit_len = 0;
		in_push(&ctrl_c, 1);
		notify_foreground();
	} else if (c >= 0x20 && c < 0x7f && con.edit_len < EDIT_MAX - 1) {
		con.edit[con.edit_len++] = c;
		out_put(&c, 1);
	}
}

void uart_service(void)
{
	volatile uint8_t *u = con.uart;

	(void)u[IIR]; /* reading it clears a THRE interrupt */
	while (u[LSR] & LSR_DR) {
		uint8_t c = u[RBR];
		con.rx_bytes++;
		if (con.cooked) {
			rx_cooked(c);
		} else {
			in_push(&c, 1);
			notify_foreground();
		}
	}
	uart_drain();
}
