/* Checked copies between kernel and user memory: see user_memory.h. */
#include "syscall/user_memory.h"
#include "arch/riscv/memory.h"
#include "arch/riscv/vspace.h"
#include "lib/string.h"
#include "object/objects.h"
#include <selene/error.h>

static bool range_ok(uaddr_t a, size_t len)
{
	return a.addr + len >= a.addr && a.addr + len <= USER_TOP;
}

/* Copies one direction page by page; `to_user` picks which side is user. */
static int copy_user(struct tcb *t, uaddr_t ua, uint8_t *kbuf, size_t len, bool to_user)
{
	uint64_t need = to_user ? PTE_W : PTE_R;
	paddr_t root = tcb_vspace_root(t);

	if (!range_ok(ua, len) || !root)
		return SEL_ERR_BAD_ADDRESS;
	while (len) {
		paddr_t pa;
		uint64_t flags;
		if (!vspace_lookup(root, ua.addr, &pa, &flags) || !(flags & PTE_U) ||
		    !(flags & need))
			return SEL_ERR_BAD_ADDRESS;
		size_t chunk = PAGE_SIZE - (ua.addr & (PAGE_SIZE - 1));
		chunk = chunk < len ? chunk : len;
		if (to_user)
			memcpy(phys_to_virt(pa), kbuf, chunk);
		else
			memcpy(kbuf, phys_to_virt(pa), chunk);
		kbuf += chunk;
		ua.addr += chunk;
		len -= chunk;
	}
	return SEL_OK;
}

int copy_from_user(struct tcb *t, void *dst, uaddr_t src, size_t len)
{
	return copy_user(t, src, dst, len, false);
}

int copy_to_user(struct tcb *t, uaddr_t dst, const void *src, size_t len)
{
	return copy_user(t, dst, (uint8_t *)src, len, true);
}
