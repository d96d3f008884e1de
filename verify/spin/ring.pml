/*
 * ring.pml -- the single-producer/single-consumer ring in a shared window,
 * with its doorbell, under the reorderings RISC-V's memory model (RVWMO)
 * allows between its fences.
 *
 * WHAT IT MODELS
 *   A producer on hart 0 and a consumer on hart 1 share a ring of NSLOTS
 *   slots with free-running counters `tail` (written by the producer) and
 *   `head` (written by the consumer), and a `sleeping` flag (written by the
 *   consumer). The producer passes NITEMS items, item k in slot k % NSLOTS,
 *   so the ring wraps and fills. When the consumer finds the ring empty it
 *   announces that it will sleep and waits for a doorbell: a user-interrupt
 *   send from the producer, modelled here as a pending bit the consumer's
 *   wait claims (uintr.pml verifies the send and its delivery).
 *
 * MEMORY MODEL (the RVWMO subset modelled)
 *   Shared memory is one array, `mem`: RVWMO is multi-copy atomic, so a
 *   store becomes visible to every other hart at once. Each hart has a store
 *   buffer of SB entries: a store enters the buffer, and a separate drain
 *   process makes buffered stores visible in ANY order, except that
 *     - two stores to the same address stay in program order;
 *     - `fence rw,w` (release) puts a barrier in the buffer: no store after it
 *       becomes visible before every store before it;
 *     - `fence rw,rw` (and an AMO with .aqrl, as in the doorbell send and the
 *       wait's claim) waits until the buffer is empty before the hart goes on.
 *   This gives the store->store and store->load reorderings. A hart never
 *   loads an address it stores here, so store-to-load forwarding is not
 *   needed. Loads are performed in program order; the reorderings of loads
 *   the fences exist to forbid are modelled by the mutants that drop those
 *   fences (the load moves across the missing fence). Load reorderings that
 *   RVWMO allows in the correct protocol and the model does not enumerate:
 *   a load of `head` (producer) or `tail` (consumer) performed earlier than
 *   program order, i.e. an older value of a counter that only grows; the
 *   protocol treats any older value as "fuller" or "emptier" and retries, so
 *   they cannot break the properties below.
 *
 * THE PROTOCOL IT FIXES (libsel ring.c)
 *   produce(item):
 *     wait until tail - head < NSLOTS        (load head; the store below is
 *                                             control-dependent on it)
 *     slot[tail % NSLOTS] = item
 *     fence rw,w                             (release: publish after data)
 *     tail = tail + 1
 *     fence rw,rw                            (the tail store before the load)
 *     if (sleeping) ring the doorbell        (user-interrupt send)
 *   consume():
 *     t = tail                               (load)
 *     if t == head (empty):
 *       sleeping = 1; fence rw,rw; if tail == head: wait for the doorbell;
 *       sleeping = 0; start again
 *     fence r,rw                             (acquire: data after tail)
 *     item = slot[head % NSLOTS]
 *     fence rw,w                             (the slot is read before it is freed)
 *     head = head + 1
 *
 * PROCESSES: producer(), consumer(), drain(0) and drain(1) (the store
 * buffers of hart 0 and hart 1).
 *
 * PROPERTIES (each checked by Spin)
 *   R1 no read of unpublished data: the consumer's read of item k returns
 *      exactly the value the producer wrote for item k (assert).
 *   R2 no overflow: when the producer's store of item k becomes visible,
 *      item k - NSLOTS (the slot's previous item) has been read (assert at
 *      the store buffer drain; ghost `nread`).
 *   R3 no lost wakeup and no deadlock: no invalid end state (the consumer
 *      asleep with items in the ring and the producer done is one).
 *   Every execution is finite (run_spin.py --np finds no cycle: the producer
 *   waits for space by blocking, not by looping), so R3 means "eventually".
 *
 * MUTANTS
 *   MUTANT_NO_FENCE            the producer's release fence is missing: the
 *                              tail store may become visible first (R1).
 *   MUTANT_NO_ACQUIRE          the consumer's acquire fence is missing: the
 *                              slot is loaded before tail (R1).
 *   MUTANT_NO_CONSUMER_RELEASE the consumer's fence before the head store is
 *                              missing: head moves before the slot is read
 *                              (R2).
 *   MUTANT_NO_PUBLISH_FENCE    no full fence between the tail store and the
 *                              load of `sleeping` (R3, lost wakeup).
 *   MUTANT_NO_SLEEP_FENCE      no full fence between `sleeping = 1` and the
 *                              re-check of tail (R3, lost wakeup).
 *   MUTANT_NO_RECHECK          the consumer sleeps without re-checking (R3).
 *   MUTANT_NO_FULL_CHECK       the producer does not wait for space (R2).
 *
 * NOT MODELLED: the reverse doorbell (producer asleep on a full ring; it is
 * symmetric), counter wrap-around at 2^32 (the model's counters never wrap;
 * the ring uses unsigned differences), more than one producer or consumer.
 */

#ifndef NSLOTS
#define NSLOTS 3 /* bound: ring slots */
#endif
#ifndef NITEMS
#define NITEMS 7 /* bound: items passed through the ring */
#endif
#ifndef SB
#define SB 3 /* bound: store buffer entries per hart (2 or 3) */
#endif

#define A_TAIL NSLOTS        /* addresses 0 .. NSLOTS-1 are the slots */
#define A_HEAD (NSLOTS + 1)
#define A_SLEEP (NSLOTS + 2)
#define NADDR (NSLOTS + 3)
#define NOTHING 255          /* the contents of a slot never written */
#define P 0                  /* the producer's hart */
#define C 1                  /* the consumer's hart */

