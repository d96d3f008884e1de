/*
 * The QEMU virt machine's fixed devices the kernel keeps: the test finisher
 * (exit with a status), the console UART until a user driver takes it, and
 * their addresses as found in the device tree, and where RAM is (the only
 * memory the kernel reads or writes on a process's behalf).
 */
#ifndef SELENE_ARCH_MACHINE_H
#define SELENE_ARCH_MACHINE_H

#include "lib/types.h"
#include <selene/bootinfo.h>

struct machine {
	paddr_t uart_base;
	paddr_t finisher_base; /* sifive,test: 0 when absent */
	paddr_t plic_base;
	uint64_t plic_size;
	uint32_t plic_sources; /* riscv,ndev */
	paddr_t clint_base;
	paddr_t aclint_sswi_base; /* 0 when the machine has no ACLINT SSWI */
	uint64_t timebase_hz;
	uint32_t n_ram; /* RAM ranges from the device tree, [base, end) */
	struct {
		paddr_t base, end;
	} ram[SEL_BOOTINFO_MAX_MEM];
};

extern struct machine machine;

/*
 * True if [pa, pa + len) lies in one RAM range: not device memory, whose
 * registers have side effects and whose unbacked holes fault.
 */
bool machine_is_ram(paddr_t pa, uint64_t len);

/* Exits QEMU: code 0 is success. Falls back to SBI shutdown. */
NORETURN void machine_exit(uint32_t code);

#endif /* SELENE_ARCH_MACHINE_H */
