/*
 * LeaseRead and LeaseWrite: a server copies between its memory and the
 * lease of the call it serves (a0 = offset in the lease, a1 = its buffer,
 * a2 = length). No capability: the lease is reached through the reply the
 * caller is owed (ipc/lease.c states the rules).
 */
#include "syscall/syscall.h"
#include "ipc/ipc.h"

int sys_lease_read(struct tcb *t, struct syscall_args *args)
{
	return lease_copy(t, args->a[0], args->a[1], args->a[2], false);
}

int sys_lease_write(struct tcb *t, struct syscall_args *args)
{
	return lease_copy(t, args->a[0], args->a[1], args->a[2], true);
}
