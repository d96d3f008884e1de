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
 */
#include "object/window.h"
#include "arch/riscv/asid.h"
#include "arch/riscv/memory.h"
#include "arch/riscv/sv39.h"
#include "ipc/uintr.h"
#include "object/objects.h"
#include "object/vspace.h"
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

static int check_map(const struct cte *w, const struct syscall_args *args, uint64_t *pages)
{
	uint64_t va = args->a[3], rights = args->a[4], len = args->a[5];
	uint64_t size = 1ull << w->cap.size_bits;

	if (w->cap.word0 & MAPPED)
		return SEL_ERR_ALREADY_MAPPED;
	if (rights > SEL_RIGHTS_ALL || !(rights & (SEL_RIGHT_READ | SEL_RIGHT_WRITE)) ||
	    args->a[6] >= CAP_WINDOW_SLOTS)
		return SEL_ERR_INVALID_ARG;
	if (!cap_rights_within((uint32_t)rights, w->cap.rights))
		return SEL_ERR_NO_RIGHTS;
	if (len == 0)
		len = size;
	if (len > size || !IS_ALIGNED(len, PAGE_SIZE) || !IS_ALIGNED(va, PAGE_SIZE) ||
	    va >= SEL_USER_MAP_END || len > SEL_USER_MAP_END - va)
		return SEL_ERR_RANGE;
	*pages = len / PAGE_SIZE;
	return SEL_OK;
}

static int map(struct tcb *t, struct cte *w, struct syscall_args *args)
{
	uint64_t pages, va = args->a[3], i;
	void *vs;
	int err = check_map(w, args, &pages);

	if (err == SEL_OK)
		err = decode_vspace(t, args->a[2], &vs);
	for (i = 0; err == SEL_OK && i < pages; i++)
		err = pt_map_frame(vspace_root_pa(vs), va + i * PAGE_SIZE,
		                   region_pa(&w->cap) + i * PAGE_SIZE, 12, pte_rights(args->a[4]));
	if (err != SEL_OK && i > 1) {
		while (i-- > 1) /* the pages mapped before the failure */
			pt_unmap_frame(vspace_root_pa(vs), va + (i - 1) * PAGE_SIZE,
			               region_pa(&w->cap) + (i - 1) * PAGE_SIZE, 12);
		/* another hart running this VSpace may have cached them meanwhile */
		asid_flush((uint32_t)vspace_asid(vs));
	}
	if (err != SEL_OK)
		return err;
	w->cap.word0 = va | (pages - 1) << PAGES_SHIFT | args->a[6] << SIDE_SHIFT | MAPPED;
	w->cap.word1 = vspace_mapping_word(vs);
	return SEL_OK;
}

static int set_peer(struct tcb *t, struct cte *w, struct syscall_args *args)
{
	struct cte *dst, *src;
	int err;

	if (args->a[2] >= CAP_WINDOW_SLOTS)
		return SEL_ERR_INVALID_ARG;
	dst = peer_slots(&w->cap) + args->a[2];
	err = cdt_delete_unpreempted(dst);
	if (err != SEL_OK || !args->a[3])
		return err;
	err = lookup_cap(t, args->a[3], SEL_OBJ_UINTR_SENDER, 0, &src);
	return err != SEL_OK ? err : (int)cdt_copy(&kernel_cdt, src, dst, SEL_RIGHTS_ALL);
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

int window_decode(struct tcb *t, struct cte *w, struct syscall_args *args)
{
	uint64_t label = args->a[1];

	if ((label == SEL_WINDOW_UNMAP || label == SEL_WINDOW_SET_PEER) &&
	    !(w->cap.rights & SEL_RIGHT_WRITE))
		return SEL_ERR_NO_RIGHTS;
	switch (label) {
	case SEL_WINDOW_MAP:
		return map(t, w, args);
	case SEL_WINDOW_UNMAP:
		unmap(w);
		return SEL_OK;
	case SEL_WINDOW_SET_PEER:
		return set_peer(t, w, args);
	case SEL_WINDOW_INFO:
		args->out[1] = 1ull << w->cap.size_bits;
		args->out[2] = w->cap.word0 & MAPPED ? ALIGN_DOWN(w->cap.word0, PAGE_SIZE) : 0;
		args->out[3] = side_of(&w->cap);
		return SEL_OK;
	default:
		return SEL_ERR_ILLEGAL_OP;
	}
}

void window_cap_removed(const struct cap *c)
{
	if (c->type != SEL_OBJ_WINDOW || !(c->word0 & MAPPED) || cap_is_zombie(c))
		return;
	unmap_pages(c);
	tell_peers(c, side_of(c));
}
