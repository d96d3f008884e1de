/*
 * Leases: memory a caller lends to the server of one Call (<selene/ipc.h>,
 * docs/windows.md).
 *
 * The descriptor travels in the Call's last two message words and is
 * recorded in the caller's TCB when the Call is made (lease_base/len/rights;
 * lease_fwd when it is a part of the caller's own lease, lent onwards).
 * The server names no lease: it reaches "the lease of the call I am
 * serving", through its reply capability (server->reply_to). So the lease
 * is valid exactly while the reply to that Call is owed: it ends the moment
 * the reply is sent, and a caller that dies or is suspended ends it too --
 * the server's next access returns SEL_ERR_PEER_DEAD, never a fault.
 * Invariant: c->lease_len != 0 only while c is blocked in the Call that
 * lent it (IPC_CALL set; a reply or an abort clears both). A fault message
 * is not a Call: the handler that holds a faulting thread's reply cap
 * reaches no lease (SEL_ERR_ILLEGAL_OP), least of all the one of a call the
 * thread made earlier and that was answered already. A forwarded lease
 * resolves through its lender's own reply capability, at most
 * LEASE_DEPTH levels, each with no more rights than the one it came from.
 *
 * Copy, not map: the kernel copies between the two address spaces directly,
 * memory to memory through its physical-memory window, a page piece at a
 * time, after checking both ranges whole. Nothing is mapped, so ending
 * a lease costs no page-table edit, no fence and no IPI (a mapped lease
 * would need all three at every reply), and a dead caller cannot fault the
 * server. The cost is one copy per access (docs/performance.md).
 */
#include "ipc/ipc.h"
#include "object/objects.h"
#include "uaccess/user_memory.h"
#include <selene/bootinfo.h>
#include <selene/error.h>
#include <selene/object.h>

#define LEASE_DEPTH 4

struct lease_view {
	struct tcb *owner; /* whose memory */
	uint64_t base, len;
	uint32_t rights;
};

static uint32_t lease_rights(uint64_t w)
{
	return (uint32_t)(w >> SEL_LEASE_RIGHTS_SHIFT);
}

/* What the server t may reach: the lease of the call it serves, resolved. */
static enum sel_error resolve(struct tcb *t, struct lease_view *v)
{
	struct tcb *c = t->reply_to;
	uint64_t off = 0, len = UINT64_MAX;
	uint32_t rights = SEL_RIGHT_READ | SEL_RIGHT_WRITE;

	for (int depth = 0; depth < LEASE_DEPTH; depth++) {
		if (!c)
			return SEL_ERR_PEER_DEAD; /* replied, or the caller is gone */
		if (!c->lease_len || !(c->ipc_flags & IPC_CALL))
			return SEL_ERR_ILLEGAL_OP; /* that call lent nothing, or it is a fault */
		rights &= c->lease_rights;
		if (len > c->lease_len)
			len = c->lease_len;
		if (!c->lease_fwd) {
			*v = (struct lease_view){c, c->lease_base + off, len, rights};
			return SEL_OK;
		}
		off += c->lease_base; /* an offset into c's own lease */
		c = c->reply_to;
	}
	return SEL_ERR_RANGE;
}

void lease_end(struct tcb *c)
{
	c->lease_len = 0;
}

enum sel_error lease_record(struct tcb *t, const struct ipc_msg *m)
{
	uint64_t n = SEL_MSG_LENGTH(m->info), w[2];
	struct sel_ipc_buffer *b = ipc_buffer(t);
	bool fwd = m->info & SEL_MSG_LEASE_FWD;

	t->lease_len = 0;
	if (!(m->info & (SEL_MSG_LEASE | SEL_MSG_LEASE_FWD)))
		return SEL_OK;
	if ((m->info & SEL_MSG_LEASE) && fwd)
		return SEL_ERR_INVALID_ARG;
	if (n < 2)
		return SEL_ERR_INVALID_ARG;
	for (unsigned i = 0; i < 2; i++)
		w[i] = n - 2 + i < SEL_MSG_REG_WORDS ? m->mr[n - 2 + i] : b->mr[n - 2 + i];
	uint64_t len = w[1] & (SEL_LEASE_MAX * 2 - 1);
	uint32_t rights = lease_rights(w[1]);
	if (!len || len > SEL_LEASE_MAX ||
	    (w[1] & ~((SEL_LEASE_MAX * 2 - 1) | (3ull << SEL_LEASE_RIGHTS_SHIFT))))
		return SEL_ERR_INVALID_ARG;
	if (fwd) {
		struct lease_view v;
		int err = resolve(t, &v);
		if (err != SEL_OK)
			return err;
		if (w[0] > v.len || len > v.len - w[0])
			return SEL_ERR_RANGE;
		if ((rights & v.rights) != rights)
			return SEL_ERR_NO_RIGHTS;
	} else if (w[0] + len < w[0] || w[0] + len > SEL_USER_VADDR_END) {
		return SEL_ERR_RANGE;
	}
	t->lease_base = w[0];
	t->lease_len = len;
	t->lease_rights = rights;
	t->lease_fwd = fwd;
	return SEL_OK;
}

enum sel_error lease_copy(struct tcb *t, uint64_t off, uint64_t buf, uint64_t len, bool write)
{
	struct lease_view v;
	int err = resolve(t, &v);

	if (err != SEL_OK)
		return err;
	if (off > v.len || len > v.len - off)
		return SEL_ERR_RANGE;
	if (!(v.rights & (write ? SEL_RIGHT_WRITE : SEL_RIGHT_READ)))
		return SEL_ERR_NO_RIGHTS;
	if (write)
		return copy_user_to_user(v.owner, uaddr(v.base + off), t, uaddr(buf), len);
	return copy_user_to_user(t, uaddr(buf), v.owner, uaddr(v.base + off), len);
}
