/*
 * uintr_wake.pml -- Selene user interrupts: how a send wakes the bound
 * thread blocked in UINTR_WAIT, as kernel/ipc/uintr.c does it.
 *
 * CODE MODELLED (kernel/ipc/uintr.c; uintr_wake.sha holds a hash of the
 * text of each function, and VERIFY_0223 fails when one changes without the
 * hashes being refreshed -- see "Refresh" below):
 *   send(), notify()    amoor(&r->pending, bit); t = r->tcb; if
 *                       amoswap(&r->sleeping, 0) was 1: push_wakeup() on
 *                       the thread's home hart and kick() it -- or, when
 *                       the home hart is the sender's own, drain it under
 *                       the big lock right after (what the kick would make
 *                       that hart do later: the model's home() drain);
 *                       otherwise an IPI if the thread is in user mode
 *                       elsewhere (delivery to a running thread, not
 *                       modelled here). The assembly send
 *                       (ipc/uintr_fast.S) does the amoor and then a plain
 *                       load of sleeping, and leaves a 1 to notify()'s
 *                       amoswap: a swap that reads 0 writes nothing new
 *   push_wakeup()       if amoswap(&r->queued, 1) was 1: push nothing and
 *                       kick nobody; else r->wake_next = top; CAS top := r
 *                       (a Treiber push) and the caller kicks the home hart
 *   uintr_drain()       top := NULL (amoswap), then for every receiver taken:
 *                       queued = 0, then if its thread is TCB_BLOCKED_UINTR,
 *                       make it ready
 *   uintr_wait()        if pending: return; sleeping = 1; if pending (the
 *                       re-check): sleeping = 0, return; else block
 *   uintr_deliver()     on the way to user mode: amoswap(&pending, 0)
 *   uintr_cancel_wait() not modelled (a wait cancelled by IPC or a stop
 *                       clears sleeping: one more way to reach the state
 *                       the re-check reaches)
 *
 * PROCESSES
 *   sender() x 2        NSEND sends each, on other harts, outside the big
 *                       lock: each atomic access is one step.
 *   waiter()            the bound thread: NWAIT rounds of wait, then the
 *                       handler (the claim of pending). Its wait runs under
 *                       the big lock, as one sequence of steps that sends
 *                       may interleave with and the drain may not.
 *   home()              the thread's home hart: takes the soft interrupt a
 *                       kick raised and drains its wake stack under the big
 *                       lock, at any later moment (IPI delivery latency and
 *                       the big lock delay it by an unbounded time).
 *   checker()           runs when nothing else can move (timeout).
 *
 * The send-versus-revoke epoch handshake (every receiver access of a send
 * inside the sending hart's odd epoch, the thread pointer read once) is
 * uintr.pml's subject; here the receiver stays bound, so it plays no part.
 *
 * PROPERTIES
 *   W1 no lost wake-up: when nothing can move, the thread is not blocked in
 *      wait with a sent and undelivered interrupt (checker).
 *   W2 no deadlock: no invalid end state (the thread may end blocked only
 *      with nothing pending, at end_blocked).
 *   W3 (-DCHECK_SINGLE_PUSH) a receiver is never pushed on a wake stack while
 *      it is still on it: a second push_wakeup() of r before the drain sets
 *      r->wake_next to r itself (or closes a longer cycle) and the drain
 *      never ends.
 *
 * W3 holds because of `queued`. Without it (MUTANT_ALWAYS_PUSH, the code
 * before the flag; VERIFY_0225 expects W3 to fail): wait 1 sets sleeping;
 * a send swaps it to 0 and pushes r; the re-check sees pending and wait 1
 * returns; the thread takes the interrupt and waits again, sets sleeping
 * again and blocks; a second send swaps sleeping to 0 and pushes r again --
 * and if the home hart has not drained in between, r is on the stack twice.
 * The drain is not ordered before the thread's next wait: the kick is an IPI
 * (asynchronous) unless the sender is on the home hart, and the thread need
 * not run on its home hart (sched_set_affinity() changes the home of a
 * running thread; it moves at its next kernel entry). With the flag, the
 * second send pushes nothing; W1 shows that the drain still to come wakes
 * the thread.
 *
 * MUTANTS
 *   MUTANT_NO_RECHECK   wait blocks after setting sleeping without looking
 *                       at pending again: a send between the first look and
 *                       the store of sleeping finds sleeping 0, pushes
 *                       nothing, and the thread sleeps with the interrupt
 *                       pending (W1, VERIFY_0221).
 *   MUTANT_ALWAYS_PUSH  push_wakeup() without the `queued` test: with
 *                       -DCHECK_SINGLE_PUSH, W3 fails (VERIFY_0225).
 *
 * Refresh (after checking the model against the changed functions):
 *   python3 verify/spin/model_hash.py --update verify/spin/uintr_wake.sha
 */

#ifndef NSEND
#define NSEND 2
#endif
#ifndef NWAIT
#define NWAIT 2
#endif

#define RUNNING 0
#define BLOCKED 1

bit pending;          /* r->pending (one vector: sends coalesce anyway) */
bit sleeping;         /* r->sleeping */
byte state = RUNNING; /* the bound thread: running, or TCB_BLOCKED_UINTR */
byte stacked;         /* times r is on its home hart's wake stack */
bit queued;           /* r->queued */
bit kicked;           /* the home hart has a soft interrupt pending */
bit lock;             /* the big kernel lock */
bit unseen;           /* ghost: sent since the last delivery */

inline push_wakeup()
{
	atomic {
		if
#ifndef MUTANT_ALWAYS_PUSH
		:: queued -> skip                     /* amoswap(&queued, 1) was 1 */
#endif
		:: else ->
#ifdef CHECK_SINGLE_PUSH
			assert(stacked == 0);
#endif
			queued = 1;
			stacked++;
			kicked = 1
		fi
	}
}

proctype sender()
{
	byte n = 0;
	bit was;

	do
	:: n < NSEND ->
		atomic { pending = 1; unseen = 1 };            /* amoor, seq_cst */
		atomic { was = sleeping; sleeping = 0 };        /* amoswap(&sleeping, 0) */
		if
		:: was -> push_wakeup()
		:: else -> skip
		fi;
		n++
	:: else -> break
	od
}

proctype waiter()
{
	byte n = 0;

	do
	:: n < NWAIT ->
		atomic { lock == 0 -> lock = 1 };              /* uintr_wait */
		if
		:: pending -> lock = 0; goto handle
		:: else -> skip
		fi;
		sleeping = 1;
#ifndef MUTANT_NO_RECHECK
		if
		:: pending -> sleeping = 0; lock = 0; goto handle
		:: else -> skip
		fi;
#endif
		atomic { state = BLOCKED; lock = 0 };
end_blocked:
		state == RUNNING;                              /* made ready by the drain */
handle:
		atomic { pending = 0; unseen = 0 };            /* uintr_deliver: amoswap */
		n++
	:: else -> break
	od
}

proctype home()
{
end:
	do
	:: atomic { kicked && lock == 0 -> lock = 1; kicked = 0 };
		atomic {                                       /* uintr_drain */
			stacked = 0;
			queued = 0;
			if
			:: state == BLOCKED -> state = RUNNING
			:: else -> skip
			fi;
			lock = 0
		}
	od
}

proctype checker()
{
	timeout -> assert(!(state == BLOCKED && unseen))
}

init
{
	atomic {
		run sender();
		run sender();
		run waiter();
		run home();
		run checker()
	}
}
