/*
 * What every test program shares, in-process or in its own process: failure
 * recording and the table of tests in ID order.
 */
#include <stdarg.h>
#include <sel/print.h>
#include <sel/string.h>
#include "test.h"

extern const struct test_case __start_selene_tests[], __stop_selene_tests[];

void test_fail(struct test_ctx *t, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->failed)
		return;
	t->failed = true;
	n = sel_snprintf(t->reason, sizeof(t->reason), "%s:%d: ", file, line);
	va_start(ap, fmt);
	sel_vsnprintf(t->reason + n, sizeof(t->reason) - (unsigned)n, fmt, ap);
	va_end(ap);
}

unsigned test_sorted(const struct test_case **out, unsigned max)
{
	unsigned n = 0;

	/* The linker keeps them in no useful order: insertion sort by ID. */
	for (const struct test_case *tc = __start_selene_tests; tc < __stop_selene_tests && n < max;
	     tc++) {
		unsigned i = n++;
		for (; i > 0 && strcmp(out[i - 1]->id, tc->id) > 0; i--)
			out[i] = out[i - 1];
		out[i] = tc;
	}
	return n;
}
