/*
 * Every system-call handler, gathered here: syscall.c dispatches on the
 * number in a7 to one of them. The handlers decode the argument words
 * (uaccess/syscall_args.h states the contract) and hand over to the
 * object, IPC or scheduler code below.
 */
#ifndef SELENE_SYSCALL_SYSCALL_H
#define SELENE_SYSCALL_SYSCALL_H

#include "object/tcb.h"
#include "uaccess/syscall_args.h"

typedef int (*syscall_fn)(struct tcb *t, struct syscall_args *args);

/* sys_ipc.c: the IPC syscalls (Call on an endpoint is ep_call, ipc/ipc.h). */
int sys_send(struct tcb *t, struct syscall_args *args);
int sys_nb_send(struct tcb *t, struct syscall_args *args);
int sys_recv(struct tcb *t, struct syscall_args *args);
int sys_nb_recv(struct tcb *t, struct syscall_args *args);
int sys_reply(struct tcb *t, struct syscall_args *args);
int sys_reply_recv(struct tcb *t, struct syscall_args *args);

/* sys_lease.c: the server's access to the lease of the call it serves. */
int sys_lease_read(struct tcb *t, struct syscall_args *args);
int sys_lease_write(struct tcb *t, struct syscall_args *args);

/* sys_uintr.c: waiting for a user interrupt, and the calling thread's controls. */
int sys_uintr_wait(struct tcb *t, struct syscall_args *args);
int sys_uintr_send_wait(struct tcb *t, struct syscall_args *args);
int sys_uintr_ctl(struct tcb *t, struct syscall_args *args);

/* fault_handler.c: the in-thread debug fault handler, calling thread only. */
int sys_debug_fault_handler(struct tcb *t, struct syscall_args *args);
int sys_debug_fault_done(struct tcb *t, struct syscall_args *args);

#endif /* SELENE_SYSCALL_SYSCALL_H */
