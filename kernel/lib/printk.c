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
static bool console_user_owned; /* set once, by console_hand_over */
bool console_panicking;         /* set by panic(): print even after the hand-over */

void console_hand_over(void)
{
	__atomic_store_n(&console_user_owned, true, __ATOMIC_RELEASE);
}

bool console_handed_over(void)
{
	return __atomic_load_n(&console_user_owned, __ATOMIC_ACQUIRE);
}

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
	if (console_handed_over() && !__atomic_load_n(&console_panicking, __ATOMIC_RELAXED))
		return;
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
