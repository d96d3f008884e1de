"""Names: how the C backend spells what the IDL declares.

C types and declarators of every IDL type, parameter declarations per role
(client, handler, private struct), the arguments that pass them on,
prototypes wrapped like the kernel's C, comment and Markdown text, and
`generated_names()`: every C name a service produces, which check.py uses to
report collisions (E025). The kernel backend (kernel.py) spells its types,
rights and object types with the same tables.
"""

from . import ast
from .version import present

INDENT = "\t"

C_PRIM = {"u8": "uint8_t", "u16": "uint16_t", "u32": "uint32_t", "u64": "uint64_t",
          "i8": "int8_t", "i16": "int16_t", "i32": "int32_t", "i64": "int64_t",
          "bool": "bool"}

RIGHT_CONST = {"read": "SEL_RIGHT_READ", "write": "SEL_RIGHT_WRITE", "grant": "SEL_RIGHT_GRANT",
               "grant_reply": "SEL_RIGHT_GRANT_REPLY", "execute": "SEL_RIGHT_EXECUTE"}


def upper(name):
    """C macro spelling of a name."""
    return name.upper()


def comment_text(text):
    """Doc text made safe inside a C block comment."""
    return text.replace("*/", "* /").replace("/*", "/ *").replace("??", "? ?")


def comment_lines(doc):
    """Doc text as the lines of a C comment (templates/c/comment.j2 prints them)."""
    if not doc:
        return []
    return [comment_text(line).rstrip() for line in doc.split("\n")]


def base_ctype(t):
    """C type of a scalar, enum or struct (arrays: of the innermost element)."""
    while isinstance(t, ast.ArrayType):
        t = t.elem
    if isinstance(t, ast.Primitive):
        return C_PRIM[t.name]
    if isinstance(t, ast.EnumType):
        return "enum %s" % t.decl.name
    if isinstance(t, ast.StructType):
        return "struct %s" % t.decl.name
    raise AssertionError("no plain C type for %s" % t.name)


def dims(t):
    """Array suffix, e.g. '[4][2]'."""
    out = ""
    while isinstance(t, ast.ArrayType):
        out += "[%d]" % t.count
        t = t.elem
    return out


def declarator(t, name):
    """'uint32_t name', 'struct s name', 'uint8_t name[4]'."""
    return "%s %s%s" % (base_ctype(t), name, dims(t))


def is_plain(t):
    """Scalars and enums: passed by value in, by pointer out."""
    return isinstance(t, (ast.Primitive, ast.EnumType))


def rights_expr(rights):
    """C expression of a rights mask."""
    return " | ".join(RIGHT_CONST[r] for r in rights) if rights else "0"


def access_expr(access):
    """C expression of a lease access mask."""
    names = [n for bit, n in ((1, "SEL_IDL_LEASE_READ"), (2, "SEL_IDL_LEASE_WRITE"))
             if access & bit]
    return " | ".join(names)


def proto(head, params, width=100):
    """A function head 'ret name' with its parameters, wrapped like the kernel's C.

    Continuation lines are indented by one tab (8 columns), and every line
    stays within `width` columns where a parameter allows it.
    """
    params = params or ["void"]
    one = "%s(%s)" % (head, ", ".join(params))
    if len(one) + 1 <= width:
        return one
    lines, line = [], head + "("
    for i, p in enumerate(params):
        piece = p + (", " if i + 1 < len(params) else ")")
        limit = width - (8 if lines else 0) - 1
        if len(line) + len(piece.rstrip()) > limit and line.strip() and not line.endswith("("):
            lines.append(line.rstrip())
            line = ""
        line += piece
    lines.append(line)
    return ("\n" + INDENT).join(lines)


def object_expr(obj):
    """C expression of a required object type."""
    return "SEL_OBJ_%s" % obj.upper() if obj else "SEL_IDL_ANY_OBJECT"


# Parameters as C declarations, per role.

