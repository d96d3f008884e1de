/*
 * The root task of a system built from a manifest (docs/manifest.md): it
 * wires the components exactly as the generated tables (system.h) say and
 * then supervises them.
 *
 * For each component that runs as a process of its own, from its budget (an
 * Untyped of 2^memory_bits carved from the root task's memory): a CSpace of
 * 2^cnode_bits slots, a VSpace with its program loaded, a TCB at its
 * priority, maximum controlled priority and hart. Then exactly the declared
 * capabilities and nothing else: a debug cap with the declared rights (none
 * if none), for a server its endpoint (and, async, its receiver and an
 * Untyped for session windows), for each connection of a client a badged
 * endpoint cap with the declared rights (and, async, its receiver and two
 * senders to it). A direct connection gives no capability: the provider's
 * own ELF, linked at SEL_BIND_DIRECT_BASE, is loaded into the client's
 * address space. Each client's connection table (sel_connections) and each
 * server's serve table (sel_services) are found by symbol in its ELF and
 * written while its pages are filled, so both are in place when it starts;
 * so is a POSIX program's sel_posix_boot (<sel/posix_boot.h>): its
 * arguments, environment and heap (an Untyped from its budget in slot 7).
 *
 * Drivers get the devices the manifest names, from the boot info: the
 * device's page mapped at SYS_DEVICES and its IRQ handler; the root task
 * hands the kernel's console over before it starts the UART's driver. A
 * component with `untyped` gets that much of its budget as an Untyped and
 * its own TCB (to make threads); one with `supervisor` a badged cap to the
 * root task's endpoint, whose requests (a list of every thread, a fault
 * injected into a component, a component declared start = "request" started
 * with the arguments given: run_component()) supervise_request() answers.
 *
 * The root task is every component's fault endpoint (badge: its index + 1).
 * An exit is reported; a fault, or a server's exit, stops the component or restarts it,
 * as the manifest says (recover()). When every component that provides no service has exited,
 * the root task powers the machine off with status 0 (1 if one of them
 * failed).
 */
#include <sel/bind.h>
#include <sel/debug.h>
#include <sel/ipc.h>
#include <sel/posix_boot.h>
#include <sel/print.h>
#include <sel/spawn.h>
#include <sel/string.h>
#include <sel/syscall.h>
#include <sel/thread.h>
#include <sel/uintr.h>
#include <selene/bootinfo.h>
#include "system.h"

#define MAX_COMPONENTS 12
#define PROCESS_SLOTS  256 /* of our slots per component: its pages, page tables, objects */
#define MAX_RESTARTS   3   /* restarts of one component before it is stopped */
#define MAX_RUNS       32  /* starts on request of one component (each costs root slots) */
#define ROOT_PRIORITY  255 /* the checker keeps components at or below it */
#define WINDOW         0x3200000000ull /* the spawner's window in our address space */
#define PAGE           4096ull

/* The root task's resources. Invariant: slots below next_slot are in use. */
static struct {
	uint64_t next_slot;
	sel_cptr_t ut;
	struct sel_spawner sp;
	sel_cptr_t fault_ep;
} env;

/* A component as the root task keeps it. */
struct comp {
	struct sel_process p;
	sel_cptr_t budget;
	uint64_t first; /* its PROCESS_SLOTS slots of ours */
	sel_cptr_t ep;  /* a server's endpoint (original, in our CSpace), else 0 */
	sel_cptr_t recv, fault;
	sel_cptr_t heap_pt; /* the page table of its heap, made before any budget (0: none) */
	uint32_t restarts;
	uint32_t runs;  /* starts on request (start = "request") */
	int64_t status; /* of its last exit */
	int built;      /* its process exists (built and not destroyed) */
	/* The arguments of the last run request (run_len 0: the manifest's). Invariant:
	 * run_len <= SYS_RUN_ARGS, and run_args ends in NUL if run_len > 0. */
	char run_args[SYS_RUN_ARGS];
	uint32_t run_len;
	struct sel_bind_table table;
	struct sel_serve_table serve;
	struct sel_route_table routes;
	struct sel_posix_boot posix;
	struct sel_patch patches[4];
	uint32_t npatches;
	int running;
};

static struct comp comps[MAX_COMPONENTS];

#define MAX_EVENTS       32    /* connections with events */
#define BADGE_SUPERVISE  0x100 /* + component: its requests on the fault endpoint */
#define SUPERVISE_RIGHTS (SEL_RIGHT_WRITE | SEL_RIGHT_GRANT_REPLY)

/* Devices, made at first use. Invariant: frame and irq are both set or both 0. */
static struct {
	const struct sel_bootinfo *bi;
	sel_cptr_t frame[SYS_MAX_DEVICES], irq[SYS_MAX_DEVICES]; /* by enum sys_device */
	int console_handed_over;
	sel_cptr_t events[MAX_EVENTS]; /* by connection index: its Notification, or 0 */
} hw;

static sel_cptr_t new_slot(void)
{
	return env.next_slot++;
}

static int new_object(enum sel_object_type type, uint32_t bits, sel_cptr_t *slot)
{
	*slot = new_slot();
	return sel_untyped_retype(env.ut, type, bits, SEL_SLOT_CNODE, *slot, 1);
}

/* Page tables in `vspace` down to the 2 MiB region of vaddr (from our memory). */
static int cover(sel_cptr_t vspace, uint64_t vaddr)
{
	for (int i = 0; i < 2; i++) {
		sel_cptr_t pt;
		int err = new_object(SEL_OBJ_PAGE_TABLE, 0, &pt);
		if (err == SEL_OK)
			err = sel_page_table_map(pt, vspace, vaddr);
		if (err == SEL_ERR_ALREADY_MAPPED)
			return SEL_OK;
		if (err != SEL_OK)
			return err;
	}
	return SEL_OK;
}

