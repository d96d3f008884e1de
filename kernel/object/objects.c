/*
 * The kernel's side of the capability core.
 *
 * kernel/cap/ is pure and provable: it knows slots, the derivation tree and
 * Untyped arithmetic, and calls four hooks that this file implements:
 *   cap_object_init      zero a new object (device memory is left alone);
 *   cap_object_finalise  the last cap to an object went: release its kernel
 *                        state (a thread leaves the scheduler, the waiters
 *                        of an endpoint or notification get an error);
 *   cap_preemption_point an interrupt is pending: long deletes stop there;
 *   cap_assert_fail      an invariant of the core failed: panic.
 * The invariant checker's schedule lives in invariants_debug.c (debug
 * kernels) or invariants_release.c (release kernels: no checker).
 */
#include "object/objects.h"
#include "arch/riscv/csr.h"
#include "cap/cap_assert.h"
#include "lib/inject.h"
#include "lib/panic.h"
#include "lib/string.h"
#include "sched/scheduler.h"
#include "ipc/ipc.h"
#include "ipc/uintr.h"
#include "object/irq.h"
#include "object/window.h"
#include "object/vspace.h"
#include "arch/riscv/hart.h"
#include "arch/riscv/asid.h"
#include "arch/riscv/machine.h"
#include "kernel_unpack.h"
#include <selene/invocation.h>

struct cdt kernel_cdt;
static uint64_t next_tid = 1; /* 1 is the root task's */

void objects_init(const char *bootargs)
{
	cdt_init(&kernel_cdt);
	invariants_init(&kernel_cdt, bootargs);
}

void cap_object_init(enum sel_object_type type, uintptr_t addr, uint64_t size_bits, bool device)
{
	uint32_t bits;

	if (device || cap_retype_bits(type, (uint32_t)size_bits, &bits) != SEL_OK)
		return;
	memset((void *)addr, 0, 1ull << bits);
	if (type == SEL_OBJ_VSPACE)
		vspace_object_init((void *)addr);
	if (type == SEL_OBJ_UINTR_RECEIVER)
		uintr_receiver_init((void *)addr);
	if (type == SEL_OBJ_TCB) {
		((struct tcb *)addr)->hart_affinity = (uint32_t)this_hart()->id;
		((struct tcb *)addr)->tid = ++next_tid;
	}
}

void cap_object_finalise(struct cap *cap)
{
	if (cap->type == SEL_OBJ_ENDPOINT)
		ep_finalise((struct endpoint *)(uintptr_t)cap->object);
	if (cap->type == SEL_OBJ_NOTIFICATION)
		ntfn_finalise((struct notification *)(uintptr_t)cap->object);
	if (cap->type == SEL_OBJ_IRQ_HANDLER)
		irq_handler_finalise(cap);
	if (cap->type == SEL_OBJ_UINTR_RECEIVER)
		uintr_receiver_finalise((struct uintr_receiver *)(uintptr_t)cap->object);
	if (cap->type == SEL_OBJ_TCB)
		sched_finalise((struct tcb *)(uintptr_t)cap->object);
	if (cap->type == SEL_OBJ_VSPACE)
		vspace_object_finalise((void *)(uintptr_t)cap->object);
}

void cap_removed(const struct cap *cap)
{
	vspace_cap_removed(cap);
	uintr_cap_removed(cap);
	window_cap_removed(cap);
}

bool cap_preemption_point(void)
{
	stretch_point();
	return (csr_read(sip) & csr_read(sie)) != 0;
}

#if defined(SELENE_DEBUG) && !defined(SELENE_EVA)
/* Per hart: instret and time at the last stamp (0: no call under way); the longest gaps. */
static uint64_t stretch_last[SEL_MAX_HARTS], stretch_max[SEL_MAX_HARTS];
static uint64_t stretch_time_last[SEL_MAX_HARTS], stretch_time_max[SEL_MAX_HARTS];

void stretch_begin(void)
{
	stretch_last[this_hart() - harts] = csr_read(instret);
	stretch_time_last[this_hart() - harts] = csr_read(time);
}

void stretch_point(void)
{
	uint64_t i = (uint64_t)(this_hart() - harts), now = csr_read(instret);
	uint64_t at = csr_read(time);

	if (stretch_last[i] && now - stretch_last[i] > stretch_max[i])
		stretch_max[i] = now - stretch_last[i];
	if (stretch_time_last[i] && at - stretch_time_last[i] > stretch_time_max[i])
		stretch_time_max[i] = at - stretch_time_last[i];
	stretch_last[i] = now;
	stretch_time_last[i] = at;
}

void stretch_end(void)
{
	stretch_point();
	stretch_last[this_hart() - harts] = 0;
	stretch_time_last[this_hart() - harts] = 0;
}

/* The largest of `max` over the harts, which start again from 0. */
static uint64_t take_max(uint64_t max[SEL_MAX_HARTS])
{
	uint64_t m = 0;

	for (uint32_t i = 0; i < SEL_MAX_HARTS; i++) {
		if (max[i] > m)
			m = max[i];
		max[i] = 0;
	}
	return m;
}

uint64_t stretch_take_max(void)
{
	return take_max(stretch_max);
}

uint64_t stretch_take_time_max(void)
{
	return take_max(stretch_time_max);
}
#endif

void cap_assert_fail(const char *expr, const char *why, const char *file, int line)
{
	panic("capability core: %s (%s) at %s:%d", why, expr, file, line);
}

