/*
 * The only code that reads an incoming message buffer.
 *
 * A message buffer may be a window the peer can rewrite while we read it, so
 * generated skeletons and stubs never dereference it: they copy what they
 * need into private memory here, once, and check the copy. The reads are
 * volatile so the compiler cannot turn one read in the source into two in
 * the binary (a compiler-made double fetch). The double-fetch test links a
 * watching variant of this file in place of this one.
 */
#include <sel/idl_runtime.h>

/* A word of private memory of any object type (no aliasing assumption). */
typedef uint64_t __attribute__((may_alias)) idl_word;

void sel_idl_copy_in(void *dst, const struct sel_idl_msg *m, size_t off, size_t n)
{
	const volatile uint8_t *src = m->buf + off;
	uint8_t *out = dst;
	size_t i = 0;

	if (((uintptr_t)src & 7u) == 0) {
		const volatile uint64_t *src64 =
		    (const volatile uint64_t *)(const volatile void *)src;

		if (((uintptr_t)out & 7u) == 0) { /* each word read once, stored whole */
			for (; i + 64 <= n; i += 64) {
				const volatile uint64_t *p = src64 + i / 8;
				idl_word *q = (idl_word *)(void *)(out + i);
				uint64_t a = p[0], b = p[1], c = p[2], d = p[3];
				uint64_t e = p[4], f = p[5], g = p[6], h = p[7];
				q[0] = a, q[1] = b, q[2] = c, q[3] = d;
				q[4] = e, q[5] = f, q[6] = g, q[7] = h;
			}
			for (; i + 8 <= n; i += 8)
				*(idl_word *)(void *)(out + i) = src64[i / 8];
		}
		for (; i + 8 <= n; i += 8) {
			uint64_t word = src64[i / 8];

			__builtin_memcpy(out + i, &word, sizeof(word));
		}
	}
	for (; i < n; i++)
		out[i] = src[i];
}
