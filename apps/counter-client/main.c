/*
 * The placement demo's client (apps/counter-direct, apps/counter-sync,
 * apps/counter-async boot it): it calls the counter service through the
 * stubs idlc generates from idl/counter.idl, on the connection the root
 * task bound in its table. The same ELF runs under every placement; what it
 * prints does not depend on the placement either.
 */
#include <sel/bind.h>
#include <sel/print.h>
#include "counter_client.h" /* generated from idl/counter.idl */

#define IN_FLIGHT 4

int main(void);

int main(void)
{
	struct sel_idl_future *f[IN_FLIGHT];
	int64_t value = 0;
	uint64_t calls = 0;
	int err;
	struct sel_idl_conn *counter = sel_bind("counter", &err);

	if (!counter) {
		sel_printf("client: no connection to counter (error %d)\n", err);
		return 1;
	}
	for (int64_t n = 1; n <= 5; n++) {
		err = counter_add(counter, n, &value);
		sel_printf("client: add(%ld) = %ld (%d)\n", (long)n, (long)value, err);
	}
	/* Calls in flight at once: resolved at once by direct and sync, in a batch by async. */
	for (int k = 0; k < IN_FLIGHT; k++)
		f[k] = counter_add_async(counter, 100);
	for (int k = 0; k < IN_FLIGHT; k++) {
		err = counter_add_finish(f[k], &value);
		sel_printf("client: future %d: %ld (%d)\n", k, (long)value, err);
	}
	err = counter_add(counter, INT64_MAX, &value);
	sel_printf("client: add(INT64_MAX) -> %s\n",
	           err == COUNTER_ERROR_OVERFLOW ? "overflow" : "unexpected");
	err = counter_get(counter, &value);
	sel_printf("client: get() = %ld (%d)\n", (long)value, err);
	err = counter_calls(counter, &calls);
	sel_printf("client: calls() = %lu (%d)\n", (unsigned long)calls, err);
	/* Deny by default: no connection was declared to echo. */
	sel_printf("client: echo is %s\n", sel_bind("echo", &err) ? "reachable" : "not connected");
	return 0;
}
