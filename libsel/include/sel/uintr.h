/*
 * User-mode interrupts (<selene/uintr.h> has the contract, docs/uintr.md
 * the semantics). Names follow Intel's UINTR where they can:
 *
 *   sel_uintr_register_handler  register_handler: bind a receiver to me
 *   sel_uintr_create_sender     uintr_create_fd / a sender with a vector
 *   sel_uintr_install           register_sender: put it in my table
 *   sel_uintr_send              senduipi <index>
 *   sel_uintr_wait              uintr_wait
 *   sel_uintr_wait_unless       the N extension's mask, check, wfi, unmask
 *   sel_uintr_mask / _unmask    clui / stui
 *   sel_uintr_unregister        unregister_handler
 *
 * A handler is a C function void fn(uint64_t pending, struct
 * sel_uintr_frame *frame); libsel's trampoline calls it and returns to the
 * interrupted code with uret. The registering thread needs an IPC buffer:
 * its user-interrupt registers live there. A hardware implementation of the
 * N extension or of UINTR could serve these same calls.
 */
#ifndef SEL_UINTR_H
#define SEL_UINTR_H

#include <sel/cap.h>
#include <selene/uintr.h>

typedef void (*sel_uintr_handler_fn)(uint64_t pending, struct sel_uintr_frame *frame);
/* A handler that needs no frame: it sees the pending set only. */
typedef void (*sel_uintr_light_fn)(uint64_t pending);

/* The entry the kernel diverts to; calls the registered C function. */
void sel_uintr_trampoline(void);
/* The same for a light handler: saves only what a C function may clobber. */
void sel_uintr_trampoline_light(void);

static inline int sel_uintr_register_handler(sel_cptr_t receiver, sel_uintr_handler_fn fn,
                                             uint64_t alt_stack_top)
{
	return sel_invoke_uintr_receiver_register_handler(receiver, (uint64_t)sel_uintr_trampoline,
	                                                  alt_stack_top, (uint64_t)fn);
}

/*
 * A handler that cannot see or edit the interrupted registers: its
 * trampoline saves only the registers a C function may clobber (ra, gp,
 * t0-t6, a2-a7; pc, sp, a0 and a1 are in the user-interrupt registers,
 * and the FP registers when they are live, as for any handler), which
 * makes each interrupt about 35 instructions cheaper than a full frame.
 */
static inline int sel_uintr_register_light(sel_cptr_t receiver, sel_uintr_light_fn fn,
                                           uint64_t alt_stack_top)
{
	return sel_invoke_uintr_receiver_register_handler(
	    receiver, (uint64_t)sel_uintr_trampoline_light, alt_stack_top, (uint64_t)fn);
}

static inline int sel_uintr_create_sender(sel_cptr_t receiver, uint64_t vector, sel_cptr_t cnode,
                                          uint64_t index, uint32_t depth)
{
	return sel_invoke_uintr_receiver_create_sender(receiver, vector, cnode, index,
	                                               (uint8_t)depth);
}

static inline int sel_uintr_install(sel_cptr_t sender, uint64_t index)
{
	return sel_invoke_uintr_sender_install(sender, index);
}

/*
 * Device interrupts: the IRQ control cap hands out one handler cap per PLIC
 * source (into the empty slot (cnode, index, depth)); a handler routes its
 * source to a receiver's vector (the receiver cap needs Grant), Ack
 * completes the interrupt being served, Clear stops the routing.
 */
static inline int sel_irq_control_get(sel_cptr_t ctl, uint64_t irq, sel_cptr_t cnode,
                                      uint64_t index, uint32_t depth)
{
	return sel_invoke_irq_control_get(ctl, irq, cnode, index, (uint8_t)depth);
}

/* How many interrupt sources the PLIC has. */
static inline int sel_irq_control_info(sel_cptr_t ctl, uint64_t *sources)
{
	struct sel_irq_control_info_result r = {0};
	int err = sel_invoke_irq_control_info(ctl, &r);

	*sources = r.sources;
	return err;
}

static inline int sel_irq_handler_set_receiver(sel_cptr_t handler, sel_cptr_t receiver,
                                               uint64_t vector)
{
	return sel_invoke_irq_handler_set_receiver(handler, receiver, vector);
}

