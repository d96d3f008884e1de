/*
 * The fast paths' C halves: Call and ReplyRecv handed straight from one
 * thread to the other on this hart, and Poll and Signal on a notification
 * nobody waits on. arch/riscv/fast_entry.S calls them before anything
 * generic runs and does the register work around them.
 *
 * They have the slow path's semantics exactly (kernel/ipc/endpoint.c,
 * notification.c) and take only the cases where those semantics are a few
 * stores:
 *   - the fastpath is on (boot argument "fastpath=off" turns it off, so the
 *     tests can show both paths agree);
 *   - the cap is found in the thread's root CNode alone (the usual flat
 *     CSpace: guard and radix make up all 64 bits) and is of the right type
 *     with the rights the operation needs; the thread's fast-path view
 *     (struct tcb: fast_epoch) holds that root's slots, guard and radix,
 *     is computed again by the out-of-line copy when an invocation has made
 *     it stale (for an IPC only: a stale-view Call on any other object goes
 *     to the generic path, endpoint_at()), and holds no slots when the
 *     fastpath is off;
 *   - IPC: the message has no caps, no lease, a user label and at most
 *     FAST_MSG_WORDS words (beyond SEL_MSG_REG_WORDS both threads have an
 *     IPC buffer: the rest is copied buffer to buffer, as ipc_deliver() does);
 *     Call: a receiver waits on the endpoint; ReplyRecv: a caller waits for
 *     this reply (not a fault), no sender waits on the endpoint and no bound
 *     notification is pending, so the thread will block in Recv;
 *   - IPC: the thread to run next has this hart as its affinity, an address
 *     space, no user-interrupt receiver (its view's fast_home is this hart;
 *     its satp comes from the view too), a syscall context, and no ready
 *     thread here has a higher priority (at equal priority it runs ahead of
 *     the ready ones, as the slow path's switch does: docs/performance.md);
 *   - Signal: nobody waits on the notification and no bound thread waits in
 *     Recv (the signal only sets bits); Poll: always.
 * A function that cannot finish returns a zero result having changed
 * nothing, and the entry goes to fastpath_slow() from the same state. With
 * one hart online the big lock is not taken (nobody else could hold it);
 * with more it is taken inline and released on the way out (IPC only:
 * fast_entry.S enters Signal and Poll only while one hart is online).
 */
#include "ipc/ipc.h"
#include "arch/riscv/fast_entry.h"
#include "arch/riscv/hart.h"
#include "arch/riscv/csr.h"
#include "arch/riscv/fpu.h"
#include "arch/riscv/kinfo.h"
#include "arch/riscv/smp.h"
#include "arch/riscv/sv39.h"
#include "arch/riscv/timer.h"
#include "lib/inject.h"
#include "lib/string.h"
#include "object/objects.h"
#include "object/vspace.h"
#include "sched/scheduler.h"
#include "uaccess/syscall_args.h"
#include <selene/error.h>
#include <selene/ipc.h>
#include <selene/object.h>
#include <selene/syscall.h>

/* Message words the IPC fastpath moves: a2-a6, then up to five through the buffers. */
#define FAST_MSG_WORDS 10u

_Static_assert(__builtin_offsetof(struct tcb, priority) == TCB_PRIORITY, "TCB_PRIORITY");
_Static_assert(__builtin_offsetof(struct tcb, uintr) == TCB_UINTR, "TCB_UINTR");
_Static_assert(__builtin_offsetof(struct hart, ready_top) == HART_READY_TOP, "HART_READY_TOP");
_Static_assert(__builtin_offsetof(struct tcb, state) == TCB_STATE && sizeof(enum tcb_state) == 4 &&
                   __builtin_offsetof(struct tcb, fast_epoch) == TCB_FAST_EPOCH &&
                   __builtin_offsetof(struct tcb, fast_slots) == TCB_FAST_SLOTS &&
                   __builtin_offsetof(struct tcb, fast_base) == TCB_FAST_BASE &&
                   __builtin_offsetof(struct tcb, fast_limit) == TCB_FAST_LIMIT,
               "the tcb fields fast_entry.S reads");
