/*
 * The asynchronous IDL transport (see <sel/idl_async.h> for the protocol).
 *
 * Client: a call encodes into its slot's request area, pushes a descriptor
 * and returns a pending future; the doorbell is rung (if the server sleeps)
 * at the first poll or wait, once for the whole batch. Completions are
 * drained into the call slots by the user-interrupt handler or by the
 * waiting code; in_drain keeps the two from draining at once (the handler
 * interrupts only this thread, so a flag is enough).
 * Server: accepts its sessions, then takes one descriptor at a time from
 * the ready clients (sel_mux, fair order), checks it on its private copy,
 * dispatches in the window, pushes the completion, and rings the clients
 * that sleep after every few requests and before it sleeps.
 */
#include <sel/cap.h>
#include <sel/idl_async.h>
#include <sel/string.h>
#include <sel/syscall.h>
#include <sel/uintr.h>
#include <sel/window.h>
#include <selene/bootinfo.h>

#define FENCE_RW_RW()   __asm__ volatile("fence rw,rw" ::: "memory")
#define LAYOUT_PATIENCE 10000u /* yields a client waits for the server's layout */
#define NO_SLOT         0xffffffffu

int sel_idl_async_layout(uint64_t bytes, uint32_t nslots, struct sel_idl_async_layout *l)
{
	uint64_t depth = 16, ring, area_off, area;

	if (nslots == 0 || nslots > SEL_IDL_ASYNC_MAX_SLOTS)
		return SEL_ERR_INVALID_ARG;
	while (depth < 2ull * nslots)
		depth *= 2;
	ring = SEL_RING_BYTES(depth);
	area_off = SEL_RING_HEADER + 3 * ring;
	if (bytes <= area_off)
		return SEL_ERR_RANGE;
	area = ((bytes - area_off) / (2ull * nslots)) & ~63ull;
	if (area > SEL_IDL_MAX_MESSAGE_BYTES)
		area = SEL_IDL_MAX_MESSAGE_BYTES;
	if (area < 64)
		return SEL_ERR_RANGE;
	*l = (struct sel_idl_async_layout){SEL_IDL_ASYNC_MAGIC,
	                                   nslots,
	                                   (uint32_t)area,
	                                   (uint32_t)depth,
	                                   SEL_RING_HEADER,
	                                   (uint32_t)(SEL_RING_HEADER + ring),
	                                   (uint32_t)(SEL_RING_HEADER + 2 * ring),
	                                   (uint32_t)area_off,
	                                   0};
	return SEL_OK;
}

static uint8_t *request_area(uint8_t *win, const struct sel_idl_async_layout *l, uint32_t slot)
{
	return win + l->area_off + 2ull * slot * l->area;
}

static uint8_t *reply_area(uint8_t *win, const struct sel_idl_async_layout *l, uint32_t slot)
{
	return request_area(win, l, slot) + l->area;
}

/* Client. */

static struct sel_idl_async_client *client_of(void *ctx)
{
	return ctx;
}

/*
 * Completions into the call slots (the handler, or our own code with
 * in_drain set), read in place from the ring: each word of a completion
 * once, its slot, length and status checked on our copy before the reply
 * words are copied into the call slot (private memory).
 */
static void drain(struct sel_idl_async_client *c)
{
	const volatile uint64_t *d;

	while (!c->closed && (d = sel_ring_peek(&c->cpl)) != 0) {
		uint64_t w0 = d[0], len = d[1], status = d[2];
		uint32_t slot = (uint32_t)w0;
		uint64_t flags = w0 >> 32; /* SEL_IDL_ASYNC_CPL_INLINE, or none */
		uint64_t max = flags ? SEL_IDL_WORDS_MAX * 8u : c->layout.area;
		struct sel_idl_async_slot *sl;

		if (flags > 1 || slot >= c->nslots || !c->slots[slot].pending || len > max) {
			sel_ring_release(&c->cpl);
			c->stray++;
			c->stray_slot = w0;
			c->stray_status = (int)status;
			continue;
		}
		sl = &c->slots[slot];
		if (flags)
			sl->w[0] = d[3], sl->w[1] = d[4], sl->w[2] = d[5], sl->w[3] = d[6],
			sl->w[4] = d[7];
		sel_ring_release(&c->cpl);
		sl->inline_reply = (uint32_t)flags;
		sl->len = (uint32_t)len;
		sl->status = (int)status;
		sl->pending = 0;
		sl->done = 1;
	}
}

void sel_idl_async_interrupt(struct sel_idl_async_client *c, uint64_t pending)
{
	uint64_t ours = (1ull << c->closed_vector) | (1ull << c->doorbell_vector);

	if (pending & (1ull << c->closed_vector)) {
		c->closed = 1;
		c->missed = 1; /* a sleeper wakes for this too */
	}
	if (pending & (1ull << c->doorbell_vector)) {
		if (c->in_drain) {
			c->missed = 1;
		} else {
			drain(c);
		}
	}
	if ((pending & ours) && !c->in_drain && c->armed && c->on_drain)
		c->on_drain(c->on_drain_arg); /* replies in, or the server gone: the layer above */
}

