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
 * Decode checks the label and the right before anything happens; the
 * methods themselves cannot fail except on their arguments.
 */
#include "object/objects.h"
#include "syscall/user_memory.h"
#include "arch/riscv/hart.h"
#include "arch/riscv/machine.h"
#include "arch/riscv/sbi.h"
#include "arch/riscv/timer.h"
#include "lib/printk.h"
#include "lib/string.h"
#include <selene/error.h>
#include <selene/invocation.h>

#define DEBUG_WRITE_MAX 4096u

extern volatile uint32_t harts_online;

/* The right a debug-cap method needs, or 0 for a label the cap does not have. */
static uint32_t debug_right(uint64_t label)
{
	switch (label) {
	case SEL_DEBUG_PUTC:
	case SEL_DEBUG_WRITE:
		return SEL_DEBUG_RIGHT_WRITE;
	case SEL_DEBUG_SHUTDOWN:
		return SEL_DEBUG_RIGHT_SHUTDOWN;
	case SEL_DEBUG_INFO:
		return SEL_DEBUG_RIGHT_INFO;
	case SEL_DEBUG_BENCH:
		return SEL_DEBUG_RIGHT_BENCH;
	case SEL_DEBUG_CHECK_INVARIANTS:
	case SEL_DEBUG_CORRUPT_VSPACE:
		return SEL_DEBUG_RIGHT_CHECK;
	default:
		return 0;
	}
}

static int debug_write(struct tcb *t, uaddr_t src, size_t len)
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

static int debug_bench(uint64_t op, struct syscall_args *args)
{
	struct hart *h = this_hart();

	switch (op) {
	case SEL_BENCH_BEGIN:
		memset(&h->bench, 0, sizeof(h->bench));
		timer_bench_window(h, true);
		return SEL_OK;
	case SEL_BENCH_END:
		timer_bench_window(h, false);
		args->out[1] = h->bench.ticks;
		args->out[2] = h->bench.wfi;
		args->out[3] = h->bench.fences;
		args->out[4] = h->bench.satp_writes;
		args->out[5] = h->bench.ipc_calls;
		args->out[6] = h->bench.fastpath;
		return SEL_OK;
	case SEL_BENCH_WFI_STAMPS:
		args->out[1] = h->bench.wfi_stamps;
		return SEL_OK;
	default:
		return SEL_ERR_INVALID_ARG;
	}
}

static int debug_info(uint64_t what, struct syscall_args *args)
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
		args->out[1] = harts_online;
		return SEL_OK;
	case SEL_INFO_DEBUG_KERNEL:
		args->out[1] = invariants_built_in;
		return SEL_OK;
	case SEL_INFO_IPC_CALLS:
	case SEL_INFO_FASTPATH:
		for (uint32_t i = 0; i < SEL_MAX_HARTS; i++)
			args->out[1] +=
			    what == SEL_INFO_IPC_CALLS ? harts[i].ipc_calls : harts[i].fastpath;
		return SEL_OK;
	case SEL_INFO_SBI_CALLS:
		args->out[1] = __atomic_load_n(&sbi_calls_made, __ATOMIC_RELAXED);
		return SEL_OK;
	default:
		return SEL_ERR_INVALID_ARG;
	}
}

int debug_cap_decode(struct tcb *t, struct cte *dbg, struct syscall_args *args)
{
	uint64_t label = args->a[1];
	uint32_t need = debug_right(label);
	char c = (char)args->a[2];

	if (!need)
		return SEL_ERR_ILLEGAL_OP;
	if ((dbg->cap.rights & need) != need)
		return SEL_ERR_NO_RIGHTS;
	switch (label) {
	case SEL_DEBUG_PUTC:
		console_write(&c, 1);
		return SEL_OK;
	case SEL_DEBUG_WRITE:
		return debug_write(t, uaddr(args->a[2]), args->a[3]);
	case SEL_DEBUG_SHUTDOWN:
		printk("selene: shutdown requested, exit code %lu\n", args->a[2]);
		machine_exit((uint32_t)args->a[2]);
	case SEL_DEBUG_INFO:
		return debug_info(args->a[2], args);
	case SEL_DEBUG_BENCH:
		return debug_bench(args->a[2], args);
	case SEL_DEBUG_CORRUPT_VSPACE:
		return invariants_corrupt_vspace(t, args);
	default: /* SEL_DEBUG_CHECK_INVARIANTS */
		return invariants_check_now(args);
	}
}
