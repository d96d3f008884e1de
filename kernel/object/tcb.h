/*
 * Thread control block.
 *
 * A TCB is a thread: its saved user context (at offset 0, so a context
 * pointer is a TCB pointer), its address space, its scheduling state, its
 * IPC state (kernel/ipc/) and an optional debug fault handler. Fields other
 * than the context are read and written only under the big kernel lock;
 * the context is written by trap entry on the hart the thread runs on.
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
 * IPC: state is BLOCKED_SEND, BLOCKED_RECV or BLOCKED_NTFN iff the thread
 * is on the queue of the object `blocked_on` (linked by ipc_next/ipc_prev);
 * BLOCKED_REPLY iff `replier` is non-NULL, and then replier->reply_to is
 * this thread (the reply capability, one per server, used once).
 */
#ifndef SELENE_OBJECT_TCB_H
#define SELENE_OBJECT_TCB_H

#include "arch/riscv/context.h"
#include "arch/riscv/fpu.h"
#include "lib/types.h"
#include <selene/uintr.h>

enum tcb_state {
	TCB_INACTIVE = 0, /* never started, suspended, exited or faulted */
	TCB_READY,
	TCB_RUNNING,
	TCB_BLOCKED_SEND,  /* queued on an endpoint with a message (Send, Call, fault, exit) */
	TCB_BLOCKED_RECV,  /* queued on an endpoint in Recv */
	TCB_BLOCKED_REPLY, /* its Call (or fault) was received: waits for the reply */
	TCB_BLOCKED_NTFN,  /* queued on a notification in Wait */
	TCB_BLOCKED_UINTR, /* waits for a user interrupt (UINTR_WAIT) */
	TCB_DEAD,          /* its object is being destroyed */
};

static inline bool tcb_state_blocked(enum tcb_state s)
{
	return s >= TCB_BLOCKED_SEND && s <= TCB_BLOCKED_UINTR;
}

/* What a BLOCKED_SEND or BLOCKED_REPLY thread is doing (tcb.ipc_flags). */
enum ipc_flag {
	IPC_CALL = 1u << 0,          /* wants a reply */
	IPC_GRANT = 1u << 1,         /* its cap had Grant (caps may go with the message) */
	IPC_FAULT = 1u << 2,         /* the message is its fault; the reply resumes it */
	IPC_EXIT = 1u << 3,          /* the message is its exit; no reply */
	IPC_FAULT_SYSCALL = 1u << 4, /* the fault is an unknown syscall */
};

/* The capability slots inside a TCB object. */
enum tcb_slot {
	TCB_SLOT_CSPACE = 0,     /* CNode: the thread's CSpace root */
	TCB_SLOT_VSPACE = 1,     /* VSpace: its address space */
	TCB_SLOT_IPC_BUFFER = 2, /* Frame holding its IPC buffer (optional) */
	TCB_SLOT_FAULT_EP = 3,   /* Endpoint its faults and exit go to (optional) */
	TCB_SLOT_UITT = 4,       /* 4..15: its user-interrupt sender table (copies of senders) */
};

struct endpoint;
struct uintr_receiver;
struct notification;
struct cte;
struct hart;
struct sel_ipc_buffer;

