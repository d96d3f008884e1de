"""View: prepares everything the C and Markdown templates print.

The templates only print; this module decides every C name, prototype and
statement. Encoders and decoders are printed from the codec programs of
`layout.py` (which alone knows offsets), through `Codec`, for the five
places a message is built or taken apart:

    client request encoder   from the call's arguments      (root "args")
    server request decoder   into a private struct idl_in   (root "in")
    server reply encoder     from a private struct idl_out  (root "out")
    client reply decoder     into the caller's out pointers (root "outptr")
    event encoder / decoder  arguments / struct idl_ev      ("args" / "ev")

Generated C names that would collide (E025) are reported here, the one check
that needs the C naming scheme.
"""

from . import ast, layout
from .version import HEAD, present, show

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


def c_comment(doc, indent=""):
    """A doc comment as C comment lines (empty list if no doc)."""
    if not doc:
        return []
    lines = [comment_text(line).rstrip() for line in doc.split("\n")]
    if len(lines) == 1:
        return ["%s/* %s */" % (indent, lines[0])]
    return ["%s/*" % indent] + ["%s *%s" % (indent, (" " + l) if l else "") for l in lines] + [
        "%s */" % indent]


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


def offset_expr(off):
    """C expression of a layout.Offset (relative to the fixed part)."""
    parts = [str(off.const)] if off.const or not off.terms else []
    parts += ["%d * idl_%s" % (stride, var) if stride != 1 else "idl_" + var
              for stride, var in off.terms]
    return " + ".join(parts)


