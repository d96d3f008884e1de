/*
 * The process spawner: build a process from an ELF image, give it
 * capabilities and an Untyped budget, start it, and tear it down with every
 * byte of the budget returned.
 *
 * Every object of a process (its CNode, VSpace, TCB, page tables and
 * frames) is carved from the budget Untyped the caller hands over, so
 * sel_process_destroy() is a revoke of that Untyped and a reset: nothing
 * the process had survives, and the budget's watermark is back at zero.
 *
 * The spawner works in the caller's CSpace and address space: `slots` is a
 * range of free slots in the caller's root CNode for the caps it keeps
 * (SEL_PROCESS_SLOTS per process), and `window` an address in the caller's
 * address space, in a region where the caller has mapped page tables, that
 * it uses to fill frames before handing them to the child.
 *
 * The child's CSpace is one CNode of 2^SEL_PROCESS_CNODE_BITS slots (or as
 * sel_process_create_with() says) whose guard makes a capability address
 * equal to a slot index, as for the root task; its slot SEL_SLOT_CNODE holds
 * that CNode and SEL_SLOT_VSPACE its VSpace; caps given with
 * sel_process_give() go where the caller says.
 * It starts at the ELF entry with a0 = the argument of sel_process_start(),
 * sp = SEL_USER_STACK_TOP (SEL_PROCESS_STACK_PAGES pages of stack) and
 * tp = its IPC buffer, a page at SEL_IPC_BUFFER_VADDR.
 */
#ifndef SEL_SPAWN_H
#define SEL_SPAWN_H

#include <stddef.h>
#include <sel/thread.h>

#define SEL_PROCESS_SLOTS       64u
#define SEL_PROCESS_CNODE_BITS  8u
#define SEL_PROCESS_STACK_PAGES 8u

struct sel_spawner {
	sel_cptr_t cnode;  /* the caller's root CNode (addresses = slot indices) */
	sel_cptr_t vspace; /* the caller's VSpace */
	uint64_t window;   /* a page-table-backed address for filling frames */
};

/* Bytes written over the child's memory at vaddr as its pages are filled. */
struct sel_patch {
	uint64_t vaddr;
	const void *data;
	size_t len;
};

struct sel_process {
	sel_cptr_t budget; /* the Untyped everything is carved from */
	uint64_t first;    /* first of its SEL_PROCESS_SLOTS slots in the caller's CNode */
	uint64_t used;     /* slots used so far (at most max_slots) */
	uint64_t max_slots;
	sel_cptr_t cnode, vspace, tcb;
	uint64_t entry;
	const struct sel_patch *patches; /* applied by create and load (none: NULL) */
	uint32_t npatches;
	uint32_t cnode_bits;
};

/* Builds the process (not started). Errors: the kernel's, or SEL_ERR_INVALID_ARG for a bad ELF. */
int sel_process_create(const struct sel_spawner *sp, sel_cptr_t budget, uint64_t first_slot,
                       const void *elf, size_t elf_size, struct sel_process *p);
/*
 * What sel_process_create_with() may change (all zero: sel_process_create): patches
 * written over the loaded image (a table filled before the start), the CNode's size, and
 * how many of the caller's slots the process may use.
 */
struct sel_process_opts {
	const struct sel_patch *patches;
	uint32_t npatches;
	uint32_t cnode_bits; /* its CNode has 2^cnode_bits slots (0: SEL_PROCESS_CNODE_BITS) */
	uint32_t slots;      /* it may use this many of the caller's slots (0: SEL_PROCESS_SLOTS) */
};
int sel_process_create_with(const struct sel_spawner *sp, sel_cptr_t budget, uint64_t first_slot,
                            const void *elf, size_t elf_size, const struct sel_process_opts *o,
                            struct sel_process *p);
/* Loads another ELF's segments, with p->patches over them, into the not yet started process. */
int sel_process_load(const struct sel_spawner *sp, struct sel_process *p, const void *elf,
                     size_t elf_size);
/* Copies cap `src` (caller's CSpace) into the child's slot `dest` with `rights`. */
int sel_process_give(const struct sel_spawner *sp, struct sel_process *p, sel_cptr_t src,
                     uint64_t dest, uint32_t rights);
/* Carves an Untyped of 2^bits from the budget and moves it to the child's slot `dest`. */
int sel_process_give_untyped(const struct sel_spawner *sp, struct sel_process *p, uint32_t bits,
                             uint64_t dest);
/* Maps a frame the caller holds into the child at vaddr (rights within the cap's). */
int sel_process_map(const struct sel_spawner *sp, struct sel_process *p, sel_cptr_t frame,
                    uint64_t vaddr, uint32_t rights);
int sel_process_start(struct sel_process *p, uint64_t arg);
/* Stops the process and returns its whole budget (watermark back to 0). */
int sel_process_destroy(const struct sel_spawner *sp, struct sel_process *p);

/* The address of symbol `name` in an ELF image's symbol table, or 0. */
uint64_t sel_elf_symbol(const void *elf, size_t elf_size, const char *name);

#endif /* SEL_SPAWN_H */
