/*
 * eva_ipc_stubs.c: what the EVA run over IPC and windows (run_eva.py
 * --target ipc) puts in place of the hardware and of the subsystems outside
 * the analysed files: the scheduler, trap reporting, user-interrupt
 * delivery, the VSpace and page-table code, user-memory copies, ASIDs,
 * panic. Each stub does the simplest thing that keeps the analysis sound
 * for the analysed code: it writes what the real function writes that the
 * analysed code can see (a thread's state, its stop fields) or gives any
 * value the real function may give (an error or success chosen
 * nondeterministically), and its ACSL precondition states what the real
 * function needs from its caller (a valid buffer of the given length, a
 * valid receiver), so that EVA checks the analysed code against it.
 * verify/frama-c/README.md ("EVA of IPC and windows") lists the assumptions.
 *
 * Functions the driver must never reach -- the decoders of object types it
 * does not invoke, the finalisers of objects it does not delete, panic() --
 * require \false: reaching one makes its precondition invalid and the run
 * fail.
 */
#include "__fc_builtin.h"
#include <string.h> /* the libc specifications of memcpy, memmove, memset (EVA builtins) */

#include "arch/riscv/asid.h"
#include "arch/riscv/hart.h"
#include "arch/riscv/kinfo.h"
#include "arch/riscv/machine.h"
#include "arch/riscv/memory.h"
#include "arch/riscv/trap.h"
#include "arch/riscv/sv39.h"
#include "ipc/ipc.h"
#include "ipc/uintr.h"
#include "lib/panic.h"
#include "object/irq.h"
#include "object/objects.h"
#include "object/vspace.h"
#include "sched/scheduler.h"
#include "syscall/syscall.h"
#include "uaccess/user_memory.h"
#include <sel/syscall.h>
#include <sel/uintr.h>
#include <selene/error.h>
#include <selene/object.h>

/* arch/riscv/smp.c and machine.c */
struct hart harts[SEL_MAX_HARTS];
struct machine machine;

/* A CSR read (csr.h) and an ecall (stubs/sel/syscall.h) give any values. */
uint64_t eva_csr_read(void)
{
	return Frama_C_unsigned_long_interval(0, UINT64_MAX);
}

struct sel_ret eva_ecall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                         uint64_t a4, uint64_t a5, uint64_t a6)
{
	struct sel_ret r;

