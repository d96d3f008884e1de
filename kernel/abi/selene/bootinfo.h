/*
 * The boot-info page: what the kernel tells the root task at start.
 *
 * The kernel maps one read-only page at SEL_BOOTINFO_VADDR in the root
 * task's address space and passes its address in a0. Every field is a
 * fixed-width integer so the layout is the same for kernel and user.
 * Invariants: magic == SEL_BOOTINFO_MAGIC; version == SEL_BOOTINFO_VERSION;
 * n_harts <= SEL_MAX_HARTS; n_mem <= SEL_BOOTINFO_MAX_MEM.
 */
#ifndef SELENE_ABI_BOOTINFO_H
#define SELENE_ABI_BOOTINFO_H

#define SEL_BOOTINFO_MAGIC       0x53454c454e450001 /* "SELENE" + 1 */
#define SEL_BOOTINFO_VERSION     2
#define SEL_MAX_HARTS            8
#define SEL_BOOTINFO_MAX_MEM     8
#define SEL_BOOTARGS_MAX         128
#define SEL_BOOTINFO_MAX_UNTYPED 96

/*
 * The root task's CSpace: one CNode of 2^SEL_ROOT_CNODE_BITS slots whose
 * guard makes a capability address equal to a slot index (depth 64).
 * Fixed slots below SEL_SLOT_FIRST_FREE; Untyped caps follow, as listed
 * in untyped[]; slots from first_free_slot on are empty.
 */
#define SEL_ROOT_CNODE_BITS   12
#define SEL_SLOT_NULL         0 /* always empty */
#define SEL_SLOT_TCB          1 /* the root task's thread */
#define SEL_SLOT_CNODE        2 /* its CSpace root (this CNode) */
#define SEL_SLOT_DEBUG        3 /* the debug capability */
#define SEL_SLOT_VSPACE       4 /* the root task's VSpace */
#define SEL_SLOT_ASID_CONTROL 5 /* ASIDs (allocated with each VSpace) */
#define SEL_SLOT_IRQ_CONTROL  6 /* device interrupts */
#define SEL_SLOT_FIRST_FREE   16

/* User address-space layout fixed by the kernel for the root task. */
#define SEL_BOOTINFO_VADDR   0x7fff0000
#define SEL_USER_STACK_TOP   0x7ffe0000
#define SEL_USER_STACK_PAGES 16
#define SEL_IPC_BUFFER_VADDR 0x7ffe0000   /* the main thread's IPC buffer (tp) */
#define SEL_USER_VADDR_END   0x4000000000 /* Sv39 lower half: 256 GiB */

#ifndef __ASSEMBLER__
#include <stdint.h>

struct sel_mem_region {
	uint64_t base; /* physical */
	uint64_t size; /* bytes */
};

struct sel_untyped_desc {
	uint64_t paddr;
	uint32_t slot; /* where its cap is in the root CNode */
	uint8_t size_bits;
	uint8_t is_device; /* MMIO: only Frames (and smaller Untyped) come from it */
	uint8_t reserved[2];
};

struct sel_bootinfo {
	uint64_t magic;
	uint32_t version;
	uint32_t n_harts;     /* harts in the device tree */
	uint32_t boot_hart;   /* hart id that booted the kernel */
	uint32_t n_mem;       /* entries of mem[] in use */
	uint64_t timebase_hz; /* frequency of the `time` CSR */
	uint64_t hart_ids[SEL_MAX_HARTS];
	struct sel_mem_region mem[SEL_BOOTINFO_MAX_MEM]; /* RAM from the DT */
	uint64_t kernel_base;                            /* physical extent of the kernel image */
	uint64_t kernel_end;
	uint64_t uart_base; /* MMIO of the console UART (device memory) */
	uint64_t uart_irq;  /* its PLIC source, from the device tree (0: none) */
	uint64_t has_aclint_sswi;
	uint8_t bootargs[SEL_BOOTARGS_MAX]; /* /chosen/bootargs, NUL-ended */
	uint32_t n_untyped;
	uint32_t first_free_slot;
	struct sel_untyped_desc untyped[SEL_BOOTINFO_MAX_UNTYPED];
	uint64_t abi_hash; /* SEL_KERNEL_ABI_HASH of the kernel, as the info page shows it */
};

#endif /* __ASSEMBLER__ */
#endif /* SELENE_ABI_BOOTINFO_H */
