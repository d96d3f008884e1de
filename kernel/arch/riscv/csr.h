/*
 * RISC-V CSR access and the bits Selene uses.
 *
 * Only arch/riscv/ includes this file; portable kernel code asks arch
 * functions instead.
 */
#ifndef SELENE_ARCH_CSR_H
#define SELENE_ARCH_CSR_H

#include "lib/types.h"

#ifndef SELENE_EVA
#define csr_read(csr)                                                                              \
	({                                                                                         \
		uint64_t __v;                                                                      \
		__asm__ volatile("csrr %0, " #csr : "=r"(__v)::"memory");                          \
		__v;                                                                               \
	})
#define csr_write(csr, val) __asm__ volatile("csrw " #csr ", %0" ::"rK"(val) : "memory")
#define csr_set(csr, val)   __asm__ volatile("csrs " #csr ", %0" ::"rK"(val) : "memory")
#define csr_clear(csr, val) __asm__ volatile("csrc " #csr ", %0" ::"rK"(val) : "memory")
#else /* Frama-C EVA (verify/frama-c, VERIFY_0104): a read gives any value, writes nothing */
uint64_t eva_csr_read(void);
#define csr_read(csr)       eva_csr_read()
#define csr_write(csr, val) ((void)(val))
#define csr_set(csr, val)   ((void)(val))
#define csr_clear(csr, val) ((void)(val))
#endif

/* sstatus */
#define SSTATUS_SIE  BIT(1)
#define SSTATUS_SPIE BIT(5)
#define SSTATUS_SPP  BIT(8)
#define SSTATUS_FS   (3ull << 13)
#define SSTATUS_SUM  BIT(18)

/* sie / sip */
#define IRQ_S_SOFT  1
#define IRQ_S_TIMER 5
#define IRQ_S_EXT   9

/* scause */
#define SCAUSE_INTERRUPT       BIT(63)
#define CAUSE_MISALIGNED_FETCH 0
#define CAUSE_FETCH_ACCESS     1
#define CAUSE_ILLEGAL_INSN     2
#define CAUSE_BREAKPOINT       3
#define CAUSE_MISALIGNED_LOAD  4
#define CAUSE_LOAD_ACCESS      5
#define CAUSE_MISALIGNED_STORE 6
#define CAUSE_STORE_ACCESS     7
#define CAUSE_USER_ECALL       8
#define CAUSE_FETCH_PAGE_FAULT 12
#define CAUSE_LOAD_PAGE_FAULT  13
#define CAUSE_STORE_PAGE_FAULT 15

/* satp */
#define SATP_MODE_SV39  (8ull << 60)
#define SATP_ASID_SHIFT 44

#ifndef SELENE_EVA
static inline void sfence_vma_all(void)
{
	__asm__ volatile("sfence.vma" ::: "memory");
}

static inline void wfi(void)
{
	__asm__ volatile("wfi" ::: "memory");
}
#else /* Frama-C EVA (verify/frama-c, VERIFY_0104): no effect */
static inline void sfence_vma_all(void)
{
}

static inline void wfi(void)
{
}
#endif

#endif /* SELENE_ARCH_CSR_H */
