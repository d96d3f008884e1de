/*
 * Device interrupts to a user driver (docs/uintr.md): the goldfish RTC's
 * alarm (PLIC source 11) routed to a UIntr receiver vector through the IRQ
 * handler cap the driver lends (TEST_SLOT_RTC_IRQ). A fired source stays
 * masked until the driver acknowledges it, however long the device holds
 * its line, and other threads keep running meanwhile.
 */
#include <sel/uintr.h>
#include <selene/kinfo.h>
#include "ipc_util.h"
#include "process.h"

#define RTC_VA              REGION(30)
#define RTC_TIME_LO         0x00
#define RTC_TIME_HI         0x04
#define RTC_ALARM_LO        0x08
#define RTC_ALARM_HI        0x0c
#define RTC_IRQ_ENABLED     0x10
#define RTC_CLEAR_INTERRUPT 0x1c
#define VECTOR              5

static volatile uint64_t delivered, last_pending, worker_ticks, worker_stop;

static volatile uint32_t *rtc(uint32_t off)
{
	return (volatile uint32_t *)(RTC_VA + off);
}

static void handler(uint64_t pending, struct sel_uintr_frame *f)
{
	(void)f;
	last_pending = pending;
	delivered = delivered + 1;
}

static void worker(uint64_t arg)
{
	(void)arg;
	while (!worker_stop)
		worker_ticks = worker_ticks + 1;
}

/* The alarm `us` microseconds from now. */
static void arm(uint64_t us)
{
	uint64_t lo = *rtc(RTC_TIME_LO), hi = *rtc(RTC_TIME_HI);
	uint64_t when = (hi << 32 | lo) + us * 1000;

	*rtc(RTC_ALARM_HI) = (uint32_t)(when >> 32);
	*rtc(RTC_ALARM_LO) = (uint32_t)when;
	*rtc(RTC_IRQ_ENABLED) = 1;
}

static uint64_t ms(uint64_t n)
{
	return ((const volatile struct sel_kinfo *)SEL_KINFO_VADDR)->timebase_hz / 1000 * n;
}

/* Yields until `delivered` reaches n or `limit` of time passes. */
static int wait_delivered(uint64_t n, uint64_t limit)
{
	uint64_t start = sel_rdtime();

	while (delivered < n && sel_rdtime() - start < limit)
		sel_yield();
	return delivered >= n;
}

/* Lets `d` of time pass, yielding. */
static void pass(uint64_t d)
{
	uint64_t start = sel_rdtime();

	while (sel_rdtime() - start < d)
		sel_yield();
}

/* The RTC's registers mapped, a receiver registered for us, the source routed. */
static int setup(uint64_t ut, uint64_t *recv)
{
	uint64_t fr;
	int err = cover(ut, SEL_SLOT_VSPACE, RTC_VA);

	if (err == SEL_OK)
		err = object_new(TEST_SLOT_DEVICE, SEL_OBJ_FRAME, 12, &fr);
	if (err == SEL_OK)
		err = sel_frame_map(fr, SEL_SLOT_VSPACE, RTC_VA, SEL_RIGHT_READ | SEL_RIGHT_WRITE);
	if (err == SEL_OK)
		err = object_new(ut, SEL_OBJ_UINTR_RECEIVER, 0, recv);
	if (err == SEL_OK)
		err = sel_uintr_register_handler(*recv, handler, 0);
	if (err == SEL_OK)
		err = sel_invoke(TEST_SLOT_RTC_IRQ, SEL_IRQ_HANDLER_SET_RECEIVER, *recv, VECTOR, 0,
		                 0, 0, 0);
	return err;
}

