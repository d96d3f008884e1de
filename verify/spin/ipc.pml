/*
 * ipc.pml -- Selene synchronous IPC (Call/Reply on an endpoint) and
 * notifications, with clients and a server that crash and restart.
 *
 * WHAT IT MODELS
 *   Two independent scenarios of the same kernel, selected at build time:
 *     default   one endpoint, one server thread, three client threads, a
 *               supervisor that kills clients and a root task that revokes
 *               and deletes capabilities;
 *     -DNTFN    one notification object, three signalling threads and one
 *               waiting thread.
 *   They share no state, so they are checked one at a time rather than as a
 *   product whose size would multiply for nothing. Every kernel
 *   operation (a syscall, a thread being killed by its supervisor, a
 *   capability revoke or delete) is one d_step: the kernel runs under the big
 *   kernel lock, so each syscall is atomic with respect to every other. A
 *   thread that blocks does so at the end of its syscall and is woken by some
 *   later kernel operation of another thread.
 *
 * THE DESIGN IT FIXES (what kernel/object/endpoint.c, notification.c and
 * libsel must implement)
 *   - Endpoint: a FIFO queue of blocked senders and a receiver slot
 *     (seL4 semantics). Call = Send + block for the reply. When the message
 *     is transferred, the kernel writes the caller into the single-use reply
 *     capability held in the server's TCB (classic, non-MCS seL4: not an
 *     object); the caller then waits in BLOCKED_ON_REPLY.
 *   - Reply (and the reply half of ReplyRecv) consumes the reply cap. A Reply
 *     with no reply cap is a harmless no-op (a server replying twice, or
 *     replying after its caller died, changes nothing).
 *   - Killing a caller that waits for its reply deletes the server's reply
 *     cap, so the later Reply is that harmless no-op; killing a caller in the
 *     send queue removes it from the queue.
 *   - A server that dies holding a reply cap completes the caller with
 *     SEL_ERR_PEER_DEAD. Its supervisor restarts it (same endpoint cap).
 *   - Rights: Call needs the Write right on the endpoint cap; without it the
 *     call fails at once with SEL_ERR_NO_RIGHTS and nothing is queued. An
 *     empty slot gives SEL_ERR_EMPTY_SLOT.
 *   - Badges: the badge the server receives is the one minted into the
 *     caller's cap. Revoking (deleting) a badged cap cancels the blocked sends
 *     of that badge with SEL_ERR_CANCELLED; a call already received is not
 *     cancelled (the server still replies to it).
 *   - Deleting the endpoint completes every queued sender and the waiting
 *     receiver with SEL_ERR_DELETED; callers already received keep waiting
 *     for the reply, which the server's reply cap still allows.
 *   - Notification: a word. Signal ORs the badge into it, or hands the badge
 *     straight to a thread blocked in Wait. Wait takes the whole word
 *     atomically (and clears it) or blocks if it is zero; Poll takes it
 *     without blocking. Repeated signals of the same badge before a Wait
 *     coalesce into one bit (documented, intended).
 *
 * PROCESSES
 *   client(0)   badge 1, Write right; makes CALLS calls.
 *   client(1)   badge 2, Write right; its cap may be revoked by root().
 *   client(2)   badge 4, a cap WITHOUT the Write right; makes one call.
 *   server()    Recv, then ReplyRecv forever; may fault (die) holding a reply
 *               cap SERVER_FAULTS times and be restarted; may misbehave and
 *               Reply twice EXTRA_REPLIES times.
 *   supervisor() kills a client blocked in a call (CLIENT_KILLS times); a
 *               killed client is restarted and goes on with its next call.
 *   root()      may revoke client 1's badged cap, then may delete the
 *               endpoint (each at any moment, or never).
 *   signaller(b) signals badge b (1, 2, 4) SIGNALS times.          (-DNTFN)
 *   waiter()    Polls (at most POLLS times) and Waits, forever.  (-DNTFN)
 *   checker()   runs only when nothing else can move (timeout) and checks
 *               that no signal was lost.                          (-DNTFN)
 *
 * PROPERTIES (each checked by Spin)
 *   P1 every call ends in exactly one reply or one error:
 *      - at most one: assert in complete() that a result reaches only a
 *        thread blocked in a call, and that a reply answers the call that
 *        is waiting (ghost sequence number); the client asserts it saw
 *        exactly one answer;
 *      - at least one: no invalid end state (a call that is never answered
 *        leaves its client blocked outside an end label). Every execution of
 *        this model is finite (run_spin.py --np, a non-progress-cycle search
 *        with no progress label, finds no cycle at all), so "no invalid end
 *        state" is "eventually".
 *   P2 nothing is delivered without the right: assert in transfer() that the
 *      sender holds a Write cap at the moment its message reaches the server,
 *      and in the server that the badge is the minted one.
 *   P3 no deadlock: no invalid end state (clients finished, server blocked
 *      in Recv or gone, waiter blocked in Wait).
 *   P4 notifications: a bit is taken only if it was signalled since it was
 *      last taken (assert in ntfn_take()), and no signal is lost (checker).
 *
 * MUTANTS (each must make Spin report an error; see run_spin.py --expect fail)
 *   MUTANT_REPLY_REUSE     Reply does not consume the reply cap: the
 *                          server's second reply reaches the caller again.
 *   MUTANT_STALE_REPLY     killing a caller leaves the reply cap in place:
 *                          the reply reaches the caller's next call.
 *   MUTANT_NO_PEER_DEAD    a server dying with a reply cap does not complete
 *                          the caller: it waits forever.
 *   MUTANT_NO_RIGHTS_CHECK Call does not check the Write right.
 *   MUTANT_NO_CANCEL       revoking a badged cap leaves its blocked sends
 *                          queued: the server receives without the right.
 *   MUTANT_NTFN_SPLIT_TAKE Wait reads the word and clears it in two steps:
 *                          a signal in between is lost.
 *
 * NOT MODELLED: message contents beyond the badge, capability transfer
 * (Grant), the fastpath (it must be observably the slow path), priorities
 * and the scheduler (any interleaving is allowed), more than one server
 * thread on the endpoint, bound notifications.
 */

