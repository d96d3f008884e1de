/*
 * The fault image: its root task dies of a fault with no handler. The
 * kernel must report it (cause, pc, stval) and stop with a failure status
 * instead of hanging; tests/harness/qemu.py matches the report against the
 * EXPECT-FAULT line printed just before.
 */
#include <stdint.h>
#include "test.h"

#define CAUSE_LOAD_PAGE_FAULT 13

extern char fault_image_load[];

EXPECT_FAULT(BOOT_0020, "a user fault is reported with cause and pc and the kernel stops cleanly")
{
	expect_fault(t, CAUSE_LOAD_PAGE_FAULT, (uint64_t)fault_image_load);
	__asm__ volatile(".globl fault_image_load\n"
	                 "fault_image_load: ld t0, 8(zero)" ::
	                     : "t0", "memory");
}
