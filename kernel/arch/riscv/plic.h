/*
 * The platform-level interrupt controller, as the kernel keeps it: every
 * source is delivered to the boot hart's S-mode context; a claimed source
 * is not forwarded again until it is completed, which is how a device
 * interrupt stays masked until its driver acknowledges it (object/irq.c).
 */
#ifndef SELENE_ARCH_PLIC_H
#define SELENE_ARCH_PLIC_H

#include "lib/types.h"

/* Device interrupts go to hart `hartid` (the boot hart). */
void plic_init(uint64_t hartid);
/* Threshold 0 and nothing enabled for this hart's S context. */
void plic_init_hart(uint64_t hartid);
/* Routes source irq (priority 1) to the boot hart, or stops routing it. */
void plic_enable(uint32_t irq, bool on);
/* The highest pending source claimed on this hart (0: none). */
uint32_t plic_claim(void);
void plic_complete(uint32_t irq);

#endif /* SELENE_ARCH_PLIC_H */
