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
 * Rights: Write to change the thread, Read to look at it
 * (idl/kernel/tcb.idl: object/objects.c checks the invoked cap's, the
 * generated unpack every capability argument's type and rights).
 *
 * Decode, then invoke: each method's decode unpacks the registers,
 * resolves every capability and checks every condition; its invoke only
 * acts. Replacing a slot of the TCB (Configure, SetFaultEndpoint) deletes
 * the old cap, which cannot fail (it is retried past preemption points),
 * and copies the new one from a source decode has checked, which cannot
 * fail either: a failed call leaves the thread as it was.
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
#include "lib/panic.h"
#include "lib/string.h"
#include "kernel_unpack.h"
#include <selene/invocation.h>

paddr_t tcb_vspace_root(struct tcb *t)
{
	void *vs = tcb_vspace(t);

	return vs ? vspace_root_pa(vs) : 0;
}

/* Empties TCB slot i; deletion stops only at preemption points, and goes on. */
static void clear_slot(struct tcb *t, enum tcb_slot i)
{
	(void)cdt_delete_unpreempted(tcb_slot(t, i));
}

/* Replaces TCB slot i with a copy of src (NULL: leaves it empty). */
static void set_slot(struct tcb *t, enum tcb_slot i, struct cte *src)
{
	enum sel_error err;

	clear_slot(t, i);
	if (!src)
		return;
	err = cdt_copy(&kernel_cdt, src, tcb_slot(t, i), SEL_RIGHTS_ALL);
	assert(err == SEL_OK); /* src: a live cap, checked by decode; the slot: emptied */
	(void)err;
	if (i == TCB_SLOT_IPC_BUFFER)
		tcb_slot(t, i)->cap.flags |= CAP_FLAG_IPC_BUFFER;
}

static enum sel_error configure_decode(struct tcb *caller, struct tcb *t, const uint64_t *a,
                                       struct tcb_configure_args *c)
{
	enum sel_error err = tcb_configure_unpack(caller, a, c);

	if (err != SEL_OK)
		return err;
	if (t->state == TCB_READY || t->state == TCB_RUNNING)
		return SEL_ERR_BUSY; /* suspend it first */
	if (c->ipc_buffer && c->ipc_buffer_addr % SEL_IPC_BUFFER_ALIGN)
		return SEL_ERR_INVALID_ARG;
	return SEL_OK;
}

static void configure(struct tcb *t, const struct tcb_configure_args *c)
{
	set_slot(t, TCB_SLOT_CSPACE, c->cspace);
	set_slot(t, TCB_SLOT_VSPACE, c->vspace);
	set_slot(t, TCB_SLOT_IPC_BUFFER, c->ipc_buffer); /* NULL: an old buffer goes */
	t->ipc_buffer = c->ipc_buffer ? c->ipc_buffer_addr : 0;
}

static enum sel_error registers(struct tcb *caller, struct tcb *t, const uint64_t *a, bool write)
{
	struct tcb_read_registers_args rd = {0};
	struct tcb_write_registers_args wr = {0};
	struct sel_user_regs r;
	enum sel_error err =
	    write ? tcb_write_registers_unpack(a, &wr) : tcb_read_registers_unpack(a, &rd);

	if (err != SEL_OK)
		return err;
	if (t->state == TCB_RUNNING && t != caller)
		return SEL_ERR_BUSY; /* its registers are live on another hart */
	if (!write) {
		r.pc = t->ctx.pc;
		memcpy(r.x, &t->ctx.regs[1], sizeof(r.x));
		return copy_to_user(caller, uaddr(rd.regs), &r, sizeof(r));
	}
	if (t == caller)
		return SEL_ERR_ILLEGAL_OP;
	if (t->state == TCB_BLOCKED_SEND && !(t->ipc_flags & (IPC_FAULT | IPC_EXIT)))
		return SEL_ERR_BUSY; /* its message, checked when sent, is still in them */
	err = copy_from_user(caller, &r, uaddr(wr.regs), sizeof(r));
	if (err != SEL_OK)
		return err;
	t->ctx.pc = r.pc;
	memcpy(&t->ctx.regs[1], r.x, sizeof(r.x));
	t->ctx.full = 1;
	return SEL_OK;
}

static enum sel_error resume(struct tcb *t, const uint64_t *a)
{
	enum sel_error err = tcb_resume_unpack(a);

	if (err != SEL_OK || t->state != TCB_INACTIVE)
		return err; /* already runnable */
	if (tcb_slot(t, TCB_SLOT_CSPACE)->cap.type != SEL_OBJ_CNODE || !tcb_vspace(t))
		return SEL_ERR_ILLEGAL_OP; /* not configured */
	t->stop_reason = SEL_STOP_NONE;
	sched_make_ready(t);
	return SEL_OK;
}

static enum sel_error get_state(struct tcb *t, struct syscall_args *args)
{
	enum sel_error err = tcb_get_state_unpack(args->a);

	if (err != SEL_OK)
		return err;
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

static enum sel_error get_sched(struct tcb *t, struct syscall_args *args)
{
	int err = tcb_get_sched_unpack(args->a);

	if (err != SEL_OK)
		return err;
	args->out[1] = t->priority;
	args->out[2] = t->mcp;
	args->out[3] = t->hart_affinity;
	return SEL_OK;
}

/* The fault endpoint cap goes into the TCB (0: the slot is emptied). */
static enum sel_error set_fault_endpoint(struct tcb *caller, struct tcb *t, const uint64_t *a)
{
	struct tcb_set_fault_endpoint_args f;
	enum sel_error err = tcb_set_fault_endpoint_unpack(caller, a, &f);

	if (err != SEL_OK)
		return err;
	if (f.endpoint && !(f.endpoint->cap.rights & (SEL_RIGHT_GRANT | SEL_RIGHT_GRANT_REPLY)))
		return SEL_ERR_NO_RIGHTS;
	set_slot(t, TCB_SLOT_FAULT_EP, f.endpoint);
	return SEL_OK;
}

static enum sel_error bind_notification(struct tcb *caller, struct tcb *t, const uint64_t *a)
{
	struct tcb_bind_notification_args b;
	enum sel_error err = tcb_bind_notification_unpack(caller, a, &b);

	if (err != SEL_OK)
		return err;
	return ntfn_bind(t, (struct notification *)(uintptr_t)b.notification->cap.object);
}

/* `value` (a priority or an MCP) as allowed by the authority TCB: at most its MCP. */
static enum sel_error authority_allows(const struct cte *authority, uint64_t value)
{
	return value <= ((struct tcb *)(uintptr_t)authority->cap.object)->mcp ? SEL_OK
	                                                                      : SEL_ERR_RANGE;
}

static enum sel_error set_priority(struct tcb *caller, struct tcb *t, const uint64_t *a)
{
	struct tcb_set_priority_args p;
	enum sel_error err = tcb_set_priority_unpack(caller, a, &p);

	if (err == SEL_OK)
		err = authority_allows(p.authority, p.priority);
	if (err == SEL_OK)
		sched_set_priority(t, (uint32_t)p.priority);
	return err;
}

static enum sel_error set_mcp(struct tcb *caller, struct tcb *t, const uint64_t *a)
{
	struct tcb_set_mcp_args m;
	enum sel_error err = tcb_set_mcp_unpack(caller, a, &m);

	if (err == SEL_OK)
		err = authority_allows(m.authority, m.mcp);
	if (err == SEL_OK)
		t->mcp = (uint32_t)m.mcp;
	return err;
}

static enum sel_error set_fault_handler(struct tcb *t, const uint64_t *a)
{
	struct tcb_set_fault_handler_args h;
	enum sel_error err = tcb_set_fault_handler_unpack(a, &h);

	if (err != SEL_OK)
		return err;
	t->fault_handler_pc = h.pc;
	t->fault_handler_sp = h.sp;
	t->in_fault_handler = false;
	return SEL_OK;
}

static enum sel_error set_affinity(struct tcb *t, const uint64_t *a)
{
	struct tcb_set_affinity_args h;
	enum sel_error err = tcb_set_affinity_unpack(a, &h);

	return err != SEL_OK ? err : sched_set_affinity(t, h.hart);
}

/* Methods without arguments that cannot fail once unpacked. */
static enum sel_error simple(struct tcb *t, uint64_t label, const uint64_t *a)
{
	enum sel_error err =
	    label == SEL_TCB_SUSPEND ? tcb_suspend_unpack(a) : tcb_unbind_notification_unpack(a);

	if (err != SEL_OK)
		return err;
	if (label == SEL_TCB_SUSPEND)
		sched_stop(t, SEL_STOP_SUSPENDED, 0);
	else
		ntfn_unbind(t);
	return SEL_OK;
}

/* objects.c checked the label and the rights of the invoked cap. */
enum sel_error tcb_decode(struct tcb *caller, struct cte *slot, struct syscall_args *args)
{
	struct tcb *t = (struct tcb *)(uintptr_t)slot->cap.object;
	const uint64_t *a = args->a;
	struct tcb_configure_args c;
	enum sel_error err;

	switch (a[1]) {
	case SEL_TCB_CONFIGURE:
		err = configure_decode(caller, t, a, &c);
		if (err == SEL_OK)
			configure(t, &c);
		return err;
	case SEL_TCB_SET_PRIORITY:
		return set_priority(caller, t, a);
	case SEL_TCB_SET_MCP:
		return set_mcp(caller, t, a);
	case SEL_TCB_SET_AFFINITY:
		return set_affinity(t, a);
	case SEL_TCB_READ_REGISTERS:
	case SEL_TCB_WRITE_REGISTERS:
		return registers(caller, t, a, a[1] == SEL_TCB_WRITE_REGISTERS);
	case SEL_TCB_RESUME:
		return resume(t, a);
	case SEL_TCB_GET_STATE:
		return get_state(t, args);
	case SEL_TCB_GET_SCHED:
		return get_sched(t, args);
	case SEL_TCB_SET_FAULT_HANDLER:
		return set_fault_handler(t, a);
	case SEL_TCB_SET_FAULT_ENDPOINT:
		return set_fault_endpoint(caller, t, a);
	case SEL_TCB_BIND_NOTIFICATION:
		return bind_notification(caller, t, a);
	default: /* SEL_TCB_SUSPEND, SEL_TCB_UNBIND_NOTIFICATION */
		return simple(t, a[1], a);
	}
}
