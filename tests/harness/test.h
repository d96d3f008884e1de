/*
 * The in-image test framework.
 *
 *   TEST(CAP_0001, "mint never adds rights") { CHECK(t, ...); }
 *
 * defines one test; the line must start with TEST( so the build can list
 * every ID (cmake/SeleneQemuTests.cmake). The driver (driver.c) runs each
 * test and prints exactly one line for it: "TEST <ID> PASS" or
 * "TEST <ID> FAIL <reason>". A CHECK that fails records file, line and the
 * expression and returns from the test.
 *
 *   EXPECT_FAULT(BOOT_0020, "an unmapped load is reported")
 *
 * defines a test whose thread is meant to die of a fault: it calls
 * expect_fault(t, cause, pc) and then faults; the harness passes it when
 * the kernel's FAULT report matches (tests/harness/qemu.py).
 *
 * In process mode (process_driver.c) every test runs in a fresh process,
 * and EXPECT_FAULT / EXPECT_HANG tests pass when the driver sees the
 * process die of a fault / run past its time budget.
 */
#ifndef SELENE_TEST_H
#define SELENE_TEST_H

#include <stdbool.h>
#include <stdint.h>

struct test_ctx {
	const char *id;
	bool failed;
	char reason[160];
};

struct test_case {
	const char *id;
	const char *desc;
	void (*fn)(struct test_ctx *t);
	int expect; /* enum test_expect (process.h): pass, fault or hang */
};

#define TEST_DEFINE(ID, DESC, FAULT)                                                               \
	static void test_fn_##ID(struct test_ctx *t);                                              \
	static const struct test_case test_case_##ID                                               \
	    __attribute__((section("selene_tests"), used)) = {#ID, DESC, test_fn_##ID, FAULT};     \
	static void test_fn_##ID(struct test_ctx *t)

#define TEST(ID, DESC)         TEST_DEFINE(ID, DESC, 0)
#define EXPECT_FAULT(ID, DESC) TEST_DEFINE(ID, DESC, 1)
/* Process mode only: the test must be stopped by the driver's time budget. */
#define EXPECT_HANG(ID, DESC) TEST_DEFINE(ID, DESC, 2)

void test_fail(struct test_ctx *t, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void expect_fault(struct test_ctx *t, uint64_t cause, uint64_t pc);
/* The tests in ID order; returns how many. */
unsigned test_sorted(const struct test_case **out, unsigned max);

#define CHECK(t, cond)                                                                             \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			test_fail(t, __FILE__, __LINE__, "%s", #cond);                             \
			return;                                                                    \
		}                                                                                  \
	} while (0)

#define CHECK_EQ(t, a, b)                                                                          \
	do {                                                                                       \
		uint64_t _a = (uint64_t)(a), _b = (uint64_t)(b);                                   \
		if (_a != _b) {                                                                    \
			test_fail(t, __FILE__, __LINE__, "%s == %s (0x%lx != 0x%lx)", #a, #b, _a,  \
			          _b);                                                             \
			return;                                                                    \
		}                                                                                  \
	} while (0)

#endif /* SELENE_TEST_H */
