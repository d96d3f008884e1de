/*
 * The printf-style formatter shared by the kernel's printk and libsel's
 * sel_printf (both compile common/format.c; it depends on nothing).
 *
 * Formats: %s %c %d %u %x %p %%, with l/ll/z length modifiers and a width
 * with optional zero padding. Writes at most size-1 bytes plus a NUL and
 * returns the length the whole output would have had.
 */
#ifndef SELENE_COMMON_FORMAT_H
#define SELENE_COMMON_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

int format_string(char *buf, size_t size, const char *fmt, va_list ap);

#endif /* SELENE_COMMON_FORMAT_H */
