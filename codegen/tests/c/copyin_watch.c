/*
 * Watching sel_idl_copy_in() for the double-fetch test (see copyin_watch.h).
 * Linked instead of codegen/runtime/idl_copyin.c.
 */
#include <string.h>

#include "copyin_watch.h"

static uint8_t *watched;
static size_t watched_len;
static bool flipping;
static uint8_t counts[SEL_IDL_MAX_MESSAGE_BYTES];

void watch_begin(uint8_t *buf, size_t len, bool flip)
{
	watched = buf;
	watched_len = len;
	flipping = flip;
	memset(counts, 0, sizeof(counts));
}

void watch_end(void)
{
	watched = NULL;
}

const uint8_t *watch_counts(void)
{
	return counts;
}

void sel_idl_copy_in(void *dst, const struct sel_idl_msg *m, size_t off, size_t n)
{
	memcpy(dst, m->buf + off, n);
	if (m->buf != watched)
		return;
	for (size_t i = off; i < off + n && i < watched_len; i++) {
		if (counts[i] < 255)
			counts[i]++;
		if (flipping)
			watched[i] ^= 0x5a; /* the peer rewrites what was just read */
	}
}