	(void)nr, (void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5, (void)a6;
	r.err = Frama_C_unsigned_long_interval(0, UINT64_MAX);
	for (int i = 0; i < 6; i++)
		r.v[i] = Frama_C_unsigned_long_interval(0, UINT64_MAX);
	return r;
}

/*
 * libsel/src/uintr_wait.S (assembly): returns at once when *word is no
 * longer `value`, else sleeps in the kernel's wait and returns its error;
 * either way any error the kernel may give.
 */
/*@ requires \valid_read(word);
    assigns \nothing; */
int sel_uintr_wait_unless(const volatile uint64_t *word, uint64_t value)
{
	if (*word != value)
		return SEL_OK;
	return (int)eva_ecall(0, 0, 0, 0, 0, 0, 0, 0).err;
}

/* The same with the wait of SEL_SYS_UINTR_SEND_WAIT, claiming `mask`. */
/*@ requires \valid_read(word);
    assigns \nothing; */
int sel_uintr_wait_unless_claim(const volatile uint64_t *word, uint64_t value, uint64_t mask)
{
	(void)mask;
	if (*word != value)
		return SEL_OK;
	return (int)eva_ecall(0, 0, 0, 0, 0, 0, 0, 0).err;
}

/* The same, with the vectors claimed (the two-word result of the same entry). */
/*@ requires \valid_read(word);
    assigns \nothing; */
struct sel_uintr_claimed sel_uintr_wait_unless_claimed(const volatile uint64_t *word,
                                                       uint64_t value, uint64_t mask)
{
	struct sel_uintr_claimed r = {SEL_OK, 0};

	(void)mask;
	if (*word != value)
		return r;
	r.err = (uint64_t)eva_ecall(0, 0, 0, 0, 0, 0, 0, 0).err;
	return r;
}

/* lib/panic.c: every assert() of the analysed code is an obligation. */
/*@ requires \false;
    assigns \nothing;
    ensures \false; */
void panic(const char *fmt, ...)
{
	(void)fmt;
	for (;;) {
	}
}

/*
 * sched/scheduler.c. Only the thread-state effects the IPC code reads are
 * kept: make_ready sets READY; blocked takes the thread off this hart;
 * stop does what leave_scheduler() does to a thread's IPC state (it cancels
 * its IPC, ipc_cancel() in endpoint.c, analysed) and marks it INACTIVE.
 * Ready queues and harts are not modelled.
 */
/*@ requires \valid(t);
    assigns t->state;
    ensures t->state == TCB_READY; */
void sched_make_ready(struct tcb *t)
{
	t->state = TCB_READY;
}

/*@ requires \valid(t);
    assigns \nothing; */
void sched_run_next(struct tcb *t)
{
	(void)t; /* only its place in the ready queue moves, which EVA does not model */
}

/*@ requires \valid(t); */
void sched_blocked(struct tcb *t)
{
	if (harts[0].current == t)
		harts[0].current = NULL;
}

/*@ requires \valid(t); */
void sched_stop(struct tcb *t, uint32_t reason, uint64_t code)
{
	if (t->state == TCB_INACTIVE || t->state == TCB_DEAD)
		return;
	t->stop_reason = reason;
	t->stop_code = code;
	ipc_cancel(t);
	t->state = TCB_INACTIVE;
}

#ifndef EVA_OBJECTS
/*@ requires \false; */
void sched_finalise(struct tcb *t)
{
	(void)t;
}
#endif

#ifndef EVA_OBJECTS
/*
 * What ipc/fastpath.c (ipc target only) calls below itself: smp.c's count
 * of harts (stubs/eva_smp.h: chosen by the driver), asid.c's shootdown
 * sets (satp_change() is inline), the big lock of scheduler.c, the FPU,
 * the tick, the info page, the debug invariant checker, and the generic
 * path and the return to user mode, which do not return.
 */
uint32_t harts_online;
uint8_t asid_harts_seen[ASID_COUNT];
struct spinlock big_lock;
union kinfo_page kinfo_page;

/* Taken when the inline path found it held: waits, then holds it (one hart analysed). */
/*@ assigns big_lock.locked, big_lock.owner; */
void kernel_lock(void)
{
	big_lock.locked = 1;
	big_lock.owner = 0;
}

/*
 * The lock's fields are volatile, so EVA reads any value from them: whether
 * the fast paths release only a lock they took is not EVA's to decide. The
 * fast/slow differential harness checks it (VERIFY_0350: the real
 * kernel_lock_held() and a lock left held between syscalls both fail it).
 */
/*@ assigns \nothing;
    ensures \result == \true; */
bool kernel_lock_held(void)
{
	return true;
}

/*@ requires \valid(h) && \valid_read(t);
    assigns h->fpu_owner; */
void fpu_switch(struct hart *h, struct tcb *t)
{
	h->fpu_owner = t;
}

/*@ requires \valid(h);
    assigns h->next_tick; */
void timer_arm(struct hart *h)
{
	if (!h->next_tick)
		h->next_tick = Frama_C_unsigned_long_interval(1, UINT64_MAX);
}

/*@ assigns \nothing; */
void invariants_after_syscall(void)
{
}

/* scheduler.c: t goes back on the ready queue (not modelled), h runs nothing for now. */
/*@ requires \valid(h) && \valid(t) && h->current == t && t->state == TCB_RUNNING;
    assigns t->state, h->current;
    ensures t->state == TCB_READY && h->current == \null; */
void sched_give_way(struct hart *h, struct tcb *t)
{
	t->state = TCB_READY;
	h->current = NULL;
}

/* The generic path (syscall.c) and the exit (trap_entry.S): they do not return. */
/*@ requires \valid(args);
    requires nr < 64; */
void syscall_locked(uint64_t nr, struct syscall_args *args)
{
	(void)nr, (void)args;
	for (;;) {
	}
}

/*@ requires \valid_read(ctx); */
void arch_return_to_user(struct context *ctx)
{
	(void)ctx;
	for (;;) {
	}
}
#endif

/* arch/riscv/trap.c, without the console report. */
/*@ requires \valid(t); */
void fault_unhandled(struct tcb *t, uint64_t cause, uint64_t stval)
{
	t->fault_pc = t->ctx.pc;
	t->fault_addr = stval;
	sched_stop(t, SEL_STOP_FAULTED, cause);
}

/* ipc/uintr.c: raising a vector sets its pending bit (the wake-up is not modelled). */
/*@ requires \valid(r);
    requires vector < CAP_UINTR_VECTORS;
    assigns r->pending; */
void uintr_raise(struct uintr_receiver *r, uint64_t vector)
{
	r->pending |= 1ull << vector;
}

/*@ requires \valid(t);
    requires t->uintr == \null || \valid(t->uintr); */
void uintr_cancel_wait(struct tcb *t)
{
	if (t->uintr)
		t->uintr->sleeping = 0;
}

/* Sender caps leave a thread's sender table; the driver's tables are all empty. */
/*@ requires \valid_read(cap);
    assigns \nothing; */
void uintr_cap_removed(const struct cap *cap)
{
	(void)cap;
}

#ifndef EVA_OBJECTS /* run_eva.py --target objects analyses vspace.c, asid.c */
/*
 * object/vspace.c. A mapping record names a VSpace by ASID and generation;
 * here it is found (vspace_object stands for it) or gone.
 */
static uint8_t vspace_object[1u << VSPACE_OBJECT_BITS] __attribute__((aligned(4096)));

/*@ assigns \nothing; */
paddr_t vspace_root_pa(const void *obj)
{
	return virt_to_phys(obj);
}

/*@ assigns \nothing;
    ensures \result < ASID_COUNT; */
uint64_t vspace_asid(const void *obj)
{
	(void)obj;
	return Frama_C_unsigned_long_interval(0, ASID_COUNT - 1);
}

/* The VSpace a mapping record names: still there, or gone. */
void *mapped_vspace(const struct cap *c)
{
	(void)c;
	return Frama_C_interval(0, 1) ? vspace_object : NULL;
}

uint64_t vspace_mapping_word(const void *vs)
{
	(void)vs;
	return Frama_C_unsigned_long_interval(0, UINT64_MAX);
}

/* As the real one: the VSpace object of a VSpace cap (its lookup, lookup_cap, is analysed). */
/*@ requires \valid_read(slot);
    assigns \nothing; */
void *vspace_of(const struct cte *slot)
{
	return (void *)(uintptr_t)slot->cap.object;
}

/*@ requires \valid_read(cap);
    assigns \nothing; */
void vspace_cap_removed(const struct cap *cap)
{
	(void)cap;
}

#endif

/* arch/riscv/sv39.c and asid.c: page tables and TLB flushes. */
/*
 * The entry for va at `level`: a page table may be missing (NULL) or the
 * entry taken, at any page. A map the caller checked with pt_slot() then
 * succeeds (window.c asserts it).
 */
static uint64_t pte_stub;

/*@ requires level == 0 || level == 1 || level == 2;
    assigns pte_stub;
    ensures \result == \null || \result == &pte_stub; */
uint64_t *pt_slot(paddr_t root, vaddr_t va, int level)
{
	static const uint64_t entries[] = {0, PTE_V};

	(void)root, (void)va, (void)level;
	if (Frama_C_interval(0, 2) == 2)
		return NULL;
	pte_stub = entries[Frama_C_interval(0, 1)];
	return &pte_stub;
}

#ifndef EVA_OBJECTS /* eva_obj_stubs.c models page tables */
/*@ requires size_bits == 12 || size_bits == 21;
    assigns \nothing;
    ensures \result == SEL_OK; */
int pt_map_frame(paddr_t root, vaddr_t va, paddr_t pa, uint32_t size_bits, uint64_t rwx)
{
	(void)root, (void)va, (void)pa, (void)size_bits, (void)rwx;
	return SEL_OK;
}

/*@ requires size_bits == 12 || size_bits == 21;
    assigns \nothing; */
void pt_unmap_frame(paddr_t root, vaddr_t va, paddr_t pa, uint32_t size_bits)
{
	(void)root, (void)va, (void)pa, (void)size_bits;
}

/*@ requires asid < ASID_COUNT;
    assigns \nothing; */
void asid_flush(uint32_t asid)
{
	(void)asid;
}

/*@ assigns \nothing; */
uint32_t asid_in_use(void)
{
	return (uint32_t)Frama_C_interval(0, ASID_COUNT - 1);
}

#endif

/*
 * uaccess/user_memory.c: either the whole range is accessible to t and is
 * copied (the user bytes are any values), or SEL_ERR_BAD_ADDRESS and
 * nothing is written. The kernel-side buffer must be valid for len bytes.
 */
/*@ requires \valid(t);
    requires \valid((char *)dst + (0 .. len - 1));
    assigns ((char *)dst)[0 .. len - 1];
    ensures \result == SEL_OK || \result == SEL_ERR_BAD_ADDRESS; */
int copy_from_user(struct tcb *t, void *dst, uaddr_t src, size_t len)
{
	(void)t, (void)src;
	if (Frama_C_interval(0, 1))
		return SEL_ERR_BAD_ADDRESS;
	Frama_C_make_unknown((char *)dst, len);
	return SEL_OK;
}

/*@ requires \valid(t);
    requires \valid_read((char *)src + (0 .. len - 1));
    requires \initialized((char *)src + (0 .. len - 1));
    assigns \nothing;
    ensures \result == SEL_OK || \result == SEL_ERR_BAD_ADDRESS; */
int copy_to_user(struct tcb *t, uaddr_t dst, const void *src, size_t len)
{
	(void)t, (void)dst, (void)src, (void)len;
	return Frama_C_interval(0, 1) ? SEL_ERR_BAD_ADDRESS : SEL_OK;
}

/*@ requires \valid(dt) && \valid(st);
    assigns \nothing;
    ensures \result == SEL_OK || \result == SEL_ERR_BAD_ADDRESS; */
int copy_user_to_user(struct tcb *dt, uaddr_t dst, struct tcb *st, uaddr_t src, size_t len)
{
	(void)dt, (void)dst, (void)st, (void)src, (void)len;
	return Frama_C_interval(0, 1) ? SEL_ERR_BAD_ADDRESS : SEL_OK;
}

/* object/invariants_debug.c: the checker's schedule (not analysed). */
void invariants_init(struct cdt *cdt, const char *bootargs)
{
	(void)cdt, (void)bootargs;
}

/*
 * Never reached by the driver: object types it does not invoke, objects it
 * does not create or delete.
 */
#ifndef EVA_OBJECTS
/*@ requires \false; */
enum sel_error cnode_decode(struct tcb *t, struct cte *c, struct syscall_args *a)
{
	(void)t, (void)c, (void)a;
	return SEL_ERR_ILLEGAL_OP;
}
#endif
#ifndef EVA_OBJECTS
/*@ requires \false; */
enum sel_error untyped_decode(struct tcb *t, struct cte *c, struct syscall_args *a)
{
	(void)t, (void)c, (void)a;
	return SEL_ERR_ILLEGAL_OP;
}
#endif
/*@ requires \false; */
enum sel_error debug_cap_decode(struct tcb *t, struct cte *c, struct syscall_args *a)
{
	(void)t, (void)c, (void)a;
	return SEL_ERR_ILLEGAL_OP;
}
#ifndef EVA_OBJECTS
/*@ requires \false; */
enum sel_error tcb_decode(struct tcb *t, struct cte *c, struct syscall_args *a)
{
	(void)t, (void)c, (void)a;
	return SEL_ERR_ILLEGAL_OP;
}
#endif
#ifndef EVA_OBJECTS
/*@ requires \false; */
enum sel_error page_table_decode(struct tcb *t, struct cte *c, struct syscall_args *a)
{
	(void)t, (void)c, (void)a;
	return SEL_ERR_ILLEGAL_OP;
}
#endif
#ifndef EVA_OBJECTS
/*@ requires \false; */
enum sel_error frame_decode(struct tcb *t, struct cte *c, struct syscall_args *a)
{
	(void)t, (void)c, (void)a;
	return SEL_ERR_ILLEGAL_OP;
}
#endif
#ifndef EVA_OBJECTS
/*@ requires \false; */
enum sel_error vspace_decode(struct tcb *t, struct cte *c, struct syscall_args *a)
{
	(void)t, (void)c, (void)a;
	return SEL_ERR_ILLEGAL_OP;
}
#endif
/*@ requires \false; */
enum sel_error uintr_decode(struct tcb *t, struct cte *c, struct syscall_args *a)
{
	(void)t, (void)c, (void)a;
	return SEL_ERR_ILLEGAL_OP;
}
/*@ requires \false; */
enum sel_error irq_handler_decode(struct tcb *t, struct cte *c, struct syscall_args *a)
{
	(void)t, (void)c, (void)a;
	return SEL_ERR_ILLEGAL_OP;
}
/*@ requires \false; */
enum sel_error irq_control_get(struct tcb *t, struct cte *c, struct syscall_args *a)
{
	(void)t, (void)c, (void)a;
	return SEL_ERR_ILLEGAL_OP;
}
/*@ requires \false; */
void irq_handler_finalise(const struct cap *cap)
{
	(void)cap;
}
/*@ requires \false; */
void uintr_receiver_finalise(struct uintr_receiver *r)
{
	(void)r;
}
#ifndef EVA_OBJECTS
/*@ requires \false; */
void uintr_receiver_init(struct uintr_receiver *r)
{
	(void)r;
}
#endif
#ifndef EVA_OBJECTS
/*@ requires \false; */
void vspace_object_init(void *obj)
{
	(void)obj;
}
#endif
#ifndef EVA_OBJECTS
/*@ requires \false; */
void vspace_object_finalise(void *obj)
{
	(void)obj;
}
#endif
