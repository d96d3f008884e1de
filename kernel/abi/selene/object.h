/*
 * Kernel object types and capability rights, as user space sees them.
 *
 * Identify reports a cap's type as one of enum sel_object_type and its
 * rights as a mask of enum sel_right. Numbers are stable ABI.
 */
#ifndef SELENE_ABI_OBJECT_H
#define SELENE_ABI_OBJECT_H

enum sel_object_type {
	SEL_OBJ_NULL = 0, /* an empty slot */
	SEL_OBJ_UNTYPED = 1,
	SEL_OBJ_CNODE = 2,
	SEL_OBJ_TCB = 3,
	SEL_OBJ_ENDPOINT = 4,
	SEL_OBJ_NOTIFICATION = 5,
	SEL_OBJ_FRAME = 6,
	SEL_OBJ_PAGE_TABLE = 7,
	SEL_OBJ_VSPACE = 8,
	SEL_OBJ_ASID_CONTROL = 9,
	SEL_OBJ_ASID_POOL = 10,
	SEL_OBJ_IRQ_CONTROL = 11,
	SEL_OBJ_IRQ_HANDLER = 12,
	SEL_OBJ_UINTR_RECEIVER = 13,
	SEL_OBJ_UINTR_SENDER = 14,
	SEL_OBJ_WINDOW = 15,
	SEL_OBJ_DEBUG = 16, /* the debug channel: console, shutdown, counters, benchmarks */
	SEL_OBJ_TYPE_COUNT
};

/* Rights. Mint and Copy intersect; nothing ever adds a right. */
enum sel_right {
	SEL_RIGHT_READ = 1u << 0,
	SEL_RIGHT_WRITE = 1u << 1,
	SEL_RIGHT_GRANT = 1u << 2,
	SEL_RIGHT_GRANT_REPLY = 1u << 3,
	SEL_RIGHT_EXECUTE = 1u << 4, /* frames and windows: may be mapped X */
	SEL_RIGHTS_ALL = 0x1fu
};

/*
 * On a debug cap (SEL_OBJ_DEBUG) the same five bits name its services, one
 * right each (docs/capabilities.md); Mint and Copy intersect them as ever.
 * The root task receives SEL_DEBUG_RIGHTS_ALL; test processes get Write.
 */
enum sel_debug_right {
	SEL_DEBUG_RIGHT_INFO = SEL_RIGHT_READ,         /* counters and kernel facts */
	SEL_DEBUG_RIGHT_WRITE = SEL_RIGHT_WRITE,       /* the kernel console */
	SEL_DEBUG_RIGHT_SHUTDOWN = SEL_RIGHT_GRANT,    /* power the machine off */
	SEL_DEBUG_RIGHT_BENCH = SEL_RIGHT_GRANT_REPLY, /* benchmark windows */
	SEL_DEBUG_RIGHT_CHECK = SEL_RIGHT_EXECUTE,     /* the invariant checker */
	SEL_DEBUG_RIGHTS_ALL = SEL_RIGHTS_ALL
};

/*
 * Thread priorities are 0 (lowest) .. SEL_PRIORITIES - 1 (highest). Each
 * thread also has a maximum controlled priority (MCP): the highest priority
 * or MCP it can give any thread when named as the authority of
 * SEL_TCB_SET_PRIORITY / SEL_TCB_SET_MCP. A new thread has priority 0 and
 * MCP 0; the root task's thread starts with MCP SEL_PRIORITIES - 1.
 */
#define SEL_PRIORITIES 256

/* What SEL_TCB_GET_STATE reports. */
enum sel_thread_state {
	SEL_THREAD_INACTIVE = 0, /* never started, suspended, exited or faulted */
	SEL_THREAD_RUNNABLE = 1, /* ready or running */
	SEL_THREAD_BLOCKED = 2,
};

enum sel_stop_reason {
	SEL_STOP_NONE = 0,      /* running, or never started */
	SEL_STOP_SUSPENDED = 1, /* by SEL_TCB_SUSPEND */
	SEL_STOP_EXITED = 2,    /* by SEL_SYS_EXIT: code reported */
	SEL_STOP_FAULTED = 3,   /* by a fault nobody handled: cause, pc, address reported */
};

#ifndef __ASSEMBLER__
#include <stdint.h>
/* Registers as SEL_TCB_READ/WRITE_REGISTERS move them: pc, then x1-x31. */
struct sel_user_regs {
	uint64_t pc;
	uint64_t x[31]; /* x[0] is x1 (ra), x[1] is x2 (sp), ... */
};
#endif

#endif /* SELENE_ABI_OBJECT_H */
