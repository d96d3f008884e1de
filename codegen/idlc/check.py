"""Check: every rule a resolved program must satisfy before code is generated.

The checks, in order: names (style, reserved words, duplicates), enums,
structs (no recursion, bounded nesting), where capabilities, leases and
opaque payloads may appear, services (ids, one-way rules, typed errors),
versioning (a type must exist wherever it is used), and finally, at every
version point, the limits that depend on the layout (message size, caps and
leases per message, empty structs and enums, type size). All errors are
collected; the caller stops before layout if there were any.
"""

import re

from . import ast, kernel, layout, names
from .version import HEAD, covers, overlaps, present, show, show_range

MAX_NAME = 64
MAX_DEPTH = 32
SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")

C_KEYWORDS = {
    "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else",
    "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register",
    "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch",
    "typedef", "union", "unsigned", "void", "volatile", "while", "bool", "true", "false",
    "alignas", "alignof", "noreturn", "static_assert", "thread_local", "asm", "typeof",
    "int8_t", "int16_t", "int32_t", "int64_t", "uint8_t", "uint16_t", "uint32_t",
    "uint64_t", "size_t", "uintptr_t", "intptr_t", "ptrdiff_t", "wchar_t", "errno",
    "offsetof", "main",
}
IDL_WORDS = {"u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64", "bytes", "string",
             "array", "cap", "lease", "opaque"}
PARAM_RESERVED = {"conn", "ctx", "badge", "future", "sink", "handlers"}
RESERVED_PREFIXES = ("sel_", "idl_", "idlc_")


def snake_suggestion(name):
    """A lower_snake_case spelling of name."""
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    s = re.sub(r"[^A-Za-z0-9]+", "_", s).strip("_").lower()
    s = re.sub(r"_+", "_", s)
    if not s or not s[0].isalpha():
        s = "x_" + s
    return s


def elements(tree):
    """Every element of a file, parents before children."""
    stack = list(reversed(tree.decls))
    while stack:
        elem = stack.pop()
        yield elem
        if isinstance(elem, ast.Struct):
            stack.extend(reversed(elem.fields))
        elif isinstance(elem, ast.Enum):
            stack.extend(reversed(elem.members))
        elif isinstance(elem, ast.Service):
            stack.extend(reversed(elem.methods + elem.events))
        elif isinstance(elem, ast.Method):
            stack.extend(reversed(elem.params + (elem.results or [])))
        elif isinstance(elem, ast.Event):
            stack.extend(reversed(elem.params))


