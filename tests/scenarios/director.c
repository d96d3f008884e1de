/*
 * The scenario director: runs one capability-rights scenario (scenario.h)
 * from the test process. It creates the scenario's objects, spawns one
 * process per party (the embedded program scen-party, party.c), installs
 * each party's caps, then posts the steps in file order through the shared
 * mailbox page and judges every outcome and observation.
 *
 * Steps are sequential, except that a step may block (a Recv with no
 * sender, a Call until its reply): once its party is blocked in the kernel
 * the director goes on, and the step's result is judged when it completes.
 * Before a party gets its next step its blocked step must have completed
 * (or the scenario fails, naming both lines). A step expected "blocked"
 * must still be blocked when the scenario ends. The first difference fails
 * the test with the file, line, party and operation of the step.
 */
#include <sel/print.h>
#include <sel/spawn.h>
#include <sel/string.h>
#include <sel/uintr.h>
#include "ipc_util.h"
#include "scenario.h"

extern const uint8_t embedded_scen_party_start[], embedded_scen_party_end[];

#define SHARED_HERE REGION(30) /* the mailbox page in the director */
#define SPAWN_AT    REGION(31) /* the spawner's window */
#define NO_STEP     (~0u)
/*
 * Slots of our CNode each party's spawn may use (its CNode, VSpace, TCB, page
 * tables and a few pages: the party is small); SEL_PROCESS_SLOTS each would not
 * leave room for five parties in a test process's 256 slots.
 */
#define PARTY_SLOTS 32u

/* Yields for a blocked step to complete once the step that unblocks it has run. */
#define LATE 2000u

static const char *const op_names[SCEN_OP_COUNT] = {
    "send",
    "nbsend",
    "call",
    "recv",
    "nbrecv",
    "reply",
    "signal",
    "wait",
    "poll",
    "map",
    "unmap",
    "read",
    "write",
    "copy",
    "mint",
    "mutate",
    "move",
    "delete",
    "revoke",
    "identify",
    "retype",
    "register",
    "create_sender",
    "install",
    "uintr_send",
    "interrupts",
    "lease_read",
    "lease_write",
    "suspend",
    "resume",
    "get_state",
    "set_priority",
    "bind_notification",
    "set_fault_endpoint",
};

static const uint32_t kind_type[SCEN_KIND_COUNT] = {
    [SCEN_KIND_ENDPOINT] = SEL_OBJ_ENDPOINT,
    [SCEN_KIND_NOTIFICATION] = SEL_OBJ_NOTIFICATION,
    [SCEN_KIND_FRAME] = SEL_OBJ_FRAME,
    [SCEN_KIND_WINDOW] = SEL_OBJ_WINDOW,
    [SCEN_KIND_UINTR_RECEIVER] = SEL_OBJ_UINTR_RECEIVER,
    [SCEN_KIND_UNTYPED] = SEL_OBJ_UNTYPED,
    [SCEN_KIND_CNODE] = SEL_OBJ_CNODE,
    [SCEN_KIND_TCB] = SEL_OBJ_TCB,
};

/*
 * One run's state. pending[p] is the index of party p's step that is
 * blocked in the kernel (NO_STEP: none); seq[p] the last mailbox sequence
 * number posted to it.
 */
struct run {
	const struct scen *s;
	struct test_ctx *t;
	struct scen_shared *sh;
	struct sel_spawner sp;
	struct sel_process p[SCEN_MAX_PARTIES];
	uint64_t ut, shared, obj[SCEN_MAX_OBJECTS];
	unsigned pending[SCEN_MAX_PARTIES];
	uint64_t seq[SCEN_MAX_PARTIES];
};

static const char *error_name(int64_t e)
{
	static char buf[24];

	if (e == SCEN_FAULT)
		return "fault";
	if (e == SCEN_BLOCKED)
		return "blocked";
	if (e >= 0 && (uint64_t)e < scen_n_error_names)
		return e == SEL_OK ? "allowed" : scen_error_names[e];
	sel_snprintf(buf, sizeof(buf), "error %ld", (long)e);
	return buf;
}

static const char *base_name(const char *path)
{
	const char *b = path;

	for (const char *c = path; *c; c++)
		if (*c == '/')
			b = c + 1;
	return b;
}

/* Fails the test naming step k: "<file>:<line>: <party> <op>: <what>". */
#define STEP_FAIL(r, k, ...)                                                                       \
	do {                                                                                       \
		char what_[96];                                                                    \
		const struct scen_step *st_ = &(r)->s->steps[k];                                   \
		sel_snprintf(what_, sizeof(what_), __VA_ARGS__);                                   \
		test_fail((r)->t, base_name((r)->s->file), st_->line, "%s %s: %s",                 \
		          (r)->s->party_names[st_->party], op_names[st_->op], what_);              \
	} while (0)

