/*
 * Helpers for the synchronous IPC tests (ipc*.c): threads in the test's own
 * address space with an IPC buffer each, bounded waits for another thread
 * to block or stop, a bounded non-blocking receive, and the register probe
 * of ipc_probe.S.
 *
 * Tests never wait forever on a helper thread when they can avoid it: they
 * yield a bounded number of times, so a kernel that never delivers makes a
 * CHECK fail instead of the test running out of time.
 */
#ifndef SELENE_TESTS_IPC_UTIL_H
#define SELENE_TESTS_IPC_UTIL_H

#include <sel/ipc.h>
#include "proc_util.h"

/*
 * Helper threads' memory: thread k gets [IPC_BUF_BASE + k * 32 KiB, + 32 KiB)
 * (REGION(20)): two pages of stack at the bottom, an unmapped guard page,
 * and its IPC buffer page. Stacks are mapped at run time rather than
 * static: the spawner gives a test program only SEL_PROCESS_SLOTS pages.
 */
#define IPC_BUF_BASE    REGION(20)
#define IPC_THREAD_SPAN 0x8000ull
/* A region for demand-paging tests (REGION(21)); the test maps nothing there first. */
#define IPC_PAGER_BASE REGION(21)
/* Enough yields for a helper thread to get somewhere, even under capcheck=all. */
#define IPC_PATIENCE 20000u

/*
 * A thread in the test's address space running fn(arg) on a stack of its
 * own, with an IPC buffer of its own (tp pointing at it) when
 * `with_buffer`, else none. Its frames and TCB come from `ut` (16 KiB and
 * a TCB per thread). Returning from fn exits with 0. The thread is
 * configured but not resumed.
 */
int ipc_thread_opts(uint64_t ut, void (*fn)(uint64_t), uint64_t arg, int with_buffer,
                    uint64_t *tcb);
/* ipc_thread_opts() with an IPC buffer, and resumed. */
int ipc_thread(uint64_t ut, void (*fn)(uint64_t), uint64_t arg, uint64_t *tcb);

/* Yields until the thread is blocked (in IPC); 1 if it got there. */
int wait_blocked(uint64_t tcb, uint64_t max_yields);
/* NBRecv on ep, yielding between tries; the last error (SEL_ERR_WOULD_BLOCK: none came). */
int nb_recv_wait(uint64_t ep, struct sel_msg *m, uint64_t max_yields);
/* Yields until *flag != 0; 1 if it happened. */
int wait_flag(volatile uint64_t *flag, uint64_t max_yields);

/* A message with a label and up to 5 words. */
struct sel_msg msg(uint64_t label, uint64_t len, uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3,
                   uint64_t w4);

/*
 * ipc_probe.S: loads x1 and x3-x31 from in[1], in[3]..in[31] (sp is
 * kept), executes ecall and stores every register after it into out[1..31]
 * (out[2] = sp after, out[0] = sp before). Callee-saved registers of the C
 * caller are saved and restored around it.
 */
void ipc_probe(const uint64_t in[32], uint64_t out[32]);

#endif /* SELENE_TESTS_IPC_UTIL_H */
