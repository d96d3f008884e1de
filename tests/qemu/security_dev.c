/*
 * Device memory named as a kernel buffer (docs/security-ipc.md). The
 * console UART's page is only partly backed: its registers take the first
 * 256 bytes and an access to the rest of the page is an access fault. A
 * process that holds a device Untyped can make a Frame of that page and
 * name it where the kernel reads or writes on its behalf: as an IPC
 * buffer, as the buffer of a register read or write, as the text of a
 * console write. The kernel must answer with an error (or treat the
 * thread as having no IPC buffer), never take the fault itself.
 *
 * These tests run in the root task, which holds the UART's device
 * Untyped; every buffer sits at offset 0x800 of the page, so nothing ever
 * touches the UART's registers.
 */
#include <sel/debug.h>
#include <sel/ipc.h>
#include <sel/string.h>
#include "proc_util.h"

#define DEV_VADDR  REGION(40)
#define DEV_OFFSET 0x800u

/* The UART's device Untyped (0 if the boot info names none). */
static uint64_t uart_untyped(void)
{
	for (uint32_t i = 0; i < test_bootinfo->n_untyped; i++) {
		const struct sel_untyped_desc *u = &test_bootinfo->untyped[i];
		if (u->is_device && u->paddr == (test_bootinfo->uart_base & ~0xfffull))
			return u->slot;
	}
	return 0;
}

/* A Frame of the UART's page in a fresh slot. */
static int uart_frame(uint64_t *frame)
{
	uint64_t ut = uart_untyped();

	*frame = slot_new();
	if (!ut)
		return SEL_ERR_EMPTY_SLOT;
	return sel_untyped_retype(ut, SEL_OBJ_FRAME, 12, ROOT, *frame, 1);
}

static volatile uint64_t r_err, r_len, r_done;

static void receiver(uint64_t ep)
{
	struct sel_msg m = {0};

	r_err = (uint64_t)sel_recv(ep, &m);
	r_len = SEL_MSG_LENGTH(m.info);
	r_done = 1;
	for (;;)
		sel_yield();
}

TEST(SEC_0210, "an IPC buffer in a device page is no buffer: a long message is cut, no panic")
{
	uint64_t ut, ep, th, frame;
	struct sel_msg m;

	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, uart_frame(&frame), SEL_OK);
	CHECK_EQ(t, thread_in_root(ut, receiver, ep, 5, &th), SEL_OK);
	CHECK_EQ(t, sel_tcb_configure(th, ROOT, SEL_SLOT_VSPACE, frame, DEV_VADDR + DEV_OFFSET),
	         SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(th), SEL_OK);
	for (unsigned i = 0; i < 2000 && !r_done; i++)
		sel_yield();
	/* Ten words: the kernel would write words 5-9 into the receiver's buffer. */
	struct sel_ipc_buffer *b = sel_ipc_buffer();
	for (unsigned i = 5; i < 10; i++)
		b->mr[i] = 0x5ec0210 + i;
	m = (struct sel_msg){.info = SEL_MSG_INFO(1, 0, 10)};
	CHECK_EQ(t, sel_send(ep, &m), SEL_OK);
	for (unsigned i = 0; i < 2000 && !r_done; i++)
		sel_yield();
	CHECK_EQ(t, r_done, 1);
	CHECK_EQ(t, r_err, SEL_OK);
	CHECK_EQ(t, r_len, SEL_MSG_REG_WORDS);
	CHECK_EQ(t, sel_cnode_delete(ROOT, th, FULL, 0), SEL_OK);
	CHECK_EQ(t, sel_cnode_delete(ROOT, frame, FULL, 0), SEL_OK);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, uart_untyped(), FULL, 0), SEL_OK);
}

static void idle_thread(uint64_t arg)
{
	(void)arg;
	for (;;)
		sel_yield();
}

