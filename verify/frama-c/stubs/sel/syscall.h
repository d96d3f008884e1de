/*
 * EVA shadow of libsel/include/sel/syscall.h (verify/frama-c/README.md, "EVA
 * of IPC and windows"): identical except the inline assembly: an ecall and
 * the counter reads return any values (eva_ecall() in eva_ipc_stubs.c).
 * mirrors: libsel/include/sel/syscall.h sha256 336eaa3fc9a401a35f6cbbba234a3e3900eb9482d6d13e06318fc7058ddc5f5e
 */
/*
 * Raw syscall stubs (the ABI is in <selene/syscall.h>).
 *
 * sel_syscall() passes a0-a6 and the number in a7 and returns a0-a6 in a
 * struct sel_ret; the compiler is told that a0-a7 and t0-t6 are clobbered,
 * matching the ABI, so it keeps nothing live in them across the call.
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

/* EVA: the kernel's answer to an ecall: any values. */
struct sel_ret eva_ecall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                         uint64_t a4, uint64_t a5, uint64_t a6);

static inline struct sel_ret sel_syscall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2,
                                         uint64_t a3, uint64_t a4, uint64_t a5, uint64_t a6)
{
	/* EVA: the ecall, any result (eva_ipc_stubs.c) */
	return eva_ecall(nr, a0, a1, a2, a3, a4, a5, a6);
}

static inline int sel_yield(void)
{
	return (int)sel_syscall(SEL_SYS_YIELD, 0, 0, 0, 0, 0, 0, 0).err;
}

static inline int sel_debug_write(const void *buf, uint64_t len)
{
	return (int)sel_syscall(SEL_SYS_DEBUG_WRITE, (uint64_t)buf, len, 0, 0, 0, 0, 0).err;
}

static inline uint64_t sel_debug_info(enum sel_debug_info what)
{
	return sel_syscall(SEL_SYS_DEBUG_INFO, what, 0, 0, 0, 0, 0, 0).v[0];
}

__attribute__((noreturn)) void sel_shutdown(uint32_t code);

static inline uint64_t sel_rdinstret(void)
{
	return eva_ecall(0, 0, 0, 0, 0, 0, 0, 0).v[0]; /* EVA: rdinstret, any value */
}

static inline uint64_t sel_rdcycle(void)
{
	return eva_ecall(0, 0, 0, 0, 0, 0, 0, 0).v[0]; /* EVA: rdcycle, any value */
}

static inline uint64_t sel_rdtime(void)
{
	return eva_ecall(0, 0, 0, 0, 0, 0, 0, 0).v[0]; /* EVA: rdtime, any value */
}

#endif /* SEL_SYSCALL_H */
