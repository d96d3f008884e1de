/* ASID allocation and recycling: see asid.h. */
#include "arch/riscv/asid.h"
#include "arch/riscv/vspace.h"
#include "arch/riscv/hart.h"
#include "arch/riscv/sbi.h"
#include "lib/inject.h"

static void *owners[ASID_COUNT];
static uint8_t harts_seen[ASID_COUNT]; /* bit i: hart i may cache the ASID */
static uint32_t next_hint = 1;

uint32_t asid_alloc(void *owner)
{
	for (uint32_t n = 0; n < ASID_COUNT - 1; n++) {
		uint32_t a = 1 + (next_hint - 1 + n) % (ASID_COUNT - 1);
		if (owners[a])
			continue;
		asid_flush(a); /* a recycled ASID starts with no translations anywhere */
		owners[a] = owner;
		next_hint = a + 1;
		return a;
	}
	return 0;
}

void asid_free(uint32_t asid)
{
	if (asid == 0 || asid >= ASID_COUNT)
		return;
	owners[asid] = NULL;
}

void *asid_owner(uint32_t asid)
{
	return asid < ASID_COUNT ? owners[asid] : NULL;
}

void asid_note_active(uint32_t asid)
{
	if (asid < ASID_COUNT)
		harts_seen[asid] |= (uint8_t)(1u << this_hart()->id);
}

void asid_flush(uint32_t asid)
{
	struct hart *me = this_hart();
	uint8_t seen = asid < ASID_COUNT ? harts_seen[asid] : 0xff;

	if (!seen)
		return;
	__asm__ volatile("sfence.vma zero, %0" ::"r"((uint64_t)asid) : "memory");
	me->bench.fences++;
	for (uint32_t i = 0; i < SEL_MAX_HARTS && !inject_on(INJECT_NO_SHOOTDOWN); i++)
		if ((seen & (1u << i)) && harts[i].online && &harts[i] != me)
			sbi_remote_sfence_vma_asid(1ull << i, 0, 0, ~0ull, asid);
	if (asid < ASID_COUNT)
		harts_seen[asid] = (uint8_t)(1u << me->id) & seen;
}

uint32_t asid_in_use(void)
{
	uint32_t n = 0;

	for (uint32_t a = 1; a < ASID_COUNT; a++)
		n += owners[a] != NULL;
	return n;
}
