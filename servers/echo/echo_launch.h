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

#define ECHO_SLOT_EP   16 /* the endpoint it serves */
#define ECHO_SLOT_CAPS 20 /* three slots where capabilities in requests arrive */

enum echo_server_transport {
	ECHO_SERVE_SYNC = 0, /* endpoint Calls (<sel/idl_sync.h>) */
};

/* The exit code when its serve loop ends: 0x5e0000 | the error that ended it. */
#define ECHO_EXIT_BASE 0x5e0000

#endif /* SERVERS_ECHO_LAUNCH_H */
