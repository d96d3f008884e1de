/*
 * The syscall path after trap_entry.S (Call, ReplyRecv, Yield, Signal and
 * Poll go to the fast paths of arch/riscv/fast_entry.S first, which come
 * here when they cannot finish them): take
 * the big lock, dispatch on the number in a7, write a0-a7 into the caller's context (the result words, or
 * zero; IPC handlers write them themselves), and leave through the
 * scheduler.
 *
 * SEL_SYS_CALL on a kernel object's capability is an invocation
 * (object/objects.c), on an endpoint an IPC Call (syscall/ipc.c). Unknown
 * numbers return SEL_ERR_UNKNOWN_SYSCALL, after a fault message to the
 * thread's fault endpoint if it has one. In
 * debug kernels the capability invariants are checked after the call
 * (object/invariants_debug.c).
 */
#include "syscall/syscall.h"
#include "arch/riscv/hart.h"
#include "arch/riscv/trap.h"
#include "ipc/ipc.h"
#include "ipc/uintr.h"
#include "lib/panic.h"
#include "object/objects.h"
#include "sched/scheduler.h"
#include <selene/error.h>
#include <selene/object.h>
#include <selene/syscall.h>

_Static_assert(SYS_NR_NULL == SEL_SYS_NULL, "trap_entry.S answers SEL_SYS_NULL");
_Static_assert(SYS_NR_REPLY_RECV == SEL_SYS_REPLY_RECV && SEL_SYS_CALL == 0,
               "trap_entry.S sends Call and ReplyRecv to the fastpath");
_Static_assert(SYS_NR_YIELD == SEL_SYS_YIELD, "trap_entry.S sends Yield to fast_entry.S");

static int sys_yield(struct tcb *t, struct syscall_args *args)
{
	(void)t;
	(void)args;
	sched_yield();
	return SEL_OK;
}

/* With a fault endpoint, the exit is a message there first. */
static int sys_exit(struct tcb *t, struct syscall_args *args)
{
	if (!exit_send(t, args->a[0]))
		sched_stop(t, SEL_STOP_EXITED, args->a[0]);
	return SYS_RESULT_WRITTEN;
}

/* An unknown number: SEL_ERR_UNKNOWN_SYSCALL, after a fault message if the
 * thread has a fault endpoint. */
static int unknown_syscall(struct tcb *t, uint64_t nr)
{
	ipc_set_result(t, SEL_ERR_UNKNOWN_SYSCALL);
	fault_send(t, SEL_FAULT_UNKNOWN_SYSCALL, nr, IPC_FAULT_SYSCALL);
	return SYS_RESULT_WRITTEN;
}

/* The lock-free send already ran and wrote its result; here to make ready a waiter of
 * this hart it woke (queued, not kicked) and to schedule. */
static int sys_uintr_send_done(struct tcb *t, struct syscall_args *args)
{
	(void)t;
	(void)args;
	uintr_drain(this_hart());
	return SYS_RESULT_WRITTEN;
}

static const syscall_fn syscall_table[SEL_SYS_COUNT] = {
    [SEL_SYS_EXIT] = sys_exit,
    [SEL_SYS_CALL] = invocation_call,
    [SEL_SYS_REPLY_RECV] = sys_reply_recv,
    [SEL_SYS_SEND] = sys_send,
    [SEL_SYS_NB_SEND] = sys_nb_send,
    [SEL_SYS_RECV] = sys_recv,
    [SEL_SYS_NB_RECV] = sys_nb_recv,
    [SEL_SYS_REPLY] = sys_reply,
    [SEL_SYS_YIELD] = sys_yield,
    [SEL_SYS_UINTR_SEND] = sys_uintr_send_done,
    [SEL_SYS_UINTR_WAIT] = sys_uintr_wait,
    [SEL_SYS_UINTR_CTL] = sys_uintr_ctl,
    [SEL_SYS_UINTR_SEND_WAIT] = sys_uintr_send_wait,
    [SEL_SYS_LEASE_READ] = sys_lease_read,
    [SEL_SYS_LEASE_WRITE] = sys_lease_write,
    [SEL_SYS_DEBUG_FAULT_HANDLER] = sys_debug_fault_handler,
    [SEL_SYS_DEBUG_FAULT_DONE] = sys_debug_fault_done,
};

NORETURN void syscall_entry(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                            uint64_t a5, uint64_t a6, uint64_t nr)
{
	struct syscall_args args = {.a = {a0, a1, a2, a3, a4, a5, a6}};

	if (nr == SEL_SYS_UINTR_SEND)
		uintr_send_entry(this_hart(), a0); /* lock-free; returns to finish here */
	kernel_lock_from_user(this_hart());
	syscall_locked(nr, &args);
}

/* The generic path, the big lock held (the IPC fastpath falls back here). */
NORETURN void syscall_locked(uint64_t nr, struct syscall_args *args)
{
	struct tcb *t = this_hart()->current;
	int err;

	if (!t) /* another hart took the thread away before the call began */
		sched_return_to_user();
	if (nr < SEL_SYS_COUNT && syscall_table[nr])
		err = syscall_table[nr](t, args);
	else
		err = unknown_syscall(t, nr);
	if (err != SYS_RESULT_WRITTEN && t->state != TCB_DEAD) {
		t->ctx.regs[REG_A0] = (uint64_t)err;
		for (int i = 1; i < 8; i++)
			t->ctx.regs[REG_A0 + i] = args->out[i];
	}
	invariants_after_syscall();
	sched_return_to_user();
}