class Checker:
    """Runs the checks over a Program."""

    def __init__(self, program, sink, points):
        self.program = program
        self.sink = sink
        self.points = points
        self.error_enums = {}  # Enum decl -> first Method naming it
        self.version_suffix = None  # set while checking at one version
        self.reported = set()

    def error(self, code, message, span=None, **kwargs):
        """Report an error (per-version checks report a place only once)."""
        if self.version_suffix is not None:
            key = (code, span.source.display if span else None,
                   span.line if span else 0, span.col if span else 0)
            if key in self.reported:
                return
            self.reported.add(key)
        self.sink.error(code, message, span, **kwargs)

    def run(self):
        """All checks."""
        for tree in self.program.files:
            for elem in elements(tree):
                self.check_name(elem)
            for decl in tree.decls:
                self.check_duplicates(decl)
        self.collect_error_enums()
        for tree in self.program.files:
            for decl in tree.decls:
                if isinstance(decl, ast.Enum):
                    self.check_enum(decl)
                elif isinstance(decl, ast.Struct):
                    self.check_struct_fields(decl)
                elif isinstance(decl, ast.Service):
                    self.check_service(decl)
        if not self.sink.has_errors:
            self.check_recursion()
        if not self.sink.has_errors:
            kernel.check_kernel(self.program, self.sink)
        if not self.sink.has_errors:
            self.check_versions()
        if not self.sink.has_errors:
            for v in self.points:
                self.version_suffix = v
                self.check_at(v)
            self.version_suffix = None

    # Names.

    def check_name(self, elem):
        """Style, length and reserved words."""
        name, span = elem.name, elem.name_span
        if len(name) > MAX_NAME:
            self.error("E026", "name is %d characters long; the limit is %d"
                       % (len(name), MAX_NAME), span)
            return
        if not SNAKE.match(name):
            self.error("E020", "%s must be lower_snake_case" % elem.where(), span,
                       help="rename it '%s'" % snake_suggestion(name))
            return
        reserved = name in C_KEYWORDS or name.startswith(RESERVED_PREFIXES)
        if isinstance(elem, (ast.Struct, ast.Enum, ast.Service)):
            reserved = reserved or name in IDL_WORDS or name == "bool"
        if isinstance(elem, ast.Param):
            reserved = reserved or name in PARAM_RESERVED
        if reserved:
            why = "is a C keyword or standard name" if name in C_KEYWORDS else \
                "is used by the generated code"
            if name.startswith(RESERVED_PREFIXES):
                prefix = name.split("_", 1)[0] + "_"
                why = "starts with '%s', which is reserved for generated code" % prefix
            elif name in IDL_WORDS or name == "bool":
                why = "is a built-in IDL type"
            self.error("E021", "%s: '%s' %s" % (elem.kind, name, why), span,
                       help="choose another name")

    def check_duplicates(self, decl):
        """Members with the same name whose availabilities overlap."""
        groups = []
        if isinstance(decl, ast.Struct):
            groups.append(decl.fields)
        elif isinstance(decl, ast.Enum):
            groups.append(decl.members)
        elif isinstance(decl, ast.Service):
            groups.append(decl.methods + decl.events)
            for m in decl.methods:
                groups.append(m.params + (m.results or []))
            for e in decl.events:
                groups.append(e.params)
        for group in groups:
            seen = {}
            for elem in group:
                for other in seen.get(elem.name, []):
                    if overlaps(elem.avail, other.avail):
                        self.error("E023", "%s is declared twice" % elem.where(), elem.name_span,
                                   notes=[(other.name_span, "first declared here")],
                                   help="rename one of them" if not isinstance(
                                       elem, ast.Param) else
                                   "parameters and results of a method share one namespace")
                        break
                seen.setdefault(elem.name, []).append(elem)

    # Enums.

    def collect_error_enums(self):
        """Record enums named in `error`; check each is a valid error type."""
        for tree in self.program.files:
            for decl in tree.decls:
                if not isinstance(decl, ast.Service):
                    continue
                for m in decl.methods:
                    if m.error is None or m.error.resolved is None:
                        continue
                    t = m.error.resolved
                    if not isinstance(t, ast.EnumType):
                        self.error("E063", "the error type of method '%s' must be an enum, "
                                   "not '%s'" % (m.name, t.name), m.error.span,
                                   help="declare 'enum %s_error : u16 { ... }'" % decl.name)
                        continue
                    if t.decl not in self.error_enums:
                        self.error_enums[t.decl] = m
                        t.decl.is_error = True
                        self.check_error_enum(t.decl, m)

    def check_error_enum(self, decl, method):
        """Error enums: unsigned, values 1..0xFFFF (0 means success)."""
        prim = decl.underlying.resolved
        if isinstance(prim, ast.Primitive) and prim.signed:
            self.error("E063", "error enum '%s' must have an unsigned underlying type"
                       % decl.name, decl.underlying.span,
                       help="error values are positive; use u8 or u16",
                       notes=[(method.error.span, "used as an error type here")])
        for member in decl.members:
            if not 1 <= member.value <= layout.MAX_ERROR_VALUE:
                self.error("E063", "error value %d of '%s' is outside 1..%d"
                           % (member.value, member.name, layout.MAX_ERROR_VALUE),
                           member.value_span,
                           help="0 means success, so error values start at 1",
                           notes=[(method.error.span, "used as an error type here")])

    def check_enum(self, decl):
        """Underlying type, value ranges and unique values."""
        prim = decl.underlying.resolved
        if prim is None:
            return
        if not isinstance(prim, ast.Primitive) or prim.is_bool:
            self.error("E050", "the underlying type of enum '%s' must be an integer type, "
                       "not '%s'" % (decl.name, prim.name), decl.underlying.span,
                       help="use one of u8, u16, u32, u64, i8, i16, i32, i64")
            return
        lo, hi = prim.range()
        lo, hi = max(lo, -(1 << 31)), min(hi, (1 << 31) - 1)
        values = {}
        for member in decl.members:
            if not lo <= member.value <= hi:
                self.error("E051", "value %d of '%s' does not fit in %s" % (
                    member.value, member.name, prim.name), member.value_span,
                    help="values must lie in %d..%d (and fit a C enum constant)" % (lo, hi))
                continue
            first = values.get(member.value)
            if first is not None:
                self.error("E052", "value %d of '%s' is already used by '%s'"
                           % (member.value, member.name, first.name), member.value_span,
                           notes=[(first.value_span, "first used here")],
                           help="enum values are ABI: never reuse one, even after removal")
                continue
            values[member.value] = member

    # Structs and placement of special types.

    def data_type(self, ref, where):
        """Refuse an error enum used as data (E064)."""
        t = ref.resolved
        while isinstance(t, ast.ArrayType):
            t = t.elem
        if isinstance(t, ast.EnumType) and t.decl.is_error:
            self.error("E064", "'%s' is an error enum and cannot be used as the type of %s"
                       % (t.decl.name, where), ref.span,
                       notes=[(self.error_enums[t.decl].error.span,
                               "it is an error type because of this")],
                       help="declare a separate enum for data")

    def check_struct_fields(self, decl):
        """Struct fields hold no caps, leases or opaque payloads."""
        for f in decl.fields:
            t = f.type.resolved
            if t is None:
                continue
            if isinstance(t, ast.CapType):
                self.error("E044", "capabilities can only be parameters, not struct fields",
                           f.type.span, help="pass it as a parameter of the method")
            elif isinstance(t, ast.LeaseType):
                self.error("E045", "leases can only be request parameters, not struct fields",
                           f.type.span, help="pass it as a parameter of the method")
            elif isinstance(t, ast.BytesType) and t.opaque:
                self.error("E043", "opaque payloads can only be parameters, not struct fields",
                           f.type.span,
                           help="drop 'opaque' (the field is then copied), or make it a "
                                "parameter")
            else:
                self.data_type(f.type, "field '%s'" % f.name)

    def check_recursion(self):
        """No struct contains itself; nesting stays within MAX_DEPTH."""
        structs = [d for t in self.program.files for d in t.decls if isinstance(d, ast.Struct)]
        depth = {}
        state = {}  # id -> 1 visiting, 2 done
        for root in structs:
            if id(root) in state:
                continue
            stack = [(root, iter(_contained(root)))]
            state[id(root)] = 1
            path = [root]
            while stack:
                decl, it = stack[-1]
                nxt = next(it, None)
                if nxt is None:
                    stack.pop()
                    path.pop()
                    state[id(decl)] = 2
                    depth[id(decl)] = 1 + max([depth.get(id(c), 0) + extra
                                               for c, extra, _ in _contained(decl)] or [0])
                    continue
                child, _extra, field = nxt
                if state.get(id(child)) == 1:
                    cycle = path[path.index(child):] + [child]
                    self.error("E048", "struct '%s' contains itself: %s" % (
                        child.name, " -> ".join(d.name for d in cycle)), field.type.span,
                        help="a struct is stored in line, so it cannot contain itself; "
                             "break the cycle")
                    return
                if id(child) not in state:
                    state[id(child)] = 1
                    path.append(child)
                    stack.append((child, iter(_contained(child))))
        too_deep = [d for d in structs if depth.get(id(d), 0) > MAX_DEPTH]
        inner = {id(c) for d in too_deep for c, _, _ in _contained(d)}
        for decl in too_deep:
            if id(decl) not in inner:  # report each chain once, at its outermost struct
                self.error("E006", "struct '%s' nests types %d deep; the limit is %d"
                           % (decl.name, depth[id(decl)], MAX_DEPTH), decl.name_span,
                           help="flatten the structure")

    # Services.

    def check_service(self, svc):
        """Ids, one-way rules and parameter placement."""
        self.check_ids(svc.methods, "E060", "method")
        self.check_ids(svc.events, "E068", "event")
        for m in svc.methods:
            if m.oneway and m.results is not None:
                self.error("E062", "one-way method '%s' cannot have results" % m.name,
                           m.arrow_span, help="drop '-> (...)' or drop 'oneway'")
            if m.oneway and m.error is not None:
                self.error("E062", "one-way method '%s' cannot return errors" % m.name,
                           m.error.span, help="drop 'error ...' or drop 'oneway'")
            if not m.oneway and m.results is None:
                self.error("E069", "method '%s' has no result list" % m.name, m.name_span,
                           help="write '-> ()' for a call that returns nothing, or mark it "
                                "'oneway' if the caller does not wait")
            for p in m.params:
                self.check_param(p, request=True)
            for p in m.results or []:
                self.check_param(p, request=False)
        for e in svc.events:
            for p in e.params:
                self.check_param(p, request=False, event=True)

    def check_ids(self, items, code, what):
        """Ids are in range and never reused, even after removal."""
        seen = {}
        for item in items:
            if not 1 <= item.ordinal <= layout.MAX_ORDINAL:
                self.error("E061", "%s id %d is out of range" % (what, item.ordinal),
                           item.ordinal_span,
                           help="ids run from 1 to %d (0 is reserved)" % layout.MAX_ORDINAL)
                continue
            first = seen.get(item.ordinal)
            if first is None:
                seen[item.ordinal] = item
                continue
            if overlaps(first.avail, item.avail):
                msg = "%s id %d is already used by '%s'" % (what, item.ordinal, first.name)
            else:
                msg = "%s id %d was used by '%s' (%s); ids are never reused" % (
                    what, item.ordinal, first.name, show_range(first.avail))
            self.error(code, msg, item.ordinal_span,
                       notes=[(first.ordinal_span, "first used here")],
                       help="give '%s' an unused id; ids, not order, define the ABI"
                       % item.name)

    def check_param(self, p, request, event=False):
        """Where caps, leases and opaque payloads may appear."""
        t = p.type.resolved
        if t is None:
            return
        if isinstance(t, ast.LeaseType) and not request:
            self.error("E045", "leases can only be request parameters, not %s"
                       % ("event parameters" if event else "results"), p.type.span,
                       help="the caller lends memory with the request; for results, lend a "
                            "lease<out, N> in the request")
        self.data_type(p.type, "parameter '%s'" % p.name)

    # Versions.

    def check_versions(self):
        """Every type reference is valid for the whole life of its user."""
        for tree in self.program.files:
            for elem in elements(tree):
                refs = []
                if isinstance(elem, (ast.Field, ast.Param)):
                    refs.append(elem.type)
                elif isinstance(elem, ast.Method) and elem.error is not None:
                    refs.append(elem.error)
                for ref in refs:
                    for decl in _named_decls(ref.resolved):
                        if not covers(decl.avail, elem.avail):
                            self.error("E083", "%s exists %s but its type '%s' exists only %s"
                                       % (elem.where(), show_range(elem.avail), decl.name,
                                          show_range(decl.avail)), ref.span,
                                       help="add the type first and remove it last, or "
                                            "version the %s too" % elem.kind)

    def check_at(self, v):
        """Layout-dependent limits at version v."""
        lay = layout.at(self.program, v)
        suffix = "" if len(self.points) <= 2 else " (at version %s)" % show(v)
        for tree in self.program.files:
            for decl in tree.decls:
                if not present(decl, v):
                    continue
                if isinstance(decl, ast.Struct):
                    s = lay.struct(decl)
                    if not s.fields:
                        self.error("E049", "struct '%s' has no fields%s" % (decl.name, suffix),
                                   decl.name_span, help="C has no empty structs; add a field "
                                   "or remove the struct")
                    elif s.size > layout.MAX_TYPE_BYTES:
                        self.error("E056", "struct '%s' is %d bytes; the limit is %d%s"
                                   % (decl.name, s.size, layout.MAX_TYPE_BYTES, suffix),
                                   decl.name_span)
                elif isinstance(decl, ast.Enum):
                    if not any(present(m, v) for m in decl.members):
                        self.error("E053", "enum '%s' has no members%s" % (decl.name, suffix),
                                   decl.name_span)
                elif isinstance(decl, ast.Service) and decl.policy != "kernel":
                    self.check_messages(decl, lay, v, suffix)

    def check_messages(self, svc, lay, v, suffix):
        """Size and cap/lease counts of every message of svc at version v."""
        for m in svc.methods:
            if not present(m, v):
                continue
            req, rep = lay.method(m)
            self.check_message(m, "request", req, suffix)
            if rep is not None:
                self.check_message(m, "reply", rep, suffix)
            if req.leases:
                self.check_lending(m, req, rep, suffix)
        for e in svc.events:
            if present(e, v):
                self.check_message(e, "event", lay.event(e), suffix)

    def check_lending(self, m, req, rep, suffix):
        """A method that lends memory: what the kernel's Call can carry with a lease."""
        p = req.leases[0]
        if m.oneway:
            self.error("E070", "one-way method '%s' cannot lend memory%s" % (m.name, suffix),
                       p.name_span,
                       help="the kernel lends memory only for a Call, which waits for its "
                            "reply: drop `oneway`")
            return
        for what, msg in (("request", req), ("reply", rep)):
            if msg is not None and msg.max_bytes > layout.LEASE_MESSAGE_BYTES:
                self.error("E071", "the %s of '%s' can need %d bytes; a method that lends "
                           "memory must fit its messages in %d%s"
                           % (what, m.name, msg.max_bytes, layout.LEASE_MESSAGE_BYTES, suffix),
                           m.name_span,
                           help="a Call lends one range, and the lease is it: move the large "
                                "data into the lease")

    def check_message(self, item, what, msg, suffix):
        """One message against the limits."""
        if len(msg.caps) > layout.MAX_CAPS:
            p = msg.caps[layout.MAX_CAPS]
            self.error("E065", "the %s of '%s' carries %d capabilities; the limit is %d%s"
                       % (what, item.name, len(msg.caps), layout.MAX_CAPS, suffix),
                       p.name_span, help="split the method, or pass a CNode holding them")
        if len(msg.leases) > layout.MAX_LEASES:
            p = msg.leases[layout.MAX_LEASES]
            self.error("E066", "the request of '%s' carries %d leases; the limit is %d%s"
                       % (item.name, len(msg.leases), layout.MAX_LEASES, suffix), p.name_span,
                       help="the kernel lends one range per Call: lend one range holding both")
        if msg.max_bytes > layout.MAX_MESSAGE_BYTES:
            self.error("E067", "the %s of '%s' can need %d bytes; a message holds at most %d%s"
                       % (what, item.name, msg.max_bytes, layout.MAX_MESSAGE_BYTES, suffix),
                       item.name_span,
                       help="lower the bounds, or pass large buffers as a lease<in, N> / "
                            "lease<out, N>")


