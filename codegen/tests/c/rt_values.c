/*
 * Random values and equality for the rt.idl types (round-trip tests).
 * xorshift64*: deterministic for a given seed, so a failure replays.
 */
#include <string.h>

#include "rt_harness.h"

uint64_t rng_next(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dull;
}

uint64_t rng_below(uint64_t *state, uint64_t n)
{
	return rng_next(state) % n;
}

/* Random UTF-8 (ASCII plus some 2- and 3-byte characters), no NUL. */
void rand_string(uint64_t *rng, char *dst, size_t bound)
{
	size_t len = (size_t)rng_below(rng, bound + 1), i = 0;

	while (i < len) {
		uint64_t kind = rng_below(rng, 8);

		if (kind == 0 && i + 2 <= len) {
			dst[i++] = (char)0xc3; /* U+00C0..U+00FF */
			dst[i++] = (char)(0x80 + rng_below(rng, 0x40));
		} else if (kind == 1 && i + 3 <= len) {
			dst[i++] = (char)0xe2; /* U+2000..U+2FFF */
			dst[i++] = (char)(0x80 + rng_below(rng, 0x40));
			dst[i++] = (char)(0x80 + rng_below(rng, 0x40));
		} else {
			dst[i++] = (char)(0x20 + rng_below(rng, 0x5f));
		}
	}
	dst[i] = '\0';
}

void rand_bytes(uint64_t *rng, uint8_t *dst, size_t *len, size_t bound)
{
	*len = (size_t)rng_below(rng, bound + 1);
	for (size_t i = 0; i < *len; i++)
		dst[i] = (uint8_t)rng_next(rng);
}

enum rt_color rand_color(uint64_t *rng)
{
	static const enum rt_color all[] = {RT_COLOR_RED, RT_COLOR_GREEN, RT_COLOR_BLUE};

	return all[rng_below(rng, 3)];
}

enum rt_level rand_level(uint64_t *rng)
{
	static const enum rt_level all[] = {RT_LEVEL_LOW, RT_LEVEL_MID, RT_LEVEL_HIGH};

	return all[rng_below(rng, 3)];
}

enum rt_wide rand_wide(uint64_t *rng)
{
	return rng_below(rng, 2) ? RT_WIDE_ONE : RT_WIDE_MOST;
}

void rand_inner(uint64_t *rng, struct rt_inner *in)
{
	size_t n;

	memset(in, 0, sizeof(*in));
	in->small = (uint8_t)rng_next(rng);
	in->wide = (int64_t)rng_next(rng);
	in->flag = rng_below(rng, 2) != 0;
	rand_string(rng, in->name, 12);
	rand_bytes(rng, in->blob, &n, 9);
	in->blob_len = (uint32_t)n;
}

void rand_all(uint64_t *rng, struct rt_all *x)
{
	size_t n;

	memset(x, 0, sizeof(*x));
	x->a_u8 = (uint8_t)rng_next(rng);
	x->a_u16 = (uint16_t)rng_next(rng);
	x->a_u32 = (uint32_t)rng_next(rng);
	x->a_u64 = rng_next(rng);
	x->a_i8 = (int8_t)rng_next(rng);
	x->a_i16 = (int16_t)rng_next(rng);
	x->a_i32 = (int32_t)rng_next(rng);
	x->a_i64 = (int64_t)rng_next(rng);
	x->yes = rng_below(rng, 2) != 0;
	x->color = rand_color(rng);
	x->level = rand_level(rng);
	x->wide = rand_wide(rng);
	rand_inner(rng, &x->inner);
	for (int i = 0; i < 3; i++)
		rand_inner(rng, &x->inners[i]);
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 3; j++)
			x->grid[i][j] = (uint16_t)rng_next(rng);
	for (int i = 0; i < 4; i++)
		x->colors[i] = rand_color(rng);
	rand_string(rng, x->text, 40);
	rand_bytes(rng, x->data, &n, 33);
	x->data_len = (uint32_t)n;
}

bool inner_equal(const struct rt_inner *a, const struct rt_inner *b)
{
	return a->small == b->small && a->wide == b->wide && a->flag == b->flag &&
	       strcmp(a->name, b->name) == 0 && a->blob_len == b->blob_len &&
	       memcmp(a->blob, b->blob, a->blob_len) == 0;
}

bool all_equal(const struct rt_all *a, const struct rt_all *b)
{
	bool ok = a->a_u8 == b->a_u8 && a->a_u16 == b->a_u16 && a->a_u32 == b->a_u32 &&
	          a->a_u64 == b->a_u64 && a->a_i8 == b->a_i8 && a->a_i16 == b->a_i16 &&
	          a->a_i32 == b->a_i32 && a->a_i64 == b->a_i64 && a->yes == b->yes &&
	          a->color == b->color && a->level == b->level && a->wide == b->wide &&
	          inner_equal(&a->inner, &b->inner) && strcmp(a->text, b->text) == 0 &&
	          a->data_len == b->data_len && memcmp(a->data, b->data, a->data_len) == 0 &&
	          memcmp(a->grid, b->grid, sizeof(a->grid)) == 0 &&
	          memcmp(a->colors, b->colors, sizeof(a->colors)) == 0;

	for (int i = 0; i < 3; i++)
		ok = ok && inner_equal(&a->inners[i], &b->inners[i]);
	return ok;
}
