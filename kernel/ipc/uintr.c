/*
 * User-mode interrupts, emulated: the lock-free send, the waiters' wake-up
 * stacks, delivery (the diversion to the handler), uret and the control
 * calls. Receivers' and senders' capability side is object/uintr_cap.c.
 *
 * Send: one atomic load of the table word (receiver | vector), one amoor
 * into the receiver's pending set, then at most one more action: if the
 * bound thread sleeps in UINTR_WAIT (the send swaps `sleeping` to 0), the
 * receiver is pushed on its hart's wake stack and that hart is kicked; if
 * the thread runs in user mode on another hart, that hart is kicked (its
 * trap returns through uintr_deliver()). Otherwise the bit waits for the
 * thread's next return to user mode. The ordering argument (Dekker style:
 * each side writes its flag, fences, reads the other's) is in
 * docs/uintr.md.
 *
 * Delivery (uintr_deliver(), under the lock, as the thread is about to
 * run): write the interrupted pc, sp, a0 and a1 (and ufpu: whether its FP
 * registers are live) to the thread's user-interrupt registers in its IPC
 * buffer, claim the pending set with one amoswap, and resume at the
 * handler entry with a0 = set, a1 = those registers; every other register
 * is left as it was (the entry saves what it uses, as with the N
 * extension). uret (uintr_uret(), recognised in trap_entry.S by a7 alone)
 * takes the five registers back, and discards any FP state a handler made
 * in code that had none.
 */
#include "ipc/uintr.h"
#include "arch/riscv/context.h"
#include "arch/riscv/csr.h"
#include "arch/riscv/fpu.h"
#include "arch/riscv/hart.h"
#include "arch/riscv/ipi.h"
#include "arch/riscv/trap.h"
#include "ipc/ipc.h"
#include "ipc/uintr_fast.h"
#include "lib/inject.h"
#include "lib/panic.h"
#include "lib/string.h"
#include "lib/watchdog.h"
#include "object/irq.h"
#include "object/objects.h"
#include "sched/scheduler.h"
#include "uaccess/user_memory.h"
#include <selene/error.h>
#include <selene/syscall.h>
#include <selene/uintr.h>

#define VECTOR_MASK (SEL_UINTR_VECTORS - 1)

_Static_assert(SYS_NR_URET == SEL_SYS_UINTR_RET, "trap_entry.S recognises uret by number");

/* What ipc/uintr_fast.S reads, where it reads it. */
#define AT(type, field, off) _Static_assert(__builtin_offsetof(type, field) == (off), #field)
AT(struct tcb, ipc_buffer, TCB_OFF_IPC_BUFFER);
AT(struct tcb, fpu_hart, TCB_OFF_FPU_HART);
AT(struct tcb, uintr, TCB_OFF_UINTR);
AT(struct tcb, uintr_handler, TCB_OFF_UHANDLER);
AT(struct tcb, uintr_stack, TCB_OFF_USTACK);
AT(struct tcb, uintr_arg, TCB_OFF_UARG);
AT(struct tcb, uintr_in_handler, TCB_OFF_INHANDLER);
AT(struct tcb, uintr_fpu_fresh, TCB_OFF_FPU_FRESH);
AT(struct tcb, uintr_masked, TCB_OFF_MASKED);
AT(struct tcb, uitt, TCB_OFF_UITT);
AT(struct cap, object, CAP_OFF_OBJECT);
AT(struct cap, type, CAP_OFF_TYPE);
AT(struct cap, size_bits, CAP_OFF_SIZE_BITS);
AT(struct cap, flags, CAP_OFF_FLAGS);
AT(struct hart, in_user, HART_OFF_IN_USER);
AT(struct hart, uintr_seq, HART_OFF_UINTR_SEQ);
AT(struct uintr_receiver, pending, RECV_OFF_PENDING);
AT(struct uintr_receiver, tcb, RECV_OFF_TCB);
AT(struct uintr_receiver, sleeping, RECV_OFF_SLEEPING);
AT(struct sel_ipc_buffer, uintr, IPCBUF_OFF_UINTR);
AT(struct sel_uintr_regs, uepc, UREGS_EPC);
AT(struct sel_uintr_regs, usp, UREGS_SP);
AT(struct sel_uintr_regs, ua0, UREGS_A0);
AT(struct sel_uintr_regs, ua1, UREGS_A1);
AT(struct sel_uintr_regs, ua7, UREGS_A7);
AT(struct sel_uintr_regs, uarg, UREGS_ARG);
AT(struct sel_uintr_regs, ufpu, UREGS_FPU);
_Static_assert(TCB_OFF_IPCBUF_CAP == CAP_TCB_SLOT_OFFSET + TCB_SLOT_IPC_BUFFER * sizeof(struct cte),
               "the IPC buffer's slot");
