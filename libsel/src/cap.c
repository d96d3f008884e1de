/* Capability-space invocations that need more than one syscall: see <sel/cap.h>. */
#include <sel/cap.h>

static int until_done(sel_cptr_t cnode, uint64_t label, uint64_t index, uint32_t depth,
                      uint64_t *preempted)
{
	int err;

	while ((err = sel_invoke(cnode, label, index, 0, 0, depth, 0, 0)) == SEL_ERR_PREEMPTED)
		if (preempted)
			++*preempted;
	return err;
}

int sel_cnode_delete(sel_cptr_t cnode, uint64_t index, uint32_t depth, uint64_t *preempted)
{
	return until_done(cnode, SEL_CNODE_DELETE, index, depth, preempted);
}

int sel_cnode_revoke(sel_cptr_t cnode, uint64_t index, uint32_t depth, uint64_t *preempted)
{
	return until_done(cnode, SEL_CNODE_REVOKE, index, depth, preempted);
}

int sel_cnode_identify(sel_cptr_t cnode, uint64_t index, uint32_t depth, struct sel_identity *id)
{
	struct sel_ret r;
	int err = sel_invoke(cnode, SEL_CNODE_IDENTIFY, index, 0, 0, depth, 0, &r);

	*id = (struct sel_identity){r.v[0], r.v[1], r.v[2], r.v[3], r.v[4]};
	return err;
}

int sel_untyped_info(sel_cptr_t ut, struct sel_untyped_info *info)
{
	struct sel_ret r;
	int err = sel_invoke(ut, SEL_UNTYPED_INFO, 0, 0, 0, 0, 0, &r);

	*info = (struct sel_untyped_info){r.v[0], r.v[1], r.v[2], r.v[3]};
	return err;
}
