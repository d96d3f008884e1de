/*
 * The shell's parts: main.c (the line, history, dispatch), commands.c
 * (what each command does), threads.c (the helper threads of `uintr` and
 * `talk`). Invariant: commands[] ends with an entry whose name is NULL, and
 * so does fs_commands[] if a part of the shell defines it (fs_cmds.c: the
 * file commands); `help` lists both and a command is looked up in both.
 */
#ifndef APPS_SHELL_H
#define APPS_SHELL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sel/idl_sync.h>
#include "shell_launch.h"
#include "system.h" /* servers/root: the system's tables and a component's CSpace */

#define LINE_MAX  256
#define WORDS_MAX 17 /* a command and 16 arguments */

/* Written once by main() before the first command; read by every command. */
struct shell {
	struct sel_idl_conn *console; /* to the console (session 0 of the connection) */
	struct sel_idl_conn *echo;    /* to the echo server (NULL: not connected) */
	struct sel_idl_conn *fs;      /* to the file system (NULL: not connected) */
	uint64_t console_ep;          /* the connection's first slot: sessions from here */
	uint64_t notify;              /* the Notification the console signals for input */
	uint32_t self;                /* our index in sys_components */
	uint32_t harts;               /* online */
	uint32_t hart;                /* the shell's own */
	uint64_t next_slot;           /* the next free slot from SHELL_SLOT_FREE */
};

extern struct shell sh;

/* Invariant: min_args <= max_args; fn runs only with that many arguments after the name. */
struct command {
	const char *name;
	int min_args, max_args;
	const char *usage;
	const char *help;
	void (*fn)(int argc, char **argv);
};

extern const struct command commands[];
/* The file commands (fs_cmds.c), if the shell is built with them. */
extern const struct command fs_commands[] __attribute__((weak));

void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void out_bytes(struct sel_idl_conn *conn, const char *buf, size_t n);
void copy_str(char *dst, const char *src, size_t size);

/* threads.c */
struct uintr_cost {
	uint64_t send_instret, send_cycles, latency_ticks; /* the cheapest of the rounds */
	uint32_t rounds, hart;
};
int uintr_measure(struct uintr_cost *c, uint32_t rounds);
int talk_run(uint32_t lines_each);

/* commands.c: a component's hart as the root task sets it, and its index by name. */
uint32_t component_hart(uint32_t c);
int component_index(const char *name);

#endif /* APPS_SHELL_H */
