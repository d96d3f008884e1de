/*
 * The shell's commands. Each checks its arguments (main.c has already
 * checked their number against the table) and prints what it found; none
 * can take the shell down: an error is a line saying what failed.
 */
#include <sel/cap.h>
#include <sel/ipc.h>
#include <sel/print.h>
#include <sel/string.h>
#include <sel/thread.h>
#include <selene/kinfo.h>
#include "console_client.h"
#include "echo_client.h"
#include "shell.h"

#define BENCH_CALLS 1000
#define TALK_LINES  20
#define KEYS_MAX    32 /* bytes `keys` takes per read */

static const struct sel_kinfo *kinfo(void)
{
	return (const struct sel_kinfo *)SEL_KINFO_VADDR;
}

/* Left-justified cells (the formatter pads numbers only): a few rotating buffers. */
static const char *cell(const char *s, int width)
{
	static char bufs[12][48];
	static unsigned next;
	char *b = bufs[next++ % 12];
	int n = 0;

	for (; s[n] && n < 47; n++)
		b[n] = s[n];
	for (; n < width && n < 47; n++)
		b[n] = ' ';
	b[n] = '\0';
	return b;
}

static const char *ncell(uint64_t v, int width)
{
	char tmp[24];

	sel_snprintf(tmp, sizeof(tmp), "%lu", v);
	return cell(tmp, width);
}

static void cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	out("commands:\n");
	for (const struct command *c = commands; c->name; c++)
		out("  %s %s\n", cell(c->usage, 18), c->help);
	out("keys: backspace, ^U (erase the line), ^C (abandon it), up/down (history)\n");
}

static const char *state_name(const struct sel_thread_info *st, bool running)
{
	if (running)
		return "running";
	switch (st->state) {
	case SEL_THREAD_RUNNABLE:
		return "ready";
	case SEL_THREAD_BLOCKED:
		return "blocked";
	default:
		return st->reason == SEL_STOP_FAULTED  ? "faulted"
		       : st->reason == SEL_STOP_EXITED ? "exited"
		                                       : "stopped";
	}
}

/* The hart whose info page shows tid running now, or -1. */
static int running_on(uint64_t tid)
{
	for (uint32_t h = 0; h < sh.harts && h < SEL_MAX_HARTS; h++)
		if (kinfo()->hart[h].thread == tid)
			return (int)h;
	return -1;
}

static void cmd_ps(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	out("%s%s%s%sSTATE\n", cell("TID", 5), cell("COMPONENT", 10), cell("HART", 6),
	    cell("PRIO", 6));
	for (uint32_t c = 0; c < DEMO_COMPONENTS; c++) {
		const struct demo_component_info *ci = &demo_components[c];
		struct sel_thread_info st;
		int err = sel_tcb_get_state(SHELL_SLOT_TCB + c, &st);
		uint32_t hart = ci->hart < sh.harts ? ci->hart : 0;
		if (err != SEL_OK) {
			out("%s%s%s%s(no thread: error %d)\n", cell("-", 5), cell(ci->name, 10),
			    ncell(hart, 6), ncell(ci->priority, 6), err);
			continue;
		}
		int now = running_on(st.tid);
		out("%s%s%s%s%s\n", ncell(st.tid, 5), cell(ci->name, 10), ncell(hart, 6),
		    ncell(ci->priority, 6), state_name(&st, now >= 0));
	}
	out("(main threads; state from the kernel (TCB GetState, the info page), hart and "
	    "priority as the root set them)\n");
}

static const char *type_name(uint64_t type)
{
	static const char *const names[SEL_OBJ_TYPE_COUNT] = {
	    "null",       "Untyped",       "CNode",       "TCB",         "Endpoint", "Notification",
	    "Frame",      "PageTable",     "VSpace",      "ASIDControl", "ASIDPool", "IRQControl",
	    "IRQHandler", "UIntrReceiver", "UIntrSender", "Window",      "Debug"};
	return type < SEL_OBJ_TYPE_COUNT ? names[type] : "?";
}

