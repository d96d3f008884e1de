/*
 * The system the root task wires: the tables tools/manifest generates from
 * apps/<system>/system.toml (docs/manifest.md), and the fixed layout of a
 * component's CSpace and address space that the root task and libsel's
 * binding (<sel/bind.h>) agree on.
 */
#ifndef ROOT_SYSTEM_H
#define ROOT_SYSTEM_H

#include <stdint.h>
#include <sel/bind.h>
#include <selene/object.h>

enum sys_restart {
	SYS_RESTART_STOP = 0,    /* a fault stops the component for good */
	SYS_RESTART_RESTART = 1, /* a fault restarts it from its ELF */
};

/*
 * One [[component]]. Invariants (the checker's): priority <= mcp; memory_bits
 * >= 18; heap_bits is 0 or 21..26 and below memory_bits; host is -1 (a process of its own) or the index of the one client
 * it is a private (direct) instance of, and then elf is linked at
 * SEL_BIND_DIRECT_BASE.
 */
struct sys_component {
	const char *name;
	const uint8_t *elf, *elf_end;
	uint32_t priority, mcp;
	uint32_t harts; /* affinity mask: the lowest hart in it is used */
	uint32_t memory_bits, cnode_bits;
	uint32_t debug_rights; /* enum sel_debug_right mask (0: no debug cap) */
	uint32_t restart;      /* enum sys_restart */
	int32_t host;
	uint32_t heap_bits;   /* its heap (<sel/posix_boot.h>): 2^heap_bits bytes, 0: none */
	uint32_t argc, envc;  /* strings: argc arguments, then envc NAME=value entries */
	const char *strings;  /* each NUL-terminated, strings_len bytes in all */
	uint32_t strings_len; /* at most SEL_POSIX_STRINGS (the checker's) */
};

/* One [[connection]]: client uses service, which server provides, placed as `placement`. */
struct sys_connection {
	const char *service;
	uint32_t client, server;
	uint32_t placement;   /* enum sel_bind_placement */
	uint32_t rights;      /* endpoint rights: Write + GrantReply (call), Grant (grant) */
	uint32_t window_bits; /* async */
	uint32_t depth;       /* async: call slots */
};

extern const char sys_name[];
extern const uint64_t sys_memory;
extern const struct sys_component sys_components[];
extern const uint32_t sys_ncomponents;
extern const struct sys_connection sys_connections[];
extern const uint32_t sys_nconnections;

/* A component's CSpace: slots 2..4 as the root task's (CNode, debug, VSpace), then these. */
#define SYS_SLOT_SERVE_EP   8  /* a server's endpoint (Read, Write, Grant) */
#define SYS_SLOT_SERVE_UT   9  /* an async server's Untyped for its windows */
#define SYS_SLOT_SERVE_RECV 10 /* an async server's receiver */
#define SYS_SLOT_RECV       11 /* a client's receiver, for all its async connections */
#define SYS_SLOT_CONN       16 /* connection i: SYS_CONN_SLOTS slots from 16 + 8 i */
#define SYS_CONN_STRIDE     8
enum sys_conn_slot {
	SYS_CONN_EP = 0,     /* the server's endpoint, badged with the client's index + 1 */
	SYS_CONN_TO_ME = 1,  /* async: a sender to our receiver, vector 2 i */
	SYS_CONN_CLOSED = 2, /* async: one with vector 2 i + 1 */
	SYS_CONN_WINDOW = 3, /* async: empty; the window and the server's sender arrive here */
	SYS_CONN_SLOTS = 5,
};
#define SYS_SLOT_SESSIONS 64 /* an async server's session slots (SEL_SESSION_SLOTS per client) */

/* Where windows go: page tables there are the root task's doing. */
#define SYS_WINDOWS                                                                                \
	0x1000000000ull /* a client's connection i at + i * 2 MiB; a server's client k
                                       at + k << window_bits */

#endif /* ROOT_SYSTEM_H */