struct tcb {
	struct context ctx; /* must stay first: trap entry treats it as the TCB */
	enum tcb_state state;
	uint32_t hart_affinity;
	struct tcb *next;     /* ready-queue link */
	uint32_t priority;    /* 0 .. SEL_PRIORITIES - 1, higher runs first */
	uint32_t mcp;         /* maximum controlled priority: what it may give as authority */
	uint32_t stop_reason; /* enum sel_stop_reason, while INACTIVE */
	uint64_t stop_code;   /* exit code, or fault cause */
	uint64_t fault_pc;
	uint64_t fault_addr;
	uint64_t ipc_buffer;       /* user address of the IPC buffer (slot TCB_SLOT_IPC_BUFFER) */
	uint64_t fault_handler_pc; /* 0: a fault stops the thread */
	uint64_t fault_handler_sp;
	bool in_fault_handler;
	char name[16];
	uint64_t tid; /* thread id (GetState a6, the info page); never reused */
	/* IPC (kernel/ipc/). */
	struct tcb *ipc_next, *ipc_prev; /* queue of blocked_on */
	void *blocked_on;                /* the endpoint or notification it is queued on */
	uint64_t ipc_badge;              /* BLOCKED_SEND: badge of the cap it sends through */
	uint32_t ipc_flags;              /* BLOCKED_SEND/REPLY: enum ipc_flag; RECV: IPC_GRANT */
	bool reply_grant;                /* the reply it owes may carry caps */
	uint64_t fault_cause;            /* the fault being sent (IPC_FAULT) */
	struct tcb *reply_to;            /* the caller it owes a reply (the reply cap) */
	struct tcb *replier;             /* BLOCKED_REPLY: the thread owing it the reply */
	struct notification *bound;      /* notification bound to it */
	/* The lease of its current Call (ipc/lease.c); lease_len 0: none. */
	uint64_t lease_base, lease_len;
	uint32_t lease_rights;
	bool lease_fwd; /* base is an offset into the lease of its own caller */
	/* Floating point (arch/riscv/fpu.h): saved registers, valid while not running. */
	struct fpu_state fpu;
	struct hart *fpu_hart; /* the hart whose FPU last held its registers */
	/* User interrupts (ipc/uintr.h). */
	struct uintr_receiver *uintr; /* its receiver (bound by Register) */
	uint64_t uintr_handler, uintr_stack, uintr_arg;
	bool uintr_in_handler; /* diverted, uret not yet called */
	bool uintr_fpu_fresh;  /* had no FP state (fpu_hart NULL) at its last diversion, set at
	                          each; read by uret only while uintr_in_handler: it then
	                          discards whatever FP state the handler made */
	bool uintr_masked;
	/* Sender table: receiver address | vector, 0 when empty (atomic). */
	uint64_t uitt[SEL_UINTR_UITT_SIZE];
	uint64_t uintr_claim; /* BLOCKED_UINTR in UINTR_SEND_WAIT: the vectors its wake-up
	                         claims for a1 (no handler runs for them); 0 otherwise */
	/*
	 * The IPC fast path's view of this thread (ipc/fastpath.c), computed
	 * from its slots, uintr, hart_affinity and ipc_buffer by
	 * fastpath_refresh() and valid only while fast_epoch, bit 0 aside,
	 * equals tcb_fast_epoch (object/objects.h); bit 0 is set when the view
	 * was computed with more than one hart online, so fast_epoch ==
	 * tcb_fast_epoch says "valid, one hart" in one comparison (the
	 * lock-free copies of the fast paths and fast_entry.S's Signal and Poll
	 * test only that). Invalidated by advancing tcb_fast_epoch, which
	 * every invocation of a TCB, CNode, Untyped, debug or user-interrupt cap
	 * does (the only way a TCB slot, an affinity, an IPC buffer or a
	 * receiver binding changes, and a CNode or VSpace goes away:
	 * objects.c: changes_views()), as does fastpath_init();
	 * uintr_unregister() clears fast_epoch. A fresh TCB is zeroed: never
	 * valid (the epoch starts at 2).
	 */
	uint64_t fast_epoch;
	struct cte *fast_slots; /* the flat CSpace root's slots; NULL: not flat, or fastpath off */
	uint64_t fast_base;     /* guard << radix: cptr - fast_base indexes fast_slots */
	uint64_t fast_limit;    /* 1 << radix: the slot count (0 with fast_slots NULL) */
	struct hart *fast_home; /* &harts[hart_affinity] if a direct switch may run it (a
	                           VSpace, no receiver, fastpath on); NULL otherwise */
	uint64_t fast_satp;     /* its VSpace's satp (struct vspace: satp); 0: no VSpace */
	struct sel_ipc_buffer *fast_buf; /* ipc_buffer(): NULL if none or a device frame */
	/*
	 * Its time slice (sched/scheduler.c): the `time` it has run since it last
	 * joined the back of its priority's queue. Charged whenever the scheduler
	 * takes the hart from it or looks at it (preemption, block, tick); at
	 * timer_slice() or more, the next preemption or tick sends it to the back.
	 */
	uint64_t slice_used;
};

_Static_assert(__builtin_offsetof(struct tcb, ctx) == 0, "context first");
/* A TCB object is 2 KiB: this struct, then CAP_TCB_SLOTS slots at 1024. */
#define TCB_STRUCT_MAX 1024
_Static_assert(sizeof(struct tcb) <= TCB_STRUCT_MAX, "struct tcb below the TCB's slots");

#endif /* SELENE_OBJECT_TCB_H */
