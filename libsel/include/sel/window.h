/*
 * Windows (docs/windows.md): Map / Unmap / SetPeer / Info on a window cap.
 */
#ifndef SEL_WINDOW_H
#define SEL_WINDOW_H

#include <sel/cap.h>

/* Maps the first `length` bytes (0: all) at vaddr with `rights`, as side 0..3. */
static inline int sel_window_map(sel_cptr_t w, sel_cptr_t vspace, uint64_t vaddr, uint32_t rights,
                                 uint64_t length, uint32_t side)
{
	return sel_invoke_window_map(w, vspace, vaddr, (uint8_t)rights, length, (uint8_t)side);
}

static inline int sel_window_unmap(sel_cptr_t w)
{
	return sel_invoke_window_unmap(w);
}

/* Side `side` is told (its sender raised) when any other side goes; sender 0: nobody. */
static inline int sel_window_set_peer(sel_cptr_t w, uint32_t side, sel_cptr_t sender)
{
	return sel_invoke_window_set_peer(w, (uint8_t)side, sender);
}

struct sel_window_info {
	uint64_t size;   /* bytes */
	uint64_t mapped; /* address this cap maps it at, 0: not mapped */
	uint64_t side;
};

static inline int sel_window_info(sel_cptr_t w, struct sel_window_info *info)
{
	struct sel_window_info_result r = {0};
	int err = sel_invoke_window_info(w, &r);

	*info = (struct sel_window_info){r.size, r.mapped, r.side};
	return err;
}

#endif /* SEL_WINDOW_H */
