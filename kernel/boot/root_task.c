/*
 * The root task loader.
 *
 * The root task's ELF is linked into the kernel image (root_image.S,
 * generated per boot image). It is trusted, but still checked: a malformed
 * ELF panics with the reason instead of loading garbage. Every page comes
 * from the boot allocator: PT_LOAD segments (with their R/W/X, always U),
 * SEL_USER_STACK_PAGES of stack below SEL_USER_STACK_TOP, the read-only
 * boot-info page at SEL_BOOTINFO_VADDR, the IPC buffer page at
 * SEL_IPC_BUFFER_VADDR, and the thread itself. The thread starts at the ELF
 * entry with a0 = SEL_BOOTINFO_VADDR, sp = stack top, tp = IPC buffer.
 */
#include "boot/root_task.h"
#include "arch/riscv/memory.h"
#include "arch/riscv/sv39.h"
#include "boot/boot_alloc.h"
#include "lib/panic.h"
#include "lib/string.h"
#include "object/vspace.h"
#include <common/elf.h>

extern const uint8_t root_image_start[], root_image_end[];

static const struct elf64_ehdr *check_elf(const uint8_t *img, uint64_t size)
{
	const struct elf64_ehdr *eh = (const void *)img;

	if (size < sizeof(*eh) || eh->magic != ELF_MAGIC || eh->class != ELFCLASS64)
		panic("root task: not an ELF64 image (%lu bytes)", size);
	if (eh->machine != EM_RISCV || eh->type != ET_EXEC)
		panic("root task: not a RISC-V executable");
	if (eh->phentsize != sizeof(struct elf64_phdr) ||
	    eh->phoff + (uint64_t)eh->phnum * sizeof(struct elf64_phdr) > size)
		panic("root task: program headers out of bounds");
	return eh;
}

static uint64_t pte_rights(uint32_t pflags)
{
	return (pflags & PF_R ? PTE_R : 0) | (pflags & PF_W ? PTE_W | PTE_R : 0) |
	       (pflags & PF_X ? PTE_X : 0);
}

static void load_segment(paddr_t root, const uint8_t *img, uint64_t size,
                         const struct elf64_phdr *ph)
{
	if (ph->offset + ph->filesz > size || ph->filesz > ph->memsz ||
	    ph->vaddr + ph->memsz < ph->vaddr ||
	    ph->vaddr + ph->memsz > SEL_USER_STACK_TOP - SEL_USER_STACK_PAGES * PAGE_SIZE)
		panic("root task: segment at 0x%lx out of bounds", ph->vaddr);
	for (vaddr_t va = ALIGN_DOWN(ph->vaddr, PAGE_SIZE); va < ph->vaddr + ph->memsz;
	     va += PAGE_SIZE) {
		paddr_t pa = boot_alloc_page(); /* zeroed: the part past filesz stays 0 */
		uint64_t from = va > ph->vaddr ? va : ph->vaddr;
		uint64_t end = ph->vaddr + ph->filesz;
		uint64_t to = va + PAGE_SIZE < end ? va + PAGE_SIZE : end;
		if (from < to)
			memcpy((uint8_t *)phys_to_virt(pa) + (from - va),
			       img + ph->offset + (from - ph->vaddr), to - from);
		if (!vspace_map_page(root, va, pa, pte_rights(ph->flags), boot_alloc_page))
			panic("root task: segments overlap at 0x%lx", va);
	}
}

static uint64_t load_elf(paddr_t root)
{
	const uint8_t *img = root_image_start;
	uint64_t size = (uint64_t)(root_image_end - root_image_start);
	const struct elf64_ehdr *eh = check_elf(img, size);
	const struct elf64_phdr *ph = (const void *)(img + eh->phoff);

	for (uint16_t i = 0; i < eh->phnum; i++)
		if (ph[i].type == PT_LOAD && ph[i].memsz)
			load_segment(root, img, size, &ph[i]);
	return eh->entry;
}

/* Maps a fresh zeroed page at va and returns its kernel address. */
static void *map_fresh(paddr_t root, vaddr_t va, uint64_t rights)
{
	paddr_t pa = boot_alloc_page();

	if (!vspace_map_page(root, va, pa, rights, boot_alloc_page))
		panic("root task: 0x%lx already mapped", va);
	return phys_to_virt(pa);
}

struct tcb *root_task_create(struct sel_bootinfo **bootinfo, void **vspace, void **ipc_frame)
{
	_Static_assert(sizeof(struct sel_bootinfo) <= PAGE_SIZE, "boot info fits a page");
	_Static_assert(sizeof(struct tcb) <= PAGE_SIZE, "root TCB fits a page");
	void *vs = phys_to_virt(boot_alloc_aligned(VSPACE_OBJECT_BITS));
	paddr_t root = vspace_root_pa(vs);
	struct tcb *t = phys_to_virt(boot_alloc_page());

	vspace_object_init(vs);
	*vspace = vs;
	uint64_t entry = load_elf(root);
	for (uint32_t i = 1; i <= SEL_USER_STACK_PAGES; i++)
		map_fresh(root, SEL_USER_STACK_TOP - i * PAGE_SIZE, PTE_R | PTE_W);
	*bootinfo = map_fresh(root, SEL_BOOTINFO_VADDR, PTE_R);
	*ipc_frame = map_fresh(root, SEL_IPC_BUFFER_VADDR, PTE_R | PTE_W);
	t->ipc_buffer = SEL_IPC_BUFFER_VADDR;
	t->ctx.regs[REG_TP] = SEL_IPC_BUFFER_VADDR;

	strlcpy(t->name, "root", sizeof(t->name));
	t->tid = 1;
	t->mcp = SEL_PRIORITIES - 1; /* the root task may give any priority */
	t->ctx.pc = entry;
	t->ctx.full = 1;
	t->ctx.regs[REG_SP] = SEL_USER_STACK_TOP;
	t->ctx.regs[REG_A0] = SEL_BOOTINFO_VADDR;
	return t;
}
