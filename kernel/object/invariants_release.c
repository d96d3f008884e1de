/*
 * Release kernels: no invariant checker (see invariants_debug.c). The debug
 * capability's CheckInvariants answers SEL_ERR_NOT_SUPPORTED.
 */
#include "object/objects.h"
#include <selene/invocation.h>

const uint64_t invariants_built_in = 0;

void invariants_init(struct cdt *cdt, const char *bootargs)
{
	(void)cdt;
	(void)bootargs;
}

enum sel_error invariants_check_now(struct syscall_args *args)
{
	(void)args;
	return SEL_ERR_NOT_SUPPORTED;
}

enum sel_error invariants_corrupt_vspace(struct tcb *t, struct syscall_args *args)
{
	(void)t;
	(void)args;
	return SEL_ERR_NOT_SUPPORTED;
}
