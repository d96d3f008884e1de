/*
 * eva_smp.h: arch/riscv/smp.h for the EVA run over IPC (run_eva.py --target
 * ipc, -include), which analyses ipc/fastpath.c. There harts_online is
 * volatile, and EVA reads a volatile object as any value at each read: the
 * fast paths would be analysed with the count changing between the read
 * that skips the big lock and the one that releases it. The count only
 * grows, at boot, while smp_start_harts() waits for each hart before any
 * thread runs; during a syscall it is a constant, which this declaration
 * states (the driver chooses it: one hart or more).
 */
#ifndef SELENE_EVA_SMP_H
#define SELENE_EVA_SMP_H

#define SELENE_ARCH_SMP_H /* arch/riscv/smp.h is this file */

#include <stdint.h>

extern uint32_t harts_online;

#endif /* SELENE_EVA_SMP_H */