class Codec:
    """Prints codec programs as C statements for one root style."""

    def __init__(self, root, params):
        self.root = root
        self.types = {p.name: p.type.resolved for p in params}
        self.uses = set()

    # Expressions.

    def expr(self, path):
        """C lvalue/rvalue for a path."""
        _, name = path[0]
        rest = path[1:]
        t = self.types[name]
        if self.root in ("in", "out", "ev"):
            text = "idl_%s->%s" % (self.root, name)
        elif self.root == "args":
            text = name
            if isinstance(t, ast.StructType) and rest:
                text, rest = "%s->%s" % (name, rest[0][1]), rest[1:]
        else:  # outptr
            if isinstance(t, ast.StructType) and rest:
                text, rest = "%s->%s" % (name, rest[0][1]), rest[1:]
            elif isinstance(t, ast.ArrayType) or isinstance(t, (ast.BytesType, ast.StringType)):
                text = name
            else:
                text = "(*%s)" % name
        for kind, step in rest:
            text += ".%s" % step if kind == "field" else "[idl_%s]" % step
        return text

    def len_expr(self, path):
        """C expression of the length companion of a bytes value."""
        if len(path) == 1:
            name = path[0][1]
            if self.root in ("in", "out", "ev"):
                return "idl_%s->%s_len" % (self.root, name)
            if self.root == "args":
                return "%s_len" % name
            return "(*%s_len)" % name
        last = path[-1]
        return self.expr(path[:-1] + (("field", last[1] + "_len"),))

    @staticmethod
    def addr(expr):
        """Address of an lvalue expression."""
        if expr.startswith("(*") and expr.endswith(")"):
            return expr[2:-1]
        return "&" + expr

    # Statements.

    def encode(self, program, indent=1):
        """Encoder statements for a program."""
        out = []
        pad = INDENT * indent
        for op in program:
            if op.op == "loop":
                out.append("%sfor (size_t idl_%s = 0; idl_%s < %d; idl_%s++) {"
                           % (pad, op.var, op.var, op.count, op.var))
                out.extend(self.encode(op.body, indent + 1))
                out.append(pad + "}")
            elif op.op == "scalar":
                out.extend(pad + s for s in self.encode_scalar(op))
            elif op.op == "var":
                out.extend(pad + s for s in self.encode_var(op))
            elif op.op == "jump":
                self.uses.add("cur")
                out.append("%sidl_cur = %d;" % (pad, op.pos))
            elif op.op == "cap":
                out.append("%sidl_m->caps[%d] = %s;" % (pad, op.index, self.expr(op.path)))
            elif op.op == "lease":
                name = op.path[0][1]
                out.extend(pad + s for s in _fallible(
                    "sel_idl_put_lease(idl_m, %d, %s, %s_len, %du, %s)"
                    % (op.index, name, name, op.bound, access_expr(op.access))))
        return out

    def encode_scalar(self, op):
        """Statements writing one scalar."""
        x = self.expr(op.path)
        off = offset_expr(op.off)
        if isinstance(op.type, ast.Primitive) and op.type.is_bool:
            return ["sel_idl_put_u8(idl_m, %s, %s ? 1u : 0u);" % (off, x)]
        utype = "uint%d_t" % op.bits
        if isinstance(op.type, ast.EnumType):
            decl = op.type.decl
            cast = "(%s)(int%d_t)" % (utype, op.bits) if op.signed else "(%s)" % utype
            return ["if (!%s_is_valid((int64_t)%s))" % (decl.name, x),
                    INDENT + "return SEL_ERR_INVALID_ARG;",
                    "sel_idl_put_u%d(idl_m, %s, %s%s);" % (op.bits, off, cast, x)]
        return ["sel_idl_put_u%d(idl_m, %s, (%s)%s);" % (op.bits, off, utype, x)]

    def encode_var(self, op):
        """Statements writing one payload."""
        x = self.expr(op.path)
        off = offset_expr(op.off)
        if op.reserved_pos is not None and self.root == "out":
            self.uses.add("cur")
            return _fallible("sel_idl_put_reserved(idl_m, %s, %d, %s, %du, &idl_cur)"
                             % (off, op.reserved_pos, self.len_expr(op.path), op.bound))
        self.uses.add("cur")
        if op.string:
            return _fallible("sel_idl_put_string(idl_m, %s, &idl_cur, %s, %du)"
                             % (off, x, op.bound))
        return _fallible("sel_idl_put_bytes(idl_m, %s, &idl_cur, %s, %s, %du)"
                         % (off, x, self.len_expr(op.path), op.bound))

    def decode(self, program, indent=1):
        """Decoder statements for a program."""
        out = []
        pad = INDENT * indent
        for op in program:
            if op.op == "loop":
                out.append("%sfor (size_t idl_%s = 0; idl_%s < %d; idl_%s++) {"
                           % (pad, op.var, op.var, op.count, op.var))
                out.extend(self.decode(op.body, indent + 1))
                out.append(pad + "}")
            elif op.op == "scalar":
                out.extend(pad + s for s in self.decode_scalar(op))
            elif op.op == "var":
                out.extend(pad + s for s in self.decode_var(op))
            elif op.op == "cap":
                out.extend(pad + s for s in _fallible(
                    "sel_idl_get_cap(idl_m, %d, %s, %s, %s)"
                    % (op.index, rights_expr(op.rights), object_expr(op.object),
                       self.addr(self.expr(op.path)))))
            elif op.op == "lease":
                out.extend(pad + s for s in _fallible(
                    "sel_idl_get_lease(idl_m, %d, %du, %s, %s)"
                    % (op.index, op.bound, access_expr(op.access),
                       self.addr(self.expr(op.path)))))
        return out

    def decode_scalar(self, op):
        """Statements reading one scalar from the private fixed copy."""
        x = self.expr(op.path)
        off = offset_expr(op.off)
        get = "sel_idl_get_u%d(idl_fixed, %s)" % (op.bits, off)
        if isinstance(op.type, ast.Primitive) and op.type.is_bool:
            return _fallible("sel_idl_get_bool(idl_fixed, %s, %s)" % (off, self.addr(x)))
        if isinstance(op.type, ast.EnumType):
            self.uses.add("v")
            stype = ("int%d_t" % op.bits) if op.signed else None
            value = "(int64_t)(%s)%s" % (stype, get) if stype else "(int64_t)%s" % get
            return ["idl_v = %s;" % value,
                    "if (!%s_is_valid(idl_v))" % op.type.decl.name,
                    INDENT + "return SEL_ERR_PROTOCOL;",
                    "%s = (enum %s)idl_v;" % (x, op.type.decl.name)]
        if op.signed:
            return ["%s = (int%d_t)%s;" % (x, op.bits, get)]
        return ["%s = %s;" % (x, get)]

    def decode_var(self, op):
        """Statements taking one payload (copied, or by pointer if opaque)."""
        x = self.expr(op.path)
        off = offset_expr(op.off)
        self.uses.update(("cur", "len"))
        if op.string:
            return _fallible("sel_idl_get_string(idl_m, idl_fixed, %s, &idl_cur, idl_len, %du, "
                             "%s)" % (off, op.bound, x))
        self.uses.add("n")
        length = self.len_expr(op.path)
        cast = "(uint32_t)" if len(op.path) > 1 else ""
        if op.opaque and self.root in ("in", "ev"):
            call = ("sel_idl_get_opaque(idl_m, idl_fixed, %s, &idl_cur, idl_len, %du, &%s, "
                    "&idl_n)" % (off, op.bound, x))
        else:
            call = ("sel_idl_get_bytes(idl_m, idl_fixed, %s, &idl_cur, idl_len, %du, %s, &idl_n)"
                    % (off, op.bound, x))
        return _fallible(call) + ["%s = %sidl_n;" % (length, cast)]


