/*
 * The second program loaded into embedded_a's address space (linked at
 * 0x400000): second_entry exits with the argument it was given plus 1,
 * showing it ran there, found by its symbol.
 */
#include <sel/thread.h>
#include <stdint.h>

__attribute__((noreturn)) void second_entry(uint64_t arg);

__attribute__((noreturn)) void second_entry(uint64_t arg)
{
	sel_exit((int)(arg + 1));
}

int main(void);

int main(void)
{
	return 0;
}