/* ---- bounds (run_spin.py prints every line marked "bound:") ---- */
#ifndef CALLS
#define CALLS 2 /* bound: calls made by each client with the Write right */
#endif
#ifndef SERVER_FAULTS
#define SERVER_FAULTS 1 /* bound: times the server dies holding a reply cap */
#endif
#ifndef CLIENT_KILLS
#define CLIENT_KILLS 1 /* bound: clients killed mid-call by their supervisor */
#endif
#ifndef EXTRA_REPLIES
#define EXTRA_REPLIES 1 /* bound: times the server replies twice to one call */
#endif
#ifndef SIGNALS
#define SIGNALS 3 /* bound: signals sent by each of the 3 signallers (-DNTFN) */
#endif
#ifndef POLLS
#define POLLS 2 /* bound: non-blocking polls by the waiter (-DNTFN) */
#endif

#define NCLIENTS 3 /* bound: clients (0, 1 with Write; 2 without) */
#define SRV 3      /* the server's thread index */
#define NTHREADS 4
#define NONE 255

/* enum sel_error (kernel/abi/selene/error.h) */
#define SEL_OK 0
#define SEL_ERR_EMPTY_SLOT 2
#define SEL_ERR_NO_RIGHTS 5
#define SEL_ERR_DELETED 13
#define SEL_ERR_CANCELLED 17
#define SEL_ERR_PEER_DEAD 20

/* thread states (struct tcb) */
#define T_RUNNING 0
#define T_BLK_SEND 1  /* in the endpoint's send queue */
#define T_BLK_RECV 2  /* the server, waiting in Recv */
#define T_BLK_REPLY 3 /* a caller whose message the server received */
#define T_DEAD 4

/* ---- kernel state ---- */
byte ts[NTHREADS];          /* thread state */
bool has_cap[NCLIENTS];     /* the client's endpoint cap slot is not empty */
bool cap_write[NCLIENTS];   /* ... and the cap has the Write right */
byte badge[NCLIENTS];       /* the badge minted into the client's cap */
bool ep_alive = 1;          /* the endpoint object exists */
byte sq[NCLIENTS];          /* send queue, FIFO, sq[0] is the head */
byte sqn;                   /* its length */
byte msg_badge;             /* the badge delivered to the server */
byte srv_result;            /* result of the server's last Recv */
byte reply_to = NONE;       /* the reply cap in the server's TCB: the caller */
byte result[NCLIENTS];      /* result register of each client's last call */

/* ---- ghost state (observation only; the kernel never reads it) ---- */
byte seq[NCLIENTS];         /* number of the client's current call */
byte answers[NCLIENTS];     /* answers delivered to the current call */
byte msg_from = NONE;       /* who sent the message the server holds */
byte reply_seq;             /* the call the reply cap answers */

/* notification */
byte ntfn_word;             /* the notification word */
bool ntfn_blocked;          /* the waiter is blocked in Wait */
byte ntfn_got;              /* badge bits handed to the waiter */
byte ntfn_unseen;           /* ghost: bits signalled and not yet taken */

hidden byte ki;             /* scratch for loops inside d_steps */
hidden byte kc;             /* scratch: a thread index inside d_steps */

/* ---- kernel operations (each used inside one d_step) ---- */

/* A result reaches a thread blocked in a call and wakes it. (P1) */
inline complete(c, err) {
	assert(ts[c] == T_BLK_SEND || ts[c] == T_BLK_REPLY);
	answers[c]++;
	result[c] = err;
	ts[c] = T_RUNNING
}

