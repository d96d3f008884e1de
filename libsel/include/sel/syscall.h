/*
 * Raw syscall stubs (the ABI is in <selene/syscall.h>).
 *
 * sel_syscall() passes a0-a6 and the number in a7 and returns a0-a6 in a
 * struct sel_ret; the compiler is told that a0-a7 and t0-t6 are clobbered,
 * matching the ABI, so it keeps nothing live in them across the call.
 * (The Frama-C EVA harness reads its own version of this header,
 * verify/frama-c/stubs/sel/syscall.h.)
 */
#ifndef SEL_SYSCALL_H
#define SEL_SYSCALL_H

#include <stdint.h>
#include <selene/error.h>
#include <selene/syscall.h>

struct sel_ret {
	uint64_t err;  /* enum sel_error */
	uint64_t v[6]; /* a1-a6 */
};

static inline struct sel_ret sel_syscall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2,
                                         uint64_t a3, uint64_t a4, uint64_t a5, uint64_t a6)
{
	register uint64_t r0 __asm__("a0") = a0;
	register uint64_t r1 __asm__("a1") = a1;
	register uint64_t r2 __asm__("a2") = a2;
	register uint64_t r3 __asm__("a3") = a3;
	register uint64_t r4 __asm__("a4") = a4;
	register uint64_t r5 __asm__("a5") = a5;
	register uint64_t r6 __asm__("a6") = a6;
	register uint64_t r7 __asm__("a7") = nr;

	__asm__ volatile("ecall"
	                 : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6),
	                   "+r"(r7)
	                 :
	                 : "t0", "t1", "t2", "t3", "t4", "t5", "t6", "memory");
	return (struct sel_ret){r0, {r1, r2, r3, r4, r5, r6}};
}

static inline int sel_yield(void)
{
	return (int)sel_syscall(SEL_SYS_YIELD, 0, 0, 0, 0, 0, 0, 0).err;
}

/* The system call that does nothing (SEL_SYS_NULL): the cost of a kernel entry and exit. */
static inline int sel_null(void)
{
	register uint64_t r0 __asm__("a0");
	register uint64_t r7 __asm__("a7") = SEL_SYS_NULL;

	__asm__ volatile("ecall"
	                 : "=r"(r0), "+r"(r7)
	                 :
	                 : "a1", "a2", "a3", "a4", "a5", "a6", "t0", "t1", "t2", "t3", "t4", "t5",
	                   "t6", "memory");
	return (int)r0;
}

static inline uint64_t sel_rdinstret(void)
{
	uint64_t v;
	__asm__ volatile("rdinstret %0" : "=r"(v));
	return v;
}

static inline uint64_t sel_rdcycle(void)
{
	uint64_t v;
	__asm__ volatile("rdcycle %0" : "=r"(v));
	return v;
}

static inline uint64_t sel_rdtime(void)
{
	uint64_t v;
	__asm__ volatile("rdtime %0" : "=r"(v));
	return v;
}

#endif /* SEL_SYSCALL_H */
