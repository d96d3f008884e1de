/*
 * VSpace, PageTable and Frame objects and their invocations (see vspace.h).
 *
 * PageTable Map and Unmap need Write on the PageTable cap (and Map needs
 * Write on the VSpace cap, as Frame Map does: idl/kernel/vspace.idl). PageTable Map installs the table as the next missing level for the
 * address (a level-1 table under the root, or a level-0 table under a
 * level-1 one). Frame Map needs the level-0 (4 KiB) or level-1 (2 MiB)
 * table in place (SEL_ERR_NO_PAGE_TABLE otherwise), and maps with rights
 * within the cap's: Read, Write (implies Read), Execute. Unmapping, by
 * invocation or because the cap is deleted, fences the VSpace's ASID on
 * every hart before the call returns.
 *
 * Every translation a live VSpace holds is accounted for by a mapping
 * record in a cap. A PageTable is cleared whenever its mapping ends
 * (Unmap, its cap deleted, or unmapping a record whose VSpace is gone), so
 * a table mapped again starts empty and never carries old entries -- and
 * the frames they named, perhaps freed and retyped since -- to its new
 * place. Tables below a cleared one keep their entries but are
 * unreachable until their own cap is unmapped, which clears them too.
 */
#include "object/vspace.h"
#include "arch/riscv/asid.h"
#include "arch/riscv/memory.h"
#include "arch/riscv/sv39.h"
#include "lib/inject.h"
#include "lib/panic.h"
#include "object/objects.h"
#include "sched/scheduler.h"
#include "kernel_unpack.h"
#include <selene/invocation.h>
#include <selene/kinfo.h>

#define MAPPED      1ull
#define LEVEL_SHIFT 1
#define GEN_SHIFT   16

static uint64_t generations;

static struct vspace *meta(const void *obj)
{
	return (struct vspace *)((uintptr_t)obj + PAGE_SIZE);
}

void vspace_object_init(void *obj)
{
	vspace_init_root(virt_to_phys(obj));
	meta(obj)->generation = ++generations;
	meta(obj)->asid = asid_alloc(obj);
	assert(meta(obj)->asid != 0 /* retype checked asid_available() */);
	meta(obj)->satp =
	    SATP_MODE_SV39 | meta(obj)->asid << SATP_ASID_SHIFT | virt_to_phys(obj) >> PAGE_SHIFT;
}

/*
 * The last cap went (deleted, or revoked with its Untyped): no thread may
 * run in it and no hart's satp may name it once this returns, because its
 * memory may be retyped at once. Threads running in it on other harts are
 * stopped (as if they had faulted), and every hart still on its root moves
 * to the kernel's.
 */
void vspace_object_finalise(void *obj)
{
	if (!inject_on(INJECT_VSPACE_NO_EVICT)) {
		sched_stop_running_in(virt_to_phys(obj));
		vspace_evict(virt_to_phys(obj));
	}
	asid_free((uint32_t)meta(obj)->asid);
	meta(obj)->asid = 0;
	meta(obj)->satp = 0;
}

void vspace_switch(const void *obj)
{
	vspace_activate(virt_to_phys(obj), meta(obj)->asid);
}

paddr_t vspace_root_pa(const void *obj)
{
	return virt_to_phys(obj);
}

uint64_t vspace_asid(const void *obj)
{
	return meta(obj)->asid;
}

/* The VSpace a mapped cap points into, if it still exists. */
void *mapped_vspace(const struct cap *c)
{
	uint32_t asid = (uint32_t)(c->word1 & 0xffff);
	void *vs = asid ? asid_owner(asid) : NULL;

	return vs && meta(vs)->generation == c->word1 >> GEN_SHIFT ? vs : NULL;
}

bool vspace_cap_mapping(const struct cap *c, void **vs, vaddr_t *va, int *level)
{
	if ((c->type != SEL_OBJ_FRAME && c->type != SEL_OBJ_PAGE_TABLE) || !(c->word0 & MAPPED))
		return false;
	*vs = mapped_vspace(c);
	*va = ALIGN_DOWN(c->word0, PAGE_SIZE);
	*level = c->type == SEL_OBJ_FRAME ? (c->size_bits == 21 ? 1 : 0)
	                                  : (int)((c->word0 >> LEVEL_SHIFT) & 3);
	return *vs != NULL;
}

static void unmap_cap(struct cap *c)
{
	void *vs = mapped_vspace(c);
	vaddr_t va = ALIGN_DOWN(c->word0, PAGE_SIZE);
	paddr_t pa = virt_to_phys((void *)(uintptr_t)c->object);

	if (vs && c->type == SEL_OBJ_FRAME)
		pt_unmap_frame(vspace_root_pa(vs), va, pa, c->size_bits);
	else if (vs)
		pt_remove_table(vspace_root_pa(vs), va, (int)((c->word0 >> LEVEL_SHIFT) & 3), pa);
	if (vs)
		asid_flush((uint32_t)meta(vs)->asid);
	if (c->type == SEL_OBJ_PAGE_TABLE)
		pt_clear(pa); /* an unmapped table maps nothing: it cannot carry entries away */
	c->word0 = 0;
	c->word1 = 0;
}

void vspace_cap_removed(const struct cap *cap)
{
	struct cap copy = *cap;

	if ((copy.type == SEL_OBJ_FRAME || copy.type == SEL_OBJ_PAGE_TABLE) &&
	    (copy.word0 & MAPPED))
		unmap_cap(&copy);
}

