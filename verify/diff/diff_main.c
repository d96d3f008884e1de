/*
 * The fast/slow differential harness: the fast paths (the C halves of
 * ipc/fastpath.c as arch/riscv/fast_entry.S calls them, and the Yield
 * fast path) against the generic path (syscall/syscall.c, ipc/endpoint.c,
 * ipc/notification.c, sched/scheduler.c), state by state, on the host.
 *
 * The kernel's own C files are compiled for the host with the machine
 * layer stubbed (diff_stubs.c), and their data and bss sections are
 * renamed to one section, `kstate` (run_diff.py does it with objcopy).
 * The objects the harness builds (TCBs with their slots, CNodes,
 * endpoints, notifications, VSpaces, IPC-buffer frames) live in that
 * section too. So `kstate` is the whole kernel state: every TCB, endpoint,
 * queue, slot and derivation link, every hart's scheduler queues,
 * `ready_top` and `current`, the big lock, `harts_online`, the fastpath
 * switch, the counters, and the modelled machine (satp and the shootdown
 * sets, info page, FPU, IPIs).
 *
 * An episode builds a random system (one or two harts online; 8 threads of
 * random priorities, affinities, CSpaces -- flat or two-level --, address
 * spaces, IPC buffers and bound notifications; 3 endpoints and 2
 * notifications; a CNode of 32 slots filled with endpoint and notification
 * caps of random rights and badges, and empty slots) through the
 * capability core, starts it, and walks: the running thread makes a random
 * syscall (Call, ReplyRecv, Send, Recv, their non-blocking forms, Reply,
 * Yield) with a random capability address and message (simple ones mostly;
 * also long ones, caps, leases, the reserved bit, kernel labels), and now
 * and then something happens elsewhere (a notification signalled, a
 * priority or an affinity changed: by another hart, or by an interrupt of
 * hart 0 when it is the only one). Every state is one the kernel reached by
 * its own operations.
 *
 * The entry is modelled as trap_entry.S and fast_entry.S take it (enter()
 * below): Call and ReplyRecv save the syscall context and call
 * fastpath_ipc(), then return to the thread it gives with the message in
 * its registers, or go to fastpath_slow(); with one hart online Signal and
 * Poll store a0-a7, call fastpath_ntfn() and return to the caller (its
 * common case, which fast_entry.S also makes in assembly alone when the
 * caller's view is current, instruction for instruction), or save
 * the rest of the context and go to fastpath_ntfn_slow() (which may switch
 * to a woken waiter itself); Yield with one hart online and nothing of the
 * caller's priority or above ready (hart.ready_top) is a null syscall.
 *
 * Each Call, ReplyRecv, Send, NBSend, NBRecv and Yield is a situation: the
 * whole state is copied, the syscall runs with the fast paths on, the state
 * after it is saved, the copy is put back, and the same syscall runs with
 * the fastpath off (what "fastpath=off" does; for Yield, the generic path
 * it stands for). The two resulting states must be equal byte for byte,
 * after the documented differences (docs/verification.md): the fast paths'
 * own counters, the invariant checker's call the Yield fast path does not
 * make, and fields with no meaning in their thread's state (dead_fields()).
 * After every step the harness checks the scheduler and IPC invariants of
 * object/tcb.h on the whole state, and each hart's ready_top against its
 * ready queues.
 *
 * Usage: diff --seed N --situations N [--quiet]. Exit 0 iff every situation
 * agreed and every invariant held; 1 on a divergence (the situation, the
 * differing fields); 2 on a harness error.
 *
 * Positive controls (run_diff.py --mutant NAME): one kernel file is built
 * with a seeded bug (run_diff.py's MUTANTS) and the run must report a
 * divergence or a broken invariant.
 */
#include "arch/riscv/fast_entry.h"
#include "arch/riscv/hart.h"
#include "arch/riscv/smp.h"
#include "arch/riscv/kinfo.h"
#include "cap/cap.h"
#include "ipc/ipc.h"
#include "object/objects.h"
#include "object/tcb.h"
#include "object/vspace.h"
#include "sched/scheduler.h"
#include "syscall/syscall.h"
#include "arch/riscv/trap.h"
#include "diff.h"
#include <selene/object.h>
#include <selene/syscall.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char __start_kstate[], __stop_kstate[];

#define NT          8  /* threads */
#define NE          3  /* endpoints */
#define NN          2  /* notifications */
#define NV          2  /* VSpaces */
#define NF          2  /* IPC-buffer frames, 4 buffers each */
#define CSPACE_BITS 5u /* the shared CNode: 32 slots */
#define NSLOTS      (1u << CSPACE_BITS)
#define MAX_STEPS   400 /* per episode */

/* A TCB object: the struct in its first 1 KiB, its slots after. */
struct tcb_object {
	union {
		struct tcb t;
		uint8_t bytes[CAP_TCB_SLOT_OFFSET];
	} u;
	struct cte slots[CAP_TCB_SLOTS];
} ALIGNED(2048);

/*
 * Every object of an episode. Invariant: only the kernel code and the
 * capability core write it after setup (the harness reads it, and moves
 * ready threads aside for the documented difference).
 */
