/* The spin watchdog (debug kernels): see watchdog.h. */
#include "lib/watchdog.h"
#include "arch/riscv/csr.h"
#include "arch/riscv/hart.h"
#include "arch/riscv/machine.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "lib/string.h"

#define SPIN_WATCH_TURNS 4096u

static uint64_t bound_ticks; /* 0: off */

void spin_watch_init(const char *bootargs)
{
	uint64_t ms = bootarg_number(bootargs, "spin-watchdog=", SPIN_WATCH_DEFAULT_MS);

	bound_ticks = ms * (machine.timebase_hz / 1000);
	if (ms != SPIN_WATCH_DEFAULT_MS)
		printk("spin-watchdog: %lu ms\n", ms);
}

void spin_watch(struct spin_watch *w)
{
	uint64_t now;

	spin_pause();
	if (!bound_ticks || ++w->turns % SPIN_WATCH_TURNS != 0)
		return;
	now = csr_read(time);
	if (!w->start)
		w->start = now;
	else if (now - w->start > bound_ticks)
		panic("watchdog: hart %lu spun %lu ms in the kernel waiting for %s 0x%lx",
		      this_hart()->id, (now - w->start) / (machine.timebase_hz / 1000), w->what,
		      w->who);
}
