/* Uses the generated client API (selene_idl() test project). */
#include "demo_client.h"

int demo_user_sum(struct sel_idl_conn *conn, int64_t a, int64_t b, int64_t *sum);

int demo_user_sum(struct sel_idl_conn *conn, int64_t a, int64_t b, int64_t *sum)
{
	struct demo_pair p = {.a = a, .b = b};

	return demo_add(conn, &p, sum);
}
