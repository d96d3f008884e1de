/*
 * The process-mode test driver (like sel4test's): every test runs in a
 * fresh process, watched by the driver, the root task.
 *
 * For test i the driver builds a process from the embedded test program
 * (tests/harness/child.c plus the group's tests) with the spawner, out of
 * one budget Untyped; gives it an Untyped of its own (TEST_SLOT_UNTYPED,
 * carved from the same budget), a copy of the debug cap with the Write
 * right only (plus the rights the group's boot argument "test-debug=" names:
 * info, bench, check), its own TCB cap at SEL_SLOT_TCB with MCP 255 (its
 * threads' priorities are bounded by it), a device Untyped
 * (lent: moved in, and back out when the test ends) and a shared page; starts it with index i; and watches it:
 * the process's thread has the driver's endpoint as its fault endpoint
 * (badge i + 1), so its fault or its exit arrives as a message (polled with
 * NBRecv, yielding in between; SEL_TCB_GET_STATE covers a thread stopped
 * without one). A process that exits has printed
 * its own result line. One that faults, or runs past TEST_TIME_BUDGET_MS
 * (HANG_TIME_BUDGET_MS for a test declared EXPECT_HANG), is reported here,
 * and the run goes on. Then the process is destroyed and
 * the budget must come back whole (watermark 0), or the driver says so.
 */
#include <sel/ipc.h>
#include <sel/print.h>
#include <sel/spawn.h>
#include <sel/string.h>
#include <selene/bootinfo.h>
#include "process.h"
#include "test.h"

/* Slots of the driver's CNode for each test process's objects: one per page of its image. */
#define TEST_PROCESS_SLOTS 128u
/*
 * Time a test may take (boot argument "test-budget=<seconds>" for a group
 * of long tests); a test declared EXPECT_HANG is stopped sooner.
 */
#define TEST_TIME_BUDGET_MS 20000
#define HANG_TIME_BUDGET_MS 1000

static uint32_t test_budget_ms = TEST_TIME_BUDGET_MS;
#define WINDOW 0x3200000000ull

/*
 * What each test may carve: 2^untyped_bits bytes (boot argument
 * "untyped-bits=N", default 20); the process's budget is twice that.
 */
static uint32_t untyped_bits = 20;

/* The debug rights a test process gets: Write, and what "test-debug=" adds. */
static uint32_t test_debug_rights = SEL_DEBUG_RIGHT_WRITE;

extern const uint8_t test_program_start[], test_program_end[];

static const struct sel_bootinfo *bi;
static uint64_t next_slot;

static uint64_t slot(void)
{
	return next_slot++;
}

static uint64_t largest_untyped(void)
{
	const struct sel_untyped_desc *best = NULL;

	for (uint32_t i = 0; i < bi->n_untyped; i++)
		if (!bi->untyped[i].is_device &&
		    (!best || bi->untyped[i].size_bits > best->size_bits))
			best = &bi->untyped[i];
	return best->slot;
}

struct resources {
	struct sel_spawner sp;
	uint64_t budget, shared_frame, proc_slots, device;
	uint64_t fault_ep, fault_badged; /* the endpoint, and the badged copy a test gets */
	uint64_t rtc_irq;                /* the RTC's IRQ handler (0: none) */
};

/* The decimal number after `key` in the boot arguments, or 0. */
static uint32_t bootarg(const char *key)
{
	size_t n = strlen(key);
	uint32_t v = 0;

	for (const char *p = (const char *)bi->bootargs; *p; p++)
		if (!strncmp(p, key, n)) {
			for (p += n; *p >= '0' && *p <= '9'; p++)
				v = v * 10 + (uint32_t)(*p - '0');
			break;
		}
	return v;
}

