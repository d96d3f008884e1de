/*
 * Another thread in the caller's own address space and CSpace: a TCB and
 * an IPC-buffer Frame carved from an Untyped the caller holds, the buffer
 * mapped at an address where the caller already has a page table, a stack
 * the caller provides. The thread starts at fn(arg) on the given hart, at
 * priority 0 unless the caller sets one; returning from fn exits it.
 */
#ifndef SEL_LOCAL_THREAD_H
#define SEL_LOCAL_THREAD_H

#include <sel/thread.h>

/* What the caller provides; read once by sel_local_thread_start(). */
struct sel_local_thread {
	sel_cptr_t ut;      /* the Untyped its objects come from */
	sel_cptr_t cnode;   /* the caller's root CNode (addresses = slot indices) */
	sel_cptr_t vspace;  /* the caller's VSpace */
	uint64_t tcb_slot;  /* two free slots of that CNode: the TCB, then the buffer's Frame */
	uint64_t ipc_vaddr; /* a free page, its page table in place */
	uint64_t stack_top; /* 16-byte aligned */
	uint64_t hart;      /* affinity */
};

/* Creates and starts the thread; its TCB is in slot t->tcb_slot. */
int sel_local_thread_start(const struct sel_local_thread *t, void (*fn)(uint64_t), uint64_t arg);

#endif /* SEL_LOCAL_THREAD_H */
