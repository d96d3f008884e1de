/* A thread in the caller's own address space: see <sel/local_thread.h>. */
#include <sel/local_thread.h>
#include <sel/string.h>

static void local_thread_return(void)
{
	sel_exit(0);
}

int sel_local_thread_start(const struct sel_local_thread *t, void (*fn)(uint64_t), uint64_t arg)
{
	struct sel_user_regs r;
	uint64_t tcb = t->tcb_slot, frame = t->tcb_slot + 1, gp;
	int err = sel_untyped_retype(t->ut, SEL_OBJ_TCB, 0, t->cnode, tcb, 1);

	if (err == SEL_OK)
		err = sel_untyped_retype(t->ut, SEL_OBJ_FRAME, 12, t->cnode, frame, 1);
	if (err == SEL_OK)
		err =
		    sel_frame_map(frame, t->vspace, t->ipc_vaddr, SEL_RIGHT_READ | SEL_RIGHT_WRITE);
	if (err == SEL_OK)
		err = sel_tcb_configure(tcb, t->cnode, t->vspace, frame, t->ipc_vaddr);
	if (err == SEL_OK)
		err = sel_tcb_set_affinity(tcb, t->hart);
	if (err != SEL_OK)
		return err;
	__asm__("mv %0, gp" : "=r"(gp));
	memset(&r, 0, sizeof(r));
	r.pc = (uint64_t)fn;
	r.x[0] = (uint64_t)local_thread_return; /* ra */
	r.x[1] = t->stack_top;                  /* sp */
	r.x[2] = gp;
	r.x[3] = t->ipc_vaddr; /* tp: the IPC buffer */
	r.x[9] = arg;          /* a0 */
	err = sel_tcb_write_registers(tcb, &r);
	return err != SEL_OK ? err : sel_tcb_resume(tcb);
}
