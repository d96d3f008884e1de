/*
 * The process spawner (see <sel/spawn.h>).
 *
 * create: from the budget, a CNode (guard 64 - radix, so addresses are slot
 * indices), a VSpace and a TCB; then each PT_LOAD segment page by page: a
 * frame from the budget, mapped at the caller's window, zeroed and filled
 * from the file, unmapped, and mapped into the child with the segment's
 * rights (page tables are carved and mapped as the child's address space
 * needs them); then the stack. The caps stay in the caller's slots
 * [first, first + SEL_PROCESS_SLOTS): the child holds only what it is given.
 * destroy: suspend, revoke the budget (every object goes, every mapping
 * with it), reset the budget.
 */
#include <sel/spawn.h>
#include <sel/string.h>
#include <selene/bootinfo.h>
#include <common/elf.h>

#define PAGE 4096ull

static const struct elf64_ehdr *elf_check(const void *elf, size_t size)
{
	const struct elf64_ehdr *eh = elf;

	if (size < sizeof(*eh) || eh->magic != ELF_MAGIC || eh->class != ELFCLASS64 ||
	    eh->machine != EM_RISCV || eh->phentsize != sizeof(struct elf64_phdr) ||
	    eh->phoff + (uint64_t)eh->phnum * sizeof(struct elf64_phdr) > size)
		return NULL;
	return eh;
}

/* The next of the process's slots in the caller's CNode. */
static int next_slot(struct sel_process *p, uint64_t *slot)
{
	if (p->used >= (p->max_slots ? p->max_slots : SEL_PROCESS_SLOTS))
		return SEL_ERR_NO_MEMORY;
	*slot = p->first + p->used++;
	return SEL_OK;
}

static int carve(const struct sel_spawner *sp, struct sel_process *p, enum sel_object_type type,
                 uint32_t bits, uint64_t *slot)
{
	int err = next_slot(p, slot);
	return err != SEL_OK ? err : sel_untyped_retype(p->budget, type, bits, sp->cnode, *slot, 1);
}

/* Maps frame at va in the child, adding page tables until it fits. */
static int map_in_child(const struct sel_spawner *sp, struct sel_process *p, uint64_t frame,
                        uint64_t va, uint32_t rights)
{
	for (int tries = 0; tries < 3; tries++) {
		int err = sel_frame_map(frame, p->vspace, va, rights);
		if (err != SEL_ERR_NO_PAGE_TABLE)
			return err;
		uint64_t pt;
		err = carve(sp, p, SEL_OBJ_PAGE_TABLE, 0, &pt);
		if (err == SEL_OK)
			err = sel_page_table_map(pt, p->vspace, va);
		if (err != SEL_OK)
			return err;
	}
	return SEL_ERR_NO_PAGE_TABLE;
}

/* The parts of p->patches that fall in the child's page at va, over its copy at the window. */
static void apply_patches(const struct sel_spawner *sp, const struct sel_process *p, uint64_t va)
{
	for (uint32_t i = 0; i < p->npatches; i++) {
		const struct sel_patch *pt = &p->patches[i];
		uint64_t lo = pt->vaddr > va ? pt->vaddr : va;
		uint64_t hi = pt->vaddr + pt->len < va + PAGE ? pt->vaddr + pt->len : va + PAGE;
		if (lo < hi)
			memcpy((uint8_t *)sp->window + (lo - va),
			       (const uint8_t *)pt->data + (lo - pt->vaddr), hi - lo);
	}
}

/* One page of the child: filled from src[0..n) and zeroes, mapped at va. */
static int child_page(const struct sel_spawner *sp, struct sel_process *p, uint64_t va,
                      const uint8_t *src, uint64_t off, uint64_t n, uint32_t rights)
{
	uint64_t frame;
	int err = carve(sp, p, SEL_OBJ_FRAME, 12, &frame);

	if (err == SEL_OK)
		err =
		    sel_frame_map(frame, sp->vspace, sp->window, SEL_RIGHT_READ | SEL_RIGHT_WRITE);
	if (err != SEL_OK)
		return err;
	memset((void *)sp->window, 0, PAGE);
	if (n)
		memcpy((uint8_t *)sp->window + off, src, n);
	apply_patches(sp, p, va);
	err = sel_frame_unmap(frame);
	return err != SEL_OK ? err : map_in_child(sp, p, frame, va, rights);
}

static uint32_t segment_rights(uint32_t flags)
{
	return (flags & 1 ? SEL_RIGHT_EXECUTE : 0) | (flags & 2 ? SEL_RIGHT_WRITE : 0) |
	       SEL_RIGHT_READ;
}