int sel_idl_async_arm(struct sel_idl_conn *conn, void (*on_drain)(void *), void *arg)
{
	struct sel_idl_async_client *c = client_of(conn->ctx);

	if (conn->transport != &sel_idl_async_transport)
		return SEL_ERR_NOT_SUPPORTED;
	c->on_drain = on_drain;
	c->on_drain_arg = arg;
	c->armed = 1;
	c->cpl.hdr->consumer_sleeping = 1;
	FENCE_RW_RW(); /* the flag before the requests that follow: the server rings after them */
	return SEL_OK;
}

void sel_idl_async_disarm(struct sel_idl_conn *conn)
{
	struct sel_idl_async_client *c = client_of(conn->ctx);

	if (conn->transport != &sel_idl_async_transport)
		return;
	c->armed = 0;
	if (!c->in_drain && !c->closed) /* a sleeper keeps its flag */
		c->cpl.hdr->consumer_sleeping = 0;
}

bool sel_idl_async_arrived(const struct sel_idl_future *f)
{
	const struct sel_idl_async_client *c = client_of(f->conn->ctx);

	return c->closed || (f->slot < c->nslots && c->slots[f->slot].done);
}

static int async_request_buffer(void *ctx, uint32_t slot, struct sel_idl_msg *req)
{
	struct sel_idl_async_client *c = client_of(ctx);

	if (slot >= c->nslots)
		return SEL_ERR_RANGE;
	if (c->closed)
		return SEL_ERR_PEER_DEAD;
	req->buf = request_area(c->win, &c->layout, slot);
	req->capacity = c->layout.area;
	return SEL_OK;
}

/* Pushes a descriptor, waiting for room (the server is running: it makes some). */
static int push(struct sel_idl_async_client *c, const uint64_t *m)
{
	while (sel_ring_push_call(&c->req, m) == SEL_ERR_FULL) {
		if (c->closed)
			return SEL_ERR_PEER_DEAD;
		sel_ring_publish_call(&c->req);
		sel_yield();
	}
	return SEL_OK;
}

/*
 * The side channel: a request with capabilities or a lease as a Call on the
 * endpoint (the sync transport's format, from a private copy of our own
 * request), completed now; its reply goes into the slot's reply area, its
 * caps (identified by the kernel) into the slot.
 */
static int side_call(struct sel_idl_async_client *c, uint32_t slot, struct sel_idl_msg *req,
                     bool oneway)
{
	struct sel_idl_async_slot *sl = &c->slots[slot];
	struct sel_idl_msg rep = {0};
	int err;

	sel_idl_copy(c->side_slot.buf, req->buf, req->len);
	c->side_calls++;
	err = sel_idl_sync_transport.send(&c->side, 0, req, oneway);
	if (err != SEL_OK || oneway)
		return err;
	err = sel_idl_sync_transport.poll(&c->side, 0, &rep);
	sl->inline_reply = 0;
	sl->len = 0;
	sl->ncaps = 0;
	if (err == SEL_OK && rep.len > c->layout.area)
		err = SEL_ERR_TRANSPORT;
	if (err == SEL_OK) {
		sel_idl_copy(reply_area(c->win, &c->layout, slot), rep.buf, rep.len);
		sl->len = rep.len;
		sl->ncaps = rep.ncaps;
		for (uint32_t i = 0; i < rep.ncaps; i++)
			sl->caps[i] = rep.caps[i];
	}
	sl->status = err;
	sl->pending = 0;
	sl->done = 1;
	return SEL_OK;
}

static int async_send(void *ctx, uint32_t slot, struct sel_idl_msg *req, bool oneway)
{
	struct sel_idl_async_client *c = client_of(ctx);
	uint64_t m[SEL_RING_SLOT / 8] = {0};
	int err;

	if (c->closed)
		return SEL_ERR_PEER_DEAD;
	if ((req->len & 7) || req->len > c->layout.area || req->reply_max > c->layout.area ||
	    (oneway && req->len > SEL_IDL_ASYNC_INLINE_BYTES && !req->ncaps && !req->nleases))
		return SEL_ERR_NOT_SUPPORTED;
	if (req->ncaps || req->nleases || req->reply_caps) /* only a Call carries them */
		return c->side_served ? side_call(c, slot, req, oneway) : SEL_ERR_NOT_SUPPORTED;
	m[1] = req->len;
	if (oneway) {
		m[0] = (uint64_t)SEL_IDL_ASYNC_INLINE << 32 | NO_SLOT;
		sel_idl_copy(&m[2], req->buf, req->len); /* the slot is free once pushed */
		err = push(c, m);
		sel_ring_publish_call(&c->req);
		return err;
	}
	m[0] = (uint64_t)SEL_IDL_ASYNC_AREA << 32 | slot;
	c->slots[slot].done = 0;
	c->slots[slot].pending = 1;
	err = push(c, m); /* published at the first poll or wait: one doorbell a batch */
	if (err != SEL_OK)
		c->slots[slot].pending = 0;
	return err;
}

/*
 * A two-way request of at most SEL_IDL_WORDS_MAX words, inside its
 * descriptor (no request area), written in place into the request ring;
 * its reply comes back inside the completion.
 */
