/* The PLIC (QEMU virt layout: S-mode context of hart h is 2h + 1); see plic.h. */
#include "arch/riscv/plic.h"
#include "arch/riscv/hart.h"
#include "arch/riscv/machine.h"
#include "arch/riscv/memory.h"

#define PRIORITY(irq)   ((irq)*4u)
#define ENABLE(ctx)     (0x2000u + (ctx)*0x80u)
#define THRESHOLD(ctx)  (0x200000u + (ctx)*0x1000u)
#define CLAIM(ctx)      (0x200004u + (ctx)*0x1000u)
#define S_CONTEXT(hart) (2u * (uint32_t)(hart) + 1u)

static uint64_t target_hart;

static volatile uint32_t *reg(uint64_t off)
{
	return (volatile uint32_t *)phys_to_virt(machine.plic_base + off);
}

void plic_init_hart(uint64_t hartid)
{
	uint32_t ctx = S_CONTEXT(hartid);

	if (!machine.plic_base)
		return;
	for (uint32_t w = 0; w <= machine.plic_sources / 32; w++)
		*reg(ENABLE(ctx) + 4 * w) = 0;
	*reg(THRESHOLD(ctx)) = 0;
}

void plic_init(uint64_t hartid)
{
	target_hart = hartid;
}

void plic_enable(uint32_t irq, bool on)
{
	volatile uint32_t *en = reg(ENABLE(S_CONTEXT(target_hart)) + 4 * (irq / 32));

	if (!machine.plic_base || irq == 0 || irq > machine.plic_sources)
		return;
	*reg(PRIORITY(irq)) = on ? 1 : 0;
	if (on)
		*en |= 1u << (irq % 32);
	else
		*en &= ~(1u << (irq % 32));
}

uint32_t plic_claim(void)
{
	return machine.plic_base ? *reg(CLAIM(S_CONTEXT(this_hart()->id))) : 0;
}

void plic_complete(uint32_t irq)
{
	if (machine.plic_base)
		*reg(CLAIM(S_CONTEXT(target_hart))) = irq;
}
