/*
 * TCB objects: their capability slots and their invocations.
 *
 * Configure copies the CSpace root, VSpace and IPC-buffer caps into the
 * TCB's own slots (as children of the caller's caps, so revoking those
 * takes them back and stops the thread). Resume makes a configured thread
 * runnable; Suspend stops it; GetState tells why a thread stopped (exit
 * code, or the fault's cause, pc and address), which is how a supervisor
 * learns of a child's end without a fault endpoint. SetFaultEndpoint copies
 * an endpoint cap into the TCB (faults and exit go there as IPC, ipc/);
 * Bind/UnbindNotification tie a notification to the thread's Recv. The
 * IPC buffer address must be aligned to SEL_IPC_BUFFER_ALIGN. Read/WriteRegisters
 * move a struct sel_user_regs through a user pointer (checked by
 * user_memory.c: SEL_ERR_BAD_ADDRESS for anything not mapped right).
 * Rights: Write to change the thread, Read to look at it.
 *
 * The kernel writes a thread's IPC buffer on its behalf (message words,
 * user-interrupt registers), so Configure takes only a Frame cap holding
 * Read and Write for it. Priorities are bounded by an authority: SetPriority
 * and SetMCP name a second TCB whose maximum controlled priority (MCP) the
 * new value may not exceed (seL4's rule), so a thread can never create or
 * raise a thread above the MCP of a TCB it holds.
 */
#include "object/objects.h"
#include "object/vspace.h"
#include "sched/scheduler.h"
#include "uaccess/user_memory.h"
#include "ipc/ipc.h"
#include "lib/string.h"
#include <selene/invocation.h>

paddr_t tcb_vspace_root(struct tcb *t)
{
	void *vs = tcb_vspace(t);

	return vs ? vspace_root_pa(vs) : 0;
}

/* Replaces TCB slot i with a copy of the cap at cptr (of type `type`). */
static int set_slot(struct tcb *caller, struct tcb *t, enum tcb_slot i, uint64_t cptr,
                    uint32_t type)
{
	struct cte *src, *dst = tcb_slot(t, i);
	int err = lookup_cap(caller, cptr, type, 0, &src);

	if (err != SEL_OK)
		return err;
	err = cdt_delete_unpreempted(dst);
	return err != SEL_OK ? err : (int)cdt_copy(&kernel_cdt, src, dst, SEL_RIGHTS_ALL);
}

/* Every cap Configure names, checked before anything changes. */
static int configure_check(struct tcb *caller, struct syscall_args *args)
{
	struct cte *c;
	int err = lookup_cap(caller, args->a[2], SEL_OBJ_CNODE, 0, &c);

	if (err == SEL_OK)
		err = lookup_cap(caller, args->a[3], SEL_OBJ_VSPACE, 0, &c);
	if (err == SEL_OK && args->a[4]) /* the kernel reads and writes the buffer */
		err = lookup_cap(caller, args->a[4], SEL_OBJ_FRAME,
		                 SEL_RIGHT_READ | SEL_RIGHT_WRITE, &c);
	return err;
}

static int configure(struct tcb *caller, struct tcb *t, struct syscall_args *args)
{
	int err;

	if (t->state == TCB_READY || t->state == TCB_RUNNING)
		return SEL_ERR_BUSY; /* suspend it first */
	if (args->a[4] && args->a[5] % SEL_IPC_BUFFER_ALIGN)
		return SEL_ERR_INVALID_ARG;
	err = configure_check(caller, args);
	if (err != SEL_OK)
		return err;
	err = set_slot(caller, t, TCB_SLOT_CSPACE, args->a[2], SEL_OBJ_CNODE);
	if (err == SEL_OK)
		err = set_slot(caller, t, TCB_SLOT_VSPACE, args->a[3], SEL_OBJ_VSPACE);
	if (err == SEL_OK && args->a[4])
		err = set_slot(caller, t, TCB_SLOT_IPC_BUFFER, args->a[4], SEL_OBJ_FRAME);
	else if (err == SEL_OK) /* frame 0: no IPC buffer (an old one goes) */
		err = cdt_delete_unpreempted(tcb_slot(t, TCB_SLOT_IPC_BUFFER));
	if (err == SEL_OK) /* checked above whenever a frame comes with it */
		t->ipc_buffer = args->a[4] ? args->a[5] : 0;
	return err;
}

static int registers(struct tcb *caller, struct tcb *t, struct syscall_args *args, bool write)
{
	struct sel_user_regs r;
	int err;

	if (t->state == TCB_RUNNING && t != caller)
		return SEL_ERR_BUSY; /* its registers are live on another hart */
	if (!write) {
		r.pc = t->ctx.pc;
		memcpy(r.x, &t->ctx.regs[1], sizeof(r.x));
		return copy_to_user(caller, uaddr(args->a[2]), &r, sizeof(r));
	}
	if (t == caller)
		return SEL_ERR_ILLEGAL_OP;
	if (t->state == TCB_BLOCKED_SEND && !(t->ipc_flags & (IPC_FAULT | IPC_EXIT)))
		return SEL_ERR_BUSY; /* its message, checked when sent, is still in them */
	err = copy_from_user(caller, &r, uaddr(args->a[2]), sizeof(r));
	if (err != SEL_OK)
		return err;
	t->ctx.pc = r.pc;
	memcpy(&t->ctx.regs[1], r.x, sizeof(r.x));
	t->ctx.full = 1;
	return SEL_OK;
}

