/*
 * The test driver: the root task of every test image.
 *
 * It runs the image's tests in link order and prints one result line per
 * test; then it powers off with status 0 (results are in the lines: the
 * harness fails on a FAIL line, a missing line, a panic or a timeout).
 * Tests run in the driver's own process for now; a test that faults
 * unexpectedly ends the image, and the harness reports every ID without a
 * line as missing.
 */
#include <stdarg.h>
#include <sel/print.h>
#include <sel/string.h>
#include <sel/syscall.h>
#include <selene/bootinfo.h>
#include "test.h"

extern const struct test_case __start_selene_tests[], __stop_selene_tests[];

const struct sel_bootinfo *test_bootinfo;

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

void expect_fault(struct test_ctx *t, uint64_t cause, uint64_t pc)
{
	sel_printf("EXPECT-FAULT %s cause %lu pc 0x%lx\n", t->id, cause, pc);
}

#define MAX_TESTS 512

/* The tests in ID order (the linker keeps them in no useful order). */
static unsigned sorted_tests(const struct test_case **out)
{
	unsigned n = 0;

	for (const struct test_case *tc = __start_selene_tests;
	     tc < __stop_selene_tests && n < MAX_TESTS; tc++) {
		unsigned i = n++;
		for (; i > 0 && strcmp(out[i - 1]->id, tc->id) > 0; i--)
			out[i] = out[i - 1];
		out[i] = tc;
	}
	return n;
}

int main(const struct sel_bootinfo *bi);

int main(const struct sel_bootinfo *bi)
{
	static const struct test_case *tests[MAX_TESTS];
	unsigned n = sorted_tests(tests), failed = 0;

	test_bootinfo = bi;
	for (unsigned i = 0; i < n; i++) {
		const struct test_case *tc = tests[i];
		struct test_ctx t = {.id = tc->id};
		tc->fn(&t);
		if (tc->expect_fault) {
			sel_printf("TEST %s FAIL the expected fault did not happen\n", tc->id);
			failed++;
		} else if (t.failed) {
			sel_printf("TEST %s FAIL %s\n", tc->id, t.reason);
			failed++;
		} else {
			sel_printf("TEST %s PASS\n", tc->id);
		}
	}
	sel_printf("driver: %u tests, %u failed\n", n, failed);
	return 0;
}
