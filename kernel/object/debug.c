/*
 * The debug capability: the kernel's console, machine shutdown, counters
 * and kernel facts, benchmark windows and the invariant checker. Nothing of
 * these is reachable without the cap; each needs its own right
 * (<selene/object.h>, enum sel_debug_right), so the root task, which
 * receives the one debug cap with every right at boot (SEL_SLOT_DEBUG),
 * hands each component only what it needs: a test process gets Write.
 *
 * A benchmark window (SEL_BENCH_BEGIN .. SEL_BENCH_END) zeroes this hart's
 * counters of timer ticks, wfi entries, sfence.vma and satp writes, and
 * keeps the preemption timer quiet (so equal priorities on this hart do
 * not take turns: that is why it needs its own right); END returns the
 * counts so the harness can reject a disturbed window.
 *
 * ConsoleHandOver gives the UART to a user-mode driver for good: the
 * caller proves it drives the UART by naming a Frame cap of the UART's
 * page; from then on Putc and Write answer SEL_ERR_BUSY and the kernel
 * prints only on panic (lib/printk.c, docs/console.md).
 *
 * objects.c checks the label and the right (idl/kernel/debug.idl) before
 * anything happens; the methods themselves cannot fail except on their
 * arguments, which each unpacks and checks before it acts.
 */
#include "object/objects.h"
#include "uaccess/user_memory.h"
#include "arch/riscv/hart.h"
#include "arch/riscv/machine.h"
#include "arch/riscv/memory.h"
#include "arch/riscv/sbi.h"
#include "arch/riscv/timer.h"
#include "lib/printk.h"
#include "lib/string.h"
#include <selene/error.h>
#include "kernel_unpack.h"
#include <selene/invocation.h>

#define DEBUG_WRITE_MAX 4096u

extern volatile uint32_t harts_up;

static enum sel_error debug_write(struct tcb *t, uaddr_t src, size_t len)
{
	char buf[256];

	if (len > DEBUG_WRITE_MAX)
		return SEL_ERR_RANGE;
	if (src.addr + len < src.addr)
		return SEL_ERR_BAD_ADDRESS;
	/* Check the whole range before printing any of it. */
	for (size_t off = 0; off < len; off += sizeof(buf)) {
		size_t n = len - off < sizeof(buf) ? len - off : sizeof(buf);
		if (copy_from_user(t, buf, uaddr(src.addr + off), n) != SEL_OK)
			return SEL_ERR_BAD_ADDRESS;
	}
	for (size_t off = 0; off < len; off += sizeof(buf)) {
		size_t n = len - off < sizeof(buf) ? len - off : sizeof(buf);
		copy_from_user(t, buf, uaddr(src.addr + off), n);
		console_write(buf, n);
	}
	return SEL_OK;
}

static enum sel_error debug_bench(uint64_t op, struct syscall_args *args)
{
	struct hart *h = this_hart();

	switch (op) {
	case SEL_BENCH_BEGIN:
		memset(&h->bench, 0, sizeof(h->bench));
		h->bench.ipc_calls = h->ipc_calls + h->fastpath; /* the counts at the start */
		h->bench.fastpath = h->fastpath;
		timer_bench_window(h, true);
		return SEL_OK;
	case SEL_BENCH_END:
		timer_bench_window(h, false);
		args->out[1] = h->bench.ticks;
		args->out[2] = h->bench.wfi;
		args->out[3] = h->bench.fences;
		args->out[4] = h->bench.satp_writes;
		args->out[5] = h->ipc_calls + h->fastpath - h->bench.ipc_calls;
		args->out[6] = h->fastpath - h->bench.fastpath;
		return SEL_OK;
	case SEL_BENCH_WFI_STAMPS:
		args->out[1] = h->bench.wfi_stamps;
		return SEL_OK;
	default:
		return SEL_ERR_INVALID_ARG;
	}
}

static enum sel_error debug_info(uint64_t what, struct syscall_args *args)
{
	struct hart *h = this_hart();

