/*
 * What the process-mode test driver and its test processes share: one
 * page, mapped read-write in both, at TEST_SHARED_VADDR in the child.
 *
 * The driver writes `index` (the i-th test in ID order) and the child's
 * capabilities; the child writes the test's ID and expected outcome before
 * it runs the test, so the driver can report a test that dies or hangs.
 */
#ifndef SELENE_TEST_PROCESS_H
#define SELENE_TEST_PROCESS_H

#include <stdint.h>

#define TEST_SHARED_VADDR    0x7fff0000ull
#define TEST_SLOT_UNTYPED    16 /* the test's own Untyped budget, in its CNode */
#define TEST_SLOT_DEVICE     17 /* a device Untyped (the RTC's if any), lent for the test */
#define TEST_SLOT_RTC_IRQ    18 /* a copy of the RTC's IRQ handler cap (if any) */
#define TEST_RTC_PADDR       0x101000ull /* goldfish RTC: its registers */
#define TEST_RTC_IRQ         11          /* ... and its PLIC source */
#define TEST_SLOT_FIRST_FREE 32          /* the test's slots start here */
#define TEST_EXIT_NO_TEST    2           /* index beyond the last test */

enum test_expect {
	TEST_EXPECT_PASS = 0,
	TEST_EXPECT_FAULT = 1, /* the process must die of a fault */
	TEST_EXPECT_HANG = 2,  /* the process must run past its time budget */
};

struct test_shared {
	uint32_t index;        /* driver -> child */
	uint32_t untyped_bits; /* size of the Untyped in TEST_SLOT_UNTYPED */
	uint32_t expect;       /* child -> driver: enum test_expect */
	uint64_t timebase_hz;  /* driver -> child: frequency of `time` */
	char id[16];           /* child -> driver: "AREA_NNNN" */
	char bootargs[128];    /* driver -> child: the kernel's boot arguments, NUL-ended */
};

#endif /* SELENE_TEST_PROCESS_H */
