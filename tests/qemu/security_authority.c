/*
 * Authority a hostile process must not have (docs/security-authority.md):
 *
 *  - the debug channel is a capability with a right per service (console
 *    write, shutdown, counters and kernel facts, benchmark windows,
 *    invariant checks); a test process holds Write only, a thread with no
 *    debug cap reaches none of it, and the old capless syscall numbers are
 *    gone (SEL_ERR_UNKNOWN_SYSCALL);
 *  - a TCB's IPC buffer, which the kernel writes on the thread's behalf
 *    (message words, user-interrupt registers), must be a Frame held with
 *    Read and Write;
 *  - priorities are bounded by the maximum controlled priority (MCP) of
 *    the authority TCB named in the call; a new thread's MCP is 0.
 *
 * Each test runs in its own process: its debug cap is the one the driver
 * gives every test process.
 */
#include <sel/debug.h>
#include "ipc_util.h"

/* The debug channel's syscall numbers before it became a capability. */
enum {
	RETIRED_PUTC = 32,
	RETIRED_WRITE = 33,
	RETIRED_SHUTDOWN = 34,
	RETIRED_BENCH = 36,
	RETIRED_INFO = 37,
};

static struct sel_ret raw(uint64_t nr, uint64_t a0, uint64_t a1)
{
	return sel_syscall(nr, a0, a1, 0, 0, 0, 0, 0);
}

static int debug_invoke(uint64_t cap, uint64_t label, uint64_t a2, uint64_t a3, struct sel_ret *r)
{
	return sel_invoke(cap, label, a2, a3, 0, 0, 0, r);
}

/*
 * Retired syscalls are tried from a helper thread in the test's CSpace
 * (holding what the test holds) without a fault endpoint: an unknown
 * number is also a fault message to the fault endpoint, and the test's
 * own thread has the driver's.
 */
struct attempt {
	uint64_t nr, a0;
	struct sel_ret r;
};

static struct attempt *attempts;
static unsigned n_attempts;

static void try_attempts(uint64_t arg)
{
	(void)arg;
	for (unsigned i = 0; i < n_attempts; i++)
		attempts[i].r = raw(attempts[i].nr, attempts[i].a0, 0);
}

static int run_attempts(struct attempt *a, unsigned n)
{
	uint64_t ut, tcb;
	struct sel_thread_info st;
	int err = untyped_new(17, &ut);

	attempts = a;
	n_attempts = n;
	if (err == SEL_OK)
		err = ipc_thread_opts(ut, try_attempts, 0, 0, &tcb);
	if (err == SEL_OK)
		err = sel_tcb_resume(tcb);
	if (err == SEL_OK && !wait_stopped(tcb, &st, IPC_PATIENCE))
		err = SEL_ERR_TIMEOUT;
	return err;
}

TEST(SEC_0101, "a test process holds the debug cap with the Write right only")
{
	struct sel_identity id = ident(SEL_SLOT_DEBUG);

	CHECK_EQ(t, id.type, SEL_OBJ_DEBUG);
	CHECK_EQ(t, id.rights, SEL_DEBUG_RIGHT_WRITE);
}

TEST(SEC_0107, "without the Shutdown right nothing powers the machine off")
{
	/* Exit status 0 would read as a passing run. */
	struct attempt a[] = {{.nr = RETIRED_SHUTDOWN, .a0 = 0}, {.nr = RETIRED_SHUTDOWN, .a0 = 1}};
	struct sel_ret r;

	CHECK_EQ(t, run_attempts(a, 2), SEL_OK);
	CHECK_EQ(t, a[0].r.err, SEL_ERR_UNKNOWN_SYSCALL);
	CHECK_EQ(t, a[1].r.err, SEL_ERR_UNKNOWN_SYSCALL);
	CHECK_EQ(t, debug_invoke(SEL_SLOT_DEBUG, SEL_DEBUG_SHUTDOWN, 0, 0, &r), SEL_ERR_NO_RIGHTS);
	CHECK_EQ(t, debug_invoke(SEL_SLOT_DEBUG, SEL_DEBUG_SHUTDOWN, 1, 0, &r), SEL_ERR_NO_RIGHTS);
}

