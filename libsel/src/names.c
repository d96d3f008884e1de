/*
 * The name service (<sel/names.h>): the routes table the root task fills
 * from the manifest, and the resolution of a service name or a path to one
 * of this component's connections. Everything a name can reach is in the
 * connection table (bind.c): resolving adds no authority.
 */
#include <sel/names.h>
#include <sel/string.h>
#include <selene/error.h>

/* Written by the root task before we start; all zero otherwise (no route). */
struct sel_route_table sel_routes;

uint32_t sel_route_count(void)
{
	if (sel_routes.magic != SEL_ROUTES_MAGIC)
		return 0;
	return sel_routes.n < SEL_ROUTE_MAX ? sel_routes.n : SEL_ROUTE_MAX;
}

const struct sel_route *sel_route_at(uint32_t i)
{
	return i < sel_route_count() ? &sel_routes.r[i] : NULL;
}

struct sel_idl_conn *sel_open_service(const char *service, int *err)
{
	return sel_bind(service, err);
}

static size_t bounded_len(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

/* The length of prefix if it holds path (whole components), else 0 ("/" holds all: 1). */
static size_t holds(const char *prefix, const char *path)
{
	size_t n = bounded_len(prefix, SEL_ROUTE_PATH - 1);

	if (n == 1 && prefix[0] == '/')
		return 1;
	if (n == 0 || strncmp(prefix, path, n) != 0)
		return 0;
	return path[n] == '\0' || path[n] == '/' ? n : 0;
}

/* An absolute path with no ".." component. */
static int well_formed(const char *path)
{
	if (!path || path[0] != '/')
		return 0;
	for (const char *p = path; *p; p++)
		if (p[0] == '/' && p[1] == '.' && p[2] == '.' && (p[3] == '/' || p[3] == '\0'))
			return 0;
	return 1;
}

struct sel_idl_conn *sel_open_path(const char *path, const char **rest, int *err)
{
	const struct sel_route *best = NULL;
	size_t best_len = 0;
	int rc;

	if (!well_formed(path)) {
		if (err)
			*err = SEL_ERR_INVALID_ARG;
		return NULL;
	}
	for (uint32_t i = 0; i < sel_route_count(); i++) {
		size_t n = holds(sel_routes.r[i].prefix, path);
		if (n > best_len) {
			best = &sel_routes.r[i];
			best_len = n;
		}
	}
	if (!best) {
		if (err)
			*err = SEL_ERR_EMPTY_SLOT;
		return NULL;
	}
	if (rest) {
		const char *r = path + best_len;
		*rest = *r == '/' ? r + 1 : r;
	}
	struct sel_idl_conn *c = sel_bind(best->name, &rc);
	if (err)
		*err = rc;
	return c;
}
