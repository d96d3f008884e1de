/*
 * Freestanding memory and string helpers for user programs: the libc
 * routines shared with the kernel (<common/libc_string.h>) and strstr.
 */
#ifndef SEL_STRING_H
#define SEL_STRING_H

#include <common/libc_string.h>
#include <stddef.h>

const char *strstr(const char *hay, const char *needle);

#endif /* SEL_STRING_H */
