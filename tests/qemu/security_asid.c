/*
 * ASID exhaustion (docs/security-vm.md): every VSpace has an ASID of its
 * own; with all 4095 in use another VSpace is refused with SEL_ERR_FULL
 * (none is shared, so every unmap reaches exactly its VSpace), and they
 * come back when the VSpaces go.
 */
#include "proc_util.h"

#define UTS 16u /* 4 MiB each: room for more VSpaces than there are ASIDs */

/* A new 4 MiB Untyped from any of the boot RAM Untyped that has room. */
static int untyped_4m(uint64_t *slot)
{
	int err = SEL_ERR_NO_MEMORY;

	*slot = slot_new();
	for (uint32_t i = 0; i < test_bootinfo->n_untyped && err != SEL_OK; i++)
		if (!test_bootinfo->untyped[i].is_device)
			err = sel_untyped_retype(test_bootinfo->untyped[i].slot, SEL_OBJ_UNTYPED,
			                         22, ROOT, *slot, 1);
	return err;
}

TEST(SEC_0003, "with every ASID in use a new VSpace is refused with SEL_ERR_FULL")
{
	uint64_t ut[UTS], uts = 1, cnut, cn, made = 0, info_used, info_max;
	struct sel_ret r;
	int err = SEL_OK;

	CHECK_EQ(t, untyped_new(19, &cnut), SEL_OK);
	CHECK_EQ(t, object_new(cnut, SEL_OBJ_CNODE, 12, &cn), SEL_OK);
	CHECK_EQ(t, untyped_4m(&ut[0]), SEL_OK); /* 512 VSpaces of 8 KiB each */
	while (err == SEL_OK && made < 4096) {
		err = sel_untyped_retype(ut[uts - 1], SEL_OBJ_VSPACE, 0, cn, made, 1);
		if (err == SEL_ERR_NO_MEMORY && uts < UTS)
			err = untyped_4m(&ut[uts++]);
		else
			made += err == SEL_OK;
	}
	CHECK_EQ(t, err, SEL_ERR_FULL);
	CHECK_EQ(t, sel_invoke(SEL_SLOT_ASID_CONTROL, SEL_ASID_CONTROL_INFO, 0, 0, 0, 0, 0, &r),
	         SEL_OK);
	info_used = r.v[0];
	info_max = r.v[1];
	CHECK_EQ(t, info_max, 4095);
	CHECK_EQ(t, info_used, 4095);
	/* Revoked, they give their ASIDs back. */
	for (uint64_t i = 0; i < uts; i++)
		CHECK_EQ(t, sel_cnode_revoke(ROOT, ut[i], FULL, 0), SEL_OK);
	CHECK_EQ(t, sel_invoke(SEL_SLOT_ASID_CONTROL, SEL_ASID_CONTROL_INFO, 0, 0, 0, 0, 0, &r),
	         SEL_OK);
	CHECK_EQ(t, r.v[0], info_used - made);
	CHECK_EQ(t, sel_cnode_revoke(ROOT, cnut, FULL, 0), SEL_OK);
}
