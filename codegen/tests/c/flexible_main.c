/*
 * Unknown-method policy of a flexible service (good/flexible.idl): an unknown
 * two-way call is reported to the server and answered with
 * SEL_ERR_UNKNOWN_METHOD, an unknown one-way call is reported and ignored,
 * and dispatch returns SEL_OK for both (the session goes on).
 */
#include <stdio.h>
#include <string.h>

#include "flexible_server.h"
#include "flexible_strict_server.h"

static int unknown_calls;
static uint16_t last_unknown;

int flexible_impl_hello(void *ctx, uint64_t badge, const char *name, char greeting[64 + 1])
{
	(void)ctx;
	(void)badge;
	strcpy(greeting, "hello ");
	strncat(greeting, name, 32);
	return SEL_OK;
}

int flexible_strict_impl_hello(void *ctx, uint64_t badge)
{
	(void)ctx;
	(void)badge;
	return SEL_OK;
}

void flexible_impl_unknown_method(void *ctx, uint64_t badge, uint16_t ordinal)
{
	(void)ctx;
	(void)badge;
	unknown_calls++;
	last_unknown = ordinal;
}

static int call(uint16_t ordinal, uint8_t kind, struct sel_idl_msg *rep)
{
	static _Alignas(8) uint8_t reqb[16], repb[SEL_IDL_MAX_MESSAGE_BYTES];
	struct sel_idl_msg req = {.buf = reqb, .capacity = sizeof(reqb)};

	memset(rep, 0, sizeof(*rep));
	rep->buf = repb;
	rep->capacity = sizeof(repb);
	sel_idl_write_header(&req, ordinal, kind, 0, 0);
	return flexible_dispatch(NULL, 1, &req, rep);
}

int main(void)
{
	struct sel_idl_msg rep;
	uint64_t word;
	int rc;

	rc = call(77, SEL_IDL_KIND_REQUEST, &rep);
	memcpy(&word, rep.buf, 8);
	if (rc != SEL_OK || unknown_calls != 1 || last_unknown != 77 || rep.len != 8 ||
	    (word >> 32) != SEL_ERR_UNKNOWN_METHOD) {
		printf("FAIL flexible two-way unknown: rc %d calls %d len %u\n", rc, unknown_calls,
		       rep.len);
		return 1;
	}
	rc = call(78, SEL_IDL_KIND_ONEWAY, &rep);
	if (rc != SEL_OK || unknown_calls != 2 || last_unknown != 78 || rep.len != 0) {
		printf("FAIL flexible one-way unknown: rc %d calls %d len %u\n", rc, unknown_calls,
		       rep.len);
		return 1;
	}
	printf("ok flexible\n");
	return 0;
}
