/*
 * Formatted output for user programs, over the kernel debug channel.
 *
 * sel_printf formats into a buffer and writes it with one syscall, so a line
 * printed by one thread is never split by another. Formats: %s %c %d %u %x
 * %p %%, with l/ll/z modifiers and a zero-padded width.
 */
#ifndef SEL_PRINT_H
#define SEL_PRINT_H

#include <stdarg.h>
#include <stddef.h>

int sel_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int sel_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int sel_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void sel_puts(const char *s);

#endif /* SEL_PRINT_H */
