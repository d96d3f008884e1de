/*
 * The synchronous IDL transport: idlc-generated stubs and skeletons over an
 * endpoint Call (docs/idl.md, "The sync transport", has the wire format).
 *
 * One IDL message is one Call and its reply:
 *
 * - Inline: a message of at most SEL_IDL_SYNC_INLINE_BYTES travels in the
 *   message registers (MR0.. hold its bytes, 8 per word), label
 *   SEL_IDL_SYNC_INLINE. The kernel copies them into the receiver's
 *   registers and IPC buffer, which the sender cannot reach: the receiver
 *   decodes a private copy.
 * - Buffered: when the request is larger, or the method's reply may be
 *   larger, the client lends its slot's buffer (SEL_IDL_MAX_MESSAGE_BYTES,
 *   Read and Write) for the call as the kernel's lease, label
 *   SEL_IDL_SYNC_BUFFER, MR0 = the request's length; the request is at
 *   offset 0. The server copies it out once (sel_lease_read) into private
 *   memory. A reply too large for the registers is written back into the
 *   buffer (sel_lease_write) and announced by label SEL_IDL_SYNC_BUFFER
 *   with MR0 = its length. The lease ends with the reply.
 * - A method's own lease (lease<...> parameter) is the kernel's lease of
 *   the Call; the kernel lends one per Call, so such a request and its reply
 *   must be inline, and a request lends at most one: otherwise the client
 *   call fails with SEL_ERR_NOT_SUPPORTED before anything is sent.
 * - Capabilities go by the kernel's transfer (the endpoint cap needs Grant
 *   for them). The receiving side reads each cap's type and rights from the
 *   kernel (Identify on the slot it arrived in), never from the message.
 * - The badge of the client's endpoint cap reaches the skeleton as the
 *   client's identity.
 * - A one-way request is a Send: the client waits only until the server
 *   takes it.
 * - Events: a client subscribes with a Call (label SEL_IDL_SYNC_SUBSCRIBE)
 *   carrying one cap, a sender to its own user-interrupt receiver. The
 *   server keeps, per subscribed badge, a queue of up to
 *   SEL_IDL_SYNC_EVENT_QUEUE events of at most SEL_IDL_SYNC_EVENT_BYTES in
 *   private memory and rings the client's receiver when it queues one. The
 *   client's handler notes it (sel_idl_sync_interrupt); the client's own
 *   code then takes each event with a Call (label SEL_IDL_SYNC_EVENTS),
 *   whose reply carries MR0 = events still queued and then the event's
 *   words, copied by the kernel into the client's registers: the event is
 *   decoded from private memory, like every reply.
 *
 * The server (sel_idl_sync_serve) receives, builds the request descriptor,
 * calls the generated <svc>_dispatch() and replies; one loop serves every
 * client of the endpoint, whatever its service. Caps a handler leaves in the
 * receive slots are deleted after it returns (a handler keeps one by moving
 * it elsewhere).
 */
#ifndef SEL_IDL_SYNC_H
#define SEL_IDL_SYNC_H

#include <sel/idl_runtime.h>
#include <sel/cap.h>
#include <sel/ipc.h>
#include <selene/bootinfo.h>

/* Labels (the kernel delivers label, caps and length, not the lease bit: the label says). */
#define SEL_IDL_SYNC_INLINE      0x1d1u /* the message is in the registers */
#define SEL_IDL_SYNC_LEASE       0x1d2u /* the same, then two words: the method's lease */
#define SEL_IDL_SYNC_BUFFER      0x1d3u /* MR0 = length; the message is in the lent buffer */
#define SEL_IDL_SYNC_SUBSCRIBE   0x1d4u /* one cap: a sender to the client's receiver */
#define SEL_IDL_SYNC_EVENTS      0x1d5u /* take the oldest queued event */
#define SEL_IDL_SYNC_EVENT_BYTES 56u    /* an event's message, at most */
#define SEL_IDL_SYNC_EVENT_QUEUE 4u     /* events queued per subscriber */
#define SEL_IDL_SYNC_SUBSCRIBERS 4u     /* subscribers per server (sender-table entries 0..3) */
/* Message registers for the message itself: two stay free for a lease. */
#define SEL_IDL_SYNC_INLINE_WORDS (SEL_MSG_MAX_WORDS - 2u)
#define SEL_IDL_SYNC_INLINE_BYTES (SEL_IDL_SYNC_INLINE_WORDS * 8u)