struct world {
	struct tcb_object tcbs[NT];
	struct cte cspace[NSLOTS] ALIGNED(NSLOTS * 64);
	struct cte root2[2] ALIGNED(128); /* a two-level CSpace: slot 0 holds the CNode */
	struct cte originals[16];         /* the original caps, as boot holds them */
	struct endpoint eps[NE] ALIGNED(32);
	struct notification ntfns[NN] ALIGNED(64);
	uint8_t vspaces[NV][2 * PAGE_SIZE] ALIGNED(8192);
	uint8_t frames[NF][PAGE_SIZE] ALIGNED(4096);
};

static struct world world SECTION("kstate");

enum { O_CNODE, O_ROOT2, O_EP, O_NTFN = O_EP + NE, O_VS = O_NTFN + NN, O_FRAME = O_VS + NV };

/* ---- the harness's own state (not in kstate) ---- */

static jmp_buf leave_env;
static size_t kstate_size;
static uint8_t *pristine, *snap, *fast_state;
static uint64_t rng;
static int quiet;

static struct {
	uint64_t situations, taken[4], equal_prio, episodes, steps, per_op[8];
	uint64_t left_idle, left_stopped, wakes, wakes_switched;
} stats;

/* The situation being compared, for reports. */
static struct {
	uint64_t nr, a[7];
	uint64_t episode, step;
	int phase; /* 0 walking, 1 fast run, 2 generic run */
} cur;

