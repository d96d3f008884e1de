/*
 * Kernel console output: printk() formats into the console under the console
 * lock, so lines from different harts never interleave mid-line.
 *
 * Formats: %s %c %d %u %x %p %%, with l/ll length modifiers (all 64-bit).
 */
#ifndef SELENE_LIB_PRINTK_H
#define SELENE_LIB_PRINTK_H

#include <stdarg.h>
#include "lib/types.h"

void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vprintk(const char *fmt, va_list ap);
size_t snprintk(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Writes raw bytes under the console lock (the debug channel uses it). */
void console_write(const char *s, size_t n);
/* A user-mode driver owns the UART from now on: console_write stays silent except on panic. */
void console_hand_over(void);
bool console_handed_over(void);
extern bool console_panicking;

#endif /* SELENE_LIB_PRINTK_H */
