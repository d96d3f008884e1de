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
#include <sel/syscall.h>
#include <selene/bootinfo.h>
#include <selene/invocation.h>
#include <selene/object.h>

static inline struct sel_ret sel_debug_call(uint64_t label, uint64_t a2, uint64_t a3)
{
	return sel_syscall(SEL_SYS_CALL, SEL_SLOT_DEBUG, label, a2, a3, 0, 0, 0);
}

/* Prints len bytes (at most 4096) on the kernel console. Write right. */
static inline int sel_debug_write(const void *buf, uint64_t len)
{
	return (int)sel_debug_call(SEL_DEBUG_WRITE, (uint64_t)buf, len).err;
}

static inline int sel_debug_putc(char c)
{
	return (int)sel_debug_call(SEL_DEBUG_PUTC, (uint8_t)c, 0).err;
}

/* A counter or kernel fact (enum sel_debug_info); 0 without the Info right. */
static inline uint64_t sel_debug_info(enum sel_debug_info what)
{
	return sel_debug_call(SEL_DEBUG_INFO, what, 0).v[0];
}

/* Opens this hart's benchmark window (Bench right): counters zeroed, the tick quiet. */
static inline int sel_bench_begin(void)
{
	return (int)sel_debug_call(SEL_DEBUG_BENCH, SEL_BENCH_BEGIN, 0).err;
}

/* Closes it; r->v[0..5] = ticks, wfi, fences, satp writes, IPC calls, fastpath. */
static inline int sel_bench_end(struct sel_ret *r)
{
	*r = sel_debug_call(SEL_DEBUG_BENCH, SEL_BENCH_END, 0);
	return (int)r->err;
}

/*
 * Powers the machine off with `code` through the debug cap (Shutdown
 * right); without that right the calling thread exits with `code` instead.
 */
__attribute__((noreturn)) void sel_shutdown(uint32_t code);

#endif /* SEL_DEBUG_H */