static size_t elf_size(const struct sys_component *c)
{
	return (size_t)(c->elf_end - c->elf);
}

static uint32_t ceil_log2(uint32_t n)
{
	uint32_t b = 0;
	while ((1u << b) < n)
		b++;
	return b;
}

/* The serve table of component s: how many clients, how placed. */
static int server_table(uint32_t s, struct sel_serve_table *t)
{
	memset(t, 0, sizeof(*t));
	for (uint32_t k = 0; k < sys_nconnections; k++) {
		const struct sys_connection *c = &sys_connections[k];
		if (c->server != s || c->placement == SEL_BIND_DIRECT)
			continue;
		if (t->placement && t->placement != c->placement)
			return SEL_ERR_NOT_SUPPORTED; /* one placement per server process */
		t->placement = c->placement;
		t->nclients++;
		if (c->depth > t->nslots)
			t->nslots = c->depth;
		if (c->window_bits > t->window_bits)
			t->window_bits = c->window_bits;
	}
	if (!t->placement)
		return SEL_OK;
	t->magic = SEL_BIND_MAGIC;
	t->ep = SYS_SLOT_SERVE_EP;
	if (t->placement == SEL_BIND_ASYNC) {
		t->untyped = SYS_SLOT_SERVE_UT;
		t->receiver = SYS_SLOT_SERVE_RECV;
		t->vaddr = SYS_WINDOWS;
		t->slot_base = SYS_SLOT_SESSIONS;
	}
	return SEL_OK;
}

/* The connection table of client i: one entry per connection it makes. */
static int client_table(uint32_t i, struct sel_bind_table *t)
{
	memset(t, 0, sizeof(*t));
	for (uint32_t k = 0; k < sys_nconnections; k++) {
		const struct sys_connection *c = &sys_connections[k];
		if (c->client != i)
			continue;
		if (t->n == SEL_BIND_MAX)
			return SEL_ERR_FULL;
		uint32_t n = t->n++;
		uint64_t base = SYS_SLOT_CONN + SYS_CONN_STRIDE * n;
		struct sel_bind_entry *e = &t->e[n];
		for (uint32_t k2 = 0; k2 < SEL_BIND_NAME - 1 && c->name[k2]; k2++)
			e->service[k2] = c->name[k2];
		e->placement = c->placement;
		if (c->placement == SEL_BIND_DIRECT) {
			const struct sys_component *s = &sys_components[c->server];
			e->entry = sel_elf_symbol(s->elf, elf_size(s), "sel_direct_entry");
			if (!e->entry)
				return SEL_ERR_INVALID_ARG;
			continue;
		}
		e->ep = base + SYS_CONN_EP;
		if (c->placement == SEL_BIND_ASYNC) {
			e->nslots = c->depth;
			e->receiver = SYS_SLOT_RECV;
			e->to_me = base + SYS_CONN_TO_ME;
			e->closed = base + SYS_CONN_CLOSED;
			e->slot = base + SYS_CONN_WINDOW;
			e->vaddr = SYS_WINDOWS + ((uint64_t)n << 21);
			e->uitt_index = n;
		}
	}
	t->magic = t->n ? SEL_BIND_MAGIC : 0;
	return SEL_OK;
}

static void copy_name(char *dst, const char *src, uint32_t size)
{
	for (uint32_t k = 0; k < size - 1 && src[k]; k++)
		dst[k] = src[k];
}

/*
 * The name service's routes of component i, and only its own, as a patch at
 * `sel_routes` if it has routes. A program that never resolves a path does
 * not link the table: it has nothing to resolve with, so nothing is lost.
 */
static int route_table(uint32_t i, struct comp *m)
{
	const struct sys_component *c = &sys_components[i];
	struct sel_route_table *t = &m->routes;

	memset(t, 0, sizeof(*t));
	for (uint32_t k = 0; k < sys_nroutes; k++) {
		if (sys_routes[k].client != i)
			continue;
		if (t->n == SEL_ROUTE_MAX)
			return SEL_ERR_FULL;
		copy_name(t->r[t->n].prefix, sys_routes[k].prefix, SEL_ROUTE_PATH);
		copy_name(t->r[t->n].name, sys_routes[k].name, SEL_BIND_NAME);
		t->n++;
	}
	uint64_t at = sel_elf_symbol(c->elf, elf_size(c), "sel_routes");
	if (!t->n || !at)
		return SEL_OK;
	t->magic = SEL_ROUTES_MAGIC;
	m->patches[m->npatches++] = (struct sel_patch){at, t, sizeof(*t)};
	return SEL_OK;
}

/* The strings of a component run with arguments: argv[0], those, then the manifest's env. */
static void run_strings(const struct sys_component *c, const struct comp *m,
                        struct sel_posix_boot *b)
{
	const char *s = c->strings, *end = c->strings + c->strings_len;
	size_t argv0 = c->argc ? strlen(s) + 1 : 0, n = argv0;

	memcpy(b->strings, s, argv0);
	memcpy(b->strings + n, m->run_args, m->run_len);
	n += m->run_len;
	for (uint32_t k = 0; k < c->argc && s < end; k++)
		s += strlen(s) + 1; /* past the manifest's arguments: the environment */
	memcpy(b->strings + n, s, (size_t)(end - s));
	b->argc = (argv0 ? 1 : 0);
	for (uint32_t k = 0; k < m->run_len; k++)
		b->argc += m->run_args[k] == '\0';
}

/*
 * The POSIX table of component i (<sel/posix_boot.h>): its strings, and where its heap
 * goes; a patch at `sel_posix_boot` if the program has that symbol (it links the POSIX
 * layer). A program without it gets no heap.
 */
