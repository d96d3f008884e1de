/* Device interrupts to user drivers: see irq.c. */
#ifndef SELENE_OBJECT_IRQ_H
#define SELENE_OBJECT_IRQ_H

#include "object/tcb.h"
#include "uaccess/syscall_args.h"

#define IRQ_MAX_SOURCES 128u

struct cte;
struct cap;
struct uintr_receiver;

enum sel_error irq_control_get(struct tcb *t, struct cte *ctl, struct syscall_args *args);
enum sel_error irq_handler_decode(struct tcb *t, struct cte *h, struct syscall_args *args);
void irq_handler_finalise(const struct cap *c);
/* A receiver is being destroyed: sources routed to it stop. */
void irq_receiver_gone(const struct uintr_receiver *r);
/* An external interrupt on this hart: claim and route every pending source. */
void irq_handle(void);

#endif /* SELENE_OBJECT_IRQ_H */
