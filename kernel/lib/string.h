/*
 * The kernel's string helpers: the libc routines shared with libsel
 * (<common/libc_string.h>) and the few only the kernel uses.
 */
#ifndef SELENE_LIB_STRING_H
#define SELENE_LIB_STRING_H

#include "lib/types.h"
#include <common/libc_string.h>

size_t strlcpy(char *dst, const char *src, size_t size);
/* True if `needle` occurs in `hay`. */
bool strstr_simple(const char *hay, const char *needle);
/* The decimal number after `key` in a boot-argument string, or `dflt` if `key` is absent. */
uint64_t bootarg_number(const char *args, const char *key, uint64_t dflt);

#endif /* SELENE_LIB_STRING_H */
