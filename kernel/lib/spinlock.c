/* Spinlocks: see spinlock.h for the invariants. */
#include "lib/spinlock.h"
#include "arch/riscv/hart.h"
#include "lib/watchdog.h"

void spin_lock(struct spinlock *l)
{
	struct spin_watch w = SPIN_WATCH("a spinlock held by hart", 0);

	for (;;) {
		uint32_t old;
		__asm__ volatile("amoswap.w.aq %0, %1, (%2)"
		                 : "=r"(old)
		                 : "r"(1u), "r"(&l->locked)
		                 : "memory");
		if (old == 0)
			break;
		while (l->locked) {
			w.who = (uint64_t)(int64_t)l->owner;
			spin_watch(&w);
		}
	}
	l->owner = (int32_t)this_hart()->id;
}

bool spin_trylock(struct spinlock *l)
{
	uint32_t old;

	__asm__ volatile("amoswap.w.aq %0, %1, (%2)"
	                 : "=r"(old)
	                 : "r"(1u), "r"(&l->locked)
	                 : "memory");
	if (old != 0)
		return false;
	l->owner = (int32_t)this_hart()->id;
	return true;
}

void spin_unlock(struct spinlock *l)
{
	l->owner = -1;
	__asm__ volatile("amoswap.w.rl zero, zero, (%0)" : : "r"(&l->locked) : "memory");
}

bool spin_held_by_me(const struct spinlock *l)
{
	return l->locked && l->owner == (int32_t)this_hart()->id;
}
