/*
 * Boot tests: the root task runs in user mode with a sane boot-info page,
 * every hart came up, user code can read the counters, the timer preempts
 * a spinning thread, and user faults arrive with the right cause, pc and
 * stval (through the debug fault handler, see <sel/fault.h>).
 */
#include <sel/debug.h>
#include <stddef.h>
#include <sel/fault.h>
#include <sel/syscall.h>
#include <selene/bootinfo.h>
#include "test.h"

extern const struct sel_bootinfo *test_bootinfo;

#define CAUSE_ILLEGAL_INSN     2
#define CAUSE_MISALIGNED_LOAD  4
#define CAUSE_MISALIGNED_STORE 6
#define CAUSE_FETCH_PAGE_FAULT 12
#define CAUSE_LOAD_PAGE_FAULT  13
#define CAUSE_STORE_PAGE_FAULT 15

#define KERNEL_ADDRESS 0xffffffc080200000ull
#define UNMAPPED       0x3000000000ull

static void read_sstatus(void *arg)
{
	uint64_t v;
	(void)arg;
	__asm__ volatile("csrr %0, sstatus" : "=r"(v));
}

TEST(BOOT_0001, "root task runs in user mode with a valid boot-info page")
{
	const struct sel_bootinfo *bi = test_bootinfo;
	struct sel_fault_info f;

	CHECK_EQ(t, (uint64_t)bi, SEL_BOOTINFO_VADDR);
	CHECK_EQ(t, bi->magic, SEL_BOOTINFO_MAGIC);
	CHECK_EQ(t, bi->version, SEL_BOOTINFO_VERSION);
	CHECK(t, bi->n_harts >= 1 && bi->n_harts <= SEL_MAX_HARTS);
	CHECK(t, bi->n_mem >= 1 && bi->timebase_hz > 0);
	CHECK(t, bi->kernel_base == 0x80200000 && bi->kernel_end > bi->kernel_base);
	CHECK_EQ(t, bi->uart_irq, 10); /* QEMU virt's UART, read from the device tree */
	CHECK(t, bi->n_untyped >= 1 && bi->first_free_slot == SEL_SLOT_FIRST_FREE + bi->n_untyped);
	for (uint32_t i = 0; i < bi->n_untyped; i++) {
		const struct sel_untyped_desc *u = &bi->untyped[i];
		uint64_t end = u->paddr + (1ull << u->size_bits);
		CHECK(t, (u->paddr & ((1ull << u->size_bits) - 1)) == 0); /* naturally aligned */
		CHECK(t, u->is_device || u->paddr >= bi->kernel_end || end <= bi->kernel_base);
	}
	/* A supervisor CSR read traps as an illegal instruction in user mode. */
	CHECK_EQ(t, sel_catch_fault(read_sstatus, NULL, &f), 1);
	CHECK_EQ(t, f.cause, CAUSE_ILLEGAL_INSN);
}

TEST(BOOT_0002, "every hart in the device tree comes online")
{
	CHECK_EQ(t, sel_debug_info(SEL_INFO_HARTS_ONLINE), test_bootinfo->n_harts);
}

TEST(BOOT_0003, "cycle, time and instret are readable from user mode and advance")
{
	uint64_t c0 = sel_rdcycle(), i0 = sel_rdinstret(), t0 = sel_rdtime();

	for (volatile int i = 0; i < 100000; i++)
		;
	CHECK(t, sel_rdcycle() > c0);
	CHECK(t, sel_rdinstret() > i0);
	CHECK(t, sel_rdtime() > t0);
}

TEST(BOOT_0004, "the timer preempts a thread that spins without syscalls")
{
	uint64_t ticks = sel_debug_info(SEL_INFO_TICKS);
	uint64_t end = sel_rdtime() + test_bootinfo->timebase_hz / 10; /* 100 ms */

	while (sel_rdtime() < end)
		;
	CHECK(t, sel_debug_info(SEL_INFO_TICKS) > ticks);
}

/* Each faulting body marks its faulting instruction with a global label. */
#define FAULT_AT(label, insn) __asm__ volatile(".globl " #label "\n" #label ": " insn ::: "memory")

static void load_unmapped(void *arg)
{
	(void)arg;
	__asm__ volatile("li t0, %0\n"
	                 ".globl fault_load_unmapped\n"
	                 "fault_load_unmapped: ld t1, 0(t0)" ::"i"(UNMAPPED)
	                 : "t0", "t1", "memory");
}

