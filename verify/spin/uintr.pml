/*
 * uintr.pml -- Selene user interrupts: delivery, and the lock-free send
 * racing a revoke of the receiver on another hart.
 *
 * WHAT IT MODELS
 *   One UIntr receiver object bound to a receiver thread that runs on hart 0,
 *   two sending threads on harts 1 and 2 (each holds a sender cap, a child of
 *   the receiver cap, through its UITT entry), and a thread on hart 3 that
 *   may revoke the receiver cap at any moment (or never), after which the
 *   receiver's memory is freed and retyped into another object.
 *
 *   The send path does NOT take the big kernel lock: each of its memory
 *   accesses is a separate step, and any step of another hart may come in
 *   between. Every other kernel path (the receiver's wait syscall, uret, the
 *   IPI handler on hart 0, the revoke's first phase) runs under the big lock
 *   and is one d_step. Atomic memory operations (amoor, amoswap) are single
 *   steps. The fences of the send/revoke handshake are modelled by the order
 *   of the steps; the mutants below move a step past the fence that RVWMO
 *   would let it cross without that fence (a store becoming visible after a
 *   later load, or before an earlier access).
 *
 * THE DESIGN IT FIXES (kernel/object/uintr_cap.c, the send fast path, libsel)
 *   Receiver: pending (a 64-bit set; NVEC vectors modelled), the bound thread
 *   and its hart. Sender: (receiver, vector), reached through the sending
 *   thread's UITT entry, so the send needs no CSpace walk.
 *   send(vector), on any hart, outside the big lock:
 *     1. epoch[hart]++ (now odd: "in send"); fence rw,rw
 *     2. load the UITT entry; if it is invalid: epoch[hart]++, return
 *        SEL_ERR_DELETED (the receiver was revoked)
 *     3. old = amoor(&receiver.pending, bit)
 *     4. if old == 0 (the first bit of a batch): read receiver.hart and send
 *        it an IPI; otherwise the sender of the first bit does, so repeated
 *        sends before delivery coalesce into one bit and one IPI
 *     5. fence rw,w; epoch[hart]++ (even again)
 *   IPI handler on the receiver's hart (big lock): if the thread is blocked
 *   in wait and pending != 0, wake it; if it was interrupted in user mode,
 *   it is diverted on the way back to user mode. Cross-hart work is done only
 *   by IPI.
 *   Return to user mode (after the IPI, the wait syscall or uret): if the
 *   thread is bound, not in its handler and pending != 0, claim the whole set
 *   with one amoswap(&pending, 0) and enter the handler with it. While in the
 *   handler new bits stay pending; uret leaves the handler and takes the same
 *   return path, so they are delivered next.
 *   wait (big lock): if pending != 0 return into the handler at once, else
 *   block; a send that comes later wakes it through the IPI (the IPI is
 *   level-triggered: sip.SSIP stays set until the handler runs).
 *   revoke (hart 3): (a) under the big lock: invalidate every UITT entry that
 *   names a sender of this receiver, unbind the thread and wake it from wait
 *   with SEL_ERR_DELETED; fence rw,rw; (b) for every hart, read epoch[h]
 *   once; if it is odd, wait until it changes (the send in progress has
 *   finished; later sends see the invalid entry); (c) free the receiver;
 *   its memory may be retyped at once.
 *
 * PROCESSES
 *   sender(1), sender(2)  NSEND sends each: hart 1 sends vectors 1,0,...,
 *                         hart 2 sends 0,1,... (so sends coalesce).
 *   hart0()               the IPI handler of the receiver's hart.
 *   receiver()            the bound thread: wait, the handler, uret.
 *   revoker()             revokes the receiver once, or never.
 *   checker()             runs when nothing else can move (timeout).
 *
 * PROPERTIES (each checked by Spin)
 *   U1 at most once per send: a delivered bit must have been sent since it
 *      was last delivered (assert in deliver(); ghost `unseen`). Coalescing
 *      of repeated sends before a delivery is allowed by design.
 *   U2 no loss: when nothing can move, a receiver that is still bound has
 *      no sent-but-undelivered bit (checker, on timeout).
 *   U3 no send touches a freed receiver: every access of the send path to
 *      the receiver object asserts that its memory still holds the
 *      receiver (ghost `recv_mem`, set to MEM_REUSED when it is freed and
 *      retyped).
 *   U4 no deadlock: no invalid end state.
 *   Every execution is finite (run_spin.py --np finds no cycle), so U2 and
 *   U4, checked in the final states, mean "eventually".
 *
 * MUTANTS
 *   MUTANT_DELIVER_NO_ACK      delivery reads pending without clearing it:
 *                              the same send is delivered twice (U1).
 *   MUTANT_DELIVER_EARLY_CLEAR delivery reads pending and clears it with a
 *                              separate store: a send in between is lost (U2).
 *   MUTANT_NO_WAIT             revoke frees without waiting for the epochs:
 *                              a send touches freed memory (U3).
 *   MUTANT_SEND_NO_FENCE       no fence between the epoch store and the UITT
 *                              load in send (store->load reordering) (U3).
 *   MUTANT_REVOKE_NO_FENCE     no fence between invalidating and reading the
 *                              epochs in revoke (store->load reordering) (U3).
 *   MUTANT_SEND_NO_RELEASE     no fence before the epoch exit store: it
 *                              becomes visible before the amoor (U3).
 *
 * NOT MODELLED: the thread migrating between harts or being preempted while
 * runnable (it takes the same return path when it next runs); more than one
 * receiver; device interrupts routed to a receiver; the handler's saved
 * state. Atomics and the sequentially consistent order of AMOs and
 * full fences are the hardware's (assumed).
 */

