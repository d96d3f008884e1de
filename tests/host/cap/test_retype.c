/*
 * Untyped retype cases: argument errors, exhaustion, layout and alignment,
 * reuse after revoke, reset, and device memory.
 */
#include <string.h>

#include "cap_test.h"

static enum sel_error retype(struct env *e, size_t ut, uint32_t type, uint32_t bits, size_t dest,
                             uint64_t count)
{
	return untyped_retype(&e->cdt, env_slot(e, ut), type, bits, env_slot(e, dest), count);
}

void test_retype_errors(void)
{
	struct env e;
	struct cte before[64];
	struct cdt cdt_before;

	env_init(&e, 64, 16);
	env_retype(&e, 0, SEL_OBJ_ENDPOINT, 0, 1);
	memcpy(before, e.slots, sizeof(before));
	cdt_before = e.cdt;
	CHECK_ERR(retype(&e, 0, SEL_OBJ_ENDPOINT, 0, 2, 0), SEL_ERR_RANGE);
	CHECK_ERR(retype(&e, 0, SEL_OBJ_ENDPOINT, 0, 2, CAP_RETYPE_MAX_COUNT + 1), SEL_ERR_RANGE);
	CHECK_ERR(retype(&e, 1, SEL_OBJ_ENDPOINT, 0, 2, 1), SEL_ERR_WRONG_TYPE);
	CHECK_ERR(retype(&e, 0, SEL_OBJ_FRAME, 13, 2, 1), SEL_ERR_RANGE);
	CHECK_ERR(retype(&e, 0, SEL_OBJ_FRAME, 21, 2, 1), SEL_ERR_RANGE);
	CHECK_ERR(retype(&e, 0, SEL_OBJ_CNODE, 0, 2, 1), SEL_ERR_RANGE);
	CHECK_ERR(retype(&e, 0, SEL_OBJ_CNODE, CAP_CNODE_RADIX_MAX + 1, 2, 1), SEL_ERR_RANGE);
	CHECK_ERR(retype(&e, 0, SEL_OBJ_CNODE, 11, 2, 1), SEL_ERR_RANGE);
	CHECK_ERR(retype(&e, 0, SEL_OBJ_UNTYPED, CAP_UNTYPED_MIN_BITS - 1, 2, 1), SEL_ERR_RANGE);
	CHECK_ERR(retype(&e, 0, SEL_OBJ_UNTYPED, 16, 2, 1), SEL_ERR_RANGE);
	CHECK_ERR(retype(&e, 0, SEL_OBJ_UNTYPED, 200, 2, 1), SEL_ERR_RANGE);
	CHECK_ERR(retype(&e, 0, SEL_OBJ_FRAME, 12, 2, 16), SEL_ERR_NO_MEMORY);
	CHECK(memcmp(before, e.slots, sizeof(before)) == 0 &&
	          memcmp(&cdt_before, &e.cdt, sizeof(cdt_before)) == 0,
	      "failed retypes change nothing");
	CHECK_ERR(retype(&e, 0, SEL_OBJ_FRAME, 12, 2, 15), SEL_OK);
	CHECK(e.slots[0].cap.word0 == (uint64_t)1 << 16, "the Untyped is full");
	CHECK_ERR(retype(&e, 0, SEL_OBJ_ENDPOINT, 0, 20, 1), SEL_ERR_NO_MEMORY);
	CHECK(cte_is_empty(env_slot(&e, 20)), "exhaustion creates nothing");
	CHECK(init_count == 16, "each object was initialised once");
	env_check(&e);
	env_fini(&e);
}

void test_retype_after_revoke_reuses_memory(void)
{
	struct env e;
	uint64_t addr[4];

	env_init(&e, 16, 16);
	CHECK_ERR(retype(&e, 0, SEL_OBJ_FRAME, 12, 1, 4), SEL_OK);
	for (size_t i = 0; i < 4; i++) {
		addr[i] = env_slot(&e, 1 + i)->cap.object;
	}
	CHECK_ERR(env_revoke_all(&e, env_slot(&e, 0)), SEL_OK);
	CHECK(fin_count == 4 && env_nodes(&e) == 1, "revoke finalised the four frames");
	CHECK_ERR(retype(&e, 0, SEL_OBJ_FRAME, 12, 5, 4), SEL_OK);
	for (size_t i = 0; i < 4; i++) {
		CHECK(env_slot(&e, 5 + i)->cap.object == addr[i], "frame %zu reuses its memory", i);
	}
	for (size_t i = 0; i < 4; i++) {
		CHECK_ERR(cdt_delete(&e.cdt, env_slot(&e, 5 + i)), SEL_OK);
	}
	CHECK_ERR(retype(&e, 0, SEL_OBJ_ENDPOINT, 0, 1, 1), SEL_OK);
	CHECK(env_slot(&e, 1)->cap.object == addr[0], "deleting every child also frees the memory");
	env_check(&e);
	env_fini(&e);
}

void test_untyped_reset_needs_no_children(void)
{
	struct env e;
	struct cte *ut;

	env_init(&e, 8, 16);
	ut = env_slot(&e, 0);
	env_retype(&e, 0, SEL_OBJ_ENDPOINT, 0, 1);
	CHECK_ERR(untyped_reset(ut), SEL_ERR_HAS_CHILDREN);
	CHECK(ut->cap.word0 == 32, "a refused reset keeps the watermark");
	CHECK_ERR(untyped_reset(env_slot(&e, 1)), SEL_ERR_WRONG_TYPE);
	CHECK_ERR(cdt_delete(&e.cdt, env_slot(&e, 1)), SEL_OK);
	CHECK_ERR(untyped_reset(ut), SEL_OK);
	CHECK(ut->cap.word0 == 0, "reset without children clears the watermark");
	env_check(&e);
	env_fini(&e);
}

