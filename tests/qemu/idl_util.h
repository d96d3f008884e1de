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

/* A spawned server and the test's handles on it. */
struct idl_server {
	struct sel_spawner sp;
	struct sel_process p;
	uint64_t ut;     /* the test's Untyped for this server: endpoint, page tables */
	uint64_t budget; /* the server process's budget */
	uint64_t ep;     /* the endpoint (the test's original cap) */
};

/*
 * Spawns the echo server (servers/echo) in a new address space, serving a
 * new endpoint over `transport` (enum echo_server_transport). The spawner
 * fills frames through REGION(region) of the test's address space.
 */
int idl_spawn_echo(struct idl_server *s, unsigned region, uint64_t transport);
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
