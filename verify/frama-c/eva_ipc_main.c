/*
 * eva_ipc_main.c: the driver of the EVA run over synchronous IPC, windows
 * and the SPSC ring (run_eva.py --target ipc, test VERIFY_0104).
 *
 * The analysed code is the kernel's own: kernel/ipc/{queue,message,
 * endpoint,notification,fault,lease}.c, kernel/ipc/call.c, kernel/syscall/sys_{ipc,lease}.c (the IPC
 * syscalls and Call), kernel/object/window.c, kernel/object/objects.c
 * (invocation dispatch, lookup_cap and the capability hooks), every
 * kernel/cap/*.c, and libsel/src/ring.c. eva_ipc_stubs.c stands in for the
 * scheduler, trap reporting, user-interrupt delivery, page tables, user
 * memory and panic; stubs/ shadows the three headers with inline assembly.
 *
 * Setup builds, in static arrays and through the capability core as boot
 * does (cdt_insert_root, then Copy and Mint), four threads (TCB objects of
 * 2 KiB with their slots at 1024), a CSpace CNode of 32 slots shared by
 * all of them (cptr = slot index, depth 64), two endpoints, a
 * notification, an 8 KiB window with its peer slots, a VSpace, a UIntr
 * sender and two IPC-buffer frames. main() then runs ONE scenario, chosen
 * nondeterministically, from that state; each scenario makes a short
 * sequence of syscalls and kernel calls whose arguments are chosen among
 * valid and invalid values (cap addresses, rights, message infos, lengths,
 * addresses, sides), each choice a separate EVA state (split annotations),
 * so that a refused call is analysed on its own path and a successful one
 * goes on to the next step.
 *
 * Every scenario ends in a named `check` that states the expected outcome;
 * run_eva.py requires each of them to be reached and valid, so a scenario
 * cut short by an imprecision or a wrong setup makes the test fail rather
 * than pass with less coverage.
 */
#include "__fc_builtin.h"
#include "cap/cap.h"
#include "ipc/ipc.h"
#include "ipc/uintr.h"
#include "object/objects.h"
#include "object/window.h"
#include "arch/riscv/fast_entry.h"
#include "arch/riscv/kinfo.h"
#include "sched/scheduler.h"
#include "syscall/syscall.h"
#include <sel/ring.h>
#include <selene/invocation.h>
#include <selene/kinfo.h>
#include <selene/syscall.h>

/* ---- Objects ---- */

/* A TCB object: struct tcb, then CAP_TCB_SLOTS slots at CAP_TCB_SLOT_OFFSET. */
union tcb_object {
	struct tcb tcb;
	struct {
		uint8_t below[CAP_TCB_SLOT_OFFSET];
		struct cte slot[CAP_TCB_SLOTS];
	} s;
};

#define CSPACE_RADIX 5u
#define CSPACE_SLOTS (1u << CSPACE_RADIX)
#define WINDOW_BITS  13u

static union tcb_object tcb_obj[4] __attribute__((aligned(2048)));
static struct cte cspace[CSPACE_SLOTS] __attribute__((aligned(2048)));
static struct cte boot_slot; /* the CSpace CNode's original cap, as boot keeps it */
static struct endpoint eps[2] __attribute__((aligned(32)));
static struct notification ntfn __attribute__((aligned(32)));
static struct uintr_receiver urecv __attribute__((aligned(64)));
/* Two 4 KiB frames, separate objects: an access past one is not inside the other. */
static uint8_t frame0[4096] __attribute__((aligned(4096)));
static uint8_t frame1[4096] __attribute__((aligned(4096)));
static uint8_t vspace_memory[8192] __attribute__((aligned(8192)));
/* A window of 2^WINDOW_BITS bytes: the region, then its peer slots. */
static struct {
	uint8_t region[1u << WINDOW_BITS];
	struct cte peer[CAP_WINDOW_SLOTS];
} win __attribute__((aligned(16384)));

#define A (&tcb_obj[0].tcb) /* client, IPC buffer at offset 1024 of frame0 */
#define B (&tcb_obj[1].tcb) /* client without an IPC buffer; fault endpoint: EP1 */
#define S (&tcb_obj[2].tcb) /* server, IPC buffer at offset 3072 of frame1 */
#define F (&tcb_obj[3].tcb) /* has a fault endpoint (a badged copy of EP0) */

#define BUF_A ((struct sel_ipc_buffer *)&frame0[1024])
#define BUF_S ((struct sel_ipc_buffer *)&frame1[3072])

/* The CSpace: a cptr is a slot index (guard of 64 - radix zero bits). */
enum {
	C_CNODE = 0,   /* the CSpace CNode itself (receive CNode) */
	C_EP = 1,      /* EP0, all rights (original) */
	C_EP_WG = 2,   /* EP0, Write|Grant, badge BADGE_A */
	C_EP_W = 3,    /* EP0, Write, badge BADGE_B */
	C_EP_R = 4,    /* EP0, Read */
	C_NTFN = 5,    /* notification, all rights (original) */
	C_NTFN_W = 6,  /* notification, Write, badge BADGE_N */
	C_WIN = 7,     /* window, all rights (original) */
	C_WIN_R = 8,   /* window, Read (another side) */
	C_VS = 9,      /* VSpace, all rights */
	C_VS_R = 10,   /* VSpace, Read: no Write to map into */
	C_SENDER = 11, /* UIntr sender, vector SENDER_VECTOR */
	C_EP1 = 12,    /* EP1, all rights (original; revoked and deleted by a scenario) */
	C_FRAME0 = 13, /* frame0 (original) */
	C_FRAME1 = 14, /* frame1 (original) */
	C_RECV = 16,   /* 16..31 empty: receive slots */
	C_EMPTY = 31,
};
#define C_BAD 0x8000000000000001ull /* fails the guard */

#define BADGE_A       0x11u
#define BADGE_B       0x22u
#define BADGE_N       0x4u
#define BADGE_F       0x99u
#define SENDER_VECTOR 5u

static int setup_ok;

/*
 * Every split state of a scenario, and every return value of a callee
 * (-eva-split-return full), is kept apart: the slevel of a scenario is
 * above the number of states it creates, so that no join mixes a refused
 * call's state with a successful one.
 */
#define SCENARIO_SLEVEL 20000

static struct tcb *const threads[4] = {A, B, S, F};

static int insert(struct cte *slot, uint8_t type, void *object, uint8_t size_bits,
                  uint8_t guard_bits, uint64_t word0)
{
	struct cap c = {0};

	c.type = type;
	c.rights = SEL_RIGHTS_ALL;
	c.object = (uint64_t)(uintptr_t)object;
	c.size_bits = size_bits;
	c.guard_bits = guard_bits;
	c.word0 = word0;
	return cdt_insert_root(&kernel_cdt, slot, c) == SEL_OK;
}