static int load_segment(const struct sel_spawner *sp, struct sel_process *p, const uint8_t *elf,
                        size_t size, const struct elf64_phdr *ph)
{
	if (ph->offset + ph->filesz > size || ph->filesz > ph->memsz ||
	    ph->vaddr + ph->memsz > SEL_USER_STACK_TOP - SEL_PROCESS_STACK_PAGES * PAGE)
		return SEL_ERR_INVALID_ARG;
	for (uint64_t va = ph->vaddr & ~(PAGE - 1); va < ph->vaddr + ph->memsz; va += PAGE) {
		/* The file bytes that land in [va, va + PAGE). */
		uint64_t lo = va > ph->vaddr ? va : ph->vaddr;
		uint64_t hi =
		    ph->vaddr + ph->filesz < va + PAGE ? ph->vaddr + ph->filesz : va + PAGE;
		uint64_t n = hi > lo ? hi - lo : 0;
		int err = child_page(sp, p, va, elf + ph->offset + (lo - ph->vaddr), lo - va, n,
		                     segment_rights(ph->flags));
		if (err != SEL_OK)
			return err;
	}
	return SEL_OK;
}

int sel_process_load(const struct sel_spawner *sp, struct sel_process *p, const void *elf,
                     size_t elf_size)
{
	const struct elf64_ehdr *eh = elf_check(elf, elf_size);

	if (!eh)
		return SEL_ERR_INVALID_ARG;
	const struct elf64_phdr *ph = (const void *)((const uint8_t *)elf + eh->phoff);
	for (uint16_t i = 0; i < eh->phnum; i++) {
		if (ph[i].type != PT_LOAD || !ph[i].memsz)
			continue;
		int err = load_segment(sp, p, elf, elf_size, &ph[i]);
		if (err != SEL_OK)
			return err;
	}
	return SEL_OK;
}

static int make_objects(const struct sel_spawner *sp, struct sel_process *p)
{
	uint64_t raw;
	int err = carve(sp, p, SEL_OBJ_CNODE, p->cnode_bits, &raw);

	/* The child's CNode cap with a guard making addresses slot indices. */
	if (err == SEL_OK)
		err = next_slot(p, &p->cnode);
	if (err == SEL_OK)
		err = sel_cnode_mutate(sp->cnode, p->cnode, raw, SEL_DEPTH_FULL, SEL_RIGHTS_ALL,
		                       64 - p->cnode_bits);
	if (err == SEL_OK)
		err = carve(sp, p, SEL_OBJ_VSPACE, 0, &p->vspace);
	if (err == SEL_OK)
		err = carve(sp, p, SEL_OBJ_TCB, 0, &p->tcb);
	if (err == SEL_OK)
		err = sel_tcb_configure(p->tcb, p->cnode, p->vspace, 0, 0);
	if (err == SEL_OK)
		err = sel_process_give(sp, p, p->cnode, SEL_SLOT_CNODE, SEL_RIGHTS_ALL);
	if (err == SEL_OK)
		err = sel_process_give(sp, p, p->vspace, SEL_SLOT_VSPACE, SEL_RIGHTS_ALL);
	return err;
}

/* The main thread's IPC buffer, mapped at SEL_IPC_BUFFER_VADDR. */
static int give_ipc_buffer(const struct sel_spawner *sp, struct sel_process *p)
{
	uint64_t frame;
	int err = carve(sp, p, SEL_OBJ_FRAME, 12, &frame);

	if (err == SEL_OK)
		err = map_in_child(sp, p, frame, SEL_IPC_BUFFER_VADDR,
		                   SEL_RIGHT_READ | SEL_RIGHT_WRITE);
	return err != SEL_OK
	           ? err
	           : sel_tcb_configure(p->tcb, p->cnode, p->vspace, frame, SEL_IPC_BUFFER_VADDR);
}

int sel_process_create(const struct sel_spawner *sp, sel_cptr_t budget, uint64_t first_slot,
                       const void *elf, size_t elf_size, struct sel_process *p)
{
	static const struct sel_process_opts none = {NULL, 0, 0, 0};

	return sel_process_create_with(sp, budget, first_slot, elf, elf_size, &none, p);
}

int sel_process_create_with(const struct sel_spawner *sp, sel_cptr_t budget, uint64_t first_slot,
                            const void *elf, size_t elf_size, const struct sel_process_opts *o,
                            struct sel_process *p)
{
	const struct elf64_ehdr *eh = elf_check(elf, elf_size);
	int err;