enum sel_error lookup_cap(struct tcb *t, uint64_t cptr, uint32_t type, uint32_t right,
                          struct cte **slot)
{
	enum sel_error err = cspace_lookup(tcb_cspace_root(t), cptr, 64, slot);

	if (err != SEL_OK)
		return err;
	if ((*slot)->cap.type == SEL_OBJ_NULL)
		return SEL_ERR_EMPTY_SLOT;
	if ((*slot)->cap.type != type || cap_is_zombie(&(*slot)->cap))
		return SEL_ERR_WRONG_TYPE;
	return ((*slot)->cap.rights & right) == right ? SEL_OK : SEL_ERR_NO_RIGHTS;
}

/*
 * The one place where a method's declaration (idl/kernel/, generated into
 * kernel_unpack.h) is checked against the invoked capability: the label
 * must be a method of the cap's object type, and the cap must hold every
 * right the method needs (a sender's method on a receiver cap is the wrong
 * type: the receiver cannot send). The object's decoder then unpacks the
 * arguments.
 */
static enum sel_error method_allowed(const struct cte *slot, uint64_t label)
{
	struct kernel_method m;

	if (!kernel_method_of(label, &m))
		return SEL_ERR_ILLEGAL_OP;
	if (m.object == SEL_OBJ_UINTR_SENDER && slot->cap.type == SEL_OBJ_UINTR_RECEIVER)
		return SEL_ERR_WRONG_TYPE; /* a receiver cap cannot send */
	if (m.object != slot->cap.type)
		return SEL_ERR_ILLEGAL_OP;
	return (slot->cap.rights & m.rights) == m.rights ? SEL_OK : SEL_ERR_NO_RIGHTS;
}

uint64_t tcb_fast_epoch = 2;

/*
 * May an invocation on a cap of this type change what a thread's fast-path
 * view is computed from (struct tcb: fast_epoch)? TCB slots, affinities and
 * IPC buffers (TCB), receiver bindings (user interrupts), caps deleted,
 * moved or revoked and so a CNode, VSpace or Frame going away (CNode,
 * Untyped), slots corrupted on purpose (the debug cap). Mapping, windows
 * and interrupts touch none of them.
 */
static bool changes_views(uint32_t type)
{
	return type == SEL_OBJ_TCB || type == SEL_OBJ_CNODE || type == SEL_OBJ_UNTYPED ||
	       type == SEL_OBJ_DEBUG || type == SEL_OBJ_UINTR_RECEIVER ||
	       type == SEL_OBJ_UINTR_SENDER;
}

int invocation_call(struct tcb *t, struct syscall_args *args)
{
	struct cte *slot;
	enum sel_error err = cspace_lookup(tcb_cspace_root(t), args->a[0], 64, &slot);

	if (err != SEL_OK)
		return err;
	if (cap_is_zombie(&slot->cap))
		return SEL_ERR_DELETED; /* a dying CNode or TCB: being emptied */
	if (slot->cap.type == SEL_OBJ_NULL)
		return SEL_ERR_EMPTY_SLOT;
	if (slot->cap.type == SEL_OBJ_ENDPOINT)
		return ep_call(t, slot, args);
	if (changes_views(slot->cap.type) &&
	    !(inject_on(INJECT_STALE_ELIGIBLE) && slot->cap.type == SEL_OBJ_TCB))
		tcb_fast_epoch += TCB_FAST_EPOCH_STEP; /* every fast-path view goes stale */
	err = method_allowed(slot, args->a[1]);
	if (err != SEL_OK)
		return err;
	switch (slot->cap.type) {
	case SEL_OBJ_CNODE:
		return cnode_decode(t, slot, args);
	case SEL_OBJ_UNTYPED:
		return untyped_decode(t, slot, args);
	case SEL_OBJ_DEBUG:
		return debug_cap_decode(t, slot, args);
	case SEL_OBJ_TCB:
		return tcb_decode(t, slot, args);
	case SEL_OBJ_PAGE_TABLE:
		return page_table_decode(t, slot, args);
	case SEL_OBJ_FRAME:
		return frame_decode(t, slot, args);
	case SEL_OBJ_VSPACE:
		return vspace_decode(t, slot, args);
	case SEL_OBJ_ASID_CONTROL:
	case SEL_OBJ_IRQ_CONTROL:
		return control_decode(t, slot, args);
	case SEL_OBJ_UINTR_RECEIVER:
	case SEL_OBJ_UINTR_SENDER:
		return uintr_decode(t, slot, args);
	case SEL_OBJ_IRQ_HANDLER:
		return irq_handler_decode(t, slot, args);
	case SEL_OBJ_WINDOW:
		return window_decode(t, slot, args);
	default:
		return SEL_ERR_ILLEGAL_OP;
	}
}

/* ASID control and IRQ control: what there is of them so far. */
enum sel_error control_decode(struct tcb *t, struct cte *slot, struct syscall_args *args)
{
	const uint64_t *a = args->a;
	enum sel_error err;

	switch (a[1]) {
	case SEL_ASID_CONTROL_INFO:
		err = asid_control_info_unpack(a);
		args->out[1] = err == SEL_OK ? asid_in_use() : 0;
		args->out[2] = err == SEL_OK ? ASID_COUNT - 1 : 0;
		return err;
	case SEL_IRQ_CONTROL_GET:
		return irq_control_get(t, slot, args);
	default: /* SEL_IRQ_CONTROL_INFO */
		err = irq_control_info_unpack(a);
		args->out[1] = err == SEL_OK ? machine.plic_sources : 0;
		return err;
	}
}
