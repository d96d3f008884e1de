/*
 * The client's side of binding at load time (<sel/bind.h>): the connection
 * table the root task fills, and sel_bind(), which turns an entry into a
 * connection over the placement it names. The direct transport is here
 * too: a function call into the private instance of the service.
 *
 * Every transport is linked into every client, so the client's ELF does
 * not depend on the placements the manifest chose.
 */
#include <sel/bind.h>
#include <sel/cap.h>
#include <sel/idl_async.h>
#include <sel/idl_sync.h>
#include <sel/string.h>
#include <sel/uintr.h>
#include <selene/bootinfo.h>

/* Written by the root task before we start; all zero otherwise (no connection). */
struct sel_bind_table sel_connections;

typedef int (*direct_entry_fn)(const struct sel_idl_msg *req, struct sel_idl_msg *rep);

/* A direct connection: SEL_BIND_CALLS call slots, each a request and a reply in our memory. */
struct direct_client {
	direct_entry_fn entry;
	struct {
		int status;   /* of the last call */
		uint32_t len; /* its reply's length */
		uint64_t req[SEL_IDL_MAX_MESSAGE_BYTES / 8];
		uint64_t rep[SEL_IDL_MAX_MESSAGE_BYTES / 8];
	} slot[SEL_BIND_CALLS];
};

/* The state of connection i. Invariant: conn is set up iff ready. */
struct bound {
	int ready;
	struct sel_idl_conn conn;
	struct sel_idl_future futures[SEL_BIND_SLOTS];
	union {
		struct direct_client direct;
		struct {
			struct sel_idl_sync_client c;
			struct sel_idl_sync_slot slots[SEL_BIND_CALLS];
		} sync;
		struct {
			struct sel_idl_async_client c;
			struct sel_idl_async_slot slots[SEL_BIND_SLOTS];
		} async;
	} u;
};

static struct bound bound[SEL_BIND_MAX];
static int handler_registered;

static int direct_request_buffer(void *ctx, uint32_t slot, struct sel_idl_msg *req)
{
	struct direct_client *d = ctx;

	if (slot >= SEL_BIND_CALLS)
		return SEL_ERR_RANGE;
	req->buf = (uint8_t *)d->slot[slot].req;
	req->capacity = SEL_IDL_MAX_MESSAGE_BYTES;
	return SEL_OK;
}

/* The call itself: the instance decodes the request in place and writes the reply. */
static int direct_send(void *ctx, uint32_t slot, struct sel_idl_msg *req, bool oneway)
{
	struct direct_client *d = ctx;
	struct sel_idl_msg rep = {0};
	int rc;

	if (req->ncaps || req->nleases)
		return SEL_ERR_NOT_SUPPORTED; /* a function call moves no capability */
	rep.buf = (uint8_t *)d->slot[slot].rep;
	rep.capacity = SEL_IDL_MAX_MESSAGE_BYTES;
	rc = d->entry(req, &rep);
	if (oneway)
		return SEL_OK;
	d->slot[slot].status = SEL_OK;
	d->slot[slot].len = rep.len;
	if (rep.len == 0) { /* a request the skeleton refused: a reply of its status alone */
		d->slot[slot].rep[0] = (uint64_t)SEL_IDL_KIND_REPLY << 16 |
		                       (uint64_t)SEL_IDL_WIRE_VERSION << 24 |
		                       (uint64_t)(uint32_t)rc << 32;
		d->slot[slot].len = 8;
	}
	return SEL_OK;
}

static int direct_poll(void *ctx, uint32_t slot, struct sel_idl_msg *rep)
{
	struct direct_client *d = ctx;

	if (d->slot[slot].status != SEL_OK)
		return d->slot[slot].status;
	rep->buf = (uint8_t *)d->slot[slot].rep;
	rep->len = d->slot[slot].len;
	rep->capacity = SEL_IDL_MAX_MESSAGE_BYTES;
	rep->ncaps = 0;
	rep->nleases = 0;
	return SEL_OK;
}

static const struct sel_idl_transport direct_transport = {
    .request_buffer = direct_request_buffer,
    .send = direct_send,
    .wait = direct_poll,
    .poll = direct_poll,
};

/* Every async connection's doorbell and peer-closed vectors come to our one receiver. */
static void bind_interrupt(uint64_t pending, struct sel_uintr_frame *frame)
{
	(void)frame;
	for (uint32_t i = 0; i < SEL_BIND_MAX; i++)
		if (bound[i].ready && sel_connections.e[i].placement == SEL_BIND_ASYNC)
			sel_idl_async_interrupt(&bound[i].u.async.c, pending);
}