/* A result delivered through the server's reply cap (Reply, or the
 * server's death) reaches exactly the call the cap was made for. (P1) */
inline complete_reply(err) {
	assert(ts[reply_to] == T_BLK_REPLY && reply_seq == seq[reply_to]
	       /* the reply answers the call that is waiting */);
	complete(reply_to, err)
}

/* The message of client c reaches the server; the kernel writes c into the
 * server's single-use reply cap. (P2) */
inline transfer(c) {
	assert(cap_write[c] /* only a holder of a Write cap reaches the server */);
	msg_badge = badge[c];
	msg_from = c;
	reply_to = c;
	reply_seq = seq[c];
	ts[c] = T_BLK_REPLY;
	ts[SRV] = T_RUNNING;
	srv_result = SEL_OK
}

inline sq_remove(c) {
	ki = 0;
	do
	:: ki < sqn && sq[ki] != c -> ki++
	:: else -> break
	od;
	assert(ki < sqn /* c was queued */);
	do
	:: ki + 1 < sqn -> sq[ki] = sq[ki + 1]; ki++
	:: else -> break
	od;
	sqn--;
	sq[sqn] = 0
}

inline sq_pop(c) {
	c = sq[0];
	sq_remove(c)
}

inline sys_call(c) {
	if
	:: !has_cap[c] ->
		answers[c]++; result[c] = SEL_ERR_EMPTY_SLOT
#ifndef MUTANT_NO_RIGHTS_CHECK
	:: has_cap[c] && !cap_write[c] ->
		answers[c]++; result[c] = SEL_ERR_NO_RIGHTS
	:: has_cap[c] && cap_write[c] ->
#else
	:: has_cap[c] ->
#endif
		if
		:: ts[SRV] == T_BLK_RECV -> transfer(c)
		:: else -> sq[sqn] = c; sqn++; ts[c] = T_BLK_SEND
		fi
	fi
}

inline sys_recv() {
	if
	:: !ep_alive -> srv_result = SEL_ERR_EMPTY_SLOT
	:: ep_alive && sqn > 0 -> sq_pop(kc); transfer(kc)
	:: ep_alive && sqn == 0 -> ts[SRV] = T_BLK_RECV
	fi
}

inline sys_reply() {
	if
	:: reply_to != NONE ->
		complete_reply(SEL_OK);
#ifndef MUTANT_REPLY_REUSE
		reply_to = NONE
#endif
	:: else -> skip /* no reply cap: harmless no-op */
	fi
}

/* The server faults while serving a call: it dies, and the kernel completes
 * the caller it holds a reply cap for. */
inline server_dies() {
	if
	:: reply_to != NONE ->
#ifndef MUTANT_NO_PEER_DEAD
		complete_reply(SEL_ERR_PEER_DEAD);
#endif
		reply_to = NONE
	:: else -> skip
	fi;
	msg_from = NONE;
	ts[SRV] = T_DEAD
}

/* The supervisor kills client c while it is blocked in a call. */
inline kill_client(c) {
	if
	:: ts[c] == T_BLK_SEND -> sq_remove(c)
	:: ts[c] == T_BLK_REPLY ->
		assert(reply_to == c /* only the received caller waits for a reply */);
#ifndef MUTANT_STALE_REPLY
		reply_to = NONE /* the reply cap dies with its caller */
#else
		skip
#endif
	fi;
	ts[c] = T_DEAD
}

/* Revoke (delete) client c's badged cap: its blocked sends are cancelled. */
inline revoke_badge(c) {
	has_cap[c] = 0;
	cap_write[c] = 0;
#ifndef MUTANT_NO_CANCEL
	if
	:: ts[c] == T_BLK_SEND -> sq_remove(c); complete(c, SEL_ERR_CANCELLED)
	:: else -> skip
	fi
#endif
}

/* Delete the endpoint: every cap to it goes, every waiter gets an error. */
inline delete_endpoint() {
	ep_alive = 0;
	ki = 0;
	do
	:: ki < NCLIENTS -> has_cap[ki] = 0; cap_write[ki] = 0; ki++
	:: else -> break
	od;
	do
	:: sqn > 0 -> sqn--; complete(sq[sqn], SEL_ERR_DELETED); sq[sqn] = 0
	:: else -> break
	od;
	if
	:: ts[SRV] == T_BLK_RECV -> ts[SRV] = T_RUNNING; srv_result = SEL_ERR_DELETED
	:: else -> skip
	fi
}

/* The waiter takes bits: each must have been signalled since last taken. */
inline ntfn_take(bits) {
	assert((bits & ~ntfn_unseen) == 0 /* each bit taken once per signal */);
	ntfn_unseen = ntfn_unseen & ~bits
}