static void posix_table(uint32_t i, struct comp *m)
{
	const struct sys_component *c = &sys_components[i];
	struct sel_posix_boot *b = &m->posix;
	uint64_t at = sel_elf_symbol(c->elf, elf_size(c), "sel_posix_boot");

	memset(b, 0, sizeof(*b));
	if (!at)
		return;
	b->magic = SEL_POSIX_BOOT_MAGIC;
	b->argc = c->argc;
	b->envc = c->envc;
	memcpy(b->strings, c->strings, c->strings_len);
	if (m->run_len)
		run_strings(c, m, b);
	if (c->heap_bits) {
		b->heap_ut = SEL_POSIX_HEAP_SLOT;
		b->heap_vaddr = SEL_POSIX_HEAP_VADDR;
		b->heap_bytes = 1ull << c->heap_bits;
		b->slot_count = SEL_POSIX_HEAP_FRAMES;
		b->slot_first = (1ull << c->cnode_bits) - SEL_POSIX_HEAP_FRAMES;
	}
	m->patches[m->npatches++] = (struct sel_patch){at, b, sizeof(*b)};
}

/*
 * Its heap: an Untyped from its budget, and a page table for 2 MiB frames from our
 * memory, made at start before every budget (budgets are aligned to their size: a small
 * object between two would waste most of one). A restart maps a new one.
 */
static int give_heap(uint32_t i, struct comp *m)
{
	const struct sys_component *c = &sys_components[i];
	int err;

	if (!m->posix.heap_ut)
		return SEL_OK;
	err = sel_process_give_untyped(&env.sp, &m->p, c->heap_bits, SEL_POSIX_HEAP_SLOT);
	if (err == SEL_OK && (m->restarts || m->runs > 1))
		err = new_object(SEL_OBJ_PAGE_TABLE, 0, &m->heap_pt);
	if (err == SEL_OK)
		err = sel_page_table_map(m->heap_pt, m->p.vspace, SEL_POSIX_HEAP_VADDR);
	return err;
}

/* The tables as patches over the component's image, at their symbols. */
static int tables(uint32_t i, struct comp *m)
{
	const struct sys_component *c = &sys_components[i];
	int err = client_table(i, &m->table);

	if (err == SEL_OK)
		err = server_table(i, &m->serve);
	m->npatches = 0;
	if (err == SEL_OK && m->table.n) {
		uint64_t at = sel_elf_symbol(c->elf, elf_size(c), "sel_connections");
		if (!at)
			return SEL_ERR_INVALID_ARG; /* a client that does not link libsel's binding */
		m->patches[m->npatches++] = (struct sel_patch){at, &m->table, sizeof(m->table)};
	}
	if (err == SEL_OK && m->serve.magic) {
		uint64_t at = sel_elf_symbol(c->elf, elf_size(c), "sel_services");
		if (!at)
			return SEL_ERR_INVALID_ARG;
		m->patches[m->npatches++] = (struct sel_patch){at, &m->serve, sizeof(m->serve)};
	}
	if (err == SEL_OK)
		posix_table(i, m);
	return err == SEL_OK ? route_table(i, m) : err;
}

/* A server's capabilities: its endpoint and, async, its receiver, Untyped and page tables. */
static int give_server(struct comp *m)
{
	const struct sel_serve_table *t = &m->serve;
	int err = m->ep ? SEL_OK : new_object(SEL_OBJ_ENDPOINT, 0, &m->ep);

	if (err == SEL_OK)
		err = sel_process_give(&env.sp, &m->p, m->ep, SYS_SLOT_SERVE_EP,
		                       SEL_RIGHT_READ | SEL_RIGHT_WRITE | SEL_RIGHT_GRANT);
	if (err != SEL_OK || t->placement != SEL_BIND_ASYNC)
		return err;
	if (!m->recv)
		err = new_object(SEL_OBJ_UINTR_RECEIVER, 0, &m->recv);
	if (err == SEL_OK)
		err = sel_process_give(&env.sp, &m->p, m->recv, SYS_SLOT_SERVE_RECV,
		                       SEL_RIGHT_WRITE | SEL_RIGHT_GRANT);
	if (err == SEL_OK)
		err = sel_process_give_untyped(
		    &env.sp, &m->p, t->window_bits + ceil_log2(t->nclients) + 1, SYS_SLOT_SERVE_UT);
	for (uint32_t k = 0; k < t->nclients && err == SEL_OK; k++)
		err = cover(m->p.vspace, SYS_WINDOWS + ((uint64_t)k << t->window_bits));
	return err;
}

/* The device's page and IRQ handler from the boot info (made once). */
static int device(uint32_t d, sel_cptr_t *frame, sel_cptr_t *irq)
{
	const struct sel_bootinfo *bi = hw.bi;
	int err = SEL_OK;

	if (d != SYS_DEVICE_UART || !bi->uart_base)
		return SEL_ERR_INVALID_ARG;
	for (uint32_t u = 0; !hw.frame[d] && u < bi->n_untyped; u++) {
		if (!bi->untyped[u].is_device ||
		    bi->untyped[u].paddr != (bi->uart_base & ~0xfffull))
			continue;
		sel_cptr_t f = new_slot(), q = new_slot();
		err = sel_untyped_retype(bi->untyped[u].slot, SEL_OBJ_FRAME, 12, SEL_SLOT_CNODE, f,
		                         1);
		if (err == SEL_OK)
			err = sel_invoke(SEL_SLOT_IRQ_CONTROL, SEL_IRQ_CONTROL_GET, bi->uart_irq,
			                 SEL_SLOT_CNODE, q, SEL_DEPTH_FULL, 0, 0);
		if (err != SEL_OK)
			return err;
		hw.frame[d] = f;
		hw.irq[d] = q;
	}
	*frame = hw.frame[d];
	*irq = hw.irq[d];
	return *frame ? SEL_OK : SEL_ERR_EMPTY_SLOT;
}

