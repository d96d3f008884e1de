/*
 * Thread control block.
 *
 * A TCB is a thread: its saved user context (at offset 0, so a context
 * pointer is a TCB pointer), its address space, its scheduling state and,
 * until fault endpoints exist, a debug fault handler. Fields other than the
 * context are read and written only under the big kernel lock; the context
 * is written by trap entry on the hart the thread runs on.
 *
 * A TCB object (2^11 bytes, from Untyped) holds this struct in its first
 * 1024 bytes and CAP_TCB_SLOTS capability slots after it; slot 0 is the
 * thread's CSpace root (object/objects.c: tcb_cspace_root).
 *
 * Invariants: state == TCB_RUNNING iff the thread is some hart's `current`;
 * state == TCB_READY iff it is on exactly one hart's ready queue; a thread
 * is READY or RUNNING only with a CNode in its CSpace slot and a VSpace in
 * its VSpace slot (the scheduler reads the address space from the slot at
 * every switch, so deleting that cap stops the thread at once).
 */
#ifndef SELENE_OBJECT_TCB_H
#define SELENE_OBJECT_TCB_H

#include "arch/riscv/context.h"
#include "lib/types.h"

enum tcb_state {
	TCB_INACTIVE = 0, /* never started, suspended, exited or faulted */
	TCB_READY,
	TCB_RUNNING,
	TCB_BLOCKED,
	TCB_DEAD, /* its object is being destroyed */
};

/* The capability slots inside a TCB object. */
enum tcb_slot {
	TCB_SLOT_CSPACE = 0,     /* CNode: the thread's CSpace root */
	TCB_SLOT_VSPACE = 1,     /* VSpace: its address space */
	TCB_SLOT_IPC_BUFFER = 2, /* Frame holding its IPC buffer (optional) */
};

struct tcb {
	struct context ctx; /* must stay first: trap entry treats it as the TCB */
	enum tcb_state state;
	uint32_t hart_affinity;
	struct tcb *next;     /* ready-queue link */
	uint32_t priority;    /* 0-255; scheduling by priority comes with SMP scheduling */
	uint32_t stop_reason; /* enum sel_stop_reason, while INACTIVE */
	uint64_t stop_code;   /* exit code, or fault cause */
	uint64_t fault_pc;
	uint64_t fault_addr;
	uint64_t ipc_buffer;       /* user address of the IPC buffer (slot TCB_SLOT_IPC_BUFFER) */
	uint64_t fault_handler_pc; /* 0: a fault stops the thread */
	uint64_t fault_handler_sp;
	bool in_fault_handler;
	char name[16];
};

_Static_assert(__builtin_offsetof(struct tcb, ctx) == 0, "context first");
/* A TCB object is 2 KiB: this struct, then CAP_TCB_SLOTS slots at 1024. */
#define TCB_STRUCT_MAX 1024
_Static_assert(sizeof(struct tcb) <= TCB_STRUCT_MAX, "struct tcb below the TCB's slots");

#endif /* SELENE_OBJECT_TCB_H */
