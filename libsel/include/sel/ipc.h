/*
 * Synchronous IPC: endpoints, notifications, replies (<selene/ipc.h> has
 * the message format; docs/ipc.md the semantics).
 *
 * A struct sel_msg carries the message info and MR0-MR4; longer messages
 * put MR5 and up in the IPC buffer, whose address libsel keeps in `tp`
 * (sel_ipc_buffer(); a thread's creator sets tp, the root task's and a
 * spawned process's main thread start with it set). Every call returns an
 * enum sel_error.
 */
#ifndef SEL_IPC_H
#define SEL_IPC_H

#include <stdint.h>
#include <selene/error.h>
#include <selene/ipc.h>
#include <selene/syscall.h>
#include <sel/syscall.h>

typedef uint64_t sel_cptr_t;

struct sel_msg {
	uint64_t info;                  /* SEL_MSG_INFO(label, caps, length) */
	uint64_t mr[SEL_MSG_REG_WORDS]; /* MR0-MR4 */
	uint64_t badge;                 /* on receipt: the sender's badge */
};

static inline struct sel_ipc_buffer *sel_ipc_buffer(void)
{
	struct sel_ipc_buffer *b;
	__asm__("mv %0, tp" : "=r"(b));
	return b;
}

/* The IPC syscalls: a0 = cap, a1 = info, a2-a6 = MR0-MR4 in both directions. */
static inline int sel_ipc(uint64_t nr, sel_cptr_t cap, struct sel_msg *m)
{
	register uint64_t r0 __asm__("a0") = cap;
	register uint64_t r1 __asm__("a1") = m->info;
	register uint64_t r2 __asm__("a2") = m->mr[0];
	register uint64_t r3 __asm__("a3") = m->mr[1];
	register uint64_t r4 __asm__("a4") = m->mr[2];
	register uint64_t r5 __asm__("a5") = m->mr[3];
	register uint64_t r6 __asm__("a6") = m->mr[4];
	register uint64_t r7 __asm__("a7") = nr;

	__asm__ volatile("ecall"
	                 : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6),
	                   "+r"(r7)
	                 :
	                 : "t0", "t1", "t2", "t3", "t4", "t5", "t6", "memory");
	m->info = r1;
	m->mr[0] = r2;
	m->mr[1] = r3;
	m->mr[2] = r4;
	m->mr[3] = r5;
	m->mr[4] = r6;
	m->badge = r7;
	return (int)r0;
}

/* Blocks until a receiver takes the message (needs Write on the endpoint). */
static inline int sel_send(sel_cptr_t ep, struct sel_msg *m)
{
	return sel_ipc(SEL_SYS_SEND, ep, m);
}

/* Delivers only to a receiver already waiting; SEL_ERR_WOULD_BLOCK if none. */
static inline int sel_nb_send(sel_cptr_t ep, struct sel_msg *m)
{
	return sel_ipc(SEL_SYS_NB_SEND, ep, m);
}

/*
 * Sends and waits for the reply, which overwrites *m (needs Write and Grant
 * or GrantReply on the endpoint).
 */
static inline int sel_call(sel_cptr_t ep, struct sel_msg *m)
{
	return sel_ipc(SEL_SYS_CALL, ep, m);
}

/* Waits for a message (needs Read); m->badge is the sender's badge. */
static inline int sel_recv(sel_cptr_t ep, struct sel_msg *m)
{
	return sel_ipc(SEL_SYS_RECV, ep, m);
}

/* Takes a message only if a sender is waiting; SEL_ERR_WOULD_BLOCK if none. */
static inline int sel_nb_recv(sel_cptr_t ep, struct sel_msg *m)
{
	return sel_ipc(SEL_SYS_NB_RECV, ep, m);
}

/*
 * Answers the last Call received (single use): SEL_ERR_NO_REPLY when no
 * caller waits (replied already, or the caller died or was suspended).
 */
static inline int sel_reply(struct sel_msg *m)
{
	return sel_ipc(SEL_SYS_REPLY, 0, m);
}

/* Replies (if a reply is owed) and waits for the next message on ep. */
static inline int sel_reply_recv(sel_cptr_t ep, struct sel_msg *m)
{
	return sel_ipc(SEL_SYS_REPLY_RECV, ep, m);
}

/* Notifications: Signal ORs the cap's badge into the word (needs Write). */
static inline int sel_signal(sel_cptr_t ntfn)
{
	struct sel_msg m = {0};
	return sel_ipc(SEL_SYS_SEND, ntfn, &m);
}

/* Waits until the word is non-zero, takes it and clears it (needs Read). */
static inline int sel_wait(sel_cptr_t ntfn, uint64_t *word)
{
	struct sel_msg m = {0};
	int err = sel_ipc(SEL_SYS_RECV, ntfn, &m);
	*word = m.badge;
	return err;
}

/* Takes the word without blocking (0 if nothing was signalled). */
static inline int sel_poll(sel_cptr_t ntfn, uint64_t *word)
{
	struct sel_msg m = {0};
	int err = sel_ipc(SEL_SYS_NB_RECV, ntfn, &m);
	*word = m.badge;
	return err;
}

/*
 * Leases (<selene/ipc.h>): a Call lends memory when its info has
 * SEL_MSG_LEASE and its last two words are the address and
 * SEL_LEASE_WORD(length, rights); the server reads and writes it with these
 * until it replies (SEL_ERR_PEER_DEAD afterwards, or once the caller died).
 */
#define SEL_LEASE_WORD(length, rights)                                                             \
	((uint64_t)(length) | (uint64_t)(rights) << SEL_LEASE_RIGHTS_SHIFT)

static inline int sel_lease_read(uint64_t offset, void *buf, uint64_t length)
{
	return (int)sel_syscall(SEL_SYS_LEASE_READ, offset, (uint64_t)buf, length, 0, 0, 0, 0).err;
}

static inline int sel_lease_write(uint64_t offset, const void *buf, uint64_t length)
{
	return (int)sel_syscall(SEL_SYS_LEASE_WRITE, offset, (uint64_t)buf, length, 0, 0, 0, 0).err;
}

#endif /* SEL_IPC_H */
