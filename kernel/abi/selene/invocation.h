/*
 * Kernel object methods: the one table of invocation labels.
 *
 * An invocation is SEL_SYS_CALL on a capability that is not an endpoint:
 *     a0 = capability address of the object (resolved with depth 64 in the
 *          caller's CSpace), a1 = label, a2-a6 = arguments
 *     out: a0 = enum sel_error, a1-a6 = results
 * Slot arguments ("index") are addresses relative to the invoked CNode,
 * resolved with the depth the call gives. Labels are stable ABI; each
 * object type numbers its methods from its own base.
 */
#ifndef SELENE_ABI_INVOCATION_H
#define SELENE_ABI_INVOCATION_H

enum sel_invocation_label {
	/*
	 * CNode (the invoked cap is the destination's root):
	 *   a2 = dest index, a3 = source root (a CNode cptr, depth 64),
	 *   a4 = source index, a5 = dest depth | src depth << 8 | rights << 16,
	 *   a6 = badge or guard data (Mint, Mutate).
	 * Copy, Mint, Move and Mutate need Write on the invoked CNode cap and
	 * on the source root.
	 */
	SEL_CNODE_COPY = 1,
	SEL_CNODE_MINT = 2,
	SEL_CNODE_MOVE = 3,
	SEL_CNODE_MUTATE = 4,
	/* a2 = index, a5 = depth; Delete and Revoke need Write. */
	SEL_CNODE_DELETE = 5,
	SEL_CNODE_REVOKE = 6,
	/*
	 * a2 = index, a5 = depth; needs Read. Out: a1 = type, a2 = rights,
	 * a3 = badge, a4 = size_bits, a5 = flags (1 = device, 2 = dying).
	 */
	SEL_CNODE_IDENTIFY = 7,

	/*
	 * Untyped: a2 = object type, a3 = size_bits (variable-size types),
	 * a4 = destination CNode (cptr, depth 64), a5 = first slot index in
	 * it, a6 = count. Needs Write on the Untyped cap.
	 */
	SEL_UNTYPED_RETYPE = 16,
	/* Watermark back to 0; only when the Untyped has no children. */
	SEL_UNTYPED_RESET = 17,
	/* Out: a1 = physical base, a2 = size_bits, a3 = watermark, a4 = device. */
	SEL_UNTYPED_INFO = 18,

	/*
	 * TCB. Configure: a2 = CSpace root (CNode cptr), a3 = VSpace cptr,
	 * a4 = IPC buffer Frame cptr (0: none), a5 = IPC buffer address; the
	 * caps are copied into the TCB. Needs Write.
	 */
	SEL_TCB_CONFIGURE = 32,
	/*
	 * a2 = priority 0..255, a3 = authority TCB (cptr): SEL_ERR_RANGE above
	 * the authority's MCP (<selene/object.h>). Write on the invoked TCB.
	 */
	SEL_TCB_SET_PRIORITY = 33,
	SEL_TCB_SET_AFFINITY = 34, /* a2 = hart index; Write */
	/* a2 = user pointer to struct sel_user_regs; Read / Write. */
	SEL_TCB_READ_REGISTERS = 35,
	SEL_TCB_WRITE_REGISTERS = 36,
	SEL_TCB_RESUME = 37,  /* Write */
	SEL_TCB_SUSPEND = 38, /* Write */
	/* Out: a1 = enum sel_thread_state, a2 = stop reason, a3 = exit code or
	 * fault cause, a4 = fault pc, a5 = fault address, a6 = thread id. Read. */
	SEL_TCB_GET_STATE = 39,
	/* a2 = handler pc (0: none), a3 = its stack: the in-thread debug fault
	 * handler, tried before the fault endpoint (see
	 * SEL_SYS_DEBUG_FAULT_HANDLER). Write. */
	SEL_TCB_SET_FAULT_HANDLER = 40,
	/*
	 * a2 = Endpoint cptr (0: none): faults and the exit of the thread are
	 * sent there as IPC (<selene/ipc.h>). The cap is copied into the TCB;
	 * it needs Write and Grant or GrantReply. Write on the TCB.
	 */
	SEL_TCB_SET_FAULT_ENDPOINT = 41,
	/* a2 = Notification cptr (needs Read): a Recv by this thread also
	 * takes a signal of it. One notification per thread and one thread per
	 * notification (SEL_ERR_BUSY). Write on the TCB. */
	SEL_TCB_BIND_NOTIFICATION = 42,
	SEL_TCB_UNBIND_NOTIFICATION = 43, /* Write */
	/* a2 = MCP 0..255, a3 = authority TCB (cptr): at most the authority's MCP. Write. */
	SEL_TCB_SET_MCP = 44,

