/*
 * Catching faults in the running thread (the in-thread debug fault handler,
 * which takes a fault before the thread's fault endpoint): sel_catch_fault(fn, arg, &info) runs fn(arg); if fn faults, the
 * kernel enters a handler that records the fault and resumes sel_catch_fault,
 * which returns 1 with info filled. It returns 0 when fn returns normally.
 */
#ifndef SEL_FAULT_H
#define SEL_FAULT_H

#include <stdint.h>

struct sel_fault_info {
	uint64_t cause;
	uint64_t pc;
	uint64_t stval;
};

int sel_catch_fault(void (*fn)(void *), void *arg, struct sel_fault_info *info);

/* setjmp/longjmp over the registers the calling convention preserves. */
typedef uint64_t sel_jmp_buf[14];
int sel_setjmp(sel_jmp_buf env) __attribute__((returns_twice));
__attribute__((noreturn)) void sel_longjmp(sel_jmp_buf env, int value);

#endif /* SEL_FAULT_H */