	memset(p, 0, sizeof(*p));
	p->patches = o->patches;
	p->npatches = o->npatches;
	p->cnode_bits = o->cnode_bits ? o->cnode_bits : SEL_PROCESS_CNODE_BITS;
	p->max_slots = o->slots ? o->slots : SEL_PROCESS_SLOTS;
	p->budget = budget;
	p->first = first_slot;
	if (!eh)
		return SEL_ERR_INVALID_ARG;
	p->entry = eh->entry;
	err = make_objects(sp, p);
	if (err == SEL_OK)
		err = sel_process_load(sp, p, elf, elf_size);
	for (uint64_t i = 1; err == SEL_OK && i <= SEL_PROCESS_STACK_PAGES; i++)
		err = child_page(sp, p, SEL_USER_STACK_TOP - i * PAGE, NULL, 0, 0,
		                 SEL_RIGHT_READ | SEL_RIGHT_WRITE);
	return err != SEL_OK ? err : give_ipc_buffer(sp, p);
}

int sel_process_give(const struct sel_spawner *sp, struct sel_process *p, sel_cptr_t src,
                     uint64_t dest, uint32_t rights)
{
	return sel_cnode_op(SEL_CNODE_COPY, sel_slot_in(p->cnode, dest, SEL_DEPTH_FULL),
	                    sel_slot_in(sp->cnode, src, SEL_DEPTH_FULL), rights, 0);
}

int sel_process_give_untyped(const struct sel_spawner *sp, struct sel_process *p, uint32_t bits,
                             uint64_t dest)
{
	uint64_t ut;
	int err = carve(sp, p, SEL_OBJ_UNTYPED, bits, &ut);

	return err != SEL_OK
	           ? err
	           : sel_cnode_op(SEL_CNODE_MOVE, sel_slot_in(p->cnode, dest, SEL_DEPTH_FULL),
	                          sel_slot_in(sp->cnode, ut, SEL_DEPTH_FULL), 0, 0);
}

int sel_process_map(const struct sel_spawner *sp, struct sel_process *p, sel_cptr_t frame,
                    uint64_t vaddr, uint32_t rights)
{
	uint64_t copy;
	int err = next_slot(p, &copy);

	if (err == SEL_OK)
		err = sel_cnode_copy(sp->cnode, copy, frame, SEL_DEPTH_FULL, SEL_RIGHTS_ALL);
	return err != SEL_OK ? err : map_in_child(sp, p, copy, vaddr, rights);
}

int sel_process_start(struct sel_process *p, uint64_t arg)
{
	struct sel_user_regs r;

	memset(&r, 0, sizeof(r));
	r.pc = p->entry;
	r.x[1] = SEL_USER_STACK_TOP;   /* sp */
	r.x[3] = SEL_IPC_BUFFER_VADDR; /* tp: the IPC buffer (sel_ipc_buffer()) */
	r.x[9] = arg;                  /* a0 */
	int err = sel_tcb_write_registers(p->tcb, &r);
	return err != SEL_OK ? err : sel_tcb_resume(p->tcb);
}

int sel_process_destroy(const struct sel_spawner *sp, struct sel_process *p)
{
	int err = sel_tcb_suspend(p->tcb);

	if (err == SEL_OK || err == SEL_ERR_EMPTY_SLOT)
		err = sel_cnode_revoke(sp->cnode, p->budget, SEL_DEPTH_FULL, 0);
	/* Caps that were not carved from the budget (frames lent with sel_process_map). */
	for (uint64_t i = 0; err == SEL_OK && i < p->used; i++)
		err = sel_cnode_delete(sp->cnode, p->first + i, SEL_DEPTH_FULL, 0);
	return err != SEL_OK ? err : sel_untyped_reset(p->budget);
}

uint64_t sel_elf_symbol(const void *elf, size_t size, const char *name)
{
	const struct elf64_ehdr *eh = elf_check(elf, size);
	const uint8_t *base = elf;

	if (!eh || eh->shentsize != sizeof(struct elf64_shdr) ||
	    eh->shoff + (uint64_t)eh->shnum * sizeof(struct elf64_shdr) > size)
		return 0;
	const struct elf64_shdr *sh = (const void *)(base + eh->shoff);
	for (uint16_t i = 0; i < eh->shnum; i++) {
		if (sh[i].type != SHT_SYMTAB || sh[i].link >= eh->shnum ||
		    sh[i].offset + sh[i].size > size)
			continue;
		const struct elf64_shdr *str = &sh[sh[i].link];
		const struct elf64_sym *sym = (const void *)(base + sh[i].offset);
		for (uint64_t k = 0; k < sh[i].size / sizeof(*sym); k++)
			if (sym[k].name < str->size &&
			    !strncmp((const char *)base + str->offset + sym[k].name, name,
			             str->size - sym[k].name))
				return sym[k].value;
	}
	return 0;
}