def _contained(decl):
    """(struct decl, extra depth, field) for structs held by value in decl."""
    out = []
    for f in decl.fields:
        t, extra = f.type.resolved, 0
        while isinstance(t, ast.ArrayType):
            t, extra = t.elem, extra + 1
        if isinstance(t, ast.StructType):
            out.append((t.decl, extra, f))
    return out


def _named_decls(t):
    """Declarations a resolved type refers to."""
    while isinstance(t, ast.ArrayType):
        t = t.elem
    if isinstance(t, (ast.StructType, ast.EnumType)):
        return [t.decl]
    return []


def check(program, sink, points):
    """Run every check; errors go to sink."""
    Checker(program, sink, points).run()


def check_c_names(services, version, sink):
    """E025: the C names the services generate at `version` must not collide.

    The services are those of one file, generated together (their code may
    be linked together), so a clash across them is reported too. Runs after
    check() has passed, at the version being generated.
    """
    tables, reported = {}, set()
    for svc in services:
        for table, cname, what, span in names.generated_names(svc, version):
            first = tables.setdefault(table, {}).get(cname)
            if first is None or first[0] == what or first[1] is span:
                tables[table][cname] = (what, span)
            elif (id(first[1]), id(span)) not in reported:  # one error per pair
                reported.add((id(first[1]), id(span)))
                sink.error("E025", "%s and %s both become the C name '%s'"
                           % (first[0], what, cname), span,
                           notes=[(first[1], "%s is declared here" % first[0])],
                           help="rename one of them")
        for item in [m for m in svc.methods if present(m, version)]:
            _check_param_names(item, item.params + (item.results or []), version, sink)
        for item in [e for e in svc.events if present(e, version)]:
            _check_param_names(item, item.params, version, sink)


def _check_param_names(item, params, version, sink):
    """bytes and lease parameters add '<name>_len'; it must not clash with another parameter."""
    seen = {}
    for p in [p for p in params if present(p, version)]:
        for n in names.param_names(p):
            first = seen.get(n)
            if first is not None and first is not p:
                sink.error("E025", "parameters '%s' and '%s' of '%s' both become the C "
                           "name '%s'" % (first.name, p.name, item.name, n),
                           p.name_span, notes=[(first.name_span, "declared here")],
                           help="rename one of them")
            seen[n] = p


__all__ = ["check", "check_c_names", "HEAD"]
