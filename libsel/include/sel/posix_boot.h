/*
 * What the root task hands a component beyond its capabilities, for the
 * POSIX layer (docs/posix.md): its heap and its argument and environment
 * strings, both from the system manifest (docs/manifest.md: `heap`, `args`,
 * `env`). The table lives in the component's data at the symbol
 * `sel_posix_boot`; the root task writes it while the program's pages are
 * filled, as it writes `sel_connections` (<sel/bind.h>), and only if the
 * program has the symbol (it links libsel's POSIX layer).
 *
 * The heap: an Untyped of heap_bytes in the component's slot heap_ut, and
 * a page table mapped so that 2 MiB frames can go at heap_vaddr (the first
 * GiB-aligned gigabyte from there). sbrk() retypes one 2 MiB frame at a time
 * into the slots [slot_first, slot_first + slot_count) and maps it.
 */
#ifndef SEL_POSIX_BOOT_H
#define SEL_POSIX_BOOT_H

#include <stdint.h>

#define SEL_POSIX_BOOT_MAGIC  0x31786973506c6553ull /* "SelPsix1" */
#define SEL_POSIX_STRINGS     1024u                 /* bytes of argument and environment */
#define SEL_POSIX_HEAP_VADDR  0x800000000ull        /* 32 GiB: GiB-aligned, below the windows */
#define SEL_POSIX_HEAP_SLOT   7u                    /* the heap's Untyped in the component */
#define SEL_POSIX_FRAME_BITS  21u                   /* the heap grows by 2 MiB frames */
#define SEL_POSIX_HEAP_FRAMES 32u                   /* slots kept for them: 64 MiB at most */

/*
 * Invariants (the root task's): magic as written; heap_ut = 0 means no heap
 * (then heap_bytes = 0); argc + envc strings, each NUL-terminated, fill the
 * start of strings[] (argv first, then "NAME=value" entries).
 */
struct sel_posix_boot {
	uint64_t magic;
	uint64_t heap_ut;
	uint64_t heap_vaddr;
	uint64_t heap_bytes;
	uint64_t slot_first;
	uint64_t slot_count;
	uint32_t argc, envc;
	char strings[SEL_POSIX_STRINGS];
};

extern struct sel_posix_boot sel_posix_boot;

#endif /* SEL_POSIX_BOOT_H */
