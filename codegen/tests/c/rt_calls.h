/*
 * Random calls of every rt.idl method (rt_calls.c) and the RT_CHECK macro
 * the test programs report failures with.
 */
#ifndef IDL_TEST_RT_CALLS_H
#define IDL_TEST_RT_CALLS_H

#include <stdio.h>

#include "loopback.h"
#include "rt_harness.h"

extern const char *rt_mode;
extern struct sel_idl_conn *rt_conn;
extern struct rt_server *rt_srv;
extern struct loopback *rt_lb;

void rt_fail_now(void);

/* Print "FAIL <mode> <what> [file:line]" and exit 1 unless cond holds. */
#define RT_CHECK(cond, ...)                                                                        \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			printf("FAIL %s ", rt_mode);                                               \
			printf(__VA_ARGS__);                                                       \
			printf(" [%s:%d]\n", __FILE__, __LINE__);                                  \
			rt_fail_now();                                                             \
		}                                                                                  \
	} while (0)

void rt_call_scalars(uint64_t *rng, int iter);
void rt_call_everything(uint64_t *rng, int iter);
void rt_call_arrays(uint64_t *rng, int iter);
void rt_call_opaque(uint64_t *rng, int iter);
void rt_call_caps_leases(uint64_t *rng, int iter);
void rt_call_notes(uint64_t *rng, int iter);
void rt_call_all(uint64_t *rng, int iter);

#endif /* IDL_TEST_RT_CALLS_H */
