/*
 * Thread control block.
 *
 * A TCB is a thread: its saved user context (at offset 0, so a context
 * pointer is a TCB pointer), its address space, its scheduling state and,
 * until fault endpoints exist, a debug fault handler. Fields other than the
 * context are read and written only under the big kernel lock; the context
 * is written by trap entry on the hart the thread runs on.
 *
 * Invariants: state == TCB_RUNNING iff the thread is some hart's `current`;
 * state == TCB_READY iff it is on exactly one hart's ready queue;
 * `vspace_root` is a page-aligned physical address of an Sv39 root table
 * whose upper half is the kernel's.
 */
#ifndef SELENE_OBJECT_TCB_H
#define SELENE_OBJECT_TCB_H

#include "arch/riscv/context.h"
#include "lib/types.h"

enum tcb_state {
	TCB_INACTIVE = 0,
	TCB_READY,
	TCB_RUNNING,
	TCB_BLOCKED,
	TCB_DEAD,
};

struct tcb {
	struct context ctx; /* must stay first: trap entry treats it as the TCB */
	enum tcb_state state;
	uint32_t hart_affinity;
	struct tcb *next; /* ready-queue link */
	paddr_t vspace_root;
	uint64_t asid;
	uint64_t fault_handler_pc; /* 0: a fault kills the thread */
	uint64_t fault_handler_sp;
	bool in_fault_handler;
	char name[16];
};

_Static_assert(__builtin_offsetof(struct tcb, ctx) == 0, "context first");

#endif /* SELENE_OBJECT_TCB_H */