TEST(UINTR_0301, "an RTC alarm reaches the driver's handler; the source is held until the ack")
{
	uint64_t ut, recv, tcb;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, setup(ut, &recv), SEL_OK);
	CHECK_EQ(t, ipc_thread(ut, worker, 0, &tcb), SEL_OK);
	arm(1000);
	CHECK(t, wait_delivered(1, ms(2000)));
	CHECK_EQ(t, last_pending, 1ull << VECTOR);
	/* The device holds its line up: nothing more is delivered. */
	uint64_t before = worker_ticks;
	pass(ms(50));
	CHECK_EQ(t, delivered, 1);
	CHECK(t, worker_ticks > before); /* the other thread kept running */
	/* A second alarm before the ack is held by the kernel... */
	*rtc(RTC_CLEAR_INTERRUPT) = 1;
	arm(1000);
	pass(ms(50));
	CHECK_EQ(t, delivered, 1);
	/* ... and comes through once the driver acknowledges the first. */
	CHECK_EQ(t, sel_invoke(TEST_SLOT_RTC_IRQ, SEL_IRQ_HANDLER_ACK, 0, 0, 0, 0, 0, 0), SEL_OK);
	CHECK(t, wait_delivered(2, ms(2000)));
	CHECK_EQ(t, last_pending, 1ull << VECTOR);
	*rtc(RTC_CLEAR_INTERRUPT) = 1;
	CHECK_EQ(t, sel_invoke(TEST_SLOT_RTC_IRQ, SEL_IRQ_HANDLER_ACK, 0, 0, 0, 0, 0, 0), SEL_OK);
	pass(ms(20));
	CHECK_EQ(t, delivered, 2);
	worker_stop = 1;
}

TEST(UINTR_0302, "routing needs Write on the handler and Grant on the receiver; vectors < 64")
{
	uint64_t ut, recv, weak = slot_new(), ro = slot_new();

	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_UINTR_RECEIVER, 0, &recv), SEL_OK);
	CHECK_EQ(t, sel_cnode_mint(ROOT, weak, recv, FULL, SEL_RIGHT_READ | SEL_RIGHT_WRITE, 0),
	         SEL_OK);
	CHECK_EQ(t,
	         sel_invoke(TEST_SLOT_RTC_IRQ, SEL_IRQ_HANDLER_SET_RECEIVER, weak, 1, 0, 0, 0, 0),
	         SEL_ERR_NO_RIGHTS);
	CHECK_EQ(t,
	         sel_invoke(TEST_SLOT_RTC_IRQ, SEL_IRQ_HANDLER_SET_RECEIVER, recv, 64, 0, 0, 0, 0),
	         SEL_ERR_RANGE);
	CHECK_EQ(t, sel_cnode_mint(ROOT, ro, TEST_SLOT_RTC_IRQ, FULL, SEL_RIGHT_READ, 0), SEL_OK);
	CHECK_EQ(t, sel_invoke(ro, SEL_IRQ_HANDLER_SET_RECEIVER, recv, 1, 0, 0, 0, 0),
	         SEL_ERR_NO_RIGHTS);
	CHECK_EQ(t, sel_invoke(ro, SEL_IRQ_HANDLER_ACK, 0, 0, 0, 0, 0, 0), SEL_ERR_NO_RIGHTS);
	CHECK_EQ(t, sel_invoke(recv, SEL_IRQ_HANDLER_ACK, 0, 0, 0, 0, 0, 0), SEL_ERR_ILLEGAL_OP);
}

TEST(UINTR_0303, "a cleared route delivers nothing; routing again delivers the next alarm")
{
	uint64_t ut, recv;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, setup(ut, &recv), SEL_OK);
	CHECK_EQ(t, sel_invoke(TEST_SLOT_RTC_IRQ, SEL_IRQ_HANDLER_CLEAR, 0, 0, 0, 0, 0, 0), SEL_OK);
	arm(1000);
	pass(ms(50));
	CHECK_EQ(t, delivered, 0);
	*rtc(RTC_CLEAR_INTERRUPT) = 1;
	CHECK_EQ(
	    t,
	    sel_invoke(TEST_SLOT_RTC_IRQ, SEL_IRQ_HANDLER_SET_RECEIVER, recv, VECTOR, 0, 0, 0, 0),
	    SEL_OK);
	arm(1000);
	CHECK(t, wait_delivered(1, ms(2000)));
	CHECK_EQ(t, last_pending, 1ull << VECTOR);
	*rtc(RTC_CLEAR_INTERRUPT) = 1;
	CHECK_EQ(t, sel_invoke(TEST_SLOT_RTC_IRQ, SEL_IRQ_HANDLER_ACK, 0, 0, 0, 0, 0, 0), SEL_OK);
}

TEST(UINTR_0304, "deleting the receiver stops the routing; the kernel survives the alarm")
{
	uint64_t ut, recv;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, setup(ut, &recv), SEL_OK);
	CHECK_EQ(t, sel_cnode_delete(ROOT, recv, FULL, 0), SEL_OK);
	arm(1000);
	pass(ms(50));
	CHECK_EQ(t, delivered, 0);
	*rtc(RTC_CLEAR_INTERRUPT) = 1;
}