/* The VSpace named by cptr in t's CSpace; mapping into it needs Write. */
/* The VSpace object of a cap the generated unpack checked (a VSpace, Write). */
void *vspace_of(const struct cte *slot)
{
	return (void *)(uintptr_t)slot->cap.object;
}

uint64_t vspace_mapping_word(const void *vs)
{
	return meta(vs)->asid | meta(vs)->generation << GEN_SHIFT;
}

static void record_mapping(struct cap *c, void *vs, vaddr_t va, int level)
{
	c->word0 = va | (uint64_t)level << LEVEL_SHIFT | MAPPED;
	c->word1 = vspace_mapping_word(vs);
}

static enum sel_error page_table_map(struct tcb *t, struct cte *pt, const uint64_t *a)
{
	struct page_table_map_args m;
	void *vs;
	int level;
	enum sel_error err = page_table_map_unpack(t, a, &m);

	if (err != SEL_OK)
		return err;
	if (pt->cap.word0 & MAPPED)
		return SEL_ERR_ALREADY_MAPPED;
	if (m.vaddr >= SEL_USER_MAP_END)
		return SEL_ERR_RANGE;
	vs = vspace_of(m.vspace);
	err = pt_install_table(vspace_root_pa(vs), m.vaddr,
	                       virt_to_phys((void *)(uintptr_t)pt->cap.object), &level);
	if (err == SEL_OK)
		record_mapping(&pt->cap, vs, ALIGN_DOWN(m.vaddr, PAGE_SIZE), level);
	return err;
}

static uint64_t pte_rights(uint64_t rights)
{
	uint64_t r = 0;

	if (rights & (SEL_RIGHT_READ | SEL_RIGHT_WRITE))
		r |= PTE_R;
	if (rights & SEL_RIGHT_WRITE)
		r |= PTE_W;
	if (rights & SEL_RIGHT_EXECUTE)
		r |= PTE_X;
	return r;
}

static enum sel_error frame_map(struct tcb *t, struct cte *fr, const uint64_t *a)
{
	struct frame_map_args m;
	uint64_t size = 1ull << fr->cap.size_bits;
	void *vs;
	enum sel_error err = frame_map_unpack(t, a, &m);

	if (err != SEL_OK)
		return err;
	if (fr->cap.word0 & MAPPED)
		return SEL_ERR_ALREADY_MAPPED;
	if (!(m.rights & (SEL_RIGHT_READ | SEL_RIGHT_WRITE)))
		return SEL_ERR_INVALID_ARG;
	if (!cap_rights_within(m.rights, fr->cap.rights))
		return SEL_ERR_NO_RIGHTS;
	if (!IS_ALIGNED(m.vaddr, size) || m.vaddr >= SEL_USER_MAP_END ||
	    m.vaddr + size > SEL_USER_MAP_END)
		return SEL_ERR_RANGE;
	vs = vspace_of(m.vspace);
	err = pt_map_frame(vspace_root_pa(vs), m.vaddr,
	                   virt_to_phys((void *)(uintptr_t)fr->cap.object), fr->cap.size_bits,
	                   pte_rights(m.rights));
	if (err == SEL_OK)
		record_mapping(&fr->cap, vs, m.vaddr, fr->cap.size_bits == 21 ? 1 : 0);
	return err;
}

/* Unmap of a PageTable or Frame: the record goes, the entry with it. */
static enum sel_error unmap(struct cte *c, enum sel_error err)
{
	if (err != SEL_OK)
		return err;
	vspace_cap_removed(&c->cap);
	c->cap.word0 = c->cap.word1 = 0;
	return SEL_OK;
}

enum sel_error page_table_decode(struct tcb *t, struct cte *pt, struct syscall_args *args)
{
	if (args->a[1] == SEL_PAGE_TABLE_MAP)
		return page_table_map(t, pt, args->a);
	return unmap(pt, page_table_unmap_unpack(args->a)); /* SEL_PAGE_TABLE_UNMAP */
}

static enum sel_error frame_info(struct cte *fr, struct syscall_args *args)
{
	enum sel_error err = frame_info_unpack(args->a);

	if (err != SEL_OK)
		return err;
	args->out[1] = virt_to_phys((void *)(uintptr_t)fr->cap.object);
	args->out[2] = fr->cap.size_bits;
	args->out[3] = fr->cap.word0 & MAPPED ? ALIGN_DOWN(fr->cap.word0, PAGE_SIZE) : 0;
	return SEL_OK;
}

enum sel_error frame_decode(struct tcb *t, struct cte *fr, struct syscall_args *args)
{
	switch (args->a[1]) {
	case SEL_FRAME_MAP:
		return frame_map(t, fr, args->a);
	case SEL_FRAME_UNMAP:
		return unmap(fr, frame_unmap_unpack(args->a));
	default: /* SEL_FRAME_INFO */
		return frame_info(fr, args);
	}
}

enum sel_error vspace_decode(struct tcb *t, struct cte *vs, struct syscall_args *args)
{
	enum sel_error err = vspace_info_unpack(args->a);

	(void)t;
	if (err == SEL_OK) /* SEL_VSPACE_INFO */
		args->out[1] = meta((void *)(uintptr_t)vs->cap.object)->asid;
	return err;
}
