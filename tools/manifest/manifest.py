#!/usr/bin/env python3
"""The system manifest checker and table generator (docs/manifest.md).

A system is a folder apps/<system>/ with a system.toml: its components (the
programs the root task starts, with their budgets), the services each
provides and uses, and one [[connection]] per (client, service) with its
placement (direct, sync or async) and rights. Deny by default: a component
holds a capability only for what the manifest declares.

    manifest.py check SYSTEM.toml [--idl-dir DIR]
    manifest.py generate SYSTEM.toml --out FILE.c [--idl-dir DIR] [--probe PROGRAM]
    manifest.py tables SYSTEM.toml --out FILE.c [--idl-dir DIR]
    manifest.py programs SYSTEM.toml [--idl-dir DIR] [--probe PROGRAM]

`check` prints every error as `file:line: error: message` and exits 1 if
there is one. `generate` checks, then writes the C tables the root task
(servers/root) wires the system from: no TOML is parsed in C. `tables`
writes the same tables without the programs' images, for a component that
shows the system (the demo's shell: `services`). `programs` lists the
programs the root task embeds. With --probe, `generate` and `programs`
describe the system's probe twin: the same wiring, every component that is
a process running PROGRAM instead (apps/probe/twin.c), the generated
negative test.
"""

import argparse
import os
import re
import sys
import tomllib

PLACEMENTS = ("direct", "sync", "async")
# Connection rights and the endpoint rights they stand for (object.h): a Call needs
# Write and GrantReply (docs/ipc.md); Grant lets requests carry capabilities.
CONNECTION_RIGHTS = {"call": "SEL_RIGHT_WRITE | SEL_RIGHT_GRANT_REPLY", "grant": "SEL_RIGHT_GRANT"}
# Debug rights (enum sel_debug_right).
DEBUG_RIGHTS = {
    "info": "SEL_DEBUG_RIGHT_INFO",
    "write": "SEL_DEBUG_RIGHT_WRITE",
    "shutdown": "SEL_DEBUG_RIGHT_SHUTDOWN",
    "bench": "SEL_DEBUG_RIGHT_BENCH",
    "check": "SEL_DEBUG_RIGHT_CHECK",
}
RESTART = ("stop", "restart")
START = ("boot", "request")  # enum sys_start: at boot, or when the supervisor is asked (run)
MAX_HARTS = 8  # SEL_MAX_HARTS
MAX_PRIORITY = 255
CNODE_BITS = (6, 12)  # 64 slots (the fixed ones and a few connections) .. the root's size
MIN_MEMORY = 256 << 10  # a process's CNode, VSpace, TCB, stack, page tables and pages
MAX_CONNECTIONS = 4  # SEL_BIND_MAX: entries of a client's connection table
WINDOW_RANGE = (12, 21)  # async windows: 4 KiB .. 2 MiB
MAX_DEPTH = 256  # SEL_IDL_ASYNC_MAX_SLOTS
SESSION_SLOTS_BASE, SESSION_SLOTS = 64, 5  # SYS_SLOT_SESSIONS, SEL_SESSION_SLOTS
MAX_ASYNC_CLIENTS = 32  # SEL_IDL_ASYNC_MAX_CLIENTS
# Devices a driver may name: those the boot info describes (read from the device tree).
BOOT_DEVICES = {"uart": "SYS_DEVICE_UART"}
MAX_DEVICES = 4  # SYS_MAX_DEVICES
# Requests a component may make to the supervisor (the root task): enum sys_supervise_right.
SUPERVISOR_RIGHTS = {"threads": "SYS_SUPERVISE_THREADS", "caps": "SYS_SUPERVISE_CAPS",
                     "crash": "SYS_SUPERVISE_CRASH", "run": "SYS_SUPERVISE_RUN"}
UNTYPED_RANGE = (12, 24)  # a component's own Untyped: 4 KiB .. 16 MiB
MAX_ROUTES = 8  # SEL_ROUTE_MAX: path prefixes routed for one client
MAX_PATH = 63  # SEL_ROUTE_PATH - 1: bytes of a prefix
PATH_RE = re.compile(r"^/([A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*)?$")
MAX_SESSIONS = 3  # badged endpoint caps of one sync connection (SYS_MAX_SESSIONS)
HEAP_FRAME = 2 << 20  # <sel/posix_boot.h>: the heap grows by 2 MiB frames
MAX_HEAP = 64 << 20  # SEL_POSIX_HEAP_FRAMES frames
POSIX_STRINGS = 1024  # SEL_POSIX_STRINGS: argument and environment bytes

SYSTEM_KEYS = ("name", "memory")
COMPONENT_KEYS = ("name", "program", "priority", "mcp", "harts", "memory", "cnode_bits",
                  "debug", "restart", "provides", "uses", "device", "untyped", "supervisor",
                  "heap", "args", "env", "start")
CONNECTION_KEYS = ("client", "server", "service", "placement", "rights", "window", "depth",
                   "events", "sessions", "paths", "name", "quota")