TEST(SEC_0102, "without the Info right no kernel counter or fact can be read")
{
	struct attempt a[SEL_INFO_SBI_CALLS + 1];
	struct sel_ret r;

	for (uint64_t q = SEL_INFO_TICKS; q <= SEL_INFO_SBI_CALLS; q++)
		a[q] = (struct attempt){.nr = RETIRED_INFO, .a0 = q};
	CHECK_EQ(t, run_attempts(a, SEL_INFO_SBI_CALLS + 1), SEL_OK);
	for (uint64_t q = SEL_INFO_TICKS; q <= SEL_INFO_SBI_CALLS; q++) {
		CHECK_EQ(t, a[q].r.err, SEL_ERR_UNKNOWN_SYSCALL);
		CHECK_EQ(t, a[q].r.v[0], 0);
		CHECK_EQ(t, debug_invoke(SEL_SLOT_DEBUG, SEL_DEBUG_INFO, q, 0, &r),
		         SEL_ERR_NO_RIGHTS);
		CHECK_EQ(t, r.v[0], 0);
	}
}

TEST(SEC_0103, "without the Bench right no benchmark window opens")
{
	/* An open window keeps its hart's tick quiet: equal priorities would starve. */
	struct attempt a[] = {{.nr = RETIRED_BENCH, .a0 = SEL_BENCH_BEGIN},
	                      {.nr = RETIRED_BENCH, .a0 = SEL_BENCH_END}};
	struct sel_ret r;

	CHECK_EQ(t, run_attempts(a, 2), SEL_OK);
	CHECK_EQ(t, a[0].r.err, SEL_ERR_UNKNOWN_SYSCALL);
	CHECK_EQ(t, a[1].r.err, SEL_ERR_UNKNOWN_SYSCALL);
	CHECK_EQ(t, debug_invoke(SEL_SLOT_DEBUG, SEL_DEBUG_BENCH, SEL_BENCH_BEGIN, 0, &r),
	         SEL_ERR_NO_RIGHTS);
	CHECK_EQ(t, debug_invoke(SEL_SLOT_DEBUG, SEL_DEBUG_BENCH, SEL_BENCH_END, 0, &r),
	         SEL_ERR_NO_RIGHTS);
}

/* What the thread without a debug cap got for each attempt. */
static volatile uint64_t capless_err[8];

/* Runs in a CSpace with nothing in it: every way to the debug channel. */
static void capless(uint64_t arg)
{
	static const char line[] =
	    "TEST SEC_0106 FAIL forged by a thread that holds no capability\n";
	struct sel_ret r;

	(void)arg;
	capless_err[0] = raw(RETIRED_WRITE, (uint64_t)line, sizeof(line) - 1).err;
	capless_err[1] = raw(RETIRED_PUTC, 'X', 0).err;
	capless_err[2] = raw(RETIRED_INFO, SEL_INFO_TICKS, 0).err;
	capless_err[3] = raw(RETIRED_BENCH, SEL_BENCH_BEGIN, 0).err;
	capless_err[5] = (uint64_t)debug_invoke(SEL_SLOT_DEBUG, SEL_DEBUG_WRITE, (uint64_t)line,
	                                        sizeof(line) - 1, &r);
	capless_err[6] = (uint64_t)debug_invoke(SEL_SLOT_DEBUG, SEL_DEBUG_SHUTDOWN, 0, 0, &r);
	capless_err[4] = raw(RETIRED_SHUTDOWN, 0, 0).err; /* last: it used to power off */
	capless_err[7] = 1;                               /* done */
}

TEST(SEC_0106, "a thread holding no debug cap cannot print, read counters, open a window or stop")
{
	uint64_t ut, cnode, tcb;
	struct sel_thread_info st;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_CNODE, 4, &cnode), SEL_OK);
	CHECK_EQ(t, ipc_thread_opts(ut, capless, 0, 0, &tcb), SEL_OK);
	CHECK_EQ(t, sel_tcb_configure(tcb, cnode, SEL_SLOT_VSPACE, 0, 0), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(tcb), SEL_OK);
	CHECK(t, wait_stopped(tcb, &st, IPC_PATIENCE));
	CHECK_EQ(t, capless_err[7], 1);
	for (int i = 0; i < 5; i++)
		CHECK_EQ(t, capless_err[i], SEL_ERR_UNKNOWN_SYSCALL);
	CHECK(t, capless_err[5] != SEL_OK);
	CHECK(t, capless_err[6] != SEL_OK);
}