/* async_send_words with the request ring full: waits for room (the server is running: it makes some). */
static __attribute__((noinline)) int send_words_full(struct sel_idl_async_client *c, uint32_t slot,
                                                     const uint64_t *w, uint32_t nwords)
{
	while (sel_ring_reserve(&c->req) == 0) {
		if (c->closed)
			return SEL_ERR_PEER_DEAD;
		sel_ring_publish_call(&c->req);
		sel_yield();
	}
	return sel_idl_async_transport.send_words(c, slot, w, nwords);
}

static int async_send_words(void *ctx, uint32_t slot, const uint64_t *w, uint32_t nwords)
{
	struct sel_idl_async_client *c = client_of(ctx);
	uint64_t *d;

	if (c->closed)
		return SEL_ERR_PEER_DEAD;
	if (slot >= c->nslots || nwords > SEL_IDL_WORDS_MAX)
		return SEL_ERR_NOT_SUPPORTED;
	d = sel_ring_reserve(&c->req);
	if (d == 0)
		return send_words_full(c, slot, w, nwords);
	d[0] = (uint64_t)SEL_IDL_ASYNC_WORDS << 32 | slot, d[1] = nwords * 8ull;
	d[2] = w[0], d[3] = w[1], d[4] = w[2], d[5] = w[3], d[6] = w[4], d[7] = 0;
	c->slots[slot].done = 0;
	c->slots[slot].pending = 1; /* before the commit: its completion finds it pending */
	sel_ring_commit(&c->req);   /* published at the first poll or wait: one doorbell a batch */
	return SEL_OK;
}

/* The reply of a resolved slot. */
static int take(struct sel_idl_async_client *c, uint32_t slot, struct sel_idl_msg *rep)
{
	struct sel_idl_async_slot *sl = &c->slots[slot];

	sl->done = 0;
	if (sl->status != SEL_OK)
		return sl->status;
	rep->buf = sl->inline_reply ? (uint8_t *)sl->w : reply_area(c->win, &c->layout, slot);
	rep->len = sl->len;
	rep->capacity = sl->inline_reply ? SEL_IDL_WORDS_MAX * 8u : c->layout.area;
	rep->ncaps = sl->ncaps;
	for (uint32_t i = 0; i < sl->ncaps; i++)
		rep->caps[i] = sl->caps[i];
	sl->ncaps = 0;
	rep->nleases = 0;
	return SEL_OK;
}

static int async_poll(void *ctx, uint32_t slot, struct sel_idl_msg *rep)
{
	struct sel_idl_async_client *c = client_of(ctx);

	if (c->closed)
		return SEL_ERR_PEER_DEAD;
	c->in_drain = 1;
	sel_ring_publish_call(&c->req);
	drain(c);
	c->in_drain = 0;
	if (c->closed)
		return SEL_ERR_PEER_DEAD;
	if (!c->slots[slot].done)
		return SEL_ERR_WOULD_BLOCK;
	return take(c, slot, rep);
}

/*
 * Sleeps until `ready(c, arg)`, or the server is gone. The handler only
 * notes things meanwhile (in_drain), setting `missed`. The sleep is
 * sel_uintr_wait_unless(&missed, 0): a doorbell whose handler runs after
 * the last check but before the wait (it claims the pending bit, so a
 * plain wait would sleep through it) restarts the check, which sees
 * `missed` (docs/idl.md, "Sleeping and doorbells").
 */
static int sleep_until(struct sel_idl_async_client *c,
                       int (*ready)(struct sel_idl_async_client *, uint32_t), uint32_t arg)
{
	int err = SEL_OK;

	c->in_drain = 1;
	sel_ring_publish_call(&c->req);
	for (;;) {
		c->missed = 0;
		drain(c);
		if (c->closed) {
			err = SEL_ERR_PEER_DEAD;
			break;
		}
		if (ready(c, arg))
			break;
		c->cpl.hdr->consumer_sleeping = 1;
		c->evt.hdr->consumer_sleeping = 1;
		FENCE_RW_RW(); /* the flags before the re-check: the server sees one or the other */
		if (!sel_ring_count(&c->cpl) && !c->missed && !ready(c, arg) && !c->closed) {
			c->waits++;
			/* the doorbell claimed as we wake: no handler; the peer-closed vector runs it */
			err =
			    sel_uintr_wait_unless_claim(&c->missed, 0, 1ull << c->doorbell_vector);
		}
		if (!c->closed) {
			/* armed: the server rings us while we run too */
			c->cpl.hdr->consumer_sleeping = c->armed;
			c->evt.hdr->consumer_sleeping = 0;
		}
		if (err != SEL_OK)
			break;
	}
	c->in_drain = 0;
	return err;
}

static int slot_done(struct sel_idl_async_client *c, uint32_t slot)
{
	return c->slots[slot].done;
}

static int event_waiting(struct sel_idl_async_client *c, uint32_t unused)
{
	(void)unused;
	return sel_ring_count(&c->evt) != 0;
}

/*
 * The register path's wait: a reply inside its completion (at most
 * SEL_IDL_WORDS_MAX words, already our private copy in the call slot) goes
 * straight into w and frees the slot; any other is left in rep as
 * async_wait() leaves it, with *generic set.
 */
