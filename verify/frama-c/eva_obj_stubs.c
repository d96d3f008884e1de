/*
 * eva_obj_stubs.c: what the EVA run over the object decoders (run_eva.py
 * --target objects, eva_obj_main.c) does not analyse, beyond the stubs it
 * shares with the IPC run (eva_ipc_stubs.c, built with -DEVA_OBJECTS so that
 * the functions analysed here -- vspace.c, asid.c and the decoders -- are
 * not stubbed there).
 *
 * Each stub has a contract that EVA checks at every call (a precondition
 * not proved valid fails the test) and a behaviour that covers the real
 * one's outcomes. Why each is sound is said above it and in README.md.
 */
#include "__fc_builtin.h"

#include "arch/riscv/asid.h"
#include "arch/riscv/hart.h"
#include "arch/riscv/sbi.h"
#include "arch/riscv/sv39.h"
#include "ipc/ipc.h"
#include "ipc/uintr.h"
#include "sched/scheduler.h"
#include <selene/error.h>

/*
 * arch/riscv/sv39.c: page tables are physical memory reached through
 * phys_to_virt(); they are not modelled. Each operation requires what the
 * real one relies on (a level-0..2 table, 4 KiB or 2 MiB frames, a
 * page-aligned virtual address) and may fail as the real one can. The
 * alignment of a table's physical address is not stated: EVA does not know
 * the addresses of static objects, so it could not decide it (objects are
 * aligned to their size by Retype, untyped_retype.c, proved by WP).
 */
/*@ assigns \nothing; */
void vspace_init_root(paddr_t root)
{
	(void)root;
}

/*@ requires asid < ASID_COUNT;
    assigns \nothing; */
void vspace_activate(paddr_t root, uint64_t asid)
{
	(void)root, (void)asid;
}

/*@ assigns \nothing; */
void vspace_evict(paddr_t root)
{
	(void)root;
}

/*@ requires \valid(level);
    assigns *level;
    ensures \result == SEL_OK ==> *level == 0 || *level == 1;
    ensures \result == SEL_OK || \result == SEL_ERR_ALREADY_MAPPED ||
            \result == SEL_ERR_RANGE; */
enum sel_error pt_install_table(paddr_t root, vaddr_t va, paddr_t table, int *level)
{
	(void)root, (void)va, (void)table;
	switch (Frama_C_interval(0, 3)) {
	case 0:
		*level = 1;
		return SEL_OK;
	case 1:
		*level = 0;
		return SEL_OK;
	case 2:
		return SEL_ERR_ALREADY_MAPPED;
	default:
		return SEL_ERR_RANGE;
	}
}

/*@ requires level == 0 || level == 1 || level == 2 || level == 3;
    assigns \nothing; */
void pt_remove_table(paddr_t root, vaddr_t va, int level, paddr_t table)
{
	(void)root, (void)va, (void)level, (void)table;
}

/*@ assigns \nothing; */
void pt_clear(paddr_t table)
{
	(void)table;
}

/*@ requires size_bits == 12 || size_bits == 21;
    requires va % 4096 == 0;
    assigns \nothing;
    ensures \result == SEL_OK || \result == SEL_ERR_NO_PAGE_TABLE ||
            \result == SEL_ERR_ALREADY_MAPPED; */
enum sel_error pt_map_frame(paddr_t root, vaddr_t va, paddr_t pa, uint32_t size_bits, uint64_t rwx)
{
	(void)root, (void)va, (void)pa, (void)size_bits, (void)rwx;
	switch (Frama_C_interval(0, 2)) {
	case 0:
		return SEL_OK;
	case 1:
		return SEL_ERR_NO_PAGE_TABLE;
	default:
		return SEL_ERR_ALREADY_MAPPED;
	}
}

/*@ requires size_bits == 12 || size_bits == 21;
    requires va % 4096 == 0;
    assigns \nothing; */
void pt_unmap_frame(paddr_t root, vaddr_t va, paddr_t pa, uint32_t size_bits)
{
	(void)root, (void)va, (void)pa, (void)size_bits;
}

/* arch/riscv/sbi.c: a remote fence (an ecall to OpenSBI). */
/*@ requires asid < ASID_COUNT;
    assigns \nothing; */
long sbi_remote_sfence_vma_asid(uint64_t hart_mask, uint64_t hart_mask_base, uint64_t start,
                                uint64_t size, uint64_t asid)
{
	(void)hart_mask, (void)hart_mask_base, (void)start, (void)size, (void)asid;
	return 0;
}

/*
 * sched/scheduler.c: the ready queues are indexed by priority and hart,
 * so the contracts are the bounds: a priority below SEL_PRIORITIES, a hart
 * below SEL_MAX_HARTS. set_affinity checks its argument as the real one.
 */
/*@ requires \valid(t);
    requires prio < SEL_PRIORITIES;
    assigns t->priority; */
void sched_set_priority(struct tcb *t, uint32_t prio)
{
	t->priority = prio;
}

/*@ requires \valid(t);
    assigns t->hart_affinity; */
enum sel_error sched_set_affinity(struct tcb *t, uint64_t hart)
{
	if (hart >= SEL_MAX_HARTS || !harts[hart].online)
		return SEL_ERR_RANGE;
	t->hart_affinity = (uint32_t)hart;
	return SEL_OK;
}

/*@ assigns \nothing; */
void sched_stop_running_in(paddr_t root)
{
	(void)root;
}

/*
 * A TCB object's last cap went: as the real one for IPC (its binding and
 * its IPC go, sched_stop() in eva_ipc_stubs.c cancels them), DEAD. The FPU
 * and user-interrupt state it also drops are not modelled.
 */
/*@ requires \valid(t); */
void sched_finalise(struct tcb *t)
{
	ntfn_unbind(t);
	sched_stop(t, SEL_STOP_SUSPENDED, 0);
	t->state = TCB_DEAD;
}

/* Retype of a UIntr receiver: its initialisation (ipc/uintr.c) is not analysed. */
/*@ requires \valid(r);
    assigns \nothing; */
void uintr_receiver_init(struct uintr_receiver *r)
{
	(void)r;
}
