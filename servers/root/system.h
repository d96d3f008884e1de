/*
 * The system the root task wires: the tables tools/manifest generates from
 * apps/<system>/system.toml (docs/manifest.md), and the fixed layout of a
 * component's CSpace and address space that the root task and libsel's
 * binding (<sel/bind.h>) agree on.
 */
#ifndef ROOT_SYSTEM_H
#define ROOT_SYSTEM_H

#include <stdbool.h>
#include <stdint.h>
#include <sel/bind.h>
#include <sel/names.h>
#include <selene/object.h>

/* The devices a driver may hold: those the boot info describes (from the device tree). */
enum sys_device {
	SYS_DEVICE_NONE = 0,
	SYS_DEVICE_UART = 1, /* the console UART: bi->uart_base, one page; bi->uart_irq */
};
#define SYS_MAX_DEVICES 4

/* Requests a component may make to the supervisor (the manifest's `supervisor`). */
enum sys_supervise_right {
	SYS_SUPERVISE_THREADS = 1u << 0, /* list every thread of the system, read restarts */
	SYS_SUPERVISE_CRASH = 1u << 1,   /* inject a fault into another component */
	SYS_SUPERVISE_CAPS = 1u << 2,    /* read the capabilities of every component */
	SYS_SUPERVISE_RUN = 1u << 3,     /* start a component declared start = "request" */
};

/* When a component starts: at boot, or when a component with the right `run` asks. */
enum sys_start {
	SYS_START_BOOT = 0,
	SYS_START_REQUEST = 1, /* provides no service (the checker's); may run many times */
};

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
	uint32_t start;        /* enum sys_start */
	int32_t host;
	/* Invariants: ndevices <= SYS_MAX_DEVICES, no device in two components; untyped_bits
	 * is 0 or 12..24 and at most memory_bits - 1. */
	const char *program;
	uint32_t devices[SYS_MAX_DEVICES]; /* enum sys_device */
	uint32_t ndevices;
	uint32_t untyped_bits; /* its own Untyped (slot SYS_SLOT_UNTYPED) and TCB; 0: none */
	uint32_t supervisor;   /* enum sys_supervise_right mask (0: no supervisor cap) */
	uint32_t heap_bits;    /* its heap (<sel/posix_boot.h>): 2^heap_bits bytes, 0: none */
	uint32_t argc, envc;   /* strings: argc arguments, then envc NAME=value entries */
	const char *strings;   /* each NUL-terminated, strings_len bytes in all */
	uint32_t strings_len;  /* at most SEL_POSIX_STRINGS (the checker's) */
};

/* One [[connection]]: client uses service, which server provides, placed as `placement`. */
struct sys_connection {
	const char *service;
	const char *name; /* what the client binds it by (sel_bind): its `name`, else service */
	uint32_t client, server;
	uint32_t placement;   /* enum sel_bind_placement */
	uint32_t rights;      /* endpoint rights: Write + GrantReply (call), Grant (grant) */
	uint32_t window_bits; /* async */
	uint32_t depth;       /* async: call slots */
	/* Invariant: sessions is 1 and events 0 unless placement is sync. */
	uint32_t sessions; /* badged endpoint caps, badges SYS_BADGE(client, 0 .. sessions - 1) */
	uint32_t events;   /* 1: a Notification the server signals for the client */
};

/*
 * One route of the name service: client resolves paths under prefix to its
 * connection `name`. Invariant (the checker's): prefix is an absolute
 * path without a trailing '/' (or "/"), at most SEL_ROUTE_PATH - 1 bytes,
 * one route per prefix and client, at most SEL_ROUTE_MAX per client.
 */
struct sys_route {
	uint32_t client;
	const char *name; /* of the connection (sys_connection.name) */
	const char *prefix;
};

extern const struct sys_route sys_routes[];
extern const uint32_t sys_nroutes;

extern const char sys_name[];
extern const uint64_t sys_memory;
/* The probe twin of a system (apps/probe/twin.c runs in every process): the console stays
 * the kernel's, since no driver runs to take it. */
extern const bool sys_probe_twin;
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

/*
 * Device drivers, components with their own Untyped, supervised supervisors, and sync
 * connections with sessions or events (docs/manifest.md, "Devices, threads and events").
 */
