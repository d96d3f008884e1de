/*
 * Window objects: one region of memory mapped into two or more address
 * spaces (the sides of a session), each side with its own rights and its
 * own page tables (docs/windows.md).
 *
 * A Window of size_bits k is 2^(k+1) bytes of Untyped: the region (2^k,
 * 4 KiB .. 2 MiB, zeroed at retype) and then CAP_WINDOW_SLOTS cap slots,
 * one per side, never mapped. Each window cap maps once (Map: the first
 * `length` bytes at a 4 KiB-aligned address, with rights within the cap's;
 * Execute only if the cap has it; every page table must already be there,
 * paid for by whoever maps). Copies made for the other sides start
 * unmapped. Slot i may hold a UIntr sender (SetPeer): whenever another
 * side goes away -- unmapped, its cap deleted, or revoked with the window
 * -- the kernel raises that sender's vector: peer-closed.
 *
 * Mapping record in the cap: word0 = address | (pages - 1) << 3 | side << 1
 * | MAPPED; word1 = the VSpace's ASID and generation (object/vspace.c), so
 * a record naming a VSpace that has gone is ignored. Unmapping flushes the
 * ASID on every hart that may cache it before the call returns.
 *
 * Decode, then invoke: Map checks every page's entry (its page table
 * present, the entry free) before it maps the first, and SetPeer resolves
 * the new sender before the old one goes, so a failed call changes
 * nothing. Rights are declared in idl/kernel/window.idl.
 */
#include "object/window.h"
#include "arch/riscv/asid.h"
#include "arch/riscv/memory.h"
#include "arch/riscv/sv39.h"
#include "ipc/uintr.h"
#include "lib/panic.h"
#include "object/objects.h"
#include "object/vspace.h"
#include "kernel_unpack.h"
#include <selene/error.h>
#include <selene/invocation.h>
#include <selene/kinfo.h>

#define MAPPED      1ull
#define SIDE_SHIFT  1
#define PAGES_SHIFT 3

static uint64_t side_of(const struct cap *c)
{
	return (c->word0 >> SIDE_SHIFT) & 3;
}

static uint64_t pages_of(const struct cap *c)
{
	return ((c->word0 >> PAGES_SHIFT) & 511) + 1;
}

static paddr_t region_pa(const struct cap *c)
{
	return virt_to_phys((void *)(uintptr_t)c->object);
}

static struct cte *peer_slots(const struct cap *c)
{
	return cap_container_slots(c);
}

/* Side `gone` went: raise the peer-closed vector of every other side. */
static void tell_peers(const struct cap *c, uint64_t gone)
{
	struct cte *s = peer_slots(c);

	for (uint64_t i = 0; i < CAP_WINDOW_SLOTS; i++)
		if (i != gone && s[i].cap.type == SEL_OBJ_UINTR_SENDER)
			uintr_raise((struct uintr_receiver *)(uintptr_t)s[i].cap.object,
			            s[i].cap.word0);
}

bool window_cap_mapping(const struct cap *c, void **vs, vaddr_t *va, uint64_t *pages)
{
	if (c->type != SEL_OBJ_WINDOW || !(c->word0 & MAPPED) || cap_is_zombie(c))
		return false;
	*vs = mapped_vspace(c);
	*va = ALIGN_DOWN(c->word0, PAGE_SIZE);
	*pages = pages_of(c);
	return *vs != NULL;
}

/* Removes the pages of a mapping record (those that still map the region). */
static void unmap_pages(const struct cap *c)
{
	void *vs = mapped_vspace(c);
	vaddr_t va = ALIGN_DOWN(c->word0, PAGE_SIZE);

	if (!vs)
		return;
	for (uint64_t i = 0; i < pages_of(c); i++)
		pt_unmap_frame(vspace_root_pa(vs), va + i * PAGE_SIZE, region_pa(c) + i * PAGE_SIZE,
		               12);
	asid_flush((uint32_t)vspace_asid(vs));
}

static uint64_t pte_rights(uint64_t rights)
{
	return (rights & (SEL_RIGHT_READ | SEL_RIGHT_WRITE) ? PTE_R : 0) |
	       (rights & SEL_RIGHT_WRITE ? PTE_W : 0) | (rights & SEL_RIGHT_EXECUTE ? PTE_X : 0);
}

/* Every page of the mapping: its level-0 table in place and its entry free. */
static enum sel_error check_pages(void *vs, uint64_t va, uint64_t pages)
{
	for (uint64_t i = 0; i < pages; i++) {
		uint64_t *pte = pt_slot(vspace_root_pa(vs), va + i * PAGE_SIZE, 0);
		if (!pte)
			return SEL_ERR_NO_PAGE_TABLE;
		if (*pte & PTE_V)
			return SEL_ERR_ALREADY_MAPPED;
	}
	return SEL_OK;
}

