/* The kernel console: a polled 16550 UART (its address comes from the DT). */
#ifndef SELENE_ARCH_CONSOLE_H
#define SELENE_ARCH_CONSOLE_H

void console_putc(char c);

#endif /* SELENE_ARCH_CONSOLE_H */