	/* PageTable: a2 = VSpace cptr, a3 = address it will cover. */
	SEL_PAGE_TABLE_MAP = 48,
	SEL_PAGE_TABLE_UNMAP = 49,
	/* Frame: a2 = VSpace cptr, a3 = address, a4 = rights (within the cap's). */
	SEL_FRAME_MAP = 56,
	SEL_FRAME_UNMAP = 57,
	/* Out: a1 = physical address, a2 = size_bits, a3 = mapped address (0: none). */
	SEL_FRAME_INFO = 58,
	/* Out: a1 = ASID. */
	SEL_VSPACE_INFO = 60,
	/* ASID control: out a1 = ASIDs in use, a2 = ASIDs in all. */
	SEL_ASID_CONTROL_INFO = 61,
	/* IRQ control: out a1 = interrupt sources of the PLIC. */
	SEL_IRQ_CONTROL_INFO = 62,
	/* IRQ control Get: a2 = PLIC source, a3 = destination CNode (cptr, depth
	 * 64), a4 = index, a5 = depth: the source's handler cap (one at a time). */
	SEL_IRQ_CONTROL_GET = 63,

	/*
	 * UIntr receiver (<selene/uintr.h>). Register binds it to the calling
	 * thread: a2 = handler pc, a3 = alternate stack top (0: none),
	 * a4 = handler argument; Write; SEL_ERR_BUSY if either is bound.
	 * CreateSender: a2 = vector (< 64), a3 = destination CNode (cptr,
	 * depth 64), a4 = index in it, a5 = depth; Grant.
	 */
	SEL_UINTR_REGISTER = 70,
	SEL_UINTR_CREATE_SENDER = 71,
	/* UIntr sender: a2 = index in the caller's sender table; copies the cap there. */
	SEL_UINTR_SENDER_INSTALL = 72,

	/*
	 * Window (docs/windows.md). Map: a2 = VSpace cptr (Write), a3 = address
	 * (4 KiB aligned), a4 = rights (Read, Write, Execute; within the cap's),
	 * a5 = bytes to map from the start (0: all; at most the window),
	 * a6 = side 0..3; every page table must be in place. Unmap. SetPeer:
	 * a2 = side, a3 = UIntr sender cptr: raised when any other side is
	 * unmapped or its cap deleted (peer-closed); 0: none. Map needs the
	 * rights it maps (Execute only if the cap has it); Unmap and SetPeer
	 * need Write. Info: out a1 = size, a2 = mapped address (0: none),
	 * a3 = side.
	 */
	SEL_WINDOW_MAP = 80,
	SEL_WINDOW_UNMAP = 81,
	SEL_WINDOW_SET_PEER = 82,
	SEL_WINDOW_INFO = 83,

	/*
	 * Debug cap (<selene/object.h>: one right per service). Check runs the
	 * capability and address-space invariant checkers (debug kernels;
	 * release kernels answer SEL_ERR_NOT_SUPPORTED): out a1 = failed
	 * capability invariant, a3 = failed address-space invariant (0: none).
	 * Needs SEL_DEBUG_RIGHT_CHECK.
	 */
	SEL_DEBUG_CHECK_INVARIANTS = 64,

