/*
 * registry.c (debug builds only): the table of live objects the invariant
 * checker uses to tell a live object from a freed one (see cap_debug.h).
 *
 * Open addressing with linear probing over a power-of-two table that the
 * kernel or a test attaches with cdt_debug_attach(). Key: (object address,
 * referred type, log2 size). An entry, once used, stays used (a probe
 * sequence ends at the first never-used entry); a dead entry (live == 0)
 * records a freed object and may be taken over by a new key when no
 * never-used entry is left on the probe sequence. Generations come from one
 * counter (cdt->reg_gen), so a generation is never handed out twice until
 * the 32-bit counter wraps. Every loop is bounded by the table capacity.
 */
#ifdef SELENE_DEBUG

#include "cap/cap.h"
#include "cap/cap_assert.h"
#include "cap/cap_debug.h"

struct reg_key {
	uint64_t object;
	uint8_t type;
	uint8_t bits;
};

void cdt_debug_attach(struct cdt *cdt, struct cap_registry_entry *reg, uint64_t reg_capacity,
                      const struct cte **scratch, uint64_t scratch_capacity)
{
	struct cap_registry_entry empty = {0};

	cap_assert((reg_capacity & (reg_capacity - 1u)) == 0,
	           "registry capacity is a power of two");
	for (uint64_t i = 0; i < reg_capacity; i++) {
		reg[i] = empty;
	}
	cdt->reg = reg;
	cdt->reg_capacity = reg_capacity;
	cdt->scratch = scratch;
	cdt->scratch_capacity = scratch == NULL ? 0 : scratch_capacity;
	cdt->reg_overflow = false;
}

static struct reg_key key_of(const struct cap *c)
{
	struct reg_key k;

	k.object = c->object;
	k.type = cap_type_info(c->type)->ref_type;
	k.bits = (uint8_t)cap_object_bits(c);
	return k;
}

static uint64_t key_hash(struct reg_key k)
{
	uint64_t h = k.object ^ ((uint64_t)k.type << 56) ^ ((uint64_t)k.bits << 48);

	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return h;
}

static bool key_match(const struct cap_registry_entry *e, struct reg_key k)
{
	return e->object == k.object && e->type == k.type && e->bits == k.bits;
}

/*
 * The entry holding `k`, or NULL. *spare receives the first entry on the
 * probe sequence that a new key may take (never used, or dead), or NULL.
 */
static struct cap_registry_entry *probe(struct cdt *cdt, struct reg_key k,
                                        struct cap_registry_entry **spare)
{
	uint64_t mask = cdt->reg_capacity - 1u;
	uint64_t start = key_hash(k) & mask;

	*spare = NULL;
	for (uint64_t n = 0; n < cdt->reg_capacity; n++) {
		struct cap_registry_entry *e = &cdt->reg[(start + n) & mask];

		if (!e->used) {
			if (*spare == NULL) {
				*spare = e;
			}
			return NULL;
		}
		if (key_match(e, k)) {
			return e;
		}
		if (e->live == 0 && *spare == NULL) {
			*spare = e;
		}
	}
	return NULL;
}

/* A new object: register (or revive) it; returns its generation. */
uint32_t cap_registry_add(struct cdt *cdt, const struct cap *c)
{
	struct reg_key k = key_of(c);
	struct cap_registry_entry *spare;
	struct cap_registry_entry *e;

	if (cdt->reg == NULL || cdt->reg_capacity == 0) {
		return 0;
	}
	e = probe(cdt, k, &spare);
	if (e == NULL) {
		if (spare == NULL) {
			cdt->reg_overflow = true;
			return 0;
		}
		e = spare;
		e->used = 1;
		e->object = k.object;
		e->type = k.type;
		e->bits = k.bits;
		e->live = 0;
		e->seen = 0;
	}
	cap_assert(e->live < UINT16_MAX, "registry counts stay bounded");
	e->live++;
	cdt->reg_gen++;
	e->gen = cdt->reg_gen;
	return e->gen;
}

/* The last cap to an object left the tree: mark it freed. */
void cap_registry_remove(struct cdt *cdt, const struct cap *c)
{
	struct cap_registry_entry *spare;
	struct cap_registry_entry *e;

	if (cdt->reg == NULL || cdt->reg_capacity == 0) {
		return;
	}
	e = probe(cdt, key_of(c), &spare);
	if (e != NULL && e->live > 0) {
		e->live--;
	}
}

struct cap_registry_entry *cap_registry_find(struct cdt *cdt, const struct cap *c)
{
	struct cap_registry_entry *spare;

	if (cdt->reg == NULL || cdt->reg_capacity == 0) {
		return NULL;
	}
	return probe(cdt, key_of(c), &spare);
}

#else

/* Release builds: nothing here, but ISO C wants a non-empty file. */
typedef int cap_registry_not_built;

#endif /* SELENE_DEBUG */
