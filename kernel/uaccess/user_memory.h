/*
 * User memory: the only way the kernel reads or writes user addresses.
 * Below object/ and ipc/, which call it; it names a thread only through
 * the hook at the end.
 *
 * A uaddr_t is a user virtual address wrapped in a struct so it cannot be
 * dereferenced by accident. copy_from_user/copy_to_user check that the
 * range does not wrap, lies below the top of user space and is mapped with
 * U and the needed permission in the thread's address space, then copy
 * through the kernel's physical-memory window (SUM stays clear).
 */
#ifndef SELENE_UACCESS_USER_MEMORY_H
#define SELENE_UACCESS_USER_MEMORY_H

#include "lib/types.h"
#include <selene/error.h>

struct tcb;

typedef struct {
	uint64_t addr;
} uaddr_t;

static inline uaddr_t uaddr(uint64_t a)
{
	return (uaddr_t){a};
}

/* SEL_OK, or SEL_ERR_BAD_ADDRESS when any byte is not readable by t. */
enum sel_error copy_from_user(struct tcb *t, void *dst, uaddr_t src, size_t len);
/* SEL_OK, or SEL_ERR_BAD_ADDRESS when any byte is not writable by t. */
enum sel_error copy_to_user(struct tcb *t, uaddr_t dst, const void *src, size_t len);
/*
 * From one thread's memory to another's (the same thread's too), page
 * piece by page piece; both ranges are checked whole first (writable by dt,
 * readable by st), else SEL_ERR_BAD_ADDRESS and nothing moves.
 */
enum sel_error copy_user_to_user(struct tcb *dt, uaddr_t dst, struct tcb *st, uaddr_t src,
                                 size_t len);

/*
 * Hook (object/tcb.c): the root page table of t's address space, 0 if it
 * has none. The only thing user access needs to know of a thread.
 */
paddr_t tcb_vspace_root(struct tcb *t);

#endif /* SELENE_UACCESS_USER_MEMORY_H */
