/*
 * sel_catch_fault: run a function and catch its fault (see <sel/fault.h>).
 *
 * The handler runs on its own small stack; it records the fault, tells the
 * kernel it is done (so the next fault is caught again), and longjmps back
 * into sel_catch_fault. One catch at a time per program (no threads yet).
 */
#include <sel/fault.h>
#include <sel/syscall.h>

static sel_jmp_buf catch_env;
static struct sel_fault_info *catch_info;
static uint64_t handler_stack[512] __attribute__((aligned(16)));

__attribute__((noreturn)) void sel_fault_entry(uint64_t cause, uint64_t pc, uint64_t stval);

__attribute__((noreturn)) void sel_fault_entry(uint64_t cause, uint64_t pc, uint64_t stval)
{
	catch_info->cause = cause;
	catch_info->pc = pc;
	catch_info->stval = stval;
	sel_syscall(SEL_SYS_DEBUG_FAULT_DONE, 0, 0, 0, 0, 0, 0, 0);
	sel_longjmp(catch_env, 1);
}

int sel_catch_fault(void (*fn)(void *), void *arg, struct sel_fault_info *info)
{
	catch_info = info;
	if (sel_setjmp(catch_env)) {
		sel_syscall(SEL_SYS_DEBUG_FAULT_HANDLER, 0, 0, 0, 0, 0, 0, 0);
		return 1;
	}
	sel_syscall(SEL_SYS_DEBUG_FAULT_HANDLER, (uint64_t)sel_fault_entry,
	            (uint64_t)&handler_stack[512], 0, 0, 0, 0, 0);
	fn(arg);
	sel_syscall(SEL_SYS_DEBUG_FAULT_HANDLER, 0, 0, 0, 0, 0, 0, 0);
	return 0;
}
