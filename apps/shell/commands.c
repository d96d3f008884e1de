/*
 * The shell's commands. Each checks its arguments (main.c has already
 * checked their number against the table) and prints what it found; none
 * can take the shell down: an error is a line saying what failed.
 */
#include <sel/cap.h>
#include <sel/debug.h>
#include <sel/ipc.h>
#include <sel/print.h>
#include <sel/string.h>
#include <sel/thread.h>
#include <selene/kinfo.h>
#include "console_client.h"
#include "echo_client.h"
#include "shell.h"

#define BENCH_CALLS 100
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
	const struct command *tables[2] = {commands, fs_commands};

	(void)argc;
	(void)argv;
	out("commands:\n");
	for (int t = 0; t < 2; t++)
		for (const struct command *c = tables[t]; c && c->name; c++)
			out("  %s %s\n", cell(c->usage, 20), c->help);
	out("keys: backspace, ^U (erase the line), ^C (abandon it), up/down (history)\n");
}

uint32_t component_hart(uint32_t c)
{
	uint32_t hart = c < sys_ncomponents ? (uint32_t)__builtin_ctz(sys_components[c].harts) : 0;

	return hart < sh.harts ? hart : 0;
}

int component_index(const char *name)
{
	for (uint32_t c = 0; c < sys_ncomponents; c++)
		if (!strcmp(name, sys_components[c].name))
			return (int)c;
	return -1;
}

static const char *state_name(uint64_t st, bool running)
{
	if (running)
		return "running";
	switch (SYS_THREAD_STATE(st)) {
	case SEL_THREAD_RUNNABLE:
		return "ready";
	case SEL_THREAD_BLOCKED:
		return "blocked";
	default:
		return SYS_THREAD_REASON(st) == SEL_STOP_FAULTED  ? "faulted"
		       : SYS_THREAD_REASON(st) == SEL_STOP_EXITED ? "exited"
		                                                  : "stopped";
	}
}

/* Whether some hart's info page shows tid running now. */
static bool running_now(uint64_t tid)
{
	for (uint32_t h = 0; h < sh.harts && h < SEL_MAX_HARTS; h++)
		if (kinfo()->hart[h].thread == tid)
			return true;
	return false;
}

/* A request to the supervisor (the root task); returns its error, the reply in m. */
static int supervisor_call(uint64_t label, uint64_t arg, struct sel_msg *m)
{
	*m = (struct sel_msg){SEL_MSG_INFO(label, 0, 1), {arg}, 0};
	int err = sel_call(SYS_SLOT_SUPERVISOR, m);

	return err != SEL_OK ? err : (int)m->mr[0];
}

static void cmd_ps(int argc, char **argv)
{
	struct sel_msg m;
	uint64_t n = 0;
	int err;

	(void)argc;
	(void)argv;
	out("%s%s%s%sSTATE\n", cell("TID", 5), cell("COMPONENT", 10), cell("HART", 6),
	    cell("PRIO", 6));
	for (; (err = supervisor_call(SYS_REQ_THREAD, n, &m)) == SEL_OK; n++) {
		uint64_t c = m.mr[1], tid = m.mr[2], st = m.mr[3];
		const char *name = c < sys_ncomponents ? sys_components[c].name : "root";
		out("%s%s%s%s%s\n", ncell(tid, 5), cell(name, 10), ncell(SYS_THREAD_HART(st), 6),
		    ncell(SYS_THREAD_PRIORITY(st), 6), state_name(st, running_now(tid)));
	}
	if (err != SEL_ERR_RANGE)
		out("ps: the supervisor answered error %d\n", err);
	out("%lu threads (from the supervisor: TCB GetState and GetSched of each; running: the "
	    "info page)\n",
	    n);
}

static const char *type_name(uint64_t type)
{
	static const char *const names[SEL_OBJ_TYPE_COUNT] = {
	    "null",       "Untyped",       "CNode",       "TCB",         "Endpoint", "Notification",
	    "Frame",      "PageTable",     "VSpace",      "ASIDControl", "ASIDPool", "IRQControl",
	    "IRQHandler", "UIntrReceiver", "UIntrSender", "Window",      "Debug"};
	return type < SEL_OBJ_TYPE_COUNT ? names[type] : "?";
}

/* The cap in slot `slot` of component c (ours: our own CSpace; else the supervisor's
 * answer); SEL_ERR_RANGE past the component's last slot. */
static int cap_in(int c, uint64_t slot, struct sel_identity *id)
{
	struct sel_msg m;
	int err;

	if (c < 0 || (uint32_t)c == sh.self)
		return slot < 1u << sys_components[sh.self].cnode_bits
		           ? sel_cnode_identify(SEL_SLOT_CNODE, slot, SEL_DEPTH_FULL, id)
		           : SEL_ERR_RANGE;
	err = supervisor_call(SYS_REQ_CAP, (uint64_t)c | slot << 16, &m);
	*id = (struct sel_identity){m.mr[1] & 0xff, (m.mr[1] >> 8) & 0xff, m.mr[2], 0,
	                            (m.mr[1] >> 16) & 0xff};
	return err;
}

