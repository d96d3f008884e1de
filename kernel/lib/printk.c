/*
 * printk: a small formatter over the console driver.
 *
 * Output is formatted into a per-call buffer, then written in one piece under
 * console_lock, so concurrent harts produce whole lines. The lock is a plain
 * spinlock, separate from the big kernel lock, because panic() must print
 * whatever lock the failing hart holds (panic breaks the lock: see panic.c).
 */
#include "lib/printk.h"
#include <common/format.h>
#include "lib/string.h"
#include "lib/spinlock.h"
#include "arch/riscv/console.h"

struct spinlock console_lock;

size_t snprintk(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = format_string(buf, size, fmt, ap);
	va_end(ap);
	return (size_t)n;
}

void console_write(const char *s, size_t n)
{
	spin_lock(&console_lock);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			console_putc('\r');
		console_putc(s[i]);
	}
	spin_unlock(&console_lock);
}

void vprintk(const char *fmt, va_list ap)
{
	char buf[256];
	size_t n = (size_t)format_string(buf, sizeof(buf), fmt, ap);

	console_write(buf, n < sizeof(buf) ? n : sizeof(buf) - 1);
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}
