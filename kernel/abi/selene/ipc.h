/*
 * Synchronous IPC: the message format, the IPC buffer and the kernel's own
 * message labels.
 *
 * A message is a label, up to SEL_MSG_MAX_WORDS message registers (MRs) and
 * up to SEL_MSG_MAX_CAPS capabilities. The first SEL_MSG_REG_WORDS MRs
 * travel in CPU registers, the rest in the thread's IPC buffer:
 *
 *   in  (Send, NBSend, Call, Reply, ReplyRecv):
 *       a0 = capability address (depth 64) of the endpoint or notification
 *            (ignored by Reply), a1 = message info, a2-a6 = MR0-MR4,
 *       MR5.. = ipc_buffer->mr[5..], caps named by ipc_buffer->send_caps[].
 *   out (Recv, NBRecv, Call, ReplyRecv):
 *       a0 = enum sel_error, a1 = message info, a2-a6 = MR0-MR4,
 *       a7 = the sender's badge (for a notification: its word),
 *       MR5.. in ipc_buffer->mr[5..], received caps in the receive slots.
 *
 * Every other register is zero on return (docs/ipc.md). docs/ipc.md gives
 * the semantics; this header is the binary contract.
 */
#ifndef SELENE_ABI_IPC_H
#define SELENE_ABI_IPC_H

#define SEL_MSG_MAX_WORDS 64u /* message registers in all */
#define SEL_MSG_REG_WORDS 5u  /* MR0-MR4, carried in a2-a6 */
#define SEL_MSG_MAX_CAPS  3u

/*
 * Message info (a1): label << 12 | caps << 7 | length.
 *   length  bits 0-6   MRs in the message, 0..SEL_MSG_MAX_WORDS
 *   caps    bits 7-8   capabilities sent / received, 0..SEL_MSG_MAX_CAPS
 *   lease   bit 9      (Call) the last two words lend memory: SEL_MSG_LEASE
 *   forward bit 10     (Call) the last two words lend part of the caller's
 *                      own lease onwards: SEL_MSG_LEASE_FWD
 *   (bit 11 must be zero)
 *   label   bits 12-63 chosen by the sender; the kernel uses the labels
 *           from SEL_LABEL_KERNEL up for messages it makes itself, and
 *           refuses them in user messages (SEL_ERR_INVALID_ARG)
 */
#define SEL_MSG_LABEL_SHIFT 12u
#define SEL_MSG_CAPS_SHIFT  7u
#define SEL_MSG_LENGTH_MASK 0x7fu
#define SEL_MSG_CAPS_MASK   0x3u
#define SEL_MSG_LEASE       0x200u
#define SEL_MSG_LEASE_FWD   0x400u
#define SEL_MSG_RESERVED    0x800u

/*
 * Leases (docs/windows.md). A Call with SEL_MSG_LEASE lends the range
 * [MR(n-2), MR(n-2) + length) of the caller's memory, length and rights in
 * MR(n-1) = length | rights << SEL_LEASE_RIGHTS_SHIFT (Read, Write), to
 * the server that receives the call, until it replies. With
 * SEL_MSG_LEASE_FWD the server lends on, in a Call of its own, the part
 * [offset MR(n-2), + length) of the lease it holds, with no more rights.
 * The server reaches the lent memory only through SEL_SYS_LEASE_READ and
 * SEL_SYS_LEASE_WRITE (a0 = offset in the lease, a1 = its own buffer,
 * a2 = length): the kernel copies, checking bounds and rights, and returns
 * SEL_ERR_PEER_DEAD once the caller is gone or the reply is sent.
 */
#define SEL_LEASE_RIGHTS_SHIFT 56u
#define SEL_LEASE_MAX          (1ull << 24) /* 16 MiB */

#define SEL_MSG_INFO(label, caps, length)                                                          \
	(((uint64_t)(label) << SEL_MSG_LABEL_SHIFT) | ((uint64_t)(caps) << SEL_MSG_CAPS_SHIFT) |   \
	 (uint64_t)(length))
