/*
 * The server's side of binding at load time (<sel/bind.h>): the table the
 * root task fills with what to serve and how, sel_serve() that runs the
 * matching serve loop, and sel_direct_entry, the entry of the same program
 * loaded as a private instance into a client's address space.
 */
#include <sel/bind.h>
#include <sel/idl_async.h>
#include <sel/idl_sync.h>
#include <selene/bootinfo.h>

/* Written by the root task before we start. */
struct sel_serve_table sel_services;

static union {
	struct sel_idl_sync_server sync;
	struct sel_idl_async_server async;
} server;

int sel_serve(void)
{
	const struct sel_serve_table *t = &sel_services;

	if (t->magic != SEL_BIND_MAGIC)
		return SEL_ERR_INVALID_ARG;
	if (t->placement == SEL_BIND_SYNC) {
		server.sync.ep = t->ep;
		server.sync.dispatch = sel_service_dispatch;
		server.sync.dispatch_words = sel_service_dispatch_words;
		server.sync.cap_slot = t->cap_slot;
		return sel_idl_sync_serve(&server.sync);
	}
	if (t->placement != SEL_BIND_ASYNC)
		return SEL_ERR_INVALID_ARG;
	server.async.ep = t->ep;
	server.async.untyped = t->untyped;
	server.async.receiver = t->receiver;
	server.async.vspace = SEL_SLOT_VSPACE;
	server.async.vaddr = t->vaddr;
	server.async.window_bits = t->window_bits;
	server.async.nslots = t->nslots;
	server.async.slot_base = t->slot_base;
	server.async.nclients = t->nclients;
	server.async.dispatch = sel_service_dispatch;
	server.async.dispatch_words = sel_service_dispatch_words;
	return sel_idl_async_serve(&server.async);
}

/* Called by the trampoline below with our gp in place: the client's badge is 0. */
int sel_direct_dispatch(const struct sel_idl_msg *req, struct sel_idl_msg *rep);

int sel_direct_dispatch(const struct sel_idl_msg *req, struct sel_idl_msg *rep)
{
	return sel_service_dispatch(0, 0, req, rep);
}

/*
 * sel_direct_entry(req, rep): the client's gp is saved and ours loaded, so
 * the instance's code finds its own small data; both are restored on return.
 * The call runs on the client's stack, in the client's thread.
 */
__asm__(".section .text\n"
        ".globl sel_direct_entry\n"
        ".type sel_direct_entry, @function\n"
        "sel_direct_entry:\n"
        "	addi sp, sp, -16\n"
        "	sd ra, 8(sp)\n"
        "	sd gp, 0(sp)\n"
        "	.option push\n"
        "	.option norelax\n"
        "	la gp, __global_pointer$\n"
        "	.option pop\n"
        "	call sel_direct_dispatch\n"
        "	ld gp, 0(sp)\n"
        "	ld ra, 8(sp)\n"
        "	addi sp, sp, 16\n"
        "	ret\n"
        ".size sel_direct_entry, . - sel_direct_entry\n");
