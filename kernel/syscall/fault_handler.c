/*
 * The in-thread debug fault handler (tried before the fault endpoint;
 * libsel's sel_catch_fault uses it to test faults in-thread): a thread
 * registers a pc and a stack where its own faults are delivered
 * (<selene/syscall.h>), and says when its handler is done. Both act only on
 * the calling thread, so they take no capability, like Yield and Exit; the
 * same setting for another thread is SEL_TCB_SET_FAULT_HANDLER on its TCB.
 */
#include "syscall/syscall.h"
#include <selene/error.h>

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
