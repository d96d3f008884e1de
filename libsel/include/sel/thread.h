/*
 * Threads and address spaces: TCB, VSpace, PageTable and Frame invocations.
 */
#ifndef SEL_THREAD_H
#define SEL_THREAD_H

#include <sel/cap.h>

static inline int sel_tcb_configure(sel_cptr_t tcb, sel_cptr_t cspace, sel_cptr_t vspace,
                                    sel_cptr_t ipc_frame, uint64_t ipc_vaddr)
{
	return sel_invoke_tcb_configure(tcb, cspace, vspace, ipc_frame, ipc_vaddr);
}

static inline int sel_tcb_read_registers(sel_cptr_t tcb, struct sel_user_regs *regs)
{
	return sel_invoke_tcb_read_registers(tcb, (uint64_t)regs);
}

static inline int sel_tcb_write_registers(sel_cptr_t tcb, const struct sel_user_regs *regs)
{
	return sel_invoke_tcb_write_registers(tcb, (uint64_t)regs);
}

static inline int sel_tcb_resume(sel_cptr_t tcb)
{
	return sel_invoke_tcb_resume(tcb);
}

static inline int sel_tcb_suspend(sel_cptr_t tcb)
{
	return sel_invoke_tcb_suspend(tcb);
}

/* Priority and MCP of tcb, each at most the MCP of the TCB `authority` (<selene/object.h>). */
static inline int sel_tcb_set_priority(sel_cptr_t tcb, sel_cptr_t authority, uint64_t prio)
{
	return sel_invoke_tcb_set_priority(tcb, prio, authority);
}

static inline int sel_tcb_set_mcp(sel_cptr_t tcb, sel_cptr_t authority, uint64_t mcp)
{
	return sel_invoke_tcb_set_mcp(tcb, mcp, authority);
}

static inline int sel_tcb_set_affinity(sel_cptr_t tcb, uint64_t hart)
{
	return sel_invoke_tcb_set_affinity(tcb, hart);
}

/* Faults and the exit of the thread go to ep as IPC (0: none). */
static inline int sel_tcb_set_fault_endpoint(sel_cptr_t tcb, sel_cptr_t ep)
{
	return sel_invoke_tcb_set_fault_endpoint(tcb, ep);
}

static inline int sel_tcb_bind_notification(sel_cptr_t tcb, sel_cptr_t ntfn)
{
	return sel_invoke_tcb_bind_notification(tcb, ntfn);
}

static inline int sel_tcb_unbind_notification(sel_cptr_t tcb)
{
	return sel_invoke_tcb_unbind_notification(tcb);
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
	struct sel_tcb_get_state_result r = {0};
	int err = sel_invoke_tcb_get_state(tcb, &r);

	*st = (struct sel_thread_info){r.state, r.reason, r.code, r.pc, r.addr, r.tid};
	return err;
}

/* How a thread is scheduled (TCB GetSched, Read right). */
struct sel_thread_sched {
	uint64_t priority, mcp, hart;
};

static inline int sel_tcb_get_sched(sel_cptr_t tcb, struct sel_thread_sched *s)
{
	struct sel_tcb_get_sched_result r = {0};
	int err = sel_invoke_tcb_get_sched(tcb, &r);

	*s = (struct sel_thread_sched){r.priority, r.mcp, r.hart};
	return err;
}

static inline int sel_page_table_map(sel_cptr_t pt, sel_cptr_t vspace, uint64_t vaddr)
{
	return sel_invoke_page_table_map(pt, vspace, vaddr);
}

static inline int sel_page_table_unmap(sel_cptr_t pt)
{
	return sel_invoke_page_table_unmap(pt);
}

static inline int sel_frame_map(sel_cptr_t frame, sel_cptr_t vspace, uint64_t vaddr,
                                uint32_t rights)
{
	return sel_invoke_frame_map(frame, vspace, vaddr, (uint8_t)rights);
}

static inline int sel_frame_unmap(sel_cptr_t frame)
{
	return sel_invoke_frame_unmap(frame);
}

/* The in-thread debug fault handler (pc 0: none), tried before the fault endpoint. */
static inline int sel_tcb_set_fault_handler(sel_cptr_t tcb, uint64_t pc, uint64_t sp)
{
	return sel_invoke_tcb_set_fault_handler(tcb, pc, sp);
}

struct sel_frame_info {
	uint64_t paddr, size_bits;
	uint64_t mapped; /* the address it is mapped at, 0: not mapped */
};

static inline int sel_frame_info(sel_cptr_t frame, struct sel_frame_info *info)
{
	struct sel_frame_info_result r = {0};
	int err = sel_invoke_frame_info(frame, &r);

	*info = (struct sel_frame_info){r.paddr, r.size_bits, r.mapped};
	return err;
}

/* The ASID of a VSpace. */
static inline int sel_vspace_info(sel_cptr_t vspace, uint64_t *asid)
{
	struct sel_vspace_info_result r = {0};
	int err = sel_invoke_vspace_info(vspace, &r);

	*asid = r.asid;
	return err;
}

/* ASIDs in use and in all (the ASID control cap). */
static inline int sel_asid_control_info(sel_cptr_t ctl, uint64_t *in_use, uint64_t *total)
{
	struct sel_asid_control_info_result r = {0};
	int err = sel_invoke_asid_control_info(ctl, &r);

	*in_use = r.in_use;
	*total = r.total;
	return err;
}

/* Terminates the calling thread with `code` (see libsel/src/exit.c). */
__attribute__((noreturn)) void sel_exit(int code);

#endif /* SEL_THREAD_H */