/* The kernel stops writing to the UART: from now on only its driver does. */
static int hand_over_console(sel_cptr_t uart)
{
	if (hw.console_handed_over)
		return SEL_OK;
	sel_printf("root: the console UART goes to its driver\n");
	hw.console_handed_over = 1;
	return sel_invoke(SEL_SLOT_DEBUG, SEL_DEBUG_CONSOLE_HAND_OVER, uart, 0, 0, 0, 0, 0);
}

/* A sync connection's Notification for its events (made once). */
static int event_notification(uint32_t k, sel_cptr_t *ntfn)
{
	int err = SEL_OK;

	if (k >= MAX_EVENTS)
		return SEL_ERR_RANGE;
	if (!hw.events[k])
		err = new_object(SEL_OBJ_NOTIFICATION, 0, &hw.events[k]);
	*ntfn = hw.events[k];
	return err;
}

/* Component c's devices: device k's page at SYS_DEVICES + k strides, its IRQ handler. */
static int give_devices(const struct sys_component *c, struct comp *m)
{
	int err = SEL_OK;

	for (uint32_t k = 0; k < c->ndevices && err == SEL_OK; k++) {
		sel_cptr_t frame, irq;
		err = device(c->devices[k], &frame, &irq);
		if (err == SEL_OK)
			err = sel_process_map(&env.sp, &m->p, frame,
			                      SYS_DEVICES + k * SYS_DEVICE_STRIDE,
			                      SEL_RIGHT_READ | SEL_RIGHT_WRITE);
		if (err == SEL_OK)
			err = sel_process_give(&env.sp, &m->p, irq, SYS_SLOT_DEVICE_IRQ + k,
			                       SEL_RIGHT_WRITE);
		if (err == SEL_OK && c->devices[k] == SYS_DEVICE_UART && !sys_probe_twin)
			err = hand_over_console(frame);
	}
	return err;
}

/* Component i's devices, own Untyped and TCB, supervisor cap, and as a server the
 * Notifications of its clients' events. */
static int give_resources(uint32_t i, struct comp *m)
{
	const struct sys_component *c = &sys_components[i];
	int err = give_devices(c, m);

	if (err == SEL_OK && c->untyped_bits)
		err = sel_process_give_untyped(&env.sp, &m->p, c->untyped_bits, SYS_SLOT_UNTYPED);
	if (err == SEL_OK && c->untyped_bits)
		err = sel_process_give(&env.sp, &m->p, m->p.tcb, SYS_SLOT_OWN_TCB, SEL_RIGHTS_ALL);
	if (err == SEL_OK && c->supervisor) {
		sel_cptr_t badged = new_slot();
		err = sel_cnode_mint(SEL_SLOT_CNODE, badged, env.fault_ep, SEL_DEPTH_FULL,
		                     SUPERVISE_RIGHTS, BADGE_SUPERVISE + i);
		if (err == SEL_OK)
			err = sel_process_give(&env.sp, &m->p, badged, SYS_SLOT_SUPERVISOR,
			                       SUPERVISE_RIGHTS);
	}
	for (uint32_t k = 0; k < sys_nconnections && err == SEL_OK; k++) {
		const struct sys_connection *n = &sys_connections[k];
		sel_cptr_t ntfn;
		if (n->server != i || !n->events)
			continue;
		err = event_notification(k, &ntfn);
		if (err == SEL_OK)
			err = sel_process_give(&env.sp, &m->p, ntfn,
			                       SYS_SLOT_EVENTS + SYS_BADGE(n->client, 0),
			                       SEL_RIGHT_WRITE);
	}
	return err;
}

/* A sync connection's further sessions (badged caps) and its events' Notification. */
static int give_sessions(uint32_t i, struct comp *m, const struct sel_bind_entry *e,
                         const struct sys_connection *c)
{
	int err = SEL_OK;

	for (uint32_t s = 1; s < c->sessions && err == SEL_OK; s++) {
		sel_cptr_t badged = new_slot();
		err = sel_cnode_mint(SEL_SLOT_CNODE, badged, comps[c->server].ep, SEL_DEPTH_FULL,
		                     c->rights, SYS_BADGE(i, s));
		if (err == SEL_OK)
			err = sel_process_give(&env.sp, &m->p, badged,
			                       e->ep + SYS_CONN_SESSION + s - 1, SEL_RIGHTS_ALL);
	}
	if (err == SEL_OK && c->events) {
		sel_cptr_t ntfn;
		err = event_notification((uint32_t)(c - sys_connections), &ntfn);
		if (err == SEL_OK)
			err = sel_process_give(&env.sp, &m->p, ntfn, e->ep + SYS_CONN_EVENTS,
			                       SEL_RIGHT_READ);
	}
	return err;
}

/* An async connection's extra caps: our receiver (once), two senders to it, page tables. */
static int give_async(struct comp *m, uint32_t n, sel_cptr_t *recv)
{
	const struct sel_bind_entry *e = &m->table.e[n];
	sel_cptr_t to_me = new_slot(), closed = new_slot();
	int err = SEL_OK;

	if (!*recv) {
		err = new_object(SEL_OBJ_UINTR_RECEIVER, 0, recv);
		if (err == SEL_OK)
			err = sel_process_give(&env.sp, &m->p, *recv, SYS_SLOT_RECV,
			                       SEL_RIGHT_WRITE | SEL_RIGHT_GRANT);
	}
	if (err == SEL_OK)
		err = sel_uintr_create_sender(*recv, 2 * n, SEL_SLOT_CNODE, to_me, SEL_DEPTH_FULL);
	if (err == SEL_OK)
		err = sel_uintr_create_sender(*recv, 2 * n + 1, SEL_SLOT_CNODE, closed,
		                              SEL_DEPTH_FULL);
	if (err == SEL_OK)
		err = sel_process_give(&env.sp, &m->p, to_me, e->to_me, SEL_RIGHTS_ALL);
	if (err == SEL_OK)
		err = sel_process_give(&env.sp, &m->p, closed, e->closed, SEL_RIGHTS_ALL);
	return err != SEL_OK ? err : cover(m->p.vspace, e->vaddr);
}

