/*
 * The shell: a command line on the console (servers/console, through the
 * stubs idlc generates from idl/console.idl) that shows what the system
 * is: its threads, its own capabilities, its components and connections,
 * a live cross-hart user interrupt, a short benchmark, a supervised crash.
 *
 * Input is the console's cooked mode: the driver edits the line (backspace,
 * ^U, ^C) and hands over whole lines; the arrow keys arrive at once and the
 * shell answers them from its history with set_line. When the console has
 * nothing, the shell waits on the notification the console signals (the
 * connection's events). Booted with the argument `scripted` (no terminal:
 * the supervisor tells it) it types a short session itself and powers off.
 */
#include <stdarg.h>
#include <sel/bind.h>
#include <sel/debug.h>
#include <sel/idl_sync.h>
#include <sel/ipc.h>
#include <sel/print.h>
#include <sel/string.h>
#include <selene/kinfo.h>
#include "console_client.h" /* generated from idl/console.idl */
#include "echo_client.h"    /* generated from idl/echo.idl */
#include "shell.h"

#define HISTORY 16

struct shell sh;

static char history[HISTORY][LINE_MAX];
static uint32_t history_len; /* lines ever entered; the last HISTORY are kept */

int main(uint64_t index);

/* Writes all of buf to the console (a restarted console is waited for). */
void out_bytes(struct sel_idl_conn *conn, const char *buf, size_t n)
{
	for (int tries = 0; n > 0 && tries < 1000; tries++) {
		uint32_t written = 0;
		int err = console_write(conn, (const uint8_t *)buf, n, &written);
		if (err != SEL_OK || written == 0) {
			sel_yield();
			continue;
		}
		buf += written;
		n -= written;
	}
}

void out(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	int n = sel_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	out_bytes(sh.console, buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

void copy_str(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* History: k = 1 is the newest line. */
static const char *recall(uint32_t k)
{
	if (k == 0 || k > history_len || k > HISTORY)
		return "";
	return history[(history_len - k) % HISTORY];
}

/* Reads one line (without its newline) into line; false on ^C. */
static bool read_line(char *line)
{
	uint8_t buf[2048];
	uint32_t back = 0; /* how far up the history we are */

	for (;;) {
		size_t n = 0;
		uint64_t word;
		if (console_read(sh.console, LINE_MAX, buf, &n) != SEL_OK || n == 0) {
			sel_wait(sh.notify, &word);
			continue;
		}
		if (buf[0] == 0x03)
			return false;
		if (n == 3 && buf[0] == 0x1b && buf[1] == '[') {
			if (buf[2] == 'A' && back < history_len && back < HISTORY)
				back++;
			else if (buf[2] == 'B' && back > 0)
				back--;
			console_set_line(sh.console, recall(back));
			continue;
		}
		if (buf[n - 1] == '\n')
			n--;
		memcpy(line, buf, n);
		line[n] = '\0';
		return true;
	}
}

static void remember(const char *line)
{
	if (!line[0] || !strcmp(line, recall(1)))
		return;
	copy_str(history[history_len % HISTORY], line, LINE_MAX);
	history_len++;
}

/* Splits line into words in place; returns how many. */
static int split(char *line, char **argv, int max)
{
	int argc = 0;

	for (char *s = line; *s && argc < max;) {
		while (*s == ' ' || *s == '\t')
			*s++ = '\0';
		if (!*s)
			break;
		argv[argc++] = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
	}
	return argc;
}

/* The command named name, in the shell's table or the file commands'; NULL if none. */
static const struct command *lookup(const char *name)
{
	const struct command *tables[2] = {commands, fs_commands};

	for (int t = 0; t < 2; t++)
		for (const struct command *c = tables[t]; c && c->name; c++)
			if (!strcmp(name, c->name))
				return c;
	return NULL;
}

static void run(char *line)
{
	char *argv[WORDS_MAX + 1];
	int argc = split(line, argv, WORDS_MAX + 1);
	const struct command *c = argc ? lookup(argv[0]) : NULL;

	if (argc == 0)
		return;
	if (argc > WORDS_MAX)
		out("shell: more than %d words\n", WORDS_MAX);
	else if (!c)
		out("shell: unknown command '%s' (try 'help')\n", argv[0]);
	else if (argc - 1 < c->min_args || argc - 1 > c->max_args)
		out("%s: usage: %s\n", c->name, c->usage);
	else
		c->fn(argc, argv);
}

/* No terminal: a short session typed by the shell itself, then poweroff. */
static void scripted(void)
{
	static const char *const session[] = {
	    "help", "services", "ps", "uintr", "cat /etc/motd", "ls /", "run figlet", "poweroff"};
	char line[LINE_MAX];

	out("shell: no terminal: a scripted session\n");
	for (size_t i = 0; i < sizeof(session) / sizeof(session[0]); i++) {
		copy_str(line, session[i], sizeof(line));
		out("selene> %s\n", line);
		run(line);
	}
}

/* Asks the supervisor whether the system was booted with `word`. */
static bool booted_with(const char *word)
{
	struct sel_msg m = {SEL_MSG_INFO(SYS_REQ_BOOTARG, 0, 4), {0}, 0};

	copy_str((char *)m.mr, word, 4 * sizeof(m.mr[0]));
	return sel_call(SYS_SLOT_SUPERVISOR, &m) == SEL_OK && m.mr[0] == SEL_OK && m.mr[1];
}

/* Our connections, from the table the root task filled (<sel/bind.h>). */
static int connect(void)
{
	int err;

	sh.console = sel_bind("console", &err);
	if (!sh.console)
		return err;
	sh.echo = sel_bind("echo", NULL);
	sh.fs = sel_bind("fs", NULL);
	for (uint32_t n = 0; n < sel_connections.n; n++)
		if (!strcmp(sel_connections.e[n].service, "console"))
			sh.console_ep = sel_connections.e[n].ep;
	sh.notify = sh.console_ep + SYS_CONN_EVENTS;
	return SEL_OK;
}

int main(uint64_t index)
{
	char line[LINE_MAX];
	int err = connect();

	if (err != SEL_OK)
		return err; /* no console: nowhere to say it */
	sh.self = (uint32_t)index;
	sh.harts = (uint32_t)sel_debug_info(SEL_INFO_HARTS_ONLINE);
	sh.hart = component_hart(sh.self);
	console_set_mode(sh.console, CONSOLE_MODE_COOKED);
	uint64_t instret = sel_rdinstret(), now = sel_rdtime();
	uint64_t hz = ((const struct sel_kinfo *)SEL_KINFO_VADDR)->timebase_hz;
	out("\nSelene shell: %u harts; type 'help' for the commands\n", sh.harts);
	uint64_t ns = hz ? now * 1000000000ul / hz : 0;
	/* QEMU counts instructions only under -icount (shift=0: one per nanosecond of the
	 * clock, give or take what ran before the clock started); without it instret reads
	 * the host's time, far more: not shown then. */
	if (instret <= 4 * ns)
		out("(up %lu ms by the clock; this hart retired %lu instructions since reset)\n",
		    ns / 1000000, instret);
	else
		out("(up %lu ms by the clock)\n", ns / 1000000);
	if (booted_with("scripted")) {
		scripted();
		return 0;
	}
	for (;;) {
		out("selene> ");
		if (!read_line(line))
			continue;
		remember(line);
		run(line);
	}
}