inline sys_signal(b) {
	ntfn_unseen = ntfn_unseen | b;
	if
	:: ntfn_blocked -> ntfn_blocked = 0; ntfn_got = b; ntfn_take(b)
	:: else -> ntfn_word = ntfn_word | b
	fi
}

/* ---- threads ---- */

proctype client(byte c; byte ncalls) {
	byte n = 0;
	do
	:: n < ncalls ->
		n++;
		d_step { seq[c]++; answers[c] = 0; sys_call(c) };
		(ts[c] != T_BLK_SEND && ts[c] != T_BLK_REPLY);
		if
		:: ts[c] == T_DEAD -> ts[c] = T_RUNNING /* killed; restarted */
		:: else ->
			d_step {
				assert(answers[c] == 1 /* exactly one reply or error */);
				assert(result[c] == SEL_OK || result[c] == SEL_ERR_PEER_DEAD ||
				       result[c] == SEL_ERR_DELETED || result[c] == SEL_ERR_EMPTY_SLOT ||
				       result[c] == SEL_ERR_NO_RIGHTS || result[c] == SEL_ERR_CANCELLED);
				assert(c != 2 || result[c] == SEL_ERR_NO_RIGHTS ||
				       result[c] == SEL_ERR_EMPTY_SLOT /* no Write, no call */);
				assert(result[c] != SEL_ERR_CANCELLED || c == 1)
			}
		fi
	:: else -> break
	od
}

proctype server() {
	byte faults = 0;
	byte extra = 0;
	d_step { sys_recv() };
end_recv:
	(ts[SRV] != T_BLK_RECV);
	if
	:: srv_result != SEL_OK -> goto gone /* the endpoint was deleted */
	:: else -> skip
	fi;
	assert(msg_badge == badge[msg_from] /* the badge minted for the sender */);
	if
	:: faults < SERVER_FAULTS ->
		faults++;
		d_step { server_dies() };
		/* restarted by its supervisor; the new incarnation calls Recv */
		d_step { ts[SRV] = T_RUNNING; sys_recv() };
		goto end_recv
	:: extra < EXTRA_REPLIES ->
		extra++;
		d_step { sys_reply() } /* misbehaving: one Reply too many */
	:: true -> skip
	fi;
	d_step { sys_reply(); msg_from = NONE; sys_recv() };
	goto end_recv;
gone:
	skip
}

proctype supervisor() {
	byte k = 0;
end_sup:
	do
	:: d_step { k < CLIENT_KILLS && (ts[0] == T_BLK_SEND || ts[0] == T_BLK_REPLY) ->
	            kill_client(0); k++ }
	:: d_step { k < CLIENT_KILLS && (ts[1] == T_BLK_SEND || ts[1] == T_BLK_REPLY) ->
	            kill_client(1); k++ }
	od
}

proctype root() {
	if
	:: d_step { revoke_badge(1) }
	:: skip
	fi;
	if
	:: d_step { delete_endpoint() }
	:: skip
	fi
}

proctype signaller(byte b) {
	byte n = 0;
	do
	:: n < SIGNALS -> n++; d_step { sys_signal(b) }
	:: else -> break
	od
}

proctype waiter() {
	byte polls = 0;
end_waiter:
	do
	:: polls < POLLS ->
		polls++;
		d_step { ntfn_got = ntfn_word; ntfn_word = 0; ntfn_take(ntfn_got) } /* Poll */
	:: ntfn_blocked == 0 ->
#ifndef MUTANT_NTFN_SPLIT_TAKE
		d_step {
			if
			:: ntfn_word != 0 -> ntfn_got = ntfn_word; ntfn_word = 0; ntfn_take(ntfn_got)
			:: else -> ntfn_blocked = 1
			fi
		};
#else
		d_step {
			if
			:: ntfn_word != 0 -> ntfn_got = ntfn_word; ntfn_take(ntfn_got)
			:: else -> ntfn_blocked = 1
			fi
		};
		ntfn_word = 0; /* the clear, a step too late */
#endif
end_wait:
		(ntfn_blocked == 0)
	od
}

/* When nothing else can move: no signal may have been lost. (P4) */
proctype checker() {
	timeout;
	assert(ntfn_unseen == 0 /* no notification lost */)
}

init {
	atomic {
		badge[0] = 1; has_cap[0] = 1; cap_write[0] = 1;
		badge[1] = 2; has_cap[1] = 1; cap_write[1] = 1;
		badge[2] = 4; has_cap[2] = 1; cap_write[2] = 0;
#ifndef NTFN
		run server();
		run client(0, CALLS);
		run client(1, CALLS);
		run client(2, 1);
		run supervisor();
		run root()
#else
		run signaller(1);
		run signaller(2);
		run signaller(4);
		run waiter();
		run checker()
#endif
	}
}
