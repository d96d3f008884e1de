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

/*
 * What a failed invocation must leave as it was: every slot of the root
 * CNode up to the allocator's mark (type, rights, badge, size, flags), the
 * number of nodes in the capability tree, the test Untyped's watermark, and
 * the kernel's invariants. snap() allocates no slot.
 */
struct snapshot {
	uint64_t slots, nodes, watermark;
};

static int snap(struct snapshot *s)
{
	struct sel_debug_check_invariants_result r = {0};
	struct sel_untyped_info ui;
	uint64_t h = 0xcbf29ce484222325ull, end = slots_mark();
	int err = sel_invoke_debug_check_invariants(SEL_SLOT_DEBUG, &r);

	if (err != SEL_OK || r.cap_failed || r.vm_failed)
		return err != SEL_OK ? err : SEL_ERR_INVALID_ARG;
	for (uint64_t i = 0; i < end; i++) {
		struct sel_identity id = ident(i);
		uint64_t w[5] = {id.type, id.rights, id.badge, id.size_bits, id.flags};
		for (int k = 0; k < 5; k++)
			h = (h ^ w[k]) * 0x100000001b3ull;
	}
	err = sel_untyped_info(mem, &ui);
	*s = (struct snapshot){h, r.nodes, ui.watermark};
	return err;
}

static int snap_eq(const struct snapshot *a)
{
	struct snapshot b;

	return snap(&b) == SEL_OK && b.slots == a->slots && b.nodes == a->nodes &&
	       b.watermark == a->watermark;
}

/* err must be `want`, and nothing seen by snap() may have changed. */
#define REFUSED_UNCHANGED(t, s, call, want)                                                        \
	do {                                                                                       \
		CHECK_EQ(t, (call), (want));                                                       \
		CHECK(t, snap_eq(s));                                                              \
	} while (0)

