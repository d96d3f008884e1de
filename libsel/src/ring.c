/*
 * SPSC rings with a lazy doorbell (see <sel/ring.h>, docs/windows.md):
 * attaching, the doorbell and the consumer's sleep; push, pop, reserve,
 * commit and publish are inline in the header.
 *
 * RVWMO ordering, each fence named by what it orders:
 *   push:    slot stores  -> fence w,w   -> tail store      (publish)
 *   publish: tail store   -> fence rw,rw -> sleeping load   (doorbell decision)
 *   pop:     tail load    -> fence r,r   -> slot loads      (acquire)
 *            slot loads   -> fence r,w   -> head store      (release the slot)
 *   wait:    sleeping store -> fence rw,rw -> tail load     (no lost doorbell)
 *            the tail load is repeated inside sel_uintr_wait_unless_claim,
 *            which a handler run before the wait restarts (no doorbell lost
 *            to it); the wait claims the doorbell vectors, no handler runs
 *   push reads head before it overwrites a slot: head load -> fence r,w -> slot stores.
 * The pairs publish/wait and push/pop are the ring.pml model's; dropping
 * the publishing fence is one of its mutants and is caught.
 */
#include <sel/ring.h>
#include <sel/string.h>
#include <sel/uintr.h>

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
	r->bell_vectors = 0;
	if (init)
		memset(base, 0, SEL_RING_HEADER);
	return SEL_OK;
}

void sel_ring_ring_bell(struct sel_ring *r)
{
	if (r->doorbell < 0)
		return;
	r->bells++;
	sel_uintr_send((uint64_t)r->doorbell);
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
		/* The flag before the re-check: a producer sees one or the other. */
		SEL_RING_FENCE(rw, rw);
		if (head != r->hdr->tail)
			break;
		/* A doorbell whose handler runs before the wait moved the tail first. */
		err = sel_uintr_wait_unless_claim(&r->hdr->tail, head, r->bell_vectors);
		if (err != SEL_OK)
			break;
	}
	r->hdr->consumer_sleeping = 0;
	return err;
}

int sel_ring_push_call(struct sel_ring *r, const void *msg)
{
	return sel_ring_push(r, msg);
}

int sel_ring_pop_call(struct sel_ring *r, void *msg)
{
	return sel_ring_pop(r, msg);
}

void sel_ring_publish_call(struct sel_ring *r)
{
	sel_ring_publish(r);
}
