/*
 * The asynchronous IDL transport: idlc-generated stubs and skeletons over a
 * session window (<sel/session.h>) with rings and user-interrupt doorbells
 * (docs/idl.md, "The async transport", has the wire format).
 *
 * One window per client. The server lays it out when it accepts the
 * session and writes the layout at offset 0:
 *
 *   0                    struct sel_idl_async_layout (the client reads it)
 *   req_off              request ring     (client -> server)
 *   cpl_off              completion ring  (server -> client)
 *   evt_off              event ring       (server -> client)
 *   area_off + 2*s*area  request area of call slot s
 *          + area        reply area of call slot s
 *
 * Ring slots are 64-byte descriptors. A request names the call slot and the
 * length of the message the client encoded in that slot's request area; the
 * server's skeleton decodes it there, copying every structured field once
 * into private memory (opaque payloads stay in the window), and the reply
 * goes into the slot's reply area: written there in place when the areas
 * hold the largest message (4096 bytes, so an opaque result is written
 * straight into the window), else built in private memory and copied (a
 * skeleton wants room for its service's largest reply); the completion names the slot,
 * the reply's length and a transport status. A one-way request of at most
 * SEL_IDL_ASYNC_INLINE_BYTES travels inside its descriptor, so its slot is
 * free as soon as it is pushed; an event always does.
 *
 * Doorbells go both ways and only when the other side sleeps (the rings'
 * sleeping flags): the client rings the server at its first poll or wait
 * after a batch of requests (one doorbell per batch), the server rings the
 * client after a batch of completions or an event. The client's
 * user-interrupt handler calls sel_idl_async_interrupt(), which drains
 * completions into the call slots (the futures resolve from them) and notes
 * peer death; a client waiting for a reply drains them itself.
 *
 * Peer death: the client sets its side's peer-closed sender to a vector of
 * its own (closed_vector). When the server's side goes (the server died,
 * or ended the session), every future not yet finished and every later call
 * completes with SEL_ERR_PEER_DEAD; the client no longer touches the window.
 * When a client's side goes, the server ends its session (revokes the
 * window) and serves the others.
 *
 * A two-way request of at most SEL_IDL_WORDS_MAX words (the register path
 * of <sel/idl_runtime.h>) travels inside its descriptor (kind
 * SEL_IDL_ASYNC_WORDS) and its reply inside the completion: no area.
 *
 * Capabilities and leases need the kernel's transfer, which only a Call
 * makes: a request with either goes over the side channel, a Call on the
 * endpoint the session was opened with (so its badge is the client's
 * identity), in the sync transport's format (<sel/idl_sync.h>). A second
 * thread of the server receives it (sel_idl_async_serve_side()) and serves
 * it with the same skeleton, one handler at a time with the serve loop; the
 * kernel fills each cap's type and rights and checks the lease, as over
 * sync. The call completes during the send (its future comes back
 * resolved); its reply is copied into the slot's reply area.
 *
 * Not carried: one-way requests over SEL_IDL_ASYNC_INLINE_BYTES, events
 * over SEL_IDL_ASYNC_EVENT_BYTES or with capabilities, events from a
 * handler serving a side call. The client's stub fails such a call with
 * SEL_ERR_NOT_SUPPORTED before anything is sent (an event: the emit).
 */
#ifndef SEL_IDL_ASYNC_H
#define SEL_IDL_ASYNC_H

#include <sel/idl_runtime.h>
#include <sel/idl_sync.h>
#include <sel/mux.h>
#include <sel/ring.h>
#include <sel/session.h>
#include <selene/uintr.h>

#define SEL_IDL_ASYNC_MAGIC        0x31636e7973416469ull /* "idAsync1" */
#define SEL_IDL_ASYNC_INLINE_BYTES 48u /* a one-way request inside its descriptor */
#define SEL_IDL_ASYNC_EVENT_BYTES  56u /* an event inside its descriptor */
#define SEL_IDL_ASYNC_MAX_CLIENTS  32u /* doorbell vector i, peer-closed vector 32 + i */
#define SEL_IDL_ASYNC_MAX_SLOTS    256u

/* Request descriptor kinds (bits 32-39 of word 0). */
enum sel_idl_async_kind {
	SEL_IDL_ASYNC_AREA = 1,   /* the request is in the slot's request area */
	SEL_IDL_ASYNC_INLINE = 2, /* a one-way request inside the descriptor */
	SEL_IDL_ASYNC_WORDS = 3,  /* a two-way request of at most 5 words inside it */
};