/* "test-debug=info+bench+check": extra debug rights for every test of the image. */
static void parse_debug_rights(void)
{
	static const struct {
		const char *name;
		uint32_t right;
	} names[] = {{"info", SEL_DEBUG_RIGHT_INFO},
	             {"bench", SEL_DEBUG_RIGHT_BENCH},
	             {"check", SEL_DEBUG_RIGHT_CHECK}};
	const char *p = strstr((const char *)bi->bootargs, "test-debug=");

	if (!p)
		return;
	for (p += strlen("test-debug="); *p && *p != ' '; p++)
		for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (!strncmp(p, names[i].name, strlen(names[i].name)))
				test_debug_rights |= names[i].right;
}

static void parse_bootargs(void)
{
	uint32_t v = bootarg("untyped-bits=");

	if (v >= 12 && v <= 26)
		untyped_bits = v;
	v = bootarg("test-budget=");
	if (v >= 1 && v <= 600)
		test_budget_ms = v * 1000;
	parse_debug_rights();
}

/* The RTC's device Untyped if the machine has one, else the first device Untyped. */
static uint64_t first_device_untyped(void)
{
	uint64_t first = 0;

	for (uint32_t i = 0; i < bi->n_untyped; i++) {
		if (bi->untyped[i].is_device && bi->untyped[i].paddr == TEST_RTC_PADDR)
			return bi->untyped[i].slot;
		if (bi->untyped[i].is_device && !first)
			first = bi->untyped[i].slot;
	}
	return first;
}

/* Page tables for the spawner's window, the shared page, and the budgets. */
static int setup(struct resources *r)
{
	uint64_t big = largest_untyped(), pt1 = slot(), pt2 = slot(), pt3 = slot();
	int err;

	r->sp = (struct sel_spawner){SEL_SLOT_CNODE, SEL_SLOT_VSPACE, WINDOW};
	r->budget = slot();
	r->shared_frame = slot();
	r->fault_ep = slot();
	r->fault_badged = slot();
	r->proc_slots = next_slot;
	next_slot += TEST_PROCESS_SLOTS;
	err = sel_untyped_retype(big, SEL_OBJ_PAGE_TABLE, 0, SEL_SLOT_CNODE, pt1, 1);
	if (!err)
		err = sel_untyped_retype(big, SEL_OBJ_PAGE_TABLE, 0, SEL_SLOT_CNODE, pt2, 1);
	if (!err)
		err =
		    sel_untyped_retype(big, SEL_OBJ_FRAME, 12, SEL_SLOT_CNODE, r->shared_frame, 1);
	if (!err)
		err = sel_untyped_retype(big, SEL_OBJ_ENDPOINT, 0, SEL_SLOT_CNODE, r->fault_ep, 1);
	if (!err)
		err = sel_page_table_map(pt1, SEL_SLOT_VSPACE, WINDOW);
	if (!err)
		err = sel_page_table_map(pt2, SEL_SLOT_VSPACE, WINDOW);
	if (!err)
		err = sel_frame_map(r->shared_frame, SEL_SLOT_VSPACE, WINDOW + 4096,
		                    SEL_RIGHT_READ | SEL_RIGHT_WRITE);
	if (!err)
		err = sel_untyped_retype(big, SEL_OBJ_UNTYPED, untyped_bits + 1, SEL_SLOT_CNODE,
		                         r->budget, 1);
	r->device = first_device_untyped();
	r->rtc_irq = slot();
	if (sel_invoke(SEL_SLOT_IRQ_CONTROL, SEL_IRQ_CONTROL_GET, TEST_RTC_IRQ, SEL_SLOT_CNODE,
	               r->rtc_irq, SEL_DEPTH_FULL, 0, 0) != SEL_OK)
		r->rtc_irq = 0;
	(void)pt3;
	return err;
}

