/*
 * The capability core's host test binary: `cap_tests <case>` runs one case
 * and prints one TEST line; the kernel hooks are stubbed here so that tests
 * can observe finalisation, initialisation and preemption.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cap_test.h"

static const char *current_id = "CAP_05??";

uint64_t fin_count;
struct fin_record fin_log[FIN_LOG_MAX];
uint64_t init_count;
uint64_t preempt_every;
uint64_t preempt_calls;
uint64_t preempt_fired;

void hooks_reset(void)
{
	fin_count = 0;
	init_count = 0;
	preempt_every = 0;
	preempt_calls = 0;
	preempt_fired = 0;
}

uint64_t fin_times(uint64_t object, uint32_t ref_type)
{
	uint64_t n = 0;
	uint64_t logged = fin_count < FIN_LOG_MAX ? fin_count : FIN_LOG_MAX;

	for (uint64_t i = 0; i < logged; i++) {
		if (fin_log[i].object == object && fin_log[i].ref_type == ref_type) {
			n++;
		}
	}
	return n;
}

void cap_object_finalise(struct cap *cap)
{
	if (fin_count < FIN_LOG_MAX) {
		struct fin_record *r = &fin_log[fin_count];

		r->type = cap->type;
		r->ref_type = cap_type_info(cap->type)->ref_type;
		r->object = cap->object;
		r->bits = cap_object_bits(cap);
	}
	fin_count++;
}

/* Per-cap release hook: nothing to release in host tests; counted. */
uint64_t removed_count;

void cap_removed(const struct cap *cap)
{
	(void)cap;
	removed_count++;
}

void cap_object_init(enum sel_object_type type, uintptr_t addr, uint64_t size_bits, bool device)
{
	uint32_t bits = 0;

	init_count++;
	if (!device && cap_retype_bits(type, (uint32_t)size_bits, &bits) == SEL_OK) {
		memset((void *)addr, 0xa5,
		       (size_t)1 << bits); /* the core must clear slots itself */
	}
}

bool cap_preemption_point(void)
{
	preempt_calls++;
	if (preempt_every != 0 && preempt_calls % preempt_every == 0) {
		preempt_fired++;
		return true;
	}
	return false;
}

void cap_assert_fail(const char *expr, const char *why, const char *file, int line)
{
	printf("TEST %s FAIL cap_assert(%s) \"%s\" at %s:%d\n", current_id, expr, why, file, line);
	fflush(stdout);
	abort();
}

void test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("TEST %s FAIL %s:%d: ", current_id, file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	exit(1);
}

struct test_case {
	const char *id;
	const char *name;
	void (*run)(void);
};

#define CAP_TEST_ROW(id, name) {#id, #name, test_##name},
static const struct test_case cases[] = {CAP_TEST_LIST(CAP_TEST_ROW)};
#undef CAP_TEST_ROW

int main(int argc, char **argv)
{
	size_t n = sizeof(cases) / sizeof(cases[0]);

	if (argc != 2) {
		fprintf(stderr, "usage: %s <case>|--list\n", argv[0]);
		return 2;
	}
	for (size_t i = 0; i < n; i++) {
		if (strcmp(argv[1], "--list") == 0) {
			printf("%s %s\n", cases[i].id, cases[i].name);
		} else if (strcmp(argv[1], cases[i].name) == 0 ||
		           strcmp(argv[1], cases[i].id) == 0) {
			current_id = cases[i].id;
			hooks_reset();
			cases[i].run();
			printf("TEST %s PASS\n", cases[i].id);
			return 0;
		}
	}
	if (strcmp(argv[1], "--list") == 0) {
		return 0;
	}
	fprintf(stderr, "unknown case %s\n", argv[1]);
	return 2;
}
