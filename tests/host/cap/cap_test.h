/*
 * The host tests of the capability core (kernel/cap/): a tiny harness, the
 * hook stubs' controls, and helpers to build trees in host memory.
 *
 * One binary runs one case chosen by name on the command line and prints
 * exactly one line, `TEST CAP_05NN PASS` or `TEST CAP_05NN FAIL <reason>`,
 * exiting non-zero on failure. CHECK() failures and cap_assert() failures
 * both end the case with a FAIL line.
 */
#ifndef SELENE_TESTS_CAP_TEST_H
#define SELENE_TESTS_CAP_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cap/cap.h"
#include "cap/cap_debug.h"

void test_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 3, 4)));

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			test_fail(__FILE__, __LINE__, __VA_ARGS__);                                \
		}                                                                                  \
	} while (0)

#define CHECK_ERR(expr, want)                                                                      \
	do {                                                                                       \
		enum sel_error got_ = (expr);                                                      \
		CHECK(got_ == (want), "%s returned %d, expected %d (%s)", #expr, (int)got_,        \
		      (int)(want), #want);                                                         \
	} while (0)

/* --- Hook stubs (hooks.c). --- */

#define FIN_LOG_MAX 65536u

struct fin_record {
	uint32_t type;
	uint32_t ref_type;
	uint64_t object;
	uint32_t bits;
};

extern uint64_t fin_count;                     /* cap_object_finalise() calls */
extern struct fin_record fin_log[FIN_LOG_MAX]; /* the first FIN_LOG_MAX of them */
extern uint64_t init_count;                    /* cap_object_init() calls */
extern uint64_t preempt_every;                 /* 0: never; N: every Nth call is true */
extern uint64_t preempt_calls;                 /* cap_preemption_point() calls */
extern uint64_t preempt_fired;                 /* ... that returned true */

void hooks_reset(void);
/* How often an object (by address and referred type) was finalised. */
uint64_t fin_times(uint64_t object, uint32_t ref_type);

/* --- A test environment (support.c). --- */

struct env {
	struct cdt cdt;
	struct cte *slots; /* free-standing test slots */
	size_t nslots;
	uint8_t *arena; /* memory of the root Untyped */
	uint32_t arena_bits;
	struct cap_registry_entry *reg;
	const struct cte **scratch;
};

/* nslots test slots; slot 0 gets a root Untyped over a fresh 2^arena_bits arena. */
void env_init(struct env *e, size_t nslots, uint32_t arena_bits);
void env_fini(struct env *e);
/* Run the checker; FAIL the test with its report if an invariant is broken. */
void env_check_at(struct env *e, const char *file, int line);
#define env_check(e) env_check_at((e), __FILE__, __LINE__)
/* Run the checker and return its report (for the corruption cases). */
struct cap_check_report env_report(struct env *e);

struct cte *env_slot(struct env *e, size_t i);
/* Retype one object of `type` from the cap in slot `ut` into slot `dest`. */
void env_retype(struct env *e, size_t ut, uint32_t type, uint32_t bits, size_t dest);
/* The slots inside the CNode (or TCB) whose cap is in `c`. */
struct cte *cnode_slots(const struct cte *c);
/* Repeat a Delete or Revoke until it is not preempted, checking in between. */
enum sel_error env_delete_all(struct env *e, struct cte *slot);
enum sel_error env_revoke_all(struct env *e, struct cte *slot);
/* Number of nodes currently in the tree. */
uint64_t env_nodes(struct env *e);
/* True iff `c` is a descendant of `a`. */
bool is_descendant(const struct cte *a, const struct cte *c);

/* Deterministic pseudo-random numbers (xorshift64*). */
uint64_t rng_next(uint64_t *state);

/* Test cases (test_*.c). */
#define CAP_TEST_LIST(X)                                                                           \
	X(CAP_0501, mint_copy_rights_matrix)                                                       \
	X(CAP_0502, badge_immutable)                                                               \
	X(CAP_0503, occupied_dest_changes_nothing)                                                 \
	X(CAP_0504, empty_source_changes_nothing)                                                  \
	X(CAP_0505, revoke_three_levels)                                                           \
	X(CAP_0506, revoke_one_badged_original)                                                    \
	X(CAP_0507, delete_last_finalises_once)                                                    \
	X(CAP_0508, delete_intermediate_reparents)                                                 \
	X(CAP_0509, retype_errors)                                                                 \
	X(CAP_0510, retype_after_revoke_reuses_memory)                                             \
	X(CAP_0511, untyped_reset_needs_no_children)                                               \
	X(CAP_0512, device_untyped_rules)                                                          \
	X(CAP_0513, cspace_three_levels)                                                           \
	X(CAP_0514, cspace_errors)                                                                 \
	X(CAP_0515, revoke_10k_preempted)                                                          \
	X(CAP_0516, nested_cnodes_delete)                                                          \
	X(CAP_0517, cnode_cycles_reclaimed)                                                        \
	X(CAP_0518, uncopyable_types)                                                              \
	X(CAP_0519, move_and_mutate)                                                               \
	X(CAP_0520, uintr_sender_derivation)                                                       \
	X(CAP_0521, identify)                                                                      \
	X(CAP_0522, tcb_slots_emptied)                                                             \
	X(CAP_0523, large_cnode_delete_preempted)                                                  \
	X(CAP_0524, retype_layout)                                                                 \
	X(CAP_0525, cnode_guard_data)                                                              \
	X(CAP_0526, irq_handler_derivation)                                                        \
	X(CAP_0527, insert_root_checks)                                                            \
	X(CAP_0530, corrupt_list)                                                                  \
	X(CAP_0531, corrupt_depth)                                                                 \
	X(CAP_0532, corrupt_derivation)                                                            \
	X(CAP_0533, corrupt_rights)                                                                \
	X(CAP_0534, corrupt_badge)                                                                 \
	X(CAP_0535, corrupt_untyped)                                                               \
	X(CAP_0536, corrupt_freed)                                                                 \
	X(CAP_0537, corrupt_contiguous)                                                            \
	X(CAP_0538, corrupt_zombie)                                                                \
	X(CAP_0540, random_against_model)                                                          \
	X(CAP_0541, random_containers)

#define CAP_TEST_DECLARE(id, name) void test_##name(void);
CAP_TEST_LIST(CAP_TEST_DECLARE)
#undef CAP_TEST_DECLARE

#endif /* SELENE_TESTS_CAP_TEST_H */