static int setup(void)
{
	cdt_init(&kernel_cdt);
	if (!insert(&boot_slot, SEL_OBJ_CNODE, cspace, CSPACE_RADIX, 64 - CSPACE_RADIX, 0) ||
	    cdt_copy(&kernel_cdt, &boot_slot, &cspace[C_CNODE], SEL_RIGHTS_ALL) != SEL_OK ||
	    !insert(&cspace[C_EP], SEL_OBJ_ENDPOINT, &eps[0], 0, 0, 0) ||
	    !insert(&cspace[C_NTFN], SEL_OBJ_NOTIFICATION, &ntfn, 0, 0, 0) ||
	    !insert(&cspace[C_WIN], SEL_OBJ_WINDOW, &win, WINDOW_BITS, 0, 0) ||
	    !insert(&cspace[C_VS], SEL_OBJ_VSPACE, vspace_memory, 0, 0, 0) ||
	    !insert(&cspace[C_SENDER], SEL_OBJ_UINTR_SENDER, &urecv, 0, 0, SENDER_VECTOR) ||
	    !insert(&cspace[C_EP1], SEL_OBJ_ENDPOINT, &eps[1], 0, 0, 0) ||
	    !insert(&cspace[C_FRAME0], SEL_OBJ_FRAME, frame0, 12, 0, 0) ||
	    !insert(&cspace[C_FRAME1], SEL_OBJ_FRAME, frame1, 12, 0, 0))
		return 0;
	if (cdt_mint(&kernel_cdt, &cspace[C_EP], &cspace[C_EP_WG],
	             SEL_RIGHT_WRITE | SEL_RIGHT_GRANT, BADGE_A) != SEL_OK ||
	    cdt_mint(&kernel_cdt, &cspace[C_EP], &cspace[C_EP_W], SEL_RIGHT_WRITE, BADGE_B) !=
	        SEL_OK ||
	    cdt_copy(&kernel_cdt, &cspace[C_EP], &cspace[C_EP_R], SEL_RIGHT_READ) != SEL_OK ||
	    cdt_mint(&kernel_cdt, &cspace[C_NTFN], &cspace[C_NTFN_W], SEL_RIGHT_WRITE, BADGE_N) !=
	        SEL_OK ||
	    cdt_copy(&kernel_cdt, &cspace[C_WIN], &cspace[C_WIN_R], SEL_RIGHT_READ) != SEL_OK ||
	    cdt_copy(&kernel_cdt, &cspace[C_VS], &cspace[C_VS_R], SEL_RIGHT_READ) != SEL_OK)
		return 0;
	for (int i = 0; i < 4; i++) {
		struct tcb *t = threads[i];

		if (cdt_copy(&kernel_cdt, &boot_slot, tcb_slot(t, TCB_SLOT_CSPACE),
		             SEL_RIGHTS_ALL) != SEL_OK)
			return 0;
		t->state = TCB_RUNNING;
		t->priority = i == 2 ? 20 : 10;
	}
	if (cdt_copy(&kernel_cdt, &cspace[C_FRAME0], tcb_slot(A, TCB_SLOT_IPC_BUFFER),
	             SEL_RIGHTS_ALL) != SEL_OK ||
	    cdt_copy(&kernel_cdt, &cspace[C_FRAME1], tcb_slot(S, TCB_SLOT_IPC_BUFFER),
	             SEL_RIGHTS_ALL) != SEL_OK ||
	    cdt_mint(&kernel_cdt, &cspace[C_EP], tcb_slot(F, TCB_SLOT_FAULT_EP), SEL_RIGHTS_ALL,
	             BADGE_F) != SEL_OK ||
	    cdt_mint(&kernel_cdt, &cspace[C_EP1], tcb_slot(B, TCB_SLOT_FAULT_EP), SEL_RIGHTS_ALL,
	             BADGE_F) != SEL_OK)
		return 0;
	A->ipc_buffer = 0x10000400;
	S->ipc_buffer = 0x20000c00;
	/* The IPC buffers are user memory: any contents. */
	Frama_C_make_unknown((char *)frame0, sizeof(frame0));
	Frama_C_make_unknown((char *)frame1, sizeof(frame1));
	return 1;
}

/* ---- Arguments ---- */

/* Message infos, valid and not: each a separate state where it is chosen. */
static const uint64_t infos[] = {
    SEL_MSG_INFO(7, 0, 0),                                     /* 0: empty */
    SEL_MSG_INFO(7, 0, SEL_MSG_REG_WORDS),                     /* 1: registers only */
    SEL_MSG_INFO(7, 0, SEL_MSG_REG_WORDS + 1),                 /* 2: one word in the IPC buffer */
    SEL_MSG_INFO(7, 0, SEL_MSG_MAX_WORDS),                     /* 3: the longest */
    SEL_MSG_INFO(7, 1, 2),                                     /* 4: one cap */
    SEL_MSG_INFO(7, SEL_MSG_MAX_CAPS, 3),                      /* 5: three caps */
    SEL_MSG_INFO(7, 0, SEL_MSG_MAX_WORDS + 1),                 /* 6: too long */
    SEL_MSG_INFO(SEL_LABEL_KERNEL, 0, 1),                      /* 7: a kernel label */
    SEL_MSG_INFO(7, 0, 1) | SEL_MSG_RESERVED,                  /* 8: reserved bit */
    SEL_MSG_INFO(7, 0, 4) | SEL_MSG_LEASE,                     /* 9: a lease (Call only) */
    SEL_MSG_INFO(7, 0, 4) | SEL_MSG_LEASE_FWD,                 /* 10: a forwarded lease */
    SEL_MSG_INFO(7, 0, 4) | SEL_MSG_LEASE | SEL_MSG_LEASE_FWD, /* 11: both */
};
#define N_INFOS ((int)(sizeof(infos) / sizeof(infos[0])))

static void any_mrs(struct syscall_args *a)
{
	for (int i = 2; i < 7; i++)
		a->a[i] = Frama_C_unsigned_long_interval(0, UINT64_MAX);
}

static uint64_t any_word(void)
{
	return Frama_C_unsigned_long_interval(0, UINT64_MAX);
}

/* The caps a sender names and where a receiver takes them (user memory). */
static void set_send_caps(struct sel_ipc_buffer *b, uint64_t c0, uint64_t c1, uint64_t c2)
{
	b->send_caps[0] = c0;
	b->send_caps[1] = c1;
	b->send_caps[2] = c2;
}

static void set_recv_slots(struct sel_ipc_buffer *b, uint64_t cnode, uint64_t index, uint64_t depth)
{
	b->recv_cnode = cnode;
	b->recv_index = index;
	b->recv_depth = depth;
}

