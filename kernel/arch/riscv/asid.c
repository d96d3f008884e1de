/* ASID allocation, shootdown sets and flushes: see asid.h. */
#include "arch/riscv/asid.h"
#include "arch/riscv/csr.h"
#include "arch/riscv/sv39.h"
#include "arch/riscv/hart.h"
#include "arch/riscv/sbi.h"
#include "lib/inject.h"
#include "lib/panic.h"

static void *owners[ASID_COUNT];
uint8_t asid_harts_seen[ASID_COUNT]; /* bit i: hart i may cache the ASID */
static uint32_t next_hint = 1;
static uint32_t in_use;
static uint64_t in_use_map[ASID_COUNT / 64]; /* bit a % 64 of word a / 64: owners[a] set */

static void flush_now(uint32_t asid);

uint32_t asid_alloc(void *owner)
{
	for (uint32_t n = 0; n < ASID_COUNT - 1; n++) {
		uint32_t a = 1 + (next_hint - 1 + n) % (ASID_COUNT - 1);
		if (owners[a])
			continue;
		flush_now(a); /* a recycled ASID starts with no translations anywhere */
		owners[a] = owner;
		in_use_map[a / 64] |= 1ull << (a % 64);
		next_hint = a + 1;
		in_use++;
		return a;
	}
	return 0;
}

void asid_free(uint32_t asid)
{
	if (asid == 0 || asid >= ASID_COUNT || !owners[asid])
		return;
	owners[asid] = NULL;
	in_use_map[asid / 64] &= ~(1ull << (asid % 64));
	in_use--;
}

uint32_t asid_next_in_use(uint32_t from)
{
	for (uint32_t a = from; a < ASID_COUNT; a++) {
		uint64_t word = in_use_map[a / 64] >> (a % 64);
		if (word == 0) {
			a |= 63u; /* nothing more in this word */
			continue;
		}
		if (word & 1u)
			return a;
	}
	return 0;
}

void *asid_owner(uint32_t asid)
{
	return asid < ASID_COUNT ? owners[asid] : NULL;
}

uint32_t asid_shootdown_set(uint32_t asid)
{
	return asid < ASID_COUNT ? asid_harts_seen[asid] : 0;
}

void asid_debug_set_shootdown(uint32_t asid, uint32_t set)
{
	if (asid < ASID_COUNT)
		asid_harts_seen[asid] = (uint8_t)set;
}

/* The online harts whose satp holds `asid` now. */
static uint8_t running(uint32_t asid)
{
	uint8_t set = 0;

	for (uint32_t i = 0; i < SEL_MAX_HARTS; i++) {
		uint64_t satp = __atomic_load_n(&harts[i].satp, __ATOMIC_ACQUIRE);
		if (harts[i].online && satp && (satp >> SATP_ASID_SHIFT & 0xffff) == asid)
			set |= (uint8_t)(1u << i);
	}
	return set;
}

/*
 * Fences `asid` now: this hart with sfence.vma, the busy harts of its set
 * with one SBI remote fence for all of them (OpenSBI returns once each has
 * fenced), the idle ones left tlb_stale.
 */
static void flush_now(uint32_t asid)
{
	struct hart *me = this_hart();
	uint8_t seen = asid < ASID_COUNT ? asid_harts_seen[asid] : 0xff;
	uint64_t busy = 0;

	if (!seen)
		return;
	__asm__ volatile("sfence.vma zero, %0" ::"r"((uint64_t)asid) : "memory");
	me->bench.fences++;
	for (uint32_t i = 0; i < SEL_MAX_HARTS && !inject_on(INJECT_NO_SHOOTDOWN); i++) {
		if (!(seen & (1u << i)) || !harts[i].online || &harts[i] == me)
			continue;
		if (harts[i].idle)
			harts[i].tlb_stale = true; /* it fences itself before it runs a thread */
		else if (inject_on(INJECT_FLUSH_PER_FRAME))
			sbi_remote_sfence_vma_asid(1ull << i, 0, 0, ~0ull,
			                           asid); /* one hart a call */
		else
			busy |= 1ull << i;
	}
	if (busy)
		sbi_remote_sfence_vma_asid(busy, 0, 0, ~0ull, asid);
	if (asid >= ASID_COUNT)
		return;
	/* Fenced: only the harts still running the ASID may cache it again. */
	if (inject_on(INJECT_ASID_DROP_RUNNING))
		asid_harts_seen[asid] = (uint8_t)(1u << me->id) & seen;
	else
		asid_harts_seen[asid] = running(asid);
}

/*
 * The flushes a batch owes (under the big lock). Invariant: while `open`,
 * every entry cleared from a page table since the batch opened and not yet
 * fenced belongs to an ASID in owed[0 .. count - 1] (a flush that finds the
 * batch full is made at once); when not open, count == 0. The batch never
 * outlives the call that opened it, so it is flushed before the lock is
 * released.
 */
static struct {
	bool open;
	uint32_t count;
	uint16_t owed[ASID_BATCH_MAX];
} batch;

/* Records `asid` in the open batch; false if the batch is full. */
static bool batch_owe(uint32_t asid)
{
	for (uint32_t i = 0; i < batch.count; i++)
		if (batch.owed[i] == asid)
			return true;
	if (batch.count == ASID_BATCH_MAX || asid >= ASID_COUNT)
		return false;
	batch.owed[batch.count++] = (uint16_t)asid;
	return true;
}

void asid_flush(uint32_t asid)
{
	if (batch.open && !inject_on(INJECT_FLUSH_PER_FRAME) && batch_owe(asid))
		return;
	flush_now(asid);
}

void asid_batch_begin(void)
{
	assert(!batch.open && "a batch is closed by the call that opened it");
	batch.open = true;
}

/* Fences every ASID the batch owes, once each. */
static void batch_flush(void)
{
	for (uint32_t i = 0; i < batch.count; i++)
		flush_now(batch.owed[i]);
	batch.count = 0;
}

void asid_batch_end(void)
{
	batch_flush();
	batch.open = false;
}

uint32_t asid_in_use(void)
{
	return in_use;
}

uint32_t asid_available(void)
{
	return ASID_COUNT - 1 - in_use;
}