	switch (what) {
	case SEL_INFO_TICKS:
		args->out[1] = h->ticks;
		return SEL_OK;
	case SEL_INFO_HART_ID:
		args->out[1] = h->id;
		return SEL_OK;
	case SEL_INFO_HARTS_ONLINE:
		args->out[1] = harts_up;
		return SEL_OK;
	case SEL_INFO_DEBUG_KERNEL:
		args->out[1] = invariants_built_in;
		return SEL_OK;
	case SEL_INFO_IPC_CALLS:
	case SEL_INFO_FASTPATH:
		for (uint32_t i = 0; i < SEL_MAX_HARTS; i++)
			args->out[1] += harts[i].fastpath +
			                (what == SEL_INFO_IPC_CALLS ? harts[i].ipc_calls : 0);
		return SEL_OK;
	case SEL_INFO_SBI_CALLS:
		args->out[1] = __atomic_load_n(&sbi_calls_made, __ATOMIC_RELAXED);
		return SEL_OK;
	case SEL_INFO_STRETCH_MAX:
		args->out[1] = stretch_take_max();
		return SEL_OK;
	case SEL_INFO_TIMER_LATE_MAX:
		args->out[1] = timer_take_late_max();
		return SEL_OK;
	case SEL_INFO_STRETCH_TIME_MAX:
		args->out[1] = stretch_take_time_max();
		return SEL_OK;
	case SEL_INFO_REMOTE_FENCES:
		args->out[1] = __atomic_load_n(&sbi_remote_fences, __ATOMIC_RELAXED);
		return SEL_OK;
	default:
		return SEL_ERR_INVALID_ARG;
	}
}

static enum sel_error debug_putc(const uint64_t *a)
{
	struct debug_putc_args p = {0};
	enum sel_error err = debug_putc_unpack(a, &p);
	char c = (char)p.byte;

	if (err == SEL_OK)
		console_write(&c, 1);
	return err;
}

static enum sel_error debug_shutdown(const uint64_t *a)
{
	struct debug_shutdown_args d;
	enum sel_error err = debug_shutdown_unpack(a, &d);

	if (err != SEL_OK)
		return err;
	printk("selene: shutdown requested, exit code %u\n", d.code);
	machine_exit(d.code);
}

/* The caller names a Frame cap of the UART's page: the UART is its from now on. */
static enum sel_error debug_hand_over(struct tcb *t, const uint64_t *a)
{
	struct debug_console_hand_over_args h;
	enum sel_error err = debug_console_hand_over_unpack(t, a, &h);

	if (err != SEL_OK)
		return err;
	if (virt_to_phys((void *)(uintptr_t)h.uart->cap.object) !=
	    ALIGN_DOWN(machine.uart_base, PAGE_SIZE))
		return SEL_ERR_INVALID_ARG;
	printk("selene: the console UART is handed over to a user-mode driver; "
	       "the kernel prints only on panic from now on\n");
	console_hand_over();
	return SEL_OK;
}

/* objects.c checked the label and the right it needs. */
enum sel_error debug_cap_decode(struct tcb *t, struct cte *dbg, struct syscall_args *args)
{
	const uint64_t *a = args->a;
	struct debug_write_args w;
	struct debug_info_args i;
	struct debug_bench_args b;
	struct debug_corrupt_vspace_args cv;
	enum sel_error err;

	(void)dbg;
	if ((a[1] == SEL_DEBUG_PUTC || a[1] == SEL_DEBUG_WRITE) && console_handed_over())
		return SEL_ERR_BUSY;
	switch (a[1]) {
	case SEL_DEBUG_CONSOLE_HAND_OVER:
		return debug_hand_over(t, a);
	case SEL_DEBUG_PUTC:
		return debug_putc(a);
	case SEL_DEBUG_WRITE:
		err = debug_write_unpack(a, &w);
		return err != SEL_OK ? err : debug_write(t, uaddr(w.buf), w.length);
	case SEL_DEBUG_SHUTDOWN:
		return debug_shutdown(a);
	case SEL_DEBUG_INFO:
		err = debug_info_unpack(a, &i);
		return err != SEL_OK ? err : debug_info(i.what, args);
	case SEL_DEBUG_BENCH:
		err = debug_bench_unpack(a, &b);
		return err != SEL_OK ? err : debug_bench(b.op, args);
	case SEL_DEBUG_CORRUPT_VSPACE:
		err = debug_corrupt_vspace_unpack(a, &cv);
		return err != SEL_OK ? err : invariants_corrupt_vspace(t, args);
	default: /* SEL_DEBUG_CHECK_INVARIANTS */
		err = debug_check_invariants_unpack(a);
		return err != SEL_OK ? err : invariants_check_now(args);
	}
}
