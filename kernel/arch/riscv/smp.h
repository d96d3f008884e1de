/* Secondary hart start-up (see smp.c). */
#ifndef SELENE_ARCH_SMP_H
#define SELENE_ARCH_SMP_H

#include "lib/types.h"

extern volatile uint32_t harts_online; /* started or starting (smp.c) */
extern volatile uint32_t harts_up;     /* reported online */

void hart_init(uint64_t hartid);
void smp_start_harts(const uint64_t *ids, uint32_t n);
NORETURN void secondary_main(uint64_t hartid);

#endif /* SELENE_ARCH_SMP_H */
