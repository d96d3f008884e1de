/*
 * Ending a program: sel_exit stops the calling thread with an exit code its
 * supervisor reads with SEL_TCB_GET_STATE. When the last thread stops, the
 * kernel powers the machine off with that code (so the root task's exit
 * ends the system). sel_shutdown powers off at once through the debug cap
 * (<sel/debug.h>), or, refused, exits.
 */
#include <sel/debug.h>

__attribute__((noreturn)) void sel_exit(int code);

__attribute__((noreturn)) void sel_shutdown(uint32_t code)
{
	sel_invoke_debug_shutdown(SEL_SLOT_DEBUG, code);
	sel_exit((int)code);
}

__attribute__((noreturn)) void sel_exit(int code)
{
	sel_syscall(SEL_SYS_EXIT, (uint64_t)(int64_t)code, 0, 0, 0, 0, 0, 0);
	for (;;)
		;
}
