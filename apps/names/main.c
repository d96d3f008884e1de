/*
 * The name service's client (apps/names): it prints the routes the root
 * task gave it, then resolves the same names whatever component it is
 * (<sel/names.h>), and adds 1 to the counter each resolved path leads to.
 * The test (PLACE_0013) holds what each prints against apps/names/system.toml:
 * a routed path resolves to its own server, any other name is refused.
 * Started with a0 = its index. Each line is prefixed `names <index>:`.
 */
#include <sel/names.h>
#include <sel/print.h>
#include "counter_client.h" /* generated from idl/counter.idl */

static const char *const paths[] = {
    "/data/notes",    "/data", "/database", "/data/archive/2026", "/logs/today",
    "/logs/shared/x", "/",     "logs",      "/data/../logs/x",
};

static const char *const services[] = {"counter", "logs", "fs"};

static void open_path(uint64_t index, const char *path)
{
	const char *rest = "";
	int64_t value = 0;
	int err, added;
	struct sel_idl_conn *c = sel_open_path(path, &rest, &err);

	if (!c) {
		sel_printf("names %lu: open %s -> %d\n", index, path, err);
		return;
	}
	added = counter_add(c, 1, &value);
	sel_printf("names %lu: open %s -> %d rest '%s' add %d %ld\n", index, path, err, rest, added,
	           (long)value);
}

int main(uint64_t index);

int main(uint64_t index)
{
	int err;

	sel_printf("names %lu: routes %u\n", index, sel_route_count());
	for (uint32_t i = 0; i < sel_route_count(); i++)
		sel_printf("names %lu: route %s -> %s\n", index, sel_route_at(i)->prefix,
		           sel_route_at(i)->name);
	for (uint32_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		open_path(index, paths[i]);
	for (uint32_t i = 0; i < sizeof(services) / sizeof(services[0]); i++) {
		sel_open_service(services[i], &err);
		sel_printf("names %lu: service %s -> %d\n", index, services[i], err);
	}
	return 0;
}
