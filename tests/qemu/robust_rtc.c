/* The RTC and the clock of the interrupt-storm tests: see robust_rtc.h. */
#include <selene/kinfo.h>
#include "process.h"
#include "robust_rtc.h"

volatile uint32_t *rtc(uint32_t off)
{
	return (volatile uint32_t *)(RTC_VA + off);
}

uint64_t ms(uint64_t n)
{
	return ((const volatile struct sel_kinfo *)SEL_KINFO_VADDR)->timebase_hz / 1000 * n;
}

void rtc_quiet(void)
{
	*rtc(RTC_IRQ_ENABLED) = 0;
	*rtc(RTC_CLEAR_INTERRUPT) = 1;
}

void rtc_latch(void)
{
	*rtc(RTC_ALARM_HI) = *rtc(RTC_TIME_HI);
	*rtc(RTC_ALARM_LO) = 0;
}

int rtc_map(uint64_t ut)
{
	uint64_t fr;
	int err = cover(ut, SEL_SLOT_VSPACE, RTC_VA);

	if (err == SEL_OK)
		err = object_new(TEST_SLOT_DEVICE, SEL_OBJ_FRAME, 12, &fr);
	if (err == SEL_OK)
		err = sel_frame_map(fr, SEL_SLOT_VSPACE, RTC_VA, SEL_RIGHT_READ | SEL_RIGHT_WRITE);
	if (err == SEL_OK)
		rtc_quiet();
	return err;
}