/* ---- Scenarios ---- */

/*
 * 1. Send, then Recv: a client sends (blocking or not) through one of
 * several caps with one of several messages; if it blocked, the server
 * receives it, with caps going into receive slots given by a valid or
 * invalid receive depth.
 */
static void sc_send_then_recv(void)
{
	static const uint64_t cptrs[] = {C_EP_WG, C_EP_W, C_EP_R, C_EP, C_EMPTY, C_CNODE, C_BAD};
	static const uint64_t depths[] = {64, 0, 65, 5};
	/* Receive slots: empty, occupied, beyond the CNode (fails the guard). */
	static const uint64_t indices[] = {C_RECV, C_EP_R, 40};
	struct syscall_args a = {0}, r = {0};
	int c = Frama_C_interval(0, 6);
	int k = Frama_C_interval(0, N_INFOS - 1);
	int block = Frama_C_interval(0, 1);
	int d = Frama_C_interval(0, 3), ix = Frama_C_interval(0, 2);
	int err;
	//@ slevel SCENARIO_SLEVEL;
	//@ split c;
	//@ split k;
	//@ split block;

	set_send_caps(BUF_A, C_FRAME0, C_EP_W, C_EMPTY);
	a.a[0] = cptrs[c];
	a.a[1] = infos[k];
	any_mrs(&a);
	err = block ? sys_send(A, &a) : sys_nb_send(A, &a);
	if (err != SYS_RESULT_WRITTEN) {
		//@ check send_refused: err != SEL_OK && eps[0].state == EP_IDLE && A->state == TCB_RUNNING;
		return;
	}
	//@ check send_blocked: eps[0].state == EP_SENDERS && eps[0].queue.head == A && A->state == TCB_BLOCKED_SEND;
	//@ split d;
	//@ split ix;
	set_recv_slots(BUF_S, C_CNODE, indices[ix], depths[d]);
	r.a[0] = C_EP;
	err = sys_recv(S, &r);
	//@ check send_recv_delivered: err == SYS_RESULT_WRITTEN && S->ctx.regs[REG_A0] == SEL_OK && A->state == TCB_READY && A->ctx.regs[REG_A0] == SEL_OK && eps[0].state == EP_IDLE && S->ctx.regs[REG_A7] == A->ipc_badge;
	//@ check send_recv_message: S->ctx.regs[REG_A0 + 1] == SEL_MSG_INFO(7, SEL_MSG_CAPS(S->ctx.regs[REG_A0 + 1]), SEL_MSG_LENGTH(infos[k])) && SEL_MSG_CAPS(S->ctx.regs[REG_A0 + 1]) <= SEL_MSG_CAPS(infos[k]) && (d != 0 || ix != 0 ==> SEL_MSG_CAPS(S->ctx.regs[REG_A0 + 1]) == 0);
	if (SEL_MSG_CAPS(S->ctx.regs[REG_A0 + 1]) != 0) {
		//@ check send_recv_cap: SEL_MSG_CAPS(S->ctx.regs[REG_A0 + 1]) == 1 && cspace[C_RECV].cap.type == SEL_OBJ_FRAME && cspace[C_RECV].cap.object == cspace[C_FRAME0].cap.object && cspace[C_RECV].cap.rights == SEL_RIGHTS_ALL;
	}
}

/*
 * 2. Recv, then Send or Call: the server waits first; a client sends or
 * calls, and after a Call the server replies, replies and waits, reads or
 * writes the lease, receives again (the reply is dropped), or one of the
 * two stops.
 */
static void sc_recv_then_call(void)
{
	static const uint64_t rcptrs[] = {C_EP, C_EP_R, C_EP_W, C_NTFN_W};
	static const uint64_t ccptrs[] = {C_EP_WG, C_EP_W, C_EP, C_EP_R};
	struct syscall_args a = {0}, r = {0}, rep = {0};
	int rc = Frama_C_interval(0, 3);
	int rblock = Frama_C_interval(0, 1);
	int cc = Frama_C_interval(0, 3);
	int call = Frama_C_interval(0, 1);
	int k = Frama_C_interval(0, N_INFOS - 1);
	int next = Frama_C_interval(0, 6);
	int rk = Frama_C_interval(0, N_INFOS - 1);
	/* Lease access lengths: none, part of a chunk, a chunk, more, several. */
	static const uint64_t lens[] = {0, 1, 256, 257, 3 * 256 + 1};
	int li = Frama_C_interval(0, 4);
	int err;
	//@ slevel SCENARIO_SLEVEL;
	//@ split rc;
	//@ split rblock;

	set_recv_slots(BUF_S, C_CNODE, C_RECV + 2, 64);
	r.a[0] = rcptrs[rc];
	err = rblock ? sys_recv(S, &r) : sys_nb_recv(S, &r);
	if (err != SYS_RESULT_WRITTEN) {
		//@ check recv_refused: err != SEL_OK && eps[0].state == EP_IDLE && S->state == TCB_RUNNING;
		return;
	}
	//@ check recv_blocked: eps[0].state == EP_RECEIVERS && eps[0].queue.head == S && S->state == TCB_BLOCKED_RECV;
	//@ split cc;
	//@ split call;
	//@ split k;
	set_send_caps(BUF_A, C_SENDER, C_FRAME0, C_WIN_R);
	a.a[0] = ccptrs[cc];
	a.a[1] = infos[k];
	any_mrs(&a);
	if (k == 9) { /* a lease that may be well formed: base, length | rights */
		a.a[2 + 2] = Frama_C_unsigned_long_interval(0, SEL_USER_VADDR_END);
		a.a[2 + 3] = Frama_C_unsigned_long_interval(0, SEL_LEASE_MAX + 1) |
		             (uint64_t)Frama_C_interval(0, 3) << SEL_LEASE_RIGHTS_SHIFT;
	}
	if (call) {
		a.a[1] = infos[k];
		err = invocation_call(A, &a);
	} else {
		err = sys_send(A, &a);
	}
	if (err != SYS_RESULT_WRITTEN) {
		//@ check call_refused: err != SEL_OK && S->state == TCB_BLOCKED_RECV && A->state == TCB_RUNNING;
		return;
	}
	if (!call) {
		//@ check send_delivered: S->state == TCB_READY && A->state == TCB_RUNNING && A->ctx.regs[REG_A0] == SEL_OK && S->ctx.regs[REG_A0] == SEL_OK;
		return;
	}
	//@ check call_delivered: S->state == TCB_READY && A->state == TCB_BLOCKED_REPLY && S->reply_to == A && A->replier == S;
	S->state = TCB_RUNNING;
	//@ split next;
	//@ split rk;
	rep.a[1] = infos[rk];
	any_mrs(&rep);
	set_send_caps(BUF_S, C_NTFN_W, C_EMPTY, C_EMPTY);
	set_recv_slots(BUF_A, C_CNODE, C_RECV + 4, 64);
	switch (next) {
	case 0:
		err = sys_reply(S, &rep);
		if (err == SEL_OK) {
			//@ check replied: A->state == TCB_READY && S->reply_to == \null && A->replier == \null;
		} else {
			//@ check reply_refused: A->state == TCB_BLOCKED_REPLY && S->reply_to == A;
		}
		break;
	case 1:
		rep.a[0] = C_EP;
		err = sys_reply_recv(S, &rep);
		if (err == SYS_RESULT_WRITTEN) {
			//@ check reply_recv: A->state == TCB_READY && S->state == TCB_BLOCKED_RECV && eps[0].queue.head == S;
		} else {
			//@ check reply_recv_refused: A->state == TCB_BLOCKED_REPLY && S->reply_to == A;
		}
		break;
	case 2:
		rep.a[0] = any_word();
		rep.a[1] = any_word();
		//@ split li;
		rep.a[2] = lens[li];
		err = sys_lease_read(S, &rep);
		//@ check lease_read: A->state == TCB_BLOCKED_REPLY && S->reply_to == A;
		break;
	case 3:
		rep.a[0] = any_word();
		rep.a[1] = any_word();
		//@ split li;
		rep.a[2] = lens[li];
		err = sys_lease_write(S, &rep);
		//@ check lease_write: A->state == TCB_BLOCKED_REPLY && S->reply_to == A;
		break;
	case 4:
		rep.a[0] = C_EP;
		err = sys_recv(S, &rep);
		//@ check reply_dropped: A->state == TCB_READY && A->ctx.regs[REG_A0] == SEL_ERR_PEER_DEAD && S->reply_to == \null;
		break;
	case 5:
		sched_stop(A, SEL_STOP_SUSPENDED, 0);
		err = sys_reply(S, &rep);
		//@ check caller_gone: A->state == TCB_INACTIVE && (err == SEL_ERR_NO_REPLY || err == SEL_ERR_INVALID_ARG);
		break;
	default:
		sched_stop(S, SEL_STOP_EXITED, 1);
		//@ check server_gone: A->state == TCB_READY && A->ctx.regs[REG_A0] == SEL_ERR_PEER_DEAD && S->state == TCB_INACTIVE;
		break;
	}
}

