/*
 * The kernel's own string helpers (lib/string.h); the libc routines are
 * common/libc_string.c.
 */
#include "lib/string.h"

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
