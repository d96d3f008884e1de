/*
 * The name service: sessions opened by name at run time, routed by the
 * system manifest (docs/manifest.md, "Names and paths").
 *
 * A name is a connection's name, its service unless the manifest names it
 * (sel_open_service("counter")), or a path (sel_open_path("/data/notes",
 * &rest)). A path resolves through the
 * routes the manifest declares for this component: each [[connection]]
 * may route path prefixes (`paths = ["/data"]`) to itself. The root task
 * writes this component's routes, and only its own, into the table
 * `sel_routes` (found by symbol in its ELF) before it starts; a path
 * resolves to the connection of the longest prefix that contains it, whole
 * components only ("/data" holds "/data" and "/data/x", not "/database").
 * Deny by default: a name the manifest routes to nothing for this
 * component is refused with SEL_ERR_EMPTY_SLOT, whoever else may reach it;
 * and no name reaches a capability the manifest did not give the component,
 * because a route only names one of its own connections (<sel/bind.h>).
 */
#ifndef SEL_NAMES_H
#define SEL_NAMES_H

#include <sel/bind.h>

#define SEL_ROUTES_MAGIC 0x31736574756f5265ull /* "eRoutes1" */
#define SEL_ROUTE_MAX    8u                    /* routed prefixes of one component */
#define SEL_ROUTE_PATH   64u                   /* bytes of a prefix, NUL included */

/* One route. Invariant: prefix is "/" or an absolute path without a trailing '/'. */
struct sel_route {
	char prefix[SEL_ROUTE_PATH]; /* NUL-terminated */
	char name[SEL_BIND_NAME];    /* the connection it resolves to (sel_bind's name) */
};

/* A component's routes. Invariant: n <= SEL_ROUTE_MAX; magic as written. */
struct sel_route_table {
	uint64_t magic;
	uint32_t n;
	uint32_t reserved;
	struct sel_route r[SEL_ROUTE_MAX];
};

/* Where the root task writes a component's routes (found by symbol in its ELF). */
extern struct sel_route_table sel_routes;

/*
 * The connection to `service`, opened now if it is not yet (sel_bind());
 * NULL with *err SEL_ERR_EMPTY_SLOT if the manifest connects this
 * component to no such service. err may be NULL.
 */
struct sel_idl_conn *sel_open_service(const char *service, int *err);

/*
 * The connection `path` is routed to, opened now if it is not yet; *rest
 * (if rest is not NULL) points into path after the prefix and its '/'
 * ("" for the prefix itself). NULL with *err: SEL_ERR_INVALID_ARG for a
 * path that is not absolute or has a ".." component, SEL_ERR_EMPTY_SLOT
 * if no route of this component holds it, or the error of opening it.
 */
struct sel_idl_conn *sel_open_path(const char *path, const char **rest, int *err);

/* Route i of this component (0 <= i < the count returned by sel_route_count()), or NULL. */
const struct sel_route *sel_route_at(uint32_t i);
uint32_t sel_route_count(void);

#endif /* SEL_NAMES_H */