_Static_assert(SYS_NR_UINTR_SEND == SEL_SYS_UINTR_SEND && OBJ_FRAME == SEL_OBJ_FRAME &&
                   CAP_DEVICE == CAP_FLAG_DEVICE && UITT_SIZE == SEL_UINTR_UITT_SIZE &&
                   UITT_VECTOR_MASK == VECTOR_MASK,
               "the constants of uintr_fast.S");
_Static_assert(INJECT_UINTR_URET_NO_RECHECK == FAST_BUG_NO_RECHECK << 13 &&
                   INJECT_UINTR_REENTER == FAST_BUG_REENTER << 13 &&
                   INJECT_UINTR_FAST_NO_WAKE == FAST_BUG_NO_WAKE << 13,
               "uintr_fast_bugs is inject_bugs >> 13");

static void kick(struct hart *me, struct hart *h)
{
	if (h == me)
		csr_set(sip, BIT(IRQ_S_SOFT)); /* trap again right after sret */
	else
		ipi_send(h->id);
}

/*
 * Pushes r on h's wake stack (a Treiber push) unless r is on a stack
 * already: false then, and the caller kicks nobody. Pushing it twice would
 * make r->wake_next point back into the chain (a drain that never ends,
 * or waiters of another stack lost). Skipping is safe: the drain that
 * will take r clears `queued` before it reads the bound thread's state
 * under the lock, and a thread that set `sleeping` before our swap either
 * sees our pending bit in its re-check or is blocked by the time that
 * drain takes the lock (docs/uintr.md, verify/spin/uintr_wake.pml).
 */
static bool push_wakeup(struct hart *h, struct uintr_receiver *r)
{
	struct uintr_receiver *old;

	if (__atomic_exchange_n(&r->queued, 1, __ATOMIC_SEQ_CST))
		return false;
	old = __atomic_load_n(&h->uintr_wakeups, __ATOMIC_RELAXED);
	do
		r->wake_next = old;
	while (!__atomic_compare_exchange_n(&h->uintr_wakeups, &old, r, true, __ATOMIC_RELEASE,
	                                    __ATOMIC_RELAXED));
	return true;
}

/*
 * Debug kernels check the reclamation rule on every send: the receiver a
 * send read from its table word must still be the same object when the
 * send has touched it (no finalise, no retype in between), or a send
 * touched freed memory and the kernel panics. "race-delay=N" widens the
 * window between the two reads.
 */
static uint64_t births;

void uintr_receiver_init(struct uintr_receiver *r)
{
	r->birth = ++births;
}

/*
 * The receiver's birth number as a send first sees it, and the check after
 * the send that the receiver was not freed meanwhile (debug kernels; in
 * release kernels both are empty and vanish when inlined).
 */
#ifdef SELENE_DEBUG
static uint64_t birth_of(const struct uintr_receiver *r)
{
	return __atomic_load_n(&r->birth, __ATOMIC_SEQ_CST);
}

static void check_alive(const struct uintr_receiver *r, uint64_t birth)
{
	if (birth == 0 || __atomic_load_n(&r->birth, __ATOMIC_SEQ_CST) != birth)
		panic("uintr: a send touched a freed receiver (birth %lu, now %lu)", birth,
		      __atomic_load_n(&r->birth, __ATOMIC_RELAXED));
}
#else
static uint64_t birth_of(const struct uintr_receiver *r)
{
	(void)r;
	return 0;
}

static void check_alive(const struct uintr_receiver *r, uint64_t birth)
{
	(void)r;
	(void)birth;
}
#endif

/*
 * The send's second half, the bit set: makes sure the bound thread will
 * see it. A thread sleeping in wait is woken: its receiver pushed on its
 * hart's wake stack and that hart kicked, unless it is this hart and
 * `here` is set (a send from user mode, which then takes the lock anyway):
 * true then, and the caller drains the stack under the lock itself, with
 * no software interrupt and no second trap. A thread in user mode on
 * another hart: that hart is kicked.
 */