DEVICE_KEYS = ("name",)
NAME_RE = re.compile(r"^[a-z][a-z0-9_-]{0,30}$")


class ManifestError(Exception):
    """One error: its line and message."""

    def __init__(self, line, message):
        super().__init__(message)
        self.line = line
        self.message = message


class Lines:
    """Where each key of the manifest is: tomllib gives values, not lines.

    A line scanner over the text: table headers [a] and [[a]] (with
    [[a.b]] arrays nested in the last a), and `key =` at the start of a
    line. Keys are looked up by path, e.g. ("component", 2, "memory").
    """

    HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.-]+)\s*\]\]?")
    KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")

    def __init__(self, text):
        self.where = {}
        counts = {}
        table = ()
        in_string = False
        for n, raw in enumerate(text.splitlines(), 1):
            if raw.count('"""') % 2 or raw.count("'''") % 2:
                in_string = not in_string
                if not in_string:
                    continue
            if in_string:
                continue
            m = self.HEADER.match(raw)
            if m:
                parts = m.group(2).split(".")
                if m.group(1) == "[[":
                    prefix = self._resolve(parts[:-1], counts)
                    key = prefix + (parts[-1],)
                    counts[key] = counts.get(key, -1) + 1
                    table = key + (counts[key],)
                else:
                    table = self._resolve(parts, counts)
                self.where.setdefault(table, n)
                continue
            m = self.KEY.match(raw)
            if m:
                self.where.setdefault(table + (m.group(1),), n)

    @staticmethod
    def _resolve(parts, counts):
        """A dotted header inside the last element of each array of tables it names."""
        path = ()
        for p in parts:
            path += (p,)
            if path in counts:
                path += (counts[path],)
        return path

    def line(self, *path):
        """The line of a key or table, else of the nearest enclosing one, else 1."""
        while path:
            if path in self.where:
                return self.where[path]
            path = path[:-1]
        return 1


