/*
 * Freestanding memory and string helpers.
 *
 * GCC may emit calls to memset/memcpy/memmove/memcmp for struct copies and
 * initialisers even under -ffreestanding, so these keep their libc names.
 */
#include "lib/string.h"

/* Aligned runs of 64 bytes go eight words a loop (retype zeroes whole objects this way). */
void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;
	size_t i = 0;

	if (IS_ALIGNED((uintptr_t)d, 8)) {
		uint64_t w = (uint8_t)c * 0x0101010101010101ull;
		for (; i + 64 <= n; i += 64) {
			uint64_t *q = (uint64_t *)(d + i);
			q[0] = w, q[1] = w, q[2] = w, q[3] = w;
			q[4] = w, q[5] = w, q[6] = w, q[7] = w;
		}
		for (; i + 8 <= n; i += 8)
			*(uint64_t *)(d + i) = w;
	}
	for (; i < n; i++)
		d[i] = (uint8_t)c;
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	if (IS_ALIGNED((uintptr_t)d | (uintptr_t)s | n, 8)) {
		for (size_t i = 0; i < n; i += 8)
			*(uint64_t *)(d + i) = *(const uint64_t *)(s + i);
		return dst;
	}
	for (size_t i = 0; i < n; i++)
		d[i] = s[i];
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	for (size_t i = n; i > 0; i--)
		d[i - 1] = s[i - 1];
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;

	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (a[i] != b[i])
			return (uint8_t)a[i] < (uint8_t)b[i] ? -1 : 1;
		if (!a[i])
			return 0;
	}
	return 0;
}

int strcmp(const char *a, const char *b)
{
	return strncmp(a, b, SIZE_MAX);
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

bool strstr_simple(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncmp(hay, needle, n))
			return true;
	return n == 0;
}

uint64_t bootarg_number(const char *args, const char *key, uint64_t dflt)
{
	size_t n = strlen(key);
	uint64_t v = 0;

	for (; *args; args++) {
		if (strncmp(args, key, n) != 0)
			continue;
		for (args += n; *args >= '0' && *args <= '9'; args++)
			v = v * 10 + (uint64_t)(*args - '0');
		return v;
	}
	return dflt;
}
