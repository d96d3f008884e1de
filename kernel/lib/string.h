/* Freestanding memory and string helpers for the kernel. */
#ifndef SELENE_LIB_STRING_H
#define SELENE_LIB_STRING_H

#include "lib/types.h"

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
size_t strlcpy(char *dst, const char *src, size_t size);
/* True if `needle` occurs in `hay`. */
bool strstr_simple(const char *hay, const char *needle);
/* The decimal number after `key` in a boot-argument string, or `dflt` if `key` is absent. */
uint64_t bootarg_number(const char *args, const char *key, uint64_t dflt);

#endif /* SELENE_LIB_STRING_H */
