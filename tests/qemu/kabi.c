/*
 * The kernel interface as declared in idl/kernel/ (docs/kernel-api.md): every
 * method refuses what its declaration refuses, walked from the table idlc
 * generates (kernel_cases.h), and a failed invocation changes nothing. Runs
 * in the root task, which holds every boot capability (IRQ and ASID control,
 * the debug cap with every right).
 */
#include "caps_util.h"
#include "kernel_cases.h"
#include "proc_util.h"
#include <sel/debug.h>
#include <sel/print.h>
#include <sel/string.h>
#include <sel/thread.h>
#include <sel/uintr.h>
#include <sel/window.h>
#include <selene/kinfo.h>

#define KABI_VA REGION(28) /* page tables come and go here */

static uint64_t mem; /* Untyped the objects of one test come from */

/* A fresh cap of `type` with every right (boot caps for the controls and debug). */
static int fresh(uint32_t type, uint64_t *slot)
{
	uint64_t recv, src;
	int err;

	switch (type) {
	case SEL_OBJ_UNTYPED:
		return untyped_new(12, slot);
	case SEL_OBJ_CNODE:
		return object_new(mem, SEL_OBJ_CNODE, 4, slot);
	case SEL_OBJ_FRAME:
	case SEL_OBJ_WINDOW:
		return object_new(mem, type, 12, slot);
	case SEL_OBJ_ASID_CONTROL:
		*slot = SEL_SLOT_ASID_CONTROL;
		return SEL_OK;
	case SEL_OBJ_IRQ_CONTROL:
		*slot = SEL_SLOT_IRQ_CONTROL;
		return SEL_OK;
	case SEL_OBJ_DEBUG:
		*slot = slot_new();
		return sel_cnode_copy(ROOT, *slot, SEL_SLOT_DEBUG, FULL, SEL_RIGHTS_ALL);
	case SEL_OBJ_IRQ_HANDLER: /* a source nobody handles, from the top down */
		*slot = slot_new();
		err = sel_irq_control_info(SEL_SLOT_IRQ_CONTROL, &src);
		for (src = err == SEL_OK ? src : 0; src > 0; src--)
			if (sel_irq_control_get(SEL_SLOT_IRQ_CONTROL, src, ROOT, *slot, FULL) ==
			    SEL_OK)
				return SEL_OK;
		return SEL_ERR_BUSY;
	case SEL_OBJ_UINTR_SENDER:
		err = object_new(mem, SEL_OBJ_UINTR_RECEIVER, 0, &recv);
		*slot = slot_new();
		return err != SEL_OK ? err : sel_uintr_create_sender(recv, 1, ROOT, *slot, FULL);
	default:
		return object_new(mem, type, 0, slot);
	}
}

/* An invocation of `label` on `cap` with raw argument registers a2..a6. */
static int raw(uint64_t cap, uint64_t label, const uint64_t *a)
{
	return sel_invoke(cap, label, a[2], a[3], a[4], a[5], a[6], 0);
}

static void setup(struct test_ctx *t)
{
	CHECK_EQ(t, untyped_new(21, &mem), SEL_OK);
}

/* Deletes a cap the tests made (an IRQ handler frees its source with it). */
static void drop(uint64_t slot)
{
	if (slot >= test_bootinfo->first_free_slot)
		sel_cnode_delete(ROOT, slot, FULL, 0);
}

TEST(ABI_0002, "every method refuses a nonzero reserved bit with SEL_ERR_INVALID_ARG")
{
	uint64_t obj, a[7];

	setup(t);
	for (uint64_t i = 0; i < KERNEL_CASES; i++) {
		const struct kernel_case *c = &kernel_cases[i];
		CHECK_EQ(t, fresh(c->object, &obj), SEL_OK);
		for (int r = 2; r <= 6; r++) {
			uint64_t res = c->reserved[r];
			if (!res)
				continue;
			for (int end = 0; end < 2;
			     end++) { /* its lowest and highest reserved bit */
				memset(a, 0, sizeof(a));
				a[r] = end ? 1ull << (63 - __builtin_clzll(res)) : res & -res;
				if (raw(obj, c->label, a) != SEL_ERR_INVALID_ARG)
					test_fail(t, __FILE__, __LINE__, "%s: a%d = %lx accepted",
					          c->name, r, a[r]);
			}
		}
		drop(obj);
	}
}

TEST(ABI_0003, "every field with a declared maximum refuses the next value with SEL_ERR_RANGE")
{
	uint64_t obj, a[7], n = 0;

	setup(t);
	for (uint64_t i = 0; i < KERNEL_CASES; i++) {
		const struct kernel_case *c = &kernel_cases[i];
		if (!c->max_reg)
			continue;
		CHECK_EQ(t, fresh(c->object, &obj), SEL_OK);
		memset(a, 0, sizeof(a));
		a[c->max_reg] = (c->max + 1) << c->max_shift;
		CHECK_EQ(t, raw(obj, c->label, a), SEL_ERR_RANGE);
		drop(obj);
		n++;
	}
	CHECK_EQ(t, n, 4); /* SetPriority, SetMcp, SetReceiver, CreateSender */
}