def parse_size(value):
    """'64K', '1M', 4096 -> bytes; None if malformed."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if not isinstance(value, str):
        return None
    m = re.fullmatch(r"(\d+)\s*([KMG]?)(i?B)?", value.strip())
    if not m:
        return None
    return int(m.group(1)) << {"": 0, "K": 10, "M": 20, "G": 30}[m.group(2)]


def power_of_two(n):
    return n > 0 and n & (n - 1) == 0


def show_size(n):
    for shift, unit in ((30, "GiB"), (20, "MiB"), (10, "KiB")):
        if n >= 1 << shift and n % (1 << shift) == 0:
            return f"{n >> shift} {unit}"
    return f"{n} bytes"


class System:
    """A checked manifest: components, connections, and what the checker derived."""

    def __init__(self, path, idl_dir=None):
        self.path = path
        self.idl_dir = idl_dir
        self.errors = []
        self.components = []
        self.connections = []
        self.memory = 0
        self.name = os.path.basename(os.path.dirname(os.path.abspath(path)))
        with open(path, "rb") as f:
            raw = f.read()
        text = raw.decode("utf-8", errors="replace")
        self.lines = Lines(text)
        try:
            self.doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            m = re.search(r"\(at line (\d+), column \d+\)", str(e))
            line = int(m.group(1)) if m else 1
            msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(e))
            self.error(line, f"not TOML: {msg}")
            return
        self._check()

    # Reporting.

    def error(self, line, message):
        self.errors.append(ManifestError(line, message))

    def report(self):
        return [f"{self.path}:{e.line}: error: {e.message}" for e in
                sorted(self.errors, key=lambda e: e.line)]

    # Field helpers: each returns the value or None (after an error).

    def _keys(self, table, allowed, where, what):
        for key in table:
            if key not in allowed:
                self.error(self.lines.line(*where, key), f"unknown key '{key}' in {what}")

    def _int(self, table, key, where, lo, hi, default=None):
        if key not in table:
            return default
        v = table[key]
        if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
            self.error(self.lines.line(*where, key), f"'{key}' must be an integer {lo}..{hi}")
            return None
        return v

    def _str(self, table, key, where, what, required=True, default=None):
        if key not in table:
            if required:
                self.error(self.lines.line(*where), f"{what} needs '{key}'")
            return default
        v = table[key]
        if not isinstance(v, str):
            self.error(self.lines.line(*where, key), f"'{key}' must be a string")
            return None
        return v

    def _names(self, table, key, where):
        v = table.get(key, [])
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            self.error(self.lines.line(*where, key), f"'{key}' must be a list of strings")
            return []
        return v

    def _name(self, table, key, where, what):
        v = self._str(table, key, where, what)
        if v is not None and not NAME_RE.match(v):
            self.error(self.lines.line(*where, key),
                       f"'{v}' is not a valid name (a-z, 0-9, '-', '_'; at most 31)")
            return None
        return v

    # The checks.

    def _check(self):
        doc = self.doc
        for key in doc:
            if key not in ("system", "component", "connection"):
                self.error(self.lines.line(key), f"unknown key '{key}' at the top level")
        system = doc.get("system")
        if not isinstance(system, dict):
            self.error(1, "the manifest needs a [system] table")
            system = {}
        self._keys(system, SYSTEM_KEYS, ("system",), "[system]")
        name = self._str(system, "name", ("system",), "[system]", required=False)
        if name is not None and name != self.name:
            self.error(self.lines.line("system", "name"),
                       f"system name '{name}' differs from its folder '{self.name}'")
        self.memory = parse_size(system.get("memory")) if "memory" in system else None
        if self.memory is None and "system" in doc:
            self.error(self.lines.line("system", "memory"),
                       "[system] needs 'memory' (the budget of all components: '16M')")
        comps = doc.get("component", [])
        conns = doc.get("connection", [])
        if not isinstance(comps, list) or not comps:
            self.error(1, "the manifest declares no [[component]]")
            comps = []
        if not isinstance(conns, list):
            conns = []
        for i, c in enumerate(comps):
            self._component(i, c)
        for i, c in enumerate(conns):
            self._connection(i, c)
        self._totals()
        self._routes()
        self._uses()
        self._direct()
        self._servers()
        self._devices()
        if not self.errors:
            for c in self.components:
                n = len(posix_strings(self, c)[0].encode())
                if n > POSIX_STRINGS:
                    self.error(c["line"], f"'{c['name']}': args and env take {n} bytes "
                                          f"(at most {POSIX_STRINGS})")

    def _component(self, i, c):
        where = ("component", i)
        self._keys(c, COMPONENT_KEYS, where, "[[component]]")
        comp = {"index": i, "line": self.lines.line(*where)}
        comp["name"] = self._name(c, "name", where, "[[component]]")
        comp["program"] = self._str(c, "program", where, "[[component]]")
        comp["priority"] = self._int(c, "priority", where, 0, MAX_PRIORITY, 100)
        comp["mcp"] = self._int(c, "mcp", where, 0, MAX_PRIORITY, comp["priority"])
        if comp["priority"] is not None and comp["mcp"] is not None and \
                comp["priority"] > comp["mcp"]:
            self.error(self.lines.line(*where, "priority"),
                       f"priority {comp['priority']} is above the component's mcp {comp['mcp']}")
        harts = c.get("harts", [0])
        if not isinstance(harts, list) or not harts or not all(
                isinstance(h, int) and not isinstance(h, bool) and 0 <= h < MAX_HARTS
                for h in harts):
            self.error(self.lines.line(*where, "harts"),
                       f"'harts' must be a non-empty list of hart numbers 0..{MAX_HARTS - 1}")
            harts = [0]
        comp["harts"] = harts
        mem = parse_size(c.get("memory")) if "memory" in c else None
        if "memory" not in c:
            self.error(comp["line"], "[[component]] needs 'memory'")
        elif mem is None or not power_of_two(mem) or mem < MIN_MEMORY:
            self.error(self.lines.line(*where, "memory"),
                       f"'memory' must be a power of two of at least {show_size(MIN_MEMORY)}")
            mem = None
        comp["memory"] = mem
        comp["cnode_bits"] = self._int(c, "cnode_bits", where, *CNODE_BITS, 8)
        debug = self._names(c, "debug", where)
        for r in debug:
            if r not in DEBUG_RIGHTS:
                self.error(self.lines.line(*where, "debug"),
                           f"debug right '{r}' cannot be granted (debug rights: "
                           f"{', '.join(DEBUG_RIGHTS)})")
        comp["debug"] = [r for r in debug if r in DEBUG_RIGHTS]
        restart = self._str(c, "restart", where, "[[component]]", required=False,
                            default="stop")
        if restart is not None and restart not in RESTART:
            self.error(self.lines.line(*where, "restart"),
                       f"restart policy '{restart}' is not one of {', '.join(RESTART)}")
        comp["restart"] = restart
        start = self._str(c, "start", where, "[[component]]", required=False, default="boot")
        if start is not None and start not in START:
            self.error(self.lines.line(*where, "start"),
                       f"start '{start}' is not one of {', '.join(START)}")
        comp["start"] = start if start in START else "boot"
        comp["provides"] = self._names(c, "provides", where)
        comp["uses"] = self._names(c, "uses", where)
        for key in ("provides", "uses"):
            seen = set()
            for s in comp[key]:
                if s in seen:
                    self.error(self.lines.line(*where, key), f"service '{s}' listed twice in '{key}'")
                seen.add(s)
        for s in comp["provides"]:
            if self.idl_dir and not os.path.exists(os.path.join(self.idl_dir, s + ".idl")):
                self.error(self.lines.line(*where, "provides"),
                           f"unknown service '{s}' (no {s}.idl in the IDL directory)")
        self._posix(c, where, comp)
        comp["devices"] = []
        devs = c.get("device", [])
        if not isinstance(devs, list):
            devs = []
        for k, d in enumerate(devs):
            comp["devices"].append(self._device(where + ("device", k), d))
        self._component_resources(c, where, comp)
        if comp["name"] is not None:
            for other in self.components:
                if other["name"] == comp["name"]:
                    self.error(self.lines.line(*where, "name"),
                               f"duplicate component name '{comp['name']}' "
                               f"(first at line {other['line']})")
                    comp["name"] = None
                    break
        self.components.append(comp)

    def _posix(self, c, where, comp):
        """heap, args, env: what the POSIX layer gets (<sel/posix_boot.h>)."""
        heap = parse_size(c["heap"]) if "heap" in c else 0
        if heap is None or heap and (not power_of_two(heap) or not
                                     HEAP_FRAME <= heap <= MAX_HEAP):
            self.error(self.lines.line(*where, "heap"),
                       "'heap' must be a power of two from 2M to 64M")
            heap = 0
        elif heap and comp["memory"] and heap * 2 > comp["memory"]:
            self.error(self.lines.line(*where, "heap"),
                       f"'heap' {show_size(heap)} is more than half the component's memory")
            heap = 0
        comp["heap"] = heap
        comp["args"] = self._names(c, "args", where)
        comp["env"] = self._names(c, "env", where)
        for e in comp["env"]:
            if "=" not in e or e.startswith("="):
                self.error(self.lines.line(*where, "env"),
                           f"environment entry '{e}' is not NAME=value")
        if any("\0" in a for a in comp["args"] + comp["env"]):
            self.error(self.lines.line(*where, "args"), "'args' and 'env' cannot hold NUL")

    def _device(self, where, d):
        """A device named as the boot info names it: its registers and its interrupt."""
        if not isinstance(d, dict):
            self.error(self.lines.line(*where), "[[component.device]] must be a table")
            return {"line": self.lines.line(*where), "name": None}
        self._keys(d, DEVICE_KEYS, where, "[[component.device]]")
        dev = {"line": self.lines.line(*where)}
        dev["name"] = self._str(d, "name", where, "[[component.device]]")
        if dev["name"] is not None and dev["name"] not in BOOT_DEVICES:
            self.error(self.lines.line(*where, "name"),
                       f"unknown device '{dev['name']}' (devices the boot info names: "
                       f"{', '.join(BOOT_DEVICES)})")
            dev["name"] = None
        return dev

    def _component_resources(self, c, where, comp):
        """Its own Untyped (with its TCB) and its requests to the supervisor."""
        comp["untyped_bits"] = 0
        if "untyped" in c:
            size = parse_size(c["untyped"])
            lo, hi = UNTYPED_RANGE
            if size is None or not power_of_two(size) or not 1 << lo <= size <= 1 << hi:
                self.error(self.lines.line(*where, "untyped"),
                           "'untyped' must be a power of two from 4K to 16M")
            elif comp["memory"] and size > comp["memory"] // 2:
                self.error(self.lines.line(*where, "untyped"),
                           f"'untyped' {show_size(size)} is more than half the component's "
                           f"memory {show_size(comp['memory'])}")
            else:
                comp["untyped_bits"] = size.bit_length() - 1
        sup = self._names(c, "supervisor", where)
        for r in sup:
            if r not in SUPERVISOR_RIGHTS:
                self.error(self.lines.line(*where, "supervisor"),
                           f"supervisor right '{r}' cannot be granted (supervisor rights: "
                           f"{', '.join(SUPERVISOR_RIGHTS)})")
        comp["supervisor"] = [r for r in sup if r in SUPERVISOR_RIGHTS]
        if len(comp["devices"]) > MAX_DEVICES:
            self.error(self.lines.line(*where, "device"),
                       f"'{comp['name']}' has {len(comp['devices'])} devices (at most "
                       f"{MAX_DEVICES})")

    def _devices(self):
        """A device has one driver, which runs as a process of its own."""
        first = {}
        for c in self.components:
            for d in c["devices"]:
                if d["name"] is None or c["name"] is None:
                    continue
                if d["name"] in first:
                    owner, line = first[d["name"]]
                    self.error(self.lines.line("component", c["index"], "device",
                                               c["devices"].index(d), "name"),
                               f"device '{d['name']}' has two drivers: '{owner}' (line {line}) "
                               f"and '{c['name']}'")
                    continue
                first[d["name"]] = (c["name"], d["line"])

    def _connection_sessions(self, c, where, conn):
        """Sync only: badged caps (sessions) and an event notification for the client."""
        placement = conn["placement"]
        conn["sessions"] = self._int(c, "sessions", where, 1, MAX_SESSIONS, 1) or 1
        events = c.get("events", False)
        if not isinstance(events, bool):
            self.error(self.lines.line(*where, "events"), "'events' must be true or false")
            events = False
        conn["events"] = events
        for key in ("sessions", "events"):
            if key in c and placement not in ("sync", None):
                self.error(self.lines.line(*where, key), f"'{key}' applies to sync connections only")

    def component(self, name):
        for c in self.components:
            if c["name"] == name:
                return c
        return None

    def _connection(self, i, c):
        where = ("connection", i)
        self._keys(c, CONNECTION_KEYS, where, "[[connection]]")
        conn = {"index": i, "line": self.lines.line(*where)}
        for key in ("client", "server", "service"):
            conn[key] = self._str(c, key, where, "[[connection]]")
        placement = self._str(c, "placement", where, "[[connection]]")
        if placement is not None and placement not in PLACEMENTS:
            self.error(self.lines.line(*where, "placement"),
                       f"placement '{placement}' is not one of {', '.join(PLACEMENTS)}")
            placement = None
        conn["placement"] = placement
        rights = self._names(c, "rights", where) if "rights" in c else ["call"]
        for r in rights:
            if r not in CONNECTION_RIGHTS:
                self.error(self.lines.line(*where, "rights"),
                           f"right '{r}' cannot be granted on a connection (rights: "
                           f"{', '.join(CONNECTION_RIGHTS)})")
            elif r == "grant" and placement == "async":
                self.error(self.lines.line(*where, "rights"),
                           "right 'grant' cannot be granted on an async connection "
                           "(it carries no capabilities)")
            elif r == "grant" and placement == "direct":
                self.error(self.lines.line(*where, "rights"),
                           "right 'grant' cannot be granted on a direct connection "
                           "(a function call moves no capabilities)")
        conn["rights"] = [r for r in rights if r in CONNECTION_RIGHTS]
        if "call" not in rights:
            self.error(self.lines.line(*where, "rights"),
                       "a connection without the right 'call' could not call")
        window = parse_size(c["window"]) if "window" in c else 1 << 16
        if "window" in c and placement != "async":
            self.error(self.lines.line(*where, "window"), "'window' applies to async connections only")
        elif window is None or not power_of_two(window) or \
                not 1 << WINDOW_RANGE[0] <= window <= 1 << WINDOW_RANGE[1]:
            self.error(self.lines.line(*where, "window"),
                       "'window' must be a power of two from 4K to 2M")
            window = 1 << 16
        conn["window_bits"] = window.bit_length() - 1
        conn["depth"] = self._int(c, "depth", where, 1, MAX_DEPTH, 8 if placement == "async" else 1)
        if "depth" in c and placement != "async":
            self.error(self.lines.line(*where, "depth"), "'depth' applies to async connections only")
        conn["quota"] = parse_size(c["quota"]) if "quota" in c else 0
        if conn["quota"] is None:
            self.error(self.lines.line(*where, "quota"), "'quota' must be a size ('64K')")
            conn["quota"] = 0
        # Names.
        client = self.component(conn["client"]) if conn["client"] else None
        server = self.component(conn["server"]) if conn["server"] else None
        for key, comp in (("client", client), ("server", server)):
            if conn[key] is not None and comp is None:
                self.error(self.lines.line(*where, key), f"unknown component '{conn[key]}'")
        svc = conn["service"]
        if svc is not None and not any(svc in c["provides"] for c in self.components):
            self.error(self.lines.line(*where, "service"), f"unknown service '{svc}'")
        elif svc is not None and server is not None and svc not in server["provides"]:
            self.error(self.lines.line(*where, "server"),
                       f"connection to nothing: '{server['name']}' does not provide '{svc}'")
        if client is not None and svc is not None and svc not in client["uses"]:
            self.error(self.lines.line(*where, "client"),
                       f"'{client['name']}' does not use '{svc}' (add it to its 'uses')")
        if client is not None and client is server:
            self.error(self.lines.line(*where, "server"),
                       f"'{client['name']}' cannot connect to itself")
        conn["name"] = self._connection_name(c, where, conn)
        self._duplicate_connection(conn)
        self._connection_sessions(c, where, conn)
        conn["client_c"], conn["server_c"] = client, server
        conn["paths"] = self._paths(c, where)
        self.connections.append(conn)

    def _connection_name(self, c, where, conn):
        """What the client binds the connection by: its `name`, by default the service."""
        if "name" not in c:
            return conn["service"]
        return self._name(c, "name", where, "[[connection]]")

    def _duplicate_connection(self, conn):
        """A client binds each connection by a name of its own, and reaches a server once."""
        if conn["client"] is None:
            return
        for other in self.connections:
            if other["client"] != conn["client"]:
                continue
            if conn["name"] is not None and other["name"] == conn["name"]:
                if conn["name"] == conn["service"] and other["name"] == other["service"]:
                    self.error(conn["line"],
                               f"duplicate connection from '{conn['client']}' to service "
                               f"'{conn['service']}' (first at line {other['line']})")
                else:
                    self.error(self.lines.line("connection", conn["index"], "name"),
                               f"duplicate connection name '{conn['name']}' for "
                               f"'{conn['client']}' (first at line {other['line']}): give "
                               "one a 'name' of its own")
                return
            if conn["server"] is not None and other["server"] == conn["server"]:
                self.error(conn["line"], f"'{conn['client']}' is connected to "
                                         f"'{conn['server']}' twice (first at line "
                                         f"{other['line']})")
                return

    def _paths(self, c, where):
        """A connection's path prefixes (the name service routes them to it), checked."""
        paths = self._names(c, "paths", where)
        good = []
        for p in paths:
            if len(p) > MAX_PATH or not PATH_RE.match(p) or \
                    any(part in (".", "..") for part in p.split("/")):
                self.error(self.lines.line(*where, "paths"),
                           f"path '{p}' is not an absolute path prefix ('/', '/data', "
                           f"'/srv/logs'; no '.', '..', '//' or trailing '/'; at most "
                           f"{MAX_PATH} bytes)")
            else:
                good.append(p)
        return good

    def _totals(self):
        total = sum(c["memory"] for c in self.components if c["memory"])
        if self.memory is not None and total > self.memory:
            self.error(self.lines.line("system", "memory"),
                       f"component budgets total {show_size(total)}, more than the system's "
                       f"memory {show_size(self.memory)}")
        for c in self.components:
            direct = [k for k in self.connections
                      if k["client_c"] is c and k["placement"] == "direct"]
            if len(direct) > 1:
                self.error(direct[1]["line"], f"'{c['name']}' has {len(direct)} direct "
                                              "connections: a client holds at most one private "
                                              "instance")
            n = sum(1 for k in self.connections if k["client_c"] is c)
            if n > MAX_CONNECTIONS:
                self.error(c["line"], f"'{c['name']}' has {n} connections (at most "
                                      f"{MAX_CONNECTIONS})")

    def _routes(self):
        """Each client routes a path prefix to one connection, at most MAX_ROUTES of them."""
        for c in self.components:
            seen = {}
            for k in self.connections:
                if k["client_c"] is not c:
                    continue
                for p in k["paths"]:
                    line = self.lines.line("connection", k["index"], "paths")
                    if p in seen:
                        self.error(line, f"path '{p}' is routed twice for '{c['name']}' "
                                         f"(first at line {seen[p]})")
                    else:
                        seen[p] = line
            if len(seen) > MAX_ROUTES:
                self.error(c["line"], f"'{c['name']}' has {len(seen)} routed paths (at most "
                                      f"{MAX_ROUTES})")

    def _uses(self):
        for c in self.components:
            for s in c["uses"]:
                if c["name"] is not None and not any(
                        k["client"] == c["name"] and k["service"] == s for k in self.connections):
                    self.error(self.lines.line("component", c["index"], "uses"),
                               f"'{c['name']}' uses '{s}' but no connection serves it")

    def authority(self, comp):
        """What a component holds beyond its own memory: a set of readable items."""
        held = {f"debug right '{r}'" for r in comp["debug"]}
        held |= {f"device '{d['name']}'" for d in comp["devices"]}
        held |= {f"supervisor right '{r}'" for r in comp.get("supervisor", [])}
        for k in self.connections:
            if k["client_c"] is comp:
                held |= {f"connection to '{k['service']}' with '{r}'" for r in k["rights"]}
        return held

    def _direct(self):
        direct = [k for k in self.connections
                  if k["placement"] == "direct" and k["client_c"] and k["server_c"]]
        for k in direct:
            server = k["server_c"]
            others = [o for o in self.connections if o["server_c"] is server and o is not k]
            if others:
                self.error(self.lines.line("connection", k["index"], "placement"),
                           f"direct connection from '{k['client']}' to '{server['name']}': "
                           f"'{server['name']}' is a shared instance (it also serves "
                           f"'{others[0]['client']}', line {others[0]['line']})")
                continue
            lacking = sorted(self.authority(server) - self.authority(k["client_c"]))
            if lacking:
                self.error(self.lines.line("connection", k["index"], "placement"),
                           f"direct connection from '{k['client']}' to '{server['name']}': "
                           f"'{server['name']}' holds {lacking[0]}, which "
                           f"'{k['client']}' lacks")
        # A cycle of direct placements: follow client -> server edges.
        edges = {}
        for k in direct:
            edges.setdefault(k["client"], []).append(k)
        reported = set()
        for start in edges:
            stack = [(start, [start], [])]
            while stack:
                node, path, via = stack.pop()
                for k in edges.get(node, []):
                    nxt = k["server"]
                    if nxt == start:
                        key = frozenset(path)
                        if key not in reported:
                            reported.add(key)
                            first = min(via + [k], key=lambda x: x["line"])
                            self.error(first["line"], "cycle of direct connections: " +
                                       " -> ".join(path + [start]))
                    elif nxt not in path:
                        stack.append((nxt, path + [nxt], via + [k]))

    def _servers(self):
        """What the root task can wire: one endpoint, one placement, room for sessions."""
        for c in self.components:
            if c["name"] is None:
                continue
            line = self.lines.line("component", c["index"], "provides")
            if len(c["provides"]) > 1:
                self.error(line, f"'{c['name']}' provides {len(c['provides'])} services: "
                                 "a component serves one")
            if c["provides"] and c.get("start") == "request":
                self.error(self.lines.line("component", c["index"], "start"),
                           f"'{c['name']}' provides a service: it must start at boot, its "
                           "clients' capabilities are made then")
            served = [k for k in self.connections
                      if k["server_c"] is c and k["placement"] in ("sync", "async")]
            kinds = sorted({k["placement"] for k in served})
            if len(kinds) > 1:
                self.error(line, f"'{c['name']}' is served both sync and async: a server "
                                 "process serves one placement")
            if kinds == ["async"] and len(served) > MAX_ASYNC_CLIENTS:
                self.error(line, f"'{c['name']}' serves {len(served)} async clients "
                                 f"(at most {MAX_ASYNC_CLIENTS})")
            if kinds == ["async"] and c["memory"]:
                window = max(k["window_bits"] for k in served)
                need = 1 << (window + (len(served) - 1).bit_length() + 1)
                if need > c["memory"] // 2:
                    self.error(line, f"'{c['name']}' needs {show_size(need)} for the windows of "
                                     f"its async clients: more than half its memory")
            if kinds == ["async"] and c["cnode_bits"] is not None:
                need = SESSION_SLOTS_BASE + SESSION_SLOTS * len(served)
                if need > 1 << c["cnode_bits"]:
                    self.error(line, f"'{c['name']}' serves {len(served)} async "
                                     f"client{'s' if len(served) > 1 else ''}: "
                                     f"its CNode needs {need} slots, it has "
                                     f"{1 << c['cnode_bits']} (cnode_bits)")
            if self.hosted(c) and any(k["client_c"] is c for k in self.connections):
                self.error(self.lines.line("connection", self.hosted(c)["index"], "placement"),
                           f"'{c['name']}' uses services itself: a private instance cannot "
                           "(place it sync or async)")

    # Derived facts for the generator.

    def hosted(self, comp):
        """The connection through which comp lives inside a client (direct), else None."""
        for k in self.connections:
            if k["server_c"] is comp and k["placement"] == "direct":
                return k
        return None


