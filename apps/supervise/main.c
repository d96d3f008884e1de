/*
 * The supervision demo's client (apps/supervise): three of them call the
 * counter service; the first crashes it in the middle of everyone's calls.
 * The root task restarts it on the same endpoint; the crashing call ends
 * with SEL_ERR_PEER_DEAD, and every later call of every client succeeds
 * against the restarted instance. A client whose call ends with
 * SEL_ERR_PEER_DEAD binds again (sel_bind): a sync connection is as it was,
 * an async one opens a new session with the restarted server (or, if the
 * server was stopped, stays dead). Started with a0 = its index.
 */
#include <sel/bind.h>
#include <sel/print.h>
#include <sel/syscall.h>
#include "counter_client.h" /* generated from idl/counter.idl */

#define CALLS    12
#define CRASH_AT 4
#define CRASHER  1 /* the index of the client that crashes the server */
#define OTHERS   6 /* adds of the other clients it waits for before the crash */

/* After a peer-dead call: bind again, and use the new connection if there is one. */
static struct sel_idl_conn *rebind(uint64_t index, struct sel_idl_conn *c)
{
	int err;
	struct sel_idl_conn *again = sel_bind("counter", &err);

	sel_printf("supervise %lu: reconnect -> %d\n", index, err);
	return again ? again : c;
}

int main(uint64_t index);

int main(uint64_t index)
{
	int64_t value = 0;
	int err, failed = 0, unexpected = 0; /* failed calls; those not ended by peer death */
	struct sel_idl_conn *c = sel_bind("counter", &err);

	if (!c) {
		sel_printf("supervise %lu: no connection (%d)\n", index, err);
		return 1;
	}
	for (int i = 0; i < CALLS; i++) {
		if (index == CRASHER && i == CRASH_AT) {
			/* In the middle of everyone's calls: once the others have made some. */
			for (int spin = 0; spin < 100000 && value < CRASH_AT + OTHERS; spin++) {
				sel_yield();
				counter_get(c, &value);
			}
			sel_printf("supervise %lu: crash at %ld -> %d\n", index, (long)value,
			           counter_crash(c));
			c = rebind(index, c);
		}
		err = counter_add(c, 1, &value);
		sel_yield(); /* the clients take turns: the crash falls among their calls */
		if (err != SEL_OK) {
			sel_printf("supervise %lu: add %d -> %d\n", index, i, err);
			failed++;
			if (err == SEL_ERR_PEER_DEAD)
				c = rebind(index, c);
			else
				unexpected++;
		}
	}
	err = counter_get(c, &value);
	if (err == SEL_ERR_PEER_DEAD) { /* its server went after our last add */
		c = rebind(index, c);
		err = counter_get(c, &value);
	}
	sel_printf("supervise %lu: %d failed calls, last get %d\n", index, failed, err);
	return unexpected || err != SEL_OK;
}
