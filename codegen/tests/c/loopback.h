/*
 * Loopback transport for host tests: client and server in one process.
 *
 * Each slot owns a request and a reply buffer. In synchronous mode `send`
 * runs the server's dispatch at once, so every future comes back resolved.
 * In deferred mode requests wait until loopback_run() (the "server") runs
 * them; `wait` runs the slot's request itself, `poll` reports
 * SEL_ERR_WOULD_BLOCK until then. Leases are plain pointers in the one
 * address space. A hook may rewrite a request between send and dispatch.
 */
#ifndef IDL_TEST_LOOPBACK_H
#define IDL_TEST_LOOPBACK_H

#include <sel/idl_runtime.h>

#define LOOPBACK_SLOTS  4
#define LOOPBACK_EVENTS 8

struct loopback_slot {
	_Alignas(8) uint8_t req[SEL_IDL_MAX_MESSAGE_BYTES];
	_Alignas(8) uint8_t rep[SEL_IDL_MAX_MESSAGE_BYTES];
	struct sel_idl_msg req_msg;
	struct sel_idl_msg rep_msg;
	bool queued;  /* sent, not yet dispatched */
	bool replied; /* reply ready */
	bool oneway;
	int status; /* dispatch result */
};

struct loopback {
	sel_idl_dispatch_fn dispatch;
	void *server_ctx;
	uint64_t badge;
	bool deferred;
	int last_dispatch; /* what the last dispatch returned */
	/* Called on the server's copy of a request just before dispatch. */
	void (*before_dispatch)(void *arg, struct sel_idl_msg *req);
	void *hook_arg;
	struct loopback_slot slots[LOOPBACK_SLOTS];
	/* Events queued by the server for the client. */
	_Alignas(8) uint8_t ev_buf[LOOPBACK_EVENTS][SEL_IDL_MAX_MESSAGE_BYTES];
	struct sel_idl_msg ev_msg[LOOPBACK_EVENTS];
	unsigned ev_head, ev_tail;
	_Alignas(8) uint8_t ev_scratch[SEL_IDL_MAX_MESSAGE_BYTES];
};

extern const struct sel_idl_transport loopback_transport;
extern const struct sel_idl_lease_ops loopback_lease_ops;

void loopback_init(struct loopback *lb, sel_idl_dispatch_fn dispatch, void *server_ctx,
                   uint64_t badge, bool deferred);
/* Run every queued request (deferred mode); returns how many ran. */
int loopback_run(struct loopback *lb);
/* A sink through which the server sends events to this loopback's client. */
void loopback_event_sink(struct loopback *lb, struct sel_idl_event_sink *sink);

#endif /* IDL_TEST_LOOPBACK_H */
