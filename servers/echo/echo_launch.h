/*
 * servers/echo: how a parent starts the echo server (a program of its own,
 * in its own address space).
 *
 * The parent gives it an endpoint cap in slot ECHO_SLOT_EP of its CNode
 * (Read, plus Grant if replies may carry caps) and starts it with a0 = the
 * transport (enum echo_server_transport). Clients call the endpoint through
 * the stubs idlc generates from idl/echo.idl.
 */
#ifndef SERVERS_ECHO_LAUNCH_H
#define SERVERS_ECHO_LAUNCH_H

#include <stdint.h>

#define ECHO_SLOT_EP     16 /* the endpoint it serves */
#define ECHO_SLOT_CAPS   20 /* three slots where capabilities in requests arrive */
#define ECHO_SLOT_EVENTS 24 /* SEL_IDL_SYNC_SUBSCRIBERS slots: event subscribers' senders */

/* The async transport also needs these from the parent. */
#define ECHO_SLOT_UT       17 /* an Untyped its session windows are retyped from */
#define ECHO_SLOT_RECV     18 /* its user-interrupt receiver (Write, Grant) */
#define ECHO_SLOT_SESSIONS 64 /* SEL_SESSION_SLOTS root CNode slots per client from here */
/* Client i's window is mapped at ECHO_WINDOWS + i << window_bits: page tables there. */
#define ECHO_WINDOWS (70ull << 30)

enum echo_server_transport {
	ECHO_SERVE_SYNC = 0,  /* endpoint Calls (<sel/idl_sync.h>) */
	ECHO_SERVE_ASYNC = 1, /* session windows (<sel/idl_async.h>): see ECHO_ASYNC_ARG */
};

/* The start argument for the async transport: clients, call slots each, window size. */
#define ECHO_ASYNC_ARG(clients, slots, window_bits)                                                \
	((uint64_t)ECHO_SERVE_ASYNC | (uint64_t)(clients) << 8 | (uint64_t)(slots) << 16 |         \
	 (uint64_t)(window_bits) << 32)

/* The exit code when its serve loop ends: 0x5e0000 | the error that ended it (0: every
 * async client has gone). */
#define ECHO_EXIT_BASE 0x5e0000

#endif /* SERVERS_ECHO_LAUNCH_H */