_Static_assert(sizeof(struct cte) == 1u << CTE_SHIFT && __builtin_offsetof(struct cte, cap) == 0 &&
                   __builtin_offsetof(struct cap, object) == CAP_OBJECT &&
                   __builtin_offsetof(struct cap, badge) == CAP_BADGE &&
                   __builtin_offsetof(struct cap, type) == CAP_TYPE &&
                   __builtin_offsetof(struct cap, rights) == CAP_RIGHTS,
               "the slot fields fast_entry.S reads");
_Static_assert(__builtin_offsetof(struct notification, waiters.head) == NTFN_HEAD &&
                   __builtin_offsetof(struct notification, word) == NTFN_WORD &&
                   __builtin_offsetof(struct notification, bound) == NTFN_BOUND &&
                   __builtin_offsetof(struct notification, active) == NTFN_ACTIVE &&
                   sizeof(((struct notification *)0)->active) == 8,
               "the notification fields fast_entry.S reads and writes");
_Static_assert(OBJ_NTFN == SEL_OBJ_NOTIFICATION && RIGHT_READ == SEL_RIGHT_READ &&
                   RIGHT_WRITE == SEL_RIGHT_WRITE && STATE_RECV == TCB_BLOCKED_RECV,
               "the constants fast_entry.S compares with");
_Static_assert(SYS_NR_SEND == SEL_SYS_SEND && SYS_NR_NB_SEND == SEL_SYS_NB_SEND &&
                   SYS_NR_NB_RECV == SEL_SYS_NB_RECV,
               "fast_entry.S sends Signal and Poll to fastpath_ntfn");

#define NOINLINE __attribute__((noinline))

static bool fastpath_on = true;

void fastpath_init(const char *bootargs)
{
	fastpath_on = !strstr_simple(bootargs, "fastpath=off");
	tcb_fast_epoch += TCB_FAST_EPOCH_STEP; /* every view says whether the fastpath is on */
}

/*
 * Does the CSpace root cap c resolve all 64 bits alone (a live CNode whose
 * guard and radix make up the word), with the fastpath on?
 */
static inline ALWAYS_INLINE bool flat_root(const struct cap *c)
{
	return fastpath_on && c->type == SEL_OBJ_CNODE && c->size_bits != 0 &&
	       c->size_bits + c->guard_bits == 64 && !cap_is_zombie(c) &&
	       (c->word0 >> c->guard_bits) == 0;
}

/*
 * t's fast-path view (struct tcb: fast_epoch and the fields after it),
 * computed again from its slots: the flat CSpace root's slots (none when the
 * root alone does not resolve all 64 bits, or the fastpath is off), the
 * hart a direct switch may run it on, its satp and its IPC buffer.
 */
static NOINLINE void fastpath_refresh(struct tcb *t)
{
	const struct cap *c = &tcb_cspace_root(t)->cap;
	void *vs = tcb_vspace(t);
	bool flat = flat_root(c);

	t->fast_slots = flat ? (struct cte *)(uintptr_t)c->object : NULL;
	t->fast_base = flat ? c->word0 << c->size_bits : 0;
	t->fast_limit = flat ? 1ull << c->size_bits : 0;
	t->fast_home = fastpath_on && vs && !t->uintr ? &harts[t->hart_affinity] : NULL;
	if (!inject_on(INJECT_STALE_SATP) || !t->fast_satp)
		t->fast_satp = vs ? vspace_satp(vs) : 0;
	t->fast_buf = ipc_buffer(t);
	/* bit 0: more than one hart online */
	t->fast_epoch = tcb_fast_epoch | (harts_online != 1 && !inject_on(INJECT_VIEW_SOLO));
}

/* Is t's fast-path view current? */
static inline ALWAYS_INLINE bool fresh(const struct tcb *t)
{
	return (t->fast_epoch & ~1ull) == tcb_fast_epoch;
}

/* Is t's view current, and one hart online (the lock-free copies' test)? */
static inline ALWAYS_INLINE bool fresh_solo(const struct tcb *t)
{
	return t->fast_epoch == tcb_fast_epoch;
}

/* Makes t's view current (the out-of-line copies only: it is a call). */
static inline ALWAYS_INLINE void refresh(struct tcb *t)
{
	if (!fresh(t))
		fastpath_refresh(t);
}

/*
 * Each fast path is written once as an always-inline body and built twice:
 * the common case with no call at all (so the C half opens no frame and
 * saves no register), and an out-of-line copy ("calls") for the cases that
 * need one: more than one hart online (the big lock), an FPU to switch, a
 * preemption tick to arm, a receive queue that is not empty. The common
 * copy hands such a case to the other with a tail call before it has
 * changed anything.
 */
