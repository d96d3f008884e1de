/*
 * Selene's one error enum.
 *
 * Shared verbatim by the kernel, libsel, generated IDL stubs and servers.
 * A syscall returns one of these in a0 (SEL_OK = 0 on success). The names
 * are stable: scenario files, tests and docs/capabilities.md cite them, so a
 * value may be added at the end but never renumbered or renamed.
 */
#ifndef SELENE_ABI_ERROR_H
#define SELENE_ABI_ERROR_H

enum sel_error {
	SEL_OK = 0,
	/* Capability addressing (kernel). */
	SEL_ERR_INVALID_CAP = 1,   /* address does not resolve (guard, depth, bits) */
	SEL_ERR_EMPTY_SLOT = 2,    /* address resolves to an empty slot */
	SEL_ERR_WRONG_TYPE = 3,    /* the cap is not of the type the call needs */
	SEL_ERR_SLOT_OCCUPIED = 4, /* destination slot is not empty */
	SEL_ERR_NO_RIGHTS = 5,     /* the cap lacks a right the call needs */
	SEL_ERR_RANGE = 6,         /* an argument is outside its allowed range */
	SEL_ERR_NO_MEMORY = 7,     /* the Untyped has too little room left */
	SEL_ERR_INVALID_ARG = 8,   /* an argument is malformed */
	SEL_ERR_BAD_ADDRESS = 9,   /* a user pointer is unmapped, kernel or wraps */
	SEL_ERR_ILLEGAL_OP = 10,   /* the object has no such method / not allowed */
	SEL_ERR_BADGE_SET = 11,    /* a badge once set can never change */
	SEL_ERR_HAS_CHILDREN = 12, /* the operation needs a cap with no children */
	SEL_ERR_DELETED = 13,      /* the object was deleted while we waited */
	SEL_ERR_WOULD_BLOCK = 14,  /* non-blocking call found no partner */
	SEL_ERR_PREEMPTED = 15,    /* long operation interrupted; call again */
	SEL_ERR_UNKNOWN_SYSCALL = 16,
	SEL_ERR_CANCELLED = 17, /* a blocked operation was cancelled (revoke) */
	SEL_ERR_NOT_SUPPORTED = 18,
	SEL_ERR_BUSY = 19,
	/* Transport and service level (libsel, idlc stubs, servers). */
	SEL_ERR_PEER_DEAD = 20,      /* the server or client died mid-call */
	SEL_ERR_PEER_CLOSED = 21,    /* the window or session was closed */
	SEL_ERR_TRANSPORT = 22,      /* the transport failed to carry the message */
	SEL_ERR_UNKNOWN_METHOD = 23, /* strict service got a method it lacks */
	SEL_ERR_PROTOCOL = 24,       /* malformed message (bad size, enum, ...) */
	SEL_ERR_TIMEOUT = 25,
	SEL_ERR_FULL = 26,  /* a ring or queue is full; no ASID left for a VSpace */
	SEL_ERR_EMPTY = 27, /* a ring or queue is empty */
	/* Address spaces (kernel). */
	SEL_ERR_NO_PAGE_TABLE = 28,  /* the mapping needs a page table that is not there */
	SEL_ERR_ALREADY_MAPPED = 29, /* the cap maps something already, or the address is taken */
	/* Synchronous IPC (kernel). */
	SEL_ERR_NO_REPLY = 30, /* Reply with no caller waiting (replied already, or it died) */
	SEL_ERR_COUNT          /* number of codes; not an error */
};

#endif /* SELENE_ABI_ERROR_H */
