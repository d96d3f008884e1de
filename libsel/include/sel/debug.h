/*
 * The debug capability's methods (<selene/invocation.h>): console output,
 * shutdown, kernel counters and facts, benchmark windows, invariant checks.
 *
 * Each needs its own right on the cap (enum sel_debug_right). By
 * convention a program keeps its debug cap in SEL_SLOT_DEBUG, and the
 * helpers without a cap argument use that slot: sel_printf and friends
 * print through it (a program without one prints nothing; the call fails
 * with the kernel's error). The root task holds every right; a test
 * process holds Write and whatever its test group was granted.
 */
#ifndef SEL_DEBUG_H
#define SEL_DEBUG_H

#include <stdint.h>
#include <sel/kernel_stubs.h>
#include <sel/syscall.h>
#include <selene/bootinfo.h>
#include <selene/invocation.h>
#include <selene/object.h>

/* A debug-cap invocation with raw registers (tests of the kernel's checks use it). */
static inline struct sel_ret sel_debug_call(uint64_t label, uint64_t a2, uint64_t a3)
{
	return sel_syscall(SEL_SYS_CALL, SEL_SLOT_DEBUG, label, a2, a3, 0, 0, 0);
}

/* Prints len bytes (at most 4096) on the kernel console. Write right. */
static inline int sel_debug_write(const void *buf, uint64_t len)
{
	return sel_invoke_debug_write(SEL_SLOT_DEBUG, (uint64_t)buf, len);
}

static inline int sel_debug_putc(char c)
{
	return sel_invoke_debug_putc(SEL_SLOT_DEBUG, (uint8_t)c);
}

/* A counter or kernel fact (enum sel_debug_info); 0 without the Info right. */
static inline uint64_t sel_debug_info(enum sel_debug_info what)
{
	struct sel_debug_info_result r = {0};

	sel_invoke_debug_info(SEL_SLOT_DEBUG, what, &r);
	return r.value;
}

/* Opens this hart's benchmark window (Bench right): counters zeroed, the tick quiet. */
static inline int sel_bench_begin(void)
{
	return sel_invoke_debug_bench(SEL_SLOT_DEBUG, SEL_BENCH_BEGIN, 0);
}

/* Closes it; r->v[0..5] = ticks, wfi, fences, satp writes, IPC calls, fastpath. */
static inline int sel_bench_end(struct sel_ret *r)
{
	struct sel_debug_bench_result b = {0};
	int err = sel_invoke_debug_bench(SEL_SLOT_DEBUG, SEL_BENCH_END, &b);

	*r = (struct sel_ret){(uint64_t)err,
	                      {b.ticks, b.wfi, b.fences, b.satp_writes, b.ipc_calls, b.fastpath}};
	return err;
}

/*
 * Runs the kernel's capability and address-space invariant checkers (Check
 * right; debug kernels, else SEL_ERR_NOT_SUPPORTED): *cap_failed and
 * *vm_failed name the invariant that failed, 0 for none.
 */
static inline int sel_debug_check_invariants(uint64_t *cap_failed, uint64_t *vm_failed)
{
	struct sel_debug_check_invariants_result r = {0};
	int err = sel_invoke_debug_check_invariants(SEL_SLOT_DEBUG, &r);

	*cap_failed = r.cap_failed;
	*vm_failed = r.vm_failed;
	return err;
}

/*
 * The interface check libsel's start makes before main (libsel/src/start.c):
 * SEL_OK if kernel_hash, the kernel's SEL_KERNEL_ABI_HASH (the info page
 * shows it), is the one this program was built with, SEL_ERR_NOT_SUPPORTED
 * otherwise; then the program ends at once with SEL_EXIT_ABI_MISMATCH.
 */
#define SEL_EXIT_ABI_MISMATCH 0xab1
int sel_abi_check(uint64_t kernel_hash);
void sel_start_check(void);

/*
 * Powers the machine off with `code` through the debug cap (Shutdown
 * right); without that right the calling thread exits with `code` instead.
 */
__attribute__((noreturn)) void sel_shutdown(uint32_t code);

#endif /* SEL_DEBUG_H */
