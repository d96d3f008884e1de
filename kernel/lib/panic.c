/*
 * panic: report and stop.
 *
 * The report is one block of lines beginning "PANIC" (the test harness looks
 * for it): the message, then hart, scause, sepc, stval and the current
 * thread. The console lock is broken first, since the failing hart may hold
 * it, and the UART is taken back from a user-mode console driver that owns
 * it (console_panicking). The exit status is 1 through the QEMU test finisher.
 * The thread is named through a hook, so lib/ knows nothing of threads.
 */
#include <stdarg.h>
#include "lib/panic.h"
#include "lib/printk.h"
#include "arch/riscv/csr.h"
#include "arch/riscv/hart.h"
#include "arch/riscv/machine.h"
#include "lib/spinlock.h"

extern struct spinlock console_lock;

NORETURN void panic(const char *fmt, ...)
{
	va_list ap;
	struct hart *h = this_hart();

	__atomic_store_n(&console_panicking, true, __ATOMIC_RELAXED);
	spin_unlock(&console_lock);
	printk("PANIC: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\nPANIC: hart %lu scause 0x%lx sepc 0x%lx stval 0x%lx thread %s\n", h ? h->id : 0ul,
	       csr_read(scause), csr_read(sepc), csr_read(stval),
	       h ? panic_thread_name(h) : "(none)");
	machine_exit(1);
}
