/* Implements the generated server skeleton (selene_idl() test project). */
#include "demo_server.h"

int demo_impl_add(void *ctx, uint64_t badge, const struct demo_pair *p, int64_t *sum)
{
	(void)ctx;
	(void)badge;
	*sum = p->a + p->b;
	return SEL_OK;
}
