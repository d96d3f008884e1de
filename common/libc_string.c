/* The shared memory and string routines: see <common/libc_string.h>. */
#include <common/libc_string.h>
#include <stdint.h>

/* Aligned runs of 64 bytes go eight words a loop (retype zeroes whole objects this way). */
void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;
	size_t i = 0;

	if (((uintptr_t)d & 7) == 0) {
		uint64_t w = (uint8_t)c * 0x0101010101010101ull;
		for (; i + 64 <= n; i += 64) {
			uint64_t *q = (uint64_t *)(void *)(d + i);
			q[0] = w, q[1] = w, q[2] = w, q[3] = w;
			q[4] = w, q[5] = w, q[6] = w, q[7] = w;
		}
		for (; i + 8 <= n; i += 8)
			*(uint64_t *)(void *)(d + i) = w;
	}
	for (; i < n; i++)
		d[i] = (uint8_t)c;
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	if ((((uintptr_t)d | (uintptr_t)s | n) & 7) == 0) { /* messages, ring slots: words */
		size_t i = 0;
		for (; i + 64 <= n; i += 64) { /* leases: pages in eight-word steps */
			uint64_t *q = (uint64_t *)(void *)(d + i);
			const uint64_t *p = (const uint64_t *)(const void *)(s + i);
			uint64_t a = p[0], b = p[1], c = p[2], e = p[3];
			uint64_t f = p[4], g = p[5], h = p[6], k = p[7];
			q[0] = a, q[1] = b, q[2] = c, q[3] = e;
			q[4] = f, q[5] = g, q[6] = h, q[7] = k;
		}
		for (; i < n; i += 8)
			*(uint64_t *)(void *)(d + i) = *(const uint64_t *)(const void *)(s + i);
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