	/*
	 * IRQ handler (Write): SetReceiver routes the source to a receiver's
	 * vector (a2 = receiver cptr, needs Grant; a3 = vector); Ack completes
	 * the interrupt being served (the source may fire again); Clear stops
	 * the routing.
	 */
	SEL_IRQ_HANDLER_SET_RECEIVER = 66,
	SEL_IRQ_HANDLER_ACK = 67,
	SEL_IRQ_HANDLER_CLEAR = 68,

	/*
	 * The rest of the debug cap. Putc: a2 = byte; Write: a2 = user
	 * pointer, a3 = length (at most 4096); both need SEL_DEBUG_RIGHT_WRITE.
	 * Shutdown: a2 = exit code (0 = success); SEL_DEBUG_RIGHT_SHUTDOWN.
	 * Info: a2 = enum sel_debug_info, out a1; SEL_DEBUG_RIGHT_INFO.
	 * Bench: a2 = enum sel_bench_op; SEL_DEBUG_RIGHT_BENCH.
	 */
	SEL_DEBUG_PUTC = 90,
	SEL_DEBUG_WRITE = 91,
	SEL_DEBUG_SHUTDOWN = 92,
	SEL_DEBUG_INFO = 93,
	SEL_DEBUG_BENCH = 94,
	/*
	 * CorruptVSpace (debug kernels, SEL_DEBUG_RIGHT_CHECK): a2 = enum
	 * sel_debug_vm_corruption, a3 = the mapped Frame or PageTable cap it
	 * needs. Breaks one address-space invariant, runs the checker, repairs
	 * it; out a1 = the invariant the checker named (1 leaf, 2 table, 3 satp,
	 * 4 shootdown; 0: none).
	 */
	SEL_DEBUG_CORRUPT_VSPACE = 95,
};

/* SEL_DEBUG_BENCH operations. */
enum sel_bench_op {
	SEL_BENCH_BEGIN = 0, /* zero the window counters, silence the timer */
	/* a1 = ticks, a2 = wfi entries, a3 = fences, a4 = satp writes, a5 = Call and
	 * ReplyRecv syscalls on endpoints, a6 = those the fastpath completed */
	SEL_BENCH_END = 1,
	/* a1 = the sum of instret read just before each wfi of the last window */
	SEL_BENCH_WFI_STAMPS = 2,
};

/* SEL_DEBUG_INFO queries. */
enum sel_debug_info {
	SEL_INFO_TICKS = 0,        /* timer interrupts taken on this hart */
	SEL_INFO_HART_ID = 1,      /* the hart this thread runs on */
	SEL_INFO_HARTS_ONLINE = 2, /* harts that reached the scheduler */
	SEL_INFO_DEBUG_KERNEL = 3, /* 1: asserts and the invariant checker are built in */
	SEL_INFO_IPC_CALLS = 4,    /* Call and ReplyRecv syscalls on endpoints, all harts */
	SEL_INFO_FASTPATH = 5,     /* those the IPC fastpath completed, all harts */
	SEL_INFO_SBI_CALLS = 6     /* calls the kernel made into the SBI firmware, all harts */
};

/* What SEL_DEBUG_CORRUPT_VSPACE breaks. */
enum sel_debug_vm_corruption {
	SEL_DEBUG_VM_CORRUPT_LEAF = 0,      /* a3: mapped Frame; its record forgotten */
	SEL_DEBUG_VM_CORRUPT_TABLE = 1,     /* a3: mapped PageTable; its record forgotten */
	SEL_DEBUG_VM_CORRUPT_SATP = 2,      /* this hart's satp names an unowned ASID */
	SEL_DEBUG_VM_CORRUPT_SHOOTDOWN = 3, /* this hart leaves the set of the ASID it runs */
};

#endif /* SELENE_ABI_INVOCATION_H */