def c_string(s):
    s = s.replace("\\", "\\\\").replace('"', '\\"').replace("\0", "\\0\"\"")
    return '"' + s + '"'


def c_ident(s):
    return re.sub(r"[^A-Za-z0-9_]", "_", s)


def posix_strings(system, comp):
    """The component's argv and environment (with the quotas of its clients: the server
    reads SEL_QUOTA_<badge>=bytes), as C string bytes, and their counts."""
    index = {c["name"]: i for i, c in enumerate(system.components)}
    env = list(comp["env"])
    for k in system.connections:
        if k["server"] == comp["name"] and k["quota"]:
            env.append(f"SEL_QUOTA_{index[k['client']] + 1}={k['quota']}")
    args = [comp["program"]] + comp["args"]
    blob = "".join(a + "\0" for a in args + env)
    return blob, len(args), len(env)


def component_resources(c):
    """The lines of a component's devices, own Untyped and supervisor rights."""
    devices = ", ".join(BOOT_DEVICES[d["name"]] for d in c["devices"]) or "0"
    sup = " | ".join(SUPERVISOR_RIGHTS[r] for r in c["supervisor"]) or "0"
    return [f"\t\t.program = {c_string(c['program'])},",
            f"\t\t.devices = {{{devices}}},",
            f"\t\t.ndevices = {len(c['devices'])},",
            f"\t\t.untyped_bits = {c['untyped_bits']},",
            f"\t\t.supervisor = {sup},"]


