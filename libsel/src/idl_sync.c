/*
 * The synchronous IDL transport (see <sel/idl_sync.h> for the protocol).
 *
 * Client: a call is complete when send returns; its reply (inline words, or
 * the length of what the server wrote into the lent buffer) and status are
 * kept in the call's slot until the stub reads them through poll/wait.
 * Server: receive, copy the request into private memory once (the words the
 * kernel delivered, or one sel_lease_read of the lent buffer), build the
 * descriptor from what the kernel says (caps by Identify, the lease from
 * the words the kernel checked), dispatch, reply.
 * Events: the server queues each in private memory per subscriber and rings
 * the subscriber's receiver; the client takes them one Call each.
 */
#include <sel/cap.h>
#include <sel/idl_sync.h>
#include <sel/uintr.h>
#include <selene/bootinfo.h>

#define LEASE_LEN_MASK ((1ull << SEL_LEASE_RIGHTS_SHIFT) - 1)
#define RW             (SEL_RIGHT_READ | SEL_RIGHT_WRITE)

_Static_assert(SEL_IDL_WORDS_MAX == SEL_MSG_REG_WORDS, "register-sized messages are the registers");

/* Message words to and from registers and the IPC buffer. */
static void words_out(struct sel_msg *m, const uint64_t *w, uint64_t n)
{
	struct sel_ipc_buffer *b = sel_ipc_buffer();

	for (uint64_t i = 0; i < n; i++) {
		if (i < SEL_MSG_REG_WORDS)
			m->mr[i] = w[i];
		else
			b->mr[i] = w[i];
	}
}

static void words_in(const struct sel_msg *m, uint64_t *w, uint64_t n)
{
	const struct sel_ipc_buffer *b = sel_ipc_buffer();

	for (uint64_t i = 0; i < n; i++)
		w[i] = i < SEL_MSG_REG_WORDS ? m->mr[i] : b->mr[i];
}

static uint64_t word_at(const struct sel_msg *m, uint64_t i)
{
	return i < SEL_MSG_REG_WORDS ? m->mr[i] : sel_ipc_buffer()->mr[i];
}

static void set_word(struct sel_msg *m, uint64_t i, uint64_t v)
{
	if (i < SEL_MSG_REG_WORDS)
		m->mr[i] = v;
	else
		sel_ipc_buffer()->mr[i] = v;
}

/* Capabilities that arrived in slots first..: their type and rights from the kernel. */
static uint32_t identify_caps(uint64_t first, uint32_t n, struct sel_idl_cap *caps)
{
	for (uint32_t i = 0; i < n; i++) {
		struct sel_identity id;

		if (sel_cnode_identify(SEL_SLOT_CNODE, first + i, SEL_DEPTH_FULL, &id) != SEL_OK) {
			id.type = SEL_OBJ_NULL;
			id.rights = 0;
		}
		caps[i] = (struct sel_idl_cap){first + i, (uint32_t)id.rights, (uint32_t)id.type};
	}
	return n;
}

static void receive_caps_at(uint64_t slot)
{
	sel_idl_sync_receive_caps_at(slot);
}

/* Client. */

static struct sel_idl_sync_client *client_of(void *ctx)
{
	return ctx;
}

static int sync_request_buffer(void *ctx, uint32_t slot, struct sel_idl_msg *req)
{
	struct sel_idl_sync_client *c = client_of(ctx);

	if (slot >= c->nslots)
		return SEL_ERR_RANGE;
	req->buf = (uint8_t *)c->slots[slot].buf;
	req->capacity = SEL_IDL_MAX_MESSAGE_BYTES;
	return SEL_OK;
}

/* A kernel error of the Call as the IDL reports it: a server gone is a dead peer. */
static int call_error(int err)
{
	if (err == SEL_ERR_DELETED || err == SEL_ERR_EMPTY_SLOT || err == SEL_ERR_CANCELLED ||
	    err == SEL_ERR_INVALID_CAP)
		return SEL_ERR_PEER_DEAD;
	return err;
}