#ifndef NSEND
#define NSEND 3 /* bound: sends by each of the 2 sending harts */
#endif
#ifndef NVEC
#define NVEC 2 /* bound: vectors in use (pending bits) */
#endif

#define SEL_OK 0
#define SEL_ERR_DELETED 13

/* what the receiver object's memory holds (ghost view of the allocator) */
#define MEM_RECEIVER 1
#define MEM_REUSED 2

/* receiver thread state */
#define R_USER 0    /* running on hart 0, in user mode */
#define R_WAITING 1 /* blocked in the wait syscall */
#define R_GONE 2    /* exited after its receiver was revoked */

/* receiver object (fields in recv_mem) */
byte pending;      /* pending vectors: amoor by senders, amoswap by delivery */
/* receiver binding and thread (big lock) */
bool bound = 1;    /* the thread is bound to a live receiver */
byte rstate;       /* R_USER, R_WAITING, R_GONE */
bool in_handler;   /* the thread runs its user-interrupt handler */
byte wait_result;
bool ipi0;         /* hart 0's software interrupt pending (sip.SSIP) */
/* per sending hart: its thread's UITT entry, and the hart's send epoch */
bool uitt_valid[3];
byte epoch[3];     /* odd while the hart is inside a send */

/* ghost */
byte recv_mem = MEM_RECEIVER; /* what the receiver's memory holds now */
byte unseen;                  /* bits sent and not yet delivered */
#ifdef MUTANT_DELIVER_EARLY_CLEAR
bool clear_later;             /* a delivery's clear still to be done */
#endif

/* The handler is entered with `bits`: each must be newly sent. (U1) */
inline deliver(bits) {
	assert((bits & ~unseen) == 0 /* delivered at most once per send */);
	unseen = unseen & ~bits
}

/* The way back to user mode on hart 0 (inside a big-lock d_step). */
inline exit_to_user() {
	if
	:: bound && !in_handler && pending != 0 ->
		assert(recv_mem == MEM_RECEIVER);
		deliver(pending);
#if defined(MUTANT_DELIVER_NO_ACK)
		skip /* pending is never claimed */
#elif defined(MUTANT_DELIVER_EARLY_CLEAR)
		clear_later = 1 /* a plain store, done as the next step */
#else
		pending = 0 /* amoswap(&pending, 0) claims the whole set */
#endif
		;
		in_handler = 1
	:: else -> skip
	fi
}

/* In MUTANT_DELIVER_EARLY_CLEAR the clear is a second step of the same
 * kernel path on hart 0: no other hart-0 path runs before it (HART0_FREE),
 * only the other harts do. */
#ifdef MUTANT_DELIVER_EARLY_CLEAR
#define LATE_CLEAR if :: clear_later -> pending = 0; clear_later = 0 :: else -> skip fi
#define HART0_FREE (!clear_later)
#else
#define LATE_CLEAR skip
#define HART0_FREE 1
#endif

