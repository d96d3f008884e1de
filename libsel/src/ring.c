/*
 * SPSC rings with a lazy doorbell (see <sel/ring.h>, docs/windows.md).
 *
 * RVWMO ordering, each fence named by what it orders:
 *   push:    slot stores  -> fence w,w   -> tail store      (publish)
 *   publish: tail store   -> fence rw,rw -> sleeping load   (doorbell decision)
 *   pop:     tail load    -> fence r,r   -> slot loads      (acquire)
 *            slot loads   -> fence r,w   -> head store      (release the slot)
 *   wait:    sleeping store -> fence rw,rw -> tail load     (no lost doorbell)
 *            the tail load is repeated inside sel_uintr_wait_unless, which a
 *            handler run before the wait restarts (no doorbell lost to it)
 *   push reads head before it overwrites a slot: head load -> fence r,w -> slot stores.
 * The pairs publish/wait and push/pop are the ring.pml model's; dropping
 * the publishing fence is one of its mutants and is caught.
 */
#include <sel/ring.h>
#include <sel/string.h>
#include <sel/uintr.h>

#define FENCE(pred, succ) __asm__ volatile("fence " #pred "," #succ ::: "memory")

/* One slot: eight words when both sides are word-aligned (the usual case), else bytes. */
static inline void copy_slot(void *dst, const void *src)
{
	if ((((uintptr_t)dst | (uintptr_t)src) & 7) == 0) {
		uint64_t *d = dst;
		const uint64_t *s = src;
		for (unsigned i = 0; i < SEL_RING_SLOT / 8; i++)
			d[i] = s[i];
	} else {
		memcpy(dst, src, SEL_RING_SLOT);
	}
}

int sel_ring_attach(struct sel_ring *r, void *base, uint64_t depth, int64_t doorbell, int init)
{
	if (depth == 0 || (depth & (depth - 1)) || ((uint64_t)base & 63))
		return SEL_ERR_INVALID_ARG;
	r->hdr = base;
	r->slots = (uint8_t *)base + SEL_RING_HEADER;
	r->depth = depth;
	r->doorbell = doorbell;
	r->pending = 0;
	r->bells = 0;
	r->closed = 0;
	if (init)
		memset(base, 0, SEL_RING_HEADER);
	return SEL_OK;
}

int sel_ring_push(struct sel_ring *r, const void *msg)
{
	uint64_t tail = r->hdr->tail, head = r->hdr->head;

	if (tail - head >= r->depth)
		return SEL_ERR_FULL;
	FENCE(r, w); /* the consumer is done with the slot before we overwrite it */
	copy_slot(r->slots + (tail & (r->depth - 1)) * SEL_RING_SLOT, msg);
	FENCE(w, w); /* the message before the index that publishes it */
	r->hdr->tail = tail + 1;
	r->pending++;
	return SEL_OK;
}

void sel_ring_publish(struct sel_ring *r)
{
	if (!r->pending)
		return;
	r->pending = 0;
	FENCE(rw, rw); /* our tail store before reading whether the consumer sleeps */
	if (r->hdr->consumer_sleeping && r->doorbell >= 0) {
		r->bells++;
		sel_uintr_send((uint64_t)r->doorbell);
	}
}

int sel_ring_pop(struct sel_ring *r, void *msg)
{
	uint64_t head = r->hdr->head, tail = r->hdr->tail;

	if (head == tail)
		return SEL_ERR_EMPTY;
	FENCE(r, r); /* the index before the message it publishes */
	copy_slot(msg, r->slots + (head & (r->depth - 1)) * SEL_RING_SLOT);
	FENCE(r, w); /* our copy is complete before the slot is handed back */
	r->hdr->head = head + 1;
	return SEL_OK;
}

uint64_t sel_ring_count(const struct sel_ring *r)
{
	return r->hdr->tail - r->hdr->head;
}

int sel_ring_wait(struct sel_ring *r)
{
	int err = SEL_OK;

	uint64_t head = r->hdr->head;

	while (head == r->hdr->tail) {
		if (r->closed && *r->closed) {
			err = SEL_ERR_PEER_CLOSED;
			break;
		}
		r->hdr->consumer_sleeping = 1;
		FENCE(rw, rw); /* the flag before the re-check: a producer sees one or the other */
		if (head != r->hdr->tail)
			break;
		/* A doorbell whose handler runs before the wait moved the tail first. */
		err = sel_uintr_wait_unless(&r->hdr->tail, head);
		if (err != SEL_OK)
			break;
	}
	r->hdr->consumer_sleeping = 0;
	return err;
}