static enum sel_error map_decode(struct tcb *t, const struct cte *w, const uint64_t *a,
                                 struct window_map_args *m, uint64_t *pages)
{
	uint64_t size = 1ull << w->cap.size_bits, len;
	enum sel_error err = window_map_unpack(t, a, m);

	if (err != SEL_OK)
		return err;
	if (w->cap.word0 & MAPPED)
		return SEL_ERR_ALREADY_MAPPED;
	if (!(m->rights & (SEL_RIGHT_READ | SEL_RIGHT_WRITE)) || m->side >= CAP_WINDOW_SLOTS)
		return SEL_ERR_INVALID_ARG;
	if (!cap_rights_within(m->rights, w->cap.rights))
		return SEL_ERR_NO_RIGHTS;
	len = m->length ? m->length : size;
	if (len > size || !IS_ALIGNED(len, PAGE_SIZE) || !IS_ALIGNED(m->vaddr, PAGE_SIZE) ||
	    m->vaddr >= SEL_USER_MAP_END || len > SEL_USER_MAP_END - m->vaddr)
		return SEL_ERR_RANGE;
	*pages = len / PAGE_SIZE;
	return check_pages(vspace_of(m->vspace), m->vaddr, *pages);
}

static void map(struct cte *w, const struct window_map_args *m, uint64_t pages)
{
	void *vs = vspace_of(m->vspace);
	enum sel_error err;

	for (uint64_t i = 0; i < pages; i++) {
		err = pt_map_frame(vspace_root_pa(vs), m->vaddr + i * PAGE_SIZE,
		                   region_pa(&w->cap) + i * PAGE_SIZE, 12, pte_rights(m->rights));
		assert(err == SEL_OK); /* check_pages() found every entry free */
		(void)err;
	}
	w->cap.word0 =
	    m->vaddr | (pages - 1) << PAGES_SHIFT | (uint64_t)m->side << SIDE_SHIFT | MAPPED;
	w->cap.word1 = vspace_mapping_word(vs);
}

static enum sel_error set_peer(struct tcb *t, struct cte *w, const uint64_t *a)
{
	struct window_set_peer_args p;
	struct cte *dst;
	enum sel_error err = window_set_peer_unpack(t, a, &p);

	if (err != SEL_OK)
		return err;
	if (p.side >= CAP_WINDOW_SLOTS)
		return SEL_ERR_INVALID_ARG;
	dst = peer_slots(&w->cap) + p.side;
	(void)cdt_delete_unpreempted(dst);
	if (p.sender) {
		err = cdt_copy(&kernel_cdt, p.sender, dst, SEL_RIGHTS_ALL);
		assert(err == SEL_OK); /* a live sender, checked; the slot emptied */
	}
	return SEL_OK;
}

static void unmap(struct cte *w)
{
	if (!(w->cap.word0 & MAPPED))
		return;
	unmap_pages(&w->cap);
	tell_peers(&w->cap, side_of(&w->cap));
	w->cap.word0 = 0;
	w->cap.word1 = 0;
}

static enum sel_error info(const struct cte *w, struct syscall_args *args)
{
	enum sel_error err = window_info_unpack(args->a);

	if (err != SEL_OK)
		return err;
	args->out[1] = 1ull << w->cap.size_bits;
	args->out[2] = w->cap.word0 & MAPPED ? ALIGN_DOWN(w->cap.word0, PAGE_SIZE) : 0;
	args->out[3] = side_of(&w->cap);
	return SEL_OK;
}

/* objects.c checked the label and the rights of the invoked cap. */
enum sel_error window_decode(struct tcb *t, struct cte *w, struct syscall_args *args)
{
	struct window_map_args m;
	uint64_t pages = 0;
	enum sel_error err;

	switch (args->a[1]) {
	case SEL_WINDOW_MAP:
		err = map_decode(t, w, args->a, &m, &pages);
		if (err == SEL_OK)
			map(w, &m, pages);
		return err;
	case SEL_WINDOW_UNMAP:
		err = window_unmap_unpack(args->a);
		if (err == SEL_OK)
			unmap(w);
		return err;
	case SEL_WINDOW_SET_PEER:
		return set_peer(t, w, args->a);
	default: /* SEL_WINDOW_INFO */
		return info(w, args);
	}
}

void window_cap_removed(const struct cap *c)
{
	if (c->type != SEL_OBJ_WINDOW || !(c->word0 & MAPPED) || cap_is_zombie(c))
		return;
	unmap_pages(c);
	tell_peers(c, side_of(c));
}