byte mem[NADDR];             /* what every hart sees */
bool bell;                   /* the consumer's pending doorbell */

/* store buffers: entries [h*SB .. h*SB + sb_n[h] - 1], oldest first */
byte sb_addr[2 * SB];
byte sb_val[2 * SB];
bool sb_bar[2 * SB];         /* a release fence separates it from older ones */
byte sb_n[2];
bool bar_next[2];            /* a release fence was issued: mark the next store */

byte nread;                  /* ghost: items the consumer has read */

hidden byte ki;

/* A store enters the hart's buffer (waits while the buffer is full). */
inline store(h, a, v) {
	d_step {
		sb_n[h] < SB ->
		sb_addr[h * SB + sb_n[h]] = a;
		sb_val[h * SB + sb_n[h]] = v;
		sb_bar[h * SB + sb_n[h]] = bar_next[h];
		bar_next[h] = 0;
		sb_n[h]++
	}
}

/* fence rw,w: stores after it become visible after the stores before it. */
inline fence_w(h) {
	bar_next[h] = (sb_n[h] > 0)
}

/* fence rw,rw: every store before it is visible before anything after it. */
inline fence_full(h) {
	sb_n[h] == 0
}

/* Entry i of hart h may become visible now. */
#define SAME(h, i, j) (sb_addr[(h) * SB + (i)] == sb_addr[(h) * SB + (j)])
#define ELIG0(h) (sb_n[h] > 0)
#define ELIG1(h) (sb_n[h] > 1 && !sb_bar[(h) * SB + 1] && !SAME(h, 0, 1))
#define ELIG2(h) (sb_n[h] > 2 && !sb_bar[(h) * SB + 1] && !sb_bar[(h) * SB + 2] && \
                  !SAME(h, 0, 2) && !SAME(h, 1, 2))

/* Make entry i of hart h visible and remove it from the buffer. */
inline commit(h, i) {
	if
	:: sb_addr[h * SB + i] < NSLOTS ->
		assert(sb_val[h * SB + i] < nread + NSLOTS /* no overwrite of an unread slot */)
	:: else -> skip
	fi;
	mem[sb_addr[h * SB + i]] = sb_val[h * SB + i];
	ki = i;
	do
	:: ki + 1 < sb_n[h] ->
		sb_addr[h * SB + ki] = sb_addr[h * SB + ki + 1];
		sb_val[h * SB + ki] = sb_val[h * SB + ki + 1];
		sb_bar[h * SB + ki] = sb_bar[h * SB + ki + 1];
		ki++
	:: else -> break
	od;
	sb_n[h]--;
	sb_addr[h * SB + sb_n[h]] = 0;
	sb_val[h * SB + sb_n[h]] = 0;
	sb_bar[h * SB + sb_n[h]] = 0
}

proctype drain(byte h) {
end_drain:
	do
	:: d_step { ELIG0(h) -> commit(h, 0) }
	:: d_step { ELIG1(h) -> commit(h, 1) }
#if SB > 2
	:: d_step { ELIG2(h) -> commit(h, 2) }
#endif
	od
}

proctype producer() {
	byte t = 0;
	do
	:: t < NITEMS ->
#ifndef MUTANT_NO_FULL_CHECK
		(t - mem[A_HEAD] < NSLOTS); /* load head: wait for a free slot */
#endif
		store(P, t % NSLOTS, t);
#ifndef MUTANT_NO_FENCE
		fence_w(P);
#endif
		store(P, A_TAIL, t + 1);
#ifndef MUTANT_NO_PUBLISH_FENCE
		fence_full(P);
#endif
		if
		:: mem[A_SLEEP] != 0 ->
			d_step { sb_n[P] == 0 -> bell = 1 } /* doorbell: amoor.aqrl */
		:: else -> skip
		fi;
		t++
	:: else -> break
	od
}

proctype consumer() {
	byte h = 0;
	byte v;
	do
	:: h < NITEMS ->
#ifdef MUTANT_NO_ACQUIRE
		v = mem[h % NSLOTS]; /* the slot load, performed before the tail load */
#endif
		if
		:: mem[A_TAIL] != h -> /* load tail: not empty */
#ifndef MUTANT_NO_ACQUIRE
			v = mem[h % NSLOTS]; /* after fence r,rw */
#endif
#ifndef MUTANT_NO_CONSUMER_RELEASE
			d_step {
				assert(v == h /* the consumer reads only published data */);
				nread++
			};
			fence_w(C);
			store(C, A_HEAD, h + 1);
#else
			store(C, A_HEAD, h + 1); /* may become visible before the load */
			v = mem[h % NSLOTS];
			d_step {
				assert(v == h /* the consumer reads only published data */);
				nread++
			};
#endif
			h++
		:: else -> /* empty: announce the sleep, re-check, sleep */
			store(C, A_SLEEP, 1);
#ifndef MUTANT_NO_SLEEP_FENCE
			fence_full(C);
#endif
#ifndef MUTANT_NO_RECHECK
			if
			:: mem[A_TAIL] != h -> skip /* an item arrived meanwhile */
			:: else -> d_step { sb_n[C] == 0 && bell -> bell = 0 } /* wait */
			fi;
#else
			d_step { sb_n[C] == 0 && bell -> bell = 0 };
#endif
			store(C, A_SLEEP, 0)
		fi
	:: else -> break
	od
}

init {
	atomic {
		ki = 0;
		do
		:: ki < NSLOTS -> mem[ki] = NOTHING; ki++
		:: else -> break
		od;
		ki = 0;
		run drain(P);
		run drain(C);
		run producer();
		run consumer()
	}
}