TEST(SEC_0104, "the debug cap's rights never widen: a copy minted with all rights has Write only")
{
	uint64_t copy = slot_new();
	struct sel_ret r;

	CHECK_EQ(t, sel_cnode_mint(ROOT, copy, SEL_SLOT_DEBUG, FULL, SEL_DEBUG_RIGHTS_ALL, 0),
	         SEL_OK);
	CHECK_EQ(t, ident(copy).rights, SEL_DEBUG_RIGHT_WRITE);
	CHECK_EQ(t, debug_invoke(copy, SEL_DEBUG_INFO, SEL_INFO_TICKS, 0, &r), SEL_ERR_NO_RIGHTS);
	CHECK_EQ(t, debug_invoke(copy, SEL_DEBUG_CHECK_INVARIANTS, 0, 0, &r), SEL_ERR_NO_RIGHTS);
	/* Dropping Write leaves a cap that prints nothing. */
	CHECK_EQ(t, sel_cnode_delete(ROOT, copy, FULL, 0), SEL_OK);
	CHECK_EQ(t, sel_cnode_mint(ROOT, copy, SEL_SLOT_DEBUG, FULL, 0, 0), SEL_OK);
	CHECK_EQ(t, debug_invoke(copy, SEL_DEBUG_WRITE, (uint64_t) "x", 1, &r), SEL_ERR_NO_RIGHTS);
	CHECK_EQ(t, debug_invoke(copy, SEL_DEBUG_PUTC, 'x', 0, &r), SEL_ERR_NO_RIGHTS);
}

TEST(SEC_0105, "the Write right prints through the debug cap and is checked like any pointer")
{
	static const char hello[] = "SEC_0105: printed through the debug cap\n";
	struct sel_ret r;

	CHECK_EQ(
	    t,
	    debug_invoke(SEL_SLOT_DEBUG, SEL_DEBUG_WRITE, (uint64_t)hello, sizeof(hello) - 1, &r),
	    SEL_OK);
	CHECK_EQ(t, debug_invoke(SEL_SLOT_DEBUG, SEL_DEBUG_PUTC, '\n', 0, &r), SEL_OK);
	CHECK_EQ(t, debug_invoke(SEL_SLOT_DEBUG, SEL_DEBUG_WRITE, 0xffffffc080200000ull, 8, &r),
	         SEL_ERR_BAD_ADDRESS);
	CHECK_EQ(t, debug_invoke(SEL_SLOT_DEBUG, SEL_DEBUG_WRITE, ~0ull - 4, 16, &r),
	         SEL_ERR_BAD_ADDRESS);
	CHECK_EQ(t, debug_invoke(SEL_SLOT_DEBUG, SEL_DEBUG_WRITE, (uint64_t)hello, 4097, &r),
	         SEL_ERR_RANGE);
	CHECK_EQ(t, debug_invoke(SEL_SLOT_DEBUG, 99, 0, 0, &r), SEL_ERR_ILLEGAL_OP);
}

#define BUF_AT 0x10000000ull

TEST(SEC_0110, "a TCB's IPC buffer must be a Frame held with Write (and Read): else refused")
{
	uint64_t ut, frame, ro = slot_new(), wo = slot_new(), rw = slot_new(), tcb;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_FRAME, 12, &frame), SEL_OK);
	CHECK_EQ(t, sel_cnode_copy(ROOT, ro, frame, FULL, SEL_RIGHT_READ), SEL_OK);
	CHECK_EQ(t, sel_cnode_copy(ROOT, wo, frame, FULL, SEL_RIGHT_WRITE), SEL_OK);
	CHECK_EQ(t, sel_cnode_copy(ROOT, rw, frame, FULL, RW), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_TCB, 0, &tcb), SEL_OK);
	CHECK_EQ(t, sel_tcb_configure(tcb, ROOT, SEL_SLOT_VSPACE, ro, BUF_AT), SEL_ERR_NO_RIGHTS);
	CHECK_EQ(t, sel_tcb_configure(tcb, ROOT, SEL_SLOT_VSPACE, wo, BUF_AT), SEL_ERR_NO_RIGHTS);
	/* A refused configure changed nothing: the thread is still unconfigured. */
	CHECK_EQ(t, sel_tcb_resume(tcb), SEL_ERR_ILLEGAL_OP);
	CHECK_EQ(t, sel_tcb_configure(tcb, ROOT, SEL_SLOT_VSPACE, rw, BUF_AT), SEL_OK);
}

