/*
 * The main of a test process (process mode, see process_driver.c): run the
 * test the driver chose, print its result line, exit 0 (pass) or 1 (fail).
 * Before running it, tell the driver the test's ID and expected outcome
 * through the shared page, so a test that dies or hangs is still reported.
 */
#include <sel/print.h>
#include <sel/string.h>
#include <sel/thread.h>
#include <selene/bootinfo.h>
#include "process.h"
#include "test.h"

#define MAX_TESTS 512

struct test_shared *test_shared_page;
/* Test processes get no boot-info page: helpers use the process's own caps. */
const struct sel_bootinfo *test_bootinfo;

int main(struct test_shared *shared);

int main(struct test_shared *shared)
{
	static const struct test_case *tests[MAX_TESTS];
	unsigned n = test_sorted(tests, MAX_TESTS);

	test_shared_page = shared;
	if (shared->index >= n)
		return TEST_EXIT_NO_TEST;
	const struct test_case *tc = tests[shared->index];
	struct test_ctx t = {.id = tc->id};
	memcpy(shared->id, tc->id, strlen(tc->id) + 1);
	shared->expect = (uint32_t)tc->expect;
	tc->fn(&t);
	if (tc->expect != TEST_EXPECT_PASS) {
		sel_printf("TEST %s FAIL the process was expected to %s\n", tc->id,
		           tc->expect == TEST_EXPECT_FAULT ? "fault" : "hang");
		return 1;
	}
	if (t.failed) {
		sel_printf("TEST %s FAIL %s\n", tc->id, t.reason);
		return 1;
	}
	sel_printf("TEST %s PASS\n", tc->id);
	return 0;
}
