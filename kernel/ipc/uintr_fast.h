/*
 * The user-interrupt fast paths in assembly (ipc/uintr_fast.S): the
 * offsets they read, and the C they fall back to.
 *
 * Every offset below is pinned by a _Static_assert in ipc/uintr.c, so a
 * change of struct tcb, struct hart, struct uintr_receiver, struct cap or
 * struct sel_ipc_buffer that moves one breaks the build, not a send.
 */
#ifndef SELENE_IPC_UINTR_FAST_H
#define SELENE_IPC_UINTR_FAST_H

/* struct tcb */
#define TCB_OFF_IPC_BUFFER 336 /* uint64_t ipc_buffer: the buffer's user address */
#define TCB_OFF_FPU_HART   752 /* struct hart *fpu_hart */
#define TCB_OFF_UINTR      760 /* struct uintr_receiver *uintr */
#define TCB_OFF_UHANDLER   768 /* uintr_handler */
#define TCB_OFF_USTACK     776 /* uintr_stack */
#define TCB_OFF_UARG       784 /* uintr_arg */
#define TCB_OFF_INHANDLER  792 /* bool uintr_in_handler */
#define TCB_OFF_FPU_FRESH  793 /* bool uintr_fpu_fresh */
#define TCB_OFF_MASKED     794 /* bool uintr_masked */
#define TCB_OFF_UITT       800 /* uint64_t uitt[SEL_UINTR_UITT_SIZE] */
/* The IPC buffer's Frame cap: slot TCB_SLOT_IPC_BUFFER of the TCB object. */
#define TCB_OFF_IPCBUF_CAP (1024 + 2 * 64)
/* struct cap */
#define CAP_OFF_OBJECT    0
#define CAP_OFF_TYPE      32
#define CAP_OFF_SIZE_BITS 34
#define CAP_OFF_FLAGS     36
/* struct hart */
#define HART_OFF_IN_USER   112
#define HART_OFF_UINTR_SEQ 144
/* struct uintr_receiver */
#define RECV_OFF_PENDING  0
#define RECV_OFF_TCB      8
#define RECV_OFF_SLEEPING 16
/* struct sel_ipc_buffer: its struct sel_uintr_regs */
#define IPCBUF_OFF_UINTR 560
/* struct sel_uintr_regs */
#define UREGS_EPC 0
#define UREGS_SP  8
#define UREGS_A0  16
#define UREGS_A1  24
#define UREGS_A7  32
#define UREGS_ARG 40
#define UREGS_FPU 48
/* SEL_SYS_UINTR_SEND, SEL_OBJ_FRAME, CAP_FLAG_DEVICE, SEL_UINTR_UITT_SIZE (checked). */
#define SYS_NR_UINTR_SEND 9
#define OBJ_FRAME         6
#define CAP_DEVICE        1
#define UITT_SIZE         12
#define UITT_VECTOR_MASK  63
/* uintr_fast_bugs: the injected bugs of these paths (lib/inject.h bits 13-15, shifted). */
#define FAST_BUG_NO_RECHECK 1 /* "uintr-uret-no-recheck": uret ignores what is pending */
#define FAST_BUG_REENTER    2 /* "uintr-reenter": a send to oneself diverts in a handler */
#define FAST_BUG_NO_WAKE    4 /* "uintr-fast-no-wake": the send leaves a sleeper asleep */

#ifndef __ASSEMBLER__
#include "lib/types.h"

struct uintr_receiver;

/* Non-zero: the assembly paths run (boot argument "fastpath=off" clears it; so
 * do debug kernels' race widening and injected bugs, which only the C send has). */
extern uint32_t uintr_fast_on;
/* Debug kernels: the FAST_BUG_* bits planted for positive controls (else 0). */
extern uint32_t uintr_fast_bugs;
void uintr_fast_init(const char *bootargs);

/*
 * From the assembly send: the bit is set in r's pending set and this hart
 * is inside the send's epoch (uintr_seq odd), but the send needs more than
 * the assembly does (wake a waiter, kick another hart, divert a thread of
 * ours that cannot take it inline). The syscall context is saved.
 */
NORETURN void uintr_send_finish(struct uintr_receiver *r);
#endif

#endif /* SELENE_IPC_UINTR_FAST_H */