/*
 * 3. Notifications: wait then signal, signal then wait or poll, a bound
 * thread signalled while it waits on an endpoint or before it receives, and
 * deletion of the notification under a waiter.
 */
static void sc_notification(void)
{
	static const uint64_t wcptrs[] = {C_NTFN, C_NTFN_W, C_EMPTY};
	static const uint64_t scptrs[] = {C_NTFN_W, C_NTFN, C_EP_R};
	static const uint64_t sbadges[] = {BADGE_N, 0, 0}; /* the signalling caps' badges */
	struct syscall_args w = {0}, s = {0};
	int wc = Frama_C_interval(0, 2);
	int sc = Frama_C_interval(0, 2);
	int order = Frama_C_interval(0, 4);
	int block = Frama_C_interval(0, 1);
	int err, err2;
	//@ slevel SCENARIO_SLEVEL;
	//@ split wc;
	//@ split sc;
	//@ split order;
	//@ split block;

	w.a[0] = wcptrs[wc];
	s.a[0] = scptrs[sc];
	s.a[1] = SEL_MSG_INFO(1, 0, 0);
	switch (order) {
	case 0: /* wait, then signal */
		err = block ? sys_recv(B, &w) : sys_nb_recv(B, &w);
		if (err != SYS_RESULT_WRITTEN || !block)
			break;
		//@ check ntfn_waiting: B->state == TCB_BLOCKED_NTFN && ntfn.waiters.head == B;
		err2 = sys_send(A, &s);
		if (err2 != SEL_OK)
			break;
		//@ check ntfn_woken: B->state == TCB_READY && B->ctx.regs[REG_A0] == SEL_OK && B->ctx.regs[REG_A7] == sbadges[sc] && ntfn.word == 0 && ntfn.waiters.head == \null;
		break;
	case 1: /* signal, then wait or poll */
		err2 = sys_send(A, &s);
		if (err2 != SEL_OK)
			break;
		err = block ? sys_recv(B, &w) : sys_nb_recv(B, &w);
		if (err == SYS_RESULT_WRITTEN) {
			/* even a signal through the unbadged cap is not lost */
			//@ check ntfn_taken: ntfn.word == 0 && ntfn.active == 0 && B->state == TCB_RUNNING && B->ctx.regs[REG_A7] == sbadges[sc];
		}
		break;
	case 2: /* bound to S, which waits on EP0, then a signal */
		if (ntfn_bind(S, &ntfn) != SEL_OK)
			break;
		w.a[0] = C_EP;
		if (sys_recv(S, &w) != SYS_RESULT_WRITTEN || S->state != TCB_BLOCKED_RECV)
			break;
		err2 = sys_send(A, &s);
		if (err2 == SEL_OK) {
			//@ check bound_woken: S->state == TCB_READY && eps[0].state == EP_IDLE && S->ctx.regs[REG_A7] == sbadges[sc] && S->ctx.regs[REG_A0 + 1] == SEL_MSG_INFO(SEL_LABEL_NOTIFICATION, 0, 0);
		}
		ntfn_unbind(S);
		//@ check unbound: S->bound == \null && ntfn.bound == \null;
		break;
	case 3: /* a signal, then the bound thread receives */
		err2 = sys_send(A, &s);
		if (ntfn_bind(S, &ntfn) != SEL_OK)
			break;
		w.a[0] = C_EP;
		err = sys_recv(S, &w);
		if (err2 == SEL_OK) {
			//@ check bound_taken: err == SYS_RESULT_WRITTEN && S->state == TCB_RUNNING && ntfn.word == 0 && ntfn.active == 0 && S->ctx.regs[REG_A7] == sbadges[sc] && S->ctx.regs[REG_A0 + 1] == SEL_MSG_INFO(SEL_LABEL_NOTIFICATION, 0, 0);
		}
		break;
	default: /* a waiter, a bound thread, then the notification is deleted */
		if (sys_recv(B, &w) != SYS_RESULT_WRITTEN || B->state != TCB_BLOCKED_NTFN)
			break;
		(void)ntfn_bind(S, &ntfn);
		while ((err = cdt_revoke(&kernel_cdt, &cspace[C_NTFN])) == SEL_ERR_PREEMPTED)
			;
		if (err != SEL_OK)
			break;
		while ((err = cdt_delete(&kernel_cdt, &cspace[C_NTFN])) == SEL_ERR_PREEMPTED)
			;
		//@ check ntfn_deleted: err == SEL_OK && B->state == TCB_READY && B->ctx.regs[REG_A0] == SEL_ERR_DELETED && S->bound == \null && cspace[C_NTFN].cap.type == SEL_OBJ_NULL;
		break;
	}
}

