/* sel_printf and friends: see <sel/print.h>. */
#include <sel/print.h>
#include <sel/string.h>
#include <sel/debug.h>
#include <stdint.h>
#include <common/format.h>

int sel_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return format_string(buf, size, fmt, ap);
}

int sel_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = sel_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int sel_printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	int n = sel_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	sel_debug_write(buf, (uint64_t)n < sizeof(buf) ? (uint64_t)n : sizeof(buf) - 1);
	return n;
}

void sel_puts(const char *s)
{
	sel_debug_write(s, strlen(s));
}