def param_decls(p, role):
    """C parameter declarations for one IDL parameter.

    Roles: "in" (client arguments, event emit), "out" (client and handler
    results), "handler_in" (handler and event callback arguments).
    """
    t, n = p.type.resolved, p.name
    if role == "out":
        if is_plain(t) or isinstance(t, ast.StructType):
            return ["%s *%s" % (base_ctype(t), n)]
        if isinstance(t, ast.ArrayType):
            return [declarator(t, n)]
        if isinstance(t, ast.BytesType):
            return ["uint8_t %s[%d]" % (n, t.bound), "size_t *%s_len" % n]
        if isinstance(t, ast.StringType):
            return ["char %s[%d + 1]" % (n, t.bound)]
        if isinstance(t, ast.CapType):
            return ["struct sel_idl_cap *%s" % n]
        raise AssertionError(t.name)
    if is_plain(t):
        return [declarator(t, n)]
    if isinstance(t, ast.StructType):
        return ["const struct %s *%s" % (t.decl.name, n)]
    if isinstance(t, ast.ArrayType):
        return ["const " + declarator(t, n)]
    if isinstance(t, ast.BytesType):
        return ["const uint8_t *%s" % n, "size_t %s_len" % n]
    if isinstance(t, ast.StringType):
        return ["const char *%s" % n]
    if isinstance(t, ast.CapType):
        return ["struct sel_idl_cap %s" % n]
    if isinstance(t, ast.LeaseType):
        if role == "handler_in":
            return ["const struct sel_idl_lease *%s" % n]
        const = "const " if t.direction == "in" else ""
        return ["%svoid *%s" % (const, n), "size_t %s_len" % n]
    raise AssertionError(t.name)


def member_decls(p, holder):
    """Members of the private in/out/event struct for one parameter."""
    t, n = p.type.resolved, p.name
    if is_plain(t) or isinstance(t, (ast.StructType, ast.ArrayType)):
        return [declarator(t, n)]
    if isinstance(t, ast.BytesType):
        if t.opaque and holder != "out_copy":
            const = "" if holder == "out" else "const "
            return ["%suint8_t *%s" % (const, n), "size_t %s_len" % n]
        return ["uint8_t %s[%d]" % (n, t.bound), "size_t %s_len" % n]
    if isinstance(t, ast.StringType):
        return ["char %s[%d + 1]" % (n, t.bound)]
    if isinstance(t, ast.CapType):
        return ["struct sel_idl_cap %s" % n]
    if isinstance(t, ast.LeaseType):
        return ["struct sel_idl_lease %s" % n]
    raise AssertionError(t.name)


def handler_args(p, holder, is_out):
    """Arguments passing a private struct member to a handler."""
    t, x = p.type.resolved, "%s.%s" % (holder, p.name)
    if is_out:
        if is_plain(t) or isinstance(t, (ast.StructType, ast.CapType)):
            return ["&" + x]
        if isinstance(t, ast.ArrayType) or isinstance(t, ast.StringType):
            return [x]
        if isinstance(t, ast.BytesType):
            return [x, "&%s_len" % x]
        raise AssertionError(t.name)
    if is_plain(t) or isinstance(t, ast.CapType):
        return [x]
    if isinstance(t, (ast.StructType, ast.LeaseType)):
        return ["&" + x]
    if isinstance(t, (ast.ArrayType, ast.StringType)):
        return [x]
    if isinstance(t, ast.BytesType):
        return [x, x + "_len"]
    raise AssertionError(t.name)


def call_args(p):
    """Names passing a client parameter on unchanged (blocking -> async)."""
    t = p.type.resolved
    if isinstance(t, (ast.BytesType, ast.LeaseType)):
        return [p.name, p.name + "_len"]
    return [p.name]


def out_call_args(p):
    """Names passing a client out parameter on (blocking -> finish)."""
    t = p.type.resolved
    if isinstance(t, ast.BytesType):
        return [p.name, p.name + "_len"]
    return [p.name]


def join_params(decls):
    """Parameter list text; 'void' when empty."""
    return ", ".join(decls) if decls else "void"


def type_text(t):
    """A resolved type as written in IDL (for documentation)."""
    if isinstance(t, ast.Primitive):
        return t.name
    if isinstance(t, (ast.EnumType, ast.StructType)):
        return t.decl.name
    if isinstance(t, ast.BytesType):
        return ("opaque " if t.opaque else "") + "bytes<%d>" % t.bound
    if isinstance(t, ast.StringType):
        return "string<%d>" % t.bound
    if isinstance(t, ast.ArrayType):
        return "array<%s, %d>" % (type_text(t.elem), t.count)
    if isinstance(t, ast.CapType):
        items = ([t.object] if t.object else []) + list(t.rights)
        return "cap<%s>" % ", ".join(items) if items else "cap"
    if isinstance(t, ast.LeaseType):
        return "lease<%s, %d>" % (t.direction, t.bound)
    return "?"