static uint64_t next_rand(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t below(uint32_t n)
{
	return (uint32_t)(next_rand() % n);
}

static bool chance(uint32_t percent)
{
	return below(100) < percent;
}

NORETURN void diff_leave(enum diff_left how)
{
	longjmp(leave_env, how);
}

static const char *op_name(uint64_t nr)
{
	static const char *n[] = {"Call", "ReplyRecv", "Send",  "NBSend",
	                          "Recv", "NBRecv",    "Reply", "Yield"};

	return nr < ARRAY_SIZE(n) ? n[nr] : "?";
}

void diff_report_panic(void)
{
	fprintf(stderr, "diff: during %s (episode %lu step %lu, %s) a0=%#lx a1=%#lx\n",
	        op_name(cur.nr), (unsigned long)cur.episode, (unsigned long)cur.step,
	        cur.phase == 1   ? "fastpath on"
	        : cur.phase == 2 ? "fastpath off"
	                         : "walk",
	        (unsigned long)cur.a[0], (unsigned long)cur.a[1]);
}

/* ---- what the seeded bugs call (positive controls: run_diff.py MUTANTS) ---- */

/* The "queue" mutant: the server goes behind every waiting receiver. */
void diff_mutant_queue_add(struct ipc_queue *q, struct tcb *t, void *obj, enum tcb_state state)
{
	t->ipc_next = NULL;
	t->ipc_prev = q->tail;
	if (q->tail)
		q->tail->ipc_next = t;
	else
		q->head = t;
	q->tail = t;
	t->blocked_on = obj;
	t->state = state;
}

/* ---- kernel entry ---- */

static struct hart *h0 = &harts[0];

static void lock(void)
{
	if (!spin_trylock(&big_lock)) {
		fprintf(stderr, "diff: harness error: the big lock is held between steps\n");
		exit(2);
	}
}

/*
 * The entry assembly, modelled (trap_entry.S, fast_entry.S). The
 * harness's threads run on their contexts: a running thread's registers
 * are its context's words, so saving the registers the ABI preserves
 * stores what is there already; what the assembly changes is modelled
 * here, and what it gives the thread it returns to (a0-a7, the resume pc)
 * is written into that thread's context, where the generic path writes it.
 * A thread makes its next ecall where it resumed (sepc = ctx.pc).
 */

/* The fast path that finished the last syscall without the generic path. */
static enum fast_kind { FAST_NONE, FAST_IPC, FAST_NTFN, FAST_YIELD } fast_done;

/* SAVE_SYSCALL_CONTEXT: pc + 4, a syscall context. */
static void save_syscall_context(struct tcb *t)
{
	t->ctx.pc += 4;
	t->ctx.full = 0;
}

/* The assembly's sret to t (sscratch = its context). */
static int return_to(struct tcb *t, enum fast_kind k)
{
	diff_machine.returned[0] = &t->ctx;
	fast_done = k;
	return DIFF_LEFT_USER;
}

static bool is_ntfn_entry(uint64_t nr)
{
	return nr == SEL_SYS_SEND || nr == SEL_SYS_NB_SEND || nr == SEL_SYS_NB_RECV;
}

/* fast_ipc_entry: fastpath_ipc(), then the registers the receiver gets, or fastpath_slow(). */
static int enter_ipc(struct tcb *t, uint64_t nr, const uint64_t *a)
{
	struct tcb *to;

	save_syscall_context(t);
	to = fastpath_ipc(a[0], a[1], nr);
	if (!to)
		fastpath_slow(a[0], a[1], a[2], a[3], a[4], a[5], a[6], nr);
	to->ctx.regs[REG_A0] = SEL_OK; /* a7, the badge, fastpath_ipc() wrote */
	for (int i = 1; i < 7; i++)
		to->ctx.regs[REG_A0 + i] = a[i];
	return return_to(to, FAST_IPC);
}

/* fast_ntfn_entry, one hart online: a0-a7 stored, fastpath_ntfn(), else fastpath_ntfn_slow(). */
static int enter_ntfn(struct tcb *t, uint64_t nr, const uint64_t *a)
{
	struct tcb *to;

	for (int i = 0; i < 7; i++)
		t->ctx.regs[REG_A0 + i] = a[i];
	t->ctx.regs[REG_A7] = nr;
	to = fastpath_ntfn(a[0], nr);
	if (!to) {
		save_syscall_context(t);
		fastpath_ntfn_slow(a[0], a[1], a[2], a[3], a[4], a[5], a[6], nr);
	}
	to->ctx.pc += 4; /* sepc + 4; a0 = SEL_OK, a1-a6 zero, a7 the word */
	for (int i = 0; i < 7; i++)
		to->ctx.regs[REG_A0 + i] = 0;
	return return_to(to, FAST_NTFN);
}

/*
 * Runs syscall nr of the thread running on hart 0 as trap_entry.S would:
 * Call and ReplyRecv to fast_ipc_entry, Signal and Poll to fast_ntfn_entry
 * (one hart online), Yield to fast_yield_entry (unless `generic_yield`: the
 * generic path it stands for), anything else to syscall_entry().
 */
static int enter(uint64_t nr, const uint64_t *a, bool generic_yield)
{
	struct tcb *t = h0->current;
	int how = setjmp(leave_env);

	if (how)
		return how;
	fast_done = FAST_NONE;
	if (nr == SEL_SYS_CALL || nr == SEL_SYS_REPLY_RECV)
		return enter_ipc(t, nr, a);
	if (is_ntfn_entry(nr) && harts_online == 1)
		return enter_ntfn(t, nr, a);
	if (nr == SEL_SYS_YIELD && !generic_yield && harts_online == 1 && !t->uintr &&
	    h0->ready_top <= t->priority) { /* sys_null_entry: a0 = SEL_OK, a1-a7 zero */
		t->ctx.pc += 4;
		for (int i = 0; i < 8; i++)
			t->ctx.regs[REG_A0 + i] = 0;
		return return_to(t, FAST_YIELD);
	}
	save_syscall_context(t);
	syscall_entry(a[0], a[1], a[2], a[3], a[4], a[5], a[6], nr);
}

/* fn() in the kernel, the lock held: 0 if it returns, else how the kernel left. */
static int in_kernel(void (*fn)(void))
{
	int how = setjmp(leave_env);

	if (how)
		return how;
	fn();
	return 0;
}

/* The scheduler picks and leaves (the lock held). */
static void pick_and_leave(void)
{
	sched_return_to_user();
}

/* ---- building an episode ---- */

static struct tcb *thread(int i)
{
	return &world.tcbs[i].u.t;
}

static void insert(int o, uint32_t type, void *obj, uint32_t size_bits, uint32_t guard_bits)
{
	struct cap c;

	memset(&c, 0, sizeof(c));
	c.type = (uint8_t)type;
	c.rights = SEL_RIGHTS_ALL;
	c.object = (uint64_t)(uintptr_t)obj;
	c.size_bits = (uint8_t)size_bits;
	c.guard_bits = (uint8_t)guard_bits;
	if (cdt_insert_root(&kernel_cdt, &world.originals[o], c) != SEL_OK) {
		fprintf(stderr, "diff: harness error: cdt_insert_root\n");
		exit(2);
	}
}

static void derive(struct cte *src, struct cte *dst, uint32_t rights, uint64_t badge)
{
	enum sel_error e = badge ? cdt_mint(&kernel_cdt, src, dst, rights, badge)
	                         : cdt_copy(&kernel_cdt, src, dst, rights);

	if (e != SEL_OK) {
		fprintf(stderr, "diff: harness error: derivation failed (%d)\n", e);
		exit(2);
	}
}

/* Endpoint rights: biased towards the ones Call (W + G or GR) and Recv (R) need. */
static uint32_t ep_rights(void)
{
	uint32_t r = 0;

	if (chance(70))
		r |= SEL_RIGHT_READ;
	if (chance(80))
		r |= SEL_RIGHT_WRITE;
	if (chance(50))
		r |= SEL_RIGHT_GRANT;
	if (chance(60))
		r |= SEL_RIGHT_GRANT_REPLY;
	return r;
}

static void fill_cspace(void)
{
	for (uint32_t i = 0; i < NSLOTS; i++) {
		struct cte *s = &world.cspace[i];
		uint32_t k = below(100);

		if (i < NE) /* slots 0-2: each endpoint with every right, unbadged */
			derive(&world.originals[O_EP + i], s, SEL_RIGHTS_ALL, 0);
		else if (k < 60)
			derive(&world.originals[O_EP + below(NE)], s, ep_rights(),
			       chance(50) ? 1 + below(3) : 0);
		else if (k < 75)
			derive(&world.originals[O_NTFN + below(NN)], s,
			       SEL_RIGHT_READ | SEL_RIGHT_WRITE, chance(50) ? 1ull << below(8) : 0);
	}
}

static const uint32_t prios[] = {10, 20, 20, 20, 30, 30};

static void make_thread(int i)
{
	struct tcb *t = thread(i);

	t->priority = t->mcp = prios[below(ARRAY_SIZE(prios))];
	t->tid = (uint64_t)i + 1;
	t->hart_affinity = 0;
	snprintf(t->name, sizeof(t->name), "t%d", i);
	derive(&world.originals[chance(80) ? O_CNODE : O_ROOT2], tcb_slot(t, TCB_SLOT_CSPACE),
	       SEL_RIGHTS_ALL, 0);
	if (chance(95))
		derive(&world.originals[O_VS + below(NV)], tcb_slot(t, TCB_SLOT_VSPACE),
		       SEL_RIGHTS_ALL, 0);
	if (chance(70)) {
		derive(&world.originals[O_FRAME + i / 4], tcb_slot(t, TCB_SLOT_IPC_BUFFER),
		       SEL_RIGHTS_ALL, 0);
		t->ipc_buffer = 0x10000000ull + (uint64_t)i * 0x10000 + (uint64_t)(i % 4) * 1024;
	}
	if (chance(20)) {
		struct notification *n = &world.ntfns[below(NN)];
		if (!n->bound)
			ntfn_bind(t, n);
	}
}

static void build_episode(void)
{
	memcpy(__start_kstate, pristine, kstate_size);
	fastpath_init("");
	for (int i = 0; i < 2; i++) {
		harts[i].id = (uint64_t)i;
		harts[i].kinfo_thread = &kinfo_page.k.hart[i].thread; /* as kinfo_init() sets it */
	}
	/* One hart online (the lock-free fast paths) or two (the locked ones, generic Signal). */
	harts_online = chance(70) ? 1 : 2;
	harts[0].online = true;
	harts[1].online = harts_online == 2;
	big_lock.owner = -1;
	cdt_init(&kernel_cdt);
	/* The CSpace: 32 slots resolving all 64 bits (guard 59 zero bits). */
	insert(O_CNODE, SEL_OBJ_CNODE, world.cspace, CSPACE_BITS, 64 - CSPACE_BITS);
	/* The two-level one: 1 bit, then the same CNode with a 58-bit guard. */
	insert(O_ROOT2, SEL_OBJ_CNODE, world.root2, 1, 0);
	derive(&world.originals[O_CNODE], &world.root2[0], SEL_RIGHTS_ALL, 0);
	world.root2[0].cap.guard_bits = 63 - CSPACE_BITS; /* as a Mutate of guard data would set */
	for (int i = 0; i < NE; i++)
		insert(O_EP + i, SEL_OBJ_ENDPOINT, &world.eps[i], 0, 0);
	for (int i = 0; i < NN; i++)
		insert(O_NTFN + i, SEL_OBJ_NOTIFICATION, &world.ntfns[i], 0, 0);
	for (int i = 0; i < NV; i++) {
		struct vspace *v = (struct vspace *)(world.vspaces[i] + PAGE_SIZE);
		v->asid = (uint64_t)i + 1;
		v->generation = (uint64_t)i + 1;
		v->satp = SATP_MODE_SV39 | v->asid << SATP_ASID_SHIFT |
		          virt_to_phys(world.vspaces[i]) >> PAGE_SHIFT; /* vspace_object_init() */
		insert(O_VS + i, SEL_OBJ_VSPACE, world.vspaces[i], 0, 0);
	}
	for (int i = 0; i < NF; i++)
		insert(O_FRAME + i, SEL_OBJ_FRAME, world.frames[i], 12, 0);
	fill_cspace();
	lock();
	for (int i = 0; i < NT; i++) {
		make_thread(i);
		if (tcb_vspace(thread(i)))
			sched_make_ready(thread(i));
	}
	spin_unlock(&big_lock);
}

/* ---- arguments ---- */

static uint64_t cptr(void)
{
	uint32_t k = below(100);

	if (k < 60)
		return below(NE);
	if (k < 95)
		return below(NSLOTS);
	return k < 98 ? NSLOTS + below(8) : 1ull << 63;
}

static uint64_t info(void)
{
	uint32_t k = below(100);
	uint64_t label = below(8);

	if (k < 80)
		return SEL_MSG_INFO(label, 0, below(SEL_MSG_REG_WORDS + 1));
	switch (k % 8) {
	case 0:
		return SEL_MSG_INFO(label, 0, SEL_MSG_REG_WORDS + 1 + below(60));
	case 1:
		return SEL_MSG_INFO(label, 1 + below(3), below(4));
	case 2:
		return SEL_MSG_INFO(label, 0, 2) | SEL_MSG_LEASE;
	case 3:
		return SEL_MSG_INFO(label, 0, 2) | SEL_MSG_LEASE_FWD;
	case 4:
		return SEL_MSG_INFO(label, 0, 1) | SEL_MSG_RESERVED;
	case 5:
		return SEL_MSG_INFO(SEL_LABEL_KERNEL + below(4), 0, 1);
	case 6:
		return SEL_MSG_INFO(SEL_LABEL_KERNEL - 1, 0, SEL_MSG_REG_WORDS);
	default:
		return next_rand();
	}
}

/* A slot holding a notification cap, if there is one (Signal, Poll, Wait). */
static uint64_t ntfn_cptr(void)
{
	uint32_t n = 0, pick;

	for (uint32_t i = 0; i < NSLOTS; i++)
		n += world.cspace[i].cap.type == SEL_OBJ_NOTIFICATION;
	if (!n)
		return cptr();
	pick = below(n);
	for (uint32_t i = 0; i < NSLOTS; i++)
		if (world.cspace[i].cap.type == SEL_OBJ_NOTIFICATION && pick-- == 0)
			return i;
	return cptr();
}

static void random_args(uint64_t nr, uint64_t *a)
{
	bool ntfn_op = is_ntfn_entry(nr) || nr == SEL_SYS_RECV;

	a[0] = ntfn_op && chance(60) ? ntfn_cptr() : cptr();
	a[1] = info();
	for (int i = 2; i < 7; i++)
		a[i] = chance(50) ? next_rand() : below(16);
}

/* ---- comparison ---- */

struct region {
	const char *name;
	const void *base;
	size_t size, count;
};

/* Names a byte of kstate for a report: object, index, offset. */
static void name_offset(size_t off, char *out, size_t n)
{
	const struct region r[] = {
	    {"tcb", world.tcbs, sizeof(world.tcbs[0]), NT},
	    {"cspace slot", world.cspace, sizeof(struct cte), NSLOTS},
	    {"root2 slot", world.root2, sizeof(struct cte), 2},
	    {"original slot", world.originals, sizeof(struct cte), 16},
	    {"endpoint", world.eps, sizeof(struct endpoint), NE},
	    {"notification", world.ntfns, sizeof(struct notification), NN},
	    {"hart", harts, sizeof(struct hart), SEL_MAX_HARTS},
	    {"sched_rq", sched_rq, sizeof(sched_rq[0]), SEL_MAX_HARTS},
	    {"kernel_cdt", &kernel_cdt, sizeof(kernel_cdt), 1},
	    {"kinfo_page", &kinfo_page, sizeof(kinfo_page), 1},
	    {"diff_machine", &diff_machine, sizeof(diff_machine), 1},
	    {"big_lock", &big_lock, sizeof(big_lock), 1},
	};
	const char *p = __start_kstate + off;

	for (size_t i = 0; i < ARRAY_SIZE(r); i++) {
		const char *b = r[i].base;
		if (p >= b && p < b + r[i].size * r[i].count) {
			size_t d = (size_t)(p - b);
			snprintf(out, n, "%s[%zu]+%zu", r[i].name, d / r[i].size, d % r[i].size);
			return;
		}
	}
	snprintf(out, n, "kstate+%zu (another kernel variable: see `nm`)", off);
}

#define TCB_FIELD(f)                                                                               \
	{                                                                                          \
#f, offsetof(struct tcb, f), sizeof(((struct tcb *)0)->f)                          \
	}

/* A field name for an offset inside struct tcb. */
static const char *tcb_field(size_t off)
{
	static const struct {
		const char *name;
		size_t off, size;
	} f[] = {
	    TCB_FIELD(ctx),       TCB_FIELD(state),       TCB_FIELD(hart_affinity),
	    TCB_FIELD(next),      TCB_FIELD(priority),    TCB_FIELD(ipc_next),
	    TCB_FIELD(ipc_prev),  TCB_FIELD(blocked_on),  TCB_FIELD(ipc_badge),
	    TCB_FIELD(ipc_flags), TCB_FIELD(reply_grant), TCB_FIELD(reply_to),
	    TCB_FIELD(replier),   TCB_FIELD(bound),       TCB_FIELD(lease_base),
	    TCB_FIELD(lease_len), TCB_FIELD(lease_fwd),   TCB_FIELD(stop_reason),
	    TCB_FIELD(stop_code),
	};

	for (size_t i = 0; i < ARRAY_SIZE(f); i++)
		if (off >= f[i].off && off < f[i].off + f[i].size)
			return f[i].name;
	return "";
}

static void describe_state(const char *title)
{
	fprintf(stderr, "  %s: hart0 current %s, ready %lu (highest %d)\n", title,
	        h0->current ? h0->current->name : "-", (unsigned long)sched_rq[0].ready,
	        highest_ready(h0));
	for (int i = 0; i < NT; i++) {
		struct tcb *t = thread(i);
		fprintf(stderr,
		        "    %s prio %u hart %u state %d blocked_on %s%ld reply_to %s replier %s "
		        "a0 %#lx a1 %#lx a7 %#lx\n",
		        t->name, t->priority, t->hart_affinity, t->state,
		        t->blocked_on ? "ep/ntfn@" : "-",
		        t->blocked_on ? (long)((char *)t->blocked_on - (char *)&world) : 0L,
		        t->reply_to ? t->reply_to->name : "-", t->replier ? t->replier->name : "-",
		        (unsigned long)t->ctx.regs[REG_A0], (unsigned long)t->ctx.regs[REG_A0 + 1],
		        (unsigned long)t->ctx.regs[REG_A7]);
	}
}

/* Compares fast_state with the live (generic-path) state; prints what differs. */
static bool states_agree(void)
{
	const uint8_t *a = fast_state, *b = (const uint8_t *)__start_kstate;
	int shown = 0;

	if (!memcmp(a, b, kstate_size))
		return true;
	fprintf(stderr, "DIVERGENCE: %s in episode %lu step %lu: a0=%#lx a1=%#lx (situation %lu)\n",
	        op_name(cur.nr), (unsigned long)cur.episode, (unsigned long)cur.step,
	        (unsigned long)cur.a[0], (unsigned long)cur.a[1], (unsigned long)stats.situations);
	for (size_t i = 0; i < kstate_size && shown < 12; i++) {
		char where[96];
		size_t w = i & ~(size_t)7;
		uint64_t fa, sb;
		if (a[i] == b[i])
			continue;
		name_offset(w, where, sizeof(where));
		memcpy(&fa, a + w, 8);
		memcpy(&sb, b + w, 8);
		const char *fld = "";
		const char *p = __start_kstate + w;
		if (p >= (char *)world.tcbs && p < (char *)(world.tcbs + NT))
			fld = tcb_field((size_t)(p - (char *)world.tcbs) % sizeof(world.tcbs[0]));
		fprintf(stderr, "  %s %s: fastpath word %#lx, generic path word %#lx\n", where, fld,
		        (unsigned long)fa, (unsigned long)sb);
		shown++;
		i = w + 7;
	}
	describe_state("generic path result");
	memcpy(__start_kstate, snap, kstate_size);
	describe_state("state before");
	return false;
}

/* ---- invariants (object/tcb.h, ipc/ipc.h, sched/scheduler.h) ---- */

static bool on_ready_queue(const struct tcb *t)
{
	const struct ready_queues *q = &sched_rq[t->hart_affinity];

	for (const struct tcb *x = q->head[t->priority]; x; x = x->next)
		if (x == t)
			return true;
	return false;
}

static bool on_ipc_queue(const struct tcb *t, const struct ipc_queue *q)
{
	const struct tcb *prev = NULL;
	bool found = false;

	for (const struct tcb *x = q->head; x; prev = x, x = x->ipc_next) {
		if (x->ipc_prev != prev || (prev && prev->priority < x->priority))
			return false; /* a broken link, or out of priority order */
		found |= x == t;
	}
	return found && q->tail == prev;
}

static const char *invariant_broken(void)
{
	for (int i = 0; i < NT; i++) {
		const struct tcb *t = thread(i);
		switch (t->state) {
		case TCB_RUNNING:
			if (!t->ctx.hart || t->ctx.hart->current != t)
				return "RUNNING but not its hart's current";
			break;
		case TCB_READY:
			if (!on_ready_queue(t))
				return "READY but not on its hart's queue";
			break;
		case TCB_BLOCKED_SEND:
		case TCB_BLOCKED_RECV:
			if (!t->blocked_on ||
			    !on_ipc_queue(t, &((struct endpoint *)t->blocked_on)->queue))
				return "blocked on an endpoint but not (in order) on its queue";
			break;
		case TCB_BLOCKED_NTFN:
			if (!t->blocked_on ||
			    !on_ipc_queue(t, &((struct notification *)t->blocked_on)->waiters))
				return "blocked on a notification but not on its queue";
			break;
		case TCB_BLOCKED_REPLY:
			if (!t->replier || t->replier->reply_to != t)
				return "BLOCKED_REPLY without its replier";
			break;
		default:
			break;
		}
		if (t->state != TCB_READY && on_ready_queue(t))
			return "on a ready queue but not READY";
		if (t->reply_to && t->reply_to->replier != t)
			return "a reply cap without its caller";
	}
	for (int i = 0; i < NE; i++) {
		const struct endpoint *ep = &world.eps[i];
		if ((ep->queue.head == NULL) != (ep->state == EP_IDLE))
			return "an endpoint's queue empty iff idle, broken";
	}
	if (h0->current && h0->current->state != TCB_RUNNING)
		return "hart 0's current is not RUNNING";
	for (int i = 0; i < SEL_MAX_HARTS; i++)
		if (harts[i].ready_top != (uint64_t)(highest_ready(&harts[i]) + 1))
			return "a hart's ready_top is not its highest ready priority + 1";
	return NULL;
}

/* ---- the comparison of the two runs ---- */

#define KOFF(lvalue) ((size_t)((const char *)&(lvalue)-__start_kstate))

static uint64_t fast_word(size_t off)
{
	uint64_t v;

	memcpy(&v, fast_state + off, sizeof(v));
	return v;
}

static void fast_word_set(size_t off, uint64_t v)
{
	memcpy(fast_state + off, &v, sizeof(v));
}

/*
 * Fields with no meaning in the state a thread is in are not compared:
 * tcb.ipc_badge means something only in BLOCKED_SEND (object/tcb.h). The
 * generic path's ep_send() stores the badge of every send, Call included,
 * and leaves it there; the fastpath does not store it for a Call that is
 * received at once. ctx.full of a thread running in user mode says only
 * how its last entry saved it: the next entry rewrites it and nothing reads
 * it before (the exit that returned to the thread has read it); the fast
 * paths that return to their caller (Signal, Poll, Yield) leave it as the
 * entry before found it, the generic path's syscall entry clears it. Each
 * such field of the fastpath's state takes the generic path's value before
 * the comparison. A thread's fast-path view (tcb.fast_epoch to fast_buf)
 * and tcb_fast_epoch are a cache the fastpath computes and the generic path
 * never reads; the generic run computes them with the fastpath off and
 * advances the epoch twice (fastpath_init()). They go the other way: the
 * state goes on with the fastpath's views and epoch, which the syscall left
 * valid (it changes no slot, affinity or binding), so that the next
 * situation takes the fast paths' common copies too.
 */
static void dead_fields(void)
{
	tcb_fast_epoch = fast_word(KOFF(tcb_fast_epoch));
	for (int i = 0; i < NT; i++) {
		struct tcb *t = thread(i);
		size_t st = KOFF(t->state), badge = KOFF(t->ipc_badge);
		size_t view = KOFF(t->fast_epoch);
		uint32_t fast_st;

		memcpy(__start_kstate + view, fast_state + view,
		       KOFF(t->fast_buf) + sizeof(t->fast_buf) - view);

		memcpy(&fast_st, fast_state + st, sizeof(fast_st));
		if (fast_st != TCB_BLOCKED_SEND && t->state != TCB_BLOCKED_SEND)
			fast_word_set(badge, t->ipc_badge);
		if (fast_st == TCB_RUNNING && t->state == TCB_RUNNING)
			fast_word_set(KOFF(t->ctx.full), t->ctx.full);
	}
}

/*
 * The fast path's own counters count what it took; the generic path counts
 * in ipc_calls. The Yield fast path is assembly alone: it makes no call to
 * the debug kernels' invariant checker, which the generic exit makes.
 */
static void counters(enum fast_kind k, uint64_t fast_before)
{
	if (k == FAST_YIELD)
		fast_word_set(KOFF(diff_machine.invariant_points),
		              fast_word(KOFF(diff_machine.invariant_points)) + 1);
	if (fast_word(KOFF(h0->fastpath)) != fast_before + 1)
		return;
	fast_word_set(KOFF(h0->fastpath), fast_before);
	if (k == FAST_IPC)
		fast_word_set(KOFF(h0->ipc_calls), fast_word(KOFF(h0->ipc_calls)) + 1);
	else
		stats.wakes_switched++; /* fastpath_ntfn_slow()'s signal_wake() */
}

/*
 * One situation: the syscall with the fast paths on and off, from one
 * state ("fastpath=off"; for Yield, whose fast path has no switch, the
 * generic path it stands for).
 */
static bool differential(uint64_t nr, const uint64_t *a, int *how)
{
	int pre_high = highest_ready(h0);
	uint64_t fast_before = h0->fastpath;
	enum fast_kind k;
	struct tcb *to;

	memcpy(snap, __start_kstate, kstate_size);
	cur.phase = 1;
	enter(nr, a, false);
	k = fast_done;
	memcpy(fast_state, __start_kstate, kstate_size);
	memcpy(__start_kstate, snap, kstate_size);

	to = (struct tcb *)(uintptr_t)fast_word(KOFF(h0->current));
	stats.situations++;
	stats.taken[k]++;
	if (k == FAST_IPC && to && pre_high >= 0 && pre_high == (int)to->priority)
		stats.equal_prio++;
	counters(k, fast_before);
	fastpath_init("fastpath=off");
	cur.phase = 2;
	*how = enter(nr, a, true);
	cur.phase = 0;
	fastpath_init("");
	dead_fields();
	return states_agree();
}

/* ---- the walk ---- */

/*
 * Hart 0 idles (the lock is held in idle_wait()): another hart suspends
 * and resumes a blocked thread (TCB Suspend, Resume: its IPC is cancelled)
 * or signals a notification, and the idle hart picks again.
 */
static void wake_one(void)
{
	struct tcb *t = thread((int)below(NT));

	if (chance(30)) {
		ntfn_signal(&world.ntfns[below(NN)], 1ull << below(8));
	} else if (tcb_state_blocked(t->state) || t->state == TCB_INACTIVE) {
		sched_stop(t, SEL_STOP_SUSPENDED, 0);
		if (tcb_vspace(t)) {
			t->stop_reason = SEL_STOP_NONE;
			sched_make_ready(t);
		}
	}
}

/*
 * Something happens outside hart 0's running thread: with two harts online
 * another hart does it (hart 0 finds out at its next entry, as when an IPI
 * is still pending); with one, only an interrupt of hart 0 can, and its
 * exit schedules (the thread's context is then a full one). Returns how
 * hart 0 left, or `how` if it did not enter.
 */
static int event_elsewhere(int how)
{
	struct tcb *t = thread((int)below(NT));

	lock();
	switch (below(3)) {
	case 0:
		ntfn_signal(&world.ntfns[below(NN)], chance(50) ? 1ull << below(8) : 0);
		break;
	case 1:
		tcb_fast_epoch += TCB_FAST_EPOCH_STEP; /* a TCB invocation, as invocation_call() */
		if (t->state != TCB_DEAD)
			sched_set_priority(t, prios[below(ARRAY_SIZE(prios))]);
		break;
	default:
		tcb_fast_epoch += TCB_FAST_EPOCH_STEP; /* as above */
		if (t != h0->current)
			sched_set_affinity(t, chance(85) ? 0 : 1);
		break;
	}
	if (harts_online != 1) {
		spin_unlock(&big_lock);
		return how;
	}
	h0->in_user = NULL;
	if (h0->current)
		h0->current->ctx.full = 1;
	return in_kernel(pick_and_leave);
}

/* Threads 0-2 mostly serve (ReplyRecv), the others mostly call; anyone may do anything. */
static uint64_t pick_op(const struct tcb *t)
{
	uint32_t k = below(100);
	bool server = t < thread(3);

	if (server && k < 70)
		return k < 62 ? SEL_SYS_REPLY_RECV : SEL_SYS_REPLY;
	if (!server && k < 60)
		return SEL_SYS_CALL;
	k = below(100);

	if (k < 36)
		return SEL_SYS_CALL;
	if (k < 68)
		return SEL_SYS_REPLY_RECV;
	if (k < 78)
		return SEL_SYS_RECV;
	if (k < 85)
		return SEL_SYS_SEND;
	if (k < 87)
		return SEL_SYS_NB_SEND;
	if (k < 89)
		return SEL_SYS_NB_RECV;
	if (k < 94)
		return SEL_SYS_REPLY;
	return SEL_SYS_YIELD;
}

/* One episode; false on a divergence or a broken invariant. */
static bool episode(uint64_t want)
{
	int how;

	stats.episodes++;
	cur.episode = stats.episodes;
	build_episode();
	lock();
	how = in_kernel(pick_and_leave);
	for (int step = 0; step < MAX_STEPS && stats.situations < want; step++) {
		const char *bad;
		for (int tries = 0; how == DIFF_LEFT_IDLE && tries < 8; tries++) {
			stats.wakes++;
			how = in_kernel(wake_one);
			if (!how)
				how = in_kernel(pick_and_leave);
		}
		if (how != DIFF_LEFT_USER || !h0->current)
			break;
		cur.step = (uint64_t)step;
		stats.steps++;
		if (chance(8)) {
			how = event_elsewhere(how);
		} else {
			cur.nr = pick_op(h0->current);
			random_args(cur.nr, cur.a);
			if (cur.nr != SEL_SYS_RECV && cur.nr != SEL_SYS_REPLY) {
				stats.per_op[cur.nr]++;
				if (!differential(cur.nr, cur.a, &how))
					return false;
			} else {
				how = enter(cur.nr, cur.a, false);
			}
		}
		bad = invariant_broken();
		if (bad) {
			fprintf(stderr, "INVARIANT: %s (episode %lu step %d, after %s)\n", bad,
			        (unsigned long)cur.episode, step, op_name(cur.nr));
			describe_state("state");
			return false;
		}
	}
	stats.left_idle += how == DIFF_LEFT_IDLE;
	stats.left_stopped += how == DIFF_LEFT_STOPPED;
	return true;
}

int main(int argc, char **argv)
{
	uint64_t seed = 1, want = 100000;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--situations") && i + 1 < argc)
			want = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--quiet"))
			quiet = 1;
		else {
			fprintf(stderr, "usage: diff [--seed N] [--situations N] [--quiet]\n");
			return 2;
		}
	}
	rng = seed;
	kstate_size = (size_t)(__stop_kstate - __start_kstate);
	pristine = malloc(kstate_size);
	snap = malloc(kstate_size);
	fast_state = malloc(kstate_size);
	if (!pristine || !snap || !fast_state)
		return 2;
	memcpy(pristine, __start_kstate, kstate_size);
	while (stats.situations < want) {
		if (!episode(want)) {
			printf("diff: FAIL after %lu situations (seed %lu)\n",
			       (unsigned long)stats.situations, (unsigned long)seed);
			return 1;
		}
	}
	printf("diff: %lu situations (%lu Call, %lu ReplyRecv, %lu Send, %lu NBSend, %lu Poll, "
	       "%lu Yield) agree, state by state over %zu bytes\n",
	       (unsigned long)stats.situations, (unsigned long)stats.per_op[SEL_SYS_CALL],
	       (unsigned long)stats.per_op[SEL_SYS_REPLY_RECV],
	       (unsigned long)stats.per_op[SEL_SYS_SEND],
	       (unsigned long)stats.per_op[SEL_SYS_NB_SEND],
	       (unsigned long)stats.per_op[SEL_SYS_NB_RECV],
	       (unsigned long)stats.per_op[SEL_SYS_YIELD], kstate_size);
	printf("diff: fast paths taken: IPC %lu (%lu of them at equal priority), Signal/Poll %lu, "
	       "Yield %lu, Signal switching to its waiter %lu; %lu episodes, %lu steps (%lu ended "
	       "idle, %lu stopped); seed %lu\n",
	       (unsigned long)stats.taken[FAST_IPC], (unsigned long)stats.equal_prio,
	       (unsigned long)stats.taken[FAST_NTFN], (unsigned long)stats.taken[FAST_YIELD],
	       (unsigned long)stats.wakes_switched, (unsigned long)stats.episodes,
	       (unsigned long)stats.steps, (unsigned long)stats.left_idle,
	       (unsigned long)stats.left_stopped, (unsigned long)seed);
	return 0;
}
