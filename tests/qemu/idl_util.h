/*
 * Helpers for the IDL tests (idl_*.c): a server program spawned into an
 * address space of its own, serving an endpoint the test holds, and raw
 * Calls that bypass the generated stubs (the hostile-client tests).
 */
#ifndef SELENE_TESTS_IDL_UTIL_H
#define SELENE_TESTS_IDL_UTIL_H

#include <sel/idl_sync.h>
#include <sel/spawn.h>
#include "ipc_util.h"

/* The test service's server (idl_test_server.c, idl/idltest.idl): its slots. */
#define IDLTEST_SLOT_EP   16 /* the endpoint it serves */
#define IDLTEST_SLOT_NTFN 17 /* its notification, which `take` hands out */
#define IDLTEST_SLOT_CAPS 20 /* three slots for caps in requests */

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