def md_cell(text):
    """Doc text folded into one Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")




def _decl_refs(types):
    """Struct and enum declarations named by a list of resolved types."""
    out = []
    for t in types:
        while isinstance(t, ast.ArrayType):
            t = t.elem
        if isinstance(t, (ast.StructType, ast.EnumType)):
            out.append(t.decl)
    return out


def header_decls(svc, version):
    """Declarations the types header of svc defines at version, dependencies first."""
    def at(items):
        return [x for x in items if present(x, version)]

    roots = [d for d in svc.file.decls if not isinstance(d, ast.Service)]
    for m in at(svc.methods):
        roots.extend(_decl_refs([p.type.resolved for p in m.params + (m.results or [])]))
        if m.error is not None and m.error.resolved is not None:
            roots.append(m.error.resolved.decl)
    for e in at(svc.events):
        roots.extend(_decl_refs([p.type.resolved for p in e.params]))
    order, seen = [], set()

    def visit(decl, depth):
        if id(decl) in seen or not present(decl, version):
            return
        seen.add(id(decl))
        if isinstance(decl, ast.Struct) and depth < 64:
            for f in at(decl.fields):
                for d in _decl_refs([f.type.resolved]):
                    visit(d, depth + 1)
        order.append(decl)

    for decl in roots:
        visit(decl, 0)
    return order


def generated_names(svc, version):
    """Every C name the service generates at version: (namespace, name, what, span).

    Namespaces: "ordinary" (functions), "macros", "tags" (struct and enum
    tags), and one per struct for its members ("field:<struct>").
    """
    def at(items):
        return [x for x in items if present(x, version)]

    out = []
    big = upper(svc.name)
    for decl in header_decls(svc, version):
        out.append(("tags", decl.name, "%s '%s'" % (decl.kind, decl.name), decl.name_span))
        if isinstance(decl, ast.Enum):
            out.append(("ordinary", decl.name + "_is_valid", "enum '%s'" % decl.name,
                        decl.name_span))
            for mem in at(decl.members):
                out.append(("macros", "%s_%s" % (upper(decl.name), upper(mem.name)),
                            "enum member '%s.%s'" % (decl.name, mem.name), mem.name_span))
            continue
        for f in at(decl.fields):
            for n in [f.name] + ([f.name + "_len"] if isinstance(f.type.resolved,
                                                                 ast.BytesType) else []):
                out.append(("field:" + decl.name, n, "field '%s.%s'" % (decl.name, f.name),
                            f.name_span))
    for m in at(svc.methods):
        what, base, span = "method '%s'" % m.name, "%s_%s" % (svc.name, m.name), m.name_span
        for suffix in ("", "_async", "_finish", "_encode_request", "_decode_reply",
                       "_decode_request", "_encode_reply"):
            out.append(("ordinary", base + suffix, what, span))
        out.append(("ordinary", "%s_impl_%s" % (svc.name, m.name), what, span))
        out.append(("tags", base + "_in", what, span))
        out.append(("tags", base + "_out", what, span))
        out.append(("ordinary", "%s_serve_%s" % (svc.name, m.name), what, span))
        out.append(("macros", "%s_METHOD_%s" % (big, upper(m.name)), what, span))
    for e in at(svc.events):
        what, base, span = "event '%s'" % e.name, "%s_%s" % (svc.name, e.name), e.name_span
        for cname in ("%s_emit_%s" % (svc.name, e.name), base + "_encode_event",
                      base + "_decode_event"):
            out.append(("ordinary", cname, what, span))
        out.append(("macros", "%s_EVENT_%s" % (big, upper(e.name)), what, span))
        out.append(("tags", base + "_event", what, span))
        out.append(("ordinary", base + "_deliver", what, span))
    what, span = "service '%s'" % svc.name, svc.name_span
    for cname in ("%s_dispatch" % svc.name, "%s_event_dispatch" % svc.name,
                  "%s_impl_unknown_method" % svc.name):
        out.append(("ordinary", cname, what, span))
    out.append(("tags", "%s_events" % svc.name, what, span))
    out.append(("macros", "IDLC_%s_TYPES_H" % big, what, span))
    for macro in ("MAX_REQUEST_BYTES", "MAX_REPLY_BYTES", "MAX_EVENT_BYTES", "IDL_VERSION"):
        out.append(("macros", "%s_%s" % (big, macro), what, span))
    return out


def param_names(p):
    """The C names a parameter becomes: its own, and '<name>_len' for bytes and leases."""
    if isinstance(p.type.resolved, (ast.BytesType, ast.LeaseType)):
        return [p.name, p.name + "_len"]
    return [p.name]
