/*
 * The fault-injection systems' server (apps/faultinj, idl/faulty.idl): a
 * counter that, told to, damages itself in the middle of the call: a bit
 * flip in its live stack or its .bss, an illegal instruction, or a store
 * to an unmapped address. The root task restarts it when it faults.
 */
#include <sel/bind.h>
#include "faulty_server.h" /* generated from idl/faulty.idl */

enum { FLIP_MEMORY = 1, ILLEGAL = 2, WILD_STORE = 3 };

extern char __bss_start[], __bss_end[];

static int64_t value;

int faulty_impl_add(void *ctx, uint64_t badge, int64_t n, int64_t *out)
{
	(void)ctx;
	(void)badge;
	if ((n > 0 && value > INT64_MAX - n) || (n < 0 && value < INT64_MIN - n))
		return FAULTY_ERROR_OVERFLOW;
	value += n;
	*out = value;
	return SEL_OK;
}

/* An address nothing maps (read at run time: the compiler cannot see the store is wild). */
static volatile uint64_t *volatile nowhere = (volatile uint64_t *)16;

/* Bit arg & 63 of a word: bit 6 of arg picks the live stack (the callers' frames above
 * sp, up to 512 bytes) or the .bss, the rest of arg the word. */
static void flip_memory(uint64_t arg)
{
	uint64_t sp, words = (uint64_t)(__bss_end - __bss_start) / 8;
	volatile uint64_t *w;

	__asm__ volatile("mv %0, sp" : "=r"(sp));
	if (arg & 64 || !words)
		w = (volatile uint64_t *)sp + (arg >> 7) % 64;
	else
		w = (volatile uint64_t *)__bss_start + (arg >> 7) % words;
	*w ^= 1ull << (arg & 63);
}

int faulty_impl_inject(void *ctx, uint64_t badge, uint64_t kind, uint64_t arg)
{
	(void)ctx;
	(void)badge;
	if (kind == FLIP_MEMORY)
		flip_memory(arg);
	else if (kind == ILLEGAL)
		__asm__ volatile(".4byte 0"); /* all zeros: an illegal instruction */
	else if (kind == WILD_STORE)
		*nowhere = arg;
	return SEL_OK;
}

SEL_SERVICE(faulty_dispatch);

int main(void);

int main(void)
{
	return sel_serve();
}