/* Entry from user mode: the big lock, when another hart could hold it. */
static inline ALWAYS_INLINE void enter(struct hart *h, bool calls)
{
	if (calls && harts_online != 1)
		kernel_lock_from_user(h);
}

/* Is the big lock held in a fast path's body (enter() took it)? */
static inline ALWAYS_INLINE bool locked(bool calls)
{
	return calls && harts_online != 1;
}

/* Back to user mode with t: in_user names it, the lock (if held) goes. */
static inline ALWAYS_INLINE void leave(struct hart *h, struct tcb *t, bool lock_held)
{
	if (lock_held) {
		__atomic_store_n(&h->in_user, t, __ATOMIC_SEQ_CST);
		kernel_unlock_inline();
	} else {
		h->in_user = t;
	}
}

/*
 * The cap at cptr, found by one indexed load in the flat CSpace root of
 * t's view (fresh(t)): cptr - guard << radix is the slot's index when it is
 * below 1 << radix, which holds exactly when cptr's top bits are the guard.
 * NULL unless it is of `type` with every right in `need` and one of `any`.
 */
static inline ALWAYS_INLINE const struct cap *fast_cap(struct tcb *t, uint64_t cptr, uint32_t type,
                                                       uint32_t need, uint32_t any)
{
	uint64_t i = cptr - t->fast_base;
	const struct cap *c;

	if (i >= t->fast_limit)
		return NULL;
	c = &t->fast_slots[i].cap;
	if (c->type != type || (c->rights & need) != need || !(c->rights & any))
		return NULL;
	return c;
}

_Static_assert(SEL_MSG_LABEL_SHIFT == 12 && SEL_MSG_LENGTH_MASK == 0x7f &&
                   (SEL_MSG_CAPS_MASK << SEL_MSG_CAPS_SHIFT | SEL_MSG_LEASE | SEL_MSG_LEASE_FWD |
                    SEL_MSG_RESERVED) == 0xf80 &&
                   (SEL_LABEL_KERNEL << SEL_MSG_LABEL_SHIFT) >> SEL_MSG_LABEL_SHIFT ==
                       SEL_LABEL_KERNEL,
               "simple_message() folds the info word's fields");

/*
 * No caps, no lease, at most FAST_MSG_WORDS words (the low 12 bits, read as
 * one number, are the length alone when that is at most FAST_MSG_WORDS), a
 * label below the kernel's.
 */
static inline bool simple_message(uint64_t info)
{
	return info << 52 <= (uint64_t)FAST_MSG_WORDS << 52 && info < SEL_LABEL_KERNEL
	                                                                  << SEL_MSG_LABEL_SHIFT;
}

/*
 * MR5 and up, from's IPC buffer to to's (ipc_deliver()'s memmove, unrolled);
 * false, having copied nothing, if either has no buffer.
 */
static inline ALWAYS_INLINE bool copy_buffer_words(struct tcb *from, struct tcb *to, uint64_t info)
{
	struct sel_ipc_buffer *sb, *rb;
	const uint64_t *s;
	uint64_t *d;

	_Static_assert(FAST_MSG_WORDS - SEL_MSG_REG_WORDS == 5, "five buffer words, unrolled");
	if (SEL_MSG_LENGTH(info) <= SEL_MSG_REG_WORDS)
		return true;
	sb = from->fast_buf;
	rb = to->fast_buf;
	if (!sb || !rb)
		return false;
	s = &sb->mr[SEL_MSG_REG_WORDS];
	d = &rb->mr[SEL_MSG_REG_WORDS];
	switch (SEL_MSG_LENGTH(info)) {
	case 10:
		d[4] = s[4];
		/* fall through */
	case 9:
		d[3] = s[3];
		/* fall through */
	case 8:
		d[2] = s[2];
		/* fall through */
	case 7:
		d[1] = s[1];
		/* fall through */
	default:
		d[0] = s[0];
	}
	return true;
}

static NOINLINE struct tcb *ipc_calls(uint64_t cptr, uint64_t info, uint64_t nr);

/*
 * Can `to` (its view fresh) run here in place of the caller right now? Its
 * view says it may run here (this hart its affinity, an address space, no
 * receiver); it has a syscall context and nothing ready here outranks it.
 */
