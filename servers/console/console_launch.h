/*
 * servers/console: how a parent starts the console driver (a program of
 * its own, in its own address space).
 *
 * The parent maps the UART's page (a Frame of the device Untyped that
 * covers the boot info's uart_base) at CONSOLE_UART_VADDR and gives it:
 * the endpoint it serves (Read), the UART's IRQ handler cap (Write), an
 * Untyped for its interrupt thread and receiver, a copy of its own TCB
 * cap with MCP CONSOLE_PRIORITY (to give that thread its priority) and, per client badge b, a
 * Notification (Write) in slot CONSOLE_SLOT_NOTIFY + b that it signals
 * when input for that client arrives. It starts with a0 = enum
 * console_start_flags. The parent should hand the kernel's console over
 * (SEL_DEBUG_CONSOLE_HAND_OVER) before it starts the driver.
 */
#ifndef SERVERS_CONSOLE_LAUNCH_H
#define SERVERS_CONSOLE_LAUNCH_H

#include <stdint.h>

#define CONSOLE_SLOT_EP     16 /* the endpoint it serves */
#define CONSOLE_SLOT_IRQ    17 /* the UART's IRQ handler */
#define CONSOLE_SLOT_UT     18 /* 2^16 bytes for its receiver, thread and IPC buffer */
#define CONSOLE_SLOT_SELF   19 /* its main thread's TCB (its MCP bounds the priorities) */
#define CONSOLE_SLOT_RECV   20 /* made by the driver: its receiver */
#define CONSOLE_SLOT_THREAD 21 /* made by the driver: the interrupt thread (and 22, its buffer) */
#define CONSOLE_SLOT_CAPS   24 /* three slots where capabilities in requests would arrive */
#define CONSOLE_SLOT_NOTIFY 32 /* + badge: the notification of the client with that badge */
#define CONSOLE_MAX_CLIENTS 8  /* badges 0..7 */

#define CONSOLE_UART_VADDR 0x40000000ull
/* The priority of both its threads: the parent gives the main thread this priority and
 * MCP, and the driver gives its interrupt thread the same. */
#define CONSOLE_PRIORITY 150

enum console_start_flags {
	/* Positive control: emit every write as it comes, without collecting lines, so
	 * lines of clients writing at once can interleave (the demo tests must see it). */
	CONSOLE_BROKEN_NO_LINES = 1u << 0,
};

#endif /* SERVERS_CONSOLE_LAUNCH_H */