static void store_kernel(void *arg)
{
	(void)arg;
	__asm__ volatile("li t0, %0\n"
	                 ".globl fault_store_kernel\n"
	                 "fault_store_kernel: sd zero, 0(t0)" ::"i"(KERNEL_ADDRESS)
	                 : "t0", "memory");
}

static void store_text(void *arg)
{
	*(volatile uint32_t *)arg = 0;
}

static void store_bootinfo(void *arg)
{
	(void)arg;
	*(volatile uint64_t *)SEL_BOOTINFO_VADDR = 0;
}

static void illegal(void *arg)
{
	(void)arg;
	FAULT_AT(fault_illegal, ".word 0");
}

static void misaligned_atomic(void *arg)
{
	uint64_t v;
	__asm__ volatile("amoadd.w %0, zero, (%1)" : "=r"(v) : "r"((uint8_t *)arg + 1) : "memory");
}

static void exec_stack(void *arg)
{
	((void (*)(void))arg)();
}

extern char fault_load_unmapped[], fault_store_kernel[], fault_illegal[];

TEST(BOOT_0005, "a load from an unmapped address faults: cause 13, exact pc and stval")
{
	struct sel_fault_info f;

	CHECK_EQ(t, sel_catch_fault(load_unmapped, NULL, &f), 1);
	CHECK_EQ(t, f.cause, CAUSE_LOAD_PAGE_FAULT);
	CHECK_EQ(t, f.pc, (uint64_t)fault_load_unmapped);
	CHECK_EQ(t, f.stval, UNMAPPED);
}

TEST(BOOT_0006, "a store to a kernel address faults: cause 15, exact pc and stval")
{
	struct sel_fault_info f;

	CHECK_EQ(t, sel_catch_fault(store_kernel, NULL, &f), 1);
	CHECK_EQ(t, f.cause, CAUSE_STORE_PAGE_FAULT);
	CHECK_EQ(t, f.pc, (uint64_t)fault_store_kernel);
	CHECK_EQ(t, f.stval, KERNEL_ADDRESS);
}

TEST(BOOT_0007, "a store to program text and to the boot-info page faults (read-only)")
{
	struct sel_fault_info f;

	CHECK_EQ(t, sel_catch_fault(store_text, (void *)(uintptr_t)store_text, &f), 1);
	CHECK_EQ(t, f.cause, CAUSE_STORE_PAGE_FAULT);
	CHECK_EQ(t, f.stval, (uint64_t)(uintptr_t)store_text);
	CHECK_EQ(t, sel_catch_fault(store_bootinfo, NULL, &f), 1);
	CHECK_EQ(t, f.cause, CAUSE_STORE_PAGE_FAULT);
	CHECK_EQ(t, f.stval, SEL_BOOTINFO_VADDR);
}

TEST(BOOT_0008, "an illegal instruction faults: cause 2 at its pc")
{
	struct sel_fault_info f;

	CHECK_EQ(t, sel_catch_fault(illegal, NULL, &f), 1);
	CHECK_EQ(t, f.cause, CAUSE_ILLEGAL_INSN);
	CHECK_EQ(t, f.pc, (uint64_t)fault_illegal);
}

TEST(BOOT_0009, "a misaligned atomic faults with a misaligned-access cause")
{
	static uint64_t word[2];
	struct sel_fault_info f;

	CHECK_EQ(t, sel_catch_fault(misaligned_atomic, word, &f), 1);
	CHECK(t, f.cause == CAUSE_MISALIGNED_STORE || f.cause == CAUSE_MISALIGNED_LOAD);
	CHECK_EQ(t, f.stval, (uint64_t)word + 1);
}

TEST(BOOT_0010, "a jump to the (non-executable) stack faults: cause 12")
{
	uint32_t code[2] = {0x00008067u, 0}; /* ret */
	struct sel_fault_info f;

	CHECK_EQ(t, sel_catch_fault(exec_stack, code, &f), 1);
	CHECK_EQ(t, f.cause, CAUSE_FETCH_PAGE_FAULT);
	CHECK_EQ(t, f.pc, (uint64_t)code);
}

TEST(BOOT_0011, "a thread keeps running after a caught fault and catches the next one")
{
	struct sel_fault_info f;

	for (int i = 0; i < 20; i++) {
		CHECK_EQ(t, sel_catch_fault(load_unmapped, NULL, &f), 1);
		CHECK_EQ(t, f.cause, CAUSE_LOAD_PAGE_FAULT);
	}
	CHECK_EQ(t, sel_catch_fault(read_sstatus, NULL, &f) == 1 && f.cause == CAUSE_ILLEGAL_INSN,
	         1);
}
