/*
 * Threads and address spaces: TCB, VSpace, PageTable and Frame invocations.
 */
#ifndef SEL_THREAD_H
#define SEL_THREAD_H

#include <sel/cap.h>

static inline int sel_tcb_configure(sel_cptr_t tcb, sel_cptr_t cspace, sel_cptr_t vspace,
                                    sel_cptr_t ipc_frame, uint64_t ipc_vaddr)
{
	return sel_invoke(tcb, SEL_TCB_CONFIGURE, cspace, vspace, ipc_frame, ipc_vaddr, 0, 0);
}

static inline int sel_tcb_read_registers(sel_cptr_t tcb, struct sel_user_regs *regs)
{
	return sel_invoke(tcb, SEL_TCB_READ_REGISTERS, (uint64_t)regs, 0, 0, 0, 0, 0);
}

static inline int sel_tcb_write_registers(sel_cptr_t tcb, const struct sel_user_regs *regs)
{
	return sel_invoke(tcb, SEL_TCB_WRITE_REGISTERS, (uint64_t)regs, 0, 0, 0, 0, 0);
}

static inline int sel_tcb_resume(sel_cptr_t tcb)
{
	return sel_invoke(tcb, SEL_TCB_RESUME, 0, 0, 0, 0, 0, 0);
}

static inline int sel_tcb_suspend(sel_cptr_t tcb)
{
	return sel_invoke(tcb, SEL_TCB_SUSPEND, 0, 0, 0, 0, 0, 0);
}

/* Priority and MCP of tcb, each at most the MCP of the TCB `authority` (<selene/object.h>). */
static inline int sel_tcb_set_priority(sel_cptr_t tcb, sel_cptr_t authority, uint64_t prio)
{
	return sel_invoke(tcb, SEL_TCB_SET_PRIORITY, prio, authority, 0, 0, 0, 0);
}

static inline int sel_tcb_set_mcp(sel_cptr_t tcb, sel_cptr_t authority, uint64_t mcp)
{
	return sel_invoke(tcb, SEL_TCB_SET_MCP, mcp, authority, 0, 0, 0, 0);
}

static inline int sel_tcb_set_affinity(sel_cptr_t tcb, uint64_t hart)
{
	return sel_invoke(tcb, SEL_TCB_SET_AFFINITY, hart, 0, 0, 0, 0, 0);
}

/* Faults and the exit of the thread go to ep as IPC (0: none). */
static inline int sel_tcb_set_fault_endpoint(sel_cptr_t tcb, sel_cptr_t ep)
{
	return sel_invoke(tcb, SEL_TCB_SET_FAULT_ENDPOINT, ep, 0, 0, 0, 0, 0);
}

static inline int sel_tcb_bind_notification(sel_cptr_t tcb, sel_cptr_t ntfn)
{
	return sel_invoke(tcb, SEL_TCB_BIND_NOTIFICATION, ntfn, 0, 0, 0, 0, 0);
}

static inline int sel_tcb_unbind_notification(sel_cptr_t tcb)
{
	return sel_invoke(tcb, SEL_TCB_UNBIND_NOTIFICATION, 0, 0, 0, 0, 0, 0);
}

struct sel_thread_info {
	uint64_t state;  /* enum sel_thread_state */
	uint64_t reason; /* enum sel_stop_reason */
	uint64_t code;   /* exit code, or fault cause */
	uint64_t pc, addr;
	uint64_t tid; /* thread id, as the info page shows it (<selene/kinfo.h>) */
};

static inline int sel_tcb_get_state(sel_cptr_t tcb, struct sel_thread_info *st)
{
	struct sel_ret r;
	int err = sel_invoke(tcb, SEL_TCB_GET_STATE, 0, 0, 0, 0, 0, &r);
	*st = (struct sel_thread_info){r.v[0], r.v[1], r.v[2], r.v[3], r.v[4], r.v[5]};
	return err;
}

static inline int sel_page_table_map(sel_cptr_t pt, sel_cptr_t vspace, uint64_t vaddr)
{
	return sel_invoke(pt, SEL_PAGE_TABLE_MAP, vspace, vaddr, 0, 0, 0, 0);
}

static inline int sel_page_table_unmap(sel_cptr_t pt)
{
	return sel_invoke(pt, SEL_PAGE_TABLE_UNMAP, 0, 0, 0, 0, 0, 0);
}

static inline int sel_frame_map(sel_cptr_t frame, sel_cptr_t vspace, uint64_t vaddr,
                                uint32_t rights)
{
	return sel_invoke(frame, SEL_FRAME_MAP, vspace, vaddr, rights, 0, 0, 0);
}

static inline int sel_frame_unmap(sel_cptr_t frame)
{
	return sel_invoke(frame, SEL_FRAME_UNMAP, 0, 0, 0, 0, 0, 0);
}

/* Terminates the calling thread with `code` (see libsel/src/exit.c). */
__attribute__((noreturn)) void sel_exit(int code);

#endif /* SEL_THREAD_H */
