/*
 * The preemption tick, through Sstc (stimecmp): one tick every
 * TICK_MS milliseconds while a thread runs, none while the hart idles or a
 * benchmark window is open.
 */
#ifndef SELENE_ARCH_TIMER_H
#define SELENE_ARCH_TIMER_H

#include "arch/riscv/hart.h"

#define TICK_MS 10

void timer_init_hart(void);
/* Arms the next tick for the thread about to run (unless already armed). */
void timer_arm(struct hart *h);
/* Opens or closes a benchmark window: no tick until it closes. */
void timer_bench_window(struct hart *h, bool open);
/* Stops the tick while the hart idles. */
void timer_idle(struct hart *h);
/* Handles a timer interrupt: counts it, rearms, preempts round robin. */
void timer_tick(struct hart *h);
uint64_t timer_now(void);
/*
 * The latest a tick was taken after its deadline, in `time` ticks, on any
 * hart since the last call, which starts again (SEL_INFO_TIMER_LATE_MAX).
 * Debug kernels only: release kernels measure nothing and return 0.
 */
uint64_t timer_take_late_max(void);

#endif /* SELENE_ARCH_TIMER_H */