/* The reply the kernel delivered, into the slot's buffer and state. */
static int take_reply(struct sel_idl_sync_client *c, struct sel_idl_sync_slot *sl,
                      const struct sel_msg *m)
{
	uint64_t label = SEL_MSG_LABEL(m->info), words = SEL_MSG_LENGTH(m->info);

	sl->ncaps = identify_caps(c->cap_slot, (uint32_t)SEL_MSG_CAPS(m->info), sl->caps);
	if (label == SEL_IDL_SYNC_INLINE && words <= SEL_IDL_SYNC_INLINE_WORDS) {
		words_in(m, sl->buf, words);
		sl->len = (uint32_t)(words * 8);
		return SEL_OK;
	}
	if (label == SEL_IDL_SYNC_BUFFER && words == 1 && sl->lent &&
	    m->mr[0] <= SEL_IDL_MAX_MESSAGE_BYTES) {
		sl->len = (uint32_t)m->mr[0]; /* the server wrote it into our buffer */
		return SEL_OK;
	}
	return SEL_ERR_PROTOCOL;
}

static int sync_send(void *ctx, uint32_t slot, struct sel_idl_msg *req, bool oneway)
{
	struct sel_idl_sync_client *c = client_of(ctx);
	struct sel_idl_sync_slot *sl = &c->slots[slot];
	struct sel_ipc_buffer *b = sel_ipc_buffer();
	uint64_t words = req->len / 8, n;
	bool buffered =
	    req->len > SEL_IDL_SYNC_INLINE_BYTES || req->reply_max > SEL_IDL_SYNC_INLINE_BYTES;
	struct sel_msg m;
	int err;

	sl->len = 0;
	sl->ncaps = 0;
	sl->lent = 0;
	if (req->nleases > 1 || (req->nleases == 1 && (buffered || oneway)) ||
	    (oneway && req->len > SEL_IDL_SYNC_INLINE_BYTES) || (req->len & 7) != 0)
		return SEL_ERR_NOT_SUPPORTED; /* the kernel lends one lease per Call, none per Send */
	for (uint32_t i = 0; i < req->ncaps; i++)
		b->send_caps[i] = req->caps[i].slot;
	if (buffered && !oneway) {
		m.info = SEL_MSG_INFO(SEL_IDL_SYNC_BUFFER, req->ncaps, 3) | SEL_MSG_LEASE;
		m.mr[0] = req->len;
		m.mr[1] = (uint64_t)(uintptr_t)sl->buf;
		m.mr[2] = SEL_LEASE_WORD(SEL_IDL_MAX_MESSAGE_BYTES, RW);
		sl->lent = 1;
	} else {
		n = words;
		words_out(&m, sl->buf, words);
		if (req->nleases == 1) {
			uint32_t rights =
			    (req->leases[0].access & SEL_IDL_LEASE_READ ? SEL_RIGHT_READ : 0) |
			    (req->leases[0].access & SEL_IDL_LEASE_WRITE ? SEL_RIGHT_WRITE : 0);
			set_word(&m, n++, req->leases[0].base);
			set_word(&m, n++, SEL_LEASE_WORD(req->leases[0].len, rights));
		}
		m.info = req->nleases
		             ? SEL_MSG_INFO(SEL_IDL_SYNC_LEASE, req->ncaps, n) | SEL_MSG_LEASE
		             : SEL_MSG_INFO(SEL_IDL_SYNC_INLINE, req->ncaps, n);
	}
	if (oneway)
		return call_error(sel_send(c->ep, &m));
	receive_caps_at(c->cap_slot);
	err = sel_call(c->ep, &m);
	receive_caps_at(0);
	sl->status = err == SEL_OK ? take_reply(c, sl, &m) : call_error(err);
	return SEL_OK;
}