TEST(ABI_0009, "a failed CNode Copy, Mint, Move or Mutate changes no slot and no tree node")
{
	uint64_t ep, b, cn, occ, dest = slot_new(), moved = slot_new();
	struct snapshot s;

	setup(t);
	CHECK_EQ(t, object_new(mem, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, object_new(mem, SEL_OBJ_CNODE, 4, &cn), SEL_OK);
	CHECK_EQ(t, object_new(mem, SEL_OBJ_NOTIFICATION, 0, &occ), SEL_OK);
	b = slot_new();
	CHECK_EQ(t, sel_cnode_mint(ROOT, b, ep, FULL, SEL_RIGHTS_ALL, 5), SEL_OK);
	CHECK_EQ(t, snap(&s), SEL_OK);
	/* The source resolves; the destination does not take it. */
	REFUSED_UNCHANGED(t, &s, sel_cnode_copy(ROOT, occ, ep, FULL, SEL_RIGHTS_ALL),
	                  SEL_ERR_SLOT_OCCUPIED);
	REFUSED_UNCHANGED(t, &s, sel_cnode_mint(ROOT, occ, ep, FULL, SEL_RIGHTS_ALL, 7),
	                  SEL_ERR_SLOT_OCCUPIED);
	REFUSED_UNCHANGED(t, &s, sel_cnode_move(ROOT, occ, ep, FULL), SEL_ERR_SLOT_OCCUPIED);
	REFUSED_UNCHANGED(t, &s, sel_cnode_mutate(ROOT, occ, ep, FULL, SEL_RIGHT_READ, 0),
	                  SEL_ERR_SLOT_OCCUPIED);
	/* A badge once set never changes: a refused Mint or Mutate leaves both slots. */
	REFUSED_UNCHANGED(t, &s, sel_cnode_mint(ROOT, dest, b, FULL, SEL_RIGHTS_ALL, 6),
	                  SEL_ERR_BADGE_SET);
	REFUSED_UNCHANGED(t, &s, sel_cnode_mutate(ROOT, dest, b, FULL, SEL_RIGHTS_ALL, 6),
	                  SEL_ERR_BADGE_SET);
	/* A source with a child cannot be mutated away from it. */
	REFUSED_UNCHANGED(t, &s, sel_cnode_mutate(ROOT, dest, ep, FULL, SEL_RIGHT_READ, 0),
	                  SEL_ERR_HAS_CHILDREN);
	/* An empty source, a source root that is no CNode, a destination index too big. */
	REFUSED_UNCHANGED(t, &s, sel_cnode_copy(ROOT, dest, moved, FULL, SEL_RIGHTS_ALL),
	                  SEL_ERR_EMPTY_SLOT);
	REFUSED_UNCHANGED(t, &s,
	                  sel_invoke_cnode_copy(ROOT, dest, ep, ep, SEL_DEPTH_FULL, SEL_DEPTH_FULL,
	                                        SEL_RIGHTS_ALL),
	                  SEL_ERR_WRONG_TYPE);
	REFUSED_UNCHANGED(t, &s,
	                  sel_cnode_op(SEL_CNODE_MOVE, sel_slot_in(cn, 1ull << 20, FULL),
	                               sel_slot_in(ROOT, ep, FULL), 0, 0),
	                  SEL_ERR_INVALID_CAP);
	/* The control: the same Copy into an empty slot is seen. */
	CHECK_EQ(t, sel_cnode_copy(ROOT, moved, ep, FULL, SEL_RIGHTS_ALL), SEL_OK);
	CHECK(t, !snap_eq(&s));
}

TEST(ABI_0010, "a failed Retype or Reset creates nothing and leaves the watermark")
{
	uint64_t ut, occ, first, ep, more;
	struct snapshot s;
	struct sel_untyped_info ui;

	setup(t);
	CHECK_EQ(t, object_new(mem, SEL_OBJ_UNTYPED, 14, &ut), SEL_OK);
	first = slots_new(4);
	occ = first + 3;
	CHECK_EQ(t, object_new(mem, SEL_OBJ_NOTIFICATION, 0, &ep), SEL_OK);
	CHECK_EQ(t, sel_cnode_move(ROOT, occ, ep, FULL), SEL_OK);
	CHECK_EQ(t, sel_untyped_info(ut, &ui), SEL_OK);
	CHECK_EQ(t, ui.watermark, 0);
	CHECK_EQ(t, snap(&s), SEL_OK);
	/* Three of the four destination slots are free, the last is not. */
	REFUSED_UNCHANGED(t, &s, sel_untyped_retype(ut, SEL_OBJ_ENDPOINT, 0, ROOT, first, 4),
	                  SEL_ERR_SLOT_OCCUPIED);
	/* More than the whole Untyped. */
	REFUSED_UNCHANGED(t, &s, sel_untyped_retype(ut, SEL_OBJ_FRAME, 21, ROOT, first, 1),
	                  SEL_ERR_RANGE);
	CHECK_EQ(t, sel_untyped_info(ut, &ui), SEL_OK);
	CHECK_EQ(t, ui.watermark, 0);
	/* Past the watermark four frames no longer fit, though the first three would. */
	CHECK_EQ(t, sel_untyped_retype(ut, SEL_OBJ_ENDPOINT, 0, ROOT, first, 1), SEL_OK);
	more = slots_new(4);
	CHECK_EQ(t, snap(&s), SEL_OK);
	REFUSED_UNCHANGED(t, &s, sel_untyped_retype(ut, SEL_OBJ_FRAME, 12, ROOT, more, 4),
	                  SEL_ERR_NO_MEMORY);
	/* Reset with a child refused; the child and the watermark stay. */
	REFUSED_UNCHANGED(t, &s, sel_untyped_reset(ut), SEL_ERR_HAS_CHILDREN);
	CHECK_EQ(t, sel_untyped_info(ut, &ui), SEL_OK);
	CHECK(t, ui.watermark > 0);
	CHECK_EQ(t, ident(first).type, SEL_OBJ_ENDPOINT);
}

TEST(ABI_0011, "a failed PageTable or Frame Map maps nothing and records nothing")
{
	uint64_t vs, fr, fr2, ro, pt, pt2, va = KABI_VA;
	struct snapshot s;
	struct sel_frame_info fi;

	setup(t);
	CHECK_EQ(t, object_new(mem, SEL_OBJ_VSPACE, 0, &vs), SEL_OK);
	CHECK_EQ(t, object_new(mem, SEL_OBJ_FRAME, 12, &fr), SEL_OK);
	CHECK_EQ(t, object_new(mem, SEL_OBJ_FRAME, 12, &fr2), SEL_OK);
	CHECK_EQ(t, object_new(mem, SEL_OBJ_PAGE_TABLE, 0, &pt), SEL_OK);
	CHECK_EQ(t, object_new(mem, SEL_OBJ_PAGE_TABLE, 0, &pt2), SEL_OK);
	ro = slot_new();
	CHECK_EQ(t, sel_cnode_mint(ROOT, ro, fr2, FULL, SEL_RIGHT_READ, 0), SEL_OK);
	CHECK_EQ(t, snap(&s), SEL_OK);
	/* No page table below the root yet: the frame has no leaf table. */
	REFUSED_UNCHANGED(t, &s, sel_frame_map(fr, vs, va, SEL_RIGHT_READ), SEL_ERR_NO_PAGE_TABLE);
	/* Beyond user space, or not page-aligned. */
	REFUSED_UNCHANGED(t, &s, sel_frame_map(fr, vs, 1ull << 38, SEL_RIGHT_READ), SEL_ERR_RANGE);
	CHECK_EQ(t, cover(mem, vs, va), SEL_OK);
	CHECK_EQ(t, sel_frame_map(fr, vs, va, SEL_RIGHT_READ), SEL_OK);
	CHECK_EQ(t, snap(&s), SEL_OK);
	/* The place is taken; the frame is mapped already; a table is there already. */
	REFUSED_UNCHANGED(t, &s, sel_frame_map(fr2, vs, va, SEL_RIGHT_READ),
	                  SEL_ERR_ALREADY_MAPPED);
	REFUSED_UNCHANGED(t, &s, sel_frame_map(fr, vs, va + 4096, SEL_RIGHT_READ),
	                  SEL_ERR_ALREADY_MAPPED);
	REFUSED_UNCHANGED(t, &s, sel_page_table_map(pt2, vs, va), SEL_ERR_ALREADY_MAPPED);
	/* A read-only frame cap cannot map writable. */
	REFUSED_UNCHANGED(t, &s, sel_frame_map(ro, vs, va + 4096, RW), SEL_ERR_NO_RIGHTS);
	CHECK_EQ(t, sel_frame_info(fr2, &fi), SEL_OK);
	CHECK_EQ(t, fi.mapped, 0);
	CHECK_EQ(t, sel_frame_info(fr, &fi), SEL_OK);
	CHECK_EQ(t, fi.mapped, va);
	/* The control: the read-only cap maps read-only there. */
	CHECK_EQ(t, sel_frame_map(ro, vs, va + 4096, SEL_RIGHT_READ), SEL_OK);
	CHECK_EQ(t, sel_frame_info(ro, &fi), SEL_OK); /* each cap records its own mapping */
	CHECK_EQ(t, fi.mapped, va + 4096);
}

TEST(ABI_0012, "a failed IRQ Get or SetReceiver hands out nothing and keeps the routing")
{
	uint64_t h, recv, weak = slot_new(), ep, occ, dest = slot_new();
	uint64_t src = 0, sources;
	struct snapshot s;

	setup(t);
	CHECK_EQ(t, fresh(SEL_OBJ_IRQ_HANDLER, &h), SEL_OK);
	CHECK_EQ(t, sel_irq_control_info(SEL_SLOT_IRQ_CONTROL, &sources), SEL_OK);
	/* Which source h handles: the one a second Get now finds busy. */
	for (uint64_t i = sources; i > 0 && !src; i--)
		if (sel_irq_control_get(SEL_SLOT_IRQ_CONTROL, i, ROOT, dest, FULL) == SEL_ERR_BUSY)
			src = i;
		else
			sel_cnode_delete(ROOT, dest, FULL, 0);
	CHECK(t, src != 0);
	CHECK_EQ(t, object_new(mem, SEL_OBJ_UINTR_RECEIVER, 0, &recv), SEL_OK);
	CHECK_EQ(t, sel_cnode_mint(ROOT, weak, recv, FULL, SEL_RIGHT_WRITE, 0), SEL_OK);
	CHECK_EQ(t, object_new(mem, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, object_new(mem, SEL_OBJ_NOTIFICATION, 0, &occ), SEL_OK);
	CHECK_EQ(t, sel_irq_handler_set_receiver(h, recv, 3), SEL_OK);
	CHECK_EQ(t, snap(&s), SEL_OK);
	REFUSED_UNCHANGED(t, &s, sel_irq_control_get(SEL_SLOT_IRQ_CONTROL, src, ROOT, dest, FULL),
	                  SEL_ERR_BUSY);
	REFUSED_UNCHANGED(t, &s, sel_irq_handler_set_receiver(h, weak, 4), SEL_ERR_NO_RIGHTS);
	REFUSED_UNCHANGED(t, &s, sel_irq_handler_set_receiver(h, ep, 4), SEL_ERR_WRONG_TYPE);
	/* A free source into an occupied slot: the source stays free (the control takes it). */
	drop(h);
	CHECK_EQ(t, snap(&s), SEL_OK);
	REFUSED_UNCHANGED(t, &s, sel_irq_control_get(SEL_SLOT_IRQ_CONTROL, src, ROOT, occ, FULL),
	                  SEL_ERR_SLOT_OCCUPIED);
	CHECK_EQ(t, sel_irq_control_get(SEL_SLOT_IRQ_CONTROL, src, ROOT, dest, FULL), SEL_OK);
	CHECK(t, !snap_eq(&s));
	drop(dest);
}

TEST(ABI_0013, "a failed CreateSender or Install hands out nothing")
{
	uint64_t recv, occ, dest = slot_new(), snd;
	struct snapshot s;

	setup(t);
	CHECK_EQ(t, object_new(mem, SEL_OBJ_UINTR_RECEIVER, 0, &recv), SEL_OK);
	CHECK_EQ(t, object_new(mem, SEL_OBJ_NOTIFICATION, 0, &occ), SEL_OK);
	snd = slot_new();
	CHECK_EQ(t, sel_uintr_create_sender(recv, 2, ROOT, snd, FULL), SEL_OK);
	CHECK_EQ(t, snap(&s), SEL_OK);
	REFUSED_UNCHANGED(t, &s, sel_uintr_create_sender(recv, 1, ROOT, occ, FULL),
	                  SEL_ERR_SLOT_OCCUPIED);
	REFUSED_UNCHANGED(t, &s, sel_uintr_create_sender(recv, 1, occ, dest, FULL),
	                  SEL_ERR_WRONG_TYPE);
	REFUSED_UNCHANGED(t, &s, sel_uintr_install(snd, 1ull << 20), SEL_ERR_RANGE);
	/* The control. */
	CHECK_EQ(t, sel_uintr_create_sender(recv, 1, ROOT, dest, FULL), SEL_OK);
	CHECK(t, !snap_eq(&s));
}
