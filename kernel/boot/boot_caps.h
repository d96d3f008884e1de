/*
 * The root task's initial capabilities (the layout is ABI: see
 * kernel/abi/selene/bootinfo.h).
 */
#ifndef SELENE_BOOT_BOOT_CAPS_H
#define SELENE_BOOT_BOOT_CAPS_H

#include "boot/devicetree.h"
#include "object/tcb.h"
#include <selene/bootinfo.h>

/*
 * Creates the root CNode, the caps to the root thread, its VSpace, the CNode
 * itself and the debug object, then hands every free byte of RAM and the devices'
 * MMIO to the root task as Untyped caps, listed in bi. Call last: after it,
 * boot memory belongs to user space.
 */
void boot_caps_create(struct tcb *root, void *vspace, void *ipc_frame, struct sel_bootinfo *bi,
                      const struct dt_info *dt);

#endif /* SELENE_BOOT_BOOT_CAPS_H */
