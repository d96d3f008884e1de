/*
 * Kernel-wide basic types and helpers.
 *
 * paddr_t is a physical address; kernel code reaches physical memory through
 * the physical-memory window at KERNEL_PHYS_BASE (see arch/riscv/memory.h).
 */
#ifndef SELENE_LIB_TYPES_H
#define SELENE_LIB_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t paddr_t;
typedef uint64_t vaddr_t;

#define ARRAY_SIZE(a)    (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)   (((x) + ((a)-1)) & ~((uint64_t)(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((uint64_t)(a)-1))
#define IS_ALIGNED(x, a) (((x) & ((uint64_t)(a)-1)) == 0)
#define BIT(n)           (1ull << (n))
#define NORETURN         __attribute__((noreturn))
#define ALWAYS_INLINE    __attribute__((always_inline))
#define UNUSED           __attribute__((unused))
#define SECTION(s)       __attribute__((section(s)))
#define ALIGNED(n)       __attribute__((aligned(n)))
#define READ_ONCE(x)     (*(volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1ull << PAGE_SHIFT)

#endif /* SELENE_LIB_TYPES_H */
