/* Lazy floating-point switching: see fpu.h. */
#include "arch/riscv/fpu.h"
#include "arch/riscv/csr.h"
#include "arch/riscv/hart.h"
#include "lib/string.h"
#include "object/tcb.h"

#define FS_OFF   (0ull << 13)
#define FS_CLEAN (2ull << 13)
#define FS_DIRTY (3ull << 13)

static uint64_t fs(void)
{
	return csr_read(sstatus) & SSTATUS_FS;
}

static void set_fs(uint64_t v)
{
	csr_clear(sstatus, SSTATUS_FS);
	if (v)
		csr_set(sstatus, v);
}

void fpu_switch(struct hart *h, struct tcb *t)
{
	if (h->last_user && fs() == FS_DIRTY)
		fpu_save(&h->last_user->fpu);
	h->fpu_live = h->fpu_owner == t;
	set_fs(h->fpu_live ? FS_CLEAN : FS_OFF);
}

bool fpu_claim(struct hart *h, struct tcb *t)
{
	if (fs() != FS_OFF)
		return false; /* the FPU was on: a genuinely illegal instruction */
	set_fs(FS_CLEAN);
	if (h->fpu_owner != t) {
		struct hart *old = t->fpu_hart;
		if (old && old != h && old->fpu_owner == t)
			old->fpu_owner = NULL; /* its registers there are stale from now on */
		fpu_restore(&t->fpu);
		h->fpu_owner = t;
		t->fpu_hart = h;
	}
	h->fpu_live = true;
	set_fs(FS_CLEAN);
	return true;
}

void fpu_discard(struct hart *h, struct tcb *t)
{
	struct hart *o = t->fpu_hart;

	if (o && o->fpu_owner == t)
		o->fpu_owner = NULL;
	t->fpu_hart = NULL;
	memset(&t->fpu, 0, sizeof t->fpu);
	if (h->current == t)
		set_fs(FS_OFF); /* its next FP instruction claims zeros */
}

void fpu_forget(struct tcb *t)
{
	for (uint32_t i = 0; i < SEL_MAX_HARTS; i++) {
		if (harts[i].fpu_owner == t)
			harts[i].fpu_owner = NULL;
		if (harts[i].last_user == t)
			harts[i].last_user = NULL;
	}
}
