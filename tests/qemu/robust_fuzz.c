/*
 * The capability-aware syscall fuzzer (docs/reliability.md).
 *
 * A test process makes random system calls and invocations. Arguments come
 * from the capabilities it holds (it identifies its slots and tracks what
 * it creates, so it retypes from Untypeds it carved, copies and mints deep
 * derivation chains, maps page tables and frames, maps windows, creates
 * user-interrupt senders and sends through them, revokes) and from hostile
 * values: wild and kernel pointers, huge and wrapping lengths, bad
 * capability addresses and depths, unknown labels and syscall numbers,
 * reserved bits in rights and depth words. Several threads fuzz at once,
 * one per hart when the machine has several, each in its own range of
 * slots. Everything is drawn from one seed: a run on one hart under
 * -icount replays exactly.
 *
 * The group boots with capcheck=all, so the kernel checks the capability
 * invariants after every syscall and panics on a violation (the harness
 * sees the panic); the fuzzer also asks for a check through the debug
 * cap's Check right every 256 calls and counts violations itself.
 *
 * Boot argument fuzz=S,N,T,P: seed S and N calls per thread replace the
 * fixed seeds and call counts of the tests (the `robust` target's long
 * run), T fuzzing threads (1..4, default 4), P = 1 prints every invocation
 * of the first thread before making it: a replay on one hart (smp1) shows
 * the sequence that leads to a panic. Fields may be left empty.
 *
 * Built with FUZZ_PROCESS, the same fuzzer is a program of its own
 * (robust_fuzzproc): ROBUST_0003 spawns four of them, each in its own
 * address space and CSpace, one per hart, sharing a window, an endpoint,
 * a notification and user-interrupt senders to each other's receivers.
 *
 * Boot argument fuzz-trace, with one fuzzing thread: each run prints the
 * capability state it starts from, then every call that can read or change
 * capabilities with its arguments and the kernel's answer, in the line
 * format of tools/refmodel/README.md ("FT ..."), and reads back the slots a
 * capability operation wrote. tools/refmodel replays those lines against
 * its model of docs/capabilities.md. Tracing adds calls that only read
 * (Identify, Untyped Info) and draws no random numbers, so the fuzzed
 * sequence is the same with and without it.
 */
#include <sel/cap.h>
#include <sel/ipc.h>
#include <sel/print.h>
#include <sel/string.h>
#include <sel/syscall.h>
#include <sel/thread.h>
#include <sel/uintr.h>
#include <sel/window.h>
#include <selene/invocation.h>
#include "caps_util.h"
#include "process.h"
#include "proc_util.h"
#include "test.h"
#ifndef FUZZ_PROCESS
#include <sel/spawn.h>
#endif

extern struct test_shared *test_shared_page;

#define FUZZ_THREADS      4
#define FUZZ_POOL_FIRST   40 /* thread i fuzzes slots [40 + 52 i, 40 + 52 (i + 1)) */
#define FUZZ_POOL_SLOTS   52
#define FUZZ_SLOT_MEMORY  20                  /* the fuzzers' memory: an Untyped they may revoke */
#define FUZZ_SLOT_HELPERS 21                  /* memory of the helper threads, never fuzzed */
#define FUZZ_SLOT_TCB0    22                  /* 22..24: the helper threads' TCBs */
#define FUZZ_REGION       (200ull << 30)      /* the fuzzers map their pages in this GiB */
#define FUZZ_RESULTS      (SEL_ERR_COUNT + 1) /* the last bucket: anything else */
_Static_assert(SEL_ERR_COUNT == 31, "name every result in result_names");
#define FUZZ_CHECK_EVERY 256
#define FUZZ_PRIORITY    100           /* every fuzzing thread: they take turns on one hart */
#define MP_FIGURES_VA    0x40000000ull /* ROBUST_0003: where a fuzzing process's figures go */
#define MP_SHARED        5             /* ROBUST_0003: the shared caps, in pool slots 40..44 */

/* One fuzzing thread's state and figures. */
struct fuzz {
	uint64_t rng;
	uint64_t calls, limit;
	uint64_t first, n; /* its slots */
	uint64_t violations;
	uint64_t shared_ok,
	    sends_ok; /* FUZZ_PROCESS: calls on the shared caps, sends, that succeeded */
	uint64_t results[FUZZ_RESULTS];
	int trace, checker; /* print each call; run the invariant check */
	int ftrace;         /* fuzz-trace: the lines the reference model replays */
	volatile uint64_t done;
};

static struct fuzz fuzzers[FUZZ_THREADS];
/* Hostile pointers near scratch stay inside the arena: the kernel may write there. */
static uint64_t arena[3 * 512] __attribute__((aligned(4096)));
#define scratch (&arena[512])
static uint64_t child_stack[512] __attribute__((aligned(16)));

static uint64_t rnd(struct fuzz *f)
{
	/* xorshift64* */
	f->rng ^= f->rng >> 12;
	f->rng ^= f->rng << 25;
	f->rng ^= f->rng >> 27;
	return f->rng * 0x2545f4914f6cdd1dull;
}

static uint64_t below(struct fuzz *f, uint64_t n)
{
	return rnd(f) % n;
}

/* An invocation, called again while preempted; fuzz-trace prints it with its answer. */
static struct sel_ret traced_call(struct fuzz *f, const uint64_t a[7])
{
	struct sel_ret r = sel_syscall(SEL_SYS_CALL, a[0], a[1], a[2], a[3], a[4], a[5], a[6]);