static void cmd_caps(int argc, char **argv)
{
	int c = argc > 1 ? component_index(argv[1]) : -1;
	uint32_t n = 0;
	int err = SEL_OK;

	if (argc > 1 && c < 0) {
		out("caps: no component '%s' (try 'services')\n", argv[1]);
		return;
	}
	out("%s%s%sBADGE\n", cell("SLOT", 6), cell("TYPE", 15), cell("RIGHTS", 7));
	for (uint64_t slot = 1; err != SEL_ERR_RANGE; slot++) {
		struct sel_identity id;
		char rights[6] = "-----";
		err = cap_in(c, slot, &id);
		if (err == SEL_ERR_NO_RIGHTS) {
			out("caps: the supervisor refused (error %d)\n", err);
			return;
		}
		if (err != SEL_OK || id.type == SEL_OBJ_NULL)
			continue;
		for (int b = 0; b < 5; b++)
			if (id.rights & (1u << b))
				rights[b] = "RWGgX"[b];
		out("%s%s%s%lu%s\n", ncell(slot, 6), cell(type_name(id.type), 15), cell(rights, 7),
		    id.badge, id.flags & 1 ? " (device)" : "");
		n++;
	}
	out("%u capabilities of %s (rights: R read, W write, G grant, g grant-reply, X execute)\n",
	    n, c < 0 ? "the shell" : sys_components[c].name);
}

static const char *placement_name(uint32_t p)
{
	return p == SEL_BIND_DIRECT ? "direct" : p == SEL_BIND_SYNC ? "sync" : "async";
}

