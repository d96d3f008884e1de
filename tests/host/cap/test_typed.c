/*
 * Type-changing derivations (UIntr sender from receiver, IRQ handler from
 * IRQ control) and the checks on boot-inserted caps.
 */
#include "cap_test.h"

static struct cap sender_of(const struct cte *receiver, uint64_t vector)
{
	struct cap s = {0};

	s.type = SEL_OBJ_UINTR_SENDER;
	s.rights = SEL_RIGHTS_ALL;
	s.object = receiver->cap.object;
	s.word0 = vector;
	return s;
}

static void sender_counts_as_reference(void)
{
	struct env e;
	struct cte *r, *s;
	struct cap bad;
	uint64_t obj;

	env_init(&e, 8, 16);
	r = env_slot(&e, 1);
	s = env_slot(&e, 3);
	env_retype(&e, 0, SEL_OBJ_UINTR_RECEIVER, 0, 1);
	env_retype(&e, 0, SEL_OBJ_ENDPOINT, 0, 5);
	obj = r->cap.object;
	CHECK_ERR(cdt_mint(&e.cdt, r, env_slot(&e, 2), SEL_RIGHT_READ | SEL_RIGHT_WRITE, 0),
	          SEL_OK);
	CHECK_ERR(cdt_insert_child(&e.cdt, env_slot(&e, 2), s, sender_of(r, 3)), SEL_ERR_NO_RIGHTS);
	CHECK_ERR(cdt_insert_child(&e.cdt, r, s, sender_of(r, CAP_UINTR_VECTORS)), SEL_ERR_RANGE);
	bad = sender_of(r, 3);
	bad.object += 64;
	CHECK_ERR(cdt_insert_child(&e.cdt, r, s, bad), SEL_ERR_INVALID_ARG);
	bad = sender_of(r, 3);
	bad.type = SEL_OBJ_ENDPOINT;
	CHECK_ERR(cdt_insert_child(&e.cdt, r, s, bad), SEL_ERR_WRONG_TYPE);
	CHECK_ERR(cdt_insert_child(&e.cdt, env_slot(&e, 5), s, sender_of(r, 3)),
	          SEL_ERR_WRONG_TYPE);
	CHECK(cte_is_empty(s), "refused derivations leave the slot empty");
	CHECK_ERR(cdt_insert_child(&e.cdt, r, s, sender_of(r, 3)), SEL_OK);
	CHECK(cdt_parent(s) == r && s->cap.word0 == 3, "the sender is a child of the receiver");
	CHECK_ERR(cdt_copy(&e.cdt, s, env_slot(&e, 4), SEL_RIGHT_WRITE), SEL_OK);
	CHECK(env_slot(&e, 4)->cap.word0 == 3, "a sender copy keeps its vector");
	env_check(&e);
	CHECK_ERR(cdt_delete(&e.cdt, r), SEL_OK);
	CHECK_ERR(cdt_delete(&e.cdt, env_slot(&e, 2)), SEL_OK);
	CHECK(fin_count == 0, "senders keep the receiver alive");
	env_check(&e);
	CHECK_ERR(cdt_delete(&e.cdt, s), SEL_OK);
	CHECK(fin_count == 0, "one sender still refers to it");
	CHECK_ERR(cdt_delete(&e.cdt, env_slot(&e, 4)), SEL_OK);
	CHECK(fin_count == 1 && fin_times(obj, SEL_OBJ_UINTR_RECEIVER) == 1,
	      "the last sender finalises the receiver");
	env_check(&e);
	env_fini(&e);
}

static void revoking_receiver_revokes_senders(void)
{
	struct env e;
	struct cte *r;

	env_init(&e, 8, 16);
	r = env_slot(&e, 1);
	env_retype(&e, 0, SEL_OBJ_UINTR_RECEIVER, 0, 1);
	CHECK_ERR(cdt_insert_child(&e.cdt, r, env_slot(&e, 2), sender_of(r, 1)), SEL_OK);
	CHECK_ERR(cdt_insert_child(&e.cdt, r, env_slot(&e, 3), sender_of(r, 2)), SEL_OK);
	CHECK_ERR(cdt_copy(&e.cdt, env_slot(&e, 3), env_slot(&e, 4), SEL_RIGHTS_ALL), SEL_OK);
	CHECK_ERR(env_revoke_all(&e, r), SEL_OK);
	CHECK(cte_is_empty(env_slot(&e, 2)) && cte_is_empty(env_slot(&e, 3)) &&
	          cte_is_empty(env_slot(&e, 4)),
	      "revoking the receiver revokes every sender");
	CHECK(fin_count == 0, "the receiver itself lives");
	env_fini(&e);
}

void test_uintr_sender_derivation(void)
{
	sender_counts_as_reference();
	hooks_reset();
	revoking_receiver_revokes_senders();
}