/* A completion whose reply is inside it (bit 32 of its word 0), not in the reply area. */
#define SEL_IDL_ASYNC_CPL_INLINE (1ull << 32)

/* What the server writes at offset 0 of the window (the server never reads it back). */
struct sel_idl_async_layout {
	uint64_t magic;
	uint32_t nslots;  /* call slots */
	uint32_t area;    /* bytes of each request or reply area (a multiple of 64) */
	uint32_t depth;   /* slots of each ring */
	uint32_t req_off; /* the rings and areas, from the start of the window */
	uint32_t cpl_off;
	uint32_t evt_off;
	uint32_t area_off;
	uint32_t flags; /* SEL_IDL_ASYNC_SIDE: the server serves side calls */
};

/* The server runs a side thread (sel_idl_async_serve_side()): side calls are answered. */
#define SEL_IDL_ASYNC_SIDE 1u

/* The layout of a window of `bytes` bytes with `nslots` call slots (both sides compute it). */
int sel_idl_async_layout(uint64_t bytes, uint32_t nslots, struct sel_idl_async_layout *l);

/* One call slot as the client sees it (private memory). */
struct sel_idl_async_slot {
	volatile uint32_t pending;      /* a two-way request is out */
	volatile uint32_t done;         /* its completion arrived */
	volatile uint32_t len;          /* the reply's length (in the reply area, or in w) */
	volatile int status;            /* the completion's transport status */
	volatile uint32_t inline_reply; /* 1: the reply is w, copied out of the completion */
	uint64_t w[SEL_IDL_WORDS_MAX];  /* an inline reply: private memory */
	uint32_t ncaps;                 /* a side call's reply: its caps, as the kernel says */
	struct sel_idl_cap caps[SEL_IDL_MAX_CAPS];
};

/* The client's side of one connection (its transport context). */
struct sel_idl_async_client {
	struct sel_session session;
	uint8_t *win;
	struct sel_idl_async_layout layout; /* as read once at connect */
	uint32_t nslots;                    /* min(ours, the server's) */
	struct sel_ring req, cpl, evt;
	struct sel_idl_async_slot *slots;
	uint64_t doorbell_vector, closed_vector;
	volatile uint64_t closed;     /* the server's side went */
	volatile uint32_t in_drain;   /* our code is draining or waiting: the handler only notes */
	volatile uint64_t missed;     /* the handler ran while in_drain: a sleeper must not sleep */
	volatile uint64_t stray;      /* completions for no pending slot (ignored) */
	volatile int stray_status;    /* the last one's status */
	volatile uint64_t stray_slot; /* and slot */
	uint64_t waits;               /* times the client slept */
	uint64_t ev[8];               /* the private copy of the last event taken */
	/* Armed (sel_idl_async_arm): the server rings us even while we run (the completion
	 * ring's sleeping flag stays set), and the handler calls on_drain after it drained. */
	volatile uint32_t armed;
	void (*on_drain)(void *arg);
	void *on_drain_arg;
	/* The side channel: calls with capabilities or a lease, as Calls on the endpoint. */
	struct sel_idl_sync_client side;
	uint32_t side_served; /* the server said SEL_IDL_ASYNC_SIDE at connect (read once) */
	struct sel_idl_sync_slot side_slot;
	uint64_t side_calls;
};

extern const struct sel_idl_transport sel_idl_async_transport;

/* Where to connect and with what (the client makes its receiver and senders). */
struct sel_idl_async_params {
	sel_cptr_t ep;            /* the server's endpoint (Write, Grant) */
	sel_cptr_t to_me;         /* a sender to our receiver with doorbell_vector: the server's */
	sel_cptr_t closed_sender; /* a sender to our receiver with closed_vector */
	uint64_t doorbell_vector, closed_vector;
	uint64_t slot;       /* two empty root CNode slots: the window, the server's sender */
	sel_cptr_t vspace;   /* our address space (page tables in place at vaddr) */
	uint64_t vaddr;      /* where our side of the window goes */
	uint32_t uitt_index; /* our sender-table entry for the server's doorbell */
	uint64_t cap_slot;   /* 3 empty root CNode slots for caps in side replies (0: none) */
};

/*
 * Opens a session and sets up a connection over it: conn gets the async
 * transport with c as its context and `futures` (nslots of them, with as
 * many `slots`) as its future slots, at most as many as the server offers.
 */
