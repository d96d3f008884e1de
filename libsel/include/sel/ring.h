/*
 * Single-producer / single-consumer rings in a window, with a user-interrupt
 * doorbell used only when the consumer sleeps (docs/windows.md has the
 * protocol and its memory-ordering argument; verify/spin/ring.pml models it).
 *
 * Layout at `base` (in the window, both sides map it): a header of four
 * cache lines -- the consumer's head, the producer's tail, the consumer's
 * sleeping flag, the producer's sleeping flag, each on its own line -- then
 * `depth` slots of SEL_RING_SLOT bytes. Indices are free-running 64-bit
 * counters (slot = index % depth), so they never wrap in practice and a
 * full ring is tail - head == depth. The depth is fixed when the ring is
 * made: a client can never make a server allocate.
 *
 * Decode once: sel_ring_pop() copies the whole slot into private memory
 * before it releases the slot; a server validates that copy, never the
 * window. A producer may instead build its message in place: reserve a
 * slot, write it, commit it (zero copy); a consumer may read it in place,
 * each word once: peek, read, release.
 *
 * The hot functions are inline: a push or pop is its index checks, two
 * fences and eight word moves. Messages should be 8-byte aligned (slots are;
 * a misaligned message is still copied right, only slower).
 */
#ifndef SEL_RING_H
#define SEL_RING_H

#include <stdint.h>
#include <selene/error.h>

#define SEL_RING_SLOT   64u
#define SEL_RING_HEADER 256u
/* Bytes a ring of `depth` slots takes in the window. */
#define SEL_RING_BYTES(depth) (SEL_RING_HEADER + (uint64_t)(depth)*SEL_RING_SLOT)

struct sel_ring_header {
	volatile uint64_t head; /* next slot the consumer takes (consumer writes) */
	uint64_t pad0[7];
	volatile uint64_t tail; /* next slot the producer fills (producer writes) */
	uint64_t pad1[7];
	volatile uint64_t consumer_sleeping; /* 1: ring the doorbell after publishing */
	uint64_t pad2[7];
	volatile uint64_t producer_sleeping; /* 1: the producer waits for room */
	uint64_t pad3[7];
};

_Static_assert(sizeof(struct sel_ring_header) == SEL_RING_HEADER, "ring header size");

/* One side's view of a ring (private memory: never in the window). */
struct sel_ring {
	struct sel_ring_header *hdr;
	uint8_t *slots;
	uint64_t depth;   /* a power of two */
	int64_t doorbell; /* sender-table index that wakes the peer, -1: none */
	uint64_t pending; /* producer: published since the last doorbell check */
	uint64_t bells;   /* doorbells rung (statistics) */
	/* Set by the side's user-interrupt handler on the peer-closed vector;
	 * sel_ring_wait then returns SEL_ERR_PEER_CLOSED (NULL: not watched). */
	const volatile uint64_t *closed;
	/* Consumer: the vectors of its receiver that are this ring's doorbell.
	 * sel_ring_wait claims them as it wakes, so no handler runs for a
	 * doorbell (0: the handler runs for it, as for any vector). */
	uint64_t bell_vectors;
};

/* A view of the ring at base; `init` zeroes the header (its creator does). */
int sel_ring_attach(struct sel_ring *r, void *base, uint64_t depth, int64_t doorbell, int init);
/* Consumer: sleeps (uintr wait) until the ring is not empty, or the peer closed. */
int sel_ring_wait(struct sel_ring *r);
/* Producer: rings the doorbell (the consumer sleeps); the slow half of sel_ring_publish. */
void sel_ring_ring_bell(struct sel_ring *r);

/* RVWMO fences of the protocol (docs/windows.md names what each orders). */
#define SEL_RING_FENCE(pred, succ) __asm__ volatile("fence " #pred "," #succ ::: "memory")

/* One slot, eight word moves (slots are 8-byte aligned). */
static inline void sel_ring_copy_slot(void *dst, const void *src)
{
	uint64_t *d = (uint64_t *)dst;
	const uint64_t *s = (const uint64_t *)src;
	uint64_t w0 = s[0], w1 = s[1], w2 = s[2], w3 = s[3];
	uint64_t w4 = s[4], w5 = s[5], w6 = s[6], w7 = s[7];

	d[0] = w0, d[1] = w1, d[2] = w2, d[3] = w3;
	d[4] = w4, d[5] = w5, d[6] = w6, d[7] = w7;
}

