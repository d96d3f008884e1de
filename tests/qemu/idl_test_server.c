/*
 * The server of idl/idltest.idl for the IDL tests: a program of its own,
 * spawned by the test into its own address space (idl_util.c), serving
 * over the synchronous transport (start argument 0) or the asynchronous one
 * (IDLTEST_ASYNC_ARG). Each handler returns what it was given, or what it
 * did with it, so the test compares both ends.
 */
#include <sel/idl_async.h>
#include <sel/idl_sync.h>
#include <sel/local_thread.h>
#include "idl_util.h"
#include "idltest_server.h" /* generated from idl/idltest.idl */

static uint64_t notes_total;
static struct sel_idl_sync_server server;
static struct sel_idl_async_server aserver;

int idltest_impl_scalars(void *ctx, uint64_t badge, uint8_t a, int16_t b, uint32_t c, int64_t d,
                         bool e, enum idltest_color f, uint8_t *a2, int16_t *b2, uint32_t *c2,
                         int64_t *d2, bool *e2, enum idltest_color *f2)
{
	(void)ctx;
	(void)badge;
	*a2 = a;
	*b2 = b;
	*c2 = c;
	*d2 = d;
	*e2 = e;
	*f2 = f;
	return SEL_OK;
}

int idltest_impl_shapes(void *ctx, uint64_t badge, const struct idltest_point *p,
                        const uint16_t v[8], struct idltest_point *q, uint16_t w[8])
{
	(void)ctx;
	(void)badge;
	*q = *p;
	q->x = p->y;
	q->y = p->x;
	for (unsigned i = 0; i < 8; i++)
		w[i] = v[7 - i];
	return SEL_OK;
}

int idltest_impl_texts(void *ctx, uint64_t badge, const char *s, const uint8_t *raw, size_t raw_len,
                       const uint8_t *blob, size_t blob_len, char s2[64 + 1], uint8_t raw2[300],
                       size_t *raw2_len, uint8_t blob2[1024], size_t *blob2_len)
{
	(void)ctx;
	(void)badge;
	sel_idl_copy(s2, s, sel_idl_strnlen(s, 64) + 1);
	sel_idl_copy(raw2, raw, raw_len);
	*raw2_len = raw_len;
	sel_idl_copy(blob2, blob, blob_len);
	*blob2_len = blob_len;
	return SEL_OK;
}

int idltest_impl_whoami(void *ctx, uint64_t badge, uint64_t *caller)
{
	(void)ctx;
	*caller = badge;
	return SEL_OK;
}

int idltest_impl_give(void *ctx, uint64_t badge, struct sel_idl_cap n)
{
	(void)ctx;
	(void)badge;
	return sel_signal(n.slot);
}

int idltest_impl_take(void *ctx, uint64_t badge, struct sel_idl_cap *n)
{
	(void)ctx;
	(void)badge;
	n->slot = IDLTEST_SLOT_NTFN;
	return SEL_OK;
}

int idltest_impl_lease_sum(void *ctx, uint64_t badge, const struct sel_idl_lease *src, uint32_t n,
                           uint64_t *sum)
{
	static uint8_t buf[4096];
	int rc = n <= sizeof(buf) ? sel_idl_lease_read(src, 0, buf, n) : SEL_ERR_RANGE;

	(void)ctx;
	(void)badge;
	*sum = 0;
	for (uint32_t i = 0; rc == SEL_OK && i < n; i++)
		*sum += buf[i];
	return rc;
}

int idltest_impl_lease_fill(void *ctx, uint64_t badge, const struct sel_idl_lease *dst, uint8_t v)
{
	static uint8_t buf[4096];

	(void)ctx;
	(void)badge;
	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i] = v;
	return sel_idl_lease_write(dst, 0, buf, dst->desc.len);
}

int idltest_impl_check(void *ctx, uint64_t badge, uint32_t v)
{
	(void)ctx;
	(void)badge;
	if (v == 0)
		return IDLTEST_ERROR_ZERO;
	return v % 2 ? IDLTEST_ERROR_ODD : SEL_OK;
}

int idltest_impl_note(void *ctx, uint64_t badge, uint32_t v)
{
	(void)ctx;
	(void)badge;
	notes_total += v;
	return SEL_OK;
}

int idltest_impl_notes(void *ctx, uint64_t badge, uint64_t *total, uint64_t *served)
{
	(void)ctx;
	(void)badge;
	*total = notes_total;
	*served = server.served + aserver.served;
	return SEL_OK;
}

/* The async server's second thread: the side channel (capabilities, leases). */
static void side_thread(uint64_t unused)
{
	(void)unused;
	sel_idl_async_serve_side(&aserver);
}

static int start_side(void)
{
	static uint8_t stack[8192] __attribute__((aligned(16)));
	struct sel_local_thread t = {
	    .ut = IDLTEST_SLOT_UT,
	    .cnode = SEL_SLOT_CNODE,
	    .vspace = SEL_SLOT_VSPACE,
	    .tcb_slot = IDLTEST_SLOT_SIDE,
	    .ipc_vaddr = IDLTEST_SIDE_IPC,
	    .stack_top = (uint64_t)(stack + sizeof(stack)),
	    .hart = 0,
	};

	return sel_local_thread_start(&t, side_thread, 0);
}

int main(uint64_t arg);

int main(uint64_t arg)
{
	if (arg != 0) {
		aserver.ep = IDLTEST_SLOT_EP;
		aserver.untyped = IDLTEST_SLOT_UT;
		aserver.receiver = IDLTEST_SLOT_RECV;
		aserver.vspace = SEL_SLOT_VSPACE;
		aserver.vaddr = IDLTEST_WINDOWS;
		aserver.slot_base = IDLTEST_SLOT_SESSIONS;
		aserver.nclients = (uint32_t)(arg >> 8) & 0xff;
		aserver.nslots = (uint32_t)(arg >> 16) & 0xffff;
		aserver.window_bits = (uint32_t)(arg >> 32) & 0x1f;
		aserver.dispatch = idltest_dispatch;
		aserver.dispatch_words = idltest_dispatch_words;
		aserver.side_cap_slot = IDLTEST_SLOT_SIDE_CAPS;
		int err = start_side();
		return err != SEL_OK ? err : sel_idl_async_serve(&aserver);
	}
	server.ep = IDLTEST_SLOT_EP;
	server.dispatch = idltest_dispatch;
	server.dispatch_words = idltest_dispatch_words;
	server.cap_slot = IDLTEST_SLOT_CAPS;
	return sel_idl_sync_serve(&server);
}
