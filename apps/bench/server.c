/*
 * The benchmark image's server program: spawned by the root task into an
 * address space of its own (the cross-address-space figures), it runs the
 * loop its start argument names (enum bench_role) on the caps the root
 * task gave it, and exits if that loop fails.
 */
#include "serve.h"

int main(uint64_t role);

int main(uint64_t role)
{
	switch (role) {
	case BENCH_ROLE_ECHO0:
		bench_serve0(BENCH_SRV_SLOT_EP);
		break;
	case BENCH_ROLE_ECHO10:
		bench_serve10(BENCH_SRV_SLOT_EP);
		break;
	case BENCH_ROLE_UINTR_PONG:
		bench_uintr_pong(BENCH_SRV_SLOT_EP, BENCH_SRV_SLOT_NTFN);
		break;
	case BENCH_ROLE_RING_ECHO:
		bench_ring_echo(BENCH_SRV_SLOT_EP, BENCH_SRV_SLOT_NTFN);
		break;
	case BENCH_ROLE_LEASE_SUM:
		bench_lease_sum(BENCH_SRV_SLOT_EP);
		break;
	case BENCH_ROLE_SESSIONS:
		bench_session_server(BENCH_SRV_SLOT_EP, BENCH_SRV_SLOT_NTFN);
		break;
	case BENCH_ROLE_WAITER:
		bench_wait_loop(BENCH_SRV_SLOT_NTFN, (struct bench_shared *)BENCH_SHARED_VADDR);
		break;
	}
	return 1;
}
