/*
 * The EVA harness's <sel/syscall.h> (VERIFY_0104): run_eva.py puts
 * stubs/ before libsel/include, so the analysed code reads this header
 * instead of libsel's. The same functions, with no inline assembly: the
 * kernel's answer to an ecall, and every counter read, is any values
 * (eva_ecall, defined in eva_ipc_stubs.c). Keep it in step with
 * libsel/include/sel/syscall.h.
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

struct sel_ret eva_ecall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                         uint64_t a4, uint64_t a5, uint64_t a6);

static inline struct sel_ret sel_syscall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2,
                                         uint64_t a3, uint64_t a4, uint64_t a5, uint64_t a6)
{
	return eva_ecall(nr, a0, a1, a2, a3, a4, a5, a6);
}

static inline int sel_yield(void)
{
	return (int)sel_syscall(SEL_SYS_YIELD, 0, 0, 0, 0, 0, 0, 0).err;
}

static inline int sel_null(void)
{
	return (int)sel_syscall(SEL_SYS_NULL, 0, 0, 0, 0, 0, 0, 0).err;
}

static inline uint64_t sel_rdinstret(void)
{
	return eva_ecall(0, 0, 0, 0, 0, 0, 0, 0).v[0];
}

static inline uint64_t sel_rdcycle(void)
{
	return eva_ecall(0, 0, 0, 0, 0, 0, 0, 0).v[0];
}

static inline uint64_t sel_rdtime(void)
{
	return eva_ecall(0, 0, 0, 0, 0, 0, 0, 0).v[0];
}

#endif /* SEL_SYSCALL_H */
