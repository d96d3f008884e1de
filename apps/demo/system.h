/*
 * The demo system's shape, written by hand: its components, where each
 * runs, the connections between them and the capability slots and badges
 * the root (apps/demo/root.c) wires them with. The shell's `services` and
 * `ps` print from these tables. A system manifest (apps/demo/system.toml)
 * with generated tables is to replace this file; the layout below is what
 * such tables have to say.
 */
#ifndef APPS_DEMO_SYSTEM_H
#define APPS_DEMO_SYSTEM_H

#include <stdint.h>

/* Components, in start order. Invariant: DEMO_ROOT is 0 and is no process of its own. */
enum demo_component {
	DEMO_ROOT = 0,
	DEMO_CONSOLE = 1,
	DEMO_ECHO = 2,
	DEMO_SHELL = 3,
	DEMO_COMPONENTS = 4,
};

/* Invariant: hart < harts online, or the root runs the component on hart 0. */
struct demo_component_info {
	const char *name;
	const char *program; /* its ELF in the image */
	uint32_t hart;       /* the hart its main thread is pinned to */
	uint32_t priority;
	const char *what;
};

/* Invariant: client and server name rows of demo_components; badge is what the root mints. */
struct demo_connection {
	uint32_t client, server; /* enum demo_component */
	const char *service;     /* the IDL service (idl/<service>.idl) */
	const char *placement;   /* direct, sync or async */
	uint64_t badge;          /* the client's identity at the server */
};

/* Badges of the console's clients (also the index of their notification). */
#define DEMO_BADGE_ROOT   1
#define DEMO_BADGE_SHELL  2
#define DEMO_BADGE_TALK_A 3
#define DEMO_BADGE_TALK_B 4
/* Badges on the root's supervisor endpoint: faults carry the component's index + this. */
#define DEMO_BADGE_FAULT     0x100
#define DEMO_BADGE_SUPERVISE 0x200 /* the shell's requests */

/* The shell's requests to the root (labels on the supervisor endpoint). */
enum demo_request {
	DEMO_REQ_CRASH = 1,    /* MR0 = component: inject a fault into its main thread */
	DEMO_REQ_RESTARTS = 2, /* MR0 = component: out MR0 = how often it was restarted */
	DEMO_REQ_POWEROFF = 3, /* power the machine off (exit status 0) */
};

static const struct demo_component_info demo_components[DEMO_COMPONENTS] = {
    [DEMO_ROOT] = {"root", "(the root task)", 0, 200, "supervisor: starts, wires, restarts"},
    [DEMO_CONSOLE] = {"console", "console-server.elf", 0, 150, "16550 UART driver (user mode)"},
    [DEMO_ECHO] = {"echo", "echo-server.elf", 2, 100, "idl/echo.idl server"},
    [DEMO_SHELL] = {"shell", "shell.elf", 1, 100, "the shell on the console"},
};

#define DEMO_CONNECTIONS 6
static const struct demo_connection demo_connections[DEMO_CONNECTIONS] = {
    {DEMO_SHELL, DEMO_CONSOLE, "console", "sync", DEMO_BADGE_SHELL},
    {DEMO_SHELL, DEMO_CONSOLE, "console", "sync", DEMO_BADGE_TALK_A},
    {DEMO_SHELL, DEMO_CONSOLE, "console", "sync", DEMO_BADGE_TALK_B},
    {DEMO_ROOT, DEMO_CONSOLE, "console", "sync", DEMO_BADGE_ROOT},
    {DEMO_SHELL, DEMO_ECHO, "echo", "sync", 0},
    {DEMO_SHELL, DEMO_ROOT, "supervisor", "sync", DEMO_BADGE_SUPERVISE},
};

#endif /* APPS_DEMO_SYSTEM_H */
