/* The per-hart kernel info page: see kinfo.c and <selene/kinfo.h>. */
#ifndef SELENE_ARCH_KINFO_H
#define SELENE_ARCH_KINFO_H

#include "arch/riscv/hart.h"
#include "lib/types.h"
#include <selene/kinfo.h>

struct tcb;

union kinfo_page {
	struct sel_kinfo k;
	uint8_t page[PAGE_SIZE];
};
extern union kinfo_page kinfo_page;

void kinfo_init(uint64_t n_harts);
/* The root-table entry (index 255) every VSpace gets. */
uint64_t kinfo_root_entry(void);
/* h now runs t (NULL: idles). */
void kinfo_switch(const struct hart *h, const struct tcb *t);
void kinfo_tick(const struct hart *h);

/* The fastpath's switch: h's entry names thread `tid` (through its
 * kinfo_thread, one load); the clock and the switch count move only at
 * ticks and at the scheduler's switches. */
static inline void kinfo_thread(const struct hart *h, uint64_t tid)
{
	__atomic_store_n(h->kinfo_thread, tid, __ATOMIC_RELAXED);
}

#endif /* SELENE_ARCH_KINFO_H */
