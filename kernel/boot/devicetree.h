/*
 * What the kernel reads from the flattened device tree OpenSBI passes.
 *
 * dt_parse() fills a struct dt_info or panics with a message naming the
 * missing or malformed node; it never hangs on a bad blob (every read is
 * bounds-checked against the header's totalsize).
 */
#ifndef SELENE_BOOT_DEVICETREE_H
#define SELENE_BOOT_DEVICETREE_H

#include "lib/types.h"
#include <selene/bootinfo.h>

#define DT_MAX_RESERVED 8
#define DT_MAX_DEVICES  16

struct dt_range {
	paddr_t base;
	uint64_t size;
};

struct dt_info {
	uint32_t totalsize;
	uint32_t n_mem;
	struct dt_range mem[SEL_BOOTINFO_MAX_MEM];
	uint32_t n_reserved;
	struct dt_range reserved[DT_MAX_RESERVED];
	uint32_t n_harts;
	uint64_t hart_ids[SEL_MAX_HARTS];
	uint64_t timebase_hz;
	paddr_t uart;
	uint32_t uart_irq; /* the UART's PLIC source (its `interrupts`); 0: none given */
	paddr_t plic;
	uint64_t plic_size;
	uint32_t plic_ndev;
	paddr_t clint;
	paddr_t aclint_sswi;
	paddr_t finisher;
	char bootargs[SEL_BOOTARGS_MAX];
	/* MMIO the root task gets as device Untyped: UART, RTC, virtio. */
	uint32_t n_devices;
	struct dt_range devices[DT_MAX_DEVICES];
};

void dt_parse(const void *fdt, struct dt_info *out);

#endif /* SELENE_BOOT_DEVICETREE_H */