/*
 * 4. Faults and exits: F faults (an exception or an unknown syscall) or
 * exits, with its fault endpoint's receiver waiting or not; the server
 * receives the fault message and replies resume or stop.
 */
static void sc_fault(void)
{
	struct syscall_args r = {0}, rep = {0};
	int kind = Frama_C_interval(0, 2);
	int recv_first = Frama_C_interval(0, 1);
	int stop = Frama_C_interval(0, 1);
	bool sent;
	//@ slevel SCENARIO_SLEVEL;
	//@ split kind;
	//@ split recv_first;
	//@ split stop;

	sent = fault_send(A, 12, 0, 0); /* A has no fault endpoint */
	//@ check no_fault_ep: !sent && A->state == TCB_RUNNING;
	set_recv_slots(BUF_S, C_CNODE, C_RECV, 0);
	r.a[0] = C_EP;
	if (recv_first && sys_recv(S, &r) != SYS_RESULT_WRITTEN)
		return;
	F->ctx.pc = Frama_C_unsigned_long_interval(4, SEL_USER_VADDR_END);
	if (kind == 2)
		sent = exit_send(F, any_word());
	else
		sent = fault_send(F, any_word(), any_word(), kind ? IPC_FAULT_SYSCALL : 0);
	if (!sent)
		return;
	if (!recv_first) {
		//@ check fault_queued: F->state == TCB_BLOCKED_SEND && eps[0].queue.head == F;
		if (sys_recv(S, &r) != SYS_RESULT_WRITTEN)
			return;
	}
	if (kind == 2) {
		//@ check exit_delivered: F->state == TCB_INACTIVE && F->stop_reason == SEL_STOP_EXITED && S->ctx.regs[REG_A7] == BADGE_F;
		return;
	}
	//@ check fault_delivered: F->state == TCB_BLOCKED_REPLY && S->reply_to == F && S->ctx.regs[REG_A7] == BADGE_F && S->ctx.regs[REG_A0 + 1] == SEL_MSG_INFO(SEL_LABEL_FAULT, 0, 3);
	S->state = TCB_RUNNING;
	rep.a[1] = SEL_MSG_INFO(stop ? SEL_FAULT_REPLY_STOP : 0, 0, 0);
	if (sys_reply(S, &rep) != SEL_OK)
		return;
	//@ check fault_replied: stop ? F->state == TCB_INACTIVE && F->stop_reason == SEL_STOP_FAULTED : F->state == TCB_READY;
}

/*
 * 5. Deletion and cancellation: threads queued on EP1 or EP0 when EP1 is
 * deleted, a badge's queued sends are cancelled, a queued thread's
 * priority changes, a thread is cancelled in every blocked state.
 */
/* Revoke EP1's original (B's fault endpoint is its child), then delete it. */
static int delete_ep1(void)
{
	int err;

	while ((err = cdt_revoke(&kernel_cdt, &cspace[C_EP1])) == SEL_ERR_PREEMPTED)
		;
	if (err != SEL_OK)
		return err;
	while ((err = cdt_delete(&kernel_cdt, &cspace[C_EP1])) == SEL_ERR_PREEMPTED)
		;
	return err;
}

static void sc_delete_cancel(void)
{
	struct syscall_args a = {0}, b = {0}, r = {0};
	int what = Frama_C_interval(0, 6);
	int err;
	//@ slevel SCENARIO_SLEVEL;
	//@ split what;

	a.a[1] = SEL_MSG_INFO(3, 0, 2);
	any_mrs(&a);
	b.a[1] = SEL_MSG_INFO(4, 0, 1);
	any_mrs(&b);
	switch (what) {
	case 0: /* A waits to send on EP1, which is revoked and deleted */
		a.a[0] = C_EP1;
		if (sys_send(A, &a) != SYS_RESULT_WRITTEN)
			return;
		err = delete_ep1();
		//@ check ep_deleted: err == SEL_OK && A->state == TCB_READY && A->ctx.regs[REG_A0] == SEL_ERR_DELETED && eps[1].state == EP_IDLE && eps[1].queue.head == \null;
		a.a[0] = C_EP1;
		err = sys_send(A, &a);
		//@ check send_to_deleted: err == SEL_ERR_EMPTY_SLOT;
		return;
	case 1: /* B waits to receive on EP1, which is deleted */
		r.a[0] = C_EP1;
		if (sys_recv(B, &r) != SYS_RESULT_WRITTEN)
			return;
		err = delete_ep1();
		//@ check recv_deleted: err == SEL_OK && B->state == TCB_READY && B->ctx.regs[REG_A0] == SEL_ERR_DELETED;
		return;
	case 6: /* B's fault waits on EP1 (its fault endpoint), which is deleted */
		B->ctx.pc = 0x1000;
		if (!fault_send(B, 13, 0x40, 0) || B->state != TCB_BLOCKED_SEND)
			return;
		err = delete_ep1();
		//@ check fault_ep_deleted: err == SEL_OK && B->state == TCB_INACTIVE && B->stop_reason == SEL_STOP_FAULTED && B->stop_code == 13 && B->fault_addr == 0x40;
		return;
	case 2: /* A and B queued on EP0 with two badges; A's badge is cancelled */
		a.a[0] = C_EP_WG;
		b.a[0] = C_EP_W;
		if (sys_send(A, &a) != SYS_RESULT_WRITTEN || sys_send(B, &b) != SYS_RESULT_WRITTEN)
			return;
		ep_cancel_badged_sends(&eps[0], BADGE_A);
		//@ check badge_cancelled: A->state == TCB_READY && A->ctx.regs[REG_A0] == SEL_ERR_CANCELLED && B->state == TCB_BLOCKED_SEND && eps[0].queue.head == B && eps[0].state == EP_SENDERS;
		return;
	case 3: /* A and B queued on EP0; B's priority rises above A's */
		a.a[0] = C_EP_WG;
		b.a[0] = C_EP_W;
		if (sys_send(A, &a) != SYS_RESULT_WRITTEN || sys_send(B, &b) != SYS_RESULT_WRITTEN)
			return;
		B->priority = 30;
		ipc_requeue(B);
		//@ check requeued: eps[0].queue.head == B && eps[0].queue.tail == A && B->ipc_next == A;
		ipc_cancel(A);
		//@ check cancelled_send: A->ctx.regs[REG_A0] == SEL_ERR_CANCELLED && A->blocked_on == \null && eps[0].queue.head == B && eps[0].queue.tail == B;
		return;
	case 4: /* a thread cancelled while it waits on a notification */
		r.a[0] = C_NTFN;
		if (sys_recv(B, &r) != SYS_RESULT_WRITTEN)
			return;
		B->priority = 40;
		ipc_requeue(B);
		ipc_cancel(B);
		//@ check cancelled_ntfn: B->ctx.regs[REG_A0] == SEL_ERR_CANCELLED && ntfn.waiters.head == \null;
		return;
	default: /* a thread cancelled in UIntr wait */
		B->uintr = &urecv;
		urecv.sleeping = 1;
		B->state = TCB_BLOCKED_UINTR;
		ipc_cancel(B);
		//@ check cancelled_uintr: urecv.sleeping == 0 && B->ctx.regs[REG_A0] == SEL_ERR_CANCELLED;
		return;
	}
}

