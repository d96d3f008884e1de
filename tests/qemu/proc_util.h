/*
 * Helpers for the thread and address-space tests: threads in the root
 * task's address space running a C function on their own stack, threads in
 * a fresh address space running a few instructions from a frame, page
 * tables for a private 1 GiB region per test, and waiting for a thread to
 * stop.
 */
#ifndef SELENE_TESTS_PROC_UTIL_H
#define SELENE_TESTS_PROC_UTIL_H

#include <sel/thread.h>
#include "caps_util.h"

#define RW (SEL_RIGHT_READ | SEL_RIGHT_WRITE)
/* Test k maps its pages in [region(k), region(k) + 1 GiB): root entry 64 + k. */
#define REGION(k) ((64ull + (k)) << 30)

/* A thread in the root task's address space running fn(arg) on stack `n`. */
int thread_in_root(uint64_t ut, void (*fn)(uint64_t), uint64_t arg, unsigned n, uint64_t *tcb);
/* Yields until the thread has stopped (at most max_yields); 0 if it did not. */
int wait_stopped(uint64_t tcb, struct sel_thread_info *st, uint64_t max_yields);
/* Maps page tables so 4 KiB frames can be mapped at vaddr in vspace. */
int cover(uint64_t ut, uint64_t vspace, uint64_t vaddr);
/* A new frame mapped at vaddr with `rights`; its cap in *frame. */
int frame_at(uint64_t ut, uint64_t vspace, uint64_t vaddr, uint32_t rights, uint64_t *frame);
/*
 * A thread in a new address space that loads the 64-bit word at `data`
 * and exits with it (it faults if nothing is mapped there). Its code frame
 * is mapped at REGION(k); *vspace gets the new VSpace.
 */
int loader_thread(uint64_t ut, unsigned k, uint64_t data, uint64_t *vspace, uint64_t *tcb);
/* The same with any code: n instruction words, started with a0. */
int code_thread(uint64_t ut, unsigned k, const uint32_t *code, unsigned n, uint64_t a0,
                uint64_t *vspace, uint64_t *tcb);

#endif /* SELENE_TESTS_PROC_UTIL_H */
