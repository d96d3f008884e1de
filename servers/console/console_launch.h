/*
 * servers/console: what the console driver expects of the system that
 * starts it, a component of a system manifest (docs/manifest.md) that
 * provides `console`, holds the device `uart` and has its own Untyped:
 *
 *   [[component]]
 *   name = "console"
 *   program = "console-server"
 *   untyped = "64K"
 *   [[component.device]]
 *   name = "uart"
 *
 * The root task maps the UART's page (the device the boot info names) at
 * SYS_DEVICES, gives the UART's IRQ handler cap in SYS_SLOT_DEVICE_IRQ, an
 * Untyped for its interrupt thread and receiver, its own TCB (whose MCP
 * bounds the priority it gives that thread), its endpoint, and, for each
 * client connected with `events = true`, a Notification (Write) in
 * SYS_SLOT_EVENTS + the client's badge that it signals when input for that
 * client arrives. The root task hands the kernel's console over before it
 * starts the driver.
 */
#ifndef SERVERS_CONSOLE_LAUNCH_H
#define SERVERS_CONSOLE_LAUNCH_H

#include <stdint.h>
#include "system.h" /* servers/root: the CSpace layout of a component */

#define CONSOLE_SLOT_EP     SYS_SLOT_SERVE_EP   /* the endpoint it serves */
#define CONSOLE_SLOT_IRQ    SYS_SLOT_DEVICE_IRQ /* the UART's IRQ handler (device 0) */
#define CONSOLE_SLOT_UT     SYS_SLOT_UNTYPED    /* for its receiver, thread and IPC buffer */
#define CONSOLE_SLOT_SELF   SYS_SLOT_OWN_TCB    /* its main thread's TCB */
#define CONSOLE_SLOT_RECV   128                 /* made by the driver: its receiver */
#define CONSOLE_SLOT_THREAD 129 /* made by the driver: the interrupt thread (and 130, its buffer) */
#define CONSOLE_SLOT_NOTIFY SYS_SLOT_EVENTS /* + badge: the notification of that client */
#define CONSOLE_MAX_CLIENTS 64              /* badges 0..63 (SYS_BADGE) */

#define CONSOLE_UART_VADDR SYS_DEVICES
/* The priority of both its threads: the manifest gives the main thread this priority (or
 * more, up to its mcp), and the driver gives its interrupt thread the same. */
#define CONSOLE_PRIORITY 150

enum console_start_flags {
	/* Positive control: emit every write as it comes, without collecting lines, so
	 * lines of clients writing at once can interleave (the demo tests must see it). */
	CONSOLE_BROKEN_NO_LINES = 1u << 0,
};

#endif /* SERVERS_CONSOLE_LAUNCH_H */
