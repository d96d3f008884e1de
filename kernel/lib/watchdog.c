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

/* The decimal number after `key` in the boot arguments, or `dflt` if absent. */
static uint64_t arg_number(const char *args, const char *key, uint64_t dflt)
{
	size_t n = strlen(key);
	uint64_t v = 0;

	for (; *args; args++) {
		if (strncmp(args, key, n) != 0)
			continue;
		for (args += n; *args >= '0' && *args <= '9'; args++)
			v = v * 10 + (uint64_t)(*args - '0');
		return v;
	}
	return dflt;
}

void spin_watch_init(const char *bootargs)
{
	uint64_t ms = arg_number(bootargs, "spin-watchdog=", SPIN_WATCH_DEFAULT_MS);

	bound_ticks = ms * (machine.timebase_hz / 1000);
	if (ms != SPIN_WATCH_DEFAULT_MS)
		printk("spin-watchdog: %lu ms\n", ms);
}

void spin_watch(struct spin_watch *w)
{
	uint64_t now;

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