static int wait_words_slow(struct sel_idl_async_client *c, uint32_t slot, struct sel_idl_msg *rep,
                           uint64_t *w, uint32_t *nwords, bool *generic);

static int async_wait_words(void *ctx, uint32_t slot, struct sel_idl_msg *rep, uint64_t *w,
                            uint32_t *nwords, bool *generic)
{
	struct sel_idl_async_client *c = client_of(ctx);
	struct sel_idl_async_slot *sl = &c->slots[slot];

	if (!sl->done || c->closed || !sl->inline_reply || sl->status != SEL_OK || (sl->len & 7))
		return wait_words_slow(c, slot, rep, w, nwords, generic);
	*generic = false;
	sl->done = 0;
	w[0] = sl->w[0], w[1] = sl->w[1], w[2] = sl->w[2], w[3] = sl->w[3], w[4] = sl->w[4];
	*nwords = sl->len / 8;
	return SEL_OK;
}

/* async_wait_words for a reply not yet here, an error, or a reply not inside its completion. */
static __attribute__((noinline)) int wait_words_slow(struct sel_idl_async_client *c, uint32_t slot,
                                                     struct sel_idl_msg *rep, uint64_t *w,
                                                     uint32_t *nwords, bool *generic)
{
	struct sel_idl_async_slot *sl = &c->slots[slot];
	int err = SEL_OK;

	*generic = false;
	if (!sl->done || c->closed)
		err = c->closed ? SEL_ERR_PEER_DEAD : sleep_until(c, slot_done, slot);
	if (err != SEL_OK)
		return err;
	if (sl->inline_reply && sl->status == SEL_OK && !(sl->len & 7))
		return async_wait_words(c, slot, rep, w, nwords, generic);
	*generic = sl->status == SEL_OK;
	return take(c, slot, rep);
}

static int async_wait(void *ctx, uint32_t slot, struct sel_idl_msg *rep)
{
	struct sel_idl_async_client *c = client_of(ctx);
	int err;

	if (c->slots[slot].done && !c->closed) /* drained already (an earlier wait, the handler) */
		return take(c, slot, rep);
	err = c->closed ? SEL_ERR_PEER_DEAD : sleep_until(c, slot_done, slot);
	return err != SEL_OK ? err : take(c, slot, rep);
}

int sel_idl_async_wait_event(struct sel_idl_async_client *c)
{
	return c->closed ? SEL_ERR_PEER_DEAD : sleep_until(c, event_waiting, 0);
}

static int async_next_event(void *ctx, struct sel_idl_msg *ev)
{
	struct sel_idl_async_client *c = client_of(ctx);

	if (c->closed)
		return SEL_ERR_PEER_DEAD;
	if (sel_ring_pop_call(&c->evt, c->ev) != SEL_OK) /* a private copy, decoded from there */
		return SEL_ERR_EMPTY;
	sel_idl_zero(ev, sizeof(*ev));
	ev->buf = (uint8_t *)&c->ev[1];
	ev->len = c->ev[0] <= SEL_IDL_ASYNC_EVENT_BYTES ? (uint32_t)c->ev[0] : 0;
	ev->capacity = SEL_IDL_ASYNC_EVENT_BYTES;
	return SEL_OK;
}

const struct sel_idl_transport sel_idl_async_transport = {
    .request_buffer = async_request_buffer,
    .send = async_send,
    .wait = async_wait,
    .poll = async_poll,
    .release = 0,
    .next_event = async_next_event,
    .send_words = async_send_words,
    .wait_words = async_wait_words,
};

int sel_idl_async_connect(struct sel_idl_conn *conn, struct sel_idl_async_client *c,
                          const struct sel_idl_async_params *p, struct sel_idl_future *futures,
                          struct sel_idl_async_slot *slots, uint32_t nslots)
{
	volatile struct sel_idl_async_layout *shown;
	struct sel_idl_async_layout mine;
	int err;

	memset(c, 0, sizeof(*c));
	memset(slots, 0, nslots * sizeof(*slots));
	c->doorbell_vector = p->doorbell_vector;
	c->closed_vector = p->closed_vector;
	c->slots = slots;
	err = sel_session_open(p->ep, p->to_me, p->slot, p->vspace, p->vaddr, p->uitt_index,
	                       &c->session);
	if (err != SEL_OK)
		return err;
	/* Our side is told on a vector of its own when the server's side goes. */
	err = sel_window_set_peer(p->slot, 1, p->closed_sender);
	c->win = (uint8_t *)p->vaddr;
	shown = (volatile struct sel_idl_async_layout *)c->win;
	for (uint32_t i = 0; err == SEL_OK && shown->magic != SEL_IDL_ASYNC_MAGIC; i++) {
		if (i == LAYOUT_PATIENCE)
			err = SEL_ERR_TRANSPORT;
		sel_yield();
	}
	__asm__ volatile("fence r,r" ::: "memory"); /* the magic before the rest */
	if (err == SEL_OK) /* our own computation of what the server says: it must agree */
		err = sel_idl_async_layout(c->session.bytes, shown->nslots, &mine);
	if (err == SEL_OK && (mine.area != shown->area || mine.depth != shown->depth))
		err = SEL_ERR_PROTOCOL;
	if (err == SEL_OK)
		err = sel_ring_attach(&c->req, c->win + mine.req_off, mine.depth,
		                      (int64_t)p->uitt_index, 0);
	if (err == SEL_OK)
		err = sel_ring_attach(&c->cpl, c->win + mine.cpl_off, mine.depth, -1, 0);
	if (err == SEL_OK)
		err = sel_ring_attach(&c->evt, c->win + mine.evt_off, mine.depth, -1, 0);
	if (err != SEL_OK) {
		sel_session_close(&c->session);
		return err;
	}
	c->layout = mine;
	c->side_served = shown->flags & SEL_IDL_ASYNC_SIDE;
	c->nslots = nslots < mine.nslots ? nslots : mine.nslots;
	c->side = (struct sel_idl_sync_client){
	    .ep = p->ep, .cap_slot = p->cap_slot, .slots = &c->side_slot, .nslots = 1};
	sel_idl_conn_init(conn, &sel_idl_async_transport, c, futures, c->nslots);
	return SEL_OK;
}