static int create_objects(struct run *r)
{
	for (unsigned i = 0; i < r->s->n_objects; i++) {
		const struct scen_object *o = &r->s->objects[i];
		int err = object_new(r->ut, kind_type[o->kind], o->bits, &r->obj[i]);
		if (err != SEL_OK)
			return err;
	}
	return SEL_OK;
}

/* The source of cap c: another party's cap, a new sender, or the object's own cap. */
static int cap_source(struct run *r, const struct scen_cap *c, struct sel_slot *src)
{
	if (c->from != SCEN_NONE) {
		const struct scen_cap *f = &r->s->caps[c->from];
		*src = sel_slot_in(r->p[f->party].cnode, f->slot, FULL);
		return SEL_OK;
	}
	*src = sel_slot_in(ROOT, r->obj[c->object], FULL);
	if (c->vector == SCEN_NONE)
		return SEL_OK;
	src->index = slot_new();
	return sel_uintr_create_sender(r->obj[c->object], c->vector, ROOT, src->index, FULL);
}

static int install_caps(struct run *r)
{
	for (unsigned i = 0; i < r->s->n_caps; i++) {
		const struct scen_cap *c = &r->s->caps[i];
		struct sel_slot src;
		int err = cap_source(r, c, &src);
		/* Untyped caps cannot be copied: the one cap of an Untyped moves in. */
		uint64_t op =
		    c->from == SCEN_NONE && r->s->objects[c->object].kind == SCEN_KIND_UNTYPED
		        ? SEL_CNODE_MUTATE
		        : SEL_CNODE_MINT;
		if (err == SEL_OK)
			err = sel_cnode_op(op, sel_slot_in(r->p[c->party].cnode, c->slot, FULL),
			                   src, c->rights, c->badge);
		if (err != SEL_OK) {
			test_fail(r->t, base_name(r->s->file), (int)r->s->line,
			          "installing cap %u of %s: %s", i, r->s->party_names[c->party],
			          error_name(err));
			return err;
		}
	}
	return SEL_OK;
}

static int spawn_parties(struct run *r)
{
	size_t size = (size_t)(embedded_scen_party_end - embedded_scen_party_start);
	int err = SEL_OK;

	/* Room for SCEN_MAX_PARTIES parties' pages and page tables in our CNode. */
	const struct sel_process_opts o = {NULL, 0, 0, PARTY_SLOTS};

	for (unsigned i = 0; i < r->s->n_parties && err == SEL_OK; i++) {
		uint64_t budget;
		err = untyped_new(18, &budget);
		if (err == SEL_OK)
			err =
			    sel_process_create_with(&r->sp, budget, slots_new(PARTY_SLOTS),
			                            embedded_scen_party_start, size, &o, &r->p[i]);
		if (err == SEL_OK)
			err = sel_process_map(&r->sp, &r->p[i], r->shared, SCEN_SHARED_VADDR, RW);
		if (err == SEL_OK)
			err = cover(r->ut, r->p[i].vspace, SCEN_MAP_BASE);
	}
	return err;
}

/* Waits until step k is done, its party blocked in the kernel, or dead. */
static int settle(struct run *r, unsigned k)
{
	const struct scen_step *st = &r->s->steps[k];
	struct sel_thread_info ti;

	for (unsigned i = 0; i < IPC_PATIENCE; i++) {
		if (__atomic_load_n(&r->sh->result[k].done, __ATOMIC_ACQUIRE))
			return 1;
		if (sel_tcb_get_state(r->p[st->party].tcb, &ti) != SEL_OK)
			break;
		if (ti.state == SEL_THREAD_BLOCKED) {
			r->pending[st->party] = k;
			return 1;
		}
		if (ti.state == SEL_THREAD_INACTIVE) {
			STEP_FAIL(r, k, "the party died (stop reason %lu, cause %lu, pc 0x%lx)",
			          ti.reason, ti.code, ti.pc);
			return 0;
		}
		sel_yield();
	}
	if (__atomic_load_n(&r->sh->result[k].done, __ATOMIC_ACQUIRE))
		return 1;
	STEP_FAIL(r, k, "did not finish");
	return 0;
}

/* Waits for party p's blocked step to complete; 0 (test failed) if it does not. */
static int unblock(struct run *r, unsigned p, unsigned next)
{
	unsigned k = r->pending[p];

	if (k == NO_STEP)
		return 1;
	if (!wait_flag(&r->sh->result[k].done, LATE)) {
		STEP_FAIL(r, next, "party still blocked in the step of line %u",
		          r->s->steps[k].line);
		return 0;
	}
	r->pending[p] = NO_STEP;
	return 1;
}

