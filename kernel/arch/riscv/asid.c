/* ASID allocation and recycling: see asid.h. */
#include "arch/riscv/asid.h"
#include "arch/riscv/vspace.h"

static void *owners[ASID_COUNT];
static uint8_t dirty[ASID_COUNT];
static uint32_t next_hint = 1;

uint32_t asid_alloc(void *owner)
{
	for (uint32_t n = 0; n < ASID_COUNT - 1; n++) {
		uint32_t a = 1 + (next_hint - 1 + n) % (ASID_COUNT - 1);
		if (owners[a])
			continue;
		if (dirty[a])
			vspace_fence_asid_everywhere(a);
		dirty[a] = 0;
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
	dirty[asid] = 1;
}

void *asid_owner(uint32_t asid)
{
	return asid < ASID_COUNT ? owners[asid] : NULL;
}
