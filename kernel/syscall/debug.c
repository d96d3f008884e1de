/*
 * The debug channel: console output for user space until a user-mode
 * console driver exists, machine shutdown, the stand-in fault handler, and
 * benchmark windows.
 *
 * A benchmark window (SEL_BENCH_BEGIN .. SEL_BENCH_END) zeroes this hart's
 * counters of timer ticks, wfi entries, sfence.vma and satp writes, and
 * keeps the preemption timer quiet; END returns the counts so the harness
 * can reject a disturbed window.
 */
#include "syscall/syscall.h"
#include "syscall/user_memory.h"
#include "arch/riscv/hart.h"
#include "arch/riscv/machine.h"
#include "arch/riscv/sbi.h"
#include "arch/riscv/timer.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "sched/scheduler.h"
#include "object/objects.h"
#include <selene/error.h>
#include <selene/syscall.h>

#define DEBUG_WRITE_MAX 4096u

extern volatile uint32_t harts_online;

int sys_debug_putc(struct tcb *t, struct syscall_args *args)
{
	char c = (char)args->a[0];

	(void)t;
	console_write(&c, 1);
	return SEL_OK;
}

int sys_debug_write(struct tcb *t, struct syscall_args *args)
{
	uaddr_t src = uaddr(args->a[0]);
	size_t len = args->a[1];
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

int sys_debug_shutdown(struct tcb *t, struct syscall_args *args)
{
	(void)t;
	printk("selene: shutdown requested, exit code %lu\n", args->a[0]);
	machine_exit((uint32_t)args->a[0]);
}

int sys_debug_fault_handler(struct tcb *t, struct syscall_args *args)
{
	t->fault_handler_pc = args->a[0];
	t->fault_handler_sp = args->a[1];
	t->in_fault_handler = false;
	return SEL_OK;
}

int sys_debug_fault_done(struct tcb *t, struct syscall_args *args)
{
	(void)args;
	if (!t->in_fault_handler)
		return SEL_ERR_ILLEGAL_OP;
	t->in_fault_handler = false;
	return SEL_OK;
}

int sys_debug_bench(struct tcb *t, struct syscall_args *args)
{
	struct hart *h = this_hart();

	(void)t;
	switch (args->a[0]) {
	case SEL_BENCH_BEGIN:
		memset(&h->bench, 0, sizeof(h->bench));
		h->bench_window = true;
		return SEL_OK;
	case SEL_BENCH_END:
		h->bench_window = false;
		args->out[1] = h->bench.ticks;
		args->out[2] = h->bench.wfi;
		args->out[3] = h->bench.fences;
		args->out[4] = h->bench.satp_writes;
		args->out[5] = h->bench.ipc_calls;
		args->out[6] = h->bench.fastpath;
		return SEL_OK;
	default:
		return SEL_ERR_INVALID_ARG;
	}
}

int sys_debug_info(struct tcb *t, struct syscall_args *args)
{
	struct hart *h = this_hart();

	(void)t;
	switch (args->a[0]) {
	case SEL_INFO_TICKS:
		args->out[1] = h->ticks;
		return SEL_OK;
	case SEL_INFO_HART_ID:
		args->out[1] = h->id;
		return SEL_OK;
	case SEL_INFO_HARTS_ONLINE:
		args->out[1] = harts_online;
		return SEL_OK;
	case SEL_INFO_DEBUG_KERNEL:
		args->out[1] = invariants_built_in;
		return SEL_OK;
	case SEL_INFO_IPC_CALLS:
	case SEL_INFO_FASTPATH:
		for (uint32_t i = 0; i < SEL_MAX_HARTS; i++)
			args->out[1] += args->a[0] == SEL_INFO_IPC_CALLS ? harts[i].ipc_calls
			                                                 : harts[i].fastpath;
		return SEL_OK;
	case SEL_INFO_SBI_CALLS:
		args->out[1] = __atomic_load_n(&sbi_calls_made, __ATOMIC_RELAXED);
		return SEL_OK;
	default:
		return SEL_ERR_INVALID_ARG;
	}
}
