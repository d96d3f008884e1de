/* The per-hart kernel info page: see kinfo.c and <selene/kinfo.h>. */
#ifndef SELENE_ARCH_KINFO_H
#define SELENE_ARCH_KINFO_H

#include "lib/types.h"

struct hart;
struct tcb;

void kinfo_init(uint64_t n_harts);
/* The root-table entry (index 255) every VSpace gets. */
uint64_t kinfo_root_entry(void);
/* h now runs t (NULL: idles). */
void kinfo_switch(const struct hart *h, const struct tcb *t);
void kinfo_tick(const struct hart *h);

#endif /* SELENE_ARCH_KINFO_H */
