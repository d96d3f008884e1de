/*
 * Polled 16550 output for the kernel console.
 *
 * Before the device tree is read machine.uart_base is 0 and output goes
 * through the legacy SBI putchar, so even an early panic is visible.
 */
#include "arch/riscv/console.h"
#include "arch/riscv/machine.h"
#include "arch/riscv/memory.h"
#include "arch/riscv/sbi.h"

#define UART_THR      0
#define UART_LSR      5
#define UART_LSR_THRE 0x20

void console_putc(char c)
{
	if (!machine.uart_base) {
		sbi_console_putchar(c);
		return;
	}
	volatile uint8_t *uart = phys_to_virt(machine.uart_base);
	while (!(uart[UART_LSR] & UART_LSR_THRE))
		;
	uart[UART_THR] = (uint8_t)c;
}
