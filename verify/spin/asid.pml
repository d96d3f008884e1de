/*
 * asid.pml -- Selene ASIDs: allocation, shootdown sets, flushes, reuse and
 * the eviction of harts from a freed VSpace.
 *
 * WHAT IT MODELS
 *   NV VSpaces (0..NV-1), each with one user page that can be mapped and
 *   unmapped; NA ASIDs (1..NA, fewer than VSpaces, so the pool runs out);
 *   hart 0 makes system calls (under the big lock: each one atomic step) and
 *   harts 1..NH-1 run user threads: they switch address space (satp write,
 *   under the big lock) and touch their page (user mode: no lock, one step
 *   each, interleaving anywhere). A hart's TLB holds at most one
 *   translation per ASID, remembering which VSpace's page it came from.
 *
 * THE CODE IT MODELS (the kernel as fixed, line numbers of that version)
 *   kernel/object/untyped.c:46      Retype refuses a VSpace when no ASID is left
 *   kernel/arch/riscv/asid.c:16     asid_alloc: a free ASID, fenced before reuse
 *   kernel/arch/riscv/asid.h:44     asid_note_active: set bit before satp write
 *                                   (sv39.h:47, the fast paths' switch)
 *   kernel/arch/riscv/asid.c:73-102 flush_now: fence every hart in the set,
 *                                   then the set = the harts running it (running(), :56)
 *   kernel/arch/riscv/sv39.c:110    vspace_activate: note, then write satp
 *   kernel/arch/riscv/sv39.c:135-161  vspace_poll_evict / vspace_evict
 *   kernel/object/vspace.c:61       vspace_object_finalise: stop, evict, free the ASID
 *   kernel/object/vspace.c:107      unmap_cap: clear the entry, flush the ASID
 *   kernel/arch/riscv/asid.c:104-160 batched flushes: inside a Delete or Revoke
 *                                   (object/cnode.c) asid_flush only records the
 *                                   ASID; asid_batch_end fences each recorded
 *                                   ASID once where the call returns (done, or
 *                                   stopped at a preemption point), under the
 *                                   big lock (op `revoke` below: one call)
 *   The remote fence (SBI) is synchronous, and the eviction handshake
 *   completes before finalise returns: both are modelled as part of the
 *   system call's atomic step. So is a batch: every flush it owes is made
 *   before the call returns and the lock can be released, and the memory
 *   behind a removed entry is not reused inside the call, so a user access
 *   through the entry while the call runs (as between an entry's clearing
 *   and its remote fence) is one made before the step. A hart that switches to the kernel's root (ASID 0)
 *   while waiting for the lock keeps its TLB entries: it is modelled by
 *   setting satp to NONE and leaving its TLB alone. A hart idle in
 *   sched/scheduler.c: idle_wait() (hart.idle, set and cleared under the
 *   lock) is not fenced through SBI: the flush leaves it hart.tlb_stale,
 *   and it fences its whole TLB once it holds the lock again, before it
 *   runs a thread. It touches no user page in between, so the model, whose
 *   user harts are never idle, treats that fence as made in the flush's
 *   step: the same TLB states are reachable before its next user access.

 * PROPERTIES (the TLB invariant, docs/verification.md), asserted when a
 * user hart touches its page:
 *   - its satp names a live VSpace (never a freed one);
 *   - the translation it uses (from its TLB or a fresh walk) belongs to
 *     that VSpace and to a mapping that is live now (rec[v]).
 *   And after every flush: every hart running an ASID is in its set.
 *
 * MUTANTS (each must fail)
 *   MUTANT_DROP_RUNNING  a flush leaves only the calling hart in the set
 *                        (the old asid_flush), so a hart still running the
 *                        ASID misses the next shootdown.
 *   MUTANT_ASID_SHARE    when the pool is empty a VSpace gets ASID 0,
 *                        shared, and a mapping recorded with ASID 0 is
 *                        treated as gone: its unmap removes nothing (the old
 *                        asid_alloc / mapped_vspace).
 *   MUTANT_NO_EVICT      a VSpace is freed while a hart still runs in it.
 *   MUTANT_BATCH_LATE    a revoke's call returns (the lock released) with its
 *                        flushes still owed; they are made in a later step,
 *                        so a user hart may use a translation of a mapping
 *                        that is gone (T2).
 *
 * BOUNDS: NV = 2 VSpaces, NA = 1 ASID (so the second VSpace finds the
 * pool empty), NH = 3 harts (two running user threads), NOPS = 6 system
 * calls; the user harts switch and touch their page without bound.
 * With -D TLB_ONLY the shootdown-set assertion is left out, so
 * MUTANT_DROP_RUNNING must show its consequence: a hart using a
 * translation of a mapping that is gone.
 */

#ifndef NV
#define NV 2
#endif
#ifndef NA
#define NA 1
#endif
#define NH 3
#ifndef NOPS
#define NOPS 6
#endif
#define NONE 255

bool live[NV];     /* the VSpace exists */
byte asid[NV];     /* its ASID (0: shared, only in MUTANT_ASID_SHARE) */
bool rec[NV];      /* its page's mapping record: the cap says mapped */
bool pte[NV];      /* its page table holds the entry */
byte owner[NA + 2];/* VSpace owning each ASID, NONE if free; [0] unused */
byte seen[NA + 2]; /* shootdown set: bit h = hart h may cache the ASID */
byte satp[NH];     /* VSpace hart h runs (NONE: the kernel's root) */
byte satp_asid[NH];
byte tlb[NH * (NA + 1)]; /* VSpace whose page hart h caches under ASID a */
bool batching;     /* a Delete or Revoke is under way: flushes are recorded */
byte owed;         /* bit a: the batch owes ASID a a flush */