static inline ALWAYS_INLINE bool can_switch_to(const struct hart *h, struct tcb *to)
{
	return to->fast_home == h && !to->ctx.full && h->ready_top <= (uint64_t)to->priority + 1 &&
	       !inject_on(INJECT_STALE_HART);
}

/* Does switching to `to` need a call: FPU state to move, or the tick to arm? */
static inline ALWAYS_INLINE bool switch_needs_calls(const struct hart *h, const struct tcb *to)
{
	return (h->last_user != to && fpu_needed(h, to)) || !h->next_tick;
}

/*
 * The direct switch: `to` runs on h in place of the caller, which has just
 * blocked, without the scheduler. What run() would do and cannot apply
 * here is skipped: no thread is picked (can_switch_to() checked that `to`
 * may run), the tick stays armed, the info page gets the thread id only, and
 * `to` has no user-interrupt receiver to deliver to. fast_entry.S then loads
 * `to`'s preserved registers and the message and returns to it.
 */
static inline ALWAYS_INLINE struct tcb *switch_to(struct hart *h, struct tcb *to, uint64_t badge,
                                                  bool calls, bool lock_held)
{
	uint64_t satp = to->fast_satp;

	to->state = TCB_RUNNING;
	to->ctx.hart = h;
	h->current = to;
	h->fastpath++;
	invariants_after_syscall();
	if (h->last_user != to) {
		if (calls && fpu_needed(h, to))
			fpu_switch(h, to);
		h->last_user = to;
		kinfo_thread(h, to->tid);
	}
	if (csr_read(satp) != satp)
		satp_change(h, satp); /* ASID bookkeeping only when satp changes */
	if (calls && !h->next_tick)
		timer_arm(h);
	to->ctx.regs[REG_A7] = badge;
	leave(h, to, lock_held);
	return to;
}

static inline ALWAYS_INLINE struct tcb *fast_call(struct hart *h, struct tcb *t, uint64_t cptr,
                                                  uint64_t info, bool calls)
{
	const struct cap *cap = fast_cap(t, cptr, SEL_OBJ_ENDPOINT, SEL_RIGHT_WRITE,
	                                 SEL_RIGHT_GRANT | SEL_RIGHT_GRANT_REPLY);
	struct endpoint *ep;
	struct tcb *r;

	if (!cap)
		return NULL;
	ep = (struct endpoint *)(uintptr_t)cap->object;
	if (ep->state != EP_RECEIVERS)
		return NULL;
	r = ep->queue.head;
	if (!calls && !fresh_solo(r))
		return ipc_calls(cptr, info, SEL_SYS_CALL);
	if (calls)
		refresh(r);
	if (!can_switch_to(h, r))
		return NULL;
	if (!calls && switch_needs_calls(h, r))
		return ipc_calls(cptr, info, SEL_SYS_CALL);
	if (!copy_buffer_words(t, r, info))
		return NULL;
	ep->queue.head = r->ipc_next; /* ep_remove() of the head, in short */
	if (r->ipc_next) {
		r->ipc_next->ipc_prev = NULL;
		r->ipc_next = NULL;
	} else {
		ep->queue.tail = NULL;
		ep->state = EP_IDLE;
	}
	r->blocked_on = NULL;
	r->reply_to = t;
	r->reply_grant = r->ipc_flags & IPC_GRANT;
	r->ipc_flags = 0;
	t->replier = r;
	t->lease_len = 0;
	t->ipc_flags = IPC_CALL | (cap->rights & SEL_RIGHT_GRANT ? IPC_GRANT : 0);
	t->state = TCB_BLOCKED_REPLY;
	return switch_to(h, r, inject_on(INJECT_FASTPATH_BADGE) ? 0 : cap->badge, calls,
	                 locked(calls));
}

