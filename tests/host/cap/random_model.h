/*
 * The reference model of the randomised test (test_random.c): the
 * derivation tree as explicit parent indices over MODEL_SLOTS slots, with
 * the rules of cap.h re-stated independently of kernel/cap/. Each m_*
 * function predicts an operation's error code and, on success, applies it
 * to the model, recording in `expect` the objects it finalises.
 */
#ifndef SELENE_TESTS_CAP_RANDOM_MODEL_H
#define SELENE_TESTS_CAP_RANDOM_MODEL_H

#include "cap_test.h"

#define MODEL_SLOTS 48

struct mcap {
	bool used;
	int parent;
	uint32_t type;
	uint32_t rights;
	uint64_t badge;
	uint64_t object;
	uint32_t size_bits;
	uint64_t word0; /* watermark of an Untyped, vector of a sender */
};

/* An object by (referred type, address, log2 size): an Untyped and its first
 * child Untyped share an address. */
struct fin_expect {
	uint32_t ref_type;
	uint64_t object;
	uint32_t bits;
};

extern struct mcap m[MODEL_SLOTS];
extern struct fin_expect expect[MODEL_SLOTS];
extern size_t nexpect;

bool has_children(int i);
void m_remove(int i);
void m_relocate(int src, int dest);
enum sel_error m_derive(int src, int dest, uint32_t rights, bool mint, uint64_t data);
enum sel_error m_mutate(int src, int dest, uint32_t rights, uint64_t data);
enum sel_error m_retype(int ut, uint32_t type, uint32_t bits, int dest, int count);
enum sel_error m_sender(int p, int d, uint64_t vector, uint32_t rights);
void m_revoke(int i);

#endif /* SELENE_TESTS_CAP_RANDOM_MODEL_H */
