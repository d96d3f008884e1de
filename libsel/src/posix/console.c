/*
 * libsel/src/posix/console.c: descriptors 0, 1 and 2 on the console service
 * (idl/console.idl, servers/console) when the manifest connects the program
 * to one (a connection named `console`); without it they stay on the debug
 * channel (fd.c). Writes go to the console's line buffer for this client,
 * so a program's lines never mix with another's; a read takes what the
 * console has received (in cooked mode: at most one edited line, with its
 * newline) and, when it has nothing, sleeps on the connection's events
 * Notification (`events = true`) or, without one, yields and asks again.
 * ^C (the console delivers the byte 0x03) reads as end of file: there are
 * no signals.
 */
#include <errno.h>
#include <string.h>
#include <sel/bind.h>
#include <sel/ipc.h>
#include "console_client.h" /* generated from idl/console.idl */
#include "posix_internal.h"

#define CONSOLE_MESSAGE 2048u /* console.idl bytes<2048> */
#define CONSOLE_TRIES   1000  /* writes refused (ring full) before giving up */
#define CTRL_C          0x03

/* The console connection and its events Notification (0: none), bound at first use. */
static struct {
	struct sel_idl_conn *conn;
	uint64_t events;
	int tried;
} console;

struct sel_idl_conn *posix_console(void)
{
	if (console.tried)
		return console.conn;
	console.tried = 1;
	console.conn = sel_bind("console", NULL);
	for (uint32_t i = 0; console.conn && i < sel_connections.n && i < SEL_BIND_MAX; i++)
		if (!strcmp(sel_connections.e[i].service, "console") &&
		    sel_connections.e[i].placement == SEL_BIND_SYNC)
			console.events = sel_connections.e[i].ep + SEL_BIND_SYNC_EVENTS;
	return console.conn;
}

ssize_t posix_console_write(const void *buf, size_t n)
{
	const uint8_t *p = buf;
	size_t done = 0;

	for (int tries = 0; done < n && tries < CONSOLE_TRIES; tries++) {
		size_t piece = n - done < CONSOLE_MESSAGE ? n - done : CONSOLE_MESSAGE;
		uint32_t written = 0;
		int rc = console_write(console.conn, p + done, piece, &written);
		if (rc != SEL_OK && rc != SEL_ERR_PEER_DEAD)
			return done ? (ssize_t)done : posix_fail(rc);
		if (rc != SEL_OK || !written)
			sel_yield(); /* the ring is full, or a restarted console is awaited */
		done += written;
	}
	return (ssize_t)done;
}

ssize_t posix_console_read(void *buf, size_t n)
{
	static uint8_t data[CONSOLE_MESSAGE];
	size_t got = 0;
	uint64_t word;

	if (n > CONSOLE_MESSAGE)
		n = CONSOLE_MESSAGE;
	for (;;) {
		int rc = console_read(console.conn, (uint32_t)n, data, &got);
		if (rc != SEL_OK)
			return posix_fail(rc);
		if (got)
			break;
		if (!console.events || sel_wait(console.events, &word) != SEL_OK)
			sel_yield();
	}
	if (got == 1 && data[0] == CTRL_C)
		return 0;
	memcpy(buf, data, got);
	return (ssize_t)got;
}

void posix_console_flush(void)
{
	if (console.conn)
		console_flush(console.conn);
}
