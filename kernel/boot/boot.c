/*
 * kmain: the boot hart's path from OpenSBI to the first user instruction.
 *
 *   1. per-hart trap and timer setup; the device tree (memory, harts, UART,
 *      PLIC, CLINT/ACLINT, finisher, timebase, bootargs); console on the UART
 *   2. free memory = RAM - OpenSBI/reserved-memory - kernel - device tree
 *   3. start the other harts (they idle in the scheduler)
 *   4. build the root task, its boot-info page and its initial capabilities
 *      (every free byte becomes its Untyped); run it
 */
#include "arch/riscv/fast_entry.h"
#include "arch/riscv/hart.h"
#include "arch/riscv/machine.h"
#include "arch/riscv/memory.h"
#include "arch/riscv/smp.h"
#include "boot/boot_alloc.h"
#include "boot/boot_caps.h"
#include "boot/devicetree.h"
#include "boot/root_task.h"
#include "arch/riscv/kinfo.h"
#include "arch/riscv/plic.h"
#include "ipc/ipc.h"
#include "ipc/uintr_fast.h"
#include "lib/inject.h"
#include <selene/kernel_abi.h>
#include "lib/panic.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "lib/watchdog.h"
#include "object/objects.h"
#include "sched/scheduler.h"

extern char __kernel_start[], __kernel_end[];

static struct dt_info dt;

static void read_device_tree(paddr_t dtb)
{
	dt_parse(phys_to_virt(dtb), &dt);
	machine.uart_base = dt.uart;
	machine.finisher_base = dt.finisher;
	machine.plic_base = dt.plic;
	machine.plic_size = dt.plic_size;
	machine.plic_sources = dt.plic_ndev;
	machine.clint_base = dt.clint;
	machine.aclint_sswi_base = dt.aclint_sswi;
	machine.timebase_hz = dt.timebase_hz;
	for (uint32_t i = 0; i < dt.n_mem && i < SEL_BOOTINFO_MAX_MEM; i++) {
		machine.ram[i].base = dt.mem[i].base;
		machine.ram[i].end = dt.mem[i].base + dt.mem[i].size;
		machine.n_ram = i + 1;
	}
}

static void find_free_memory(paddr_t dtb)
{
	for (uint32_t i = 0; i < dt.n_mem; i++)
		regions_add(&boot_free, dt.mem[i].base, dt.mem[i].size);
	for (uint32_t i = 0; i < dt.n_reserved; i++)
		regions_remove(&boot_free, dt.reserved[i].base, dt.reserved[i].size);
	/* OpenSBI below the kernel, then the kernel image itself. */
	regions_remove(&boot_free, dt.mem[0].base, virt_to_phys(__kernel_end) - dt.mem[0].base);
	regions_remove(&boot_free, dtb, dt.totalsize);
}

static void fill_bootinfo(struct sel_bootinfo *bi, uint64_t hartid)
{
	bi->magic = SEL_BOOTINFO_MAGIC;
	bi->version = SEL_BOOTINFO_VERSION;
	bi->n_harts = dt.n_harts;
	bi->boot_hart = (uint32_t)hartid;
	bi->timebase_hz = dt.timebase_hz;
	memcpy(bi->hart_ids, dt.hart_ids, sizeof(bi->hart_ids));
	bi->n_mem = dt.n_mem;
	for (uint32_t i = 0; i < bi->n_mem; i++)
		bi->mem[i] = (struct sel_mem_region){dt.mem[i].base, dt.mem[i].size};
	bi->kernel_base = virt_to_phys(__kernel_start);
	bi->kernel_end = virt_to_phys(__kernel_end);
	bi->uart_base = dt.uart;
	bi->uart_irq = dt.uart_irq;
	bi->has_aclint_sswi = dt.aclint_sswi != 0;
	memcpy(bi->bootargs, dt.bootargs, sizeof(bi->bootargs));
	bi->abi_hash = SEL_KERNEL_ABI_HASH;
}

static void print_banner(uint64_t hartid)
{
	uint64_t ram = 0;

	for (uint32_t i = 0; i < dt.n_mem; i++)
		ram += dt.mem[i].size;
	printk("\nSelene microkernel (RISC-V 64, Sv39), boot hart %lu\n", hartid);
	printk("memory: %lu MiB at 0x%lx; kernel 0x%lx-0x%lx; %u harts; timebase %lu Hz\n",
	       ram >> 20, dt.mem[0].base, virt_to_phys(__kernel_start), virt_to_phys(__kernel_end),
	       dt.n_harts, dt.timebase_hz);
	printk("devices: uart 0x%lx (irq %u) plic 0x%lx clint 0x%lx aclint-sswi 0x%lx finisher "
	       "0x%lx\n",
	       dt.uart, dt.uart_irq, dt.plic, dt.clint, dt.aclint_sswi, dt.finisher);
	if (dt.bootargs[0])
		printk("bootargs: %s\n", dt.bootargs);
}

NORETURN void kmain(uint64_t hartid, paddr_t dtb);

NORETURN void kmain(uint64_t hartid, paddr_t dtb)
{
	hart_init(hartid);
	read_device_tree(dtb);
	print_banner(hartid);
	find_free_memory(dtb);
	plic_init(hartid);
	plic_init_hart(hartid);
	smp_start_harts(dt.hart_ids, dt.n_harts);

	kernel_lock();
	objects_init(dt.bootargs);
	fastpath_init(dt.bootargs);
	inject_init(dt.bootargs);
	uintr_fast_init(dt.bootargs);
	spin_watch_init(dt.bootargs);
	kinfo_init(dt.n_harts);
	struct sel_bootinfo *bi;
	void *vspace;
	void *ipc_frame;
	struct tcb *root = root_task_create(&bi, &vspace, &ipc_frame);
	fill_bootinfo(bi, hartid);
	boot_caps_create(root, vspace, ipc_frame, bi, &dt);
	root->hart_affinity = (uint32_t)hartid;
	sched_make_ready(root);
	sched_return_to_user();
}
