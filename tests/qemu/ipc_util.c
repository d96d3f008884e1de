/* Helpers for the synchronous IPC tests: see ipc_util.h. */
#include "ipc_util.h"
#include <sel/string.h>

static uint64_t next_thread; /* thread memory spans handed out so far */

static void thread_return(void)
{
	sel_exit(0);
}

/* Maps a fresh zeroed page at vaddr; its Frame cap in *frame. */
static int page_at(uint64_t ut, uint64_t vaddr, uint64_t *frame)
{
	int err = frame_at(ut, SEL_SLOT_VSPACE, vaddr, RW, frame);

	if (err == SEL_OK)
		memset((void *)vaddr, 0, 4096);
	return err;
}

int ipc_thread_opts(uint64_t ut, void (*fn)(uint64_t), uint64_t arg, int with_buffer, uint64_t *tcb)
{
	struct sel_user_regs r;
	uint64_t gp, frame = 0, buffer = 0, span = IPC_BUF_BASE + IPC_THREAD_SPAN * next_thread;
	int err = next_thread == 0 ? cover(ut, SEL_SLOT_VSPACE, IPC_BUF_BASE) : SEL_OK;

	next_thread++;
	for (int i = 0; i < 2 && err == SEL_OK; i++)
		err = page_at(ut, span + 4096 * (uint64_t)i, &frame);
	if (err == SEL_OK && with_buffer) {
		buffer = span + 3 * 4096;
		err = page_at(ut, buffer, &frame);
	}
	if (err == SEL_OK)
		err = object_new(ut, SEL_OBJ_TCB, 0, tcb);
	if (err == SEL_OK)
		err =
		    sel_tcb_configure(*tcb, ROOT, SEL_SLOT_VSPACE, with_buffer ? frame : 0, buffer);
	if (err != SEL_OK)
		return err;
	__asm__("mv %0, gp" : "=r"(gp));
	memset(&r, 0, sizeof(r));
	r.pc = (uint64_t)fn;
	r.x[0] = (uint64_t)thread_return; /* ra */
	r.x[1] = span + 2 * 4096;         /* sp: the top of its two stack pages */
	r.x[2] = gp;
	r.x[3] = buffer; /* tp: the IPC buffer */
	r.x[9] = arg;    /* a0 */
	return sel_tcb_write_registers(*tcb, &r);
}

int ipc_thread(uint64_t ut, void (*fn)(uint64_t), uint64_t arg, uint64_t *tcb)
{
	int err = ipc_thread_opts(ut, fn, arg, 1, tcb);

	return err != SEL_OK ? err : sel_tcb_resume(*tcb);
}

int wait_blocked(uint64_t tcb, uint64_t max_yields)
{
	struct sel_thread_info st;

	for (uint64_t i = 0; i < max_yields; i++) {
		if (sel_tcb_get_state(tcb, &st) != SEL_OK)
			return 0;
		if (st.state == SEL_THREAD_BLOCKED)
			return 1;
		sel_yield();
	}
	return 0;
}

int nb_recv_wait(uint64_t ep, struct sel_msg *m, uint64_t max_yields)
{
	int err = SEL_ERR_WOULD_BLOCK;

	for (uint64_t i = 0; i < max_yields; i++) {
		struct sel_msg r = {0};
		err = sel_nb_recv(ep, &r);
		if (err != SEL_ERR_WOULD_BLOCK) {
			*m = r;
			return err;
		}
		sel_yield();
	}
	return err;
}

int wait_flag(volatile uint64_t *flag, uint64_t max_yields)
{
	for (uint64_t i = 0; i < max_yields; i++) {
		if (*flag)
			return 1;
		sel_yield();
	}
	return *flag != 0;
}

struct sel_msg msg(uint64_t label, uint64_t len, uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3,
                   uint64_t w4)
{
	return (struct sel_msg){SEL_MSG_INFO(label, 0, len), {w0, w1, w2, w3, w4}, 0};
}