int sel_idl_async_close(struct sel_idl_async_client *c)
{
	c->closed = 1;
	return sel_session_close(&c->session);
}

/* Server. */

static struct sel_idl_async_server *serving;

/* Handlers run one at a time: the serve loop's and the side thread's. */
static void lock(struct sel_idl_async_server *s)
{
	while (__atomic_exchange_n(&s->lock, 1, __ATOMIC_ACQUIRE) != 0)
		sel_yield();
}

static void unlock(struct sel_idl_async_server *s)
{
	__atomic_store_n(&s->lock, 0, __ATOMIC_RELEASE);
}

/* A request of session i, served under the lock (s->current names i meanwhile). */
static int dispatch(struct sel_idl_async_server *s, uint32_t i, const struct sel_idl_msg *req,
                    struct sel_idl_msg *rep)
{
	int rc;

	lock(s);
	s->current = i;
	rc = s->dispatch(s->ctx, s->sessions[i].badge, req, rep);
	unlock(s);
	return rc;
}

static int dispatch_words(struct sel_idl_async_server *s, uint32_t i, uint64_t *w, uint32_t *n)
{
	int rc;

	lock(s);
	s->current = i;
	rc = s->dispatch_words(s->ctx, s->sessions[i].badge, w, n);
	unlock(s);
	return rc;
} /* the one server this thread runs */

static void on_interrupt(uint64_t pending, struct sel_uintr_frame *frame)
{
	struct sel_idl_async_server *s = serving;
	uint64_t closed = pending >> SEL_IDL_ASYNC_MAX_CLIENTS;

	(void)frame;
	if (closed)
		__atomic_fetch_or(&s->closed, closed, __ATOMIC_SEQ_CST);
	/* A closed client counts as raised too, so the server does not sleep past it. */
	sel_mux_raise(&s->mux, (pending | closed) & ((1ull << SEL_IDL_ASYNC_MAX_CLIENTS) - 1));
}

/* Rings client i if it sleeps on `r` (its sender is installed on demand). */
static void ring_client(struct sel_idl_async_server *s, uint32_t i, struct sel_ring *r)
{
	struct sel_idl_async_session *ss = &s->sessions[i];
	uint32_t e = i % 12;

	if (!r->pending || !ss->alive)
		return;
	r->pending = 0;
	FENCE_RW_RW(); /* our tail store before reading whether the client sleeps */
	if (!r->hdr->consumer_sleeping)
		return;
	if (s->uitt_owner[e] != (int32_t)i) {
		sel_uintr_uninstall(e);
		s->uitt_owner[e] = -1;
		if (sel_uintr_install(ss->base + SEL_SESSION_TO_CLIENT, e) != SEL_OK)
			return;
		s->uitt_owner[e] = (int32_t)i;
	}
	s->bells++;
	sel_uintr_send(e);
}

static void flush(struct sel_idl_async_server *s)
{
	for (uint32_t i = 0; i < s->nclients; i++) {
		ring_client(s, i, &s->sessions[i].cpl);
		ring_client(s, i, &s->sessions[i].evt);
	}
	s->since_flush = 0;
}

/*
 * A completion written in place into client i's completion ring (the ring's
 * reserve and commit: no copy); only a client with more requests out than
 * call slots fills the ring, and then its completion is dropped.
 */
static inline __attribute__((always_inline)) void push_completion(struct sel_idl_async_server *s,
                                                                  uint32_t i, uint64_t w0,
                                                                  uint64_t len, uint64_t status,
                                                                  const uint64_t *w)
{
	struct sel_ring *r = &s->sessions[i].cpl;
	uint64_t *d = sel_ring_reserve(r);

	if (d == 0) {
		s->dropped++;
		return;
	}
	d[0] = w0, d[1] = len, d[2] = status;
	if (w != 0)
		d[3] = w[0], d[4] = w[1], d[5] = w[2], d[6] = w[3], d[7] = w[4];
	sel_ring_commit(r);
}

