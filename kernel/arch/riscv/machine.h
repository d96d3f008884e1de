/*
 * The QEMU virt machine's fixed devices the kernel keeps: the test finisher
 * (exit with a status), the console UART until a user driver takes it, and
 * their addresses as found in the device tree.
 */
#ifndef SELENE_ARCH_MACHINE_H
#define SELENE_ARCH_MACHINE_H

#include "lib/types.h"

struct machine {
	paddr_t uart_base;
	paddr_t finisher_base; /* sifive,test: 0 when absent */
	paddr_t plic_base;
	uint64_t plic_size;
	uint32_t plic_sources; /* riscv,ndev */
	paddr_t clint_base;
	paddr_t aclint_sswi_base; /* 0 when the machine has no ACLINT SSWI */
	uint64_t timebase_hz;
};

extern struct machine machine;

/* Exits QEMU: code 0 is success. Falls back to SBI shutdown. */
NORETURN void machine_exit(uint32_t code);

#endif /* SELENE_ARCH_MACHINE_H */
