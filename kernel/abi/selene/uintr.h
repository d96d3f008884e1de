/*
 * User-mode interrupts: the binary contract (docs/uintr.md has the
 * semantics).
 *
 * A UIntr receiver (object SEL_OBJ_UINTR_RECEIVER) is bound to one thread
 * with a handler. A sender cap (SEL_OBJ_UINTR_SENDER) is made by invoking
 * the receiver cap (needs Grant) and carries a vector 0..63; it is a child
 * of the receiver cap, so revoking the receiver revokes every sender. A
 * thread installs sender caps into its sender table (SEL_UINTR_UITT_SIZE
 * entries, kept as cap slots in its TCB) and sends by index:
 *
 *   SEL_SYS_UINTR_SEND  a0 = table index. Sets the vector's bit in the
 *                       receiver's pending set; never blocks; does not take
 *                       the big kernel lock. SEL_ERR_EMPTY_SLOT if nothing
 *                       is installed there (or it was revoked).
 *   SEL_SYS_UINTR_WAIT  blocks until the caller's receiver has a pending
 *                       interrupt (which is then delivered to the handler).
 *   SEL_SYS_UINTR_SEND_WAIT  a0 = table index (>= SEL_UINTR_UITT_SIZE: no
 *                       send), a1 = a mask of vectors: the send, then the
 *                       wait; the vectors of the mask pending at the
 *                       wake-up are claimed and returned in a1 (no handler
 *                       runs for them), any other is delivered as usual.
 *   SEL_SYS_UINTR_RET   uret: resumes the interrupted code. Every register
 *                       but pc, sp, a0, a1 and a7 keeps the value it has at
 *                       the ecall; those five come from the thread's struct
 *                       sel_uintr_regs (uepc, usp, ua0, ua1, ua7). If
 *                       the thread had never used the FPU when diverted
 *                       (ufpu 0), any FP state its handler made is
 *                       discarded: its FPU reads zero, as a new thread's.
 *   SEL_SYS_UINTR_CTL   a0 = enum sel_uintr_ctl, a1 = its argument.
 *
 * Diversion, as the N extension would do it: the kernel writes the
 * interrupted pc, sp, a0 and a1, the handler argument and ufpu (1 if the
 * interrupted code's FP registers are live: it has used the FPU) into the
 * thread's struct sel_uintr_regs (in its IPC buffer: a thread needs one to
 * register a handler), and resumes it at the handler entry with a0 = the
 * pending set (claimed at once: the bits are cleared), a1 = the address of
 * those registers, sp = the alternate stack if one was registered, else the
 * interrupted sp; every other register is the interrupted code's. The
 * entry saves what it uses (libsel's trampoline builds a struct
 * sel_uintr_frame of all 31 registers for a C handler, and keeps f0-f31
 * and fcsr around the handler when ufpu is 1).
 */
#ifndef SELENE_ABI_UINTR_H
#define SELENE_ABI_UINTR_H

#define SEL_UINTR_VECTORS   64u
#define SEL_UINTR_UITT_SIZE 12u

enum sel_uintr_ctl {
	SEL_UINTR_MASK = 0,       /* like clui: hold deliveries (they stay pending) */
	SEL_UINTR_UNMASK = 1,     /* like stui: deliver what is pending */
	SEL_UINTR_UNINSTALL = 2,  /* a1 = table index: empty that entry */
	SEL_UINTR_UNREGISTER = 3, /* unbind the caller's receiver (pending bits stay) */
	SEL_UINTR_PENDING = 4,    /* out a1 = the pending set, not claimed */
};

#ifndef __ASSEMBLER__
#include <stdint.h>

/*
 * The interrupted pc and x1-x31, as libsel's trampoline hands them to a C
 * handler (the kernel itself fills struct sel_uintr_regs, <selene/ipc.h>).
 */
struct sel_uintr_frame {
	uint64_t pc;
	uint64_t x[31]; /* x[0] is x1 (ra), x[1] is x2 (sp), ... */
};
#endif

#endif /* SELENE_ABI_UINTR_H */
