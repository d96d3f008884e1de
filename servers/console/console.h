/*
 * The console driver's state, shared by its two threads: the serving
 * thread (main.c: one IDL request at a time) and the interrupt thread
 * (main.c: woken by the UART's PLIC source as a user interrupt). Every
 * field below is touched only with `lock` held.
 *
 * Invariants: out_tail <= out_head <= out_tail + OUT_SIZE (free-running
 * indices into out[]); in_tail <= in_head <= in_tail + IN_SIZE; the edit
 * line edit[0..edit_len) is what the screen shows after the last prompt
 * (cooked mode); a client's line[0..line_len) holds no newline.
 */
#ifndef SERVERS_CONSOLE_H
#define SERVERS_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "console_launch.h"

#define OUT_SIZE  16384u
#define IN_SIZE   4096u
#define LINE_MAX  256u
#define EDIT_MAX  256u
#define CTRL_C    0x03
#define CTRL_U    0x15
#define ESC       0x1b
#define BACKSPACE 0x08
#define DELETE    0x7f

struct client_line {
	uint8_t buf[LINE_MAX];
	uint32_t len;
};

struct console {
	volatile uint8_t *uart;
	volatile uint32_t lock;
	bool cooked;
	bool broken_no_lines; /* CONSOLE_BROKEN_NO_LINES */
	uint64_t foreground;  /* badge of the client that read last: input and ^C go to it */
	uint8_t out[OUT_SIZE];
	uint64_t out_head, out_tail;
	uint8_t in[IN_SIZE];
	uint64_t in_head, in_tail;
	uint8_t edit[EDIT_MAX];
	uint32_t edit_len;
	uint32_t esc_state; /* 0, 1 after ESC, 2 after ESC [ */
	struct client_line lines[CONSOLE_MAX_CLIENTS];
	uint64_t rx_bytes, tx_bytes, irqs;
};

extern struct console con;

void console_lock(void);
void console_unlock(void);

/* uart.c: the 16550 and the line discipline (callers hold the lock). */
void uart_init(void);
void uart_service(void);                        /* RX into input, TX from the ring */
bool uart_drain(void);                          /* true once the ring is empty */
bool uart_idle(void);                           /* the transmitter has sent everything */
uint32_t out_put(const uint8_t *s, uint32_t n); /* to the ring, \n as \r\n; all or nothing */
uint32_t client_write(uint64_t badge, const uint8_t *s, uint32_t n);
void client_flush(uint64_t badge);
uint32_t input_take(uint8_t *dst, uint32_t max); /* one unit in cooked mode */
void edit_replace(const char *text);

#endif /* SERVERS_CONSOLE_H */