static void cmd_caps(int argc, char **argv)
{
	uint32_t n = 0;

	(void)argc;
	(void)argv;
	out("%s%s%sBADGE\n", cell("SLOT", 6), cell("TYPE", 15), cell("RIGHTS", 7));
	for (uint64_t slot = 1; slot < 1u << 8; slot++) {
		struct sel_identity id;
		char rights[6] = "-----";
		if (sel_cnode_identify(SEL_SLOT_CNODE, slot, SEL_DEPTH_FULL, &id) != SEL_OK ||
		    id.type == SEL_OBJ_NULL)
			continue;
		for (int b = 0; b < 5; b++)
			if (id.rights & (1u << b))
				rights[b] = "RWGgX"[b];
		out("%s%s%s%lu%s\n", ncell(slot, 6), cell(type_name(id.type), 15), cell(rights, 7),
		    id.badge, id.flags & 1 ? " (device)" : "");
		n++;
	}
	out("%u capabilities (rights: R read, W write, G grant, g grant-reply, X execute)\n", n);
}

static void cmd_services(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	out("components:\n");
	for (uint32_t c = 0; c < DEMO_COMPONENTS; c++) {
		const struct demo_component_info *ci = &demo_components[c];
		out("  %shart %u  prio %s%s%s\n", cell(ci->name, 9),
		    ci->hart < sh.harts ? ci->hart : 0, cell(ncell(ci->priority, 0), 5),
		    cell(ci->program, 20), ci->what);
	}
	out("connections:\n");
	for (uint32_t i = 0; i < DEMO_CONNECTIONS; i++) {
		const struct demo_connection *k = &demo_connections[i];
		out("  %s-> %s%s%sbadge %lu\n", cell(demo_components[k->client].name, 7),
		    cell(demo_components[k->server].name, 9), cell(k->service, 11),
		    cell(k->placement, 6), k->badge);
	}
	out("(from apps/demo/system.h, the table the root wires the system from)\n");
}

static void cmd_uintr(int argc, char **argv)
{
	struct uintr_cost c;
	uint64_t hz = kinfo()->timebase_hz ? kinfo()->timebase_hz : 1;

	(void)argc;
	(void)argv;
	if (sh.harts < 2) {
		out("uintr: one hart online: no other hart to interrupt\n");
		return;
	}
	int err = uintr_measure(&c, 20);
	if (err != SEL_OK) {
		out("uintr: failed (error %d) after %u rounds\n", err, c.rounds);
		return;
	}
	out("uintr: %u user interrupts from hart %u to a thread waiting on hart %u, all "
	    "delivered\n",
	    c.rounds, sh.hart, c.hart);
	out("uintr: send %lu instructions, %lu cycles on the sender's hart; delivery %lu ns "
	    "(cheapest round)\n",
	    c.send_instret, c.send_cycles, c.latency_ticks * 1000000000ul / hz);
	out("uintr: instructions are exact under -icount; ./selene bench has the calibrated "
	    "figures\n");
}

static void cmd_bench(int argc, char **argv)
{
	uint64_t hz = kinfo()->timebase_hz ? kinfo()->timebase_hz : 1;
	int64_t sum = 0;
	int err = SEL_OK;

	(void)argc;
	(void)argv;
	out("bench: %u echo.add calls from the shell (hart %u) to the echo server (hart %u), sync "
	    "transport\n",
	    BENCH_CALLS, sh.hart,
	    demo_components[DEMO_ECHO].hart < sh.harts ? demo_components[DEMO_ECHO].hart : 0);
	uint64_t t0 = sel_rdtime(), i0 = sel_rdinstret();
	for (uint32_t i = 0; i < BENCH_CALLS && err == SEL_OK; i++) {
		err = echo_add(&sh.echo, i, 1, &sum);
		if (err == SEL_OK && sum != (int64_t)i + 1)
			err = SEL_ERR_PROTOCOL;
	}
	uint64_t i1 = sel_rdinstret(), t1 = sel_rdtime();
	if (err != SEL_OK) {
		out("bench: a call failed (error %d)\n", err);
		return;
	}
	out("bench: %lu ns per call (wall clock), %lu instructions per call on the caller's hart\n",
	    (t1 - t0) * 1000000000ul / hz / BENCH_CALLS, (i1 - i0) / BENCH_CALLS);
	out("bench: instructions are exact under -icount; the calibrated table against seL4 (one "
	    "hart, -icount): ./selene bench, docs/performance.md\n");
}

static int find_component(const char *name)
{
	for (int c = 0; c < DEMO_COMPONENTS; c++)
		if (!strcmp(name, demo_components[c].name))
			return c;
	return -1;
}

static int root_call(uint64_t label, uint64_t arg, uint64_t *value)
{
	struct sel_msg m = {SEL_MSG_INFO(label, 0, 1), {arg}, 0};
	int err = sel_call(SHELL_SLOT_ROOT, &m);

	if (value)
		*value = m.mr[1];
	return err != SEL_OK ? err : (int)m.mr[0];
}

