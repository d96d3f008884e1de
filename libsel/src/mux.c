/*
 * Many clients of one server: vectors to ready clients, round robin, clock
 * order and sleeping (see <sel/mux.h>).
 */
#include <sel/mux.h>
#include <sel/string.h>
#include <sel/uintr.h>

#define FENCE_RW_RW() __asm__ volatile("fence rw,rw" ::: "memory")

static void set_ready(struct sel_mux *m, uint32_t c)
{
	m->ready[c / 64] |= 1ull << (c % 64);
}

static void clear_ready(struct sel_mux *m, uint32_t c)
{
	m->ready[c / 64] &= ~(1ull << (c % 64));
}

static int is_ready(const struct sel_mux *m, uint32_t c)
{
	return (m->ready[c / 64] >> (c % 64)) & 1;
}

int sel_mux_init(struct sel_mux *m, struct sel_ring *rings, uint32_t n)
{
	if (n == 0 || n > SEL_MUX_MAX)
		return SEL_ERR_INVALID_ARG;
	memset(m, 0, sizeof(*m));
	m->rings = rings;
	m->n = n;
	for (uint32_t c = 0; c < n; c++)
		set_ready(m, c);
	return SEL_OK;
}

void sel_mux_raise(struct sel_mux *m, uint64_t pending)
{
	__atomic_fetch_or(&m->pending, pending, __ATOMIC_SEQ_CST);
}

/* Every client of a raised vector becomes ready. */
static void take_vectors(struct sel_mux *m)
{
	uint64_t p = __atomic_exchange_n(&m->pending, 0, __ATOMIC_SEQ_CST);

	while (p) {
		uint32_t v = (uint32_t)__builtin_ctzll(p);
		p &= p - 1;
		for (uint32_t c = v; c < m->n; c += 64)
			set_ready(m, c);
	}
}

int sel_mux_next(struct sel_mux *m, void *msg, uint32_t *client)
{
	uint32_t c = m->next;

	if (m->pending != 0) /* a plain load first: the exchange only when a vector came */
		take_vectors(m);
	for (uint32_t i = 0; i < m->n; i++, c = c + 1 == m->n ? 0 : c + 1) {
		if (!is_ready(m, c))
			continue;
		if (sel_ring_pop(&m->rings[c], msg) != SEL_OK) {
			clear_ready(m, c); /* empty: its next doorbell makes it ready again */
			continue;
		}
		m->next = c + 1 == m->n ? 0 : c + 1;
		*client = c;
		return SEL_OK;
	}
	return SEL_ERR_EMPTY;
}

int sel_mux_next_oldest(struct sel_mux *m, void *msg, uint32_t *client, uint32_t stamp_at)
{
	uint64_t best_stamp = ~0ull;
	uint32_t best = m->n;

	take_vectors(m);
	for (uint32_t c = 0; c < m->n; c++) {
		struct sel_ring *r = &m->rings[c];
		if (!is_ready(m, c))
			continue;
		if (!sel_ring_count(r)) {
			clear_ready(m, c);
			continue;
		}
		__asm__ volatile("fence r,r" ::: "memory"); /* the index before the slot */
		uint64_t head = r->hdr->head, stamp;
		memcpy(&stamp, r->slots + (head & (r->depth - 1)) * SEL_RING_SLOT + stamp_at,
		       sizeof(stamp)); /* read only to choose: the message is copied out below */
		if (stamp < best_stamp || best == m->n) {
			best_stamp = stamp;
			best = c;
		}
	}
	if (best == m->n || sel_ring_pop(&m->rings[best], msg) != SEL_OK)
		return SEL_ERR_EMPTY;
	*client = best;
	return SEL_OK;
}

static void set_sleeping(struct sel_mux *m, uint64_t value)
{
	for (uint32_t c = 0; c < m->n; c++)
		m->rings[c].hdr->consumer_sleeping = value;
}

int sel_mux_sleep(struct sel_mux *m)
{
	int err = SEL_OK, work = 0;

	set_sleeping(m, 1);
	FENCE_RW_RW(); /* the flags before the re-check: a producer sees one or the other */
	for (uint32_t c = 0; c < m->n; c++)
		if (sel_ring_count(&m->rings[c])) {
			set_ready(m, c);
			work = 1;
		}
	if (!work && !m->pending) {
		struct sel_uintr_claimed w;

		m->sleeps++;
		/* a handler between: it raised; doorbells claimed at the wake-up: we raise them */
		w = sel_uintr_wait_unless_claimed(&m->pending, 0, m->bell_vectors);
		err = (int)w.err;
		if (w.claimed)
			sel_mux_raise(m, w.claimed);
	}
	set_sleeping(m, 0);
	return err;
}