static int sync_poll(void *ctx, uint32_t slot, struct sel_idl_msg *rep)
{
	struct sel_idl_sync_client *c = client_of(ctx);
	struct sel_idl_sync_slot *sl = &c->slots[slot];

	if (sl->status != SEL_OK)
		return sl->status;
	rep->buf = (uint8_t *)sl->buf;
	rep->len = sl->len;
	rep->capacity = SEL_IDL_MAX_MESSAGE_BYTES;
	rep->ncaps = sl->ncaps;
	rep->nleases = 0;
	for (uint32_t i = 0; i < sl->ncaps; i++)
		rep->caps[i] = sl->caps[i];
	return SEL_OK;
}

/*
 * The register path: the message is the Call's message registers (label
 * SEL_IDL_SYNC_INLINE, as any small message), the reply comes back in
 * them; no slot, no buffer, no capability slots (such methods carry none).
 */
static int sync_call_words(void *ctx, uint64_t *w, uint32_t *nwords)
{
	struct sel_idl_sync_client *c = client_of(ctx);
	struct sel_msg m = {
	    SEL_MSG_INFO(SEL_IDL_SYNC_INLINE, 0, *nwords), {w[0], w[1], w[2], w[3], w[4]}, 0};
	uint64_t words;
	int err = sel_call(c->ep, &m);

	if (err != SEL_OK)
		return call_error(err);
	words = SEL_MSG_LENGTH(m.info);
	if (SEL_MSG_LABEL(m.info) != SEL_IDL_SYNC_INLINE || SEL_MSG_CAPS(m.info) != 0 ||
	    words > SEL_IDL_WORDS_MAX)
		return SEL_ERR_PROTOCOL;
	w[0] = m.mr[0]; /* one by one: m stays in registers */
	w[1] = m.mr[1];
	w[2] = m.mr[2];
	w[3] = m.mr[3];
	w[4] = m.mr[4];
	*nwords = (uint32_t)words;
	return SEL_OK;
}

/* The oldest queued event, by a Call once the server has rung (SEL_ERR_EMPTY: none). */
static int sync_next_event(void *ctx, struct sel_idl_msg *ev)
{
	struct sel_idl_sync_client *c = client_of(ctx);
	struct sel_msg m = {SEL_MSG_INFO(SEL_IDL_SYNC_EVENTS, 0, 0), {0}, 0};
	uint64_t words;
	int err;

	if (!c->signalled)
		return SEL_ERR_EMPTY;
	c->signalled = 0; /* a ring after this sets it again */
	err = sel_call(c->ep, &m);
	if (err != SEL_OK)
		return call_error(err);
	words = SEL_MSG_LENGTH(m.info);
	if (SEL_MSG_LABEL(m.info) != SEL_IDL_SYNC_EVENTS || words < 1 ||
	    words - 1 > SEL_IDL_SYNC_EVENT_BYTES / 8 || SEL_MSG_CAPS(m.info))
		return SEL_ERR_PROTOCOL;
	if (m.mr[0]) /* more are queued */
		c->signalled = 1;
	if (words == 1)
		return SEL_ERR_EMPTY;
	for (uint64_t i = 1; i < words; i++) /* the kernel's copy: private memory */
		c->ev[i - 1] = word_at(&m, i);
	sel_idl_zero(ev, sizeof(*ev));
	ev->buf = (uint8_t *)c->ev;
	ev->len = (uint32_t)((words - 1) * 8);
	ev->capacity = SEL_IDL_SYNC_EVENT_BYTES;
	return SEL_OK;
}

const struct sel_idl_transport sel_idl_sync_transport = {
    .request_buffer = sync_request_buffer,
    .send = sync_send,
    .wait = sync_poll,
    .poll = sync_poll,
    .release = 0,
    .next_event = sync_next_event,
    .call_words = sync_call_words,
};

int sel_idl_sync_subscribe(struct sel_idl_sync_client *c, sel_cptr_t sender, uint64_t vector)
{
	struct sel_msg m = {SEL_MSG_INFO(SEL_IDL_SYNC_SUBSCRIBE, 1, 0), {0}, 0};
	int err;

	c->event_vector = vector;
	sel_ipc_buffer()->send_caps[0] = sender;
	err = sel_call(c->ep, &m);
	if (err != SEL_OK)
		return call_error(err);
	if (SEL_MSG_LABEL(m.info) != SEL_IDL_SYNC_INLINE || SEL_MSG_LENGTH(m.info) != 1)
		return SEL_ERR_PROTOCOL;
	return (int)(int32_t)(m.mr[0] >> 32); /* the status of a header-only reply */
}

