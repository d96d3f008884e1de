/*
 * The partners of the benchmark image's IPC and notification figures, and
 * the contract between the root task (the client) and the server program
 * it spawns (server.c).
 *
 * The same loops run in a separate address space (the server program,
 * started by the spawner with its role in a0 and its caps at the slots
 * below) and in a thread of the root task's own address space. Each loop
 * is what a real server would run: nothing but the syscall, the message
 * and an exit on error (the blocked client then sees SEL_ERR_PEER_DEAD).
 */
#ifndef BENCH_SERVE_H
#define BENCH_SERVE_H

#include <stdint.h>
#include <sel/ipc.h>
#include <sel/syscall.h>

/* Slots of the server process's CNode holding the caps it is given. */
#define BENCH_SRV_SLOT_EP   16
#define BENCH_SRV_SLOT_NTFN 17
/* Where the waiter finds the page it shares with the root task. */
#define BENCH_SHARED_VADDR 0x20000000ull

/* What the server program does (its start argument). */
enum bench_role {
	BENCH_ROLE_ECHO0 = 0,      /* answers every Call with an empty message */
	BENCH_ROLE_ECHO10 = 1,     /* answers a 10-word message with 10 words, MR9 + 1 */
	BENCH_ROLE_WAITER = 2,     /* waits on the notification, stamps each wake-up */
	BENCH_ROLE_UINTR_PONG = 3, /* user interrupts: wait, then send back, forever */
	BENCH_ROLE_RING_ECHO = 4,  /* rings in a window: answers every request, +1 */
	BENCH_ROLE_LEASE_SUM = 5,  /* sums the 4 KiB each Call lends, replies with the sum */
	BENCH_ROLE_SESSIONS = 6,   /* accepts sessions, one at a time */
};

/* The sessions server: its receiver and window Untyped, and where it maps windows. */
#define BENCH_SRV_SLOT_UT   18
#define BENCH_SESSION_VADDR (BENCH_SHARED_VADDR + 0x4000)

/* The window with the ring pair: requests at +0, responses at +4 KiB. */
#define BENCH_RING_VADDR (BENCH_SHARED_VADDR + 0x2000)
#define BENCH_RING_DEPTH 32u

/* The page the waiter writes after each wake-up; the root task reads it. */
struct bench_shared {
	volatile uint64_t stamp;  /* rdinstret right after the Wait returned */
	volatile uint64_t seq;    /* wake-ups so far */
	volatile uint64_t errors; /* Waits that returned an error */
	volatile uint64_t word;   /* the notification word of the last wake-up */
};

void bench_serve0(sel_cptr_t ep);
void bench_serve10(sel_cptr_t ep);
void bench_wait_loop(sel_cptr_t ntfn, struct bench_shared *sh);
/*
 * Registers the receiver `recv` with an empty handler, installs `to_peer`
 * at index 0, sends once (ready), then waits and sends back, forever.
 */
void bench_uintr_pong(sel_cptr_t recv, sel_cptr_t to_peer);
/*
 * Registers `recv`, installs `to_client` at index 0 (the response ring's
 * doorbell), then takes requests from the ring at BENCH_RING_VADDR and
 * answers each with its first word plus one, sleeping when there are none.
 */
void bench_ring_echo(sel_cptr_t recv, sel_cptr_t to_client);
/* Receives Calls lending 4 KiB; sums the lease as 512 words and replies with the sum. */
void bench_lease_sum(sel_cptr_t ep);
/* The server's sum of 512 words; the client calibrates it on private memory. */
uint64_t bench_sum512(const uint64_t *buf);
/*
 * Accepts session after session on `ep` (<sel/session.h>): 4 KiB windows
 * from the Untyped in BENCH_SRV_SLOT_UT, senders to the receiver `recv`;
 * a new request ends the previous session before it is served.
 */
void bench_session_server(sel_cptr_t ep, sel_cptr_t recv);

#endif /* BENCH_SERVE_H */
