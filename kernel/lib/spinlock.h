/*
 * Spinlocks (test-and-test-and-set with amoswap.w.aq / amoswap release).
 *
 * Invariant: a lock is held by at most one hart; `owner` names it (for
 * panic messages and for the big kernel lock's "held by me" assert).
 * Kernel code runs with interrupts off, so no lock is ever taken by an
 * interrupt handler on the hart that already holds it.
 */
#ifndef SELENE_LIB_SPINLOCK_H
#define SELENE_LIB_SPINLOCK_H

#include "lib/types.h"

struct spinlock {
	volatile uint32_t locked;
	volatile int32_t owner; /* hart id of the holder, -1 when free */
};

void spin_lock(struct spinlock *l);
/* Takes the lock if it is free; false (nothing changed) if it is held. */
bool spin_trylock(struct spinlock *l);
void spin_unlock(struct spinlock *l);
bool spin_held_by_me(const struct spinlock *l);

#endif /* SELENE_LIB_SPINLOCK_H */