void sel_idl_sync_interrupt(struct sel_idl_sync_client *c, uint64_t pending)
{
	if (pending & (1ull << c->event_vector))
		c->signalled = 1;
}

int sel_idl_sync_wait_event(struct sel_idl_sync_client *c)
{
	int err = SEL_OK;

	while (err == SEL_OK && !c->signalled) /* a ring handled before the wait restarts it */
		err = sel_uintr_wait_unless(&c->signalled, 0);
	return err;
}

void sel_idl_sync_connect(struct sel_idl_conn *conn, struct sel_idl_sync_client *c, sel_cptr_t ep,
                          uint64_t cap_slot, struct sel_idl_future *futures,
                          struct sel_idl_sync_slot *slots, uint32_t nslots)
{
	*c = (struct sel_idl_sync_client){
	    .ep = ep, .cap_slot = cap_slot, .slots = slots, .nslots = nslots};
	sel_idl_conn_init(conn, &sel_idl_sync_transport, c, futures, nslots);
	conn->regs_ep = ep; /* call_words is a bare Call: the stubs issue it themselves */
	conn->regs_info = SEL_MSG_INFO(SEL_IDL_SYNC_INLINE, 0, 0);
	conn->regs_error = call_error;
}

/* Server. */

/* The lease of the call being served: the kernel's, reached by offset. */
static int lease_read(void *ctx, const struct sel_idl_lease_desc *l, uint64_t off, void *dst,
                      size_t n)
{
	(void)ctx;
	(void)l;
	return sel_lease_read(off, dst, n);
}

static int lease_write(void *ctx, const struct sel_idl_lease_desc *l, uint64_t off, const void *src,
                       size_t n)
{
	(void)ctx;
	(void)l;
	return sel_lease_write(off, src, n);
}

static const struct sel_idl_lease_ops kernel_lease_ops = {lease_read, lease_write};

/*
 * The request the kernel delivered, as a private descriptor: SEL_OK, or
 * SEL_ERR_PROTOCOL for a message that is not an IDL request of this
 * transport. *lent says whether the client lent its buffer.
 */
static int take_request(struct sel_idl_sync_server *s, const struct sel_msg *m,
                        struct sel_idl_msg *req, int *lent)
{
	uint64_t label = SEL_MSG_LABEL(m->info), words = SEL_MSG_LENGTH(m->info);
	int lease = label == SEL_IDL_SYNC_LEASE;

	*req = (struct sel_idl_msg){0};
	req->buf = (uint8_t *)s->req;
	req->capacity = SEL_IDL_MAX_MESSAGE_BYTES;
	req->ncaps = identify_caps(s->cap_slot, (uint32_t)SEL_MSG_CAPS(m->info), req->caps);
	req->lease_ops = &kernel_lease_ops;
	*lent = 0;
	if (label == SEL_IDL_SYNC_BUFFER) {
		uint64_t len = m->mr[0];
		if (words != 3 || len > SEL_IDL_MAX_MESSAGE_BYTES ||
		    len > (m->mr[2] & LEASE_LEN_MASK))
			return SEL_ERR_PROTOCOL;
		if (sel_lease_read(0, s->req, len) != SEL_OK)
			return SEL_ERR_PROTOCOL;
		req->len = (uint32_t)len;
		*lent = 1;
		return SEL_OK;
	}
	if ((label != SEL_IDL_SYNC_INLINE && !lease) || (lease && words < 2))
		return SEL_ERR_PROTOCOL;
	if (lease) {
		uint64_t w = word_at(m, words - 1);
		uint64_t rights = w >> SEL_LEASE_RIGHTS_SHIFT;
		words -= 2;
		req->nleases = 1;
		req->leases[0] = (struct sel_idl_lease_desc){
		    word_at(m, words), w & LEASE_LEN_MASK,
		    (rights & SEL_RIGHT_READ ? SEL_IDL_LEASE_READ : 0) |
		        (rights & SEL_RIGHT_WRITE ? SEL_IDL_LEASE_WRITE : 0),
		    0};
	}
	if (words > SEL_IDL_SYNC_INLINE_WORDS)
		return SEL_ERR_PROTOCOL;
	words_in(m, s->req, words);
	req->len = (uint32_t)(words * 8);
	return SEL_OK;
}

