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
 * window.
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
};

/* A view of the ring at base; `init` zeroes the header (its creator does). */
int sel_ring_attach(struct sel_ring *r, void *base, uint64_t depth, int64_t doorbell, int init);
/* Producer: copies a SEL_RING_SLOT message in; SEL_ERR_FULL if no room. */
int sel_ring_push(struct sel_ring *r, const void *msg);
/* Producer: after a batch of pushes, rings the doorbell if the consumer sleeps. */
void sel_ring_publish(struct sel_ring *r);
/* Consumer: copies the oldest message out; SEL_ERR_EMPTY if none. */
int sel_ring_pop(struct sel_ring *r, void *msg);
/* Consumer: sleeps (uintr wait) until the ring is not empty, or the peer closed. */
int sel_ring_wait(struct sel_ring *r);
/* Messages waiting (consumer's view). */
uint64_t sel_ring_count(const struct sel_ring *r);

#endif /* SEL_RING_H */