	while (r.err == SEL_ERR_PREEMPTED)
		r = sel_syscall(SEL_SYS_CALL, a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
	if (f->ftrace)
		sel_printf("FT call %lx %lx %lx %lx %lx %lx %lx = %lx %lx %lx %lx %lx %lx\n", a[0],
		           a[1], a[2], a[3], a[4], a[5], a[6], r.err, r.v[0], r.v[1], r.v[2],
		           r.v[3], r.v[4]);
	return r;
}

/* Identify a slot of the fuzzer's CNode (depth 64); fuzz-trace prints it as a call. */
static int fuzz_ident(struct fuzz *f, uint64_t s, struct sel_identity *id)
{
	const uint64_t a[7] = {ROOT, SEL_CNODE_IDENTIFY, s, 0, 0, FULL, 0};
	struct sel_ret r = traced_call(f, a);

	*id = (struct sel_identity){r.v[0], r.v[1], r.v[2], r.v[3], r.v[4]};
	return (int)r.err;
}

/* A hostile word: wild, kernel, wrapping, huge, reserved bits, or small. */
static uint64_t hostile(struct fuzz *f)
{
	static const uint64_t v[] = {0,
	                             1,
	                             ~0ull,
	                             ~0ull - 4095,
	                             0x8000000000000000ull,
	                             0xffffffc000000000ull, /* the kernel's half */
	                             0xffffffff80000000ull,
	                             0x0000004000000000ull, /* just past user space */
	                             0x7ffffff000ull,
	                             0x1000,
	                             4096,
	                             1ull << 32,
	                             255,
	                             256,
	                             64,
	                             65};
	switch (below(f, 4)) {
	case 0:
		return v[below(f, sizeof(v) / sizeof(v[0]))];
	case 1:
		return rnd(f);
	case 2:
		return below(f, 300);
	default:
		return (uint64_t)&scratch[below(f, 512)] + below(f, 8192) - 4096;
	}
}

/* A slot of this thread (usually), or any slot, or a hostile address. */
static uint64_t slot_any(struct fuzz *f)
{
	uint64_t r = below(f, 16);

	if (r < 12)
		return f->first + below(f, f->n);
	if (r < 14)
		return below(f, 256);
	return hostile(f);
}

/* A slot of this thread holding a cap of `type`, or any slot of it. */
static uint64_t slot_of(struct fuzz *f, enum sel_object_type type)
{
	for (int tries = 0; tries < 8; tries++) {
		uint64_t s = f->first + below(f, f->n);
		struct sel_identity id;
		if (fuzz_ident(f, s, &id) == SEL_OK && id.type == type)
			return s;
	}
	return f->first + below(f, f->n);
}

/* An empty slot of this thread (its last slot if none shows up). */
static uint64_t slot_free(struct fuzz *f)
{
	for (int tries = 0; tries < 8; tries++) {
		uint64_t s = f->first + below(f, f->n);
		struct sel_identity id;
		if (fuzz_ident(f, s, &id) == SEL_OK && id.type == SEL_OBJ_NULL)
			return s;
	}
	return f->first + f->n - 1;
}

static uint32_t depth(struct fuzz *f)
{
	return below(f, 16) ? FULL : (uint32_t)hostile(f);
}

static uint64_t rights(struct fuzz *f)
{
	return below(f, 16) ? below(f, 32) : hostile(f);
}

/* An address in the fuzzers' region (page aligned, sometimes not), or a hostile one. */
static uint64_t vaddr(struct fuzz *f)
{
	if (below(f, 8) == 0)
		return hostile(f);
	uint64_t a = FUZZ_REGION + (below(f, 64) << 21) + (below(f, 4) << 12);
	return below(f, 16) ? a : a + below(f, 4096);
}

/* A VSpace: its own (slot 4) or one it created. */
static uint64_t vspace(struct fuzz *f)
{
	return below(f, 2) ? SEL_SLOT_VSPACE : slot_of(f, SEL_OBJ_VSPACE);
}

/* The object types with their sizes, weighted towards the useful ones. */
static void retype(struct fuzz *f, uint64_t out[7])
{
	static const uint8_t types[] = {
	    SEL_OBJ_UNTYPED,    SEL_OBJ_UNTYPED,      SEL_OBJ_CNODE,     SEL_OBJ_TCB,
	    SEL_OBJ_ENDPOINT,   SEL_OBJ_NOTIFICATION, SEL_OBJ_FRAME,     SEL_OBJ_FRAME,
	    SEL_OBJ_PAGE_TABLE, SEL_OBJ_PAGE_TABLE,   SEL_OBJ_VSPACE,    SEL_OBJ_UINTR_RECEIVER,
	    SEL_OBJ_WINDOW,     SEL_OBJ_WINDOW,       SEL_OBJ_ASID_POOL, SEL_OBJ_UINTR_SENDER,
	    SEL_OBJ_DEBUG,      SEL_OBJ_IRQ_HANDLER};
	uint64_t type = below(f, 16) ? types[below(f, sizeof(types))] : hostile(f);
	uint64_t bits = type == SEL_OBJ_UNTYPED  ? 12 + below(f, 7)
	                : type == SEL_OBJ_CNODE  ? 1 + below(f, 5)
	                : type == SEL_OBJ_FRAME  ? (below(f, 16) ? 12 : 21)
	                : type == SEL_OBJ_WINDOW ? 12 + below(f, 3)
	                                         : 0;
	uint64_t ut = below(f, 4) ? slot_of(f, SEL_OBJ_UNTYPED) : FUZZ_SLOT_MEMORY;

	out[0] = ut;
	out[1] = SEL_UNTYPED_RETYPE;
	out[2] = type;
	out[3] = below(f, 12) ? bits : hostile(f);
	out[4] = below(f, 12) ? ROOT : hostile(f);
	out[5] = below(f, 12) ? slot_free(f) : slot_any(f);
	out[6] = below(f, 12) ? 1 + below(f, 3) : hostile(f);
}

/* One CNode method: Copy, Mint, Move, Mutate, Delete, Revoke, Identify. */
static void cnode(struct fuzz *f, uint64_t out[7])
{
	uint64_t label = SEL_CNODE_COPY + below(f, 7);
	uint64_t src = slot_any(f);

	out[0] = below(f, 16) ? ROOT : hostile(f);
	out[1] = label;
	out[2] = (label >= SEL_CNODE_DELETE) ? src : slot_free(f);
	out[3] = below(f, 16) ? ROOT : hostile(f);
	out[4] = src;
	out[5] = depth(f) | (uint64_t)(below(f, 16) ? FULL : depth(f)) << 8 | rights(f) << 16;
	out[6] = below(f, 2) ? 0 : below(f, 2) ? 1 + below(f, 4) : hostile(f);
	if (below(f, 32) == 0)
		out[5] = hostile(f);
}

/* A method of an object this thread holds, with its arguments. */
static void object(struct fuzz *f, uint64_t out[7])
{
	uint64_t pick = below(f, 9);

	/* The registers a method does not read: zero (their reserved bits clear, so the call
	 * reaches the method's own checks), hostile one time in eight. */
	for (int i = 2; i < 7; i++)
		out[i] = below(f, 8) ? 0 : hostile(f);
	switch (pick) {
	case 0: /* page table */
		out[0] = slot_of(f, SEL_OBJ_PAGE_TABLE);
		out[1] = SEL_PAGE_TABLE_MAP + below(f, 2);
		out[2] = vspace(f);
		out[3] = vaddr(f);
		break;
	case 1: /* frame */
		out[0] = slot_of(f, SEL_OBJ_FRAME);
		out[1] = SEL_FRAME_MAP + below(f, 3);
		out[2] = vspace(f);
		out[3] = vaddr(f);
		out[4] = rights(f);
		break;
	case 2: /* window */
		out[0] = slot_of(f, SEL_OBJ_WINDOW);
		out[1] = SEL_WINDOW_MAP + below(f, 4);
		if (out[1] == SEL_WINDOW_MAP) {
			out[2] = vspace(f);
			out[3] = vaddr(f);
			out[4] = rights(f);
			out[5] = below(f, 2) ? 0 : hostile(f);
			out[6] = below(f, 4) ? below(f, 4) : hostile(f);
		} else {
			out[2] = below(f, 4) ? below(f, 4) : hostile(f);
			out[3] = slot_of(f, SEL_OBJ_UINTR_SENDER);
		}
		break;
	case 3: /* UIntr receiver: create senders (registering is the handler's, below) */
		out[0] = slot_of(f, SEL_OBJ_UINTR_RECEIVER);
		out[1] = SEL_UINTR_RECEIVER_CREATE_SENDER;
		out[2] = below(f, 8) ? below(f, 64) : hostile(f);
		out[3] = below(f, 8) ? ROOT : hostile(f);
		out[4] = slot_free(f);
		out[5] = depth(f);
		break;
	case 4: /* UIntr sender: install it */
		out[0] = slot_of(f, SEL_OBJ_UINTR_SENDER);
		out[1] = SEL_UINTR_SENDER_INSTALL;
		out[2] = below(f, 8) ? below(f, 64) : hostile(f);
		break;
	case 5: /* TCB of its own making: never the fuzzer's own threads */
		out[0] = slot_of(f, SEL_OBJ_TCB);
		out[1] = SEL_TCB_CONFIGURE + below(f, 13);
		if (out[1] == SEL_TCB_CONFIGURE) {
			out[2] = below(f, 4) ? ROOT : slot_of(f, SEL_OBJ_CNODE);
			out[3] = vspace(f);
			out[4] = below(f, 2) ? 0 : slot_of(f, SEL_OBJ_FRAME);
			out[5] = vaddr(f);
		} else if (out[1] == SEL_TCB_SET_PRIORITY || out[1] == SEL_TCB_SET_MCP) {
			out[2] = below(f, 300);
			out[3] = below(f, 2) ? SEL_SLOT_TCB : slot_any(f);
		} else if (out[1] == SEL_TCB_SET_AFFINITY) {
			out[2] = below(f, 6);
		} else if (out[1] == SEL_TCB_READ_REGISTERS || out[1] == SEL_TCB_WRITE_REGISTERS) {
			out[2] = below(f, 2) ? (uint64_t)scratch : hostile(f);
		} else if (out[1] == SEL_TCB_SET_FAULT_ENDPOINT) {
			out[2] = below(f, 4) ? 0 : slot_of(f, SEL_OBJ_ENDPOINT);
		} else if (out[1] == SEL_TCB_BIND_NOTIFICATION) {
			out[2] = slot_of(f, SEL_OBJ_NOTIFICATION);
		}
		break;
	case 6: /* Untyped: reset and info */
		out[0] = slot_of(f, SEL_OBJ_UNTYPED);
		out[1] = SEL_UNTYPED_RESET + below(f, 2);
		break;
	case 7: /* VSpace info, ASID control and IRQ control info */
		out[0] = below(f, 2) ? slot_of(f, SEL_OBJ_VSPACE) : SEL_SLOT_VSPACE;
		out[1] = SEL_VSPACE_INFO;
		break;
	default: /* an unknown or mismatched label on one of its caps */
		out[0] = f->first + below(f, f->n);
		out[1] = below(f, 2) ? below(f, 128) : hostile(f);
		break;
	}
}

/* A slot of the fuzzers' (any thread's), or the fuzzers' memory for a Revoke. */
static int fuzzable(uint64_t s, uint64_t label)
{
	if (s >= FUZZ_POOL_FIRST && s < FUZZ_POOL_FIRST + FUZZ_THREADS * FUZZ_POOL_SLOTS)
		return 1;
	if (s >= 256)
		return 1; /* does not resolve */
	return label == SEL_CNODE_REVOKE && s == FUZZ_SLOT_MEMORY;
}

/*
 * A CNode method through the fuzzer's own CNode must leave its essentials
 * alone: the caps to its CNode, TCB, VSpace, debug channel, Untypeds, the
 * lent device memory and its helper threads are never deleted, revoked or
 * moved, and its own TCBs and CNode are never copied (a copy could stop or
 * take apart the fuzzer itself).
 */
static int cnode_harmless(struct fuzz *f, uint64_t label, uint64_t src_root, uint64_t src,
                          uint64_t index)
{
	(void)f;
	if (label == SEL_CNODE_DELETE || label == SEL_CNODE_REVOKE)
		return fuzzable(index, label);
	if (src_root != ROOT)
		return 1;
	if (label == SEL_CNODE_MOVE || label == SEL_CNODE_MUTATE)
		return fuzzable(src, label);
	if (label == SEL_CNODE_COPY || label == SEL_CNODE_MINT)
		return src != SEL_SLOT_TCB && src != ROOT &&
		       !(src >= FUZZ_SLOT_TCB0 && src < FUZZ_SLOT_TCB0 + FUZZ_THREADS);
	return 1;
}

/*
 * Is invoking `cap` with `label` safe for the fuzzer itself? It must not
 * block (an invocation of an endpoint or notification is an IPC), stop
 * the fuzzer's own threads, or print: the console belongs to the harness.
 */
static int harmless(struct fuzz *f, uint64_t cap, uint64_t label, uint64_t a2, uint64_t a3,
                    uint64_t a4)
{
	uint64_t regs_ptr = a2;
	struct sel_identity id;

	if (cap < 32 && cap != ROOT && cap != SEL_SLOT_VSPACE && cap != FUZZ_SLOT_MEMORY &&
	    cap != TEST_SLOT_UNTYPED)
		return 0;
	if (cap >= 32 && cap < f->first)
		return 0;
	if (cap == ROOT && !cnode_harmless(f, label, a3, a4, a2))
		return 0;
	if (fuzz_ident(f, cap, &id) != SEL_OK)
		return 1; /* does not resolve: the kernel answers an error */
	if (id.type == SEL_OBJ_ENDPOINT || id.type == SEL_OBJ_NOTIFICATION)
		return 0;
	if (id.type == SEL_OBJ_UINTR_RECEIVER && label == SEL_UINTR_RECEIVER_REGISTER_HANDLER)
		return 0; /* a handler at a hostile pc would divert the fuzzer itself */
	if (id.type == SEL_OBJ_DEBUG)
		return label != SEL_DEBUG_PUTC && label != SEL_DEBUG_WRITE;
	if (id.type == SEL_OBJ_TCB && label == SEL_TCB_WRITE_REGISTERS) {
		/* a thread of its own making starts where it can only exit or fault */
		struct sel_user_regs *r = (struct sel_user_regs *)scratch;
		if (regs_ptr == (uint64_t)scratch) {
			static const uint64_t pcs[] = {0, 0xffffffc000001000ull,
			                               0x8000000000000000ull};
			memset(r, 0, sizeof(*r));
			r->pc = pcs[below(f, 3)];
			r->x[1] = (uint64_t)&child_stack[512];
		}
	}
	return 1;
}

/* fuzz-trace: a syscall that is not an invocation, its first two arguments and its answer. */
static struct sel_ret traced_sys(struct fuzz *f, uint64_t nr, uint64_t a0, uint64_t a1,
                                 struct sel_ret r)
{
	if (f->ftrace)
		sel_printf("FT sys %lx %lx %lx = %lx\n", nr, a0, a1, r.err);
	return r;
}

/* A syscall that is not an invocation: IPC without blocking, leases, user interrupts. */
static struct sel_ret other_syscall(struct fuzz *f)
{
	static const uint64_t unknown[] = {15, 16, 31, 32, 33, 34, 36, 37, 39, 64, 1000, ~0ull};
	struct sel_msg m = {0};