/* The manifest's connection behind client i's table entry e. */
static const struct sys_connection *connection_of(uint32_t i, const struct sel_bind_entry *e)
{
	for (uint32_t k = 0; k < sys_nconnections; k++)
		if (sys_connections[k].client == i &&
		    !strncmp(sys_connections[k].name, e->service, SEL_BIND_NAME))
			return &sys_connections[k];
	return NULL;
}

/*
 * Client i's capabilities for its connections (the servers' endpoints exist): per sync
 * or async connection, the server's endpoint badged i + 1 with the declared rights.
 */
static int give_client(uint32_t i, struct comp *m)
{
	sel_cptr_t recv = 0;
	int err = SEL_OK;

	for (uint32_t n = 0; n < m->table.n && err == SEL_OK; n++) {
		const struct sel_bind_entry *e = &m->table.e[n];
		const struct sys_connection *c = connection_of(i, e);
		if (e->placement == SEL_BIND_DIRECT || !c)
			continue;
		sel_cptr_t badged = new_slot();
		uint32_t rights = c->rights;
		if (e->placement == SEL_BIND_ASYNC && (rights & SEL_RIGHT_WRITE))
			rights |= SEL_RIGHT_GRANT; /* opening a session sends a sender */
		err = sel_cnode_mint(SEL_SLOT_CNODE, badged, comps[c->server].ep, SEL_DEPTH_FULL,
		                     rights, i + 1);
		if (err == SEL_OK)
			err = sel_process_give(&env.sp, &m->p, badged, e->ep, SEL_RIGHTS_ALL);
		if (err == SEL_OK && e->placement == SEL_BIND_ASYNC)
			err = give_async(m, n, &recv);
		if (err == SEL_OK && e->placement == SEL_BIND_SYNC)
			err = give_sessions(i, m, e, c);
	}
	return err;
}

/* The lowest hart of c's affinity, or hart 0 if that one is not online. */
static uint64_t hart_of(const struct sys_component *c)
{
	uint64_t hart = (uint64_t)__builtin_ctz(c->harts);

	return hart < sel_debug_info(SEL_INFO_HARTS_ONLINE) ? hart : 0;
}

/*
 * Builds component i (not started): its process, its private instances, its caps. A
 * rebuild (restart) reuses its budget, its slots and its endpoint.
 */
static int build(uint32_t i)
{
	const struct sys_component *c = &sys_components[i];
	struct comp *m = &comps[i];
	struct sel_process_opts o;
	int err = SEL_OK;

	if (!m->budget) {
		err = new_object(SEL_OBJ_UNTYPED, c->memory_bits, &m->budget);
		m->first = env.next_slot;
		env.next_slot += PROCESS_SLOTS;
	}
	if (err == SEL_OK)
		err = tables(i, m);
	o = (struct sel_process_opts){m->patches, m->npatches, c->cnode_bits, PROCESS_SLOTS};
	if (err == SEL_OK)
		err = sel_process_create_with(&env.sp, m->budget, m->first, c->elf, elf_size(c), &o,
		                              &m->p);
	m->built = err == SEL_OK;
	for (uint32_t k = 0; k < sys_ncomponents && err == SEL_OK; k++) {
		const struct sys_component *s = &sys_components[k];
		if (s->host == (int32_t)i) {
			m->p.patches = NULL;
			m->p.npatches = 0;
			err = sel_process_load(&env.sp, &m->p, s->elf, elf_size(s));
		}
	}
	if (err == SEL_OK && c->debug_rights)
		err = sel_process_give(&env.sp, &m->p, SEL_SLOT_DEBUG, SEL_SLOT_DEBUG,
		                       c->debug_rights);
	if (err == SEL_OK && m->serve.magic)
		err = give_server(m);
	if (err == SEL_OK)
		err = give_resources(i, m);
	if (err == SEL_OK)
		err = give_heap(i, m);
	if (err == SEL_OK)
		err = sel_tcb_set_mcp(m->p.tcb, SEL_SLOT_TCB, c->mcp);
	if (err == SEL_OK)
		err = sel_tcb_set_priority(m->p.tcb, SEL_SLOT_TCB, c->priority);
	if (err == SEL_OK)
		err = sel_tcb_set_affinity(m->p.tcb, hart_of(c));
	if (err == SEL_OK && !m->fault) {
		m->fault = new_slot();
		err = sel_cnode_mint(SEL_SLOT_CNODE, m->fault, env.fault_ep, SEL_DEPTH_FULL,
		                     SEL_RIGHT_WRITE | SEL_RIGHT_GRANT_REPLY, i + 1);
	}
	if (err == SEL_OK)
		err = sel_tcb_set_fault_endpoint(m->p.tcb, m->fault);
	return err;
}

/* Whether component i starts at boot: not if it is started on request (SYS_REQ_RUN),
 * except in a probe twin, which checks every component's capabilities at once. */
static bool at_boot(uint32_t i)
{
	return sys_components[i].start == SYS_START_BOOT || sys_probe_twin;
}

static int provides(uint32_t i)
{
	for (uint32_t k = 0; k < sys_nconnections; k++)
		if (sys_connections[k].server == i)
			return 1;
	return 0;
}

static sel_cptr_t largest_untyped(const struct sel_bootinfo *bi)
{
	const struct sel_untyped_desc *best = NULL;

	for (uint32_t i = 0; i < bi->n_untyped; i++)
		if (!bi->untyped[i].is_device &&
		    (!best || bi->untyped[i].size_bits > best->size_bits))
			best = &bi->untyped[i];
	return best ? best->slot : 0;
}