static void complete(struct sel_idl_async_server *s, uint32_t i, uint64_t slot, uint32_t len,
                     int status)
{
	push_completion(s, i, slot, len, (uint64_t)(uint32_t)status, 0);
}

/* A reply of at most SEL_IDL_WORDS_MAX words, inside its completion. */
static inline __attribute__((always_inline)) void complete_words(struct sel_idl_async_server *s,
                                                                 uint32_t i, uint64_t slot,
                                                                 const uint64_t *w, uint32_t nwords)
{
	push_completion(s, i, SEL_IDL_ASYNC_CPL_INLINE | slot, nwords * 8ull, 0, w);
}

/*
 * A request inside its descriptor that the register path did not take:
 * the generic dispatch from the same private words; a reply that fits
 * goes back inside the completion, a longer one through the slot's reply
 * area. Out of line: the register path does not pay for its descriptors.
 */
static __attribute__((noinline)) void serve_words_generic(struct sel_idl_async_server *s,
                                                          uint32_t i, uint64_t *m)
{
	struct sel_idl_async_session *ss = &s->sessions[i];
	uint32_t slot = (uint32_t)m[0];
	struct sel_idl_msg req = {0}, rep = {0};
	int rc;

	req.buf = (uint8_t *)&m[2];
	req.len = (uint32_t)m[1];
	req.capacity = SEL_IDL_WORDS_MAX * 8u;
	rep.buf = (uint8_t *)s->private_rep;
	rep.capacity = sizeof(s->private_rep);
	rc = dispatch(s, i, &req, &rep);
	s->last_dispatch = rc;
	if (rep.len == 0)
		complete(s, i, slot, 0, rc != SEL_OK ? rc : SEL_ERR_PROTOCOL);
	else if (rep.len <= SEL_IDL_WORDS_MAX * 8u && (rep.len & 7) == 0)
		complete_words(s, i, slot, s->private_rep, rep.len / 8);
	else if (rep.len > s->layout.area)
		complete(s, i, slot, 0, SEL_ERR_TRANSPORT);
	else {
		sel_idl_copy(reply_area(ss->win, &s->layout, slot), rep.buf, rep.len);
		complete(s, i, slot, rep.len, SEL_OK);
	}
}

/*
 * A request inside its descriptor (our private copy m): served on the
 * register path when the skeleton takes it, its reply written inside the
 * completion; else by serve_words_generic().
 */
static inline __attribute__((always_inline)) void serve_words(struct sel_idl_async_server *s,
                                                              uint32_t i, uint64_t *m)
{
	uint32_t slot = (uint32_t)m[0], n = (uint32_t)(m[1] / 8);

	if (slot >= s->layout.nslots || m[1] > SEL_IDL_WORDS_MAX * 8u || (m[1] & 7)) {
		s->refused++;
		complete(s, i, slot, 0, SEL_ERR_PROTOCOL);
		return;
	}
	s->served++;
	if (s->dispatch_words != NULL && dispatch_words(s, i, &m[2], &n) == SEL_OK) {
		s->last_dispatch = SEL_OK;
		complete_words(s, i, slot, &m[2], n);
		return;
	}
	serve_words_generic(s, i, m);
}

/* An empty ring header in private memory: a gone client's request ring points here. */
static struct sel_ring_header gone_ring __attribute__((aligned(64)));

static void end_session(struct sel_idl_async_server *s, uint32_t i)
{
	struct sel_idl_async_session *ss = &s->sessions[i];

	if (!ss->alive)
		return;
	ss->alive = 0;
	if (s->uitt_owner[i % 12] == (int32_t)i) {
		sel_uintr_uninstall(i % 12);
		s->uitt_owner[i % 12] = -1;
	}
	sel_ring_attach(&s->req[i], &gone_ring, 1, -1, 0);
	sel_session_end(ss->base); /* revokes the window: both sides unmapped */
	s->alive--;
	s->ended++;
}

static __attribute__((noinline)) void end_sessions(struct sel_idl_async_server *s, uint64_t closed)
{
	for (uint32_t c = 0; closed; c++, closed >>= 1)
		if (closed & 1)
			end_session(s, c);
}

/* A one-way request inside its descriptor (our private copy m): no slot, nobody to tell. */
static __attribute__((noinline)) void serve_inline(struct sel_idl_async_server *s, uint32_t i,
                                                   uint64_t *m)
{
	struct sel_idl_msg req = {0}, rep = {0};
	uint64_t len = m[1];

	if (len > SEL_IDL_ASYNC_INLINE_BYTES || (len & 7)) {
		s->refused++;
		return;
	}
	req.buf = (uint8_t *)&m[2]; /* already our private copy of the descriptor */
	req.len = (uint32_t)len;
	req.capacity = SEL_IDL_ASYNC_INLINE_BYTES;
	rep.buf = (uint8_t *)s->private_rep;
	rep.capacity = sizeof(s->private_rep);
	s->served++;
	s->last_dispatch = dispatch(s, i, &req, &rep);
	if (rep.len != 0) /* a two-way method sent inline: it has no slot to answer in */
		s->refused++;
}