static bool notify(struct hart *me, struct uintr_receiver *r, uint64_t birth, bool here)
{
	struct tcb *t = __atomic_load_n(&r->tcb, __ATOMIC_SEQ_CST);
	struct hart *th;

	check_alive(r, birth);
	if (!t)
		return false;
	if (__atomic_exchange_n(&r->sleeping, 0, __ATOMIC_SEQ_CST)) {
		struct hart *home = &harts[__atomic_load_n(&t->hart_affinity, __ATOMIC_RELAXED)];
		if (!push_wakeup(home, r))
			return false;
		if (here && home == me)
			return true;
		kick(me, home);
		return false;
	}
	th = __atomic_load_n(&t->ctx.hart, __ATOMIC_RELAXED);
	if (th && th != me && __atomic_load_n(&th->in_user, __ATOMIC_SEQ_CST) == t)
		ipi_send(th->id);
	return false;
}

/* Sets the bit, then notify(). */
static bool send(struct hart *me, struct uintr_receiver *r, uint64_t vector, bool here)
{
	uint64_t birth = birth_of(r);

	inject_delay();
	__atomic_fetch_or(&r->pending, 1ull << vector, __ATOMIC_SEQ_CST);
	return notify(me, r, birth, here);
}

/* The send through table entry `index`; *drain as send() returns it. */
static int send_index(struct hart *me, struct tcb *t, uint64_t index, bool *drain)
{
	uint64_t e;

	if (index >= SEL_UINTR_UITT_SIZE)
		return SEL_ERR_RANGE;
	e = __atomic_load_n(&t->uitt[index], __ATOMIC_ACQUIRE);
	if (!e)
		return SEL_ERR_EMPTY_SLOT;
	*drain = send(me, (struct uintr_receiver *)(uintptr_t)(e & ~(uint64_t)VECTOR_MASK),
	              e & VECTOR_MASK, true);
	return SEL_OK;
}

static bool deliverable(const struct tcb *t)
{
	struct uintr_receiver *r = __atomic_load_n(&t->uintr, __ATOMIC_ACQUIRE);

	return r && !t->uintr_in_handler && !t->uintr_masked &&
	       __atomic_load_n(&r->pending, __ATOMIC_ACQUIRE);
}

/*
 * The send's wake-up check: may the sending thread t go straight back to
 * user mode (it is still this hart's current and has nothing pending to
 * take)? Its own receiver is read here, so this runs inside the epoch
 * (uintr_seq odd): a finaliser that unbinds and frees that receiver waits
 * in uintr_sync() until this hart has left. t->uintr is read once. Debug
 * kernels check that the receiver outlived the read, as send() does.
 */
static bool may_return(struct hart *h, struct tcb *t)
{
	struct uintr_receiver *r = __atomic_load_n(&t->uintr, __ATOMIC_ACQUIRE);
	uint64_t birth, pending;

	if (__atomic_load_n(&h->current, __ATOMIC_SEQ_CST) != t)
		return false;
	if (!r || t->uintr_in_handler || t->uintr_masked)
		return true;
	birth = birth_of(r);
	inject_delay();
	pending = __atomic_load_n(&r->pending, __ATOMIC_ACQUIRE);
	check_alive(r, birth);
	return pending == 0;
}

/*
 * The end of a send from user mode, inside the epoch: the result in the
 * thread's registers, then back to user mode if the thread is still ours,
 * has nothing to take and no wake-up of this hart waits to be drained.
 * in_user is set first (a sender on another hart that sets a bit after
 * the check sees it and kicks us), and the check is made before leaving
 * the epoch. Returns if the caller must finish under the lock.
 */
static void send_leave(struct hart *h, struct tcb *t, int err, bool drain)
{
	bool late = inject_on(INJECT_UINTR_LATE_CHECK), back = false;
	uint64_t *r = t->ctx.regs;

	r[REG_A0] = (uint64_t)err;
	for (unsigned i = 1; i < 8; i++)
		r[REG_A0 + i] = 0;
	__atomic_store_n(&h->in_user, t, __ATOMIC_SEQ_CST);
	if (!late && !drain)
		back = may_return(h, t);
	__atomic_store_n(&h->uintr_seq, h->uintr_seq + 1, __ATOMIC_RELEASE);
	if (late && !drain) /* the control: the check after the epoch, as it once was */
		back = may_return(h, t);
	if (back)
		arch_return_to_user(&t->ctx);
	__atomic_store_n(&h->in_user, NULL, __ATOMIC_RELEASE);
}

