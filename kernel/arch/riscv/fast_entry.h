/*
 * The fast paths from the entry (arch/riscv/fast_entry.S): the offsets the
 * assembly reads, pinned by _Static_assert in ipc/fastpath.c, and the C
 * halves it calls (ipc/fastpath.c), declared here for the assembly's sake.
 */
#ifndef SELENE_ARCH_FAST_ENTRY_H
#define SELENE_ARCH_FAST_ENTRY_H

/* struct tcb and struct hart fields read by fast_entry.S. */
#define TCB_STATE      280
#define TCB_PRIORITY   296
#define TCB_UINTR      760
#define TCB_FAST_EPOCH 904 /* the fast-path view: fast_epoch, fast_slots, fast_base, fast_limit */
#define TCB_FAST_SLOTS 912
#define TCB_FAST_BASE  920
#define TCB_FAST_LIMIT 928
#define HART_READY_TOP 24
/* struct cap (at the start of a slot of 64 bytes) and struct notification. */
#define CTE_SHIFT   6
#define CAP_OBJECT  0
#define CAP_BADGE   8
#define CAP_TYPE    32
#define CAP_RIGHTS  33
#define NTFN_HEAD   0
#define NTFN_WORD   16
#define NTFN_BOUND  24
#define NTFN_ACTIVE 32
#define OBJ_NTFN    5 /* SEL_OBJ_NOTIFICATION */
#define RIGHT_READ  1 /* SEL_RIGHT_READ */
#define RIGHT_WRITE 2 /* SEL_RIGHT_WRITE */
#define STATE_RECV  4 /* TCB_BLOCKED_RECV */

/* SEL_SYS_SEND, SEL_SYS_NB_SEND (Signal) and SEL_SYS_NB_RECV (Poll). */
#define SYS_NR_SEND    2
#define SYS_NR_NB_SEND 3
#define SYS_NR_NB_RECV 5

#ifndef __ASSEMBLER__
#include "lib/types.h"

struct tcb;

void fastpath_init(const char *bootargs);
/*
 * Call and ReplyRecv (nr), a0 = cptr, a1 = message info: the direct switch.
 * Returns the thread to return to, its a7 (the badge) written in its
 * context, or NULL: take the slow path.
 */
struct tcb *fastpath_ipc(uint64_t cptr, uint64_t info, uint64_t nr);
/*
 * Signal (Send, NBSend) and Poll (NBRecv) on a notification cap at cptr.
 * Returns the caller, its a7 (the word Poll took) written in its context,
 * or NULL: take the slow path.
 */
struct tcb *fastpath_ntfn(uint64_t cptr, uint64_t nr);
/* fastpath_ntfn()'s fallback: a Signal that wakes and switches, else the generic path. */
NORETURN void fastpath_ntfn_slow(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                                 uint64_t a5, uint64_t a6, uint64_t nr);
/* The generic path for a syscall a fast path could not finish (a0-a6, nr). */
NORETURN void fastpath_slow(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                            uint64_t a5, uint64_t a6, uint64_t nr);
#endif

#endif /* SELENE_ARCH_FAST_ENTRY_H */