/* A fault or exit message from the test's thread; 1 if one arrived. */
static int message(const struct resources *r, uint64_t badge, struct sel_thread_info *st)
{
	struct sel_msg m = {0};

	if (sel_nb_recv(r->fault_ep, &m) != SEL_OK)
		return 0;
	if (m.badge != badge) {
		sel_printf("DRIVER-ERROR message with badge %lu while watching %lu\n", m.badge,
		           badge);
		return 0;
	}
	if (SEL_MSG_LABEL(m.info) == SEL_LABEL_FAULT)
		*st = (struct sel_thread_info){.state = SEL_THREAD_BLOCKED,
		                               .reason = SEL_STOP_FAULTED,
		                               .code = m.mr[0],
		                               .pc = m.mr[1],
		                               .addr = m.mr[2]};
	else if (SEL_MSG_LABEL(m.info) == SEL_LABEL_EXIT)
		*st = (struct sel_thread_info){
		    .state = SEL_THREAD_INACTIVE, .reason = SEL_STOP_EXITED, .code = m.mr[0]};
	else
		return 0;
	return 1;
}

/* Waits for the process to stop or its time to run out; 1 if it stopped. */
static int watch(const struct resources *r, uint64_t tcb, uint64_t badge,
                 const struct test_shared *sh, struct sel_thread_info *st)
{
	uint64_t start = sel_rdtime(), ms = bi->timebase_hz / 1000;

	for (;;) {
		uint64_t budget =
		    sh->expect == TEST_EXPECT_HANG ? HANG_TIME_BUDGET_MS : test_budget_ms;
		if (sel_rdtime() - start >= budget * ms)
			return 0;
		if (message(r, badge, st))
			return 1;
		if (sel_tcb_get_state(tcb, st) == SEL_OK && st->state == SEL_THREAD_INACTIVE)
			return 1;
		sel_yield();
	}
}

/* Prints the result line the process could not print itself; 1 if it failed. */
static int report(const struct test_shared *sh, int stopped, const struct sel_thread_info *st)
{
	const char *id = sh->id[0] ? sh->id : "(unknown test)";

	if (!stopped && sh->expect == TEST_EXPECT_HANG) {
		sel_printf("TEST %s PASS\n", id);
		return 0;
	}
	if (!stopped) {
		sel_printf("TEST %s FAIL ran past its time budget (%u ms)\n", id, test_budget_ms);
		return 1;
	}
	if (st->reason == SEL_STOP_FAULTED && sh->expect == TEST_EXPECT_FAULT) {
		sel_printf("TEST %s PASS\n", id);
		return 0;
	}
	if (st->reason == SEL_STOP_FAULTED) {
		sel_printf("TEST %s FAIL fault: cause %lu at pc 0x%lx, address 0x%lx\n", id,
		           st->code, st->pc, st->addr);
		return 1;
	}
	return st->code != 0; /* it exited and printed its own line */
}

