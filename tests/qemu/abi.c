/*
 * Syscall ABI tests (kernel/abi/selene/syscall.h): preserved
 * registers survive, every other register comes back zero or as a result,
 * unknown numbers and bad user pointers give their errors, and the
 * full-trap path (timer preemption) restores all 31 registers exactly.
 */
#include <sel/debug.h>
#include <sel/syscall.h>
#include <selene/bootinfo.h>
#include <selene/error.h>
#include "test.h"

#define PAT(n) (0x5e1e000000000000ull + (uint64_t)(n)*0x0101010101ull)

void syscall_abi_probe(uint64_t out[32], uint64_t nr);
uint64_t regs_survive_interrupt(uint64_t iterations);

static const int preserved[] = {1, 3, 4, 8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27};
static const int scrubbed[] = {11, 12, 13, 14, 15, 16, 17, 5, 6, 7, 28, 29, 30, 31};

TEST(BOOT_0012, "a syscall preserves sp, gp, tp, ra and s0-s11")
{
	uint64_t out[32];

	syscall_abi_probe(out, SEL_SYS_YIELD);
	CHECK_EQ(t, out[2], out[0]); /* sp */
	for (unsigned i = 0; i < sizeof(preserved) / sizeof(preserved[0]); i++)
		CHECK_EQ(t, out[preserved[i]], PAT(preserved[i]));
}

TEST(BOOT_0013, "a syscall returns a0 = SEL_OK and zero in a1-a7 and t0-t6 (nothing leaks)")
{
	uint64_t out[32];

	syscall_abi_probe(out, SEL_SYS_YIELD);
	CHECK_EQ(t, out[10], SEL_OK);
	for (unsigned i = 0; i < sizeof(scrubbed) / sizeof(scrubbed[0]); i++)
		CHECK_EQ(t, out[scrubbed[i]], 0);
}

TEST(BOOT_0018, "SEL_SYS_NULL (answered in the entry assembly) keeps the ABI: preserved "
                "registers survive, a0 = SEL_OK, a1-a7 and t0-t6 zero")
{
	uint64_t out[32];

	syscall_abi_probe(out, SEL_SYS_NULL);
	CHECK_EQ(t, out[2], out[0]); /* sp */
	for (unsigned i = 0; i < sizeof(preserved) / sizeof(preserved[0]); i++)
		CHECK_EQ(t, out[preserved[i]], PAT(preserved[i]));
	CHECK_EQ(t, out[10], SEL_OK);
	for (unsigned i = 0; i < sizeof(scrubbed) / sizeof(scrubbed[0]); i++)
		CHECK_EQ(t, out[scrubbed[i]], 0);
}

TEST(BOOT_0014, "unknown syscall numbers return SEL_ERR_UNKNOWN_SYSCALL")
{
	static const uint64_t numbers[] = {17, 31, 34, 39, 200, 1ull << 32, ~0ull};

	for (unsigned i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
		struct sel_ret r = sel_syscall(numbers[i], 1, 2, 3, 4, 5, 6, 7);
		CHECK_EQ(t, r.err, SEL_ERR_UNKNOWN_SYSCALL);
		for (int j = 0; j < 6; j++)
			CHECK_EQ(t, r.v[j], 0);
	}
}

TEST(BOOT_0015, "debug write rejects unmapped, kernel and wrapping ranges, and oversize lengths")
{
	static const char ok[] = "";

	CHECK_EQ(t, sel_debug_write(ok, 0), SEL_OK);
	CHECK_EQ(t, sel_debug_write((void *)0x3000000000ull, 8), SEL_ERR_BAD_ADDRESS);
	CHECK_EQ(t, sel_debug_write((void *)0xffffffc080200000ull, 8), SEL_ERR_BAD_ADDRESS);
	CHECK_EQ(t, sel_debug_write((void *)0x10000, ~0ull - 0x100), SEL_ERR_RANGE);
	CHECK_EQ(t, sel_debug_write((void *)~0ull, 16), SEL_ERR_BAD_ADDRESS);
	CHECK_EQ(t, sel_debug_write((void *)(SEL_IPC_BUFFER_VADDR + 4096 - 8), 16),
	         SEL_ERR_BAD_ADDRESS);
	CHECK_EQ(t, sel_debug_write(ok, 4097), SEL_ERR_RANGE);
}

TEST(BOOT_0016, "malformed debug requests return SEL_ERR_INVALID_ARG")
{
	CHECK_EQ(t, sel_debug_call(SEL_DEBUG_INFO, 99, 0).err, SEL_ERR_INVALID_ARG);
	CHECK_EQ(t, sel_debug_call(SEL_DEBUG_BENCH, 7, 0).err, SEL_ERR_INVALID_ARG);
	CHECK_EQ(t, sel_syscall(SEL_SYS_DEBUG_FAULT_DONE, 0, 0, 0, 0, 0, 0, 0).err,
	         SEL_ERR_ILLEGAL_OP);
}

TEST(BOOT_0017, "timer preemption restores all 31 registers exactly")
{
	int interrupted = 0;

	/* Spin in rounds until three rounds were hit by a tick (at most 1000). */
	for (int round = 0; round < 1000 && interrupted < 3; round++) {
		uint64_t ticks = sel_debug_info(SEL_INFO_TICKS);
		CHECK_EQ(t, regs_survive_interrupt(2000000), 0);
		if (sel_debug_info(SEL_INFO_TICKS) > ticks)
			interrupted++;
	}
	CHECK_EQ(t, interrupted, 3); /* otherwise the test proved nothing */
}