static void cmd_crash(int argc, char **argv)
{
	int c = find_component(argv[1]);
	uint64_t before = 0, after = 0;
	char reply[257];

	(void)argc;
	if (c != DEMO_CONSOLE && c != DEMO_ECHO) {
		out("crash: %s '%s' (servers that can crash: console, echo)\n",
		    c < 0 ? "no component" : "will not crash", argv[1]);
		return;
	}
	root_call(DEMO_REQ_RESTARTS, (uint64_t)c, &before);
	int err = root_call(DEMO_REQ_CRASH, (uint64_t)c, NULL);
	if (err != SEL_OK) {
		out("crash: the supervisor refused (error %d)\n", err);
		return;
	}
	uint64_t start = sel_rdtime();
	while (root_call(DEMO_REQ_RESTARTS, (uint64_t)c, &after) == SEL_OK && after == before &&
	       sel_rdtime() - start < 200000000)
		sel_yield();
	if (after == before) {
		out("crash: %s was not restarted within 20 s\n", argv[1]);
		return;
	}
	out("crash: %s took a fault (pc 0) and the supervisor restarted it\n", argv[1]);
	if (c == DEMO_ECHO) {
		err = echo_echo(&sh.echo, "still here", reply);
		out("crash: echo(\"still here\") -> %s%s%s (error %d)\n", err ? "" : "\"",
		    err ? "nothing" : reply, err ? "" : "\"", err);
	} else {
		out("crash: this line went through the restarted console\n");
	}
}

static void cmd_talk(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	out("talk: two clients on two harts write %u lines each at once, in pieces\n", TALK_LINES);
	int err = talk_run(TALK_LINES);
	out("talk: %s\n", err == SEL_OK ? "done" : "failed");
}

/* Raw mode: every key's bytes as they come, until q; then cooked mode again. */
static void cmd_keys(int argc, char **argv)
{
	static uint8_t buf[2048]; /* the stub's size; a read asks for KEYS_MAX */
	bool quit = false;

	(void)argc;
	(void)argv;
	/* raw first, then the line: a key typed once the line is seen is taken raw */
	console_set_mode(&sh.console, CONSOLE_MODE_RAW);
	out("keys: raw mode: each key's bytes in hex, no echo, no editing; q ends\n");
	while (!quit) {
		size_t n = 0;
		uint64_t word;
		if (console_read(&sh.console, KEYS_MAX, buf, &n) != SEL_OK || n == 0) {
			sel_wait(SHELL_SLOT_NOTIFY, &word);
			continue;
		}
		char line[3 * KEYS_MAX + 8];
		size_t len = 0;
		for (size_t i = 0; i < n; i++) {
			len +=
			    (size_t)sel_snprintf(line + len, sizeof(line) - len, " %02x", buf[i]);
			quit |= buf[i] == 'q';
		}
		out("keys:%s\n", line);
	}
	console_set_mode(&sh.console, CONSOLE_MODE_COOKED);
	out("keys: cooked mode again\n");
}

static void cmd_poweroff(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	out("poweroff: bye\n");
	console_flush(&sh.console);
	root_call(DEMO_REQ_POWEROFF, 0, NULL);
	out("poweroff: the supervisor did not power off\n");
}

const struct command commands[] = {
    {"help", 0, 0, "help", "this list", cmd_help},
    {"ps", 0, 0, "ps", "threads: component, hart, priority, state", cmd_ps},
    {"caps", 0, 0, "caps", "the shell's own capabilities: type, rights, badge", cmd_caps},
    {"services", 0, 0, "services", "the system's components and connections", cmd_services},
    {"uintr", 0, 0, "uintr", "a live cross-hart user interrupt and its cost", cmd_uintr},
    {"bench", 0, 0, "bench", "a short in-image run: echo calls, their cost", cmd_bench},
    {"crash", 1, 1, "crash <component>", "fault a server; the supervisor restarts it", cmd_crash},
    {"talk", 0, 0, "talk", "two clients write lines at once; none interleave", cmd_talk},
    {"keys", 0, 0, "keys", "raw mode: show each key's bytes until q", cmd_keys},
    {"poweroff", 0, 0, "poweroff", "power the machine off", cmd_poweroff},
    {NULL, 0, 0, NULL, NULL, NULL},
};