void test_irq_handler_derivation(void)
{
	struct env e;
	struct cap c = {0};
	struct cte *ctl;

	env_init(&e, 8, 16);
	ctl = env_slot(&e, 1);
	c.type = SEL_OBJ_IRQ_CONTROL;
	c.rights = SEL_RIGHTS_ALL;
	c.object = 1;
	CHECK_ERR(cdt_insert_root(&e.cdt, ctl, c), SEL_OK);
	c.type = SEL_OBJ_IRQ_HANDLER;
	c.object = 0x1005;
	c.word0 = 5;
	CHECK_ERR(cdt_insert_child(&e.cdt, ctl, env_slot(&e, 2), c), SEL_OK);
	CHECK_ERR(cdt_insert_child(&e.cdt, env_slot(&e, 2), env_slot(&e, 3), c),
	          SEL_ERR_WRONG_TYPE);
	CHECK_ERR(cdt_copy(&e.cdt, env_slot(&e, 2), env_slot(&e, 3), SEL_RIGHTS_ALL), SEL_OK);
	c.object = 0x1007;
	c.word0 = 7;
	CHECK_ERR(cdt_insert_child(&e.cdt, ctl, env_slot(&e, 4), c), SEL_OK);
	env_check(&e);
	CHECK_ERR(cdt_delete(&e.cdt, env_slot(&e, 2)), SEL_OK);
	CHECK(fin_count == 0, "a copy of the handler remains");
	CHECK_ERR(env_revoke_all(&e, ctl), SEL_OK);
	CHECK(fin_count == 2 && fin_times(0x1005, SEL_OBJ_IRQ_HANDLER) == 1 &&
	          fin_times(0x1007, SEL_OBJ_IRQ_HANDLER) == 1,
	      "revoking IRQ control finalises each handler once");
	env_check(&e);
	env_fini(&e);
}

void test_insert_root_checks(void)
{
	struct env e;
	struct cte *d;
	struct cap c;
	struct cap ok = {0};

	env_init(&e, 8, 16);
	d = env_slot(&e, 1);
	ok.type = SEL_OBJ_UNTYPED;
	ok.rights = SEL_RIGHTS_ALL;
	ok.object = 0x100000;
	ok.size_bits = 20;
	c = ok, c.type = SEL_OBJ_NULL;
	CHECK_ERR(cdt_insert_root(&e.cdt, d, c), SEL_ERR_INVALID_ARG);
	c = ok, c.type = 99;
	CHECK_ERR(cdt_insert_root(&e.cdt, d, c), SEL_ERR_INVALID_ARG);
	c = ok, c.rights = 0x20;
	CHECK_ERR(cdt_insert_root(&e.cdt, d, c), SEL_ERR_INVALID_ARG);
	c = ok, c.badge = 1;
	CHECK_ERR(cdt_insert_root(&e.cdt, d, c), SEL_ERR_INVALID_ARG);
	c = ok, c.flags = CAP_FLAG_ZOMBIE;
	CHECK_ERR(cdt_insert_root(&e.cdt, d, c), SEL_ERR_INVALID_ARG);
	c = ok, c.reserved[1] = 1;
	CHECK_ERR(cdt_insert_root(&e.cdt, d, c), SEL_ERR_INVALID_ARG);
	c = ok, c.object += 0x1000;
	CHECK_ERR(cdt_insert_root(&e.cdt, d, c), SEL_ERR_INVALID_ARG);
	c = ok, c.size_bits = CAP_UNTYPED_MIN_BITS - 1;
	CHECK_ERR(cdt_insert_root(&e.cdt, d, c), SEL_ERR_RANGE);
	c = ok, c.word0 = ((uint64_t)1 << 20) + 1;
	CHECK_ERR(cdt_insert_root(&e.cdt, d, c), SEL_ERR_INVALID_ARG);
	c = ok, c.type = SEL_OBJ_CNODE, c.size_bits = 0;
	CHECK_ERR(cdt_insert_root(&e.cdt, d, c), SEL_ERR_RANGE);
	c = ok, c.type = SEL_OBJ_CNODE, c.size_bits = 4, c.guard_bits = 2, c.word0 = 4;
	CHECK_ERR(cdt_insert_root(&e.cdt, d, c), SEL_ERR_INVALID_ARG);
	c = ok, c.type = SEL_OBJ_FRAME, c.size_bits = 13;
	CHECK_ERR(cdt_insert_root(&e.cdt, d, c), SEL_ERR_RANGE);
	c = ok, c.type = SEL_OBJ_ENDPOINT, c.flags = CAP_FLAG_DEVICE;
	CHECK_ERR(cdt_insert_root(&e.cdt, d, c), SEL_ERR_INVALID_ARG);
	CHECK(cte_is_empty(d) && env_nodes(&e) == 1, "refused roots are not inserted");
	c = ok, c.type = SEL_OBJ_ENDPOINT, c.size_bits = 0, c.badge = 9;
	CHECK_ERR(cdt_insert_root(&e.cdt, d, c), SEL_OK);
	CHECK(d->depth == 0 && e.cdt.head == d, "a root is inserted at the head, depth 0");
	env_check(&e);
	env_fini(&e);
}
