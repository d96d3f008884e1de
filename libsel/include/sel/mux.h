/*
 * Many clients of one server (docs/windows.md, "Many clients"): a server
 * with one user-interrupt receiver serves any number of clients, each with
 * a request ring in a window of its own.
 *
 * - Vectors are shared: client c rings vector c % 64 (SEL_MUX_VECTOR), so
 *   with more than 64 clients a vector stands for every client congruent to
 *   it. The server's handler ORs the pending set into the mux
 *   (sel_mux_raise); the server turns each vector into its clients and
 *   marks them ready, then pops only from ready clients, so it never scans
 *   100 rings to find one message.
 * - Fair order: one message per ready client per turn, round robin from
 *   the client after the last one served; a client with work waits at most
 *   one turn of the others, whatever it or they send.
 * - Clock order, where order matters: sel_mux_next_oldest() takes the ready
 *   client whose oldest message carries the smallest stamp (clients stamp
 *   requests with the per-hart info page's clock). The stamp is only read
 *   to choose; the message is then copied out whole (decode once), so a
 *   client that lies about its stamp only reorders its own requests.
 * - Sleeping: sel_mux_sleep() sets every ring's consumer-sleeping flag,
 *   fences, checks every ring once more, and only then waits, so no
 *   doorbell is lost (the ring protocol of <sel/ring.h>).
 *
 * Each ring's depth is fixed when the session is made: no client can make
 * the server allocate. At most SEL_MUX_MAX clients.
 */
#ifndef SEL_MUX_H
#define SEL_MUX_H

#include <sel/ring.h>

#define SEL_MUX_MAX       256u
#define SEL_MUX_VECTOR(c) ((c) % 64u)

struct sel_mux {
	struct sel_ring *rings; /* the consumer side of each client's ring */
	uint32_t n;             /* clients */
	uint32_t next;          /* where the next round-robin turn starts */
	uint64_t ready[SEL_MUX_MAX / 64];
	volatile uint64_t pending; /* vectors raised, not yet turned into clients */
	uint64_t sleeps;           /* times the server waited (statistics) */
	/* The vectors that are only doorbells: sel_mux_sleep claims them as it
	 * wakes (no handler runs for them) and raises them itself (0: the
	 * handler runs for every vector, as for any wait). */
	uint64_t bell_vectors;
};

/* A mux over n rings (n <= SEL_MUX_MAX); every client starts ready. */
int sel_mux_init(struct sel_mux *m, struct sel_ring *rings, uint32_t n);
/* From the server's user-interrupt handler: these vectors were raised. */
void sel_mux_raise(struct sel_mux *m, uint64_t pending);
/* The next message in fair order into msg (SEL_RING_SLOT bytes); SEL_ERR_EMPTY if none. */
int sel_mux_next(struct sel_mux *m, void *msg, uint32_t *client);
/* sel_mux_next with its common case inline: the client whose turn it is has a message. */
static inline int sel_mux_next_inline(struct sel_mux *m, void *msg, uint32_t *client)
{
	uint32_t c = m->next;

	if (m->pending == 0 && ((m->ready[c / 64] >> (c % 64)) & 1) &&
	    sel_ring_pop(&m->rings[c], msg) == SEL_OK) {
		m->next = c + 1 == m->n ? 0 : c + 1;
		*client = c;
		return SEL_OK;
	}
	return sel_mux_next(m, msg, client);
}
/* The same in clock order: the stamp is the 64-bit word at byte `stamp_at` of a message. */
int sel_mux_next_oldest(struct sel_mux *m, void *msg, uint32_t *client, uint32_t stamp_at);
/* Waits until some client may have work (returns at once if one does). */
int sel_mux_sleep(struct sel_mux *m);

#endif /* SEL_MUX_H */