inline fence_asid(a)
{
	i = 0;
	do
	:: i < NH ->
		if
		:: seen[a] & (1 << i) -> tlb[i * (NA + 1) + a] = NONE
		:: else
		fi;
		i++
	:: else -> break
	od;
#ifdef MUTANT_DROP_RUNNING
	seen[a] = seen[a] & 1; /* only the calling hart (0) */
#else
	seen[a] = 0;
	i = 0;
	do
	:: i < NH ->
		if
		:: satp[i] != NONE && satp_asid[i] == a -> seen[a] = seen[a] | (1 << i)
		:: else
		fi;
		i++
	:: else -> break
	od;
#endif
#ifndef TLB_ONLY /* TLB_ONLY: let a mutant show its stale translation instead */
	/* every hart running the ASID stays in its set */
	i = 0;
	do
	:: i < NH ->
		assert(!(satp[i] != NONE && satp_asid[i] == a) || (seen[a] & (1 << i)));
		i++
	:: else -> break
	od
#endif
}

inline create(v)
{
	a = 1;
	do
	:: a <= NA && owner[a] != NONE -> a++
	:: else -> break
	od;
	if
	:: a <= NA ->
		fence_asid(a); /* recycled: no translations anywhere */
		owner[a] = v;
		asid[v] = a;
		live[v] = true
	:: else ->
#ifdef MUTANT_ASID_SHARE
		asid[v] = 0;
		live[v] = true
#else
		skip /* SEL_ERR_FULL */
#endif
	fi
}

inline unmap(v)
{
	rec[v] = false;
	if
	:: asid[v] != 0 ->
		pte[v] = false;
		if
		:: batching -> owed = owed | (1 << asid[v])
		:: else -> fence_asid(asid[v])
		fi
	:: else -> skip /* the old code: a record with ASID 0 names no VSpace */
	fi
}

/* The owed flushes, each ASID once (asid_batch_flush). */
inline flush_owed()
{
	a = 1;
	do
	:: a <= NA ->
		if
		:: owed & (1 << a) -> fence_asid(a)
		:: else
		fi;
		a++
	:: else -> break
	od;
	owed = 0
}

/* One call of a Revoke: every mapped page unmapped, its flushes batched. */
inline revoke()
{
	batching = true;
	v = 0;
	do
	:: v < NV ->
		if
		:: live[v] && rec[v] -> unmap(v)
		:: else
		fi;
		v++
	:: else -> break
	od;
	batching = false;
#ifndef MUTANT_BATCH_LATE
	flush_owed()
#endif
}

inline destroy(v)
{
	i = 0;
	do
	:: i < NH ->
#ifndef MUTANT_NO_EVICT
		if
		:: satp[i] == v -> satp[i] = NONE /* stopped, evicted to the kernel's root */
		:: else
		fi;
#endif
		i++
	:: else -> break
	od;
	live[v] = false;
	rec[v] = false;
	pte[v] = false;
	if
	:: asid[v] != 0 -> owner[asid[v]] = NONE
	:: else
	fi
}

active proctype syscalls()
{
	byte n = 0, v, a, i;

	do
	:: n < NOPS ->
		select(v : 0 .. NV - 1);
		atomic {
			if
			:: !live[v] -> create(v)
			:: live[v] && !rec[v] -> rec[v] = true; pte[v] = true
			:: live[v] && rec[v] -> unmap(v)
			:: live[v] -> destroy(v)
			:: revoke()
			fi
		}
#ifdef MUTANT_BATCH_LATE
		atomic { flush_owed() } /* after the lock was released */
#endif
		n++
	:: else -> break
	od
}

proctype user(byte h)
{
	byte v, a, t;

end:	do
	:: select(v : 0 .. NV - 1);
		atomic { /* switch: vspace_activate under the big lock */
			if
			:: live[v] && satp[h] != v ->
				a = asid[v];
				seen[a] = seen[a] | (1 << h);
				satp[h] = v;
				satp_asid[h] = a;
				if
				:: a == 0 -> /* the old code fenced on every switch to ASID 0 */
					tlb[h * (NA + 1)] = NONE
				:: else
				fi
			:: else
			fi
		}
	:: atomic { /* touch the page, in user mode */
			satp[h] != NONE ->
			v = satp[h];
			a = satp_asid[h];
			assert(live[v] /* satp never names a freed VSpace */);
			t = tlb[h * (NA + 1) + a];
			if
			:: t != NONE -> assert(t == v && rec[t] /* a cached translation is live */)
			:: t == NONE && pte[v] ->
				assert(rec[v] /* a page table entry is accounted for */);
				tlb[h * (NA + 1) + a] = v
			:: else
			fi
		}
	od
}

init {
	byte i;

	atomic {
		i = 0;
		do
		:: i <= NA -> owner[i] = NONE; i++
		:: else -> break
		od;
		i = 0;
		do
		:: i < NH ->
			satp[i] = NONE;
			byte a = 0;
			do
			:: a <= NA -> tlb[i * (NA + 1) + a] = NONE; a++
			:: else -> break
			od;
			i++
		:: else -> break
		od;
		run user(1);
		run user(2)
	}
}