static int resume(struct tcb *t)
{
	if (t->state != TCB_INACTIVE)
		return SEL_OK; /* already runnable */
	if (tcb_slot(t, TCB_SLOT_CSPACE)->cap.type != SEL_OBJ_CNODE || !tcb_vspace(t))
		return SEL_ERR_ILLEGAL_OP; /* not configured */
	t->stop_reason = SEL_STOP_NONE;
	sched_make_ready(t);
	return SEL_OK;
}

static int get_state(struct tcb *t, struct syscall_args *args)
{
	args->out[1] = t->state == TCB_READY || t->state == TCB_RUNNING ? SEL_THREAD_RUNNABLE
	               : tcb_state_blocked(t->state)                    ? SEL_THREAD_BLOCKED
	                                                                : SEL_THREAD_INACTIVE;
	args->out[2] = t->stop_reason;
	args->out[3] = t->stop_code;
	args->out[4] = t->fault_pc;
	args->out[5] = t->fault_addr;
	args->out[6] = t->tid;
	return SEL_OK;
}

/* The fault endpoint cap goes into the TCB (0: the slot is emptied). */
static int set_fault_endpoint(struct tcb *caller, struct tcb *t, uint64_t cptr)
{
	struct cte *src, *dst = tcb_slot(t, TCB_SLOT_FAULT_EP);
	int err;

	if (cptr) {
		err = lookup_cap(caller, cptr, SEL_OBJ_ENDPOINT, SEL_RIGHT_WRITE, &src);
		if (err != SEL_OK)
			return err;
		if (!(src->cap.rights & (SEL_RIGHT_GRANT | SEL_RIGHT_GRANT_REPLY)))
			return SEL_ERR_NO_RIGHTS;
	}
	err = cdt_delete_unpreempted(dst);
	if (err != SEL_OK || !cptr)
		return err;
	return (int)cdt_copy(&kernel_cdt, src, dst, SEL_RIGHTS_ALL);
}

static int bind_notification(struct tcb *caller, struct tcb *t, uint64_t cptr)
{
	struct cte *n;
	int err = lookup_cap(caller, cptr, SEL_OBJ_NOTIFICATION, SEL_RIGHT_READ, &n);

	return err != SEL_OK ? err : ntfn_bind(t, (struct notification *)(uintptr_t)n->cap.object);
}

/*
 * `value` (a priority or an MCP) as allowed by the authority TCB at cptr:
 * SEL_ERR_RANGE above SEL_PRIORITIES - 1 or above the authority's MCP.
 */
static int authority_allows(struct tcb *caller, uint64_t cptr, uint64_t value)
{
	struct cte *auth;
	int err;

	if (value >= SEL_PRIORITIES)
		return SEL_ERR_RANGE;
	err = lookup_cap(caller, cptr, SEL_OBJ_TCB, 0, &auth);
	if (err != SEL_OK)
		return err;
	return value <= ((struct tcb *)(uintptr_t)auth->cap.object)->mcp ? SEL_OK : SEL_ERR_RANGE;
}

static int set_priority(struct tcb *caller, struct tcb *t, struct syscall_args *args)
{
	int err = authority_allows(caller, args->a[3], args->a[2]);

	if (err == SEL_OK)
		sched_set_priority(t, (uint32_t)args->a[2]);
	return err;
}

static int set_mcp(struct tcb *caller, struct tcb *t, struct syscall_args *args)
{
	int err = authority_allows(caller, args->a[3], args->a[2]);

	if (err == SEL_OK)
		t->mcp = (uint32_t)args->a[2];
	return err;
}

static int needs(const struct cte *c, uint32_t right)
{
	return c->cap.rights & right ? SEL_OK : SEL_ERR_NO_RIGHTS;
}

int tcb_decode(struct tcb *caller, struct cte *slot, struct syscall_args *args)
{
	struct tcb *t = (struct tcb *)(uintptr_t)slot->cap.object;
	uint64_t label = args->a[1];
	int err = needs(slot, label == SEL_TCB_READ_REGISTERS || label == SEL_TCB_GET_STATE
	                          ? SEL_RIGHT_READ
	                          : SEL_RIGHT_WRITE);

	if (err != SEL_OK && label >= SEL_TCB_CONFIGURE && label <= SEL_TCB_SET_MCP)
		return err;
	switch (label) {
	case SEL_TCB_CONFIGURE:
		return configure(caller, t, args);
	case SEL_TCB_SET_PRIORITY:
		return set_priority(caller, t, args);
	case SEL_TCB_SET_MCP:
		return set_mcp(caller, t, args);
	case SEL_TCB_SET_AFFINITY:
		return sched_set_affinity(t, args->a[2]);
	case SEL_TCB_READ_REGISTERS:
	case SEL_TCB_WRITE_REGISTERS:
		return registers(caller, t, args, label == SEL_TCB_WRITE_REGISTERS);
	case SEL_TCB_RESUME:
		return resume(t);
	case SEL_TCB_SUSPEND:
		sched_stop(t, SEL_STOP_SUSPENDED, 0);
		return SEL_OK;
	case SEL_TCB_GET_STATE:
		return get_state(t, args);
	case SEL_TCB_SET_FAULT_HANDLER:
		t->fault_handler_pc = args->a[2];
		t->fault_handler_sp = args->a[3];
		t->in_fault_handler = false;
		return SEL_OK;
	case SEL_TCB_SET_FAULT_ENDPOINT:
		return set_fault_endpoint(caller, t, args->a[2]);
	case SEL_TCB_BIND_NOTIFICATION:
		return bind_notification(caller, t, args->a[2]);
	case SEL_TCB_UNBIND_NOTIFICATION:
		ntfn_unbind(t);
		return SEL_OK;
	default:
		return SEL_ERR_ILLEGAL_OP;
	}
}
