/*
 * A watching replacement for the runtime's idl_copyin.c (double-fetch test).
 *
 * While a buffer is watched, every sel_idl_copy_in() from it counts how often
 * each byte was read and then, in flip mode, rewrites the bytes it just
 * read, as a hostile peer sharing the window would. A skeleton that reads a
 * byte twice shows a count of 2; one that goes back to the buffer after its
 * copy sees different values.
 */
#ifndef IDL_TEST_COPYIN_WATCH_H
#define IDL_TEST_COPYIN_WATCH_H

#include <sel/idl_runtime.h>

void watch_begin(uint8_t *buf, size_t len, bool flip);
void watch_end(void);
/* Read counts of the watched bytes (saturating at 255). */
const uint8_t *watch_counts(void);

#endif /* IDL_TEST_COPYIN_WATCH_H */
