/* Checked copies between kernel and user memory: see user_memory.h. */
#include "uaccess/user_memory.h"
#include "arch/riscv/machine.h"
#include "arch/riscv/memory.h"
#include "arch/riscv/sv39.h"
#include "lib/string.h"
#include <selene/error.h>

static bool range_ok(uaddr_t a, size_t len)
{
	return a.addr + len >= a.addr && a.addr + len <= USER_TOP;
}

/*
 * The kernel address of user byte `a`, if t may access it with `need`.
 * Only RAM: a device page (a Frame from device Untyped) is never a kernel
 * copy's source or target -- its registers have side effects, and a
 * partly backed page (the UART's 256 bytes of 4 KiB) faults on the rest,
 * a fault the kernel would take itself.
 */
static void *translate(paddr_t root, uint64_t a, uint64_t need)
{
	paddr_t pa;
	uint64_t flags;

	if (!vspace_lookup(root, a, &pa, &flags) || !(flags & PTE_U) || !(flags & need) ||
	    !machine_is_ram(pa, 1))
		return NULL;
	return phys_to_virt(pa);
}

/*
 * Copies one direction page by page; `to_user` picks which side is user.
 * Every page is checked before any byte moves, so a range that fails
 * part-way changes nothing.
 */
/* Every page of [ua, ua + len) accessible to t with `need`; its root in *root. */
static bool range_mapped(struct tcb *t, uaddr_t ua, size_t len, uint64_t need, paddr_t *root)
{
	*root = tcb_vspace_root(t);
	if (!range_ok(ua, len) || !*root)
		return false;
	for (uint64_t a = ALIGN_DOWN(ua.addr, PAGE_SIZE); a < ua.addr + len; a += PAGE_SIZE)
		if (!translate(*root, a, need))
			return false;
	return true;
}

static enum sel_error copy_user(struct tcb *t, uaddr_t ua, uint8_t *kbuf, size_t len, bool to_user)
{
	uint64_t need = to_user ? PTE_W : PTE_R;
	paddr_t root;

	if (!range_mapped(t, ua, len, need, &root))
		return SEL_ERR_BAD_ADDRESS;
	while (len) {
		uint8_t *user = translate(root, ua.addr, need);
		size_t chunk = PAGE_SIZE - (ua.addr & (PAGE_SIZE - 1));
		chunk = chunk < len ? chunk : len;
		if (to_user)
			memcpy(user, kbuf, chunk);
		else
			memcpy(kbuf, user, chunk);
		kbuf += chunk;
		ua.addr += chunk;
		len -= chunk;
	}
	return SEL_OK;
}

enum sel_error copy_from_user(struct tcb *t, void *dst, uaddr_t src, size_t len)
{
	return copy_user(t, src, dst, len, false);
}

enum sel_error copy_to_user(struct tcb *t, uaddr_t dst, const void *src, size_t len)
{
	return copy_user(t, dst, (uint8_t *)src, len, true);
}

enum sel_error copy_user_to_user(struct tcb *dt, uaddr_t dst, struct tcb *st, uaddr_t src,
                                 size_t len)
{
	paddr_t droot, sroot;

	if (!range_mapped(dt, dst, len, PTE_W, &droot) ||
	    !range_mapped(st, src, len, PTE_R, &sroot))
		return SEL_ERR_BAD_ADDRESS;
	uint8_t *d = translate(droot, dst.addr, PTE_W), *s = translate(sroot, src.addr, PTE_R);
	while (len) { /* one translation per page of each side */
		size_t dleft = PAGE_SIZE - (dst.addr & (PAGE_SIZE - 1));
		size_t sleft = PAGE_SIZE - (src.addr & (PAGE_SIZE - 1));
		size_t chunk = dleft < sleft ? dleft : sleft;
		chunk = chunk < len ? chunk : len;
		memmove(d, s, chunk);
		dst.addr += chunk;
		src.addr += chunk;
		len -= chunk;
		d = chunk == dleft && len ? translate(droot, dst.addr, PTE_W) : d + chunk;
		s = chunk == sleft && len ? translate(sroot, src.addr, PTE_R) : s + chunk;
	}
	return SEL_OK;
}
