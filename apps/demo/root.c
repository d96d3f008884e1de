/*
 * The demo system's root program, wiring the system by hand with libsel's
 * spawner (<sel/spawn.h>) from the tables in apps/demo/system.h: it hands
 * the UART over to the user-mode console driver (servers/console), starts
 * the echo server (servers/echo) and the shell (apps/shell), and then
 * supervises: it is every component's fault handler, restarts a component
 * that faults, and serves the shell's requests (inject a fault, count
 * restarts, power off). A system manifest (apps/demo/system.toml) read by
 * the generic root task is to replace this program; until then this file
 * is the manifest, in C.
 *
 * Boot arguments: "scripted" (no terminal: the shell runs a short session
 * and powers off), "interactive" (the default), "console-broken" (the
 * console's positive control: it no longer keeps lines whole).
 */
#include <sel/debug.h>
#include <sel/idl_sync.h>
#include <sel/ipc.h>
#include <sel/print.h>
#include <sel/spawn.h>
#include <sel/string.h>
#include <selene/bootinfo.h>
#include "console_client.h" /* generated from idl/console.idl */
#include "console_launch.h"
#include "echo_launch.h"
#include "shell_launch.h"
#include "system.h"

#define WINDOW       0x50000000ull /* the spawner fills frames here */
#define BUDGET_BITS  21            /* each component's memory: 2 MiB */
#define NTFN_CLIENTS 5             /* notifications for console badges 0..4 */

extern const uint8_t demo_console_elf_start[], demo_console_elf_end[];
extern const uint8_t demo_echo_elf_start[], demo_echo_elf_end[];
extern const uint8_t demo_shell_elf_start[], demo_shell_elf_end[];

/* Everything the root holds. Invariant: proc[i] is live while running[i]. */
static struct {
	const struct sel_bootinfo *bi;
	struct sel_spawner sp;
	sel_cptr_t ut;   /* the largest RAM Untyped: everything is carved from it */
	uint64_t next;   /* the next free slot of the root CNode */
	sel_cptr_t uart; /* the UART's page */
	sel_cptr_t irq;  /* its IRQ handler */
	sel_cptr_t sup;  /* the supervisor endpoint: faults and the shell's requests */
	sel_cptr_t ep[DEMO_COMPONENTS]; /* the endpoint each server serves */
	sel_cptr_t ntfn[NTFN_CLIENTS];  /* console input notifications, by badge */
	sel_cptr_t budget[DEMO_COMPONENTS];
	uint64_t first[DEMO_COMPONENTS]; /* each process's SEL_PROCESS_SLOTS slots */
	struct sel_process proc[DEMO_COMPONENTS];
	bool running[DEMO_COMPONENTS];
	uint64_t restarts[DEMO_COMPONENTS];
	uint64_t console_flags;
	bool scripted;
	uint32_t harts;
} root;

static struct sel_idl_future futures[1];
static struct sel_idl_sync_slot slots[1];
static struct sel_idl_sync_client console_client;
static struct sel_idl_conn console;

int main(const struct sel_bootinfo *bi);

static int object(enum sel_object_type type, uint32_t bits, sel_cptr_t *slot)
{
	*slot = root.next++;
	return sel_untyped_retype(root.ut, type, bits, SEL_SLOT_CNODE, *slot, 1);
}

/* Prints through the console driver once it runs (the kernel's console before). */
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	uint32_t written;

	va_start(ap, fmt);
	int n = sel_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	if (root.running[DEMO_CONSOLE])
		console_write(&console, (const uint8_t *)buf, (size_t)n, &written);
	else
		sel_debug_write(buf, (uint64_t)n);
}

static bool has_arg(const char *word)
{
	const char *s = (const char *)root.bi->bootargs;
	size_t n = strlen(word);

	for (; *s; s++)
		if ((s == (const char *)root.bi->bootargs || s[-1] == ' ') &&
		    !strncmp(s, word, n) && (s[n] == ' ' || s[n] == '\0'))
			return true;
	return false;
}

static sel_cptr_t find_untyped(bool device, uint64_t paddr)
{
	sel_cptr_t best = 0;
	uint32_t best_bits = 0;

	for (uint32_t i = 0; i < root.bi->n_untyped; i++) {
		const struct sel_untyped_desc *u = &root.bi->untyped[i];
		if (device && u->is_device && u->paddr == paddr)
			return u->slot;
		if (!device && !u->is_device && u->size_bits > best_bits) {
			best = u->slot;
			best_bits = u->size_bits;
		}
	}
	return best;
}

static uint32_t hart_of(enum demo_component c)
{
	return demo_components[c].hart < root.harts ? demo_components[c].hart : 0;
}