/* One call's buffer: the request is encoded here and a buffered reply lands here. */
struct sel_idl_sync_slot {
	uint64_t buf[SEL_IDL_MAX_MESSAGE_BYTES / 8];
	int status;    /* of the last call made from this slot */
	uint32_t len;  /* its reply's length */
	uint32_t lent; /* 1: the call lent `buf` */
	uint32_t ncaps;
	struct sel_idl_cap caps[SEL_IDL_MAX_CAPS]; /* caps of the reply, as the kernel says */
};

/* The client's side of one connection (its transport context). */
struct sel_idl_sync_client {
	sel_cptr_t ep;                   /* the server's endpoint (Write, Grant or GrantReply) */
	uint64_t cap_slot;               /* 3 root CNode slots for caps in replies (0: none) */
	struct sel_idl_sync_slot *slots; /* one per future slot of the connection */
	uint32_t nslots;
	/* Events (after sel_idl_sync_subscribe). */
	uint64_t event_vector;                     /* our receiver's vector the server rings */
	volatile uint64_t signalled;               /* the server rang: events may be queued */
	uint64_t ev[SEL_IDL_SYNC_EVENT_BYTES / 8]; /* the private copy of the last event taken */
};

extern const struct sel_idl_transport sel_idl_sync_transport;

/*
 * Sets up a connection to the server at `ep`: conn gets the sync transport
 * with `c` as its context and `futures` as its future slots, one per
 * element of `slots`. Caps in replies land in root CNode slots cap_slot..+2
 * (0: the client takes none).
 */
void sel_idl_sync_connect(struct sel_idl_conn *conn, struct sel_idl_sync_client *c, sel_cptr_t ep,
                          uint64_t cap_slot, struct sel_idl_future *futures,
                          struct sel_idl_sync_slot *slots, uint32_t nslots);

/* The server's side: an endpoint, a dispatch function and its private buffers. */
/*
 * Subscribes the connection to the server's events: `sender` (a sender to
 * our receiver with `vector`) goes to the server by the kernel's transfer.
 * SEL_ERR_FULL if the server has no room for another subscriber.
 */
int sel_idl_sync_subscribe(struct sel_idl_sync_client *c, sel_cptr_t sender, uint64_t vector);
/* From the client's user-interrupt handler, with the pending set. */
void sel_idl_sync_interrupt(struct sel_idl_sync_client *c, uint64_t pending);
/* Sleeps until the server has rung for events (SEL_OK). */
int sel_idl_sync_wait_event(struct sel_idl_sync_client *c);

/* An event waiting for its subscriber to take it (server, private memory). */
struct sel_idl_sync_event {
	uint64_t len;
	uint64_t w[SEL_IDL_SYNC_EVENT_BYTES / 8];
};

/* One subscriber: a badge, its sender in table entry (index), its queue. */
struct sel_idl_sync_subscriber {
	uint64_t badge;
	uint32_t used;
	uint32_t head, count; /* queue[head], ... count events */
	struct sel_idl_sync_event queue[SEL_IDL_SYNC_EVENT_QUEUE];
	struct sel_idl_event_sink sink;
	struct sel_idl_sync_server *srv;
	uint64_t ev[SEL_IDL_SYNC_EVENT_BYTES / 8]; /* an event being built */
};

struct sel_idl_sync_server {
	sel_cptr_t ep;                   /* Read (+ Grant to send caps in replies) */
	sel_idl_dispatch_fn dispatch;    /* a generated <svc>_dispatch */
	sel_idl_words_fn dispatch_words; /* its <svc>_dispatch_words, or NULL: no register path */
	void *ctx;                       /* its first argument */
	uint64_t
	    cap_slot; /* 3 empty root CNode slots for received caps (0: none); set before serving */
	uint64_t served;   /* requests dispatched */
	uint64_t refused;  /* requests refused before dispatch (malformed transport) */
	int last_dispatch; /* what the last dispatch returned */
	uint64_t req[SEL_IDL_MAX_MESSAGE_BYTES / 8]; /* the private copy of each request */
	uint64_t rep[SEL_IDL_MAX_MESSAGE_BYTES / 8]; /* the reply being built */
	/* Events: subscribers' senders go to root CNode slots event_slot..+3 (0: no events). */
	uint64_t event_slot;
	uint64_t badge;          /* of the request being served */
	uint64_t events_dropped; /* a full queue, or a subscriber that could not be rung */
	struct sel_idl_sync_subscriber subs[SEL_IDL_SYNC_SUBSCRIBERS];
};