/* A request in its slot's request area (descriptor: our private copy m). */
static __attribute__((noinline)) void serve_area(struct sel_idl_async_server *s, uint32_t i,
                                                 uint64_t *m)
{
	struct sel_idl_async_session *ss = &s->sessions[i];
	const struct sel_idl_async_layout *l = &s->layout;
	uint64_t slot = (uint32_t)m[0], len = m[1];
	struct sel_idl_msg req = {0}, rep = {0};
	int rc;

	if (slot >= l->nslots || len > l->area || (len & 7)) {
		s->refused++;
		complete(s, i, slot, 0, SEL_ERR_PROTOCOL);
		return;
	}
	req.buf = request_area(ss->win, l, (uint32_t)slot); /* decoded once by the skeleton */
	req.len = (uint32_t)len;
	req.capacity = l->area;
	/*
	 * A skeleton wants room for its service's largest reply: areas of the
	 * largest message take the reply in place (opaque results written
	 * straight into the window); smaller ones get it built in private
	 * memory and copied, if it fits (the client asked only for methods
	 * whose replies do).
	 */
	bool direct = l->area == SEL_IDL_MAX_MESSAGE_BYTES;
	rep.buf = direct ? reply_area(ss->win, l, (uint32_t)slot) : (uint8_t *)s->private_rep;
	rep.capacity = direct ? l->area : sizeof(s->private_rep);
	s->served++;
	rc = dispatch(s, i, &req, &rep);
	s->last_dispatch = rc;
	if (rep.len == 0) { /* a header the skeleton could not read, or a one-way in an area */
		complete(s, i, slot, 0, rc != SEL_OK ? rc : SEL_ERR_PROTOCOL);
	} else if (rep.len > l->area) {
		complete(s, i, slot, 0, SEL_ERR_TRANSPORT);
	} else {
		if (!direct)
			sel_idl_copy(reply_area(ss->win, l, (uint32_t)slot), rep.buf, rep.len);
		complete(s, i, slot, rep.len, SEL_OK);
	}
}

/* One descriptor of client i (our private copy m), by kind; the register path inline. */
static inline __attribute__((always_inline)) void serve_one(struct sel_idl_async_server *s,
                                                            uint32_t i, uint64_t *m)
{
	uint64_t kind = m[0] >> 32;

	if (kind == SEL_IDL_ASYNC_WORDS)
		serve_words(s, i, m);
	else if (kind == SEL_IDL_ASYNC_INLINE)
		serve_inline(s, i, m);
	else if (kind == SEL_IDL_ASYNC_AREA)
		serve_area(s, i, m);
	else {
		s->refused++;
		complete(s, i, (uint32_t)m[0], 0, SEL_ERR_PROTOCOL);
	}
}

static int event_buffer(void *ctx, struct sel_idl_msg *ev)
{
	struct sel_idl_async_session *ss = ctx;

	ev->buf = (uint8_t *)&ss->ev[1];
	ev->capacity = SEL_IDL_ASYNC_EVENT_BYTES;
	return SEL_OK;
}

static int event_send(void *ctx, struct sel_idl_msg *ev)
{
	struct sel_idl_async_session *ss = ctx;
	int err;

	if (!ss->alive)
		return SEL_ERR_PEER_DEAD;
	if (ev->len > SEL_IDL_ASYNC_EVENT_BYTES || ev->ncaps || ev->nleases || ss->srv->in_side)
		return SEL_ERR_NOT_SUPPORTED; /* the rings have one producer: the serve loop */
	ss->ev[0] = ev->len;
	err = sel_ring_push_call(&ss->evt, ss->ev);
	if (err == SEL_OK)
		ring_client(ss->srv, ss->index, &ss->evt);
	return err;
}

static int dead_buffer(void *ctx, struct sel_idl_msg *ev)
{
	(void)ctx;
	(void)ev;
	return SEL_ERR_NOT_SUPPORTED;
}

static int dead_send(void *ctx, struct sel_idl_msg *ev)
{
	(void)ctx;
	(void)ev;
	return SEL_ERR_NOT_SUPPORTED;
}

static struct sel_idl_event_sink dead_sink = {dead_buffer, dead_send, 0};

struct sel_idl_event_sink *sel_idl_async_sink(struct sel_idl_async_server *s)
{
	if (s->current >= SEL_IDL_ASYNC_MAX_CLIENTS || s->in_side)
		return &dead_sink;
	return &s->sessions[s->current].sink;
}

