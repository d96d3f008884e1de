/*
 * Ending a program. The root task is the only thread for now, so its end is
 * the machine's: sel_exit(0) powers off with success.
 */
#include <sel/syscall.h>

__attribute__((noreturn)) void sel_exit(int code);

__attribute__((noreturn)) void sel_shutdown(uint32_t code)
{
	sel_syscall(SEL_SYS_DEBUG_SHUTDOWN, code, 0, 0, 0, 0, 0, 0);
	for (;;)
		;
}

__attribute__((noreturn)) void sel_exit(int code)
{
	sel_shutdown((uint32_t)code);
}