TEST(SEC_0211, "register, console and lease buffers in a device page are refused, no panic")
{
	uint64_t ut, th, frame;
	uint8_t *dev = (uint8_t *)(DEV_VADDR + DEV_OFFSET);
	struct sel_user_regs r;

	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	CHECK_EQ(t, uart_frame(&frame), SEL_OK);
	CHECK_EQ(t, cover(ut, SEL_SLOT_VSPACE, DEV_VADDR), SEL_OK);
	CHECK_EQ(t, sel_frame_map(frame, SEL_SLOT_VSPACE, DEV_VADDR, RW), SEL_OK);
	CHECK_EQ(t, thread_in_root(ut, idle_thread, 0, 5, &th), SEL_OK);
	CHECK_EQ(t, sel_tcb_read_registers(th, &r), SEL_OK);
	CHECK_EQ(t, sel_tcb_read_registers(th, (struct sel_user_regs *)dev), SEL_ERR_BAD_ADDRESS);
	CHECK_EQ(t, sel_tcb_write_registers(th, (const struct sel_user_regs *)dev),
	         SEL_ERR_BAD_ADDRESS);
	CHECK_EQ(t, sel_debug_write(dev, 16), SEL_ERR_BAD_ADDRESS);
	CHECK_EQ(t, sel_cnode_delete(ROOT, th, FULL, 0), SEL_OK);
	CHECK_EQ(t, sel_frame_unmap(frame), SEL_OK);
	CHECK_EQ(t, sel_cnode_delete(ROOT, frame, FULL, 0), SEL_OK);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, uart_untyped(), FULL, 0), SEL_OK);
}

static uint64_t plain[2];
static volatile uint64_t l_err[4], l_done;

/* Serves two Calls: reads and writes each one's lease, the second into a device page. */
static void lease_server(uint64_t ep)
{
	struct sel_msg m = {0};
	uint64_t w = 7;

	sel_recv(ep, &m); /* the lease lies in the device page */
	l_err[0] = (uint64_t)sel_lease_read(0, &w, 8);
	l_err[1] = (uint64_t)sel_lease_write(0, &w, 8);
	m = (struct sel_msg){0};
	sel_reply_recv(ep, &m); /* an ordinary lease; our buffer is in the device page */
	l_err[2] = (uint64_t)sel_lease_read(0, (void *)(DEV_VADDR + DEV_OFFSET), 8);
	l_err[3] = (uint64_t)sel_lease_write(0, (void *)(DEV_VADDR + DEV_OFFSET), 8);
	m = (struct sel_msg){0};
	sel_reply(&m);
	l_done = 1;
	for (;;)
		sel_yield();
}

TEST(SEC_0212, "a lease of device memory, or into it: the copy is refused, no panic")
{
	uint64_t ut, ep, th, frame;
	struct sel_msg m;

	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_ENDPOINT, 0, &ep), SEL_OK);
	CHECK_EQ(t, uart_frame(&frame), SEL_OK);
	CHECK_EQ(t, cover(ut, SEL_SLOT_VSPACE, DEV_VADDR), SEL_OK);
	CHECK_EQ(t, sel_frame_map(frame, SEL_SLOT_VSPACE, DEV_VADDR, RW), SEL_OK);
	CHECK_EQ(t, thread_in_root(ut, lease_server, ep, 5, &th), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(th), SEL_OK);
	m = (struct sel_msg){.info = SEL_MSG_INFO(1, 0, 2) | SEL_MSG_LEASE,
	                     .mr = {DEV_VADDR + DEV_OFFSET, SEL_LEASE_WORD(8, RW)}};
	CHECK_EQ(t, sel_call(ep, &m), SEL_OK);
	m = (struct sel_msg){.info = SEL_MSG_INFO(1, 0, 2) | SEL_MSG_LEASE,
	                     .mr = {(uint64_t)plain, SEL_LEASE_WORD(8, RW)}};
	CHECK_EQ(t, sel_call(ep, &m), SEL_OK);
	CHECK_EQ(t, l_done, 1);
	for (unsigned i = 0; i < 4; i++)
		CHECK_EQ(t, l_err[i], SEL_ERR_BAD_ADDRESS);
	CHECK_EQ(t, sel_cnode_delete(ROOT, th, FULL, 0), SEL_OK);
	CHECK_EQ(t, sel_frame_unmap(frame), SEL_OK);
	CHECK_EQ(t, sel_cnode_delete(ROOT, frame, FULL, 0), SEL_OK);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, ut, FULL, 0), SEL_OK);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, uart_untyped(), FULL, 0), SEL_OK);
}
