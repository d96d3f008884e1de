/* strstr for user programs; the rest of <sel/string.h> is common/libc_string.c. */
#include <sel/string.h>

const char *strstr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncmp(hay, needle, n))
			return hay;
	return n ? NULL : hay;
}
