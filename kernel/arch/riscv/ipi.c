/* Cross-hart kicks: see ipi.h. */
#include "arch/riscv/ipi.h"
#include "arch/riscv/machine.h"
#include "arch/riscv/memory.h"
#include "arch/riscv/sbi.h"

void ipi_send(uint64_t hartid)
{
	if (machine.aclint_sswi_base) {
		volatile uint32_t *sswi = phys_to_virt(machine.aclint_sswi_base);
		sswi[hartid] = 1;
		return;
	}
	sbi_send_ipi(1ull << hartid, 0);
}