int sel_idl_async_connect(struct sel_idl_conn *conn, struct sel_idl_async_client *c,
                          const struct sel_idl_async_params *p, struct sel_idl_future *futures,
                          struct sel_idl_async_slot *slots, uint32_t nslots);
/* From the client's user-interrupt handler, with the pending set. */
void sel_idl_async_interrupt(struct sel_idl_async_client *c, uint64_t pending);
/*
 * Completions by interrupt: from now on the server rings this client after each batch
 * of completions even while it runs, and the user-interrupt handler, once it has
 * drained them into the call slots, calls on_drain(arg) (not while our own code drains
 * or waits on the connection: that code takes them). SEL_ERR_NOT_SUPPORTED if conn is
 * not async. Disarm: back to doorbells only for a sleeping client.
 */
int sel_idl_async_arm(struct sel_idl_conn *conn, void (*on_drain)(void *), void *arg);
void sel_idl_async_disarm(struct sel_idl_conn *conn);
/* Whether the reply of future f (async) is in its call slot, or the server is gone:
 * only reads flags, so a handler may ask. */
bool sel_idl_async_arrived(const struct sel_idl_future *f);
/* Sleeps until an event is waiting (SEL_OK) or the server is gone (SEL_ERR_PEER_DEAD). */
int sel_idl_async_wait_event(struct sel_idl_async_client *c);
/* Ends the session (the server is told and frees it). */
int sel_idl_async_close(struct sel_idl_async_client *c);

/* The server's per-client state (private memory). */
struct sel_idl_async_session {
	uint64_t base;  /* root CNode slots base..base + SEL_SESSION_SLOTS */
	uint64_t badge; /* of the endpoint cap the client opened with: its identity */
	uint8_t *win;
	struct sel_ring cpl, evt;
	uint32_t alive;
	uint64_t ev[8]; /* an event being built */
	struct sel_idl_event_sink sink;
	struct sel_idl_async_server *srv;
	uint32_t index;
};

/* The server: configuration, then state. */
struct sel_idl_async_server {
	sel_cptr_t ep;       /* where sessions are opened (Read, Grant) */
	sel_cptr_t untyped;  /* windows are retyped from it */
	sel_cptr_t receiver; /* our receiver (Write, Grant); its handler is ours */
	sel_cptr_t vspace;   /* our address space */
	uint64_t vaddr;      /* client i's window at vaddr + i << window_bits (page tables there) */
	uint32_t window_bits; /* 12..21 */
	uint32_t nslots;      /* call slots per client */
	uint64_t slot_base; /* client i uses root CNode slots slot_base + i * SEL_SESSION_SLOTS.. */
	uint32_t nclients;  /* sessions accepted before serving (1..SEL_IDL_ASYNC_MAX_CLIENTS) */
	sel_idl_dispatch_fn dispatch;
	sel_idl_words_fn dispatch_words; /* its <svc>_dispatch_words, or NULL */
	void *ctx;
	uint64_t side_cap_slot; /* 3 empty root CNode slots for caps in side calls (0: none);
	                         * nonzero says the server runs sel_idl_async_serve_side() */
	/* State. */
	volatile uint32_t lock;     /* held around every dispatch (serve loop, side thread) */
	volatile uint32_t accepted; /* every session accepted: the side thread may receive */
	volatile uint32_t in_side;  /* the side thread's handler runs: no events from it */
	struct sel_idl_sync_server side;
	struct sel_idl_async_layout layout;
	struct sel_idl_async_session sessions[SEL_IDL_ASYNC_MAX_CLIENTS];
	struct sel_ring req[SEL_IDL_ASYNC_MAX_CLIENTS];
	struct sel_mux mux;
	volatile uint64_t closed; /* sessions whose client side went (from the handler) */
	int32_t uitt_owner[12];   /* which client's sender is in each sender-table entry */
	uint32_t alive;
	uint32_t current; /* the session being served */
	uint32_t since_flush;
	uint64_t served, refused, dropped, ended, bells;
	int last_dispatch;
	uint64_t private_rep[SEL_IDL_MAX_MESSAGE_BYTES / 8]; /* replies built in private memory */
};

/*
 * Accepts s->nclients sessions on s->ep, then serves their requests over
 * sel_mux until every client has gone; returns SEL_OK then, or the error
 * that stopped it. Registers s->receiver's handler on the calling thread.
 */
