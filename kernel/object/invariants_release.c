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

void invariants_after_syscall(void)
{
}

int debug_cap_decode(struct tcb *t, struct cte *dbg, struct syscall_args *args)
{
	(void)t;
	(void)dbg;
	return args->a[1] == SEL_DEBUG_CHECK_INVARIANTS || args->a[1] == SEL_DEBUG_CORRUPT_VSPACE
	           ? SEL_ERR_NOT_SUPPORTED
	           : SEL_ERR_ILLEGAL_OP;
}
