/*
 * cap_assert: the capability core's assertion, quoting the invariant it
 * enforces.
 *
 * `cap_assert(cond, "why")` states an invariant that the code around it
 * relies on; "why" names the invariant in words ("insert needs an empty
 * slot"). In debug builds (SELENE_DEBUG) a false condition calls the hook
 * cap_assert_fail(), which the kernel implements (print and panic) and the
 * host tests implement (print and abort). In release builds the condition is
 * not evaluated. cap_assert_fail() must not return.
 *
 * For the proofs the hook requires \false: every cap_assert() becomes a proof
 * obligation that the condition holds.
 */
#ifndef SELENE_CAP_ASSERT_H
#define SELENE_CAP_ASSERT_H

/*@ requires \false;
    assigns \nothing;
    ensures \false; */
void cap_assert_fail(const char *expr, const char *why, const char *file, int line);

#ifdef SELENE_DEBUG
#define cap_assert(cond, why) ((cond) ? (void)0 : cap_assert_fail(#cond, (why), __FILE__, __LINE__))
#else
#define cap_assert(cond, why) ((void)sizeof((cond) ? 1 : 0))
#endif

#endif /* SELENE_CAP_ASSERT_H */
