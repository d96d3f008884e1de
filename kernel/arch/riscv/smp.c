/*
 * Bringing up the other harts.
 *
 * The boot hart asks OpenSBI (HSM hart_start) to start every other hart of
 * the device tree at secondary_entry (entry.S), then waits up to a second
 * for each to report online. A hart that OpenSBI starts at _start instead
 * is caught by entry.S's boot claim and lands here all the same.
 *
 * Two counts, because a hart can come up after the boot hart stopped
 * waiting for it (under -icount a spinning hart 0 keeps the others from
 * running at all):
 *   harts_online  harts that run kernel code or may start to: the boot hart
 *                 and every hart OpenSBI accepted to start, counted before
 *                 the start request. The fast paths skip the big lock only
 *                 while it is 1, so a late hart never meets a lock-free path.
 *   harts_up      harts that reported online (what the boot log and
 *                 SEL_INFO_HARTS_ONLINE say).
 */
#include "arch/riscv/smp.h"
#include "arch/riscv/csr.h"
#include "arch/riscv/hart.h"
#include "arch/riscv/plic.h"
#include "arch/riscv/machine.h"
#include "arch/riscv/memory.h"
#include "arch/riscv/sbi.h"
#include "arch/riscv/timer.h"
#include "arch/riscv/trap.h"
#include "lib/printk.h"
#include "sched/scheduler.h"

struct hart harts[SEL_MAX_HARTS];
volatile uint32_t harts_online;
volatile uint32_t harts_up;

_Static_assert(sizeof(struct hart) == 256, "entry.S indexes harts[] by 256 bytes");
_Static_assert(__builtin_offsetof(struct hart, kstack_top) == 0, "trap entry loads offset 0");

extern char kernel_stacks[];
extern char secondary_entry[];

/* Per-hart setup shared by the boot hart and the others. */
void hart_init(uint64_t hartid)
{
	struct hart *h = this_hart();

	h->id = hartid;
	h->kstack_top = (uint64_t)kernel_stacks + (hartid + 1) * KSTACK_SIZE;
	trap_init_hart();
	timer_init_hart();
	plic_init_hart(hartid); /* the boot hart does it again once the PLIC is known */
}

static void report_online(struct hart *h)
{
	uint64_t sp;

	__asm__ volatile("mv %0, sp" : "=r"(sp));
	printk("hart %lu: online, kernel stack %p, sp 0x%lx\n", h->id, (void *)h->kstack_top, sp);
	h->online = true;
	__atomic_fetch_add(&harts_up, 1, __ATOMIC_SEQ_CST);
}

NORETURN void secondary_main(uint64_t hartid)
{
	struct hart *h = this_hart();

	hart_init(hartid);
	report_online(h);
	kernel_lock();
	sched_return_to_user();
}

static bool wait_online(struct hart *h)
{
	uint64_t deadline = timer_now() + machine.timebase_hz;

	while (!h->online)
		if (timer_now() > deadline)
			return false;
	return true;
}

void smp_start_harts(const uint64_t *ids, uint32_t n)
{
	paddr_t entry = virt_to_phys(secondary_entry);

	harts_online = 1;
	report_online(this_hart());
	for (uint32_t i = 0; i < n; i++) {
		uint64_t id = ids[i];
		if (id == this_hart()->id)
			continue;
		if (id >= SEL_MAX_HARTS) {
			printk("smp: hart %lu beyond SEL_MAX_HARTS, left stopped\n", id);
			continue;
		}
		__atomic_fetch_add(&harts_online, 1, __ATOMIC_SEQ_CST);
		long err = sbi_hart_start(id, entry, 0);
		if (err) {
			__atomic_fetch_sub(&harts_online, 1, __ATOMIC_SEQ_CST);
			printk("smp: hart_start(%lu) failed: %ld\n", id, err);
		} else if (!wait_online(&harts[id])) {
			printk("smp: hart %lu not online yet (it joins when it comes)\n", id);
		}
	}
	printk("smp: %u of %u harts online\n", harts_up, n);
}
