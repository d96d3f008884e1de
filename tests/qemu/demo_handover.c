/*
 * The console hand-over (docs/console.md) refused: the debug cap's
 * ConsoleHandOver gives the UART to a user-mode driver only for a Frame of
 * the UART's page and only with the Write right; every refusal leaves the
 * kernel's console as it was. In the root task, which holds the debug cap
 * with every right and the UART's device Untyped. (The hand-over itself is
 * DEMO_0001..0013: the demo system does it at boot.)
 */
#include "caps_util.h"
#include <sel/debug.h>

static int hand_over(uint64_t debug, uint64_t frame)
{
	return sel_invoke(debug, SEL_DEBUG_CONSOLE_HAND_OVER, frame, 0, 0, 0, 0, 0);
}

TEST(DEMO_0016,
     "the console hand-over needs the UART's Frame and Write; refused, it changes nothing")
{
	uint64_t ut, ram, ep, uart = slot_new(), weak = slot_new();
	uint64_t dev = 0;

	for (uint32_t i = 0; i < test_bootinfo->n_untyped; i++)
		if (test_bootinfo->untyped[i].is_device &&
		    test_bootinfo->untyped[i].paddr == (test_bootinfo->uart_base & ~0xfffull))
			dev = test_bootinfo->untyped[i].slot;
	CHECK(t, dev != 0);
	CHECK_EQ(t, sel_untyped_retype(dev, SEL_OBJ_FRAME, 12, ROOT, uart, 1), SEL_OK);
	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_FRAME, 12, &ram), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, hand_over(SEL_SLOT_DEBUG, ram), SEL_ERR_INVALID_ARG); /* not the UART's */
	CHECK_EQ(t, hand_over(SEL_SLOT_DEBUG, ep), SEL_ERR_WRONG_TYPE);   /* not a Frame */
	CHECK_EQ(t, hand_over(SEL_SLOT_DEBUG, slot_new()), SEL_ERR_EMPTY_SLOT);
	CHECK_EQ(t, sel_cnode_mint(ROOT, weak, SEL_SLOT_DEBUG, FULL, SEL_DEBUG_RIGHT_INFO, 0),
	         SEL_OK);
	CHECK_EQ(t, hand_over(weak, uart), SEL_ERR_NO_RIGHTS); /* Write is needed */
	/* The kernel's console is still the kernel's. */
	CHECK_EQ(t, sel_debug_write("", 0), SEL_OK);
	CHECK_EQ(t, sel_debug_putc('\n'), SEL_OK);
	CHECK_EQ(t, sel_cnode_delete(ROOT, uart, FULL, 0), SEL_OK);
}