static inline ALWAYS_INLINE struct tcb *fast_reply_recv(struct hart *h, struct tcb *t,
                                                        uint64_t cptr, uint64_t info, bool calls)
{
	const struct cap *cap = fast_cap(t, cptr, SEL_OBJ_ENDPOINT, SEL_RIGHT_READ, SEL_RIGHT_READ);
	struct tcb *c = t->reply_to;
	struct endpoint *ep;

	if (!cap || !c)
		return NULL;
	ep = (struct endpoint *)(uintptr_t)cap->object;
	if (ep->state == EP_SENDERS || (c->ipc_flags & IPC_FAULT) || (t->bound && t->bound->active))
		return NULL;
	if (!calls && !fresh_solo(c))
		return ipc_calls(cptr, info, SEL_SYS_REPLY_RECV);
	if (calls)
		refresh(c);
	if (!can_switch_to(h, c))
		return NULL;
	if (!calls && (ep->state != EP_IDLE || switch_needs_calls(h, c)))
		return ipc_calls(cptr, info, SEL_SYS_REPLY_RECV);
	if (!copy_buffer_words(t, c, info))
		return NULL;
	t->reply_to = NULL;
	c->replier = NULL;
	c->ipc_flags = 0;
	c->lease_len = 0; /* lease_end() */
	t->ipc_flags = cap->rights & SEL_RIGHT_GRANT ? IPC_GRANT : 0;
	if (!calls || ep->state == EP_IDLE) { /* ipc_queue_add() to an empty queue, in short */
		ep->queue.head = ep->queue.tail = t;
		t->ipc_prev = t->ipc_next = NULL;
		t->blocked_on = ep;
		t->state = TCB_BLOCKED_RECV;
	} else {
		ipc_queue_add(&ep->queue, t, ep, TCB_BLOCKED_RECV);
	}
	ep->state = EP_RECEIVERS;
	return switch_to(h, c, 0, calls, locked(calls));
}

/*
 * Is the cap at cptr an endpoint, read through t's CSpace root itself (t's
 * view being stale; the lock held or one hart online)? Only in a flat
 * CSpace, the one case a view resolves. Every TCB, CNode or Untyped
 * invocation makes all views stale, and invocations are Calls too: they go
 * to the generic path without computing a view they would not use.
 */
static inline ALWAYS_INLINE bool endpoint_at(struct tcb *t, uint64_t cptr)
{
	const struct cap *c = &tcb_cspace_root(t)->cap;
	uint64_t i;

	if (!flat_root(c))
		return false;
	i = cptr - (c->word0 << c->size_bits);
	return i < 1ull << c->size_bits &&
	       ((struct cte *)(uintptr_t)c->object)[i].cap.type == SEL_OBJ_ENDPOINT;
}

static inline ALWAYS_INLINE struct tcb *ipc_body(uint64_t cptr, uint64_t info, uint64_t nr,
                                                 bool calls)
{
	struct hart *h = this_hart();
	struct tcb *t = h->current;

	if (!calls && (!t || !fresh_solo(t))) { /* fresh_solo(): one hart online */
		if (t && harts_online == 1 && !endpoint_at(t, cptr))
			return NULL; /* an invocation: the generic path, the view left stale */
		return ipc_calls(cptr, info, nr);
	}
	assert((calls || harts_online == 1) && "a view equal to the epoch says one hart online");
	enter(h, calls); /* first: fastpath_slow() counts on the lock with more harts online */
	if (!t)
		return NULL; /* another hart took the thread away meanwhile */
	if (calls && !fresh(t)) {
		if (!endpoint_at(t, cptr))
			return NULL;
		fastpath_refresh(t);
	}
	if (!simple_message(info))
		return NULL;
	if (nr == SEL_SYS_CALL)
		return fast_call(h, t, cptr, info, calls);
	return fast_reply_recv(h, t, cptr, info, calls);
}

static NOINLINE struct tcb *ipc_calls(uint64_t cptr, uint64_t info, uint64_t nr)
{
	return ipc_body(cptr, info, nr, true);
}

struct tcb *fastpath_ipc(uint64_t cptr, uint64_t info, uint64_t nr)
{
	return ipc_body(cptr, info, nr, false);
}

static inline ALWAYS_INLINE struct tcb *ntfn_body(uint64_t cptr, uint64_t nr, bool calls);

static NOINLINE struct tcb *ntfn_calls(uint64_t cptr, uint64_t nr)
{
	return ntfn_body(cptr, nr, true);
}