/* A reply of one header word: status, for requests the skeleton never saw. */
static void status_reply(struct sel_msg *m, int status)
{
	m->info = SEL_MSG_INFO(SEL_IDL_SYNC_INLINE, 0, 1);
	m->mr[0] = (uint64_t)SEL_IDL_KIND_REPLY << 16 | (uint64_t)SEL_IDL_WIRE_VERSION << 24 |
	           (uint64_t)(uint32_t)status << 32;
}

/* The reply `rep` into the message (registers, or the lent buffer). */
static void build_reply(struct sel_idl_sync_server *s, const struct sel_idl_msg *rep, int lent,
                        struct sel_msg *m)
{
	struct sel_ipc_buffer *b = sel_ipc_buffer();
	uint32_t ncaps = rep->ncaps <= SEL_IDL_MAX_CAPS ? rep->ncaps : 0;

	for (uint32_t i = 0; i < ncaps; i++)
		b->send_caps[i] = rep->caps[i].slot;
	if (rep->len <= SEL_IDL_SYNC_INLINE_BYTES && (rep->len & 7) == 0) {
		words_out(m, s->rep, rep->len / 8);
		m->info = SEL_MSG_INFO(SEL_IDL_SYNC_INLINE, ncaps, rep->len / 8);
	} else if (lent && rep->len <= SEL_IDL_MAX_MESSAGE_BYTES &&
	           sel_lease_write(0, s->rep, rep->len) == SEL_OK) {
		m->mr[0] = rep->len;
		m->info = SEL_MSG_INFO(SEL_IDL_SYNC_BUFFER, ncaps, 1);
	} else {
		status_reply(m, SEL_ERR_TRANSPORT); /* no room for it: the client asked for none */
	}
}

/* Events: the subscribers' queues and their senders (sender-table entry = index). */

static void unsubscribe(struct sel_idl_sync_server *s, uint32_t i)
{
	sel_uintr_uninstall(i);
	sel_cnode_delete(SEL_SLOT_CNODE, s->event_slot + i, SEL_DEPTH_FULL, 0);
	s->subs[i].used = 0;
}

static int event_buffer(void *ctx, struct sel_idl_msg *ev)
{
	struct sel_idl_sync_subscriber *sub = ctx;

	if (!sub)
		return SEL_ERR_NOT_SUPPORTED; /* the caller never subscribed */
	ev->buf = (uint8_t *)sub->ev;
	ev->capacity = SEL_IDL_SYNC_EVENT_BYTES;
	return SEL_OK;
}

static int event_send(void *ctx, struct sel_idl_msg *ev)
{
	struct sel_idl_sync_subscriber *sub = ctx;
	struct sel_idl_sync_server *s;
	struct sel_idl_sync_event *e;
	uint32_t i;

	if (!sub || !sub->used)
		return SEL_ERR_PEER_DEAD;
	if (ev->len > SEL_IDL_SYNC_EVENT_BYTES || (ev->len & 7) || ev->ncaps || ev->nleases)
		return SEL_ERR_NOT_SUPPORTED;
	s = sub->srv;
	i = (uint32_t)(sub - s->subs);
	if (sub->count == SEL_IDL_SYNC_EVENT_QUEUE) {
		s->events_dropped++;
		return SEL_ERR_FULL;
	}
	e = &sub->queue[(sub->head + sub->count) % SEL_IDL_SYNC_EVENT_QUEUE];
	e->len = ev->len;
	sel_idl_copy(e->w, sub->ev, ev->len);
	sub->count++;
	if (sel_uintr_send(i) != SEL_OK) { /* its receiver is gone: so is the subscriber */
		s->events_dropped += sub->count;
		unsubscribe(s, i);
		return SEL_ERR_PEER_DEAD;
	}
	return SEL_OK;
}

