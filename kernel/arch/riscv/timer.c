/*
 * Sstc timer: stimecmp raises STIP when `time` reaches it; writing a later
 * value clears it. next_tick == 0 means "not armed"; TIME_NEVER means "no
 * tick" (an open benchmark window: the deadline is cleared once when the
 * window opens, so no kernel exit inside the window writes stimecmp).
 */
#include "arch/riscv/timer.h"
#include "arch/riscv/csr.h"
#include "arch/riscv/machine.h"
#include "arch/riscv/kinfo.h"
#include "sched/scheduler.h"

#define TIME_NEVER UINT64_MAX

uint64_t timer_now(void)
{
	return csr_read(time);
}

static void set_deadline(uint64_t when)
{
	csr_write(stimecmp, when);
}

void timer_init_hart(void)
{
	set_deadline(TIME_NEVER);
	csr_set(sie, BIT(IRQ_S_TIMER));
}

/* What next_tick becomes once no tick is armed: none, or never inside a window. */
static uint64_t unarmed(const struct hart *h)
{
	return h->bench_window ? TIME_NEVER : 0;
}

uint64_t timer_slice(void)
{
	return machine.timebase_hz / 1000 * TICK_MS;
}

void timer_arm(struct hart *h)
{
	timer_arm_in(h, timer_slice());
}

void timer_arm_in(struct hart *h, uint64_t left)
{
	uint64_t least = timer_slice() / TICK_MIN_PART;

	if (h->next_tick)
		return;
	h->next_tick = timer_now() + (left > least ? left : least);
	set_deadline(h->next_tick);
}

void timer_bench_window(struct hart *h, bool open)
{
	h->bench_window = open;
	h->next_tick = unarmed(h);
	set_deadline(TIME_NEVER);
}

void timer_idle(struct hart *h)
{
	h->next_tick = unarmed(h);
	set_deadline(TIME_NEVER);
}

static uint64_t late_max[SEL_MAX_HARTS]; /* per hart, since the last take */

uint64_t timer_take_late_max(void)
{
	uint64_t m = 0;

	for (uint32_t i = 0; i < SEL_MAX_HARTS; i++) {
		if (late_max[i] > m)
			m = late_max[i];
		late_max[i] = 0;
	}
	return m;
}

#ifdef SELENE_DEBUG
/* How late this tick is: the time from its deadline to now (debug kernels only). */
static void note_lateness(struct hart *h)
{
	uint64_t now = timer_now(), i = (uint64_t)(h - harts);

	if (h->next_tick && h->next_tick != TIME_NEVER && now > h->next_tick &&
	    now - h->next_tick > late_max[i])
		late_max[i] = now - h->next_tick;
}
#else
static void note_lateness(struct hart *h)
{
	(void)h;
}
#endif

void timer_tick(struct hart *h)
{
	note_lateness(h);
	h->ticks++;
	h->bench.ticks++;
	kinfo_tick(h);
	h->next_tick = unarmed(h);
	set_deadline(TIME_NEVER);
	sched_tick(h);
}
