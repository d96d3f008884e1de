/*
 * The root task's initial capabilities.
 *
 * Boot creates the objects outside any Untyped (they are roots of the
 * derivation tree): the root CNode (2^SEL_ROOT_CNODE_BITS slots, guard of
 * 64 - radix zero bits, so a capability address is a slot index), the
 * root thread's TCB, its VSpace, its IPC buffer's Frame (held only in the
 * TCB), and the ASID control, IRQ control and debug capabilities. Then every free RAM range is cut
 * into naturally aligned power-of-two blocks, each an Untyped cap, and the
 * MMIO of the devices the kernel does not keep (UART, RTC, virtio) becomes
 * device Untyped. The kernel keeps no memory it does not already use: from
 * here on, every object is carved by the root task.
 */
#include "boot/boot_caps.h"
#include "arch/riscv/memory.h"
#include "boot/boot_alloc.h"
#include "lib/panic.h"
#include "object/objects.h"

/* Identities of the capabilities to objects without memory. */
static uint8_t debug_object ALIGNED(8), asid_control ALIGNED(8), irq_control ALIGNED(8);

static struct cte *root_slots;

static void insert(uint32_t slot, struct cap cap)
{
	int err = cdt_insert_root(&kernel_cdt, &root_slots[slot], cap);

	if (err != SEL_OK)
		panic("boot: initial cap in slot %u refused (error %d)", slot, err);
}

static uint32_t largest_block(paddr_t base, uint64_t size)
{
	uint32_t bits = CAP_UNTYPED_MAX_BITS;

	while (bits > PAGE_SHIFT && ((base & ((1ull << bits) - 1)) || (1ull << bits) > size))
		bits--;
	return bits;
}

/* Cuts [base, base + size) into aligned Untyped caps listed in bi. */
static void add_untyped(struct sel_bootinfo *bi, paddr_t base, uint64_t size, bool device)
{
	while (size >= PAGE_SIZE && bi->n_untyped < SEL_BOOTINFO_MAX_UNTYPED) {
		uint32_t bits = largest_block(base, size);
		uint32_t slot = SEL_SLOT_FIRST_FREE + bi->n_untyped;
		struct cap c = {.type = SEL_OBJ_UNTYPED,
		                .rights = SEL_RIGHTS_ALL,
		                .size_bits = (uint8_t)bits,
		                .flags = device ? CAP_FLAG_DEVICE : 0,
		                .object = (uint64_t)(uintptr_t)phys_to_virt(base)};
		insert(slot, c);
		bi->untyped[bi->n_untyped++] = (struct sel_untyped_desc){
		    .paddr = base, .slot = slot, .size_bits = (uint8_t)bits, .is_device = device};
		base += 1ull << bits;
		size -= 1ull << bits;
	}
}

static void create_fixed_caps(struct tcb *root, void *vspace, paddr_t cnode_pa)
{
	insert(SEL_SLOT_CNODE, (struct cap){.type = SEL_OBJ_CNODE,
	                                    .rights = SEL_RIGHTS_ALL,
	                                    .size_bits = SEL_ROOT_CNODE_BITS,
	                                    .guard_bits = 64 - SEL_ROOT_CNODE_BITS,
	                                    .object = (uint64_t)(uintptr_t)phys_to_virt(cnode_pa)});
	insert(SEL_SLOT_TCB, (struct cap){.type = SEL_OBJ_TCB,
	                                  .rights = SEL_RIGHTS_ALL,
	                                  .object = (uint64_t)(uintptr_t)root});
	insert(SEL_SLOT_DEBUG, (struct cap){.type = SEL_OBJ_DEBUG,
	                                    .rights = SEL_RIGHTS_ALL,
	                                    .object = (uint64_t)(uintptr_t)&debug_object});
	insert(SEL_SLOT_ASID_CONTROL, (struct cap){.type = SEL_OBJ_ASID_CONTROL,
	                                           .rights = SEL_RIGHTS_ALL,
	                                           .object = (uint64_t)(uintptr_t)&asid_control});
	insert(SEL_SLOT_IRQ_CONTROL, (struct cap){.type = SEL_OBJ_IRQ_CONTROL,
	                                          .rights = SEL_RIGHTS_ALL,
	                                          .object = (uint64_t)(uintptr_t)&irq_control});
	insert(SEL_SLOT_VSPACE, (struct cap){.type = SEL_OBJ_VSPACE,
	                                     .rights = SEL_RIGHTS_ALL,
	                                     .object = (uint64_t)(uintptr_t)vspace});
	if (cdt_copy(&kernel_cdt, &root_slots[SEL_SLOT_CNODE], tcb_cspace_root(root),
	             SEL_RIGHTS_ALL) != SEL_OK ||
	    cdt_copy(&kernel_cdt, &root_slots[SEL_SLOT_VSPACE], tcb_slot(root, TCB_SLOT_VSPACE),
	             SEL_RIGHTS_ALL) != SEL_OK)
		panic("boot: cannot give the root thread its CSpace and VSpace");
}

/* The root thread's IPC buffer: a Frame cap only the TCB holds. */
static void give_ipc_buffer(struct tcb *root, void *frame)
{
	struct cap c = {.type = SEL_OBJ_FRAME,
	                .rights = SEL_RIGHT_READ | SEL_RIGHT_WRITE,
	                .size_bits = CAP_FRAME_SMALL_BITS,
	                .object = (uint64_t)(uintptr_t)frame};

	if (cdt_insert_root(&kernel_cdt, tcb_slot(root, TCB_SLOT_IPC_BUFFER), c) != SEL_OK)
		panic("boot: cannot give the root thread its IPC buffer");
}

void boot_caps_create(struct tcb *root, void *vspace, void *ipc_frame, struct sel_bootinfo *bi,
                      const struct dt_info *dt)
{
	paddr_t cnode_pa = boot_alloc_aligned(SEL_ROOT_CNODE_BITS + CAP_SLOT_BITS);

	root_slots = phys_to_virt(cnode_pa);
	create_fixed_caps(root, vspace, cnode_pa);
	give_ipc_buffer(root, ipc_frame);
	for (uint32_t i = 0; i < boot_free.n; i++)
		add_untyped(bi, boot_free.r[i].base, boot_free.r[i].size, false);
	for (uint32_t i = 0; i < dt->n_devices; i++)
		add_untyped(bi, ALIGN_DOWN(dt->devices[i].base, PAGE_SIZE),
		            ALIGN_UP(dt->devices[i].size, PAGE_SIZE), true);
	bi->first_free_slot = SEL_SLOT_FIRST_FREE + bi->n_untyped;
	boot_free.n = 0; /* it all belongs to the root task now */
}
