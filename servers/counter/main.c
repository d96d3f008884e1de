/*
 * servers/counter: idl/counter.idl implemented. Its state is one counter
 * and the number of calls served. It is placed by the system manifest: a
 * process of its own serving endpoint Calls or async sessions (sel_serve()
 * reads which from the table the root task filled), or, linked at
 * SEL_BIND_DIRECT_BASE, a private instance inside its one client's address
 * space, entered through sel_direct_entry (<sel/bind.h>).
 */
#include <sel/bind.h>
#include "counter_server.h" /* generated from idl/counter.idl */

static int64_t value;
static uint64_t served;

int counter_impl_add(void *ctx, uint64_t badge, int64_t n, int64_t *out)
{
	(void)ctx;
	(void)badge;
	served++;
	if ((n > 0 && value > INT64_MAX - n) || (n < 0 && value < INT64_MIN - n))
		return COUNTER_ERROR_OVERFLOW;
	value += n;
	*out = value;
	return SEL_OK;
}

int counter_impl_get(void *ctx, uint64_t badge, int64_t *out)
{
	(void)ctx;
	(void)badge;
	served++;
	*out = value;
	return SEL_OK;
}

int counter_impl_calls(void *ctx, uint64_t badge, uint64_t *n)
{
	(void)ctx;
	(void)badge;
	*n = ++served;
	return SEL_OK;
}

/* An address nothing maps (read at run time: the compiler cannot see the store is wild). */
static volatile uint64_t *volatile nowhere = (volatile uint64_t *)16;

/* A store to it: the fault goes to the root task (the supervisor). */
int counter_impl_crash(void *ctx, uint64_t badge)
{
	(void)ctx;
	(void)badge;
	*nowhere = 0;
	return SEL_OK;
}

SEL_SERVICE(counter_dispatch);

int main(void);

int main(void)
{
	return sel_serve();
}