void uintr_send_entry(struct hart *h, uint64_t index)
{
	struct tcb *t = __atomic_load_n(&h->in_user, __ATOMIC_RELAXED);
	bool drain = false;
	int err;

	__atomic_store_n(&h->in_user, NULL, __ATOMIC_RELEASE);
	if (!t)
		return;
	__atomic_store_n(&h->uintr_seq, h->uintr_seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	err = send_index(h, t, index, &drain);
	send_leave(h, t, err, drain);
}

void uintr_send_rest(struct hart *h, struct uintr_receiver *r)
{
	struct tcb *t = __atomic_load_n(&h->in_user, __ATOMIC_RELAXED);

	__atomic_store_n(&h->in_user, NULL, __ATOMIC_RELEASE);
	send_leave(h, t, SEL_OK, notify(h, r, birth_of(r), true));
}

uint32_t uintr_fast_on, uintr_fast_bugs;

void uintr_fast_init(const char *bootargs)
{
	/* The C send alone widens race windows and carries these bugs; its tests need it. */
	bool c_only = inject_race_widened() || inject_on(INJECT_UINTR_NO_SYNC) ||
	              inject_on(INJECT_UINTR_LATE_CHECK) || inject_on(INJECT_UINTR_NO_FPU);

	uintr_fast_on = !strstr_simple(bootargs, "fastpath=off") && !c_only;
	uintr_fast_bugs = (inject_on(INJECT_UINTR_URET_NO_RECHECK) ? FAST_BUG_NO_RECHECK : 0) |
	                  (inject_on(INJECT_UINTR_REENTER) ? FAST_BUG_REENTER : 0) |
	                  (inject_on(INJECT_UINTR_FAST_NO_WAKE) ? FAST_BUG_NO_WAKE : 0);
}

void uintr_sync(void)
{
	struct hart *me = this_hart();
	bool self_wait = inject_on(INJECT_SYNC_SELF); /* a deliberate hang for the watchdog */

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (uint32_t i = 0; i < SEL_MAX_HARTS; i++) {
		uint64_t s = __atomic_load_n(&harts[i].uintr_seq, __ATOMIC_ACQUIRE);
		if (&harts[i] == me ? !self_wait : !(s & 1))
			continue;
		struct spin_watch w =
		    SPIN_WATCH("a user-interrupt send to end on hart", harts[i].id);
		while (__atomic_load_n(&harts[i].uintr_seq, __ATOMIC_ACQUIRE) == s)
			spin_watch(&w);
	}
}

/* Takes the pending bits in `mask` (no handler will run for them). */
static uint64_t claim(struct uintr_receiver *r, uint64_t mask)
{
	return mask ? __atomic_fetch_and(&r->pending, ~mask, __ATOMIC_ACQ_REL) & mask : 0;
}

void uintr_drain(struct hart *h)
{
	struct uintr_receiver *r = __atomic_exchange_n(&h->uintr_wakeups, NULL, __ATOMIC_ACQUIRE);

	while (r) {
		struct uintr_receiver *next = r->wake_next;
		struct tcb *t;

		__atomic_store_n(&r->queued, 0, __ATOMIC_SEQ_CST); /* before the state is read */
		t = r->tcb;
		if (t && t->state == TCB_BLOCKED_UINTR) {
			ipc_set_result(t, SEL_OK);
			t->ctx.regs[REG_A0 + 1] = claim(r, t->uintr_claim);
			t->uintr_claim = 0;
			sched_make_ready(t);
		}
		r = next;
	}
}

/* Where the thread's user-interrupt registers are: in its IPC buffer. */
static struct sel_uintr_regs *uregs(struct tcb *t)
{
	struct sel_ipc_buffer *b = ipc_buffer(t);

	return b ? &b->uintr : NULL;
}

/*
 * Whether the interrupted code's FP registers hold values it may need: it
 * has used the FPU (lazy switching gave it the FPU once, fpu.h), whether
 * they sit in a hart's FPU or in its TCB now. The control says no.
 */
static bool fpu_in_use(const struct tcb *t)
{
	return t->fpu_hart != NULL && !inject_on(INJECT_UINTR_NO_FPU);
}

/*
 * The diversion, N-extension style: four registers of the interrupted code
 * go to the thread's user-interrupt registers and the thread resumes at its
 * handler entry; nothing else is saved or copied (the entry saves what it
 * uses, the FP registers only when ufpu says they are live). A thread whose
 * IPC buffer is gone keeps its bits pending.
 */
void uintr_deliver(struct tcb *t)
{
	struct sel_uintr_regs *u;
	uint64_t *r = t->ctx.regs;

	if (!deliverable(t) || !(u = uregs(t)))
		return;
	u->uepc = t->ctx.pc;
	u->usp = r[REG_SP];
	u->ua0 = r[REG_A0];
	u->ua1 = r[REG_A0 + 1];
	u->uarg = t->uintr_arg;
	u->ufpu = fpu_in_use(t);
	t->uintr_fpu_fresh = t->fpu_hart == NULL;
	t->uintr_in_handler = true;
	t->ctx.pc = t->uintr_handler;
	if (t->uintr_stack)
		r[REG_SP] = t->uintr_stack;
	r[REG_A0] = __atomic_exchange_n(&t->uintr->pending, 0, __ATOMIC_ACQ_REL);
	r[REG_A0 + 1] = t->ipc_buffer + __builtin_offsetof(struct sel_ipc_buffer, uintr);
}

void uintr_recheck(struct tcb *t)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (deliverable(t))
		csr_set(sip, BIT(IRQ_S_SOFT));
}