int sel_idl_async_serve(struct sel_idl_async_server *s);
/*
 * The pieces of sel_idl_async_serve(), for a generated <svc>_async_serve_loop
 * that inlines the register path (sel_idl_async_serve_regs below):
 *   serve_start  lays the windows out, registers the handler, accepts every session
 *   end_closed   ends the sessions whose client side went (s->closed non-zero)
 *   serve_any    serves one descriptor of client i (m: our private copy), any kind
 *   flush        rings the clients that sleep on a ring we pushed to
 *   serve_idle   no descriptor waiting: flush, then sleep until a doorbell
 *   serve_stop   unregisters the handler; returns err
 */
int sel_idl_async_serve_start(struct sel_idl_async_server *s);
void sel_idl_async_end_closed(struct sel_idl_async_server *s);
void sel_idl_async_serve_any(struct sel_idl_async_server *s, uint32_t i, uint64_t *m);
void sel_idl_async_flush(struct sel_idl_async_server *s);
int sel_idl_async_serve_idle(struct sel_idl_async_server *s);
int sel_idl_async_serve_stop(struct sel_idl_async_server *s, int err);

/* Requests served between doorbell checks while the server is busy. */
#define SEL_IDL_ASYNC_FLUSH_EVERY 8u

/*
 * A descriptor of the register path (our private copy m) served by
 * `words` (a generated dispatcher of the contract of <svc>_dispatch_words,
 * inlined here), its reply written in place into client i's completion
 * ring; false, having run no handler, for anything else (the generic path
 * then serves it), and always while a side thread may dispatch (the lock).
 */
static inline __attribute__((always_inline)) bool
sel_idl_async_serve_words(struct sel_idl_async_server *s, uint32_t i, uint64_t *m,
                          sel_idl_words_fn words)
{
	uint32_t slot = (uint32_t)m[0], n = (uint32_t)(m[1] / 8);
	struct sel_ring *r = &s->sessions[i].cpl;
	uint64_t *d;

	if (m[0] >> 32 != SEL_IDL_ASYNC_WORDS || slot >= s->layout.nslots ||
	    m[1] > SEL_IDL_WORDS_MAX * 8u || (m[1] & 7) || s->side_cap_slot != 0)
		return false;
	s->current = i;
	if (words(s->ctx, s->sessions[i].badge, &m[2], &n) != SEL_OK)
		return false;
	s->served++;
	s->last_dispatch = SEL_OK;
	d = sel_ring_reserve(r);
	if (d == 0) { /* only a client with more requests out than call slots fills it */
		s->dropped++;
		return true;
	}
	d[0] = SEL_IDL_ASYNC_CPL_INLINE | slot, d[1] = n * 8ull, d[2] = 0;
	d[3] = m[2], d[4] = m[3], d[5] = m[4], d[6] = m[5], d[7] = m[6];
	sel_ring_commit(r);
	return true;
}

/* sel_idl_async_serve() with the register path (`words`) inlined. */
static inline __attribute__((always_inline)) int
sel_idl_async_serve_regs(struct sel_idl_async_server *s, sel_idl_words_fn words)
{
	uint64_t m[SEL_RING_SLOT / 8];
	int err = sel_idl_async_serve_start(s);

	while (err == SEL_OK && s->alive) {
		uint32_t i;

		if (s->closed != 0) /* the handler noted a client gone */
			sel_idl_async_end_closed(s);
		if (sel_mux_next_inline(&s->mux, m, &i) != SEL_OK) {
			err = sel_idl_async_serve_idle(s);
			continue;
		}
		if (!sel_idl_async_serve_words(s, i, m, words))
			sel_idl_async_serve_any(s, i, m);
		if (++s->since_flush >= SEL_IDL_ASYNC_FLUSH_EVERY)
			sel_idl_async_flush(s);
	}
	return sel_idl_async_serve_stop(s, err);
}

/* From a handler: the event sink of the client whose request is being served. */
struct sel_idl_event_sink *sel_idl_async_sink(struct sel_idl_async_server *s);
/*
 * The side channel's server: run by a second thread of the server (in its
 * address space and CSpace). Once sel_idl_async_serve() has accepted its
 * sessions, receives Calls on s->ep (requests with capabilities or a
 * lease, in the sync transport's format) and serves them with the same
 * dispatch, one handler at a time with the serve loop; returns only if a
 * receive fails.
 */
int sel_idl_async_serve_side(struct sel_idl_async_server *s);

#endif /* SEL_IDL_ASYNC_H */
