/*
 * Capability-rights scenarios: the tables tools/scenario generates from a
 * scenario file (docs/scenarios.md), and the mailbox through which the
 * director (director.c, in the test process) drives the parties
 * (party.c, one process each).
 *
 * A scenario is objects, caps and steps. The director creates every object
 * once (a cap with every right in its own CSpace), spawns one process per
 * party, installs each party's caps (minted from the object's cap, or from
 * another party's cap when the file says `from`), then posts the steps in
 * file order. A step names slots of its party's CSpace only; the compiler
 * assigned every cap name a slot. The party performs the step and writes
 * its result; the director compares outcome and observations.
 *
 * Invariants the compiler guarantees (the director and parties rely on them):
 * party < n_parties <= SCEN_MAX_PARTIES; n_objects <= SCEN_MAX_OBJECTS;
 * every cap slot is in
 * [SCEN_FIRST_SLOT, SCEN_FIRST_SLOT + SCEN_MAX_CAPS); a cap's `from` is an
 * earlier cap of the table or SCEN_NONE; n_steps <= SCEN_MAX_STEPS.
 */
#ifndef SELENE_SCENARIO_H
#define SELENE_SCENARIO_H

#include <stdint.h>

#define SCEN_MAX_PARTIES 5
#define SCEN_MAX_OBJECTS 12
#define SCEN_MAX_CAPS    48
#define SCEN_MAX_STEPS   48
#define SCEN_FIRST_SLOT  32
#define SCEN_NONE        0xffffu
/* Where a party maps the frame or window of cap slot s: SCEN_MAP_BASE + (s - first) * 16 KiB. */
#define SCEN_MAP_BASE   0x40000000ull
#define SCEN_MAP_STRIDE 0x4000ull
/* The page every party and the director share (the mailbox), in each party. */
#define SCEN_SHARED_VADDR 0x3fe00000ull

/* Outcomes beyond enum sel_error. */
#define SCEN_FAULT   1000 /* the memory access faulted (caught in the party) */
#define SCEN_BLOCKED 1001 /* still blocked when the scenario ends */

enum scen_kind {
	SCEN_KIND_ENDPOINT,
	SCEN_KIND_NOTIFICATION,
	SCEN_KIND_FRAME,
	SCEN_KIND_WINDOW,
	SCEN_KIND_UINTR_RECEIVER,
	SCEN_KIND_UNTYPED,
	SCEN_KIND_CNODE,
	SCEN_KIND_TCB,
	SCEN_KIND_COUNT
};

enum scen_op {
	SCEN_OP_SEND,
	SCEN_OP_NBSEND,
	SCEN_OP_CALL,
	SCEN_OP_RECV,
	SCEN_OP_NBRECV,
	SCEN_OP_REPLY,
	SCEN_OP_SIGNAL,
	SCEN_OP_WAIT,
	SCEN_OP_POLL,
	SCEN_OP_MAP,
	SCEN_OP_UNMAP,
	SCEN_OP_READ,
	SCEN_OP_WRITE,
	SCEN_OP_COPY,
	SCEN_OP_MINT,
	SCEN_OP_MUTATE,
	SCEN_OP_MOVE,
	SCEN_OP_DELETE,
	SCEN_OP_REVOKE,
	SCEN_OP_IDENTIFY,
	SCEN_OP_RETYPE,
	SCEN_OP_REGISTER,
	SCEN_OP_CREATE_SENDER,
	SCEN_OP_INSTALL,
	SCEN_OP_UINTR_SEND,
	SCEN_OP_INTERRUPTS,
	SCEN_OP_LEASE_READ,
	SCEN_OP_LEASE_WRITE,
	SCEN_OP_SUSPEND,
	SCEN_OP_RESUME,
	SCEN_OP_GET_STATE,
	SCEN_OP_SET_PRIORITY,
	SCEN_OP_BIND_NOTIFICATION,
	SCEN_OP_SET_FAULT_ENDPOINT,
	SCEN_OP_COUNT
};

/* Which observations a step checks (struct scen_step.check). */
enum scen_check {
	SCEN_CHECK_BADGE = 1u << 0,
	SCEN_CHECK_LABEL = 1u << 1,
	SCEN_CHECK_VALUE = 1u << 2,
	SCEN_CHECK_CAPS = 1u << 3,
	SCEN_CHECK_RIGHTS = 1u << 4,
	SCEN_CHECK_TYPE = 1u << 5, /* Identify's object type (SEL_OBJ_NULL: empty) */
};

/* An object the director creates: kind and, for sized kinds, size in bits. */
struct scen_object {
	uint8_t kind; /* enum scen_kind */
	uint8_t bits;
};

/*
 * A cap a party holds when it starts: a Mint of object `object`'s cap (or,
 * with `from` != SCEN_NONE, of caps[from] in its holder's CSpace) into slot
 * `slot` of party `party`, with `rights` and `badge`. A sender
 * (vector != SCEN_NONE) is first created from the receiver with that vector.
 */
struct scen_cap {
	uint8_t party;
	uint16_t slot;
	uint16_t object;
	uint16_t from;
	uint16_t vector;
	uint32_t rights;
	uint64_t badge;
};

/*
 * One step: party `party` performs `op` on slot `cap` (and `cap2`: the new
 * slot of copy/mint/mutate/move/create_sender/retype, the receive slot of
 * recv, or the cap sent along with send/call; `lease`: the frame a call
 * lends). Arguments: label, value, rights (of a mapping, a copy, a lease),
 * badge (the mint badge or the retype kind), index (user-interrupt table
 * index, window side, sender vector, byte offset, retype size, lease length). `expect` is an enum sel_error,
 * SCEN_FAULT or SCEN_BLOCKED; `check` says which of the want_* fields the
 * result must match.
 */
struct scen_step {
	uint16_t line;
	uint8_t party;
	uint8_t op;
	uint16_t cap, cap2, lease;
	uint32_t rights;
	uint64_t label, value, badge, index;
	int32_t expect;
	uint32_t check;
	uint64_t want_badge, want_label, want_value, want_caps, want_rights, want_type;
};

struct scen {
	const char *file;
	unsigned line; /* of its [[scenario]] header */
	unsigned n_parties, n_objects, n_caps, n_steps;
	const char *const *party_names;
	const struct scen_object *objects;
	const struct scen_cap *caps;
	const struct scen_step *steps;
};

/* The result a party writes for a step, and the mailbox it reads its next step from. */
struct scen_result {
	volatile uint64_t done; /* 1 once the step is over (err and the fields below set) */
	int64_t err;
	uint64_t badge, label, value, caps, rights, type;
};

struct scen_mailbox {
	volatile uint64_t posted; /* sequence number of the step in `step` (0: none yet) */
	volatile uint64_t index;  /* its index in the scenario (result slot) */
	struct scen_step step;
};

struct scen_shared {
	struct scen_mailbox box[SCEN_MAX_PARTIES];
	struct scen_result result[SCEN_MAX_STEPS];
};

_Static_assert(sizeof(struct scen_shared) <= 4096, "the mailbox fits in one page");

struct test_ctx;

/* Runs scenario s in the calling test (director.c); a difference fails t. */
void scen_run(struct test_ctx *t, const struct scen *s);

/* The names of enum sel_error, by value (generated with the tables from error.h). */
extern const char *const scen_error_names[];
extern const unsigned scen_n_error_names;

#endif /* SELENE_SCENARIO_H */