/* Runs test `index`; returns 1 to go on, 0 when there is no such test. */
static int run_one(struct resources *r, uint32_t index, unsigned *failed)
{
	static const struct sel_process_opts opts = {.slots = TEST_PROCESS_SLOTS};
	struct test_shared *sh = (struct test_shared *)(WINDOW + 4096);
	struct sel_process p;
	struct sel_thread_info st;
	struct sel_untyped_info info;
	int err;

	memset(sh, 0, sizeof(*sh));
	sh->index = index;
	sh->untyped_bits = untyped_bits;
	sh->timebase_hz = bi->timebase_hz;
	memcpy(sh->bootargs, bi->bootargs, sizeof(sh->bootargs) - 1);
	err = sel_process_create_with(&r->sp, r->budget, r->proc_slots, test_program_start,
	                              (size_t)(test_program_end - test_program_start), &opts, &p);

	if (!err)
		err = sel_process_give_untyped(&r->sp, &p, untyped_bits, TEST_SLOT_UNTYPED);
	if (!err)
		err =
		    sel_process_give(&r->sp, &p, SEL_SLOT_DEBUG, SEL_SLOT_DEBUG, test_debug_rights);
	if (!err)
		err = sel_process_give(&r->sp, &p, p.tcb, SEL_SLOT_TCB, SEL_RIGHTS_ALL);
	if (!err)
		err = sel_tcb_set_mcp(p.tcb, SEL_SLOT_TCB, SEL_PRIORITIES - 1);
	if (!err && r->device) /* lent: moved in now, moved back when the test ends */
		err = sel_cnode_op(SEL_CNODE_MOVE,
		                   sel_slot_in(p.cnode, TEST_SLOT_DEVICE, SEL_DEPTH_FULL),
		                   sel_slot_in(SEL_SLOT_CNODE, r->device, SEL_DEPTH_FULL), 0, 0);
	if (!err && r->rtc_irq)
		err = sel_process_give(&r->sp, &p, r->rtc_irq, TEST_SLOT_RTC_IRQ, SEL_RIGHTS_ALL);
	if (!err)
		err = sel_process_map(&r->sp, &p, r->shared_frame, TEST_SHARED_VADDR,
		                      SEL_RIGHT_READ | SEL_RIGHT_WRITE);
	if (!err)
		err = sel_cnode_mint(SEL_SLOT_CNODE, r->fault_badged, r->fault_ep, SEL_DEPTH_FULL,
		                     SEL_RIGHTS_ALL, index + 1);
	if (!err)
		err = sel_tcb_set_fault_endpoint(p.tcb, r->fault_badged);
	if (!err)
		err = sel_process_start(&p, TEST_SHARED_VADDR);
	if (err) {
		sel_printf("DRIVER-ERROR cannot start test %u: error %d\n", index, err);
		return 0;
	}
	int stopped = watch(r, p.tcb, index + 1, sh, &st);
	int done = stopped && st.reason == SEL_STOP_EXITED && st.code == TEST_EXIT_NO_TEST;
	if (!done)
		*failed += (unsigned)report(sh, stopped, &st);
	if (r->device) {
		sel_tcb_suspend(p.tcb);
		err = sel_cnode_op(SEL_CNODE_MOVE,
		                   sel_slot_in(SEL_SLOT_CNODE, r->device, SEL_DEPTH_FULL),
		                   sel_slot_in(p.cnode, TEST_SLOT_DEVICE, SEL_DEPTH_FULL), 0, 0);
		if (err)
			sel_printf("DRIVER-ERROR test %u kept the device Untyped (error %d)\n",
			           index, err);
		sel_cnode_revoke(SEL_SLOT_CNODE, r->device, SEL_DEPTH_FULL, 0);
	}
	err = sel_process_destroy(&r->sp, &p);
	if (!err && r->rtc_irq)
		err = sel_cnode_revoke(SEL_SLOT_CNODE, r->rtc_irq, SEL_DEPTH_FULL, 0);
	if (!err)
		err = sel_cnode_revoke(SEL_SLOT_CNODE, r->fault_badged, SEL_DEPTH_FULL, 0);
	if (!err)
		err = sel_cnode_delete(SEL_SLOT_CNODE, r->fault_badged, SEL_DEPTH_FULL, 0);
	if (!err)
		err = sel_untyped_info(r->budget, &info);
	if (err || info.watermark != 0)
		sel_printf("DRIVER-ERROR test %u did not give its budget back (error %d)\n", index,
		           err);
	return !done;
}

int main(const struct sel_bootinfo *boot);

int main(const struct sel_bootinfo *boot)
{
	struct resources r;
	unsigned n = 0, failed = 0;

	bi = boot;
	next_slot = bi->first_free_slot;
	parse_bootargs();
	if (setup(&r) != SEL_OK) {
		sel_printf("DRIVER-ERROR cannot set up the spawner\n");
		return 1;
	}
	while (run_one(&r, n, &failed))
		n++;
	sel_printf("driver: %u tests in their own processes, %u failed\n", n, failed);
	return 0;
}
