/* Capability-space invocations that need more than one syscall: see <sel/cap.h>. */
#include <sel/cap.h>

int sel_cnode_delete(sel_cptr_t cnode, uint64_t index, uint32_t depth, uint64_t *preempted)
{
	int err;

	while ((err = sel_invoke_cnode_delete(cnode, index, (uint8_t)depth)) == SEL_ERR_PREEMPTED)
		if (preempted)
			++*preempted;
	return err;
}

int sel_cnode_revoke(sel_cptr_t cnode, uint64_t index, uint32_t depth, uint64_t *preempted)
{
	int err;

	while ((err = sel_invoke_cnode_revoke(cnode, index, (uint8_t)depth)) == SEL_ERR_PREEMPTED)
		if (preempted)
			++*preempted;
	return err;
}

int sel_cnode_identify(sel_cptr_t cnode, uint64_t index, uint32_t depth, struct sel_identity *id)
{
	struct sel_cnode_identify_result r = {0};
	int err = sel_invoke_cnode_identify(cnode, index, (uint8_t)depth, &r);

	*id = (struct sel_identity){r.type, r.rights, r.badge_or_guard, r.size_bits, r.flags};
	return err;
}

int sel_untyped_info(sel_cptr_t ut, struct sel_untyped_info *info)
{
	struct sel_untyped_info_result r = {0};
	int err = sel_invoke_untyped_info(ut, &r);

	*info = (struct sel_untyped_info){r.paddr, r.size_bits, r.watermark, r.device};
	return err;
}