static void cmd_services(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	out("system %s: components\n", sys_name);
	for (uint32_t c = 0; c < sys_ncomponents; c++) {
		const struct sys_component *ci = &sys_components[c];
		out("  %shart %u  prio %s%s%s%s%s\n", cell(ci->name, 9), component_hart(c),
		    cell(ncell(ci->priority, 0), 5), cell(ci->program, 16),
		    ci->restart == SYS_RESTART_RESTART ? "restart" : "stop   ",
		    ci->ndevices ? "  device uart" : "",
		    ci->start == SYS_START_REQUEST ? "  on request" : "");
	}
	out("connections:\n");
	for (uint32_t i = 0; i < sys_nconnections; i++) {
		const struct sys_connection *k = &sys_connections[i];
		char extra[48] = "";
		if (k->sessions > 1)
			sel_snprintf(extra, sizeof(extra), ", %u sessions", k->sessions);
		out("  %s-> %s%s%s%s%s%s\n", cell(sys_components[k->client].name, 7),
		    cell(sys_components[k->server].name, 9), cell(k->service, 9),
		    cell(placement_name(k->placement), 7),
		    k->rights & SEL_RIGHT_GRANT ? "call, grant" : "call", extra,
		    k->events ? ", events" : "");
	}
	out("(from apps/%s/system.toml, the tables the root task wired the system from)\n",
	    sys_name);
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

/* Figures of docs/performance.md (release kernel, -icount, one hart): Selene's calibrated
 * value and seL4's on the same QEMU (0: none), generated from it at build time.
 * Invariant: ends with a NULL name. */
static const struct {
	const char *name;
	uint32_t selene, sel4;
} bench_table[] = {
#include "bench_table.h"
    {NULL, 0, 0},
};

/* Per operation of fn (count times): wall-clock ns and this hart's instructions. */
struct live {
	uint64_t ns, instr;
	int err;
};

static struct live measure_echo(uint32_t count)
{
	uint64_t hz = kinfo()->timebase_hz ? kinfo()->timebase_hz : 1;
	struct live l = {0, 0, sh.echo ? SEL_OK : SEL_ERR_EMPTY_SLOT};
	int64_t sum = 0;
	uint64_t t0 = sel_rdtime(), i0 = sel_rdinstret();

	for (uint32_t i = 0; i < count && l.err == SEL_OK; i++) {
		l.err = echo_add(sh.echo, i, 1, &sum);
		if (l.err == SEL_OK && sum != (int64_t)i + 1)
			l.err = SEL_ERR_PROTOCOL;
	}
	l.instr = (sel_rdinstret() - i0) / count;
	l.ns = (sel_rdtime() - t0) * 1000000000ul / hz / count;
	return l;
}

static struct live measure_yield(uint32_t count)
{
	uint64_t hz = kinfo()->timebase_hz ? kinfo()->timebase_hz : 1;
	uint64_t t0 = sel_rdtime(), i0 = sel_rdinstret();

	for (uint32_t i = 0; i < count; i++)
		sel_yield();
	return (struct live){(sel_rdtime() - t0) * 1000000000ul / hz / count,
	                     (sel_rdinstret() - i0) / count, SEL_OK};
}

static void cmd_bench(int argc, char **argv)
{
	struct live y = measure_yield(BENCH_CALLS), e = measure_echo(BENCH_CALLS);

	(void)argc;
	(void)argv;
	if (e.err != SEL_OK) {
		out("bench: an echo.add call failed (error %d)\n", e.err);
		return;
	}
	out("bench: now, %u of each from the shell (hart %u):\n", BENCH_CALLS, sh.hart);
	out("  %s%s ns, %lu instructions per call\n", cell("yield", 24), ncell(y.ns, 0), y.instr);
	out("  %s%s ns, %lu instructions per call (echo on hart %u)\n", cell("echo.add, sync", 24),
	    ncell(e.ns, 0), e.instr, component_hart((uint32_t)component_index("echo")));
	out("bench: instructions per operation, calibrated (./selene bench: release kernel, "
	    "-icount, one hart):\n");
	out("  %s%s%s\n", cell("figure", 24), cell("Selene", 9), "seL4 on this QEMU");
	for (uint32_t i = 0; bench_table[i].name; i++)
		out("  %s%s%s\n", cell(bench_table[i].name, 24), ncell(bench_table[i].selene, 9),
		    bench_table[i].sel4 ? ncell(bench_table[i].sel4, 0) : "-");
	out("bench: the live instructions are exact only under -icount; the table is "
	    "docs/performance.md's\n");
}

static void cmd_crash(int argc, char **argv)
{
	int c = component_index(argv[1]);
	struct sel_msg m;
	uint64_t before, after;
	char reply[257];

	(void)argc;
	if (c < 0 || (uint32_t)c == sh.self) {
		out("crash: %s '%s' (try 'services')\n", c < 0 ? "no component" : "will not crash",
		    argv[1]);
		return;
	}
	supervisor_call(SYS_REQ_RESTARTS, (uint64_t)c, &m);
	before = m.mr[1];
	int err = supervisor_call(SYS_REQ_CRASH, (uint64_t)c, &m);
	if (err != SEL_OK) {
		out("crash: the supervisor refused (error %d)\n", err);
		return;
	}
	uint64_t start = sel_rdtime();
	do {
		sel_yield();
		err = supervisor_call(SYS_REQ_RESTARTS, (uint64_t)c, &m);
		after = m.mr[1];
	} while (err == SEL_OK && after == before && m.mr[2] && sel_rdtime() - start < 200000000);
	if (after == before) {
		out("crash: %s took a fault (pc 0) and %s\n", argv[1],
		    m.mr[2] ? "was not restarted within 20 s" : "was stopped (restart = \"stop\")");
		return;
	}
	out("crash: %s took a fault (pc 0) and the supervisor restarted it (restart %lu)\n",
	    argv[1], after);
	if (!strcmp(argv[1], "echo") && sh.echo) {
		err = echo_echo(sh.echo, "still here", reply);
		out("crash: echo(\"still here\") -> %s%s%s (error %d)\n", err ? "" : "\"",
		    err ? "nothing" : reply, err ? "" : "\"", err);
	} else if (!strcmp(argv[1], "console")) {
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
	console_set_mode(sh.console, CONSOLE_MODE_RAW);
	out("keys: raw mode: each key's bytes in hex, no echo, no editing; q ends\n");
	while (!quit) {
		size_t n = 0;
		uint64_t word;
		if (console_read(sh.console, KEYS_MAX, buf, &n) != SEL_OK || n == 0) {
			sel_wait(sh.notify, &word);
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
	console_set_mode(sh.console, CONSOLE_MODE_COOKED);
	out("keys: cooked mode again\n");
}

static void cmd_poweroff(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	out("poweroff: bye\n");
	console_flush(sh.console);
	sel_shutdown(0); /* the debug cap's shutdown right, from the manifest */
}

const struct command commands[] = {
    {"help", 0, 0, "help", "this list", cmd_help},
    {"ps", 0, 0, "ps", "threads: component, hart, priority, state", cmd_ps},
    {"caps", 0, 1, "caps [component]", "capabilities (the shell's): type, rights, badge", cmd_caps},
    {"services", 0, 0, "services", "the system's components and connections", cmd_services},
    {"uintr", 0, 0, "uintr", "a live cross-hart user interrupt and its cost", cmd_uintr},
    {"bench", 0, 0, "bench", "live costs, and the calibrated table against seL4", cmd_bench},
    {"crash", 1, 1, "crash <component>", "fault a server; the supervisor restarts it", cmd_crash},
    {"talk", 0, 0, "talk", "two clients write lines at once; none interleave", cmd_talk},
    {"keys", 0, 0, "keys", "raw mode: show each key's bytes until q", cmd_keys},
    {"poweroff", 0, 0, "poweroff", "power the machine off", cmd_poweroff},
    {NULL, 0, 0, NULL, NULL, NULL},
};
