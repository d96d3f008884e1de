/*
 * Loopback transport for host tests (see loopback.h).
 */
#include <string.h>

#include "loopback.h"

static void run_slot(struct loopback *lb, uint32_t slot)
{
	struct loopback_slot *s = &lb->slots[slot];
	struct sel_idl_msg req = s->req_msg; /* the server's private descriptor */

	req.lease_ops = &loopback_lease_ops;
	req.lease_ctx = lb;
	memset(&s->rep_msg, 0, sizeof(s->rep_msg));
	s->rep_msg.buf = s->rep;
	s->rep_msg.capacity = sizeof(s->rep);
	if (lb->before_dispatch != NULL)
		lb->before_dispatch(lb->hook_arg, &req);
	s->status = lb->dispatch(lb->server_ctx, lb->badge, &req, &s->rep_msg);
	lb->last_dispatch = s->status;
	s->queued = false;
	s->replied = !s->oneway;
}

static int lb_request_buffer(void *ctx, uint32_t slot, struct sel_idl_msg *req)
{
	struct loopback *lb = ctx;

	if (slot >= LOOPBACK_SLOTS)
		return SEL_ERR_RANGE;
	memset(req, 0, sizeof(*req));
	req->buf = lb->slots[slot].req;
	req->capacity = sizeof(lb->slots[slot].req);
	return SEL_OK;
}

static int lb_send(void *ctx, uint32_t slot, struct sel_idl_msg *req, bool oneway)
{
	struct loopback *lb = ctx;
	struct loopback_slot *s = &lb->slots[slot];

	s->req_msg = *req;
	s->oneway = oneway;
	s->queued = true;
	s->replied = false;
	if (!lb->deferred || oneway)
		run_slot(lb, slot);
	return SEL_OK;
}

static int take_reply(struct loopback *lb, uint32_t slot, struct sel_idl_msg *rep)
{
	struct loopback_slot *s = &lb->slots[slot];

	if (!s->replied)
		return SEL_ERR_WOULD_BLOCK;
	if (s->rep_msg.len == 0)
		return SEL_ERR_PEER_DEAD; /* the server sent no reply to a call */
	*rep = s->rep_msg;
	return SEL_OK;
}

static int lb_wait(void *ctx, uint32_t slot, struct sel_idl_msg *rep)
{
	struct loopback *lb = ctx;

	if (lb->slots[slot].queued)
		run_slot(lb, slot);
	return take_reply(lb, slot, rep);
}

static int lb_poll(void *ctx, uint32_t slot, struct sel_idl_msg *rep)
{
	return take_reply(ctx, slot, rep);
}

static void lb_release(void *ctx, uint32_t slot)
{
	struct loopback *lb = ctx;

	lb->slots[slot].replied = false;
}

static int lb_next_event(void *ctx, struct sel_idl_msg *ev)
{
	struct loopback *lb = ctx;

	if (lb->ev_head == lb->ev_tail)
		return SEL_ERR_EMPTY;
	*ev = lb->ev_msg[lb->ev_head % LOOPBACK_EVENTS];
	lb->ev_head++;
	return SEL_OK;
}

const struct sel_idl_transport loopback_transport = {
    .request_buffer = lb_request_buffer,
    .send = lb_send,
    .wait = lb_wait,
    .poll = lb_poll,
    .release = lb_release,
    .next_event = lb_next_event,
};

static int lb_lease_read(void *ctx, const struct sel_idl_lease_desc *lease, uint64_t off, void *dst,
                         size_t n)
{
	(void)ctx;
	memcpy(dst, (const uint8_t *)(uintptr_t)lease->base + off, n);
	return SEL_OK;
}

static int lb_lease_write(void *ctx, const struct sel_idl_lease_desc *lease, uint64_t off,
                          const void *src, size_t n)
{
	(void)ctx;
	memcpy((uint8_t *)(uintptr_t)lease->base + off, src, n);
	return SEL_OK;
}

const struct sel_idl_lease_ops loopback_lease_ops = {
    .read = lb_lease_read,
    .write = lb_lease_write,
};

void loopback_init(struct loopback *lb, sel_idl_dispatch_fn dispatch, void *server_ctx,
                   uint64_t badge, bool deferred)
{
	memset(lb, 0, sizeof(*lb));
	lb->dispatch = dispatch;
	lb->server_ctx = server_ctx;
	lb->badge = badge;
	lb->deferred = deferred;
}

int loopback_run(struct loopback *lb)
{
	int ran = 0;

	for (uint32_t i = 0; i < LOOPBACK_SLOTS; i++) {
		if (lb->slots[i].queued) {
			run_slot(lb, i);
			ran++;
		}
	}
	return ran;
}

static int lb_event_buffer(void *ctx, struct sel_idl_msg *ev)
{
	struct loopback *lb = ctx;

	ev->buf = lb->ev_scratch;
	ev->capacity = sizeof(lb->ev_scratch);
	return SEL_OK;
}

static int lb_event_send(void *ctx, struct sel_idl_msg *ev)
{
	struct loopback *lb = ctx;
	unsigned i = lb->ev_tail % LOOPBACK_EVENTS;

	if (lb->ev_tail - lb->ev_head >= LOOPBACK_EVENTS)
		return SEL_ERR_FULL;
	memcpy(lb->ev_buf[i], ev->buf, ev->len);
	lb->ev_msg[i] = *ev;
	lb->ev_msg[i].buf = lb->ev_buf[i];
	lb->ev_msg[i].capacity = SEL_IDL_MAX_MESSAGE_BYTES;
	lb->ev_tail++;
	return SEL_OK;
}

void loopback_event_sink(struct loopback *lb, struct sel_idl_event_sink *sink)
{
	sink->buffer = lb_event_buffer;
	sink->send = lb_event_send;
	sink->ctx = lb;
}
