/*
 * The echo server as a component of a system manifest (echo-service): the
 * root task's serve table (<sel/bind.h>) says where and how it serves, so
 * main() hands over to sel_serve() instead of reading its start argument.
 */
#include <sel/bind.h>
#include "echo_server.h" /* generated from idl/echo.idl */

int echo_bound_serve(void);

SEL_SERVICE(echo_dispatch);

int echo_bound_serve(void)
{
	return sel_serve();
}
