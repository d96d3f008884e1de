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
 *   kernel/arch/riscv/asid.c:14     asid_alloc: a free ASID, fenced before reuse
 *   kernel/arch/riscv/asid.h:44     asid_note_active: set bit before satp write
 *                                   (sv39.h:47, the fast paths' switch)
 *   kernel/arch/riscv/asid.c:66-90  asid_flush: fence every hart in the set,
 *                                   then the set = the harts running it (running(), :54)
 *   kernel/arch/riscv/sv39.c:110    vspace_activate: note, then write satp
 *   kernel/arch/riscv/sv39.c:135-161  vspace_poll_evict / vspace_evict
 *   kernel/object/vspace.c:61       vspace_object_finalise: stop, evict, free the ASID
 *   kernel/object/vspace.c:107      unmap_cap: clear the entry, flush the ASID
 *   The remote fence (SBI) is synchronous, and the eviction handshake
 *   completes before finalise returns: both are modelled as part of the
 *   system call's atomic step. A hart that switches to the kernel's root (ASID 0)
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
		fence_asid(asid[v])
	:: else -> skip /* the old code: a record with ASID 0 names no VSpace */
	fi
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
			fi
		}
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