def _fallible(call):
    """A runtime call whose error is returned at once."""
    return ["if ((idl_rc = %s) != SEL_OK)" % call, INDENT + "return idl_rc;"]


def join_params(decls):
    """Parameter list text; 'void' when empty."""
    return ", ".join(decls) if decls else "void"


class ServiceView:
    """Builds the template view of one service at one version."""

    def __init__(self, svc, program, version, source_name, sink, names=None):
        self.svc = svc
        # C names claimed so far, shared by the services of one file (their
        # code may be linked together): {namespace: {name: (what, span)}}.
        self.names = names if names is not None else {}
        self.program = program
        self.version = version
        self.source_name = source_name
        self.sink = sink
        self.lay = layout.Layouter(version)
        self.upper = upper(svc.name)

    def present(self, items):
        """Items present at the selected version."""
        return [x for x in items if present(x, self.version)]

    # Types.

    def used_types(self):
        """Declarations the types header defines, dependencies first."""
        roots = [d for d in self.svc.file.decls if not isinstance(d, ast.Service)]
        for m in self.present(self.svc.methods):
            roots.extend(_decl_refs([p.type.resolved for p in m.params + (m.results or [])]))
            if m.error is not None and m.error.resolved is not None:
                roots.append(m.error.resolved.decl)
        for e in self.present(self.svc.events):
            roots.extend(_decl_refs([p.type.resolved for p in e.params]))
        order, seen = [], set()

        def visit(decl, depth):
            if id(decl) in seen or not present(decl, self.version):
                return
            seen.add(id(decl))
            if isinstance(decl, ast.Struct) and depth < 64:
                for f in self.present(decl.fields):
                    for d in _decl_refs([f.type.resolved]):
                        visit(d, depth + 1)
            order.append(decl)

        for decl in roots:
            visit(decl, 0)
        return order

    def enum_view(self, decl):
        """View of an enum declaration."""
        prim = decl.underlying.resolved
        members = []
        for m in self.present(decl.members):
            value = ("SEL_IDL_APP_ERROR_BASE + %d" % m.value) if decl.is_error else str(m.value)
            members.append({"doc": c_comment(m.doc, INDENT),
                            "line": "%s_%s = %s," % (upper(decl.name), upper(m.name), value),
                            "value": m.value, "name": m.name, "doc_text": m.doc or ""})
        return {"kind": "enum", "name": decl.name, "guard": "IDLC_TYPE_" + upper(decl.name),
                "doc": c_comment(decl.doc), "members": members, "wire": prim.name,
                "is_error": decl.is_error, "doc_text": decl.doc or "",
                "wire_values": [m["value"] for m in members]}

    def struct_view(self, decl):
        """View of a struct declaration."""
        s = self.lay.struct(decl)
        fields = []
        for f, off in s.fields:
            t = f.type.resolved
            decls = member_decls(f, "out_copy")
            if isinstance(t, ast.BytesType):
                decls = ["uint8_t %s[%d]" % (f.name, t.bound), "uint32_t %s_len" % f.name]
            fields.append({"doc": c_comment(f.doc, INDENT), "decls": decls, "name": f.name,
                           "type": type_text(t), "offset": off, "doc_text": f.doc or ""})
        return {"kind": "struct", "name": decl.name, "guard": "IDLC_TYPE_" + upper(decl.name),
                "doc": c_comment(decl.doc), "fields": fields, "size": s.size, "align": s.align,
                "doc_text": decl.doc or ""}

    # Methods and events.

    def method_view(self, m):
        """View of one method: prototypes and codec bodies for both sides."""
        name = "%s_%s" % (self.svc.name, m.name)
        params = self.present(m.params)
        results = self.present(m.results or [])
        kind = layout.KIND_ONEWAY if m.oneway else layout.KIND_REQUEST
        req = self.lay.message(m.params, kind)
        rep = self.lay.message(m.results or [], layout.KIND_REPLY) if not m.oneway else None
        conn = ["struct sel_idl_conn *conn"]
        in_decls = [d for p in params for d in param_decls(p, "in")]
        out_decls = [d for p in results for d in param_decls(p, "out")]
        handler_in = [d for p in params for d in param_decls(p, "handler_in")]
        error_enum = m.error.resolved.decl if m.error is not None else None
        async_args = ", ".join(["conn"] + [a for p in params for a in call_args(p)])
        finish_args = ", ".join([a for p in results for a in out_call_args(p)])
        view = {
            "name": m.name, "cname": name, "ordinal": m.ordinal, "oneway": m.oneway,
            "oneway_c": "true" if m.oneway else "false",
            "macro": "%s_METHOD_%s" % (self.upper, upper(m.name)),
            "doc": c_comment(m.doc), "doc_text": m.doc or "", "avail": m.avail,
            "call_params": join_params(conn + in_decls + out_decls),
            "call_proto": proto("int " + name, conn + in_decls + out_decls),
            "async_proto": proto("struct sel_idl_future *%s_async" % name, conn + in_decls),
            "finish_proto": proto("int %s_finish" % name,
                                  ["struct sel_idl_future *future"] + out_decls),
            "impl_proto": proto("int %s_impl_%s" % (self.svc.name, m.name),
                                ["void *ctx", "uint64_t badge"] + handler_in + out_decls),
            "encode_proto": proto("static int %s_encode_request" % name,
                                  ["struct sel_idl_msg *idl_m"] + in_decls),
            "encode_args": ", ".join(["idl_m"] + [a for p in params for a in call_args(p)]),
            "blocking_call": "%s_finish(%s_async(%s)%s)" % (
                name, name, async_args, (", " + finish_args) if finish_args else ""),
            "error_enum": error_enum.name if error_enum else None,
            "valid_error": ("%s_is_valid" % error_enum.name) if error_enum else "NULL",
            "params": [self.param_doc(p) for p in params],
            "results": [self.param_doc(p) for p in results],
            "request_bytes": req.max_bytes,
            "reply_bytes": rep.max_bytes if rep else 0,
            "request": self.encoder(req, params, "args"),
            "in_members": [d for p in params for d in member_decls(p, "in")],
            "shape": "%s, %d, %d, %d" % ("SEL_IDL_KIND_ONEWAY" if m.oneway else
                                         "SEL_IDL_KIND_REQUEST", req.fixed_bytes,
                                         len(req.caps), len(req.leases)),
            "handler_args": ", ".join(
                ["ctx", "badge"] + [a for p in params for a in handler_args(p, "idl_in", False)]
                + [a for p in results for a in handler_args(p, "idl_out", True)]),
            "out_members": [], "reserved": [], "client_decoder": None,
        }
        dec = self.decoder("static int %s_decode_request" % name, req, params, "in",
                           "struct %s_in" % name)
        view["request_decoder"] = dec
        if dec is not None:
            view["decode_request_call"] = "%s_decode_request(idl_req%s, &idl_in)" % (
                name, ", idl_h->len" if dec["uses_len"] else "")
        if rep is None:
            return view
        view["out_members"] = [d for p in results for d in member_decls(p, "out")]
        view["reply"] = self.encoder(rep, results, "out")
        view["reply_encode_proto"] = proto(
            "static int %s_encode_reply" % name, ["struct sel_idl_msg *idl_m"] + (
                ["const struct %s_out *idl_out" % name] if view["out_members"] else []))
        view["encode_reply_call"] = "%s_encode_reply(idl_rep%s)" % (
            name, ", &idl_out" if view["out_members"] else "")
        dec = self.decoder("static int %s_decode_reply" % name, rep, results, "outptr", None,
                           out_decls)
        view["client_decoder"] = dec
        if dec is not None:
            view["decode_reply_call"] = "%s_decode_reply(&future->reply%s%s)" % (
                name, ", idl_h.len" if dec["uses_len"] else "",
                (", " + finish_args) if finish_args else "")
        view["reply_shape"] = "SEL_IDL_KIND_REPLY, %d, %d, 0" % (rep.fixed_bytes, len(rep.caps))
        view["reserved"] = [{"name": p.name, "pos": pos, "bound": p.type.resolved.bound}
                            for p, pos in rep.reserved]
        return view

    def event_view(self, e):
        """View of one event."""
        name = "%s_%s" % (self.svc.name, e.name)
        params = self.present(e.params)
        msg = self.lay.message(e.params, layout.KIND_EVENT)
        in_decls = [d for p in params for d in param_decls(p, "in")]
        handler_in = [d for p in params for d in param_decls(p, "handler_in")]
        view = {
            "name": e.name, "cname": name, "ordinal": e.ordinal,
            "macro": "%s_EVENT_%s" % (self.upper, upper(e.name)),
            "doc": c_comment(e.doc, INDENT), "doc_text": e.doc or "", "avail": e.avail,
            "emit_proto": proto("int %s_emit_%s" % (self.svc.name, e.name),
                                ["struct sel_idl_event_sink *sink"] + in_decls),
            "encode_proto": proto("static int %s_encode_event" % name,
                                  ["struct sel_idl_msg *idl_m"] + in_decls),
            "encode_args": ", ".join(["idl_m"] + [a for p in params for a in call_args(p)]),
            "callback_member": proto("void (*%s)" % e.name, ["void *ctx"] + handler_in,
                                     width=92).replace("\n" + INDENT, "\n" + INDENT * 2),
            "callback_args": ", ".join(["ctx"] + [a for p in params
                                                  for a in handler_args(p, "idl_ev", False)]),
            "encoder": self.encoder(msg, params, "args"),
            "decoder": self.decoder("static int %s_decode_event" % name, msg, params, "ev",
                                    "struct %s_event" % name),
            "members": [d for p in params for d in member_decls(p, "in")],
            "shape": "SEL_IDL_KIND_EVENT, %d, %d, 0" % (msg.fixed_bytes, len(msg.caps)),
            "params": [self.param_doc(p) for p in params],
            "bytes": msg.max_bytes,
        }
        dec = view["decoder"]
        if dec is not None:
            view["decode_call"] = "%s_decode_event(idl_msg%s, &idl_ev)" % (
                name, ", idl_h->len" if dec["uses_len"] else "")
        return view

    def param_doc(self, p):
        """A parameter as documented in Markdown."""
        return {"name": p.name, "type": type_text(p.type.resolved), "doc_text": p.doc or "",
                "avail": p.avail}

    def encoder(self, msg, params, root):
        """Body lines of an encoder function."""
        codec = Codec(root, params)
        body = codec.encode(msg.program)
        cursor = "idl_cur" if "cur" in codec.uses else str(msg.var_start)
        lines = []
        if "cur" in codec.uses:
            lines.append(INDENT + "size_t idl_cur = %d;" % msg.var_start)
        lines.append(INDENT + "int idl_rc;")
        lines.append("")
        lines.extend(INDENT + s for s in _fallible("sel_idl_encode_begin(idl_m, %d)"
                                                   % msg.fixed_bytes))
        lines.extend(body)
        lines.append(INDENT + "return sel_idl_encode_end(idl_m, %s, %d, %d);"
                     % (cursor, len(msg.caps), len(msg.leases)))
        return {"body": lines}

    def decoder(self, head, msg, params, root, holder, out_decls=None):
        """Prototype and body of a decoder (None if there is nothing to decode)."""
        if not msg.program:
            return None
        codec = Codec(root, params)
        body = codec.decode(msg.program)
        lines = []
        if msg.fixed_bytes:
            lines.append(INDENT + "uint64_t idl_fixed[%d];" % (msg.fixed_bytes // 8))
        if "cur" in codec.uses:
            lines.append(INDENT + "size_t idl_cur = %d;" % msg.var_start)
        if "n" in codec.uses:
            lines.append(INDENT + "size_t idl_n;")
        if "v" in codec.uses:
            lines.append(INDENT + "int64_t idl_v;")
        if any(s.strip().startswith("if ((idl_rc") for s in body):
            lines.append(INDENT + "int idl_rc;")
        lines.append("")
        if msg.fixed_bytes:
            lines.append(INDENT + "sel_idl_copy_in(idl_fixed, idl_m, SEL_IDL_HEADER_BYTES, %d);"
                         % msg.fixed_bytes)
        lines.extend(body)
        lines.append(INDENT + "return SEL_OK;")
        params_c = ["const struct sel_idl_msg *idl_m"]
        if "len" in codec.uses:
            params_c.append("size_t idl_len")
        if holder is not None:
            params_c.append("%s *idl_%s" % (holder, root))
        else:
            params_c.extend(out_decls or [])
        return {"body": lines, "proto": proto(head, params_c), "uses_len": "len" in codec.uses}

    # The whole service.

    def build(self):
        """The complete view dict."""
        svc = self.svc
        types = []
        for decl in self.used_types():
            types.append(self.enum_view(decl) if isinstance(decl, ast.Enum)
                         else self.struct_view(decl))
        methods = [self.method_view(m) for m in sorted(self.present(svc.methods),
                                                       key=lambda m: m.ordinal)]
        events = [self.event_view(e) for e in sorted(self.present(svc.events),
                                                     key=lambda e: e.ordinal)]
        base = svc.name
        version = "HEAD" if self.version >= HEAD else str(self.version)
        view = {
            "source": self.source_name,
            "c_header": "/* Generated by idlc from %s. Edit the .idl, not this file. */"
                        % comment_text(self.source_name),
            "md_header": "<!-- Generated by idlc from %s. Edit the .idl, not this file. -->"
                         % self.source_name.replace("--", "- -"),
            "name": base, "upper": self.upper, "doc": c_comment(svc.doc),
            "doc_text": svc.doc or "", "policy": svc.policy,
            "strict": svc.policy == "strict",
            "version": version,
            "version_value": "0xffffffffu" if self.version >= HEAD else "%du" % self.version,
            "types_h": "%s_types.h" % base, "client_h": "%s_client.h" % base,
            "server_h": "%s_server.h" % base,
            "guard": "IDLC_%s" % self.upper,
            "types": types, "methods": methods, "events": events,
            "max_request": max([m["request_bytes"] for m in methods] + [layout.HEADER_BYTES]),
            "max_reply": max([m["reply_bytes"] for m in methods] + [layout.HEADER_BYTES]),
            "max_event": max([e["bytes"] for e in events] + [layout.HEADER_BYTES]),
            "max_message": layout.MAX_MESSAGE_BYTES,
            "wire_version": layout.WIRE_VERSION,
            "unknown_hook": "%s_impl_unknown_method" % base,
        }
        self.check_names(view)
        add_markdown(view)
        return view

    def check_names(self, view):
        """E025: generated C names of this service must not collide."""
        svc = self.svc
        ordinary = self.names.setdefault("ordinary", {})
        macros = self.names.setdefault("macros", {})
        tags = self.names.setdefault("tags", {})

        reported = self.names.setdefault("reported", set())

        def claim(table, cname, what, span):
            first = table.get(cname)
            if first is not None and first[0] != what and first[1] is not span:
                pair = (id(first[1]), id(span))
                if pair in reported:  # one error per pair of clashing elements
                    return
                reported.add(pair)
                self.sink.error("E025", "%s and %s both become the C name '%s'"
                                % (first[0], what, cname), span,
                                notes=[(first[1], "%s is declared here" % first[0])],
                                help="rename one of them")
                return
            table[cname] = (what, span)

        for decl in self.used_types():
            claim(tags, decl.name, "%s '%s'" % (decl.kind, decl.name), decl.name_span)
            if isinstance(decl, ast.Enum):
                claim(ordinary, decl.name + "_is_valid", "enum '%s'" % decl.name,
                      decl.name_span)
                for mem in self.present(decl.members):
                    claim(macros, "%s_%s" % (upper(decl.name), upper(mem.name)),
                          "enum member '%s.%s'" % (decl.name, mem.name), mem.name_span)
            else:
                seen = {}
                for f in self.present(decl.fields):
                    names = [f.name]
                    if isinstance(f.type.resolved, ast.BytesType):
                        names.append(f.name + "_len")
                    for n in names:
                        claim(seen, n, "field '%s.%s'" % (decl.name, f.name), f.name_span)
        for m in self.present(svc.methods):
            what = "method '%s'" % m.name
            base = "%s_%s" % (svc.name, m.name)
            for suffix in ("", "_async", "_finish", "_encode_request", "_decode_reply",
                           "_decode_request", "_encode_reply"):
                claim(ordinary, base + suffix, what, m.name_span)
            claim(ordinary, "%s_impl_%s" % (svc.name, m.name), what, m.name_span)
            claim(tags, base + "_in", what, m.name_span)
            claim(tags, base + "_out", what, m.name_span)
            claim(ordinary, "%s_serve_%s" % (svc.name, m.name), what, m.name_span)
            claim(macros, "%s_METHOD_%s" % (self.upper, upper(m.name)), what, m.name_span)
            self.check_param_names(m, m.params + (m.results or []))
        for e in self.present(svc.events):
            what = "event '%s'" % e.name
            base = "%s_%s" % (svc.name, e.name)
            for cname in ("%s_emit_%s" % (svc.name, e.name), base + "_encode_event",
                          base + "_decode_event"):
                claim(ordinary, cname, what, e.name_span)
            claim(macros, "%s_EVENT_%s" % (self.upper, upper(e.name)), what, e.name_span)
            claim(tags, base + "_event", what, e.name_span)
            claim(ordinary, base + "_deliver", what, e.name_span)
            self.check_param_names(e, e.params)
        what = "service '%s'" % svc.name
        for cname in ("%s_dispatch" % svc.name, "%s_event_dispatch" % svc.name,
                      "%s_impl_unknown_method" % svc.name):
            claim(ordinary, cname, what, svc.name_span)
        claim(tags, "%s_events" % svc.name, what, svc.name_span)
        claim(macros, "IDLC_%s_TYPES_H" % self.upper, what, svc.name_span)
        for macro in ("MAX_REQUEST_BYTES", "MAX_REPLY_BYTES", "MAX_EVENT_BYTES",
                      "IDL_VERSION"):
            claim(macros, "%s_%s" % (self.upper, macro), what, svc.name_span)

    def check_param_names(self, item, params):
        """bytes parameters add '<name>_len'; it must not clash with another parameter."""
        names = {}
        for p in self.present(params):
            generated = [p.name]
            if isinstance(p.type.resolved, (ast.BytesType, ast.LeaseType)):
                generated.append(p.name + "_len")
            for n in generated:
                first = names.get(n)
                if first is not None and first is not p:
                    self.sink.error("E025", "parameters '%s' and '%s' of '%s' both become the C "
                                    "name '%s'" % (first.name, p.name, item.name, n),
                                    p.name_span, notes=[(first.name_span, "declared here")],
                                    help="rename one of them")
                names[n] = p


def _decl_refs(types):
    """Struct and enum declarations named by a list of resolved types."""
    out = []
    for t in types:
        while isinstance(t, ast.ArrayType):
            t = t.elem
        if isinstance(t, (ast.StructType, ast.EnumType)):
            out.append(t.decl)
    return out


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


def add_markdown(view):
    """Fields only the Markdown template prints."""
    view["policy_text"] = ("unknown method ids get SEL_ERR_UNKNOWN_METHOD" if view["strict"]
                           else "unknown method ids are reported to the server and ignored")
    for m in view["methods"]:
        m["anchor"] = m["name"]
        m["kind_text"] = "one-way" if m["oneway"] else "call"
        m["errors_text"] = "`%s`" % m["error_enum"] if m["error_enum"] else ""
        params = ", ".join("%s: %s" % (p["name"], p["type"]) for p in m["params"])
        sig = "%d: %s(%s)" % (m["ordinal"], m["name"], params)
        if m["oneway"]:
            sig = "oneway " + sig
        else:
            sig += " -> (%s)" % ", ".join("%s: %s" % (p["name"], p["type"])
                                          for p in m["results"])
            if m["error_enum"]:
                sig += " error %s" % m["error_enum"]
        m["signature_md"] = "```idl\n%s;\n```" % sig
        m["c_call"] = "int %s(%s)" % (m["cname"], m["call_params"])
        for p in m["params"] + m["results"]:
            p["doc_md"] = md_cell(p["doc_text"])
    for e in view["events"]:
        e["params_text"] = ", ".join("`%s: %s`" % (p["name"], p["type"]) for p in e["params"])
        for p in e["params"]:
            p["doc_md"] = md_cell(p["doc_text"])
    for t in view["types"]:
        if t["kind"] == "enum":
            t["kind_note"] = ("Error enum (wire type `%s`): a method returns member `e` to the "
                              "caller as `SEL_IDL_APP_ERROR_BASE + e`." % t["wire"]
                              if t["is_error"] else "Wire type `%s`." % t["wire"])
            for m in t["members"]:
                m["doc_md"] = md_cell(m["doc_text"])
        else:
            for f in t["fields"]:
                f["doc_md"] = md_cell(f["doc_text"])


def service_view(svc, program, version, source_name, sink, names=None):
    """The template view of `svc` at `version`.

    Pass the same `names` dict for every service of one file so that C names
    colliding across them are reported too.
    """
    return ServiceView(svc, program, version, source_name, sink, names).build()


__all__ = ["service_view", "show"]