/* Accepts the session of client i: the window built, laid out and attached. */
static int accept_one(struct sel_idl_async_server *s, uint32_t i)
{
	struct sel_idl_async_session *ss = &s->sessions[i];
	struct sel_session_server base = {s->untyped, s->receiver, s->vspace, s->window_bits};
	uint64_t vaddr = s->vaddr + ((uint64_t)i << s->window_bits);
	struct sel_msg m = {0};
	int err;

	ss->base = s->slot_base + (uint64_t)i * SEL_SESSION_SLOTS;
	sel_session_listen(ss->base);
	err = sel_recv(s->ep, &m);
	if (err != SEL_OK)
		return err;
	err = sel_session_accept(&base, &m, ss->base, vaddr, i, SEL_IDL_ASYNC_MAX_CLIENTS + i);
	if (err != SEL_OK)
		return SEL_ERR_WOULD_BLOCK; /* refused (and told): take the next open */
	ss->win = (uint8_t *)vaddr;
	ss->badge = m.badge;
	ss->srv = s;
	ss->index = i;
	ss->sink = (struct sel_idl_event_sink){event_buffer, event_send, ss};
	sel_ring_attach(&s->req[i], ss->win + s->layout.req_off, s->layout.depth, -1, 0);
	sel_ring_attach(&ss->cpl, ss->win + s->layout.cpl_off, s->layout.depth, -1, 0);
	sel_ring_attach(&ss->evt, ss->win + s->layout.evt_off, s->layout.depth, -1, 0);
	/* The layout for the client: everything, then (fenced) the magic that says it is whole. */
	sel_idl_copy(ss->win + sizeof(uint64_t), (const uint8_t *)&s->layout + sizeof(uint64_t),
	             sizeof(s->layout) - sizeof(uint64_t));
	__asm__ volatile("fence w,w" ::: "memory");
	*(volatile uint64_t *)ss->win = s->layout.magic;
	ss->alive = 1;
	s->alive++;
	return SEL_OK;
}

int sel_idl_async_serve_start(struct sel_idl_async_server *s)
{
	int err;

	if (s->nclients == 0 || s->nclients > SEL_IDL_ASYNC_MAX_CLIENTS)
		return SEL_ERR_INVALID_ARG;
	err = sel_idl_async_layout(1ull << s->window_bits, s->nslots, &s->layout);
	s->layout.flags = s->side_cap_slot ? SEL_IDL_ASYNC_SIDE : 0;
	for (unsigned e = 0; e < 12; e++)
		s->uitt_owner[e] = -1;
	s->closed = 0;
	s->alive = 0;
	serving = s;
	for (uint32_t i = 0; i < s->nclients; i++) /* every ring starts as a gone one */
		sel_ring_attach(&s->req[i], &gone_ring, 1, -1, 0);
	if (err == SEL_OK)
		err = sel_mux_init(&s->mux, s->req, s->nclients);
	/* client i's doorbell is vector i: claimed by the mux's sleep, no handler for it */
	s->mux.bell_vectors = (1ull << s->nclients) - 1;
	if (err == SEL_OK)
		err = sel_uintr_register_handler(s->receiver, on_interrupt, 0);
	for (uint32_t i = 0; err == SEL_OK && i < s->nclients;) {
		err = accept_one(s, i);
		if (err == SEL_OK)
			i++;
		else if (err == SEL_ERR_WOULD_BLOCK)
			err = SEL_OK;
	}
	__atomic_store_n(&s->accepted, 1, __ATOMIC_RELEASE); /* the side thread may receive */
	return err;
}

void sel_idl_async_serve_any(struct sel_idl_async_server *s, uint32_t i, uint64_t *m)
{
	serve_one(s, i, m);
}

void sel_idl_async_flush(struct sel_idl_async_server *s)
{
	flush(s);
}

int sel_idl_async_serve_idle(struct sel_idl_async_server *s)
{
	flush(s);
	return sel_mux_sleep(&s->mux);
}

void sel_idl_async_end_closed(struct sel_idl_async_server *s)
{
	end_sessions(s, __atomic_exchange_n(&s->closed, 0, __ATOMIC_SEQ_CST));
}

int sel_idl_async_serve_stop(struct sel_idl_async_server *s, int err)
{
	(void)s;
	sel_uintr_unregister();
	return err;
}

/* The register path of the library's loop: the server's dispatch_words, if it has one. */
static inline __attribute__((always_inline)) int serving_words(void *ctx, uint64_t badge,
                                                               uint64_t *w, uint32_t *n)
{
	sel_idl_words_fn words = serving->dispatch_words;

	return words != NULL ? words(ctx, badge, w, n) : SEL_ERR_NOT_SUPPORTED;
}

int sel_idl_async_serve(struct sel_idl_async_server *s)
{
	return sel_idl_async_serve_regs(s, serving_words);
}

/* A side call: its session (by badge) is the one being served while its handler runs. */
static int side_dispatch(void *ctx, uint64_t badge, const struct sel_idl_msg *req,
                         struct sel_idl_msg *rep)
{
	struct sel_idl_async_server *s = ctx;
	int rc;

	lock(s);
	s->current = SEL_IDL_ASYNC_MAX_CLIENTS; /* no session: sel_idl_async_sink's dead sink */
	for (uint32_t i = 0; i < s->nclients; i++)
		if (s->sessions[i].alive && s->sessions[i].badge == badge)
			s->current = i;
	s->in_side = 1;
	rc = s->dispatch(s->ctx, badge, req, rep);
	s->in_side = 0;
	unlock(s);
	return rc;
}

int sel_idl_async_serve_side(struct sel_idl_async_server *s)
{
	while (!__atomic_load_n(&s->accepted, __ATOMIC_ACQUIRE)) /* sessions open on ep first */
		sel_yield();
	s->side = (struct sel_idl_sync_server){
	    .ep = s->ep, .dispatch = side_dispatch, .ctx = s, .cap_slot = s->side_cap_slot};
	return sel_idl_sync_serve(&s->side);
}
