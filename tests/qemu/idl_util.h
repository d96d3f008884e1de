/*
 * Helpers for the IDL tests (idl_*.c): a server program spawned into an
 * address space of its own, serving an endpoint the test holds, and raw
 * Calls that bypass the generated stubs (the hostile-client tests).
 */
#ifndef SELENE_TESTS_IDL_UTIL_H
#define SELENE_TESTS_IDL_UTIL_H

#include <sel/idl_async.h>
#include <sel/idl_sync.h>
#include <sel/spawn.h>
#include "ipc_util.h"

/* The test service's server (idl_test_server.c, idl/idltest.idl): its slots. */
#define IDLTEST_SLOT_EP   16 /* the endpoint it serves */
#define IDLTEST_SLOT_NTFN 17 /* its notification, which `take` hands out */
#define IDLTEST_SLOT_CAPS 20 /* three slots for caps in requests */
/* Over the async transport (either server): as servers/echo/echo_launch.h. */
#define IDLTEST_SLOT_UT       19 /* an Untyped for its session windows */
#define IDLTEST_SLOT_RECV     18 /* its receiver (Write, Grant) */
#define IDLTEST_SLOT_SESSIONS 64
/* Its side thread (calls with capabilities or a lease): TCB and IPC buffer, caps received. */
#define IDLTEST_SLOT_SIDE      40
#define IDLTEST_SLOT_SIDE_CAPS 44
#define IDLTEST_SIDE_IPC       (IDLTEST_WINDOWS + 0x1ff000) /* the last page under its tables */
#define IDLTEST_WINDOWS        (70ull << 30)
/* Start argument of an async server: clients, call slots each, window size (as ECHO's). */
#define IDLTEST_ASYNC_ARG(clients, slots, window_bits)                                             \
	(1ull | (uint64_t)(clients) << 8 | (uint64_t)(slots) << 16 | (uint64_t)(window_bits) << 32)

/* A spawned server and the test's handles on it. */
struct idl_server {
	struct sel_spawner sp;
	struct sel_process p;
	uint64_t ut;     /* the test's Untyped for this server: endpoint, page tables */
	uint64_t budget; /* the server process's budget */
	uint64_t ep;     /* the endpoint (the test's original cap) */
};

/*
 * Builds a server program (ELF image elf, size bytes) into a new address
 * space with a new endpoint in its slot ep_slot (Read, Write, Grant); not
 * started. The spawner fills frames through REGION(region) of the test's
 * address space.
 */
int idl_spawn(struct idl_server *s, unsigned region, const uint8_t *elf, size_t size,
              uint64_t ep_slot);
/*
 * What a spawned server needs for the async transport: a receiver in
 * recv_slot, an Untyped of 2^ut_bits for its windows in ut_slot, page
 * tables at `windows` in its address space.
 */
int idl_async_equip(struct idl_server *s, uint64_t ut_slot, uint32_t ut_bits, uint64_t recv_slot,
                    uint64_t windows);

/* The test's side of async connections: one receiver for this thread, vectors 2k and 2k+1. */
struct idl_async_peer {
	struct sel_idl_conn conn;
	struct sel_idl_async_client c;
};
/*
 * Connects client k (0..10: sender-table entry k, vectors 2k and 2k + 1,
 * window at REGION(45) + k * 2^17, page tables from ut) to the server
 * endpoint cap `cap` with up to nslots slots (futures and slots: nslots
 * each). The first call registers the thread's receiver; its handler
 * serves every connected peer.
 */
int idl_async_connect(struct idl_async_peer *p, uint32_t k, uint64_t ut, uint64_t cap,
                      struct sel_idl_future *futures, struct sel_idl_async_slot *slots,
                      uint32_t nslots);

/* A cap to the server's endpoint for a client: Write and Grant, with `badge`. */
int idl_client_cap(const struct idl_server *s, uint64_t badge, uint64_t *slot);
/* Stops the server process and returns its budget. */
int idl_server_destroy(struct idl_server *s);

/*
 * A raw Call of `words` message words (w[0] is the IDL header) with
 * `label`; the reply's first word in *reply0 and its info in *info.
 */
int idl_raw_call(uint64_t ep, uint64_t label, const uint64_t *w, uint64_t words, uint64_t *info,
                 uint64_t *reply0);
/* The IDL header word of a request: ordinal, kind, wire version `version`. */
uint64_t idl_header(uint16_t ordinal, uint8_t kind, uint8_t version);
/* The status a reply header carries. */
static inline uint32_t idl_status(uint64_t header)
{
	return (uint32_t)(header >> 32);
}

#endif /* SELENE_TESTS_IDL_UTIL_H */