static struct sel_idl_sync_subscriber *subscriber(struct sel_idl_sync_server *s, uint64_t badge)
{
	for (uint32_t i = 0; i < SEL_IDL_SYNC_SUBSCRIBERS; i++)
		if (s->subs[i].used && s->subs[i].badge == badge)
			return &s->subs[i];
	return 0;
}

static struct sel_idl_event_sink no_sink = {event_buffer, event_send, 0};

struct sel_idl_event_sink *sel_idl_sync_sink(struct sel_idl_sync_server *s)
{
	struct sel_idl_sync_subscriber *sub = subscriber(s, s->badge);

	return sub ? &sub->sink : &no_sink;
}

/* A subscription: the sender that arrived in cap_slot moves to the caller's entry. */
static int subscribe(struct sel_idl_sync_server *s, const struct sel_msg *m)
{
	struct sel_idl_sync_subscriber *sub = subscriber(s, m->badge);
	struct sel_identity id;
	uint32_t i;

	if (!s->event_slot || !s->cap_slot)
		return SEL_ERR_NOT_SUPPORTED;
	if (SEL_MSG_CAPS(m->info) != 1 || SEL_MSG_LENGTH(m->info) != 0)
		return SEL_ERR_PROTOCOL;
	if (sel_cnode_identify(SEL_SLOT_CNODE, s->cap_slot, SEL_DEPTH_FULL, &id) != SEL_OK ||
	    id.type != SEL_OBJ_UINTR_SENDER)
		return SEL_ERR_WRONG_TYPE;
	for (i = 0; !sub && i < SEL_IDL_SYNC_SUBSCRIBERS; i++)
		if (!s->subs[i].used)
			sub = &s->subs[i];
	if (!sub)
		return SEL_ERR_FULL;
	i = (uint32_t)(sub - s->subs);
	if (sub->used) /* subscribing again: the new sender replaces the old */
		unsubscribe(s, i);
	if (sel_cnode_move(SEL_SLOT_CNODE, s->event_slot + i, s->cap_slot, SEL_DEPTH_FULL) !=
	    SEL_OK)
		return SEL_ERR_INVALID_ARG;
	if (sel_uintr_install(s->event_slot + i, i) != SEL_OK) {
		sel_cnode_delete(SEL_SLOT_CNODE, s->event_slot + i, SEL_DEPTH_FULL, 0);
		return SEL_ERR_INVALID_ARG;
	}
	*sub = (struct sel_idl_sync_subscriber){.badge = m->badge, .used = 1, .srv = s};
	sub->sink = (struct sel_idl_event_sink){event_buffer, event_send, sub};
	return SEL_OK;
}

/* The caller's oldest queued event into the reply: MR0 = events left, then its words. */
static void take_event(struct sel_idl_sync_server *s, struct sel_msg *m)
{
	struct sel_idl_sync_subscriber *sub = subscriber(s, m->badge);
	struct sel_idl_sync_event *e;

	m->info = SEL_MSG_INFO(SEL_IDL_SYNC_EVENTS, 0, 1);
	m->mr[0] = 0;
	if (!sub || sub->count == 0)
		return;
	e = &sub->queue[sub->head];
	sub->head = (sub->head + 1) % SEL_IDL_SYNC_EVENT_QUEUE;
	sub->count--;
	m->mr[0] = sub->count;
	for (uint64_t i = 0; i < e->len / 8; i++)
		set_word(m, 1 + i, e->w[i]);
	m->info = SEL_MSG_INFO(SEL_IDL_SYNC_EVENTS, 0, 1 + e->len / 8);
}