#define SYS_SLOT_OWN_TCB    1  /* with `untyped`: its main thread's TCB (priorities <= mcp) */
#define SYS_SLOT_UNTYPED    5  /* with `untyped`: an Untyped of 2^untyped_bits */
#define SYS_SLOT_SUPERVISOR 6  /* with `supervisor`: the supervisor's endpoint, badged */
#define SYS_SLOT_DEVICE_IRQ 12 /* + k: device k's IRQ handler (route it to a receiver) */
#define SYS_DEVICES         0x40000000ull /* device k's registers at + k * 2 MiB (R, W) */
#define SYS_DEVICE_STRIDE   (1ull << 21)
#define SYS_CONN_SESSION    1 /* sync: session s >= 1's endpoint cap at the connection's + s */
#define SYS_CONN_EVENTS     SEL_BIND_SYNC_EVENTS /* sync with events: the Notification (Read) */
#define SYS_SLOT_EVENTS     48 /* + badge: a server's Notification (Write) for that client */
#define SYS_MAX_SESSIONS    3
/* The badge of client i's session s at its server: below 64, never 0. */
#define SYS_BADGE(i, s) ((uint64_t)(i) + 1 + 16 * (uint64_t)(s))

/* The supervisor's requests: the label of a Call on SYS_SLOT_SUPERVISOR. */
enum sys_supervise_request {
	SYS_REQ_THREAD = 1,   /* MR0 = n: the system's n-th thread (needs threads) */
	SYS_REQ_RESTARTS = 2, /* MR0 = component: restarts, running (needs threads) */
	SYS_REQ_CRASH = 3,    /* MR0 = component: fault its main thread (needs crash) */
	SYS_REQ_BOOTARG = 4,  /* MR0..MR3 = a word (NUL-padded): out MR1 = 1 if booted with it */
	SYS_REQ_CAP = 5,      /* MR0 = component | slot << 16: the cap there (needs caps) */
	SYS_REQ_RUN = 6,      /* MR0 = component, MR1 = n, MR2.. = n bytes: start it (needs run) */
};
/* SYS_REQ_RUN: the component must be declared start = "request" and not be running
 * (SEL_ERR_INVALID_ARG, SEL_ERR_BUSY). The n bytes (at most SYS_RUN_ARGS) are its
 * arguments after argv[0], each NUL-terminated; they replace the manifest's `args`, its
 * `env` stays. A program run before is destroyed and built again from its ELF. */
#define SYS_RUN_ARGS 256
/* SYS_REQ_RESTARTS's reply: MR1 restarts, MR2 1 if running, MR3 runs (starts on request),
 * MR4 the status of its last exit. */
/* SYS_REQ_CRASH with a message of 3 words: MR1 says how the thread is faulted, MR2 its
 * argument (with 1 word: SYS_CRASH_PC0). The thread is suspended, changed and resumed. */
enum sys_crash_kind {
	SYS_CRASH_PC0 = 0,  /* it resumes at address 0 */
	SYS_CRASH_FLIP = 1, /* bit MR2 & 63 of register (MR2 >> 6) % 32 flips (0 pc, n xn) */
	SYS_CRASH_JUMP = 2, /* it resumes at MR2 */
};
/* SYS_REQ_CAP's reply: MR0 error (SEL_ERR_RANGE: no such slot), MR1 type | rights << 8 |
 * flags << 16, MR2 badge; type SEL_OBJ_NULL for an empty slot. */
/* SYS_REQ_THREAD's reply: MR0 error, MR1 component (sys_ncomponents: the root task), MR2
 * tid, MR3 state | stop reason << 8 | priority << 16 | hart << 32. SEL_ERR_RANGE past the
 * last thread. */
#define SYS_THREAD_STATE(mr3)    ((mr3)&0xff)
#define SYS_THREAD_REASON(mr3)   (((mr3) >> 8) & 0xff)
#define SYS_THREAD_PRIORITY(mr3) (((mr3) >> 16) & 0xffff)
#define SYS_THREAD_HART(mr3)     ((mr3) >> 32)

/* Where windows go: page tables there are the root task's doing. */
#define SYS_WINDOWS                                                                                \
	0x1000000000ull /* a client's connection i at + i * 2 MiB; a server's client k
                                       at + k << window_bits */

#endif /* ROOT_SYSTEM_H */