static int give_console(struct sel_process *p)
{
	int err = sel_process_map(&root.sp, p, root.uart, CONSOLE_UART_VADDR,
	                          SEL_RIGHT_READ | SEL_RIGHT_WRITE);

	if (err == SEL_OK)
		err = sel_process_give(&root.sp, p, root.irq, CONSOLE_SLOT_IRQ, SEL_RIGHT_WRITE);
	if (err == SEL_OK)
		err = sel_process_give_untyped(&root.sp, p, 16, CONSOLE_SLOT_UT);
	if (err == SEL_OK)
		err = sel_tcb_set_mcp(p->tcb, SEL_SLOT_TCB, CONSOLE_PRIORITY);
	if (err == SEL_OK)
		err = sel_process_give(&root.sp, p, p->tcb, CONSOLE_SLOT_SELF, SEL_RIGHTS_ALL);
	for (uint32_t b = 0; b < NTFN_CLIENTS && err == SEL_OK; b++)
		err = sel_process_give(&root.sp, p, root.ntfn[b], CONSOLE_SLOT_NOTIFY + b,
		                       SEL_RIGHT_WRITE);
	return err;
}

/* A badged copy of cap `src` into the child's slot `dest`. */
static int give_badged(struct sel_process *p, sel_cptr_t src, uint64_t dest, uint32_t rights,
                       uint64_t badge)
{
	sel_cptr_t minted = root.next++;
	int err = sel_cnode_mint(SEL_SLOT_CNODE, minted, src, SEL_DEPTH_FULL, rights, badge);

	if (err == SEL_OK)
		err = sel_process_give(&root.sp, p, minted, dest, rights);
	sel_cnode_delete(SEL_SLOT_CNODE, minted, SEL_DEPTH_FULL, 0);
	root.next--;
	return err;
}

/* The shell's read-only view of every component's main thread. */
static int give_shell_tcbs(void)
{
	struct sel_process *sh = &root.proc[DEMO_SHELL];
	int err = SEL_OK;

	for (uint32_t c = 0; c < DEMO_COMPONENTS && err == SEL_OK; c++) {
		sel_cptr_t tcb = c == DEMO_ROOT ? SEL_SLOT_TCB : root.proc[c].tcb;
		sel_cnode_delete(sh->cnode, SHELL_SLOT_TCB + c, SEL_DEPTH_FULL, 0);
		if (c == DEMO_ROOT || root.running[c])
			err =
			    sel_process_give(&root.sp, sh, tcb, SHELL_SLOT_TCB + c, SEL_RIGHT_READ);
	}
	return err;
}

static int give_shell(struct sel_process *p)
{
	const uint32_t call = SEL_RIGHT_WRITE | SEL_RIGHT_GRANT;
	int err = give_badged(p, root.ep[DEMO_CONSOLE], SHELL_SLOT_CONSOLE, call, DEMO_BADGE_SHELL);

	if (err == SEL_OK)
		err = give_badged(p, root.ep[DEMO_CONSOLE], SHELL_SLOT_TALK_A, call,
		                  DEMO_BADGE_TALK_A);
	if (err == SEL_OK)
		err = give_badged(p, root.ep[DEMO_CONSOLE], SHELL_SLOT_TALK_B, call,
		                  DEMO_BADGE_TALK_B);
	if (err == SEL_OK)
		err = sel_process_give(&root.sp, p, root.ntfn[DEMO_BADGE_SHELL], SHELL_SLOT_NOTIFY,
		                       SEL_RIGHT_READ);
	if (err == SEL_OK)
		err = sel_process_give(&root.sp, p, root.ep[DEMO_ECHO], SHELL_SLOT_ECHO, call);
	if (err == SEL_OK)
		err = give_badged(p, root.sup, SHELL_SLOT_ROOT, call, DEMO_BADGE_SUPERVISE);
	if (err == SEL_OK)
		err = sel_process_give_untyped(&root.sp, p, 18, SHELL_SLOT_UT);
	return err;
}

