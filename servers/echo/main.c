/*
 * The echo server: idl/echo.idl implemented, served over the synchronous or
 * the asynchronous transport (its start argument says which). Its state is
 * the poke counter; every handler is a few lines, the generated skeleton
 * (echo_dispatch, the same for both transports) has checked every request
 * before one runs, and the serve loops (the skeleton's sync and async ones,
 * instantiated here with ECHO_SERVE_HERE so that the register path and the
 * handlers it calls are inlined into them) do the rest. Over the async transport, and over the sync one
 * to a client that subscribed, every 1000th poke sends the poking client a
 * `tick` event.
 */
#include <sel/idl_async.h>
#include <sel/idl_sync.h>
#include <selene/bootinfo.h>
#include "echo_launch.h"
#define ECHO_SERVE_HERE  /* the register path in this file: the handlers inline into it */
#include "echo_server.h" /* generated from idl/echo.idl */

static uint64_t total_pokes;
static struct sel_idl_sync_server server;
static struct sel_idl_async_server aserver;
static bool async;

int echo_impl_echo(void *ctx, uint64_t badge, const char *msg, char reply[256 + 1])
{
	size_t n = sel_idl_strnlen(msg, 256);

	(void)ctx;
	(void)badge;
	if (n == 0)
		return ECHO_ERROR_EMPTY;
	sel_idl_copy(reply, msg, n + 1);
	return SEL_OK;
}

int echo_impl_add(void *ctx, uint64_t badge, int64_t a, int64_t b, int64_t *sum)
{
	(void)ctx;
	(void)badge;
	*sum = (int64_t)((uint64_t)a + (uint64_t)b); /* wraps, as the client's own add would */
	return SEL_OK;
}

/* `data` is in the request buffer, `reply` in the reply buffer: one copy between them. */
int echo_impl_echo_bytes(void *ctx, uint64_t badge, const uint8_t *data, size_t data_len,
                         uint8_t reply[2048], size_t *reply_len)
{
	(void)ctx;
	(void)badge;
	sel_idl_copy(reply, data, data_len);
	*reply_len = data_len;
	return SEL_OK;
}

int echo_impl_poke(void *ctx, uint64_t badge, uint32_t count)
{
	uint64_t before = total_pokes;

	(void)ctx;
	(void)badge;
	total_pokes += count;
	if (total_pokes / 1000 != before / 1000) /* to the poker, if it listens */
		echo_emit_tick(async ? sel_idl_async_sink(&aserver) : sel_idl_sync_sink(&server),
		               total_pokes);
	return SEL_OK;
}

int echo_impl_pokes(void *ctx, uint64_t badge, uint64_t *total)
{
	(void)ctx;
	(void)badge;
	*total = total_pokes;
	return SEL_OK;
}

/* bound.c, in the build placed by a system manifest (echo-service) only. */
int echo_bound_serve(void) __attribute__((weak));

int main(uint64_t transport);

int main(uint64_t transport)
{
	int err = SEL_ERR_INVALID_ARG;

	if (echo_bound_serve) {
		err = echo_bound_serve();
	} else if (transport == ECHO_SERVE_SYNC) {
		server.ep = ECHO_SLOT_EP;
		server.dispatch = echo_dispatch;
		server.dispatch_words = echo_dispatch_words;
		server.cap_slot = ECHO_SLOT_CAPS;
		server.event_slot = ECHO_SLOT_EVENTS;
		err = echo_sync_serve_here(&server);
	} else if ((transport & 0xff) == ECHO_SERVE_ASYNC) {
		async = true;
		aserver.ep = ECHO_SLOT_EP;
		aserver.untyped = ECHO_SLOT_UT;
		aserver.receiver = ECHO_SLOT_RECV;
		aserver.vspace = SEL_SLOT_VSPACE;
		aserver.vaddr = ECHO_WINDOWS;
		aserver.slot_base = ECHO_SLOT_SESSIONS;
		aserver.nclients = (uint32_t)(transport >> 8) & 0xff;
		aserver.nslots = (uint32_t)(transport >> 16) & 0xffff;
		aserver.window_bits = (uint32_t)(transport >> 32) & 0x1f;
		aserver.dispatch = echo_dispatch;
		aserver.dispatch_words = echo_dispatch_words;
		err = echo_async_serve_here(&aserver);
	}
	return ECHO_EXIT_BASE | err;
}