#define SEL_MSG_LABEL(info)  ((uint64_t)(info) >> SEL_MSG_LABEL_SHIFT)
#define SEL_MSG_CAPS(info)   (((uint64_t)(info) >> SEL_MSG_CAPS_SHIFT) & SEL_MSG_CAPS_MASK)
#define SEL_MSG_LENGTH(info) ((uint64_t)(info)&SEL_MSG_LENGTH_MASK)

/* Labels of the messages the kernel makes (52-bit label space). */
#define SEL_LABEL_KERNEL       0xfffff00000000ull
#define SEL_LABEL_NOTIFICATION (SEL_LABEL_KERNEL + 1) /* Recv took a bound notification */
#define SEL_LABEL_FAULT        (SEL_LABEL_KERNEL + 2) /* a thread faulted (fault endpoint) */
#define SEL_LABEL_EXIT         (SEL_LABEL_KERNEL + 3) /* a thread exited (fault endpoint) */

/*
 * A fault message (label SEL_LABEL_FAULT, 3 words, badge of the fault
 * endpoint cap): MR0 = cause (scause for an exception, or
 * SEL_FAULT_UNKNOWN_SYSCALL), MR1 = pc, MR2 = faulting address (stval) or,
 * for an unknown syscall, its number. The faulting thread waits for the
 * reply; the reply resumes it (an exception re-executes the instruction, an
 * unknown syscall returns SEL_ERR_UNKNOWN_SYSCALL), unless the reply's label
 * is SEL_FAULT_REPLY_STOP, which leaves it stopped as a fault would.
 * An exit message (label SEL_LABEL_EXIT, 1 word: the exit code) asks for no
 * reply: the thread is stopped once the message is delivered.
 */
#define SEL_FAULT_UNKNOWN_SYSCALL 0x100u
#define SEL_FAULT_REPLY_STOP      1u

/*
 * The IPC buffer: one per thread, in a Frame given to TCB Configure, at an
 * address aligned to SEL_IPC_BUFFER_ALIGN (so it never crosses a page).
 * libsel keeps its address in `tp` (sel_ipc_buffer()).
 */
#define SEL_IPC_BUFFER_ALIGN 1024u

#ifndef __ASSEMBLER__
#include <stdint.h>

/*
 * A thread's user-interrupt registers, the N extension's uepc/uscratch in
 * memory (<selene/uintr.h>): the kernel writes them when it diverts the
 * thread to its handler, and reads them back at uret.
 */
struct sel_uintr_regs {
	uint64_t uepc; /* the interrupted pc */
	uint64_t usp;  /* the interrupted sp */
	uint64_t ua0;  /* the interrupted a0 */
	uint64_t ua1;  /* the interrupted a1 */
	uint64_t ua7;  /* a7 to resume with (the trampoline writes it before uret) */
	uint64_t uarg; /* the handler argument given at registration */
	uint64_t ufpu; /* nonzero: the interrupted code's FP registers (f0-f31, fcsr)
	                  are live, and the entry must keep them for it */
};

struct sel_ipc_buffer {
	uint64_t mr[SEL_MSG_MAX_WORDS];       /* mr[0..4] unused: those travel in a2-a6 */
	uint64_t send_caps[SEL_MSG_MAX_CAPS]; /* cap addresses (depth 64) to send */
	uint64_t recv_cnode;                  /* CNode (address, depth 64) receiving caps */
	uint64_t recv_index;                  /* first receive slot in it; caps fill */
	uint64_t recv_depth;                  /* index, index+1, ...; depth 0: none */
	struct sel_uintr_regs uintr;          /* user interrupts: see above */
};

_Static_assert(sizeof(struct sel_ipc_buffer) <= SEL_IPC_BUFFER_ALIGN, "IPC buffer fits");
#endif

#endif /* SELENE_ABI_IPC_H */