/*
 * From a handler: the event sink of the client whose request is being
 * served (its events fail with SEL_ERR_NOT_SUPPORTED if it never subscribed).
 */
struct sel_idl_event_sink *sel_idl_sync_sink(struct sel_idl_sync_server *s);

/* Serves requests on s->ep until a receive fails; returns that error. */
int sel_idl_sync_serve(struct sel_idl_sync_server *s);

/*
 * The pieces of the serve loop, for a generated <svc>_sync_serve_loop that
 * inlines the register path (sel_idl_sync_serve_regs below):
 * serve_first receives the first message into *m (or the next one after a
 * reply that failed); serve_msg serves the message in *m whatever it is,
 * replies and receives the next into *m. Both return the receive's error.
 */
int sel_idl_sync_serve_first(struct sel_idl_sync_server *s, struct sel_msg *m);
int sel_idl_sync_serve_msg(struct sel_idl_sync_server *s, struct sel_msg *m);

/* Received capabilities go to the root CNode's `slot`, 0: none are taken. */
static inline void sel_idl_sync_receive_caps_at(uint64_t slot)
{
	struct sel_ipc_buffer *b = sel_ipc_buffer();

	b->recv_cnode = SEL_SLOT_CNODE;
	b->recv_index = slot;
	b->recv_depth = slot ? SEL_DEPTH_FULL : 0;
}

/*
 * The serve loop with the register path inlined: a request the kernel left
 * in ReplyRecv's registers (label SEL_IDL_SYNC_INLINE, no capability, at
 * most SEL_IDL_WORDS_MAX words) goes from those registers to `words` (a
 * generated dispatcher of the same contract as <svc>_dispatch_words,
 * inlined here) and its reply back into them for the next ReplyRecv;
 * everything else, and whatever `words` does not take, goes to
 * sel_idl_sync_serve_msg as in sel_idl_sync_serve. The counters and
 * s->badge are kept as there.
 */
static inline __attribute__((always_inline)) int
sel_idl_sync_serve_regs(struct sel_idl_sync_server *s, sel_idl_words_fn words)
{
	const uint64_t inline_info = SEL_MSG_INFO(SEL_IDL_SYNC_INLINE, 0, 0);
	const uint64_t cap_slot = s->cap_slot; /* read once: set before serving */
	const uint64_t cap_depth = cap_slot ? SEL_DEPTH_FULL : 0;
	struct sel_msg m, x; /* m stays in registers; x goes to the library */
	int err = sel_idl_sync_serve_first(s, &x);

	for (m = x; err == SEL_OK;) {
		uint64_t w[SEL_IDL_WORDS_MAX] = {m.mr[0], m.mr[1], m.mr[2], m.mr[3], m.mr[4]};
		/* label SEL_IDL_SYNC_INLINE, no caps, at most SEL_IDL_WORDS_MAX words: exactly
		 * when the difference (the length) is at most that */
		uint64_t d = m.info - inline_info;
		uint32_t n = 0;
		bool taken = d <= SEL_IDL_WORDS_MAX;

		if (taken) {
			n = (uint32_t)d;
			s->badge = m.badge;
			s->served++; /* before the handler, as on the generic path */
			taken = words(s->ctx, m.badge, w, &n) == SEL_OK;
			if (!taken)
				s->served--; /* not taken: the generic path counts it */
		}
		if (!taken) {
			x = m;
			err = sel_idl_sync_serve_msg(s, &x);
			m = x;
			continue;
		}
		s->last_dispatch = SEL_OK;
		m = (struct sel_msg){inline_info | n, {w[0], w[1], w[2], w[3], w[4]}, 0};
		struct sel_ipc_buffer *b = sel_ipc_buffer(); /* a handler may have used it */

		b->recv_cnode = SEL_SLOT_CNODE;
		b->recv_index = cap_slot;
		b->recv_depth = cap_depth;
		err = sel_reply_recv(s->ep, &m);
		if (err != SEL_OK) { /* the reply failed (the caller died, ...): keep receiving */
			err = sel_idl_sync_serve_first(s, &x);
			m = x;
		}
	}
	return err;
}

#endif /* SEL_IDL_SYNC_H */
