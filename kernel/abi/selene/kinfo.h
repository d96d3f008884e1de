/*
 * The per-hart kernel info page (from seed 001, the design of a microkernel
 * on user-mode interrupts that Selene grew from): one read-only page at
 * SEL_KINFO_VADDR in every address space, written by the kernel, read by
 * anyone without a syscall. For each hart it shows which thread runs there
 * (its thread id, SEL_TCB_GET_STATE's a6; 0 while the hart idles) and a
 * clock (the `time` value at its last switch or tick), so a sender can
 * tell whether its receiver is running and choose between spinning, a
 * user-interrupt send and blocking, and clients can stamp requests for
 * ordering. abi_hash names the kernel's interface (the hash idlc computes
 * over idl/kernel/): libsel's start compares it with the one it was built
 * with before main runs. Values are written with single aligned 64-bit stores: a reader
 * sees each field whole, never the pair atomically.
 */
#ifndef SELENE_ABI_KINFO_H
#define SELENE_ABI_KINFO_H

#include <selene/bootinfo.h>

#define SEL_KINFO_VADDR 0x3ffffff000ull /* the top page below 256 GiB */
#define SEL_KINFO_MAGIC 0x4b494e464f000001ull
/* User mappings end here: the last GiB below 256 GiB holds the info page. */
#define SEL_USER_MAP_END 0x3fc0000000ull

#ifndef __ASSEMBLER__
#include <stdint.h>

struct sel_kinfo_hart {
	uint64_t thread;   /* id of the thread running in user mode here, 0: none */
	uint64_t clock;    /* `time` at the last tick or scheduler switch on this hart */
	uint64_t switches; /* threads the scheduler switched in here since boot (the IPC
	                      fastpath's direct switches write `thread` only) */
	uint64_t online;   /* 1 once the hart schedules */
};

struct sel_kinfo {
	uint64_t magic;
	uint64_t timebase_hz;
	uint64_t n_harts;
	uint64_t abi_hash; /* SEL_KERNEL_ABI_HASH of the kernel (<selene/kernel_abi.h>) */
	struct sel_kinfo_hart hart[SEL_MAX_HARTS];
};
#endif

#endif /* SELENE_ABI_KINFO_H */