static int post(struct run *r, unsigned k)
{
	const struct scen_step *st = &r->s->steps[k];
	struct scen_mailbox *box = &r->sh->box[st->party];

	if (!unblock(r, st->party, k))
		return 0;
	box->step = *st;
	box->index = k;
	__atomic_store_n(&box->posted, ++r->seq[st->party], __ATOMIC_RELEASE);
	return settle(r, k);
}

static int observed(struct run *r, unsigned k, uint32_t check, const char *what, uint64_t want,
                    uint64_t got)
{
	if (!(r->s->steps[k].check & check) || want == got)
		return 1;
	STEP_FAIL(r, k, "%s: expected 0x%lx, got 0x%lx", what, want, got);
	return 0;
}

/* Judges step k once the scenario has run. */
static int judge(struct run *r, unsigned k)
{
	const struct scen_step *st = &r->s->steps[k];
	const struct scen_result *res = &r->sh->result[k];
	int done = (int)__atomic_load_n(&res->done, __ATOMIC_ACQUIRE);

	if (st->expect == SCEN_BLOCKED) {
		if (done)
			STEP_FAIL(r, k, "expected blocked, got %s", error_name(res->err));
		return !done;
	}
	if (!done) {
		STEP_FAIL(r, k, "expected %s, still blocked", error_name(st->expect));
		return 0;
	}
	if (res->err != st->expect) {
		char want[24];
		sel_snprintf(want, sizeof(want), "%s", error_name(st->expect));
		STEP_FAIL(r, k, "expected %s, got %s", want, error_name(res->err));
		return 0;
	}
	return observed(r, k, SCEN_CHECK_BADGE, "badge", st->want_badge, res->badge) &&
	       observed(r, k, SCEN_CHECK_LABEL, "label", st->want_label, res->label) &&
	       observed(r, k, SCEN_CHECK_VALUE, "value", st->want_value, res->value) &&
	       observed(r, k, SCEN_CHECK_CAPS, "caps", st->want_caps, res->caps) &&
	       observed(r, k, SCEN_CHECK_RIGHTS, "rights", st->want_rights, res->rights) &&
	       observed(r, k, SCEN_CHECK_TYPE, "type", st->want_type, res->type);
}

static int setup(struct run *r)
{
	int err = untyped_new(20, &r->ut); /* the objects: 12 of 64 KiB at most */

	r->sp = (struct sel_spawner){ROOT, SEL_SLOT_VSPACE, SPAWN_AT};
	if (err == SEL_OK)
		err = cover(r->ut, SEL_SLOT_VSPACE, SPAWN_AT);
	if (err == SEL_OK)
		err = cover(r->ut, SEL_SLOT_VSPACE, SHARED_HERE);
	if (err == SEL_OK)
		err = frame_at(r->ut, SEL_SLOT_VSPACE, SHARED_HERE, RW, &r->shared);
	if (err != SEL_OK)
		return err;
	r->sh = (struct scen_shared *)SHARED_HERE;
	memset(r->sh, 0, sizeof(*r->sh));
	err = spawn_parties(r);
	if (err == SEL_OK)
		err = create_objects(r);
	if (err == SEL_OK)
		err = install_caps(r);
	for (unsigned i = 0; i < r->s->n_parties && err == SEL_OK; i++)
		err = sel_process_start(&r->p[i], i);
	return err;
}

void scen_run(struct test_ctx *t, const struct scen *s)
{
	static struct run run;
	struct run *r = &run;
	int err, ok = 1;

	memset(r, 0, sizeof(*r));
	r->s = s;
	r->t = t;
	for (unsigned i = 0; i < SCEN_MAX_PARTIES; i++)
		r->pending[i] = NO_STEP;
	err = setup(r);
	if (err != SEL_OK) {
		test_fail(t, base_name(s->file), (int)s->line, "setting up the scenario: %s",
		          error_name(err));
		goto out_destroy;
	}
	for (unsigned k = 0; k < s->n_steps && ok; k++)
		ok = post(r, k);
	for (unsigned p = 0; p < s->n_parties && ok; p++) /* blocked steps that must complete */
		if (r->pending[p] != NO_STEP && s->steps[r->pending[p]].expect != SCEN_BLOCKED)
			wait_flag(&r->sh->result[r->pending[p]].done, LATE);
	for (unsigned k = 0; k < s->n_steps && ok; k++)
		ok = judge(r, k);
out_destroy:
	for (unsigned i = 0; i < s->n_parties; i++)
		if (r->p[i].tcb)
			sel_process_destroy(&r->sp, &r->p[i]);
}