def connection_sessions(k):
    """The lines of a sync connection's sessions and events."""
    return [f"\t\t.sessions = {k['sessions']},",
            f"\t\t.events = {1 if k['events'] else 0},"]


def generate(system, elf=True):
    """The C tables of a checked system (servers/root/system.h declares them).

    Without elf, the tables name no program image: what a component that
    shows the system (the demo's shell) links to read them.
    """
    out = [f"/* Generated by tools/manifest from {os.path.relpath(system.path)}: "
           "the system's wiring. */",
           "#include \"system.h\"", ""]
    if not elf:
        out[0] = (f"/* Generated by tools/manifest from {os.path.relpath(system.path)}: "
                  "the system's tables, without its programs. */")
    progs = []
    for c in system.components:
        p = c_ident(c["program"] + ("-direct" if system.hosted(c) else ""))
        if p not in progs:
            progs.append(p)
    for p in progs if elf else []:
        out.append(f"extern const uint8_t embedded_{p}_start[], embedded_{p}_end[];")
    out += ["", f"const char sys_name[] = {c_string(system.name)};",
            f"const uint64_t sys_memory = {system.memory}ull;",
            f"const bool sys_probe_twin = {'true' if getattr(system, 'twin', False) else 'false'};",
            "",
            "const struct sys_component sys_components[] = {"]
    index = {c["name"]: i for i, c in enumerate(system.components)}
    for c in system.components:
        hosted = system.hosted(c)
        p = c_ident(c["program"] + ("-direct" if hosted else ""))
        debug = " | ".join(DEBUG_RIGHTS[r] for r in c["debug"]) or "0"
        harts = 0
        for h in c["harts"]:
            harts |= 1 << h
        host = index[hosted["client"]] if hosted else -1
        blob, argc, envc = posix_strings(system, c)
        out += ["\t{",
                f"\t\t.name = {c_string(c['name'])},",
                f"\t\t.elf = embedded_{p}_start," if elf else "\t\t.elf = 0,",
                f"\t\t.elf_end = embedded_{p}_end," if elf else "\t\t.elf_end = 0,",
                f"\t\t.priority = {c['priority']},",
                f"\t\t.mcp = {c['mcp']},",
                f"\t\t.harts = 0x{harts:x},",
                f"\t\t.memory_bits = {c['memory'].bit_length() - 1},",
                f"\t\t.cnode_bits = {c['cnode_bits']},",
                f"\t\t.debug_rights = {debug},",
                f"\t\t.restart = SYS_RESTART_{c['restart'].upper()},",
                f"\t\t.start = SYS_START_{c['start'].upper()},",
                f"\t\t.host = {host},",
                f"\t\t.heap_bits = {c['heap'].bit_length() - 1 if c['heap'] else 0},",
                f"\t\t.argc = {argc},",
                f"\t\t.envc = {envc},",
                f"\t\t.strings = {c_string(blob)},",
                f"\t\t.strings_len = {len(blob.encode())},"] + component_resources(c) + ["\t},"]
    out += ["};",
            f"const uint32_t sys_ncomponents = {len(system.components)};", "",
            "const struct sys_connection sys_connections[] = {"]
    for k in system.connections:
        rights = " | ".join(CONNECTION_RIGHTS[r] for r in k["rights"]) or "0"
        out += ["\t{",
                f"\t\t.service = {c_string(k['service'])},",
                f"\t\t.name = {c_string(k['name'])},",
                f"\t\t.client = {index[k['client']]},",
                f"\t\t.server = {index[k['server']]},",
                f"\t\t.placement = SEL_BIND_{k['placement'].upper()},",
                f"\t\t.rights = {rights},",
                f"\t\t.window_bits = {k['window_bits']},",
                f"\t\t.depth = {k['depth']},"] + connection_sessions(k) + ["\t},"]
    if not system.connections:
        out.append("\t{0},")
    out += ["};", f"const uint32_t sys_nconnections = {len(system.connections)};", ""]
    return "\n".join(out + generate_routes(system))


