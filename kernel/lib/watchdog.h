/*
 * The spin watchdog (debug kernels): a hart that waits in the kernel --
 * for a lock, or for another hart to do something -- for longer than a
 * bound panics and says what it waited for, so a hang is a report, never
 * silence. Every busy-wait loop of the kernel declares what it waits for
 * and calls spin_watch() once per turn:
 *
 *	struct spin_watch w = SPIN_WATCH("hart to leave user mode", h->id);
 *	while (cond)
 *		spin_watch(&w);
 *
 * The bound is the boot argument "spin-watchdog=<ms>" (default
 * SPIN_WATCH_DEFAULT_MS; 0 turns the watchdog off). A wait that may last
 * long by design (the idle wfi, a preemptible revoke between its steps)
 * does not spin and is not watched. Release kernels have no watchdog:
 * spin_watch() only pauses there.
 */
#ifndef SELENE_LIB_WATCHDOG_H
#define SELENE_LIB_WATCHDOG_H

#include "lib/types.h"

#define SPIN_WATCH_DEFAULT_MS 10000

struct spin_watch {
	const char *what; /* what the hart waits for, for the panic message */
	uint64_t who;     /* a number that names it further (a hart id, a lock's owner) */
	uint64_t start;   /* `time` at the first check; 0: not yet read */
	uint32_t turns;   /* the clock is read every SPIN_WATCH_TURNS turns */
};

#define SPIN_WATCH(what, who) ((struct spin_watch){(what), (uint64_t)(who), 0, 0})

/*
 * One turn's hint that the hart is waiting (Zihintpause `pause`, encoded as
 * the FENCE hint so any assembler takes it; a no-op where it is not
 * implemented). Under QEMU it also ends the translation block, which lets
 * -icount's round-robin give the other harts their turn: without it a hart
 * spinning on the big lock could keep the holder from running for longer
 * than the watchdog's bound (seen with the two-hart benchmark boots).
 */
#if defined(__riscv) && !defined(__FRAMAC__)
static inline void spin_pause(void)
{
	__asm__ volatile(".4byte 0x0100000f" ::: "memory");
}
#else
static inline void spin_pause(void)
{
}
#endif

#ifdef SELENE_DEBUG
/* Reads the bound from the boot arguments (boot hart, before other harts run). */
void spin_watch_init(const char *bootargs);
/* One turn of a wait (with spin_pause()); panics when the wait has lasted longer than
 * the bound. */
void spin_watch(struct spin_watch *w);
#else
static inline void spin_watch_init(const char *bootargs)
{
	(void)bootargs;
}
static inline void spin_watch(struct spin_watch *w)
{
	(void)w;
	spin_pause();
}
#endif

#endif /* SELENE_LIB_WATCHDOG_H */
