/*
 * The root task's boot capabilities (in the root task itself: the other
 * capability tests run in fresh processes, which have other caps).
 */
#include "caps_util.h"

TEST(CAP_0001, "the boot capabilities identify as the boot-info page lists them")
{
	const struct sel_bootinfo *bi = test_bootinfo;
	struct sel_untyped_info info;
	struct sel_identity id;

	CHECK_EQ(t, ident(SEL_SLOT_NULL).type, SEL_OBJ_NULL);
	id = ident(SEL_SLOT_TCB);
	CHECK(t, id.type == SEL_OBJ_TCB && id.rights == SEL_RIGHTS_ALL && id.badge == 0);
	id = ident(SEL_SLOT_CNODE);
	CHECK(t, id.type == SEL_OBJ_CNODE && id.size_bits == SEL_ROOT_CNODE_BITS);
	CHECK_EQ(t, ident(SEL_SLOT_DEBUG).type, SEL_OBJ_DEBUG);
	CHECK_EQ(t, ident(SEL_SLOT_VSPACE).type, SEL_OBJ_VSPACE);
	CHECK_EQ(t, ident(SEL_SLOT_ASID_CONTROL).type, SEL_OBJ_ASID_CONTROL);
	CHECK_EQ(t, ident(SEL_SLOT_IRQ_CONTROL).type, SEL_OBJ_IRQ_CONTROL);
	struct sel_ret r;
	CHECK_EQ(t, sel_invoke(SEL_SLOT_ASID_CONTROL, SEL_ASID_CONTROL_INFO, 0, 0, 0, 0, 0, &r),
	         SEL_OK);
	CHECK(t, r.v[0] >= 1 && r.v[1] == 4095); /* our own VSpace has one */
	CHECK_EQ(t, sel_invoke(SEL_SLOT_IRQ_CONTROL, SEL_IRQ_CONTROL_INFO, 0, 0, 0, 0, 0, &r),
	         SEL_OK);
	CHECK(t, r.v[0] > 11); /* QEMU virt: the RTC is source 11 */
	CHECK_EQ(t, sel_invoke(SEL_SLOT_IRQ_CONTROL, SEL_ASID_CONTROL_INFO, 0, 0, 0, 0, 0, &r),
	         SEL_ERR_ILLEGAL_OP);
	for (uint32_t i = 0; i < bi->n_untyped; i++) {
		const struct sel_untyped_desc *u = &bi->untyped[i];
		id = ident(u->slot);
		CHECK(t, id.type == SEL_OBJ_UNTYPED && id.size_bits == u->size_bits);
		CHECK_EQ(t, id.flags & 1, u->is_device);
		CHECK_EQ(t, sel_untyped_info(u->slot, &info), SEL_OK);
		CHECK(t, info.paddr == u->paddr && info.size_bits == u->size_bits);
		CHECK_EQ(t, info.device, u->is_device);
	}
	for (uint64_t s = bi->first_free_slot; s < bi->first_free_slot + 64; s++)
		CHECK_EQ(t, ident(s).type, SEL_OBJ_NULL);
}