/* A subscription or an event taken: the transport's own requests, no skeleton. */
static void serve_events(struct sel_idl_sync_server *s, struct sel_msg *m)
{
	uint64_t ncaps = SEL_MSG_CAPS(m->info);

	if (SEL_MSG_LABEL(m->info) == SEL_IDL_SYNC_SUBSCRIBE)
		status_reply(m, subscribe(s, m));
	else
		take_event(s, m);
	for (uint64_t i = 0; i < ncaps && i < SEL_IDL_MAX_CAPS; i++) /* what was not kept */
		sel_cnode_delete(SEL_SLOT_CNODE, s->cap_slot + i, SEL_DEPTH_FULL, 0);
}

/* One IDL request: decoded, dispatched, and its reply built in m. */
static void serve_request(struct sel_idl_sync_server *s, struct sel_msg *m)
{
	struct sel_idl_msg req, rep = {0};
	int lent, rc = take_request(s, m, &req, &lent);

	rep.buf = (uint8_t *)s->rep;
	rep.capacity = SEL_IDL_MAX_MESSAGE_BYTES;
	if (rc == SEL_OK) {
		s->served++;
		rc = s->dispatch(s->ctx, m->badge, &req, &rep);
		s->last_dispatch = rc;
	} else {
		s->refused++;
	}
	if (rep.len != 0)
		build_reply(s, &rep, lent, m);
	else /* one-way (sent: no reply is owed), or a request the skeleton could not read */
		status_reply(m, rc);
	for (uint32_t i = 0; i < req.ncaps; i++) /* what the handler did not move */
		sel_cnode_delete(SEL_SLOT_CNODE, s->cap_slot + i, SEL_DEPTH_FULL, 0);
}

/*
 * The register path: a request in at most SEL_IDL_WORDS_MAX registers with
 * no capability, served by the skeleton's dispatch_words from the kernel's
 * copy and answered in the registers (true), or left to the generic path.
 */
static inline bool serve_words(struct sel_idl_sync_server *s, struct sel_msg *m)
{
	uint32_t n = (uint32_t)SEL_MSG_LENGTH(m->info);

	if ((m->info & ~(uint64_t)SEL_MSG_LENGTH_MASK) != SEL_MSG_INFO(SEL_IDL_SYNC_INLINE, 0, 0) ||
	    n > SEL_IDL_WORDS_MAX)
		return false;
	s->served++; /* before the handler, as on the generic path */
	if (s->dispatch_words(s->ctx, m->badge, m->mr, &n) != SEL_OK) {
		s->served--; /* not taken: the generic path counts it */
		return false;
	}
	m->info = SEL_MSG_INFO(SEL_IDL_SYNC_INLINE, 0, n);
	return true;
}

int sel_idl_sync_serve_first(struct sel_idl_sync_server *s, struct sel_msg *m)
{
	*m = (struct sel_msg){0};
	receive_caps_at(s->cap_slot);
	return sel_recv(s->ep, m);
}

int sel_idl_sync_serve_msg(struct sel_idl_sync_server *s, struct sel_msg *m)
{
	uint64_t label = SEL_MSG_LABEL(m->info);
	int err;

	s->badge = m->badge;
	if (s->dispatch_words != NULL && serve_words(s, m))
		s->last_dispatch = SEL_OK; /* answered in the registers */
	else if (label == SEL_IDL_SYNC_SUBSCRIBE || label == SEL_IDL_SYNC_EVENTS)
		serve_events(s, m);
	else
		serve_request(s, m);
	receive_caps_at(s->cap_slot);
	err = sel_reply_recv(s->ep, m);
	if (err != SEL_OK) /* the reply failed (the caller died, ...): keep receiving */
		err = sel_idl_sync_serve_first(s, m);
	return err;
}

int sel_idl_sync_serve(struct sel_idl_sync_server *s)
{
	struct sel_msg m;
	int err = sel_idl_sync_serve_first(s, &m);

	while (err == SEL_OK)
		err = sel_idl_sync_serve_msg(s, &m);
	return err;
}