static int init(const struct sel_bootinfo *bi)
{
	sel_cptr_t pt;
	int err;

	env.next_slot = bi->first_free_slot;
	hw.bi = bi;
	env.ut = largest_untyped(bi);
	env.sp = (struct sel_spawner){SEL_SLOT_CNODE, SEL_SLOT_VSPACE, WINDOW};
	/* Above every component: all are started before any runs, and faults are seen at once. */
	err = sel_tcb_set_priority(SEL_SLOT_TCB, SEL_SLOT_TCB, ROOT_PRIORITY);
	if (err == SEL_OK)
		err = new_object(SEL_OBJ_ENDPOINT, 0, &env.fault_ep);
	for (int level = 0; level < 2 && err == SEL_OK; level++) {
		err = new_object(SEL_OBJ_PAGE_TABLE, 0, &pt);
		if (err == SEL_OK)
			err = sel_page_table_map(pt, SEL_SLOT_VSPACE, WINDOW);
	}
	return err;
}

/*
 * An async server's receiver outlives its process (it is ours), with what the dead
 * sessions raised on it and the senders its clients kept: a restarted server gets a new
 * one (give_server), and revoking the old one takes every sender to it. Each
 * costs a receiver's worth of our memory, MAX_RESTARTS times at most.
 */
static int fresh_receiver(struct comp *m)
{
	int err = SEL_OK;

	if (m->recv) {
		err = sel_cnode_revoke(SEL_SLOT_CNODE, m->recv, SEL_DEPTH_FULL, 0);
		if (err == SEL_OK)
			err = sel_cnode_delete(SEL_SLOT_CNODE, m->recv, SEL_DEPTH_FULL, 0);
		m->recv = 0;
	}
	return err;
}

/*
 * Component i faulted. Either way its process goes (every object carved from its budget,
 * so its session windows too: async peers see their side closed, and a Call it had not
 * answered ends with an error). Restart: the same program again, on the same endpoint, so
 * sync clients' next calls reach it. Stop: its endpoint goes as well, and with it every
 * client's cap to it (their calls fail: peer dead). Returns 1 if it runs again.
 */
static int recover(uint32_t i)
{
	const struct sys_component *c = &sys_components[i];
	struct comp *m = &comps[i];
	uint64_t start = sel_rdinstret();
	int err = sel_process_destroy(&env.sp, &m->p);

	m->built = 0;
	if (err == SEL_OK && c->restart == SYS_RESTART_RESTART && m->restarts < MAX_RESTARTS) {
		m->restarts++;
		err = fresh_receiver(m);
		if (err == SEL_OK)
			err = build(i);
		if (err == SEL_OK)
			err = give_client(i, m);
		if (err == SEL_OK)
			err = sel_process_start(&m->p, i);
		uint64_t took = sel_rdinstret() - start;
		sel_printf("root: %s restarted (%u of %u): %d\n", c->name, m->restarts,
		           MAX_RESTARTS, err);
		sel_printf("root: restart took %lu instructions\n", took);
		return err == SEL_OK;
	}
	if (m->ep) {
		sel_cnode_revoke(SEL_SLOT_CNODE, m->ep, SEL_DEPTH_FULL, 0);
		sel_cnode_delete(SEL_SLOT_CNODE, m->ep, SEL_DEPTH_FULL, 0);
		m->ep = 0;
	}
	sel_printf("root: %s stopped: %d\n", c->name, err);
	return 0;
}

/* A fault injected into component c's main thread (enum sys_crash_kind). */
static int inject_fault(uint32_t c, uint64_t kind, uint64_t arg)
{
	struct sel_user_regs r;
	sel_cptr_t tcb = comps[c].p.tcb;
	int err = sel_tcb_suspend(tcb);

	if (err == SEL_OK)
		err = sel_tcb_read_registers(tcb, &r);
	if (kind == SYS_CRASH_FLIP && (arg >> 6) % 32)
		r.x[(arg >> 6) % 32 - 1] ^= 1ull << (arg & 63);
	else if (kind == SYS_CRASH_FLIP)
		r.pc ^= 1ull << (arg & 63);
	else
		r.pc = kind == SYS_CRASH_JUMP ? arg : 0;
	if (err == SEL_OK)
		err = sel_tcb_write_registers(tcb, &r);
	return err != SEL_OK ? err : sel_tcb_resume(tcb);
}

/* The state and scheduling of the thread whose TCB is `tcb` (in our CSpace) into r. */
static int thread_reply(sel_cptr_t tcb, uint64_t component, struct sel_msg *r)
{
	struct sel_thread_info st = {0};
	struct sel_thread_sched sc = {0};
	int err = sel_tcb_get_state(tcb, &st);

	if (err == SEL_OK)
		err = sel_tcb_get_sched(tcb, &sc);
	*r = (struct sel_msg){SEL_MSG_INFO(0, 0, 4),
	                      {(uint64_t)err, component, st.tid,
	                       st.state | st.reason << 8 | sc.priority << 16 | sc.hart << 32},
	                      0};
	return err;
}

/*
 * The n-th thread of the system: the root task's, then each running component's main
 * thread and the threads it made (TCB caps in its CSpace other than its own).
 */
static void nth_thread(uint64_t n, struct sel_msg *r)
{
	sel_cptr_t tmp = env.next_slot; /* a scratch slot, free again on return */

	if (n-- == 0) {
		thread_reply(SEL_SLOT_TCB, sys_ncomponents, r);
		return;
	}
	for (uint32_t i = 0; i < sys_ncomponents; i++) {
		const struct sys_component *c = &sys_components[i];
		if (c->host >= 0 || !comps[i].running)
			continue;
		if (n-- == 0) {
			thread_reply(comps[i].p.tcb, i, r);
			return;
		}
		for (uint64_t s = 0; c->untyped_bits && s < 1ull << c->cnode_bits; s++) {
			struct sel_identity id;
			if (s == SYS_SLOT_OWN_TCB ||
			    sel_cnode_identify(comps[i].p.cnode, s, SEL_DEPTH_FULL, &id) !=
			        SEL_OK ||
			    id.type != SEL_OBJ_TCB || n-- != 0)
				continue;
			int err = sel_cnode_op(
			    SEL_CNODE_COPY, sel_slot_in(SEL_SLOT_CNODE, tmp, SEL_DEPTH_FULL),
			    sel_slot_in(comps[i].p.cnode, s, SEL_DEPTH_FULL), SEL_RIGHT_READ, 0);
			if (err == SEL_OK)
				thread_reply(tmp, i, r);
			else
				r->mr[0] = (uint64_t)err;
			sel_cnode_delete(SEL_SLOT_CNODE, tmp, SEL_DEPTH_FULL, 0);
			return;
		}
	}
	r->mr[0] = SEL_ERR_RANGE;
}