	switch (below(f, 8)) {
	case 0:
	case 1: { /* NBSend / NBRecv on an endpoint or a notification of its own */
		uint64_t ep =
		    below(f, 2) ? slot_of(f, SEL_OBJ_ENDPOINT) : slot_of(f, SEL_OBJ_NOTIFICATION);
		m.info = below(f, 4) ? SEL_MSG_INFO(below(f, 8), 0, below(f, 6)) : hostile(f);
		for (unsigned i = 0; i < SEL_MSG_REG_WORDS; i++)
			m.mr[i] = rnd(f);
		uint64_t nr = below(f, 2) ? SEL_SYS_NB_SEND : SEL_SYS_NB_RECV;
		uint64_t info = m.info;
		int err = nr == SEL_SYS_NB_SEND ? sel_nb_send(ep, &m) : sel_nb_recv(ep, &m);
		return traced_sys(f, nr, ep, info, (struct sel_ret){(uint64_t)err, {0}});
	}
	case 2: /* leases: there is none, with any buffer */
		return sel_syscall(SEL_SYS_LEASE_READ + below(f, 2), hostile(f), hostile(f),
		                   hostile(f), 0, 0, 0, 0);
	case 3: { /* user-interrupt send through any index */
		uint64_t i = below(f, 2) ? below(f, 64) : hostile(f);
		struct sel_ret r = sel_syscall(SEL_SYS_UINTR_SEND, i, 0, 0, 0, 0, 0, 0);
		f->sends_ok += r.err == SEL_OK;
		return traced_sys(f, SEL_SYS_UINTR_SEND, i, 0, r);
	}
	case 4: { /* user-interrupt control: mask, unmask, uninstall, with any argument */
		uint64_t op = below(f, 8), arg = hostile(f);
		return traced_sys(f, SEL_SYS_UINTR_CTL, op, arg,
		                  sel_syscall(SEL_SYS_UINTR_CTL, op, arg, 0, 0, 0, 0, 0));
	}
	case 5: /* unknown syscall numbers: the helpers only (they have no fault endpoint,
	         * the first thread's is the test driver's, which takes it for a fault) */
		if (f == &fuzzers[0])
			return sel_syscall(SEL_SYS_YIELD, 0, 0, 0, 0, 0, 0, 0);
		return sel_syscall(unknown[below(f, sizeof(unknown) / sizeof(unknown[0]))],
		                   hostile(f), hostile(f), hostile(f), hostile(f), 0, 0, 0);
	case 6: /* the console through hostile pointers only */
		return sel_syscall(SEL_SYS_CALL, SEL_SLOT_DEBUG, SEL_DEBUG_WRITE,
		                   below(f, 2) ? 0xffffffc000000000ull : ~0ull - 8,
		                   below(f, 2) ? 16 : hostile(f), 0, 0, 0);
	default:
		return sel_syscall(SEL_SYS_YIELD, 0, 0, 0, 0, 0, 0, 0);
	}
}

static void record(struct fuzz *f, uint64_t err)
{
	f->results[err < SEL_ERR_COUNT ? err : SEL_ERR_COUNT]++;
	f->calls++;
}

/* fuzz-trace: identify a slot of the fuzzer's CNode that a call may have written. */
static void read_slot(struct fuzz *f, uint64_t s)
{
	struct sel_identity id;

	if (s < 256)
		fuzz_ident(f, s, &id);
}

/*
 * fuzz-trace: read back what a capability operation wrote, so that the
 * model compares the state and not only the answer: the slots of a CNode
 * method, the first slots a Retype filled and the Untyped's watermark, a
 * new sender's slot.
 */
static void read_back(struct fuzz *f, const uint64_t a[7])
{
	struct sel_identity id;

	if (a[0] == ROOT && a[1] >= SEL_CNODE_COPY && a[1] <= SEL_CNODE_REVOKE) {
		read_slot(f, a[2]);
		if (a[1] <= SEL_CNODE_MUTATE && a[3] == ROOT)
			read_slot(f, a[4]);
	} else if (a[1] == SEL_UNTYPED_RETYPE && fuzz_ident(f, a[0], &id) == SEL_OK &&
	           id.type == SEL_OBJ_UNTYPED) {
		const uint64_t info[7] = {a[0], SEL_UNTYPED_INFO, 0, 0, 0, 0, 0};
		traced_call(f, info);
		for (uint64_t i = 0; a[4] == ROOT && i < a[6] && i < 4; i++)
			read_slot(f, a[5] + i);
	} else if (a[1] == SEL_UINTR_RECEIVER_CREATE_SENDER && a[3] == ROOT) {
		read_slot(f, a[4]);
	}
}

/* One random call. */
static void fuzz_one(struct fuzz *f)
{
	uint64_t a[7] = {0};
	uint64_t kind = below(f, 16);
	struct sel_ret r;

	if (kind < 6)
		retype(f, a);
	else if (kind < 10)
		cnode(f, a);
	else if (kind < 14)
		object(f, a);
	else {
		r = other_syscall(f);
		record(f, r.err);
		return;
	}
	if (!harmless(f, a[0], a[1], a[2], a[3], a[4]))
		return;
	if (f->trace)
		sel_printf("fuzz %lu: cap %lu label %lu args %lx %lx %lx %lx %lx\n", f->calls, a[0],
		           a[1], a[2], a[3], a[4], a[5], a[6]);
	r = traced_call(f, a);
	record(f, r.err);
#ifdef FUZZ_PROCESS
	if (r.err == SEL_OK && a[0] >= FUZZ_POOL_FIRST && a[0] < FUZZ_POOL_FIRST + MP_SHARED)
		f->shared_ok++;
#endif
	if (f->ftrace)
		read_back(f, a);
	/* Now and then take everything back: the trees grow again from nothing. */
	if (below(f, 4096) == 0) {
		const uint64_t all[7] = {ROOT, SEL_CNODE_REVOKE, FUZZ_SLOT_MEMORY, 0, 0, FULL, 0};
		record(f, traced_call(f, all).err);
	}
}

static void check(struct fuzz *f)
{
	struct sel_ret r =
	    sel_syscall(SEL_SYS_CALL, SEL_SLOT_DEBUG, SEL_DEBUG_CHECK_INVARIANTS, 0, 0, 0, 0, 0);
	if (r.err == SEL_OK && r.v[0] != 0)
		f->violations++;
}

static void fuzz_loop(struct fuzz *f)
{
	while (f->calls < f->limit) {
		fuzz_one(f);
		if (f->checker && f->calls % FUZZ_CHECK_EVERY == 0)
			check(f);
	}
}

struct fuzz_figures {
	uint64_t calls, violations, distinct;
	uint64_t results[FUZZ_RESULTS];
	uint64_t shared_ok, sends_ok; /* ROBUST_0003: see struct fuzz */
	int incomplete;               /* a helper did not finish */
};

#ifndef FUZZ_PROCESS
static void helper(uint64_t i)
{
	fuzz_loop(&fuzzers[i]);
	fuzzers[i].done = 1;
	sel_exit(0);
}

/*
 * Field `i` of the boot argument "fuzz=SEED,CALLS,THREADS,TRACE" (short:
 * the kernel keeps 127 bytes of boot arguments), or `dflt` when the
 * argument or the field is missing or empty.
 */
static uint64_t fuzz_arg(unsigned i, uint64_t dflt)
{
	const char *p = strstr(test_shared_page->bootargs, " fuzz=");
	uint64_t v = 0;

	if (!p)
		return dflt;
	for (p += strlen(" fuzz="); i > 0; p++, i--) {
		while (*p >= '0' && *p <= '9')
			p++;
		if (*p != ',')
			return dflt;
	}
	if (*p < '0' || *p > '9')
		return dflt;
	for (; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (uint64_t)(*p - '0');
	return v;
}

/* Empties the fuzzers' slots and takes their memory back. */
static void fuzz_clean(void)
{
	sel_cnode_revoke(ROOT, FUZZ_SLOT_MEMORY, FULL, 0);
	for (uint64_t s = FUZZ_POOL_FIRST; s < FUZZ_POOL_FIRST + FUZZ_THREADS * FUZZ_POOL_SLOTS;
	     s++)
		sel_cnode_delete(ROOT, s, FULL, 0);
	sel_untyped_reset(FUZZ_SLOT_MEMORY);
}

/*
 * fuzz-trace: the state a run starts from, every non-empty slot of the
 * fuzzer's CNode (its Untypeds with their base, size and watermark).
 */
static void trace_begin(uint64_t seed, uint64_t calls)
{
	sel_printf("FT begin %lx %lx\n", seed, calls);
	for (uint64_t s = 0; s < 256; s++) {
		struct sel_identity id;
		struct sel_untyped_info ui;
		if (sel_cnode_identify(ROOT, s, FULL, &id) != SEL_OK || id.type == SEL_OBJ_NULL)
			continue;
		sel_printf("FT slot %lx %lx %lx %lx %lx %lx\n", s, id.type, id.rights, id.badge,
		           id.size_bits, id.flags);
		if (id.type == SEL_OBJ_UNTYPED && sel_untyped_info(s, &ui) == SEL_OK)
			sel_printf("FT untyped %lx %lx %lx %lx %lx\n", s, ui.paddr, ui.size_bits,
			           ui.watermark, ui.device);
	}
}

/*
 * fuzz-trace: the state a run ends in, read as calls the model checks: every
 * slot of the fuzzer's CNode, and each Untyped's Info.
 */
static void trace_end(struct fuzz *f)
{
	for (uint64_t s = 0; s < 256; s++) {
		struct sel_identity id;
		const uint64_t info[7] = {s, SEL_UNTYPED_INFO, 0, 0, 0, 0, 0};
		if (fuzz_ident(f, s, &id) == SEL_OK && id.type == SEL_OBJ_UNTYPED)
			traced_call(f, info);
	}
	sel_printf("FT end %lx\n", f->calls);
}

/*
 * Sets up the fuzzers' memory (once per process) and runs `threads`
 * fuzzers of `calls` calls each from `seed`; the first runs here.
 */
static int fuzz_run(uint64_t seed, uint64_t calls, unsigned threads, struct fuzz_figures *out)
{
	uint32_t bits = test_shared_page->untyped_bits;
	struct sel_identity id;
	int err = SEL_OK;

	if (sel_cnode_identify(ROOT, FUZZ_SLOT_MEMORY, FULL, &id) == SEL_OK &&
	    id.type == SEL_OBJ_NULL) {
		err = sel_untyped_retype(TEST_SLOT_UNTYPED, SEL_OBJ_UNTYPED, bits - 1, ROOT,
		                         FUZZ_SLOT_MEMORY, 1);
		if (!err)
			err = sel_untyped_retype(TEST_SLOT_UNTYPED, SEL_OBJ_UNTYPED, bits - 2, ROOT,
			                         FUZZ_SLOT_HELPERS, 1);
		if (err)
			return err;
	}
	err = sel_tcb_set_priority(SEL_SLOT_TCB, SEL_SLOT_TCB, FUZZ_PRIORITY);
	if (err)
		return err;
	fuzz_clean();
	memset(out, 0, sizeof(*out));
	for (unsigned i = 0; i < threads; i++) {
		struct fuzz *f = &fuzzers[i];
		memset(f, 0, sizeof(*f));
		f->rng = (seed + 1) * 0x9e3779b97f4a7c15ull + i;
		f->limit = calls;
		f->first = FUZZ_POOL_FIRST + FUZZ_POOL_SLOTS * i;
		f->n = FUZZ_POOL_SLOTS;
		f->checker = i == 0;
		f->trace = i == 0 && fuzz_arg(3, 0);
		f->ftrace = threads == 1 && strstr(test_shared_page->bootargs, " fuzz-trace");
	}
	if (fuzzers[0].ftrace)
		trace_begin(seed, calls);
	uint64_t tcbs[FUZZ_THREADS] = {0};
	for (unsigned i = 1; i < threads; i++) {
		uint64_t tcb = FUZZ_SLOT_TCB0 + i - 1;
		uint64_t mark = slots_mark();
		sel_cnode_delete(ROOT, tcb, FULL, 0);
		err = thread_in_root(FUZZ_SLOT_HELPERS, helper, i, i, &tcbs[i]);
		if (!err)
			err = sel_cnode_move(ROOT, tcb, tcbs[i], FULL);
		slots_release(mark);
		tcbs[i] = tcb;
		if (!err)
			err = sel_tcb_set_affinity(tcb, i); /* fails on one hart: it stays */
		if (err == SEL_ERR_RANGE || err == SEL_ERR_INVALID_ARG)
			err = SEL_OK;
		if (!err)
			err = sel_tcb_set_priority(tcb, SEL_SLOT_TCB, FUZZ_PRIORITY);
		if (!err)
			err = sel_tcb_resume(tcb);
		if (err)
			return err;
	}
	fuzz_loop(&fuzzers[0]);
	if (fuzzers[0].ftrace)
		trace_end(&fuzzers[0]);
	check(&fuzzers[0]);
	for (unsigned i = 1; i < threads; i++) {
		struct sel_thread_info st;
		if (!wait_stopped(tcbs[i], &st, 2000000) || !fuzzers[i].done)
			out->incomplete = 1;
		sel_cnode_delete(ROOT, tcbs[i], FULL, 0);
	}
	sel_untyped_reset(FUZZ_SLOT_HELPERS);
	for (unsigned i = 0; i < threads; i++) {
		out->calls += fuzzers[i].calls;
		out->violations += fuzzers[i].violations;
		for (unsigned e = 0; e < FUZZ_RESULTS; e++)
			out->results[e] += fuzzers[i].results[e];
	}
	for (unsigned e = 0; e < FUZZ_RESULTS; e++)
		out->distinct += out->results[e] != 0;
	fuzz_clean();
	return SEL_OK;
}

#endif /* !FUZZ_PROCESS */

#ifdef FUZZ_PROCESS
/*
 * The fuzzer as a process of its own (ROBUST_0003 spawns several): one
 * fuzzing thread in its own address space and CSpace, with the caps the
 * spawning test shares among the processes in the first slots of its pool.
 * arg = seed << 40 | index << 32 | calls; the figures go to the index-th
 * entry of the page the test maps at MP_FIGURES_VA. Exits with 0, or 1
 * when the checker reported a violation.
 */
int main(uint64_t arg);

int main(uint64_t arg)
{
	struct fuzz *f = &fuzzers[0];
	uint64_t i = (arg >> 32) & 0xff;
	struct fuzz_figures *out = (struct fuzz_figures *)MP_FIGURES_VA + i;

	f->rng = ((arg >> 40) + 1) * 0x9e3779b97f4a7c15ull + 0x100 + i;
	f->limit = arg & 0xffffffffull;
	f->first = FUZZ_POOL_FIRST;
	f->n = FUZZ_POOL_SLOTS;
	f->checker = 1;
	fuzz_loop(f);
	check(f);
	out->calls = f->calls;
	out->violations = f->violations;
	out->shared_ok = f->shared_ok;
	out->sends_ok = f->sends_ok;
	for (unsigned e = 0; e < FUZZ_RESULTS; e++)
		out->results[e] = f->results[e];
	return f->violations ? 1 : 0;
}
#else
/* The results by name, as the figures print them (enum sel_error, then anything else). */
static const char *const result_names[FUZZ_RESULTS] = {"ok",
                                                       "invalid_cap",
                                                       "empty_slot",
                                                       "wrong_type",
                                                       "slot_occupied",
                                                       "no_rights",
                                                       "range",
                                                       "no_memory",
                                                       "invalid_arg",
                                                       "bad_address",
                                                       "illegal_op",
                                                       "badge_set",
                                                       "has_children",
                                                       "deleted",
                                                       "would_block",
                                                       "preempted",
                                                       "unknown_syscall",
                                                       "cancelled",
                                                       "not_supported",
                                                       "busy",
                                                       "peer_dead",
                                                       "peer_closed",
                                                       "transport",
                                                       "unknown_method",
                                                       "protocol",
                                                       "timeout",
                                                       "full",
                                                       "empty",
                                                       "no_page_table",
                                                       "already_mapped",
                                                       "no_reply",
                                                       "other"};

static void print_figures(const char *name, const struct fuzz_figures *g)
{
	sel_printf("ROBUST %s_calls %lu calls\n", name, g->calls);
	sel_printf("ROBUST %s_invariant_violations %lu count\n", name, g->violations);
	sel_printf("ROBUST %s_distinct_results %lu count\n", name, g->distinct);
	for (unsigned e = 0; e < FUZZ_RESULTS; e++)
		if (g->results[e])
			sel_printf("ROBUST %s_result_%s %lu calls\n", name, result_names[e],
			           g->results[e]);
}

TEST(ROBUST_0001, "the syscall fuzzer: fixed seeds on every hart, no violation, many results")
{
	uint64_t seed = fuzz_arg(0, 1), calls = fuzz_arg(1, 1000);
	unsigned seeds = fuzz_arg(0, 0) ? 1 : 3;
	struct fuzz_figures total = {0}, g;

	unsigned threads = (unsigned)fuzz_arg(2, FUZZ_THREADS);

	CHECK(t, threads >= 1 && threads <= FUZZ_THREADS);
	for (unsigned s = 0; s < seeds; s++) {
		CHECK_EQ(t, fuzz_run(seed + s, calls, threads, &g), SEL_OK);
		CHECK(t, !g.incomplete);
		sel_printf("fuzz seed %lu: %lu calls, %lu violations, %lu distinct results\n",
		           seed + s, g.calls, g.violations, g.distinct);
		total.calls += g.calls;
		total.violations += g.violations;
		for (unsigned e = 0; e < FUZZ_RESULTS; e++)
			total.results[e] += g.results[e];
	}
	for (unsigned e = 0; e < FUZZ_RESULTS; e++)
		total.distinct += total.results[e] != 0;
	print_figures("fuzz", &total);
	CHECK_EQ(t, total.violations, 0);
	CHECK(t, total.calls >= seeds * calls * threads);
	CHECK(t, total.results[SEL_OK] > total.calls / 50); /* it does build things */
	CHECK(t, total.distinct >= 10);                     /* and reaches many error paths */
}

TEST(ROBUST_0002, "one fuzzing thread replays its seed: two runs return each result as often")
{
	struct fuzz_figures a, b;

	CHECK_EQ(t, fuzz_run(42, 1000, 1, &a), SEL_OK);
	CHECK_EQ(t, fuzz_run(42, 1000, 1, &b), SEL_OK);
	for (unsigned e = 0; e < FUZZ_RESULTS; e++)
		CHECK_EQ(t, a.results[e], b.results[e]);
	CHECK(t, a.distinct >= 8);
}

/* The fuzzer in processes of its own (ROBUST_0003): what the processes share. */
extern const uint8_t embedded_robust_fuzzproc_start[], embedded_robust_fuzzproc_end[];
#define MP_PROCS 4
#define MP_SLOTS 40

/* Waits (yielding) until the thread stops or `secs` pass; 1 if it stopped. */
static int wait_stopped_for(uint64_t tcb, struct sel_thread_info *st, uint64_t secs)
{
	uint64_t end = sel_rdtime() + secs * test_shared_page->timebase_hz;

	while (sel_rdtime() < end) {
		if (sel_tcb_get_state(tcb, st) != SEL_OK)
			return 0;
		if (st->state == SEL_THREAD_INACTIVE)
			return 1;
		sel_yield();
	}
	return 0;
}

/*
 * One fuzzing process: built from the fuzzer's ELF with a budget of 512 KiB
 * (its memory to fuzz, 128 KiB, carved from it), the debug cap (Write and
 * Check), the figures page, and in its pool slots 40..44 the caps the
 * processes share: a window, its own user-interrupt receiver, a sender to
 * the next process's receiver, an endpoint and a notification.
 */
static int mp_spawn(const struct sel_spawner *sp, uint64_t shared[MP_SHARED], uint64_t figs,
                    unsigned i, struct sel_process *p)
{
	const struct sel_process_opts opts = {.slots = MP_SLOTS};
	const uint8_t *elf = embedded_robust_fuzzproc_start;
	size_t len = (size_t)(embedded_robust_fuzzproc_end - embedded_robust_fuzzproc_start);
	uint64_t budget;
	int err = untyped_new(19, &budget);

	if (err == SEL_OK) /* 40 of the test's slots each: four fit beside its own */
		err = sel_process_create_with(sp, budget, slots_new(MP_SLOTS), elf, len, &opts, p);
	if (err == SEL_OK)
		err = sel_process_give_untyped(sp, p, 17, FUZZ_SLOT_MEMORY);
	if (err == SEL_OK)
		err = sel_process_give(sp, p, SEL_SLOT_DEBUG, SEL_SLOT_DEBUG, SEL_RIGHTS_ALL);
	for (unsigned k = 0; k < MP_SHARED && err == SEL_OK; k++)
		err = sel_process_give(sp, p, shared[k], FUZZ_POOL_FIRST + k, SEL_RIGHTS_ALL);
	if (err == SEL_OK)
		err = sel_process_map(sp, p, figs, MP_FIGURES_VA, SEL_RIGHT_READ | SEL_RIGHT_WRITE);
	if (err == SEL_OK)
		err = sel_tcb_set_priority(p->tcb, SEL_SLOT_TCB, FUZZ_PRIORITY);
	if (err == SEL_OK && sel_tcb_set_affinity(p->tcb, i) != SEL_OK)
		err = sel_tcb_set_affinity(p->tcb, 0); /* fewer harts: they share hart 0 */
	return err;
}

/* Runs `procs` fuzzing processes of `calls` calls from `seed`, one per hart; sums into *out. */
static int mp_run(uint64_t seed, uint64_t calls, unsigned procs, struct fuzz_figures *out)
{
	struct sel_spawner sp = {ROOT, SEL_SLOT_VSPACE, REGION(12)};
	struct fuzz_figures *figs = (struct fuzz_figures *)REGION(13);
	struct sel_process p[MP_PROCS];
	uint64_t ut, frame, recv[MP_PROCS], shared[MP_SHARED];
	int err = untyped_new(20, &ut);

	if (err == SEL_OK)
		err = cover(ut, SEL_SLOT_VSPACE, REGION(12));
	if (err == SEL_OK)
		err = cover(ut, SEL_SLOT_VSPACE, REGION(13));
	if (err == SEL_OK)
		err = frame_at(ut, SEL_SLOT_VSPACE, REGION(13), SEL_RIGHT_READ | SEL_RIGHT_WRITE,
		               &frame);
	if (err == SEL_OK)
		err = sel_tcb_set_priority(SEL_SLOT_TCB, SEL_SLOT_TCB, FUZZ_PRIORITY);
	for (unsigned i = 0; i < procs && err == SEL_OK; i++)
		err = object_new(ut, SEL_OBJ_UINTR_RECEIVER, 0, &recv[i]);
	if (err == SEL_OK)
		err = object_new(ut, SEL_OBJ_WINDOW, 12, &shared[0]);
	if (err == SEL_OK)
		err = object_new(ut, SEL_OBJ_ENDPOINT, 0, &shared[3]);
	if (err == SEL_OK)
		err = object_new(ut, SEL_OBJ_NOTIFICATION, 0, &shared[4]);
	if (err == SEL_OK)
		memset(figs, 0, MP_PROCS * sizeof(*figs));
	for (unsigned i = 0; i < procs && err == SEL_OK; i++) {
		shared[1] = recv[i];
		shared[2] = slot_new();
		err = sel_uintr_create_sender(recv[(i + 1) % procs], i, ROOT, shared[2], FULL);
		if (err == SEL_OK)
			err = mp_spawn(&sp, shared, frame, i, &p[i]);
	}
	for (unsigned i = 0; i < procs && err == SEL_OK; i++)
		err = sel_process_start(&p[i], seed << 40 | (uint64_t)i << 32 | calls);
	memset(out, 0, sizeof(*out));
	for (unsigned i = 0; i < procs && err == SEL_OK; i++) {
		struct sel_thread_info st;
		if (!wait_stopped_for(p[i].tcb, &st, 500) || st.reason != SEL_STOP_EXITED ||
		    st.code != 0)
			out->incomplete = 1;
		out->calls += figs[i].calls;
		out->violations += figs[i].violations;
		out->shared_ok += figs[i].shared_ok;
		out->sends_ok += figs[i].sends_ok;
		for (unsigned e = 0; e < FUZZ_RESULTS; e++)
			out->results[e] += figs[i].results[e];
	}
	for (unsigned e = 0; e < FUZZ_RESULTS; e++)
		out->distinct += out->results[e] != 0;
	for (unsigned i = 0; i < procs && err == SEL_OK; i++)
		err = sel_process_destroy(&sp, &p[i]);
	if (err == SEL_OK)
		err = sel_cnode_revoke(ROOT, ut, FULL, 0);
	return err;
}

TEST(ROBUST_0003, "the fuzzer in four processes, one per hart, sharing a window, user interrupts")
{
	uint64_t seed = fuzz_arg(0, 11), calls = fuzz_arg(1, 1000);
	struct fuzz_figures g;

	CHECK_EQ(t, mp_run(seed, calls, MP_PROCS, &g), SEL_OK);
	print_figures("mpfuzz", &g);
	sel_printf("ROBUST mpfuzz_shared_ok %lu calls\n", g.shared_ok);
	sel_printf("ROBUST mpfuzz_uintr_sends_ok %lu calls\n", g.sends_ok);
	CHECK(t, !g.incomplete); /* every process exited with 0: no fault, no violation */
	CHECK_EQ(t, g.violations, 0);
	CHECK_EQ(t, g.calls, MP_PROCS * calls);
	CHECK(t, g.results[SEL_OK] > g.calls / 50);
	CHECK(t, g.distinct >= 10);
	CHECK(t, g.shared_ok > 0); /* the shared caps were used, not only held */
}
#endif /* FUZZ_PROCESS */