void uintr_cancel_wait(struct tcb *t)
{
	if (t->uintr)
		__atomic_store_n(&t->uintr->sleeping, 0, __ATOMIC_SEQ_CST);
}

int uintr_wait(struct tcb *t)
{
	struct uintr_receiver *r = t->uintr;

	if (!r)
		return SEL_ERR_ILLEGAL_OP; /* no receiver registered */
	if (__atomic_load_n(&r->pending, __ATOMIC_SEQ_CST))
		return SEL_OK;
	__atomic_store_n(&r->sleeping, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&r->pending, __ATOMIC_SEQ_CST)) {
		__atomic_store_n(&r->sleeping, 0, __ATOMIC_SEQ_CST);
		return SEL_OK; /* a send raced with us; if it queued a wake-up, that finds us running */
	}
	t->state = TCB_BLOCKED_UINTR;
	sched_blocked(t);
	return SYS_RESULT_WRITTEN;
}

int uintr_send_wait(struct tcb *t, uint64_t index, uint64_t mask, uint64_t *claimed)
{
	struct uintr_receiver *r = t->uintr;
	struct hart *h = this_hart();
	bool drain = false;
	int err;

	if (!r)
		return SEL_ERR_ILLEGAL_OP;
	if (index < SEL_UINTR_UITT_SIZE) { /* under the lock: no finaliser runs meanwhile */
		err = send_index(h, t, index, &drain);
		if (err != SEL_OK)
			return err;
		if (drain)
			uintr_drain(h);
	}
	t->uintr_claim = mask;
	err = uintr_wait(t);
	if (err == SYS_RESULT_WRITTEN) /* blocked: uintr_drain() claims at the wake-up */
		return err;
	t->uintr_claim = 0;
	*claimed = claim(r, mask);
	return err;
}

void uintr_uret(struct tcb *t)
{
	struct sel_uintr_regs *u = uregs(t);
	uint64_t *r = t->ctx.regs;

	if (!t->uintr_in_handler || !u) { /* not in a handler: an error, like any syscall's */
		t->ctx.pc += 4;
		ipc_set_result(t, SEL_ERR_ILLEGAL_OP);
		return;
	}
	t->ctx.pc = u->uepc;
	r[REG_SP] = u->usp;
	r[REG_A0] = u->ua0;
	r[REG_A0 + 1] = u->ua1;
	r[REG_A7] = u->ua7;
	t->uintr_in_handler = false;
	if (t->uintr_fpu_fresh && t->fpu_hart) /* the handler used the FPU, its code never had */
		fpu_discard(this_hart(), t);
}

enum sel_error uintr_uninstall(struct tcb *t, uint64_t index)
{
	if (index >= SEL_UINTR_UITT_SIZE)
		return SEL_ERR_RANGE;
	return cdt_delete_unpreempted(tcb_slot(t, TCB_SLOT_UITT + index));
}

void uintr_unregister(struct tcb *t)
{
	struct uintr_receiver *r = t->uintr;

	if (!r)
		return;
	__atomic_store_n(&r->tcb, NULL, __ATOMIC_SEQ_CST);
	t->uintr = NULL;
	t->uintr_in_handler = false;
	t->fast_epoch = 0; /* its fast-path view said: a receiver */
	uintr_sync();      /* no send still looks at t through r */
}

void uintr_tcb_finalise(struct tcb *t)
{
	uintr_unregister(t);
	uintr_sync(); /* and no send of t's own still reads its table */
}

void uintr_raise(struct uintr_receiver *r, uint64_t vector)
{
	send(this_hart(), r, vector, false);
}

void uintr_receiver_finalise(struct uintr_receiver *r)
{
	struct tcb *t = r->tcb;

	irq_receiver_gone(r);
	if (t)
		uintr_unregister(t);
	if (!inject_on(INJECT_UINTR_NO_SYNC))
		uintr_sync();
	__atomic_store_n(&r->birth, 0, __ATOMIC_SEQ_CST); /* debug: sends check it */
	for (uint32_t i = 0; i < SEL_MAX_HARTS; i++)
		uintr_drain(&harts[i]); /* r is on no wake stack any more */
}
