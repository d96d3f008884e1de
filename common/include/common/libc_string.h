/*
 * The libc memory and string routines that the kernel and libsel share
 * (common/libc_string.c; both compile it). GCC may emit calls to
 * memset/memcpy/memmove/memcmp for struct copies and initialisers even
 * under -ffreestanding, so they keep their libc names. Each side's own
 * header (kernel lib/string.h, <sel/string.h>) includes this one and adds
 * what only it needs.
 */
#ifndef SELENE_COMMON_LIBC_STRING_H
#define SELENE_COMMON_LIBC_STRING_H

#include <stddef.h>

void *memset(void *dst, int c, size_t n);
/* Word by word when both pointers and n are multiples of 8, else byte by byte. */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

#endif /* SELENE_COMMON_LIBC_STRING_H */
