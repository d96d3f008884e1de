/*
 * The fault-injection systems' client (apps/faultinj, apps/faultinj-async;
 * docs/reliability.md). Every client calls the faulty service CALLS times,
 * yielding between calls, and counts the calls answered (a result or an
 * error); after SEL_ERR_PEER_DEAD it binds again. Client 1 is also the
 * driver: from a seed (boot argument fseed=S, S < 64; else 1) it injects
 * faults into the server among everyone's calls, through the supervisor
 * (a register bit flip or a wild jump, TCB WriteRegisters) and through the
 * service (a memory bit flip, an illegal instruction, a wild store, all in
 * the middle of a call). Started with a0 = its index.
 */
#include <sel/bind.h>
#include <sel/ipc.h>
#include <sel/print.h>
#include <sel/syscall.h>
#include "faulty_client.h" /* generated from idl/faulty.idl */
#include "system.h"        /* the supervisor's requests (servers/root) */

#define CALLS         300 /* calls of each client */
#define FAULTS        24  /* faults the driver injects at most */
#define CALLS_BETWEEN 8   /* its calls between two faults */
#define DRIVER        1   /* the index of the client that injects */
#define VICTIM        0   /* the server's component: first in the manifest */
#define RESTART_LIMIT 3   /* servers/root restarts a component 3 times, then stops it */
#define SEEDS         64

enum fault_kind { REG_FLIP, WILD_JUMP, MEM_FLIP, ILLEGAL, WILD_STORE, KINDS };
static const char *const kind_names[KINDS] = {"reg_flip", "wild_jump", "mem_flip", "illegal",
                                              "wild_store"};

/* What one client saw: calls made, and of those answered with SEL_OK or an error. */
struct tally {
	uint32_t calls, ok, errors, peer_dead;
	struct sel_idl_conn *c;
};

static uint64_t rng;

static uint64_t next_random(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ull;
}

/* Counts one call's answer; after peer death, binds again. */
static void answered(struct tally *t, int err)
{
	t->calls++;
	if (err == SEL_OK) {
		t->ok++;
		return;
	}
	t->errors++;
	if (err == SEL_ERR_PEER_DEAD) {
		int e;
		struct sel_idl_conn *again = sel_bind("faulty", &e);
		t->peer_dead++;
		t->c = again ? again : t->c;
	}
}

static void one_call(struct tally *t)
{
	int64_t value;

	answered(t, faulty_add(t->c, 1, &value));
	sel_yield(); /* the clients take turns: faults fall among their calls */
}

static int supervisor(uint64_t label, uint64_t a, uint64_t b, uint64_t c, struct sel_msg *m)
{
	*m = (struct sel_msg){SEL_MSG_INFO(label, 0, 3), {a, b, c}, 0};
	int err = sel_call(SYS_SLOT_SUPERVISOR, m);

	return err != SEL_OK ? err : (int)m->mr[0];
}

/* S if the system was booted with fseed=S (S < SEEDS), else 1. */
static uint64_t boot_seed(void)
{
	for (uint64_t s = 0; s < SEEDS; s++) {
		struct sel_msg m = {SEL_MSG_INFO(SYS_REQ_BOOTARG, 0, 4), {0}, 0};
		char *w = (char *)m.mr;
		int n = 0;
		for (const char *p = "fseed="; *p; p++)
			w[n++] = *p;
		if (s >= 10)
			w[n++] = (char)('0' + s / 10);
		w[n] = (char)('0' + s % 10);
		if (sel_call(SYS_SLOT_SUPERVISOR, &m) == SEL_OK && m.mr[0] == SEL_OK && m.mr[1])
			return s;
	}
	return 1;
}

/* Injects one fault of the given kind; returns 0 if the supervisor refused it. */
static int inject(struct tally *t, enum fault_kind kind)
{
	struct sel_msg m;
	uint64_t arg = next_random();

	switch (kind) {
	case REG_FLIP:
		return supervisor(SYS_REQ_CRASH, VICTIM, SYS_CRASH_FLIP, arg, &m) == SEL_OK;
	case WILD_JUMP: /* half into its own code (0x10000, 16 KiB), half anywhere */
		arg = arg & 1 ? 0x10000 + (arg >> 1) % 0x4000 * 2 : arg;
		return supervisor(SYS_REQ_CRASH, VICTIM, SYS_CRASH_JUMP, arg, &m) == SEL_OK;
	default:
		/* idl/faulty.idl's kinds 1, 2, 3: MEM_FLIP, ILLEGAL, WILD_STORE */
		answered(t, faulty_inject(t->c, (uint64_t)(kind - MEM_FLIP) + 1, arg));
		return 1;
	}
}

/* The driver's faults among its calls; prints what it injected. */
static void drive(struct tally *t)
{
	uint32_t count[KINDS] = {0}, injected = 0;
	uint64_t seed = boot_seed();
	struct sel_msg m;

	rng = 0x9e3779b97f4a7c15ull ^ (seed + 1) * 0x2545f4914f6cdd1dull;
	for (int f = 0; f < FAULTS; f++) {
		for (int i = 0; i < CALLS_BETWEEN; i++)
			one_call(t);
		/* Stop before a fault could exhaust the restarts: the rest would only measure a
		 * stopped server. */
		if (supervisor(SYS_REQ_RESTARTS, VICTIM, 0, 0, &m) != SEL_OK || !m.mr[2] ||
		    m.mr[1] >= RESTART_LIMIT)
			break;
		enum fault_kind kind = (enum fault_kind)(next_random() % KINDS);
		if (inject(t, kind)) {
			count[kind]++;
			injected++;
		}
	}
	supervisor(SYS_REQ_RESTARTS, VICTIM, 0, 0, &m);
	sel_printf("fault driver: seed %lu, %u faults injected, %lu restarts\n", seed, injected,
	           m.mr[1]);
	for (int k = 0; k < KINDS; k++)
		sel_printf("fault driver: %s %u\n", kind_names[k], count[k]);
}

int main(uint64_t index);

int main(uint64_t index)
{
	int err;
	struct tally t = {0};

	t.c = sel_bind("faulty", &err);
	if (!t.c) {
		sel_printf("fault client %lu: no connection (%d)\n", index, err);
		return 1;
	}
	if (index == DRIVER)
		drive(&t);
	while (t.calls < CALLS)
		one_call(&t);
	sel_printf("fault client %lu: %u calls, %u answered: %u ok, %u errors (%u peer dead)\n",
	           index, t.calls, t.ok + t.errors, t.ok, t.errors, t.peer_dead);
	return 0;
}