void test_device_untyped_rules(void)
{
	static const uint32_t refused[] = {SEL_OBJ_ENDPOINT,   SEL_OBJ_CNODE,
	                                   SEL_OBJ_TCB,        SEL_OBJ_NOTIFICATION,
	                                   SEL_OBJ_PAGE_TABLE, SEL_OBJ_WINDOW};
	struct env e;
	struct cap dev = {0};

	env_init(&e, 8, 16);
	dev.type = SEL_OBJ_UNTYPED;
	dev.rights = SEL_RIGHTS_ALL;
	dev.object = 0x40000000;
	dev.size_bits = 24;
	dev.flags = CAP_FLAG_DEVICE;
	CHECK_ERR(cdt_insert_root(&e.cdt, env_slot(&e, 1), dev), SEL_OK);
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		CHECK_ERR(retype(&e, 1, refused[i], refused[i] == SEL_OBJ_WINDOW ? 12 : 4, 2, 1),
		          SEL_ERR_WRONG_TYPE);
	}
	CHECK_ERR(retype(&e, 1, SEL_OBJ_FRAME, 12, 2, 1), SEL_OK);
	CHECK(env_slot(&e, 2)->cap.flags == CAP_FLAG_DEVICE, "a device frame");
	CHECK_ERR(retype(&e, 1, SEL_OBJ_UNTYPED, 20, 3, 1), SEL_OK);
	CHECK(env_slot(&e, 3)->cap.flags == CAP_FLAG_DEVICE, "a device untyped");
	CHECK_ERR(retype(&e, 3, SEL_OBJ_FRAME, 21, 4, 1), SEL_ERR_RANGE);
	CHECK_ERR(retype(&e, 3, SEL_OBJ_FRAME, 12, 4, 1), SEL_OK);
	CHECK(env_slot(&e, 4)->cap.flags == CAP_FLAG_DEVICE, "device memory stays device");
	CHECK_ERR(retype(&e, 3, SEL_OBJ_ENDPOINT, 0, 5, 1), SEL_ERR_WRONG_TYPE);
	dev.object = 0x40001000; /* misaligned for 2^24 */
	CHECK_ERR(cdt_insert_root(&e.cdt, env_slot(&e, 5), dev), SEL_ERR_INVALID_ARG);
	dev.type = SEL_OBJ_ENDPOINT;
	dev.size_bits = 0;
	CHECK_ERR(cdt_insert_root(&e.cdt, env_slot(&e, 5), dev), SEL_ERR_INVALID_ARG);
	env_check(&e);
	CHECK_ERR(env_revoke_all(&e, env_slot(&e, 1)), SEL_OK);
	CHECK(fin_count == 3, "the device frames and untyped were finalised");
	env_fini(&e);
}

void test_retype_layout(void)
{
	struct env e;
	uint64_t base;
	struct cte *cn;

	env_init(&e, 16, 16);
	base = (uint64_t)(uintptr_t)e.arena;
	CHECK_ERR(retype(&e, 0, SEL_OBJ_ENDPOINT, 0, 1, 3), SEL_OK);
	for (size_t i = 0; i < 3; i++) {
		CHECK(env_slot(&e, 1 + i)->cap.object == base + 32 * i, "endpoint %zu at %zu", i,
		      32 * i);
		CHECK(cdt_parent(env_slot(&e, 1 + i)) == env_slot(&e, 0), "a child of the Untyped");
	}
	CHECK(env_slot(&e, 0)->next == env_slot(&e, 3), "the highest address comes first");
	CHECK_ERR(retype(&e, 0, SEL_OBJ_CNODE, 2, 4, 1), SEL_OK);
	CHECK(env_slot(&e, 4)->cap.object == base + 256, "a 256-byte CNode is aligned to 256");
	cn = cnode_slots(env_slot(&e, 4));
	for (size_t i = 0; i < 4; i++) {
		CHECK(cte_is_empty(&cn[i]) && cn[i].prev == NULL && cn[i].next == NULL,
		      "a new CNode's slots are empty");
	}
	CHECK_ERR(retype(&e, 0, SEL_OBJ_UNTYPED, 12, 5, 1), SEL_OK);
	CHECK(env_slot(&e, 5)->cap.object == base + 4096 && env_slot(&e, 5)->cap.word0 == 0,
	      "a child Untyped at its alignment, empty");
	CHECK(env_slot(&e, 0)->cap.word0 == 8192, "the watermark follows the last child");
	CHECK_ERR(retype(&e, 5, SEL_OBJ_TCB, 0, 6, 2), SEL_OK);
	CHECK(env_slot(&e, 6)->cap.object == base + 4096 &&
	          env_slot(&e, 7)->cap.object == base + 4096 + 2048,
	      "TCBs carved from the child");
	CHECK(cdt_parent(env_slot(&e, 6)) == env_slot(&e, 5), "children of the child Untyped");
	CHECK_ERR(retype(&e, 5, SEL_OBJ_ENDPOINT, 0, 8, 1), SEL_ERR_NO_MEMORY);
	env_check(&e);
	env_fini(&e);
}