static int connect_async(uint32_t i, const struct sel_bind_entry *e, struct bound *b)
{
	uint32_t nslots = e->nslots && e->nslots <= SEL_BIND_SLOTS ? e->nslots : SEL_BIND_SLOTS;
	struct sel_idl_async_params p = {
	    e->ep,
	    e->to_me,
	    e->closed,
	    2 * i,
	    2 * i + 1,
	    e->slot,
	    SEL_SLOT_VSPACE,
	    e->vaddr,
	    (uint32_t)e->uitt_index,
	    0, /* caps in replies are not received */
	};
	int err = SEL_OK;

	if (!handler_registered) {
		err = sel_uintr_register_handler(e->receiver, bind_interrupt, 0);
		handler_registered = err == SEL_OK;
	}
	return err != SEL_OK ? err
	                     : sel_idl_async_connect(&b->conn, &b->u.async.c, &p, b->futures,
	                                             b->u.async.slots, nslots);
}

static int connect(uint32_t i)
{
	const struct sel_bind_entry *e = &sel_connections.e[i];
	struct bound *b = &bound[i];

	switch (e->placement) {
	case SEL_BIND_DIRECT:
		if (!e->entry)
			return SEL_ERR_INVALID_ARG;
		b->u.direct.entry = (direct_entry_fn)(uintptr_t)e->entry;
		sel_idl_conn_init(&b->conn, &direct_transport, &b->u.direct, b->futures,
		                  SEL_BIND_CALLS);
		return SEL_OK;
	case SEL_BIND_SYNC:
		sel_idl_sync_connect(&b->conn, &b->u.sync.c, e->ep, 0, b->futures, b->u.sync.slots,
		                     SEL_BIND_CALLS);
		return SEL_OK;
	case SEL_BIND_ASYNC:
		return connect_async(i, e, b);
	default:
		return SEL_ERR_INVALID_ARG;
	}
}

/* An async connection whose server's side went (it died, or ended the session). */
static int closed(uint32_t i)
{
	return sel_connections.e[i].placement == SEL_BIND_ASYNC && bound[i].u.async.c.closed;
}

/*
 * Reopens connection i's session after its server's side went: the old
 * one's caps go (the window is gone already if the server died), a new
 * session is opened on the same endpoint, which a restarted server serves.
 * If that fails the connection stays closed (every call: SEL_ERR_PEER_DEAD)
 * and the error is returned (SEL_ERR_PEER_DEAD if the endpoint went too).
 */
static int reconnect(uint32_t i)
{
	struct bound *b = &bound[i];
	uint32_t nslots = b->u.async.c.nslots;
	int err;

	b->ready = 0; /* the interrupt handler leaves it alone meanwhile */
	sel_idl_async_close(&b->u.async.c);
	/* Whatever close left (it stops at its first error): the slots the open needs empty. */
	sel_cnode_delete(SEL_SLOT_CNODE, sel_connections.e[i].slot + 1, SEL_DEPTH_FULL, 0);
	sel_cnode_delete(SEL_SLOT_CNODE, sel_connections.e[i].slot, SEL_DEPTH_FULL, 0);
	err = connect(i);
	if (err != SEL_OK) { /* the connection as it was: closed */
		b->u.async.c.nslots = nslots;
		b->u.async.c.closed = 1;
		if (err == SEL_ERR_EMPTY_SLOT || err == SEL_ERR_DELETED || err == SEL_ERR_CANCELLED)
			err = SEL_ERR_PEER_DEAD;
	}
	b->ready = 1;
	return err;
}

/* Connection i, set up at the first call and set up again if its server went. */
static int bind_index(uint32_t i)
{
	int rc;

	if (bound[i].ready)
		return closed(i) ? reconnect(i) : SEL_OK;
	rc = connect(i);
	bound[i].ready = rc == SEL_OK;
	return rc;
}

struct sel_idl_conn *sel_bind(const char *service, int *err)
{
	int rc = SEL_ERR_EMPTY_SLOT;

	if (sel_connections.magic == SEL_BIND_MAGIC)
		for (uint32_t i = 0; i < sel_connections.n && i < SEL_BIND_MAX; i++) {
			if (strncmp(sel_connections.e[i].service, service, SEL_BIND_NAME) != 0)
				continue;
			rc = bind_index(i);
			if (err)
				*err = rc;
			return rc == SEL_OK ? &bound[i].conn : NULL;
		}
	if (err)
		*err = rc;
	return NULL;
}
