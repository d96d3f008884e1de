/*
 * Machine exit through the sifive,test finisher.
 *
 * Writing 0x5555 exits QEMU with status 0; (code << 16) | 0x3333 exits with
 * `code`. SBI SRST always exits 0, so it is only the fallback when the
 * device tree has no finisher.
 */
#include "arch/riscv/machine.h"
#include "arch/riscv/memory.h"
#include "arch/riscv/sbi.h"
#include "arch/riscv/csr.h"

struct machine machine;

NORETURN void machine_exit(uint32_t code)
{
	if (machine.finisher_base) {
		volatile uint32_t *fin = phys_to_virt(machine.finisher_base);
		*fin = code == 0 ? 0x5555u : ((code << 16) | 0x3333u);
	}
	sbi_shutdown();
	for (;;)
		wfi();
}

bool machine_is_ram(paddr_t pa, uint64_t len)
{
	for (uint32_t i = 0; i < machine.n_ram; i++)
		if (pa >= machine.ram[i].base && pa < machine.ram[i].end &&
		    len <= machine.ram[i].end - pa)
			return true;
	return false;
}