TEST(SEC_0120, "a priority above the authority TCB's MCP is refused; a new thread's MCP is 0")
{
	uint64_t ut, a, b, ep;

	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_TCB, 0, &a), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_TCB, 0, &b), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	/* A new thread may give nobody any priority above 0. */
	CHECK_EQ(t, sel_tcb_set_priority(b, a, 1), SEL_ERR_RANGE);
	CHECK_EQ(t, sel_tcb_set_priority(b, a, 0), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_mcp(a, SEL_SLOT_TCB, 50), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_priority(b, a, 51), SEL_ERR_RANGE);
	CHECK_EQ(t, sel_tcb_set_priority(b, a, 255), SEL_ERR_RANGE);
	CHECK_EQ(t, sel_tcb_set_priority(b, a, 50), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_priority(b, ep, 1), SEL_ERR_WRONG_TYPE);
	CHECK_EQ(t, sel_tcb_set_priority(b, SEL_SLOT_TCB, SEL_PRIORITIES), SEL_ERR_RANGE);
}

TEST(SEC_0121, "an MCP above the authority's MCP is refused: no thread raises its own bound")
{
	uint64_t ut, a, b;

	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_TCB, 0, &a), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_TCB, 0, &b), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_mcp(a, a, 1), SEL_ERR_RANGE);
	CHECK_EQ(t, sel_tcb_set_mcp(a, SEL_SLOT_TCB, 20), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_mcp(a, a, 21), SEL_ERR_RANGE);
	CHECK_EQ(t, sel_tcb_set_mcp(b, a, 21), SEL_ERR_RANGE);
	CHECK_EQ(t, sel_tcb_set_mcp(b, a, 20), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_priority(a, b, 21), SEL_ERR_RANGE);
	CHECK_EQ(t, sel_tcb_set_priority(a, b, 20), SEL_OK);
	/* Lowering is always allowed within the authority's bound. */
	CHECK_EQ(t, sel_tcb_set_mcp(a, a, 5), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_priority(b, a, 6), SEL_ERR_RANGE);
}

/* What a thread whose own MCP is 10 managed when it tried to go above it. */
static volatile uint64_t bounded_err[3];
static uint64_t bounded_self, bounded_made;

static void bounded(uint64_t arg)
{
	uint64_t self = bounded_self, tcb = bounded_made;

	(void)arg;
	bounded_err[0] = (uint64_t)sel_tcb_set_priority(tcb, self, 255);
	bounded_err[1] = (uint64_t)sel_tcb_set_mcp(tcb, self, 11);
	bounded_err[2] = (uint64_t)sel_tcb_set_priority(tcb, self, 10);
}

TEST(SEC_0122, "a thread whose MCP is 10 cannot put a thread it made above 10")
{
	uint64_t ut, self, made;
	struct sel_thread_info st;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, ipc_thread_opts(ut, bounded, 0, 1, &self), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_TCB, 0, &made), SEL_OK);
	bounded_self = self;
	bounded_made = made;
	CHECK_EQ(t, sel_tcb_set_mcp(self, SEL_SLOT_TCB, 10), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_priority(self, SEL_SLOT_TCB, 10), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(self), SEL_OK);
	CHECK(t, wait_stopped(self, &st, IPC_PATIENCE));
	CHECK_EQ(t, bounded_err[0], SEL_ERR_RANGE);
	CHECK_EQ(t, bounded_err[1], SEL_ERR_RANGE);
	CHECK_EQ(t, bounded_err[2], SEL_OK);
}