/* Creates, wires and starts component c (again, after a restart). */
static int start(enum demo_component c)
{
	static const struct {
		const uint8_t *start, *end;
	} elf[DEMO_COMPONENTS] = {
	    [DEMO_CONSOLE] = {demo_console_elf_start, demo_console_elf_end},
	    [DEMO_ECHO] = {demo_echo_elf_start, demo_echo_elf_end},
	    [DEMO_SHELL] = {demo_shell_elf_start, demo_shell_elf_end},
	};
	struct sel_process *p = &root.proc[c];
	uint64_t arg = 0;
	int err = sel_process_create(&root.sp, root.budget[c], root.first[c], elf[c].start,
	                             (size_t)(elf[c].end - elf[c].start), p);

	/* Its faults come to the supervisor endpoint with its badge (the TCB keeps a copy). */
	if (err == SEL_OK) {
		sel_cptr_t f = root.next++;
		err = sel_cnode_mint(SEL_SLOT_CNODE, f, root.sup, SEL_DEPTH_FULL,
		                     SEL_RIGHT_WRITE | SEL_RIGHT_GRANT, DEMO_BADGE_FAULT + c);
		if (err == SEL_OK)
			err = sel_tcb_set_fault_endpoint(p->tcb, f);
		sel_cnode_delete(SEL_SLOT_CNODE, f, SEL_DEPTH_FULL, 0);
		root.next--;
	}
	if (err == SEL_OK && c == DEMO_CONSOLE) {
		err = give_console(p);
		arg = root.console_flags;
	} else if (err == SEL_OK && c == DEMO_ECHO) {
		err = sel_process_give(&root.sp, p, root.ep[c], ECHO_SLOT_EP, SEL_RIGHTS_ALL);
		arg = ECHO_SERVE_SYNC;
	} else if (err == SEL_OK && c == DEMO_SHELL) {
		err = give_shell(p);
		arg = (root.scripted ? SHELL_ARG_SCRIPTED : 0) | (uint64_t)root.harts << 8;
	}
	if (err == SEL_OK && c == DEMO_CONSOLE)
		err = sel_process_give(&root.sp, p, root.ep[c], CONSOLE_SLOT_EP, SEL_RIGHTS_ALL);
	if (err == SEL_OK)
		err = sel_tcb_set_priority(p->tcb, SEL_SLOT_TCB, demo_components[c].priority);
	if (err == SEL_OK)
		err = sel_tcb_set_affinity(p->tcb, hart_of(c));
	if (err == SEL_OK)
		err = sel_process_start(p, arg);
	root.running[c] = err == SEL_OK;
	if (err == SEL_OK && root.running[DEMO_SHELL])
		err = give_shell_tcbs();
	return err;
}

/* Stops component c for good (its whole budget back) and starts it again. */
static void restart(enum demo_component c, const char *why)
{
	int err;

	root.running[c] = false; /* a dead console is not waited for: say() skips it */
	say("root: %s %s; restarting it\n", demo_components[c].name, why);
	err = sel_process_destroy(&root.sp, &root.proc[c]);
	if (err == SEL_OK)
		err = start(c);
	if (err != SEL_OK) {
		say("root: cannot restart %s (error %d)\n", demo_components[c].name, err);
		return;
	}
	root.restarts[c]++;
	say("root: %s restarted (restart %lu)\n", demo_components[c].name, root.restarts[c]);
}

/* A fault injected into c's main thread: it resumes at address 0 and faults there. */
static int inject_fault(enum demo_component c)
{
	struct sel_user_regs r;
	sel_cptr_t tcb = root.proc[c].tcb;
	int err = sel_tcb_suspend(tcb);

	if (err == SEL_OK)
		err = sel_tcb_read_registers(tcb, &r);
	r.pc = 0;
	if (err == SEL_OK)
		err = sel_tcb_write_registers(tcb, &r);
	return err != SEL_OK ? err : sel_tcb_resume(tcb);
}

static bool crashable(uint64_t c)
{
	return c == DEMO_CONSOLE || c == DEMO_ECHO;
}

/* One request of the shell; returns the reply. */
static struct sel_msg request(const struct sel_msg *m)
{
	uint64_t c = m->mr[0];
	struct sel_msg r = {SEL_MSG_INFO(0, 0, 1), {SEL_OK}, 0};

	switch (SEL_MSG_LABEL(m->info)) {
	case DEMO_REQ_CRASH:
		r.mr[0] = !crashable(c)      ? SEL_ERR_INVALID_ARG
		          : !root.running[c] ? SEL_ERR_BUSY
		                             : (uint64_t)inject_fault((enum demo_component)c);
		break;
	case DEMO_REQ_RESTARTS:
		r.info = SEL_MSG_INFO(0, 0, 2);
		r.mr[0] = c < DEMO_COMPONENTS ? SEL_OK : SEL_ERR_RANGE;
		r.mr[1] = c < DEMO_COMPONENTS ? root.restarts[c] : 0;
		break;
	case DEMO_REQ_POWEROFF:
		say("root: powering off\n");
		console_flush(&console);
		sel_shutdown(0);
	default:
		r.mr[0] = SEL_ERR_ILLEGAL_OP;
	}
	return r;
}

__attribute__((noreturn)) static void supervise(void)
{
	for (;;) {
		struct sel_msg m = {0};
		if (sel_recv(root.sup, &m) != SEL_OK)
			continue;
		uint64_t c = m.badge - DEMO_BADGE_FAULT;
		if (m.badge == DEMO_BADGE_SUPERVISE) {
			struct sel_msg r = request(&m);
			sel_reply(&r);
		} else if (c < DEMO_COMPONENTS && root.running[c]) {
			char why[96];
			if (SEL_MSG_LABEL(m.info) == SEL_LABEL_FAULT)
				sel_snprintf(why, sizeof(why), "faulted (cause %lu, pc 0x%lx)",
				             m.mr[0], m.mr[1]);
			else
				sel_snprintf(why, sizeof(why), "exited (code 0x%lx)", m.mr[0]);
			restart((enum demo_component)c, why);
		}
	}
}

