/*
 * A program the proc tests spawn: it exits with 0x5e1e plus its argument.
 * main_value is what the second program (embedded_b.c), loaded into the
 * same address space, reads.
 */
#include <stdint.h>

volatile uint64_t main_value = 0x1000;

int main(uint64_t arg);

int main(uint64_t arg)
{
	return (int)(0x5e1e + arg);
}