/*
 * Producer, zero copy: the next free slot to write the message into in
 * place, or NULL if the ring is full; sel_ring_commit() publishes it.
 * Only one slot is reserved at a time, and nothing is visible to the
 * consumer before the commit.
 */
static inline void *sel_ring_reserve(struct sel_ring *r)
{
	uint64_t tail = r->hdr->tail;

	if (tail - r->hdr->head >= r->depth)
		return 0;
	SEL_RING_FENCE(r, w); /* the consumer is done with the slot before we overwrite it */
	return r->slots + (tail & (r->depth - 1)) * SEL_RING_SLOT;
}

/* Producer: publishes the slot sel_ring_reserve() gave. */
static inline void sel_ring_commit(struct sel_ring *r)
{
	SEL_RING_FENCE(w, w); /* the message before the index that publishes it */
	r->hdr->tail = r->hdr->tail + 1;
	r->pending++;
}

/* Producer: copies a SEL_RING_SLOT message in; SEL_ERR_FULL if no room. */
static inline int sel_ring_push(struct sel_ring *r, const void *msg)
{
	void *slot = sel_ring_reserve(r);

	if (!slot)
		return SEL_ERR_FULL;
	sel_ring_copy_slot(slot, msg);
	sel_ring_commit(r);
	return SEL_OK;
}

/* Producer: after a batch of pushes, rings the doorbell if the consumer sleeps. */
static inline void sel_ring_publish(struct sel_ring *r)
{
	if (!r->pending)
		return;
	r->pending = 0;
	SEL_RING_FENCE(rw, rw); /* our tail store before reading whether the consumer sleeps */
	if (r->hdr->consumer_sleeping)
		sel_ring_ring_bell(r);
}

/* Consumer: copies the oldest message out; SEL_ERR_EMPTY if none. */
static inline int sel_ring_pop(struct sel_ring *r, void *msg)
{
	uint64_t head = r->hdr->head;

	if (head == r->hdr->tail)
		return SEL_ERR_EMPTY;
	SEL_RING_FENCE(r, r); /* the index before the message it publishes */
	sel_ring_copy_slot(msg, r->slots + (head & (r->depth - 1)) * SEL_RING_SLOT);
	SEL_RING_FENCE(r, w); /* our copy is complete before the slot is handed back */
	r->hdr->head = head + 1;
	return SEL_OK;
}

/*
 * Consumer, zero copy: the oldest message in place, or NULL if the ring is
 * empty; sel_ring_release() hands its slot back. The slot is the peer's
 * memory: read each word once (the pointer is volatile) into private
 * memory and check that copy, as sel_ring_pop() does for the whole slot.
 */
static inline const volatile uint64_t *sel_ring_peek(struct sel_ring *r)
{
	uint64_t head = r->hdr->head;

	if (head == r->hdr->tail)
		return 0;
	SEL_RING_FENCE(r, r); /* the index before the message it publishes */
	return (const volatile uint64_t *)(r->slots + (head & (r->depth - 1)) * SEL_RING_SLOT);
}

/* Consumer: hands back the slot sel_ring_peek() gave, once its words are read. */
static inline void sel_ring_release(struct sel_ring *r)
{
	SEL_RING_FENCE(r, w); /* our reads are complete before the slot is handed back */
	r->hdr->head = r->hdr->head + 1;
}

/*
 * The same three out of line: for code with many call sites where one copy
 * matters more than the call (libsel's async runtime and mux).
 */
int sel_ring_push_call(struct sel_ring *r, const void *msg);
int sel_ring_pop_call(struct sel_ring *r, void *msg);
void sel_ring_publish_call(struct sel_ring *r);

/* Messages waiting (consumer's view). */
static inline uint64_t sel_ring_count(const struct sel_ring *r)
{
	return r->hdr->tail - r->hdr->head;
}

#endif /* SEL_RING_H */
