/*
 * The preemption tick, through Sstc (stimecmp): a thread's time slice is
 * TICK_MS milliseconds; the tick is armed when a thread starts running and
 * none is armed, for what is left of that thread's slice (at least
 * 1/TICK_MIN_PART of a slice), and none while the hart idles or a benchmark
 * window is open. The scheduler charges the slices (sched/scheduler.c).
 */
#ifndef SELENE_ARCH_TIMER_H
#define SELENE_ARCH_TIMER_H

#include "arch/riscv/hart.h"

#define TICK_MS       10
#define TICK_MIN_PART 8

void timer_init_hart(void);
/* A time slice, in `time` ticks. */
uint64_t timer_slice(void);
/* Arms the next tick a whole slice away (unless already armed). */
void timer_arm(struct hart *h);
/* Arms the next tick `left` `time` ticks away, 1/TICK_MIN_PART slice at least (unless armed). */
void timer_arm_in(struct hart *h, uint64_t left);
/* Opens or closes a benchmark window: no tick until it closes. */
void timer_bench_window(struct hart *h, bool open);
/* Stops the tick while the hart idles. */
void timer_idle(struct hart *h);
/* Handles a timer interrupt: counts it, and the scheduler charges the running thread. */
void timer_tick(struct hart *h);
uint64_t timer_now(void);
/*
 * The latest a tick was taken after its deadline, in `time` ticks, on any
 * hart since the last call, which starts again (SEL_INFO_TIMER_LATE_MAX).
 * Debug kernels only: release kernels measure nothing and return 0.
 */
uint64_t timer_take_late_max(void);

#endif /* SELENE_ARCH_TIMER_H */