proctype sender(byte h) {
	byte i = 0;
	byte vbit;
	byte old;
	bool ok;
	do
	:: i < NSEND ->
		vbit = 1 << ((h + i) % NVEC);
		i++;
#ifndef MUTANT_SEND_NO_FENCE
		epoch[h]++; /* enter; fence rw,rw */
		ok = uitt_valid[h];
#else
		ok = uitt_valid[h]; /* performed before the epoch store is visible */
		epoch[h]++;
#endif
		if
		:: ok ->
#ifdef MUTANT_SEND_NO_RELEASE
			epoch[h]++; /* the exit store, visible before the accesses */
#endif
			d_step { /* amoor(&receiver.pending, vbit) */
				assert(recv_mem == MEM_RECEIVER /* send touches a live receiver */);
				old = pending;
				pending = pending | vbit;
				unseen = unseen | vbit
			};
			if
			:: old == 0 ->
				assert(recv_mem == MEM_RECEIVER /* reads receiver.hart */);
				ipi0 = 1
			:: else -> skip /* coalesced: the first sender of the batch IPIs */
			fi;
#ifndef MUTANT_SEND_NO_RELEASE
			epoch[h]++ /* fence rw,w; leave */
#endif
		:: else ->
			epoch[h]++ /* SEL_ERR_DELETED */
		fi
	:: else -> break
	od
}

/* The software-interrupt handler of hart 0 (big lock). */
proctype hart0() {
end_hart0:
	do
	:: d_step {
		ipi0 && HART0_FREE ->
		ipi0 = 0;
		if
		:: rstate == R_WAITING && bound && pending != 0 ->
			rstate = R_USER; /* woken */
			wait_result = SEL_OK;
			exit_to_user()
		:: rstate == R_USER -> exit_to_user() /* interrupted user code */
		:: else -> skip /* spurious, or the bits are already claimed */
		fi
	   };
		LATE_CLEAR
	od
}

proctype receiver() {
end_thread:
	do
	:: rstate == R_USER && in_handler && HART0_FREE ->
		d_step { in_handler = 0; exit_to_user() }; /* uret */
		LATE_CLEAR
	:: rstate == R_USER && !in_handler && HART0_FREE ->
		d_step { /* sel_uintr_wait() */
			if
			:: !bound -> wait_result = SEL_ERR_DELETED
			:: bound && pending != 0 -> wait_result = SEL_OK; exit_to_user()
			:: bound && pending == 0 -> rstate = R_WAITING
			fi
		};
		LATE_CLEAR;
end_waiting:
		(rstate != R_WAITING);
		if
		:: wait_result == SEL_ERR_DELETED -> rstate = R_GONE; break
		:: else -> skip
		fi
	od
}

proctype revoker() {
	byte e1;
	byte e2;
	if
	:: skip -> goto done /* never revoked */
	:: skip
	fi;
#ifndef MUTANT_REVOKE_NO_FENCE
	d_step { /* (a) big lock; then fence rw,rw */
		uitt_valid[1] = 0;
		uitt_valid[2] = 0;
		bound = 0;
		if
		:: rstate == R_WAITING -> rstate = R_USER; wait_result = SEL_ERR_DELETED
		:: else -> skip
		fi
	};
	e1 = epoch[1];
	e2 = epoch[2];
#else
	e1 = epoch[1]; /* performed before the invalidation is visible */
	e2 = epoch[2];
	d_step {
		uitt_valid[1] = 0;
		uitt_valid[2] = 0;
		bound = 0;
		if
		:: rstate == R_WAITING -> rstate = R_USER; wait_result = SEL_ERR_DELETED
		:: else -> skip
		fi
	};
#endif
#ifndef MUTANT_NO_WAIT
	(e1 % 2 == 0 || epoch[1] != e1); /* (b) */
	(e2 % 2 == 0 || epoch[2] != e2);
#endif
	d_step { recv_mem = MEM_REUSED; pending = 0 }; /* (c) free and retype */
done:
	skip
}

/* When nothing else can move: nothing sent to a bound receiver is lost. */
proctype checker() {
	timeout;
	assert(!bound || unseen == 0 /* no user interrupt lost */)
}

init {
	atomic {
		uitt_valid[1] = 1;
		uitt_valid[2] = 1;
		run hart0();
		run receiver();
		run sender(1);
		run sender(2);
		run revoker();
		run checker()
	}
}
