/*
 * Shared declarations of the round-trip test programs: the test server's
 * state, a deterministic random generator, and random values / equality of
 * the rt.idl types.
 */
#ifndef IDL_TEST_RT_HARNESS_H
#define IDL_TEST_RT_HARNESS_H

#include "rt_client.h"
#include "rt_server.h"

struct rt_server {
	unsigned calls;
	uint64_t last_badge;
	char note[50 + 1];
	uint32_t note_n;
	const uint8_t *opaque_seen; /* where the last opaque payload was read from */
	uint8_t lease_copy[4096];   /* what the last in-lease held */
};

uint64_t rng_next(uint64_t *state);
uint64_t rng_below(uint64_t *state, uint64_t n);
void rand_string(uint64_t *rng, char *dst, size_t bound);
void rand_bytes(uint64_t *rng, uint8_t *dst, size_t *len, size_t bound);
enum rt_color rand_color(uint64_t *rng);
enum rt_level rand_level(uint64_t *rng);
enum rt_wide rand_wide(uint64_t *rng);
void rand_inner(uint64_t *rng, struct rt_inner *in);
void rand_all(uint64_t *rng, struct rt_all *x);
bool inner_equal(const struct rt_inner *a, const struct rt_inner *b);
bool all_equal(const struct rt_all *a, const struct rt_all *b);

#endif /* IDL_TEST_RT_HARNESS_H */
