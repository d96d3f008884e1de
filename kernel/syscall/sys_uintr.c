/*
 * The user-interrupt syscalls that act on the calling thread alone, so take
 * no capability: UINTR_WAIT (block until a vector is pending),
 * UINTR_SEND_WAIT (a send, then that wait, claiming the vectors of a mask) and
 * UINTR_CTL (a0 = what: mask, unmask, uninstall a sender entry a1,
 * unregister the receiver, read the pending set into a1). The lock-free
 * send and uret are not handlers: ipc/uintr_fast.S, syscall_entry and
 * trap.c reach them in ipc/uintr.c directly; the assembly send's way into
 * C, uintr_send_finish(), is here.
 */
#include "syscall/syscall.h"
#include "arch/riscv/hart.h"
#include "ipc/uintr.h"
#include "ipc/uintr_fast.h"
#include "sched/scheduler.h"
#include <selene/error.h>
#include <selene/syscall.h>
#include <selene/uintr.h>

int sys_uintr_wait(struct tcb *t, struct syscall_args *args)
{
	(void)args;
	t->uintr_claim = 0;
	return uintr_wait(t);
}

int sys_uintr_send_wait(struct tcb *t, struct syscall_args *args)
{
	return uintr_send_wait(t, args->a[0], args->a[1], &args->out[1]);
}

int sys_uintr_ctl(struct tcb *t, struct syscall_args *args)
{
	switch (args->a[0]) {
	case SEL_UINTR_MASK:
		t->uintr_masked = true;
		return SEL_OK;
	case SEL_UINTR_UNMASK:
		t->uintr_masked = false;
		return SEL_OK;
	case SEL_UINTR_UNINSTALL:
		return uintr_uninstall(t, args->a[1]);
	case SEL_UINTR_UNREGISTER:
		uintr_unregister(t);
		return SEL_OK;
	case SEL_UINTR_PENDING:
		if (!t->uintr)
			return SEL_ERR_ILLEGAL_OP;
		args->out[1] = __atomic_load_n(&t->uintr->pending, __ATOMIC_ACQUIRE);
		return SEL_OK;
	default:
		return SEL_ERR_INVALID_ARG;
	}
}

NORETURN void uintr_send_finish(struct uintr_receiver *r)
{
	struct hart *h = this_hart();
	struct syscall_args args = {{0}, {0}};

	uintr_send_rest(h, r);
	kernel_lock_from_user(h);
	syscall_locked(SEL_SYS_UINTR_SEND, &args);
}
