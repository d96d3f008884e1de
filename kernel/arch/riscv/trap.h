/* Trap handling entry points called from trap_entry.S. */
#ifndef SELENE_ARCH_TRAP_H
#define SELENE_ARCH_TRAP_H

#include "arch/riscv/context.h"

NORETURN void trap_user(struct context *ctx);
NORETURN void kernel_trap(void);
NORETURN void syscall_entry(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                            uint64_t a5, uint64_t a6, uint64_t nr);
void trap_init_hart(void);
const char *trap_cause_name(uint64_t cause);
struct tcb;
/* Nobody handles t's fault: report it on the console and stop t. */
void fault_unhandled(struct tcb *t, uint64_t cause, uint64_t stval);

#endif /* SELENE_ARCH_TRAP_H */
