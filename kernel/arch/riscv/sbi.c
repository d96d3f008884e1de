/* SBI calls: `ecall` to M-mode with the extension id in a7, function in a6. */
#include "arch/riscv/sbi.h"

#define SBI_EXT_LEGACY_PUTCHAR 0x01
#define SBI_EXT_IPI            0x735049
#define SBI_EXT_HSM            0x48534d
#define SBI_EXT_RFENCE         0x52464e43
#define SBI_EXT_SRST           0x53525354

uint64_t sbi_calls_made;    /* all harts, since boot (atomic) */
uint64_t sbi_remote_fences; /* of those, remote fences (atomic) */

struct sbiret sbi_call(uint64_t ext, uint64_t fid, uint64_t a0, uint64_t a1, uint64_t a2)
{
	register uint64_t r_a0 __asm__("a0") = a0;
	register uint64_t r_a1 __asm__("a1") = a1;
	register uint64_t r_a2 __asm__("a2") = a2;
	register uint64_t r_a6 __asm__("a6") = fid;
	register uint64_t r_a7 __asm__("a7") = ext;

	__atomic_fetch_add(&sbi_calls_made, 1, __ATOMIC_RELAXED);
	__asm__ volatile("ecall"
	                 : "+r"(r_a0), "+r"(r_a1)
	                 : "r"(r_a2), "r"(r_a6), "r"(r_a7)
	                 : "memory");
	return (struct sbiret){(long)r_a0, (long)r_a1};
}

void sbi_console_putchar(char c)
{
	sbi_call(SBI_EXT_LEGACY_PUTCHAR, 0, (uint8_t)c, 0, 0);
}

long sbi_hart_start(uint64_t hartid, paddr_t start, uint64_t opaque)
{
	return sbi_call(SBI_EXT_HSM, 0, hartid, start, opaque).error;
}

long sbi_hart_status(uint64_t hartid)
{
	struct sbiret r = sbi_call(SBI_EXT_HSM, 2, hartid, 0, 0);
	return r.error ? r.error : r.value;
}

long sbi_send_ipi(uint64_t hart_mask, uint64_t hart_mask_base)
{
	return sbi_call(SBI_EXT_IPI, 0, hart_mask, hart_mask_base, 0).error;
}

/* sbi_call passes three arguments; RFENCE's ASID form needs five. */
long sbi_remote_sfence_vma_asid(uint64_t hart_mask, uint64_t hart_mask_base, uint64_t start,
                                uint64_t size, uint64_t asid)
{
	register uint64_t r_a0 __asm__("a0") = hart_mask;
	register uint64_t r_a1 __asm__("a1") = hart_mask_base;
	register uint64_t r_a2 __asm__("a2") = start;
	register uint64_t r_a3 __asm__("a3") = size;
	register uint64_t r_a4 __asm__("a4") = asid;
	register uint64_t r_a6 __asm__("a6") = 2; /* remote_sfence_vma_asid */
	register uint64_t r_a7 __asm__("a7") = SBI_EXT_RFENCE;

	__atomic_fetch_add(&sbi_calls_made, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&sbi_remote_fences, 1, __ATOMIC_RELAXED);
	__asm__ volatile("ecall"
	                 : "+r"(r_a0), "+r"(r_a1)
	                 : "r"(r_a2), "r"(r_a3), "r"(r_a4), "r"(r_a6), "r"(r_a7)
	                 : "memory");
	return (long)r_a0;
}

NORETURN void sbi_shutdown(void)
{
	sbi_call(SBI_EXT_SRST, 0, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}
