/*
 * The shell's parts: main.c (the line, history, dispatch), commands.c
 * (what each command does), threads.c (the helper threads of `uintr` and
 * `talk`). Invariant: commands[] ends with an entry whose name is NULL.
 */
#ifndef APPS_SHELL_H
#define APPS_SHELL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sel/idl_sync.h>
#include "shell_launch.h"
#include "system.h"

#define LINE_MAX 256

/* Written once by main() before the first command; read by every command. */
struct shell {
	struct sel_idl_conn console; /* to the console, badge DEMO_BADGE_SHELL */
	struct sel_idl_conn echo;    /* to the echo server */
	uint32_t harts;              /* online */
	uint32_t hart;               /* the shell's own */
	uint64_t next_slot;          /* the next free slot from SHELL_SLOT_FREE */
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

#endif /* APPS_SHELL_H */