TEST(ABI_0004, "every method refuses an invoked cap lacking each right it needs")
{
	uint64_t obj, weak, a[7] = {0}, n = 0;

	setup(t);
	for (uint64_t i = 0; i < KERNEL_CASES; i++) {
		const struct kernel_case *c = &kernel_cases[i];
		for (uint32_t right = 1; right <= SEL_RIGHTS_ALL; right <<= 1) {
			if (!(c->needs & right))
				continue;
			CHECK_EQ(t, fresh(c->object, &obj), SEL_OK);
			weak = slot_new();
			/* Mutate also reduces caps that cannot be copied (Untyped, PageTable). */
			CHECK_EQ(
			    t, sel_cnode_mutate(ROOT, weak, obj, FULL, SEL_RIGHTS_ALL & ~right, 0),
			    SEL_OK);
			CHECK_EQ(t, raw(weak, c->label, a), SEL_ERR_NO_RIGHTS);
			drop(weak);
			n++;
		}
	}
	CHECK_EQ(t, n, 39); /* every (method, needed right) pair of idl/kernel/ */
}

TEST(ABI_0005, "every label is refused on a cap of another object type")
{
	uint64_t a[7] = {0};

	for (uint64_t i = 0; i < KERNEL_CASES; i++) {
		const struct kernel_case *c = &kernel_cases[i];
		uint64_t other = c->object == SEL_OBJ_VSPACE ? SEL_SLOT_CNODE : SEL_SLOT_VSPACE;
		CHECK_EQ(t, raw(other, c->label, a), SEL_ERR_ILLEGAL_OP);
	}
	CHECK_EQ(t, raw(SEL_SLOT_CNODE, 0, a), SEL_ERR_ILLEGAL_OP);
	CHECK_EQ(t, raw(SEL_SLOT_CNODE, 1ull << 32 | SEL_CNODE_IDENTIFY, a), SEL_ERR_ILLEGAL_OP);
}

/*
 * True while the cap in `slot` has children: a Mutate that drops a right is
 * refused then. Without children it goes through, and the cap comes back
 * without its highest right (Execute, then GrantReply, then Grant).
 */
static int has_children(uint64_t slot)
{
	uint64_t moved = slot_new(), rights = ident(slot).rights;
	uint64_t fewer = rights & ~(1ull << (63 - __builtin_clzll(rights)));
	int err = sel_cnode_mutate(ROOT, moved, slot, FULL, (uint32_t)fewer, 0);

	if (err == SEL_OK)
		sel_cnode_move(ROOT, slot, moved, FULL);
	return err == SEL_ERR_HAS_CHILDREN;
}

