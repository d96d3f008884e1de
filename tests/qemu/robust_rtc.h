/*
 * What the interrupt-storm tests share (robust_storm.c on one hart,
 * robust_storm_smp.c and robust_revoke_smp.c on four): the goldfish RTC,
 * whose interrupt they raise again and again, mapped at RTC_VA, and
 * milliseconds of the `time` clock.
 */
#ifndef SELENE_TESTS_ROBUST_RTC_H
#define SELENE_TESTS_ROBUST_RTC_H

#include <stdint.h>
#include "proc_util.h"

#define RTC_VA              REGION(31)
#define RTC_TIME_LO         0x00
#define RTC_TIME_HI         0x04
#define RTC_ALARM_LO        0x08
#define RTC_ALARM_HI        0x0c
#define RTC_IRQ_ENABLED     0x10
#define RTC_CLEAR_INTERRUPT 0x1c

/* The RTC register at `off` (mapped by rtc_map()). */
volatile uint32_t *rtc(uint32_t off);
/* n milliseconds in `time` ticks. */
uint64_t ms(uint64_t n);
/* Maps the RTC's page at RTC_VA (tables from `ut`) and quiets it. */
int rtc_map(uint64_t ut);
/* The line low: interrupt disabled and cleared. */
void rtc_quiet(void);
/* The alarm set in the past: the interrupt latches now. */
void rtc_latch(void);

#endif /* SELENE_TESTS_ROBUST_RTC_H */