def generate_routes(system):
    """The name service's routes: each path prefix a client's connection answers for."""
    index = {c["name"]: i for i, c in enumerate(system.components)}
    out = ["const struct sys_route sys_routes[] = {"]
    routes = [(k, p) for k in system.connections for p in k["paths"]]
    for k, p in routes:
        out.append(f"\t{{.client = {index[k['client']]}, .name = {c_string(k['name'])}, "
                   f".prefix = {c_string(p)}}},")
    if not routes:
        out.append("\t{0},")
    out += ["};", f"const uint32_t sys_nroutes = {len(routes)};", ""]
    return out


def programs(system):
    """The programs to embed: `name` for a process, `name-direct` for a private instance."""
    seen = []
    for c in system.components:
        p = c["program"] + ("-direct" if system.hosted(c) else "")
        if p not in seen:
            seen.append(p)
    return seen


def make_twin(system, program):
    """The probe twin: every process runs `program` and may print (debug right 'write', the
    one capability it holds beyond the real system's); private instances stay what they are.
    The twin's root task keeps the kernel's console (no driver runs to take it)."""
    system.twin = True
    for c in system.components:
        if not system.hosted(c):
            c["program"] = program
            c["debug"] = [r for r in DEBUG_RIGHTS if r in c["debug"] or r == "write"]


def main(argv):
    ap = argparse.ArgumentParser(prog="manifest.py", description=__doc__.split("\n")[0])
    ap.add_argument("command", choices=("check", "generate", "programs", "tables"))
    ap.add_argument("manifest")
    ap.add_argument("--idl-dir")
    ap.add_argument("--out")
    ap.add_argument("--probe", help="describe the probe twin, every process running PROBE")
    args = ap.parse_args(argv)
    system = System(args.manifest, args.idl_dir)
    for line in system.report():
        print(line, file=sys.stderr)
    if system.errors:
        return 1
    if args.probe:
        make_twin(system, args.probe)
    if args.command == "programs":
        print(";".join(programs(system)))
    elif args.command in ("generate", "tables"):
        if not args.out:
            ap.error(f"{args.command} needs --out")
        text = generate(system, elf=args.command == "generate")
        old = None
        if os.path.exists(args.out):
            with open(args.out, encoding="utf-8") as f:
                old = f.read()
        if old != text:
            with open(args.out, "w", encoding="utf-8") as f:
                f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