/*
 * 6. Windows: Unmap, SetPeer, Info and an unknown label on the full and
 * the read-only cap; Map with valid and invalid VSpaces, addresses, rights,
 * lengths and sides (a page table may be missing or the address taken at
 * any page); then a second step on the mapped window, after a peer sender
 * has been set in slot 1: unmap (the peers are told), Info, a second Map,
 * deletion of the mapped cap, clearing the peer and revoking the window, a
 * refused SetPeer, deletion of the last window cap (its peer slots emptied
 * by the reaper), or the other side maps too.
 */
static void sc_window(void)
{
	static const uint64_t labels[] = {SEL_WINDOW_MAP, SEL_WINDOW_UNMAP, SEL_WINDOW_SET_PEER,
	                                  SEL_WINDOW_INFO, 99};
	static const uint64_t wcptrs[] = {C_WIN, C_WIN_R};
	static const uint64_t vcptrs[] = {C_VS, C_VS_R, C_EMPTY, C_EP};
	static const uint64_t vas[] = {0x400000, 0x400800, SEL_USER_MAP_END - 0x1000,
	                               SEL_USER_MAP_END};
	static const uint64_t rights[] = {SEL_RIGHT_READ, SEL_RIGHT_READ | SEL_RIGHT_WRITE,
	                                  SEL_RIGHT_READ | SEL_RIGHT_EXECUTE, 0, 0x20};
	/* all (two pages), one page, beyond the window, not page-aligned */
	static const uint64_t lens[] = {0, 0x1000, 0x4000, 0x800};
	struct syscall_args a = {0}, p = {0}, m = {0};
	int wc = Frama_C_interval(0, 1), l = Frama_C_interval(0, 4);
	int vc = Frama_C_interval(0, 3), r = Frama_C_interval(0, 4), side = Frama_C_interval(0, 4);
	int next = Frama_C_interval(0, 7), ps = Frama_C_interval(0, 5);
	int err;
	//@ slevel SCENARIO_SLEVEL;
	//@ split wc;
	//@ split l;

	a.a[0] = wcptrs[wc];
	a.a[1] = labels[l];
	if (l != 0) {
		/* a peer slot for SetPeer; the other methods take no arguments */
		a.a[2] = l == 2 ? (uint64_t)Frama_C_interval(0, 5) : 0;
		a.a[3] = 0;
		err = invocation_call(A, &a);
		//@ check window_other_labels: (wc == 1 && (l == 1 || l == 2) ==> err == SEL_ERR_NO_RIGHTS) && (l == 4 ==> err == SEL_ERR_ILLEGAL_OP) && (l == 3 ==> err == SEL_OK && a.out[1] == 1u << WINDOW_BITS && a.out[2] == 0 && a.out[3] == 0) && (wc == 0 && l == 1 ==> err == SEL_OK);
		return;
	}
	//@ split vc;
	//@ split r;
	//@ split side;
	a.a[2] = vcptrs[vc];
	a.a[3] = vas[Frama_C_interval(0, 3)];
	a.a[4] = rights[r];
	a.a[5] = lens[Frama_C_interval(0, 3)];
	a.a[6] = (uint64_t)side;
	err = invocation_call(A, &a);
	if (err != SEL_OK) {
		//@ check map_refused: (cspace[a.a[0]].cap.word0 & 1) == 0;
		return;
	}
	//@ check window_mapped: vc == 0 && side < 4 && (r <= 1 || (r == 2 && wc == 0)) && (cspace[a.a[0]].cap.word0 & 1) == 1;
	//@ split next;
	/* Side 1's peer sender first, so that an unmap of another side tells it. */
	p.a[0] = C_WIN;
	p.a[1] = SEL_WINDOW_SET_PEER;
	p.a[2] = 1;
	p.a[3] = C_SENDER;
	err = invocation_call(A, &p);
	//@ check peer_set: err == SEL_OK && win.peer[1].cap.type == SEL_OBJ_UINTR_SENDER;
	m.a[0] = a.a[0];
	switch (next) {
	case 0:
		m.a[1] = SEL_WINDOW_UNMAP;
		err = invocation_call(A, &m);
		if (wc == 0) {
			//@ check window_unmapped: err == SEL_OK && cspace[C_WIN].cap.word0 == 0 && urecv.pending == (side != 1 ? 1u << SENDER_VECTOR : 0);
		} else {
			//@ check window_unmap_refused: err == SEL_ERR_NO_RIGHTS && (cspace[C_WIN_R].cap.word0 & 1) == 1;
		}
		break;
	case 1:
		m.a[1] = SEL_WINDOW_INFO;
		err = invocation_call(A, &m);
		//@ check window_info: err == SEL_OK && m.out[1] == 1u << WINDOW_BITS && (m.out[2] == 0x400000 || m.out[2] == SEL_USER_MAP_END - 0x1000) && m.out[3] == side;
		break;
	case 2:
		m.a[1] = SEL_WINDOW_MAP;
		m.a[2] = C_VS;
		m.a[3] = 0x800000;
		m.a[4] = SEL_RIGHT_READ;
		err = invocation_call(A, &m);
		//@ check window_remap: err == SEL_ERR_ALREADY_MAPPED;
		break;
	case 3:
		while ((err = cdt_delete(&kernel_cdt, &cspace[a.a[0]])) == SEL_ERR_PREEMPTED)
			;
		//@ check window_cap_deleted: err == SEL_OK && cspace[a.a[0]].cap.type == SEL_OBJ_NULL;
		break;
	case 4: /* the peer slot is emptied again, then the window revoked */
		p.a[3] = 0;
		err = invocation_call(A, &p);
		//@ check peer_cleared: err == SEL_OK && win.peer[1].cap.type == SEL_OBJ_NULL;
		while ((err = cdt_revoke(&kernel_cdt, &cspace[C_WIN])) == SEL_ERR_PREEMPTED)
			;
		//@ check window_revoked: err == SEL_OK && cspace[C_WIN_R].cap.type == SEL_OBJ_NULL;
		break;
	case 5: /* SetPeer with an endpoint cap (checked first), at any slot index */
		//@ split ps;
		p.a[2] = (uint64_t)ps;
		p.a[3] = C_EP;
		err = invocation_call(A, &p);
		//@ check peer_refused: err == SEL_ERR_WRONG_TYPE && win.peer[1].cap.type == SEL_OBJ_UINTR_SENDER;
		break;
	case 6: /* the last cap goes: the window's slots are emptied by the reaper */
		while ((err = cdt_revoke(&kernel_cdt, &cspace[C_WIN])) == SEL_ERR_PREEMPTED)
			;
		if (err != SEL_OK)
			break;
		while ((err = cdt_delete(&kernel_cdt, &cspace[C_WIN])) == SEL_ERR_PREEMPTED)
			;
		//@ check window_destroyed: err == SEL_OK && cspace[C_WIN].cap.type == SEL_OBJ_NULL && cspace[C_WIN_R].cap.type == SEL_OBJ_NULL && win.peer[1].cap.type == SEL_OBJ_NULL && kernel_cdt.dying == \null && urecv.pending == (side != 1 ? 1u << SENDER_VECTOR : 0);
		break;
	default: /* the other side maps too, then this one unmaps */
		m.a[0] = wc == 0 ? C_WIN_R : C_WIN;
		m.a[1] = SEL_WINDOW_MAP;
		m.a[2] = C_VS;
		m.a[3] = 0x800000;
		m.a[4] = SEL_RIGHT_READ;
		m.a[6] = 2;
		err = invocation_call(A, &m);
		if (err != SEL_OK)
			break;
		m = (struct syscall_args){.a = {C_WIN, SEL_WINDOW_UNMAP}};
		err = invocation_call(A, &m);
		//@ check both_sides: err == SEL_OK && cspace[C_WIN].cap.word0 == 0;
		break;
	}
}

