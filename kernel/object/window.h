/* Window objects: see window.c. */
#ifndef SELENE_OBJECT_WINDOW_H
#define SELENE_OBJECT_WINDOW_H

#include "object/tcb.h"
#include "uaccess/syscall_args.h"

struct cte;
struct cap;

enum sel_error window_decode(struct tcb *t, struct cte *w, struct syscall_args *args);
/* A window cap leaves its slot: unmap its side and tell the other sides. */
void window_cap_removed(const struct cap *c);
/* A mapped window cap whose VSpace is live: `pages` pages from `va` in vs. */
bool window_cap_mapping(const struct cap *c, void **vs, vaddr_t *va, uint64_t *pages);

#endif /* SELENE_OBJECT_WINDOW_H */