/* Whether the boot arguments hold the word in MR0..MR3 (NUL-padded). */
static uint64_t has_bootarg(const struct sel_msg *m)
{
	char word[33];
	const char *args = (const char *)hw.bi->bootargs;
	size_t n;

	memcpy(word, m->mr, 32);
	word[32] = '\0';
	n = strlen(word);
	for (const char *s = args; n && *s; s++)
		if ((s == args || s[-1] == ' ') && !strncmp(s, word, n) && (s[n] == ' ' || !s[n]))
			return 1;
	return 0;
}

/* The identity of the cap in slot mr0 >> 16 of component mr0 & 0xffff into r. */
static void cap_of(uint64_t arg, struct sel_msg *r)
{
	uint64_t c = arg & 0xffff, slot = arg >> 16;
	struct sel_identity id = {0};

	if (c >= sys_ncomponents || !comps[c].running || sys_components[c].host >= 0 ||
	    slot >= 1ull << sys_components[c].cnode_bits) {
		r->mr[0] = SEL_ERR_RANGE;
		return;
	}
	r->mr[0] = (uint64_t)sel_cnode_identify(comps[c].p.cnode, slot, SEL_DEPTH_FULL, &id);
	r->mr[1] = id.type | id.rights << 8 | id.flags << 16;
	r->mr[2] = id.badge;
}

/* Whether run request m (SYS_REQ_RUN) carries arguments that fit component c's table. */
static int run_args_fit(const struct sys_component *c, const struct sel_msg *m, const char *bytes)
{
	uint64_t n = m->mr[1];
	size_t argv0 = c->argc ? strlen(c->strings) + 1 : 0;
	const char *envs = c->strings;

	for (uint32_t k = 0; k < c->argc; k++)
		envs += strlen(envs) + 1; /* the manifest's arguments: replaced */
	if (n > SYS_RUN_ARGS || (n && bytes[n - 1] != '\0') ||
	    SEL_MSG_LENGTH(m->info) < 2 + (n + 7) / 8)
		return SEL_ERR_INVALID_ARG;
	return argv0 + n + (size_t)(c->strings + c->strings_len - envs) <= SEL_POSIX_STRINGS
	           ? SEL_OK
	           : SEL_ERR_RANGE;
}

/*
 * SYS_REQ_RUN: starts component c, declared start = "request", with the arguments the
 * message carries (none: the manifest's). A process left by its previous run is
 * destroyed first; the program starts from its ELF with a fresh budget.
 */
static int run_component(uint64_t c, const struct sel_msg *m)
{
	uint64_t words[SEL_MSG_MAX_WORDS];
	const char *bytes = (const char *)&words[2];
	struct comp *p = &comps[c];
	int err;

	if (c >= sys_ncomponents || at_boot((uint32_t)c) || sys_components[c].host >= 0)
		return SEL_ERR_INVALID_ARG;
	if (p->running)
		return SEL_ERR_BUSY;
	if (p->runs == MAX_RUNS)
		return SEL_ERR_FULL;
	for (uint32_t k = 0; k < SEL_MSG_MAX_WORDS; k++) /* MR5 on are in our IPC buffer */
		words[k] = k < SEL_MSG_REG_WORDS ? m->mr[k] : sel_ipc_buffer()->mr[k];
	err = run_args_fit(&sys_components[c], m, bytes);
	if (err != SEL_OK)
		return err;
	if (p->built && (err = sel_process_destroy(&env.sp, &p->p)) != SEL_OK)
		return err;
	p->built = 0;
	p->runs++;
	p->run_len = (uint32_t)m->mr[1];
	memcpy(p->run_args, bytes, p->run_len);
	err = build((uint32_t)c);
	if (err == SEL_OK)
		err = give_client((uint32_t)c, p);
	if (err == SEL_OK)
		err = sel_process_start(&p->p, c);
	p->running = err == SEL_OK;
	return err;
}

/* A request of component `who` (badge BADGE_SUPERVISE + who), answered. */
static void supervise_request(uint64_t who, const struct sel_msg *m)
{
	uint32_t rights = who < sys_ncomponents ? sys_components[who].supervisor : 0;
	uint64_t c = m->mr[0];
	struct sel_msg r = {SEL_MSG_INFO(0, 0, 3), {SEL_ERR_NO_RIGHTS}, 0};
	uint64_t kind = SEL_MSG_LENGTH(m->info) >= 3 ? m->mr[1] : SYS_CRASH_PC0;

	switch (SEL_MSG_LABEL(m->info)) {
	case SYS_REQ_THREAD:
		if (rights & SYS_SUPERVISE_THREADS)
			nth_thread(c, &r);
		break;
	case SYS_REQ_RESTARTS:
		if (!(rights & SYS_SUPERVISE_THREADS))
			break;
		r.mr[0] = c < sys_ncomponents ? SEL_OK : SEL_ERR_RANGE;
		r.mr[1] = c < sys_ncomponents ? comps[c].restarts : 0;
		r.mr[2] = c < sys_ncomponents ? (uint64_t)comps[c].running : 0;
		r.mr[3] = c < sys_ncomponents ? comps[c].runs : 0;
		r.mr[4] = c < sys_ncomponents ? (uint64_t)comps[c].status : 0;
		r.info = SEL_MSG_INFO(0, 0, 5);
		break;
	case SYS_REQ_RUN:
		if (rights & SYS_SUPERVISE_RUN)
			r.mr[0] = (uint64_t)run_component(c, m);
		break;
	case SYS_REQ_CRASH:
		if (!(rights & SYS_SUPERVISE_CRASH))
			break;
		r.mr[0] = c >= sys_ncomponents || c == who || sys_components[c].host >= 0
		              ? SEL_ERR_INVALID_ARG
		          : !comps[c].running ? SEL_ERR_BUSY
		                              : (uint64_t)inject_fault((uint32_t)c, kind, m->mr[2]);
		break;
	case SYS_REQ_CAP:
		if (rights & SYS_SUPERVISE_CAPS)
			cap_of(c, &r);
		break;
	case SYS_REQ_BOOTARG:
		r.mr[0] = SEL_OK;
		r.mr[1] = has_bootarg(m);
		break;
	default:
		r.mr[0] = SEL_ERR_ILLEGAL_OP;
	}
	sel_reply(&r);
}

