/*
 * Binding at load time, like a PLT (seed 000, the design Selene's placement
 * comes from: one service beside its caller, in its own process or behind
 * the kernel, reached by the same call; README.md): a program's connections to the
 * services it uses, and a server's description of what it serves, both
 * filled by the root task from the system manifest before the program
 * starts (docs/manifest.md).
 *
 * Client side: the table `sel_connections` lives in the client's data; the
 * root task finds it by symbol in the client's ELF and writes one entry per
 * [[connection]] of the manifest: the service's name, its placement and the
 * handles of that placement (endpoint slot, receiver and senders, window
 * address, or the entry of a private instance of the service). The client
 * asks for a connection by service name, sel_bind(), and calls the
 * generated stubs on what it returns; the stubs reach the service only
 * through that connection's transport, so one client ELF runs unchanged
 * under every placement:
 *
 *   direct  the service's own ELF, loaded privately into the client's
 *           address space at SEL_BIND_DIRECT_BASE; a call is a function call
 *           to its sel_direct_entry, which switches to the instance's gp
 *           (each ELF has its own) and runs its dispatch on the client's
 *           stack. No kernel, no capability.
 *   sync    endpoint Calls (<sel/idl_sync.h>).
 *   async   a session window with rings and user-interrupt doorbells
 *           (<sel/idl_async.h>), opened at the first sel_bind().
 *
 * Server side: `sel_services` says on which endpoint and how (sync or
 * async) to serve; the server names its dispatch function with
 * SEL_SERVICE(fn) and calls sel_serve(). The same program, linked at
 * SEL_BIND_DIRECT_BASE, is the direct instance.
 */
#ifndef SEL_BIND_H
#define SEL_BIND_H

#include <sel/idl_runtime.h>

#define SEL_BIND_MAGIC       0x31646e6942786c65ull /* "elxBind1" */
#define SEL_BIND_MAX         4u                    /* connections of one client */
#define SEL_BIND_NAME        32u                   /* bytes of a service name, NUL included */
#define SEL_BIND_SLOTS       8u                    /* call slots of an async connection */
#define SEL_BIND_CALLS       4u                    /* of a direct or sync one */
#define SEL_BIND_DIRECT_BASE 0x20000000ull         /* where a private instance is linked */
#define SEL_BIND_SYNC_EVENTS 5u /* sync, events = true: the Notification's slot is ep + this */

enum sel_bind_placement {
	SEL_BIND_NONE = 0,
	SEL_BIND_DIRECT = 1,
	SEL_BIND_SYNC = 2,
	SEL_BIND_ASYNC = 3,
};

/*
 * One connection, as the root task writes it. Invariant: placement is one
 * of enum sel_bind_placement; the handles that placement does not use are 0.
 */
struct sel_bind_entry {
	char service[SEL_BIND_NAME]; /* what sel_bind finds it by: the connection's name (by
	                                default its service), NUL-terminated */
	uint32_t placement;
	uint32_t nslots;     /* async: call slots (the manifest's depth, at most SEL_BIND_SLOTS) */
	uint64_t ep;         /* sync, async: the server's endpoint, a slot of our CSpace */
	uint64_t receiver;   /* async: our receiver (one for every async connection) */
	uint64_t to_me;      /* async: a sender to it with vector 2i (the server's doorbell) */
	uint64_t closed;     /* async: one with vector 2i + 1 (peer closed) */
	uint64_t slot;       /* async: two empty slots (the window, the server's sender) */
	uint64_t vaddr;      /* async: where our side of the window goes (page tables there) */
	uint64_t uitt_index; /* async: our sender-table entry for the server's doorbell */
	uint64_t entry;      /* direct: the private instance's sel_direct_entry */
};

/* A client's connection table. Invariant: n <= SEL_BIND_MAX; magic as written. */
struct sel_bind_table {
	uint64_t magic;
	uint32_t n;
	uint32_t reserved;
	struct sel_bind_entry e[SEL_BIND_MAX];
};

/* Where the root task writes a client's connections (found by symbol in its ELF). */
extern struct sel_bind_table sel_connections;

/*
 * The connection to `service`, set up at the first call; NULL if the
 * manifest gave this program no connection to it (deny by default; *err is
 * SEL_ERR_EMPTY_SLOT) or if it could not be set up (*err says why). err may
 * be NULL.
 *
 * After a call ends with SEL_ERR_PEER_DEAD, sel_bind() again reconnects: an
 * async connection whose server's side went opens a new session on the
 * same endpoint (a restarted server serves it; until then, and if the
 * server was stopped, every call ends with SEL_ERR_PEER_DEAD and sel_bind
 * returns NULL with that error). A sync or direct connection needs nothing:
 * its endpoint survives a restart, and sel_bind returns it as it is.
 */
struct sel_idl_conn *sel_bind(const char *service, int *err);

/* What a server serves, as the root task writes it (symbol `sel_services`). */
struct sel_serve_table {
	uint64_t magic;
	uint32_t placement;   /* SEL_BIND_SYNC or SEL_BIND_ASYNC */
	uint32_t nclients;    /* async: sessions to accept */
	uint32_t nslots;      /* async: call slots per client */
	uint32_t window_bits; /* async: window size */
	uint64_t ep;          /* the endpoint served (Read, Grant) */
	uint64_t untyped;     /* async: windows are retyped from it */
	uint64_t receiver;    /* async: our receiver */
	uint64_t vaddr;       /* async: client i's window at vaddr + i << window_bits */
	uint64_t slot_base;   /* async: SEL_SESSION_SLOTS slots per client from here */
	uint64_t cap_slot;    /* sync: 3 empty slots for caps in requests (0: none) */
};

extern struct sel_serve_table sel_services;

/*
 * The server's dispatch function: SEL_SERVICE(counter_dispatch) in its
 * program; the generated counter_dispatch_words beside it serves the
 * register path of the sync transport.
 */
extern const sel_idl_dispatch_fn sel_service_dispatch;
extern const sel_idl_words_fn sel_service_dispatch_words;
#define SEL_SERVICE(fn)                                                                            \
	const sel_idl_dispatch_fn sel_service_dispatch = (fn);                                     \
	const sel_idl_words_fn sel_service_dispatch_words = (fn##_words)

/*
 * Serves as sel_services says until the serve loop ends; returns its error
 * (SEL_OK: every async client has gone). SEL_ERR_INVALID_ARG if the root
 * task wrote no table.
 */
int sel_serve(void);

/*
 * The entry of a private (direct) instance, called by the client's direct
 * transport with the instance's gp switched in: dispatches req into rep.
 */
int sel_direct_entry(const struct sel_idl_msg *req, struct sel_idl_msg *rep);

#endif /* SEL_BIND_H */
