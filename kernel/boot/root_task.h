/*
 * Building the root task: its address space from the ELF embedded in the
 * boot image, its stack, its boot-info page and its thread.
 */
#ifndef SELENE_BOOT_ROOT_TASK_H
#define SELENE_BOOT_ROOT_TASK_H

#include "object/tcb.h"
#include <selene/bootinfo.h>

/*
 * Loads the embedded root ELF into a new VSpace object (*vspace) and
 * returns its (not yet ready) thread; *bootinfo is the kernel's view of its
 * (zeroed) boot-info page, for the caller to fill once every boot
 * allocation is done.
 */
struct tcb *root_task_create(struct sel_bootinfo **bootinfo, void **vspace, void **ipc_frame);

#endif /* SELENE_BOOT_ROOT_TASK_H */
