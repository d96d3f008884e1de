/* Helpers for the thread and address-space tests: see proc_util.h. */
#include "proc_util.h"
#include <sel/string.h>

#define STACK_WORDS 1024
static uint64_t stacks[8][STACK_WORDS] __attribute__((aligned(16)));

static void thread_return(void)
{
	sel_exit(0);
}

int thread_in_root(uint64_t ut, void (*fn)(uint64_t), uint64_t arg, unsigned n, uint64_t *tcb)
{
	struct sel_user_regs r;
	uint64_t gp;
	int err = object_new(ut, SEL_OBJ_TCB, 0, tcb);

	if (err == SEL_OK)
		err = sel_tcb_configure(*tcb, ROOT, SEL_SLOT_VSPACE, 0, 0);
	if (err != SEL_OK)
		return err;
	__asm__("mv %0, gp" : "=r"(gp));
	memset(&r, 0, sizeof(r));
	r.pc = (uint64_t)fn;
	r.x[0] = (uint64_t)thread_return;               /* ra */
	r.x[1] = (uint64_t)&stacks[n % 8][STACK_WORDS]; /* sp */
	r.x[2] = gp;
	r.x[9] = arg; /* a0 = x10 */
	return sel_tcb_write_registers(*tcb, &r);
}

int wait_stopped(uint64_t tcb, struct sel_thread_info *st, uint64_t max_yields)
{
	for (uint64_t i = 0; i < max_yields; i++) {
		if (sel_tcb_get_state(tcb, st) != SEL_OK)
			return 0;
		if (st->state == SEL_THREAD_INACTIVE)
			return 1;
		sel_yield();
	}
	return 0;
}

int cover(uint64_t ut, uint64_t vspace, uint64_t vaddr)
{
	for (int i = 0; i < 2; i++) {
		uint64_t pt;
		int err = object_new(ut, SEL_OBJ_PAGE_TABLE, 0, &pt);
		if (err == SEL_OK)
			err = sel_page_table_map(pt, vspace, vaddr);
		if (err == SEL_ERR_ALREADY_MAPPED)
			return sel_cnode_delete(ROOT, pt, FULL, 0);
		if (err != SEL_OK)
			return err;
	}
	return SEL_OK;
}

int frame_at(uint64_t ut, uint64_t vspace, uint64_t vaddr, uint32_t rights, uint64_t *frame)
{
	int err = object_new(ut, SEL_OBJ_FRAME, 12, frame);

	return err != SEL_OK ? err : sel_frame_map(*frame, vspace, vaddr, rights);
}

/* ld a0, 0(a0); li a7, SEL_SYS_EXIT; ecall */
static const uint32_t loader_code[] = {0x00053503u, 0x00800893u, 0x00000073u};

int code_thread(uint64_t ut, unsigned k, const uint32_t *code, unsigned n, uint64_t a0,
                uint64_t *vspace, uint64_t *tcb)
{
	uint64_t frame, scratch = REGION(k) + (1ull << 29);
	struct sel_user_regs r;
	int err = object_new(ut, SEL_OBJ_VSPACE, 0, vspace);

	/* Write the code through a mapping in our own address space, then map it there. */
	if (err == SEL_OK)
		err = cover(ut, SEL_SLOT_VSPACE, scratch);
	if (err == SEL_OK)
		err = frame_at(ut, SEL_SLOT_VSPACE, scratch, RW, &frame);
	if (err != SEL_OK)
		return err;
	memcpy((void *)scratch, code, n * sizeof(uint32_t));
	uint64_t copy = slot_new();
	err = sel_cnode_copy(ROOT, copy, frame, FULL, SEL_RIGHTS_ALL);
	if (err == SEL_OK)
		err = cover(ut, *vspace, REGION(k));
	if (err == SEL_OK)
		err = sel_frame_map(copy, *vspace, REGION(k), SEL_RIGHT_READ | SEL_RIGHT_EXECUTE);
	if (err == SEL_OK)
		err = object_new(ut, SEL_OBJ_TCB, 0, tcb);
	if (err == SEL_OK)
		err = sel_tcb_configure(*tcb, ROOT, *vspace, 0, 0);
	if (err != SEL_OK)
		return err;
	memset(&r, 0, sizeof(r));
	r.pc = REGION(k);
	r.x[9] = a0;
	return sel_tcb_write_registers(*tcb, &r);
}

int loader_thread(uint64_t ut, unsigned k, uint64_t data, uint64_t *vspace, uint64_t *tcb)
{
	return code_thread(ut, k, loader_code, 3, data, vspace, tcb);
}
