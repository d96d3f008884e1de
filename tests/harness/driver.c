/*
 * The in-process test driver: the root task of the test images whose tests
 * need the root task's own capabilities (boot, caps, proc).
 *
 * It runs the image's tests in ID order in its own process and prints one
 * result line per test; then it exits with status 0 (results are in the
 * lines: the harness fails on a FAIL line, a missing line, a panic or a
 * timeout). A test that faults unexpectedly ends the image, and the harness
 * reports every ID without a line. Images built in process mode use
 * process_driver.c instead: a fresh process per test.
 */
#include <sel/print.h>
#include <sel/syscall.h>
#include <selene/bootinfo.h>
#include "test.h"

const struct sel_bootinfo *test_bootinfo;

void expect_fault(struct test_ctx *t, uint64_t cause, uint64_t pc)
{
	sel_printf("EXPECT-FAULT %s cause %lu pc 0x%lx\n", t->id, cause, pc);
}

#define MAX_TESTS 512

int main(const struct sel_bootinfo *bi);

int main(const struct sel_bootinfo *bi)
{
	static const struct test_case *tests[MAX_TESTS];
	unsigned n = test_sorted(tests, MAX_TESTS), failed = 0;

	test_bootinfo = bi;
	for (unsigned i = 0; i < n; i++) {
		const struct test_case *tc = tests[i];
		struct test_ctx t = {.id = tc->id};
		tc->fn(&t);
		if (tc->expect) {
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
