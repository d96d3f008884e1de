/*
 * Sessions (Register / Unregister of seed 001, the design of a microkernel
 * on user-mode interrupts that Selene grew from; docs/windows.md): a client
 * asks a server for a session and both end up with one window mapped, each
 * with its own page tables, and each holding a sender to the other's
 * user-interrupt receiver (requests and doorbells one way, completions,
 * events and peer-closed the other).
 *
 * 1. The client Calls the server's endpoint with label SEL_SESSION_OPEN and
 *    one cap: a sender to its own receiver.
 * 2. The server (sel_session_accept) retypes a window from its Untyped,
 *    maps its side, makes a sender to its own receiver for the client and
 *    one for itself, sets the peers (it is told when the client's side
 *    goes, the client when its side goes) and replies with a copy of the
 *    window (Read and Write, never Execute) and the client's sender.
 * 3. The client (sel_session_open) maps its side and installs the sender.
 * 4. Unregister: sel_session_close() uninstalls the sender and deletes the
 *    client's caps, which unmaps its side: the server's peer-closed vector
 *    is raised. A server ends a session by revoking the window: the client's
 *    side is unmapped and its peer-closed vector raised.
 *
 * The reply carries caps, so the server's endpoint cap needs Grant.
 */
#ifndef SEL_SESSION_H
#define SEL_SESSION_H

#include <sel/ipc.h>

#define SEL_SESSION_OPEN 0x5e55u /* the label of an open request */

/* The client's side of a session. */
struct sel_session {
	uint64_t slot;       /* root CNode slots: the window at slot, the sender at slot + 1 */
	uint64_t vaddr;      /* where the window is mapped */
	uint64_t bytes;      /* its size */
	uint32_t uitt_index; /* the sender to the server, in our sender table */
};

/*
 * Opens a session with the server at `ep`, giving it `my_sender` (a sender
 * to our receiver). The window and the server's sender arrive in root
 * CNode slots `slot` and `slot + 1` (both empty); the window is mapped at
 * `vaddr` in `vspace` (its page tables must exist) and the sender
 * installed at `uitt_index`. The server's refusal comes back as its error.
 */
int sel_session_open(sel_cptr_t ep, sel_cptr_t my_sender, uint64_t slot, sel_cptr_t vspace,
                     uint64_t vaddr, uint32_t uitt_index, struct sel_session *s);
/* Unregister: uninstalls the sender, deletes both caps (the server is told). */
int sel_session_close(struct sel_session *s);

/* The server's side: what every session is made from. */
struct sel_session_server {
	sel_cptr_t untyped;   /* windows are retyped from it */
	sel_cptr_t receiver;  /* the server's receiver: clients get senders to it */
	sel_cptr_t vspace;    /* the server's address space */
	uint32_t window_bits; /* windows of 2^window_bits bytes (12..21) */
};

/* Root CNode slots a server keeps per session, from `base` on. */
enum sel_session_slots {
	SEL_SESSION_WINDOW = 0,      /* the window (the server's side) */
	SEL_SESSION_CLIENT_COPY = 1, /* the copy that goes to the client */
	SEL_SESSION_TO_SERVER = 2,   /* the client's sender to our receiver */
	SEL_SESSION_SELF = 3,        /* our own sender, raised when the client's side goes */
	SEL_SESSION_TO_CLIENT = 4,   /* the sender the client gave us: receive it here */
	SEL_SESSION_SLOTS = 5,
};

/* Before the Recv that may take an open request: its cap lands in base + TO_CLIENT. */
void sel_session_listen(uint64_t base);
/*
 * Serves an open request just received (label SEL_SESSION_OPEN, one cap):
 * builds the session in slots base.. (all empty but TO_CLIENT), maps our
 * side at vaddr, uses `vector` for the client's sender and `self_vector`
 * for our peer-closed, and replies. On an error it replies with the error
 * (the client's open returns it) and returns it.
 */
int sel_session_accept(const struct sel_session_server *srv, const struct sel_msg *request,
                       uint64_t base, uint64_t vaddr, uint64_t vector, uint64_t self_vector);
/* Ends the session in slots base..: revokes the window (the client is told) and empties them. */
int sel_session_end(uint64_t base);

#endif /* SEL_SESSION_H */