/*
 * 7. The SPSC ring in the window: attach with valid and invalid depths and
 * bases, push until full, publish, pop, count, wait. The header is
 * volatile: EVA reads any value from it, i.e. whatever the peer may have
 * written there, so the slot accesses are checked against a hostile peer.
 */
static void sc_ring(void)
{
	static const uint64_t depths[] = {4, 8, 1, 0, 3};
	struct sel_ring prod, cons;
	uint8_t msg[SEL_RING_SLOT], out[SEL_RING_SLOT];
	static volatile uint64_t closed;
	int d = Frama_C_interval(0, 4);
	int off = Frama_C_interval(0, 1);
	int pushed = 0, err, e2;
	//@ slevel SCENARIO_SLEVEL;
	//@ split d;
	//@ split off;

	Frama_C_make_unknown((char *)msg, sizeof(msg));
	err = sel_ring_attach(&prod, win.region + (off ? 32 : 0), depths[d],
	                      Frama_C_interval(-1, 3), 1);
	/*
	 * EVA does not know the address of win, so the alignment test on the
	 * base gives both outcomes: only the depth check is decided.
	 */
	if (err != SEL_OK) {
		//@ check ring_refused: err == SEL_ERR_INVALID_ARG;
		return;
	}
	//@ check ring_depth_checked: d <= 2;
	e2 = sel_ring_attach(&cons, win.region, depths[d], -1, 0);
	if (e2 != SEL_OK)
		return;
	cons.closed = &closed;
	for (int i = 0; i < 10; i++) {
		if (sel_ring_push(&prod, msg) != SEL_OK)
			break;
		pushed++;
	}
	sel_ring_publish(&prod);
	(void)sel_ring_count(&cons);
	err = sel_ring_pop(&cons, out);
	if (err != SEL_OK)
		err = sel_ring_wait(&cons);
	//@ check ring_used: prod.depth == cons.depth && cons.hdr == (struct sel_ring_header *)win.region && 0 <= pushed <= 10;
}

#ifdef EVA_KNOWN_BUGS
/*
 * Not part of VERIFY_0104 (run_eva.py --target ipc --define EVA_KNOWN_BUGS
 * shows them; README.md, "Findings"): two states the analysed code trusts
 * and object/tcb.c (not analysed) lets user space create.
 *
 * Scenario 7. TCB Configure with a zero frame cptr (tcb.c, configure())
 * skips the alignment check of the IPC-buffer address but still stores it,
 * and keeps the Frame cap already in the IPC-buffer slot: the buffer may
 * then start anywhere in the frame, up to its last byte, and the kernel
 * reads and writes the struct sel_ipc_buffer past the frame's end.
 */
static void sc_bug_unaligned_buffer(void)
{
	struct syscall_args a = {0}, r = {0};
	//@ slevel SCENARIO_SLEVEL;
	A->ipc_buffer = any_word(); /* Configure(a4 = 0, a5 = any) after a configured frame */
	set_send_caps(BUF_A, C_FRAME0, C_EMPTY, C_EMPTY);
	r.a[0] = C_EP;
	if (sys_recv(S, &r) != SYS_RESULT_WRITTEN)
		return;
	a.a[0] = C_EP_WG;
	a.a[1] = SEL_MSG_INFO(7, 1, SEL_MSG_MAX_WORDS);
	any_mrs(&a);
	(void)sys_send(A, &a);
}

/*
 * Scenario 8. TCB WriteRegisters on a thread blocked in Send (tcb.c,
 * registers(): only a RUNNING thread is refused) rewrites the message it
 * waits with after ipc_check_message() accepted it; ep_recv() delivers the
 * saved registers as they are: a length above SEL_MSG_MAX_WORDS (whose
 * copy overwrites the receiver's receive-slot fields), a kernel label (a
 * forged fault or exit message), the reserved bit.
 */
static void sc_bug_rewritten_message(void)
{
	struct syscall_args a = {0}, r = {0};
	//@ slevel SCENARIO_SLEVEL;
	a.a[0] = C_EP_WG;
	a.a[1] = SEL_MSG_INFO(7, 0, 2);
	any_mrs(&a);
	if (sys_send(A, &a) != SYS_RESULT_WRITTEN)
		return;
	A->ctx.regs[REG_A0 + 1] = any_word(); /* WriteRegisters by A's TCB holder */
	set_recv_slots(BUF_S, C_CNODE, C_RECV, 0);
	r.a[0] = C_EP;
	(void)sys_recv(S, &r);
	//@ check known_bug_message_checked: SEL_MSG_LENGTH(S->ctx.regs[REG_A0 + 1]) <= SEL_MSG_MAX_WORDS && SEL_MSG_LABEL(S->ctx.regs[REG_A0 + 1]) < SEL_LABEL_KERNEL;
}
#endif