TEST(ABI_0006, "a failed Configure, SetFaultEndpoint or SetPeer leaves the objects as they were")
{
	uint64_t tcb, cs_a, cs_b, vs, fr, ep, ep2, ep_weak = slot_new(), recv, s1, s2 = slot_new();
	uint64_t ro = slot_new(), w, fr2;

	setup(t);
	CHECK_EQ(t, object_new(mem, SEL_OBJ_TCB, 0, &tcb), SEL_OK);
	CHECK_EQ(t, object_new(mem, SEL_OBJ_CNODE, 4, &cs_a), SEL_OK);
	CHECK_EQ(t, object_new(mem, SEL_OBJ_CNODE, 4, &cs_b), SEL_OK);
	CHECK_EQ(t, object_new(mem, SEL_OBJ_VSPACE, 0, &vs), SEL_OK);
	CHECK_EQ(t, object_new(mem, SEL_OBJ_FRAME, 12, &fr), SEL_OK);
	CHECK_EQ(t, object_new(mem, SEL_OBJ_FRAME, 12, &fr2), SEL_OK);
	CHECK_EQ(t, sel_cnode_mint(ROOT, ro, fr2, FULL, SEL_RIGHT_READ, 0), SEL_OK);
	CHECK_EQ(t, sel_tcb_configure(tcb, cs_a, vs, 0, 0), SEL_OK);
	CHECK(t, has_children(cs_a) && !has_children(cs_b));
	/* The new CSpace and VSpace resolve; the IPC buffer lacks Write: nothing changes. */
	CHECK_EQ(t, sel_tcb_configure(tcb, cs_b, vs, ro, 0x10000), SEL_ERR_NO_RIGHTS);
	CHECK_EQ(t, sel_tcb_configure(tcb, cs_b, vs, fr, 0x10008), SEL_ERR_INVALID_ARG);
	CHECK(t, has_children(cs_a) && !has_children(cs_b) && !has_children(fr));
	CHECK_EQ(t, sel_tcb_configure(tcb, cs_b, vs, fr, 0x10000), SEL_OK); /* the control */
	CHECK(t, !has_children(cs_a) && has_children(cs_b) && has_children(fr));

	CHECK_EQ(t, object_new(mem, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, object_new(mem, SEL_OBJ_ENDPOINT, 0, &ep2), SEL_OK);
	CHECK_EQ(t, sel_cnode_mint(ROOT, ep_weak, ep2, FULL, SEL_RIGHT_WRITE, 0), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_fault_endpoint(tcb, ep), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_fault_endpoint(tcb, ep_weak), SEL_ERR_NO_RIGHTS); /* no Grant */
	CHECK_EQ(t, sel_tcb_set_fault_endpoint(tcb, slot_new()), SEL_ERR_EMPTY_SLOT);
	CHECK(t, has_children(ep));

	CHECK_EQ(t, object_new(mem, SEL_OBJ_WINDOW, 12, &w), SEL_OK);
	CHECK_EQ(t, object_new(mem, SEL_OBJ_UINTR_RECEIVER, 0, &recv), SEL_OK);
	s1 = slot_new();
	CHECK_EQ(t, sel_uintr_create_sender(recv, 1, ROOT, s1, FULL), SEL_OK);
	CHECK_EQ(t, sel_uintr_create_sender(recv, 2, ROOT, s2, FULL), SEL_OK);
	CHECK_EQ(t, sel_window_set_peer(w, 1, s1), SEL_OK);
	CHECK(t, has_children(s1));
	/* A sender that does not resolve, or is no sender: the old one stays. */
	CHECK_EQ(t, sel_window_set_peer(w, 1, slot_new()), SEL_ERR_EMPTY_SLOT);
	CHECK_EQ(t, sel_window_set_peer(w, 1, recv), SEL_ERR_WRONG_TYPE);
	CHECK_EQ(t, sel_window_set_peer(w, 4, s2), SEL_ERR_INVALID_ARG);
	CHECK(t, has_children(s1) && !has_children(s2));
	CHECK_EQ(t, sel_window_set_peer(w, 1, s2), SEL_OK); /* the control */
	CHECK(t, !has_children(s1) && has_children(s2));
	CHECK_EQ(t, sel_window_set_peer(w, 1, 0), SEL_OK);
	CHECK(t, !has_children(s2));
}

TEST(ABI_0007, "a Window Map that would fail on a later page maps no page at all")
{
	uint64_t w, info_fr, last;
	struct sel_window_info wi;
	struct sel_frame_info fi;

	setup(t);
	CHECK_EQ(t, cover(mem, SEL_SLOT_VSPACE, KABI_VA), SEL_OK);
	CHECK_EQ(t, object_new(mem, SEL_OBJ_WINDOW, 14, &w), SEL_OK); /* 4 pages */
	/* The last page of the range is taken by a frame. */
	last = KABI_VA + 3 * 4096;
	CHECK_EQ(t, frame_at(mem, SEL_SLOT_VSPACE, last, SEL_RIGHT_READ, &info_fr), SEL_OK);
	CHECK_EQ(t, sel_window_map(w, SEL_SLOT_VSPACE, KABI_VA, SEL_RIGHT_READ, 0, 0),
	         SEL_ERR_ALREADY_MAPPED);
	CHECK_EQ(t, sel_window_info(w, &wi), SEL_OK);
	CHECK_EQ(t, wi.mapped, 0);
	/* Had the first pages been mapped, a frame could not go there now. */
	for (uint64_t p = 0; p < 3; p++) {
		uint64_t fr;
		CHECK_EQ(t, frame_at(mem, SEL_SLOT_VSPACE, KABI_VA + p * 4096, SEL_RIGHT_READ, &fr),
		         SEL_OK);
		CHECK_EQ(t, sel_frame_unmap(fr), SEL_OK);
	}
	CHECK_EQ(t, sel_frame_info(info_fr, &fi), SEL_OK);
	CHECK_EQ(t, fi.mapped, last);
	CHECK_EQ(t, sel_frame_unmap(info_fr), SEL_OK);
	CHECK_EQ(t, sel_window_map(w, SEL_SLOT_VSPACE, KABI_VA, SEL_RIGHT_READ, 0, 0), SEL_OK);
	CHECK_EQ(t, sel_window_unmap(w), SEL_OK);
}

TEST(ABI_0008, "the kernel's interface hash is libsel's, and libsel refuses another")
{
	const struct sel_kinfo *k = (const struct sel_kinfo *)SEL_KINFO_VADDR;

	CHECK_EQ(t, k->abi_hash, SEL_KERNEL_ABI_HASH);
	CHECK_EQ(t, test_bootinfo->abi_hash, SEL_KERNEL_ABI_HASH);
	CHECK_EQ(t, sel_abi_check(SEL_KERNEL_ABI_HASH), SEL_OK);
	CHECK_EQ(t, sel_abi_check(SEL_KERNEL_ABI_HASH ^ 1), SEL_ERR_NOT_SUPPORTED);
	CHECK_EQ(t, sel_abi_check(0), SEL_ERR_NOT_SUPPORTED);
}