static inline int sel_irq_handler_ack(sel_cptr_t handler)
{
	return sel_invoke_irq_handler_ack(handler);
}

static inline int sel_irq_handler_clear(sel_cptr_t handler)
{
	return sel_invoke_irq_handler_clear(handler);
}

/* Only a0 and a7 go in: the other argument registers are returned zero, not read. */
static inline int sel_uintr_send(uint64_t index)
{
#ifdef SELENE_EVA
	return (int)eva_ecall(SEL_SYS_UINTR_SEND, index, 0, 0, 0, 0, 0, 0).err;
#else
	register uint64_t r0 __asm__("a0") = index;
	register uint64_t r7 __asm__("a7") = SEL_SYS_UINTR_SEND;

	__asm__ volatile("ecall"
	                 : "+r"(r0), "+r"(r7)
	                 :
	                 : "a1", "a2", "a3", "a4", "a5", "a6", "t0", "t1", "t2", "t3", "t4", "t5",
	                   "t6", "memory");
	return (int)r0;
#endif
}

static inline int sel_uintr_wait(void)
{
	return (int)sel_syscall(SEL_SYS_UINTR_WAIT, 0, 0, 0, 0, 0, 0, 0).err;
}

/* sel_uintr_send_wait's index for "no send, only the wait". */
#define SEL_UINTR_NO_SEND UINT64_MAX

/*
 * A send through entry `index` (SEL_UINTR_NO_SEND: none), then
 * sel_uintr_wait(), in one system call. The vectors of `mask` pending at
 * the wake-up are claimed and returned in *claimed without running the
 * handler; any other vector pending is delivered to the handler as usual
 * before this returns. The ping-pong of two threads that each wake the
 * other and sleep is one call a side.
 */
static inline int sel_uintr_send_wait(uint64_t index, uint64_t mask, uint64_t *claimed)
{
	struct sel_ret r = sel_syscall(SEL_SYS_UINTR_SEND_WAIT, index, mask, 0, 0, 0, 0, 0);

	if (claimed)
		*claimed = r.v[0];
	return (int)r.err;
}

/*
 * Sleeps as sel_uintr_wait() does unless *word != value (then returns
 * SEL_OK at once). A handler that runs between the check and the wait
 * restarts the check (the trampoline moves the thread back), so a wake-up
 * the handler records in *word is never slept through: the way to sleep on
 * state that a handler updates (libsel/src/uintr_wait.S).
 */
int sel_uintr_wait_unless(const volatile uint64_t *word, uint64_t value);
/* The same, claiming the vectors of `mask` at the wake-up: no handler runs for them. */
int sel_uintr_wait_unless_claim(const volatile uint64_t *word, uint64_t value, uint64_t mask);
/* The same, with the vectors it claimed (0 if it did not sleep): one entry, two results. */
struct sel_uintr_claimed {
	uint64_t err; /* an enum sel_error */
	uint64_t claimed;
};
struct sel_uintr_claimed sel_uintr_wait_unless_claimed(const volatile uint64_t *word,
                                                       uint64_t value, uint64_t mask);
/* Tests only: while non-zero a waiter spins inside that window; the positive control's
 * switch (the trampoline does not restart: the lost wake-up comes back). */
extern volatile uint64_t sel_uintr_wait_hold, sel_uintr_wait_no_restart;

static inline int sel_uintr_ctl(enum sel_uintr_ctl op, uint64_t arg, uint64_t *out)
{
	struct sel_ret r = sel_syscall(SEL_SYS_UINTR_CTL, op, arg, 0, 0, 0, 0, 0);
	if (out)
		*out = r.v[0];
	return (int)r.err;
}

static inline int sel_uintr_mask(void)
{
	return sel_uintr_ctl(SEL_UINTR_MASK, 0, 0);
}

static inline int sel_uintr_unmask(void)
{
	return sel_uintr_ctl(SEL_UINTR_UNMASK, 0, 0);
}

static inline int sel_uintr_uninstall(uint64_t index)
{
	return sel_uintr_ctl(SEL_UINTR_UNINSTALL, index, 0);
}

static inline int sel_uintr_unregister(void)
{
	return sel_uintr_ctl(SEL_UINTR_UNREGISTER, 0, 0);
}

#endif /* SEL_UINTR_H */
