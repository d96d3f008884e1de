/*
 * Device interrupts to user drivers: IRQ control and IRQ handler caps.
 *
 * IRQ control Get makes the handler cap of one PLIC source (one at a time:
 * SEL_ERR_BUSY while another exists). A handler routes its source to a
 * vector of a UIntr receiver (SetReceiver, Grant on the receiver cap, as
 * creating a sender needs). When the source fires, the kernel claims it
 * from the PLIC and raises the vector; it does not complete the claim, so
 * the PLIC forwards nothing more from that source until the driver calls
 * Ack, however long the device keeps its line up: no storm, and the other
 * threads keep running. Clear stops the routing; deleting the handler cap,
 * or the receiver, does too. A source nobody routes is disabled when it
 * fires.
 */
#include "object/irq.h"
#include "arch/riscv/machine.h"
#include "arch/riscv/plic.h"
#include "ipc/uintr.h"
#include "lib/inject.h"
#include "object/objects.h"
#include <selene/error.h>
#include "kernel_unpack.h"
#include <selene/invocation.h>

/*
 * One per PLIC source. Invariants: receiver != NULL only while a handler
 * cap exists (`handled`); in_service: claimed and not yet completed.
 */
struct irq_state {
	struct uintr_receiver *receiver;
	uint64_t vector;
	bool handled;
	bool in_service;
};

static struct irq_state irqs[IRQ_MAX_SOURCES];

static bool valid_irq(uint64_t irq)
{
	return irq > 0 && irq < IRQ_MAX_SOURCES && irq <= machine.plic_sources;
}

enum sel_error irq_control_get(struct tcb *t, struct cte *ctl, struct syscall_args *args)
{
	struct irq_control_get_args g;
	struct cte *dest;
	struct cap c = {.type = SEL_OBJ_IRQ_HANDLER, .rights = SEL_RIGHTS_ALL};
	enum sel_error err = irq_control_get_unpack(t, args->a, &g);

	if (err != SEL_OK)
		return err;
	if (!valid_irq(g.irq))
		return SEL_ERR_RANGE;
	if (irqs[g.irq].handled)
		return SEL_ERR_BUSY;
	err = cspace_lookup(g.dest, g.index, g.depth, &dest);
	c.word0 = g.irq;
	c.object = (uint64_t)(uintptr_t)&irqs[g.irq];
	if (err == SEL_OK)
		err = cdt_insert_child(&kernel_cdt, ctl, dest, c);
	if (err == SEL_OK)
		irqs[g.irq].handled = true;
	return err;
}

static void stop_routing(uint32_t irq)
{
	struct irq_state *s = &irqs[irq];

	s->receiver = NULL;
	plic_enable(irq, false);
	if (s->in_service) {
		s->in_service = false;
		plic_complete(irq);
	}
}

static enum sel_error set_receiver(struct tcb *t, uint32_t irq, const uint64_t *a)
{
	struct irq_handler_set_receiver_args r;
	enum sel_error err = irq_handler_set_receiver_unpack(t, a, &r);

	if (err != SEL_OK)
		return err;
	irqs[irq].receiver = (struct uintr_receiver *)(uintptr_t)r.receiver->cap.object;
	irqs[irq].vector = r.vector;
	plic_enable(irq, true);
	return SEL_OK;
}

static void ack(uint32_t irq)
{
	if (irqs[irq].in_service) {
		irqs[irq].in_service = false;
		plic_complete(irq);
	}
}

/* objects.c checked the label and the Write right of the handler cap. */
enum sel_error irq_handler_decode(struct tcb *t, struct cte *h, struct syscall_args *args)
{
	uint32_t irq = (uint32_t)h->cap.word0;
	enum sel_error err;

	switch (args->a[1]) {
	case SEL_IRQ_HANDLER_SET_RECEIVER:
		return set_receiver(t, irq, args->a);
	case SEL_IRQ_HANDLER_ACK:
		err = irq_handler_ack_unpack(args->a);
		if (err == SEL_OK)
			ack(irq);
		return err;
	default: /* SEL_IRQ_HANDLER_CLEAR */
		err = irq_handler_clear_unpack(args->a);
		if (err == SEL_OK)
			stop_routing(irq);
		return err;
	}
}

void irq_handler_finalise(const struct cap *c)
{
	uint32_t irq = (uint32_t)c->word0;

	stop_routing(irq);
	irqs[irq].handled = false;
}

void irq_receiver_gone(const struct uintr_receiver *r)
{
	for (uint32_t i = 1; i < IRQ_MAX_SOURCES; i++)
		if (irqs[i].receiver == r)
			stop_routing(i);
}

void irq_handle(void)
{
	uint32_t irq;

	while ((irq = plic_claim()) != 0) {
		struct irq_state *s = irq < IRQ_MAX_SOURCES ? &irqs[irq] : NULL;
		if (s && s->receiver) {
			s->in_service = true; /* completed by Ack */
			uintr_raise(s->receiver, s->vector);
			if (inject_on(INJECT_IRQ_NO_MASK)) {
				s->in_service = false;
				plic_complete(irq);
			}
		} else {
			plic_enable(irq, false);
			plic_complete(irq);
		}
	}
}