/*
 * 8. The fast paths' C halves (ipc/fastpath.c) as arch/riscv/fast_entry.S
 * calls them, with one or more harts online (harts_online is volatile: any
 * value at each read): Call with a receiver waiting or not, ReplyRecv
 * answering a Call, Signal and Poll, a Signal that wakes a waiter of
 * higher priority (fastpath_ntfn_slow's direct switch), and the fall-backs
 * into the generic path (fastpath_slow; syscall_locked() and
 * arch_return_to_user() are stubs that do not return). The cached top
 * priority of the hart is nothing, below, equal to or above the thread
 * switched to.
 */
static void sc_fastpath(void)
{
	static const uint64_t cptrs[] = {C_EP_WG,  C_EP_W, C_EP,    C_EP_R,
	                                 C_NTFN_W, C_NTFN, C_EMPTY, C_BAD};
	static const uint64_t tops[] = {0, 11, 21, 31};
	struct syscall_args r = {0}, a = {0};
	struct hart *h = &harts[0];
	struct tcb *to = NULL;
	int c = Frama_C_interval(0, 7);
	int k = Frama_C_interval(0, N_INFOS - 1);
	int op = Frama_C_interval(0, 4);
	int top = Frama_C_interval(0, 3);
	int nr = Frama_C_interval(0, 1);
	int slow = Frama_C_interval(0, 1);
	//@ slevel SCENARIO_SLEVEL;
	//@ split op;
	//@ split c;
	//@ split top;

	for (int i = 0; i < 4; i++)
		if (cdt_copy(&kernel_cdt, &cspace[C_VS], tcb_slot(threads[i], TCB_SLOT_VSPACE),
		             SEL_RIGHTS_ALL) != SEL_OK)
			return;
	harts_online = (uint32_t)Frama_C_interval(1, 2);
	//@ split harts_online;
	h->kinfo_thread = &kinfo_page.k.hart[0].thread; /* as kinfo_init() sets it */
	h->ready_top = tops[top];
	h->next_tick = any_word();
	h->fpu_live = Frama_C_interval(0, 1);
	r.a[0] = C_EP;
	switch (op) {
	case 0: /* Call, S waiting in Recv (or, when c is not an endpoint cap, not reached) */
	case 1: /* Call, nobody waiting */
		if (op == 0 && sys_recv(S, &r) != SYS_RESULT_WRITTEN)
			return;
		h->current = A;
		//@ split k;
		to = fastpath_ipc(cptrs[c], infos[k], SEL_SYS_CALL);
		if (to) {
			//@ check fast_call: op == 0 && to == S && S->state == TCB_RUNNING && h->current == S && A->state == TCB_BLOCKED_REPLY && S->reply_to == A && A->replier == S && eps[0].state == EP_IDLE;
		} else {
			//@ check fast_call_declined: A->state == TCB_RUNNING && h->current == A && A->replier == \null;
		}
		break;
	case 2: /* ReplyRecv by S, answering A's Call */
		a.a[0] = C_EP_WG;
		a.a[1] = SEL_MSG_INFO(7, 0, 1);
		if (sys_recv(S, &r) != SYS_RESULT_WRITTEN ||
		    invocation_call(A, &a) != SYS_RESULT_WRITTEN || S->reply_to != A)
			return;
		S->state = TCB_RUNNING;
		h->current = S;
		//@ split k;
		to = fastpath_ipc(cptrs[c], infos[k], SEL_SYS_REPLY_RECV);
		if (to) {
			//@ check fast_reply_recv: to == A && A->state == TCB_RUNNING && h->current == A && A->replier == \null && S->reply_to == \null && S->state == TCB_BLOCKED_RECV && eps[0].state == EP_RECEIVERS;
		} else {
			//@ check fast_reply_recv_declined: S->reply_to == A && A->state == TCB_BLOCKED_REPLY && h->current == S;
		}
		break;
	case 3: /* Signal or Poll by A (fast_entry.S enters them with one hart online only) */
		if (harts_online != 1)
			return;
		h->current = A;
		//@ split nr;
		to = fastpath_ntfn(cptrs[c], nr ? SEL_SYS_NB_SEND : SEL_SYS_NB_RECV);
		//@ check fast_ntfn: to == \null || (to == A && h->current == A && A->state == TCB_RUNNING);
		if (!to && nr)
			fastpath_ntfn_slow(cptrs[c], 0, 0, 0, 0, 0, 0, SEL_SYS_NB_SEND);
		break;
	default: /* Signal by A to B, which waits and has a higher priority */
		if (harts_online != 1)
			return;
		B->priority = 30;
		r.a[0] = C_NTFN;
		if (sys_recv(B, &r) != SYS_RESULT_WRITTEN || B->state != TCB_BLOCKED_NTFN)
			return;
		h->current = A;
		to = fastpath_ntfn(cptrs[c], SEL_SYS_NB_SEND);
		//@ check fast_signal_waiter: to == \null;
		if (!to)
			fastpath_ntfn_slow(cptrs[c], 0, 0, 0, 0, 0, 0, SEL_SYS_NB_SEND);
		break;
	}
	//@ split slow;
	if (!to && slow)
		fastpath_slow(cptrs[c], infos[k], 0, 0, 0, 0, 0,
		              op == 2 ? SEL_SYS_REPLY_RECV : SEL_SYS_CALL);
}

#ifdef EVA_KNOWN_BUGS
#define N_SCENARIOS 10
#else
#define N_SCENARIOS 8
#endif

int main(void)
{
#ifdef EVA_SCENARIO /* one scenario only, for debugging (run_eva.py --define EVA_SCENARIO=n) */
	int which = EVA_SCENARIO;
#else
	int which = Frama_C_interval(0, N_SCENARIOS - 1);
#endif

	if (!setup())
		return 1;
	setup_ok = 1;
	//@ check setup_done: setup_ok == 1;
	//@ split which;
	switch (which) {
	case 0:
		sc_send_then_recv();
		break;
	case 1:
		sc_recv_then_call();
		break;
	case 2:
		sc_notification();
		break;
	case 3:
		sc_fault();
		break;
	case 4:
		sc_delete_cancel();
		break;
	case 5:
		sc_window();
		break;
	case 6:
		sc_ring();
		break;
	case 7:
		sc_fastpath();
		break;
#ifdef EVA_KNOWN_BUGS
	case 8:
		sc_bug_unaligned_buffer();
		break;
	case 9:
		sc_bug_rewritten_message();
		break;
#endif
	default:
		break;
	}
	return 0;
}
