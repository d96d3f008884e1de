/* Calls into OpenSBI (SBI v1.0): base, timer, IPI, HSM, SRST, legacy console. */
#ifndef SELENE_ARCH_SBI_H
#define SELENE_ARCH_SBI_H

#include "lib/types.h"

struct sbiret {
	long error;
	long value;
};

/* Every SBI call the kernel made, all harts (SEL_INFO_SBI_CALLS). */
extern uint64_t sbi_calls_made;
/* Of those, the remote fences (SEL_INFO_REMOTE_FENCES). */
extern uint64_t sbi_remote_fences;

struct sbiret sbi_call(uint64_t ext, uint64_t fid, uint64_t a0, uint64_t a1, uint64_t a2);
void sbi_console_putchar(char c);
long sbi_hart_start(uint64_t hartid, paddr_t start, uint64_t opaque);
long sbi_hart_status(uint64_t hartid);
long sbi_send_ipi(uint64_t hart_mask, uint64_t hart_mask_base);
long sbi_remote_sfence_vma_asid(uint64_t hart_mask, uint64_t hart_mask_base, uint64_t start,
                                uint64_t size, uint64_t asid);
NORETURN void sbi_shutdown(void);

#endif /* SELENE_ARCH_SBI_H */