/* Memory, the spawner's window, the objects every component shares, the UART. */
static int setup(void)
{
	sel_cptr_t pt, dev = find_untyped(true, root.bi->uart_base & ~0xfffull);
	int err =
	    sel_tcb_set_priority(SEL_SLOT_TCB, SEL_SLOT_TCB, demo_components[DEMO_ROOT].priority);

	root.ut = find_untyped(false, 0);
	root.next = root.bi->first_free_slot;
	root.sp = (struct sel_spawner){SEL_SLOT_CNODE, SEL_SLOT_VSPACE, WINDOW};
	/* Page tables down to the window (the upper one may be there already). */
	for (int level = 0; level < 2 && err == SEL_OK; level++) {
		err = object(SEL_OBJ_PAGE_TABLE, 0, &pt);
		if (err == SEL_OK)
			err = sel_page_table_map(pt, SEL_SLOT_VSPACE, WINDOW);
		if (err == SEL_ERR_ALREADY_MAPPED) {
			err = SEL_OK;
			break;
		}
	}
	if (err == SEL_OK)
		err = object(SEL_OBJ_ENDPOINT, 0, &root.sup);
	for (uint32_t c = DEMO_CONSOLE; c < DEMO_COMPONENTS && err == SEL_OK; c++) {
		err = object(SEL_OBJ_ENDPOINT, 0, &root.ep[c]);
		if (err == SEL_OK)
			err = object(SEL_OBJ_UNTYPED, BUDGET_BITS, &root.budget[c]);
		root.first[c] = root.next;
		root.next += SEL_PROCESS_SLOTS;
	}
	for (uint32_t b = 0; b < NTFN_CLIENTS && err == SEL_OK; b++)
		err = object(SEL_OBJ_NOTIFICATION, 0, &root.ntfn[b]);
	/* The UART's page and its interrupt, from the boot info (the device tree). */
	if (err == SEL_OK && !dev)
		err = SEL_ERR_EMPTY_SLOT;
	root.uart = root.next++;
	if (err == SEL_OK)
		err = sel_untyped_retype(dev, SEL_OBJ_FRAME, 12, SEL_SLOT_CNODE, root.uart, 1);
	root.irq = root.next++;
	if (err == SEL_OK)
		err = sel_invoke(SEL_SLOT_IRQ_CONTROL, SEL_IRQ_CONTROL_GET, root.bi->uart_irq,
		                 SEL_SLOT_CNODE, root.irq, SEL_DEPTH_FULL, 0, 0);
	return err;
}

int main(const struct sel_bootinfo *bi)
{
	int err;

	root.bi = bi;
	if (bi->magic != SEL_BOOTINFO_MAGIC || bi->version != SEL_BOOTINFO_VERSION) {
		sel_printf("root: bad boot-info page (magic 0x%lx)\n", bi->magic);
		return 1;
	}
	root.harts = (uint32_t)sel_debug_info(SEL_INFO_HARTS_ONLINE);
	root.scripted = has_arg("scripted");
	root.console_flags = has_arg("console-broken") ? CONSOLE_BROKEN_NO_LINES : 0;
	sel_printf("root: demo system, %u harts, boot arguments \"%s\"\n", root.harts,
	           (const char *)bi->bootargs);
	err = setup();
	if (err == SEL_OK)
		err = sel_invoke(SEL_SLOT_DEBUG, SEL_DEBUG_CONSOLE_HAND_OVER, root.uart, 0, 0, 0, 0,
		                 0);
	if (err == SEL_OK)
		err = start(DEMO_CONSOLE);
	if (err != SEL_OK) {
		sel_printf("root: cannot start the console (error %d)\n", err);
		return 1;
	}
	sel_idl_sync_connect(&console, &console_client, root.next++, 0, futures, slots, 1);
	err = sel_cnode_mint(SEL_SLOT_CNODE, console_client.ep, root.ep[DEMO_CONSOLE],
	                     SEL_DEPTH_FULL, SEL_RIGHT_WRITE | SEL_RIGHT_GRANT, DEMO_BADGE_ROOT);
	say("root: the console driver owns the UART (interrupt %lu); kernel console writes now "
	    "answer error %d\n",
	    bi->uart_irq, sel_debug_write("x", 1));
	if (err == SEL_OK)
		err = start(DEMO_ECHO);
	if (err == SEL_OK)
		err = start(DEMO_SHELL);
	if (err != SEL_OK) {
		say("root: cannot start the demo system (error %d)\n", err);
		return 1;
	}
	supervise();
	return 0;
}