static inline ALWAYS_INLINE struct tcb *ntfn_body(uint64_t cptr, uint64_t nr, bool calls)
{
	struct hart *h = this_hart();
	struct tcb *t = h->current;
	const struct cap *cap;
	struct notification *n;
	uint64_t word;

	if (!calls && (!t || !fresh_solo(t)))
		return ntfn_calls(cptr, nr);
	assert((calls || harts_online == 1) && "a view equal to the epoch says one hart online");
	enter(h, calls);
	if (!t)
		return NULL;
	if (calls)
		refresh(t);
	if (nr == SEL_SYS_NB_RECV) { /* Poll: ntfn_wait(), not blocking */
		cap = fast_cap(t, cptr, SEL_OBJ_NOTIFICATION, 0, SEL_RIGHT_READ);
		if (!cap)
			return NULL;
		n = (struct notification *)(uintptr_t)cap->object;
		word = n->word;
		n->word = 0;
		n->active = 0;
	} else { /* Signal, when it only sets bits: ntfn_signal()'s last case */
		cap = fast_cap(t, cptr, SEL_OBJ_NOTIFICATION, 0, SEL_RIGHT_WRITE);
		if (!cap)
			return NULL;
		n = (struct notification *)(uintptr_t)cap->object;
		if (n->waiters.head || (n->bound && n->bound->state == TCB_BLOCKED_RECV))
			return NULL;
		n->word |= cap->badge;
		n->active = 1;
		word = 0;
	}
	invariants_after_syscall();
	t->ctx.regs[REG_A7] = word;
	leave(h, t, locked(calls));
	return t;
}

struct tcb *fastpath_ntfn(uint64_t cptr, uint64_t nr)
{
	return ntfn_body(cptr, nr, false);
}

/* ipc_set_result(t, SEL_OK), inline: a0 = SEL_OK, a1-a7 zero. */
static inline ALWAYS_INLINE void set_ok(struct tcb *t)
{
	for (unsigned i = 0; i < 8; i++)
		t->ctx.regs[REG_A0 + i] = 0;
}

/*
 * Signal waking a waiter of higher priority on this hart, when nothing of
 * the waiter's priority or above is ready here (so that the slow path too
 * would run it next): the word to the waiter, the caller (its syscall
 * context saved) ready again first among its priority, and the direct
 * switch. Returns the waiter, or NULL having changed nothing when that is
 * not the case. With one hart online it runs without the big lock (nobody
 * else could hold it); with more the caller holds it and it goes on the
 * way out.
 */
static struct tcb *signal_wake(struct hart *h, uint64_t cptr)
{
	struct tcb *t = h->current, *w;
	const struct cap *cap;
	struct notification *n;
	uint64_t word;

	if (!t)
		return NULL;
	refresh(t);
	cap = fast_cap(t, cptr, SEL_OBJ_NOTIFICATION, 0, SEL_RIGHT_WRITE);
	if (!cap)
		return NULL;
	n = (struct notification *)(uintptr_t)cap->object;
	w = n->waiters.head;
	if (!w || w->priority <= t->priority || h->ready_top > w->priority)
		return NULL;
	refresh(w);
	if (!can_switch_to(h, w))
		return NULL;
	n->waiters.head = w->ipc_next; /* ipc_queue_remove() of the head, in short */
	if (w->ipc_next) {
		w->ipc_next->ipc_prev = NULL;
		w->ipc_next = NULL;
	} else {
		n->waiters.tail = NULL;
	}
	w->blocked_on = NULL;
	set_ok(w); /* give_word(w, 0, word) */
	w->ipc_flags = 0;
	set_ok(t);
	sched_give_way(h, t);
	word = n->word | cap->badge;
	n->word = 0;
	return switch_to(h, w, word, true, harts_online != 1);
}

/*
 * What fast_entry.S's Signal and Poll could not finish, with the syscall
 * context now saved: a Signal that wakes a waiter of higher priority
 * switches to it directly (without the big lock while one hart is online);
 * anything else takes the generic path.
 */
NORETURN void fastpath_ntfn_slow(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                                 uint64_t a5, uint64_t a6, uint64_t nr)
{
	struct tcb *w = nr != SEL_SYS_NB_RECV ? signal_wake(this_hart(), a0) : NULL;

	if (w)
		arch_return_to_user(&w->ctx);
	fastpath_slow(a0, a1, a2, a3, a4, a5, a6, nr);
}

/* What a fast path could not finish: the generic path, from the same state. */
NORETURN void fastpath_slow(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                            uint64_t a5, uint64_t a6, uint64_t nr)
{
	struct syscall_args args = {.a = {a0, a1, a2, a3, a4, a5, a6}};

	if (harts_online == 1)
		kernel_lock_from_user(this_hart());
	syscall_locked(nr, &args);
}