/*
 * A component started on request exited or faulted: its status is kept for the one that
 * ran it (SYS_REQ_RESTARTS); a fault is supervised as any (its restart policy). Its
 * process stays until the next run destroys it. It never counts among the clients the
 * system waits for.
 */
static void on_request_ended(uint32_t i, const struct sel_msg *m)
{
	const struct sys_component *c = &sys_components[i];
	uint64_t label = SEL_MSG_LABEL(m->info);

	if (label == SEL_LABEL_EXIT) {
		sel_printf("root: %s exited with %ld\n", c->name, (long)(int64_t)m->mr[0]);
		comps[i].status = (int64_t)m->mr[0];
		comps[i].running = 0;
	} else if (label == SEL_LABEL_FAULT) {
		sel_printf("root: %s faulted: cause %lu pc 0x%lx addr 0x%lx\n", c->name, m->mr[0],
		           m->mr[1], m->mr[2]);
		comps[i].status = -1;
		comps[i].running = recover(i);
	}
}

/* Waits for the components' exits and faults until every client has exited. */
static int supervise(uint32_t clients)
{
	int failed = 0;

	while (clients) {
		struct sel_msg m = {0};
		int err = sel_recv(env.fault_ep, &m);
		if (err != SEL_OK)
			return err;
		uint64_t i = m.badge - 1, label = SEL_MSG_LABEL(m.info);
		if (m.badge >= BADGE_SUPERVISE) {
			supervise_request(m.badge - BADGE_SUPERVISE, &m);
			continue;
		}
		if (i >= sys_ncomponents)
			continue;
		const struct sys_component *c = &sys_components[i];
		if (!at_boot((uint32_t)i)) {
			on_request_ended((uint32_t)i, &m);
			continue;
		}
		if (label == SEL_LABEL_EXIT) {
			sel_printf("root: %s exited with %ld\n", c->name, (long)(int64_t)m.mr[0]);
			/* A server that exits would leave its clients waiting: supervised as if it
			 * had faulted (restarted, or stopped: its clients' calls end). */
			if (provides((uint32_t)i) && recover((uint32_t)i))
				continue;
			failed |= m.mr[0] != 0;
		} else if (label == SEL_LABEL_FAULT) {
			sel_printf("root: %s faulted: cause %lu pc 0x%lx addr 0x%lx\n", c->name,
			           m.mr[0], m.mr[1], m.mr[2]);
			if (recover((uint32_t)i))
				continue;
			failed |= !provides((uint32_t)i);
		} else {
			continue;
		}
		comps[i].running = 0;
		if (!provides((uint32_t)i))
			clients--;
	}
	return failed;
}

int main(const struct sel_bootinfo *bi);

int main(const struct sel_bootinfo *bi)
{
	uint32_t clients = 0;
	int err = SEL_OK;

	if (bi->magic != SEL_BOOTINFO_MAGIC || sys_ncomponents > MAX_COMPONENTS)
		return 1;
	err = init(bi);
	for (uint32_t i = 0; i < sys_ncomponents && err == SEL_OK; i++)
		if (sys_components[i].heap_bits)
			err = new_object(SEL_OBJ_PAGE_TABLE, 0, &comps[i].heap_pt);
	sel_printf("root: system %s: %u components, %u connections\n", sys_name, sys_ncomponents,
	           sys_nconnections);
	/* Servers first, so their endpoints exist when their clients get caps to them. */
	for (int pass = 0; pass < 2 && err == SEL_OK; pass++)
		for (uint32_t i = 0; i < sys_ncomponents && err == SEL_OK; i++) {
			if (sys_components[i].host >= 0 || provides(i) != (pass == 0) ||
			    !at_boot(i))
				continue;
			err = build(i);
			if (err != SEL_OK)
				sel_printf("root: cannot build %s: error %d\n",
				           sys_components[i].name, err);
		}
	for (uint32_t i = 0; i < sys_ncomponents && err == SEL_OK; i++)
		if (sys_components[i].host < 0 && at_boot(i) &&
		    (err = give_client(i, &comps[i])) != SEL_OK)
			sel_printf("root: cannot connect %s: error %d\n", sys_components[i].name,
			           err);
	for (uint32_t i = 0; i < sys_ncomponents && err == SEL_OK; i++) {
		if (sys_components[i].host >= 0 || !at_boot(i))
			continue;
		err = sel_process_start(&comps[i].p, i); /* a0: its index in the manifest */
		comps[i].running = err == SEL_OK;
		clients += !provides(i);
	}
	if (err == SEL_OK)
		err = supervise(clients);
	sel_printf("root: system %s %s\n", sys_name, err == SEL_OK ? "done" : "failed");
	sel_shutdown(err == SEL_OK ? 0 : 1);
}
