/*
 * libsel/src/posix/heap.c: sbrk() for picolibc's malloc. The heap is the
 * Untyped the manifest's `heap` gave the component (<sel/posix_boot.h>): the
 * break starts at heap_vaddr and, as it grows, one 2 MiB frame at a time is
 * retyped from that Untyped into the next of the kept slots and mapped
 * (read, write) above the last. Memory is never given back: a shrinking
 * break keeps its frames for the next growth. Without a heap, or past it,
 * sbrk fails with ENOMEM and malloc returns NULL.
 */
#include <errno.h>
#include <stdint.h>
#include <unistd.h>
#include <sel/cap.h>
#include <sel/posix_boot.h>
#include <sel/thread.h>
#include <selene/bootinfo.h>

/* Written by the root task before we start (zero: no heap). */
struct sel_posix_boot sel_posix_boot;

/* The break and how far frames are mapped. Invariant: brk <= mapped <= heap's end. */
static struct {
	uint64_t brk, mapped;
	uint64_t frames; /* frames retyped so far */
} heap;

static int grow_to(uint64_t end)
{
	const struct sel_posix_boot *b = &sel_posix_boot;
	const uint64_t frame = 1ull << SEL_POSIX_FRAME_BITS;

	while (heap.mapped < end) {
		if (heap.frames == b->slot_count)
			return -1;
		sel_cptr_t slot = b->slot_first + heap.frames;
		int err = sel_untyped_retype(b->heap_ut, SEL_OBJ_FRAME, SEL_POSIX_FRAME_BITS,
		                             SEL_SLOT_CNODE, slot, 1);
		if (err == SEL_OK)
			err = sel_frame_map(slot, SEL_SLOT_VSPACE, heap.mapped,
			                    SEL_RIGHT_READ | SEL_RIGHT_WRITE);
		if (err != SEL_OK)
			return -1;
		heap.frames++;
		heap.mapped += frame;
	}
	return 0;
}

void *sbrk(ptrdiff_t incr)
{
	const struct sel_posix_boot *b = &sel_posix_boot;
	uint64_t old;

	if (b->magic != SEL_POSIX_BOOT_MAGIC || !b->heap_ut)
		goto out_nomem;
	if (!heap.brk)
		heap.brk = heap.mapped = b->heap_vaddr;
	old = heap.brk;
	if (incr < 0 && (uint64_t)-incr > old - b->heap_vaddr)
		goto out_nomem;
	if (incr > 0 && ((uint64_t)incr > b->heap_bytes ||
	                 old + (uint64_t)incr > b->heap_vaddr + b->heap_bytes))
		goto out_nomem;
	if (grow_to(old + (uint64_t)incr) < 0)
		goto out_nomem;
	heap.brk = old + (uint64_t)incr;
	return (void *)old;
out_nomem:
	errno = ENOMEM;
	return (void *)-1;
}
