"""Codec: the steps of every encoder and decoder, for templates/c/codec.j2 to print.

`layout.py` alone knows offsets; its codec program (scalar, loop, variable
payload, jump, cap, lease) becomes here a list of steps, each a dict whose
"op" names the runtime call the template prints and whose other keys are
the C expressions it needs (the value, its offset, its length). Five places
build or take apart a message, each with its root style:

    client request encoder   from the call's arguments      (root "args")
    server request decoder   into a private struct idl_in   (root "in")
    server reply encoder     from a private struct idl_out  (root "out")
    client reply decoder     into the caller's out pointers (root "outptr")
    event encoder / decoder  arguments / struct idl_ev      ("args" / "ev")

`encoder()` and `decoder()` also say which locals the function body needs
(the payload cursor, the enum and length temporaries, the status).
"""

from . import ast
from .names import access_expr, object_expr, proto, rights_expr

# Steps whose runtime call can fail: the template returns its status at once.
FALLIBLE = {"put_reserved", "put_string", "put_bytes", "put_lease", "get_bool", "get_string",
            "get_bytes", "get_cap", "get_lease"}


def offset_expr(off):
    """C expression of a layout.Offset (relative to the fixed part)."""
    parts = [str(off.const)] if off.const or not off.terms else []
    parts += ["%d * idl_%s" % (stride, var) if stride != 1 else "idl_" + var
              for stride, var in off.terms]
    return " + ".join(parts)


class Codec:
    """Turns codec programs into steps for one root style.

    Invariant: `uses` holds every local ("cur", "n", "v", "len", "rc") some
    step produced so far refers to.
    """

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

    def step(self, op, **fields):
        """One step; notes the status local for a call that can fail."""
        if op in FALLIBLE:
            self.uses.add("rc")
        fields["op"] = op
        return fields

    # Encoding.

    def encode(self, program):
        """Encoder steps for a program."""
        out = []
        for op in program:
            if op.op == "loop":
                out.append(self.step("loop", var=op.var, count=op.count,
                                     body=self.encode(op.body)))
            elif op.op == "scalar":
                out.append(self.encode_scalar(op))
            elif op.op == "var":
                out.append(self.encode_var(op))
            elif op.op == "jump":
                self.uses.add("cur")
                out.append(self.step("jump", pos=op.pos))
            elif op.op == "cap":
                out.append(self.step("put_cap", index=op.index, x=self.expr(op.path)))
            elif op.op == "lease":
                out.append(self.step("put_lease", index=op.index, name=op.path[0][1],
                                     bound=op.bound, access=access_expr(op.access)))
        return out

    def encode_scalar(self, op):
        """The step writing one scalar."""
        x, off = self.expr(op.path), offset_expr(op.off)
        if isinstance(op.type, ast.Primitive) and op.type.is_bool:
            return self.step("put_bool", off=off, x=x)
        if isinstance(op.type, ast.EnumType):
            return self.step("put_enum", off=off, x=x, bits=op.bits, signed=op.signed,
                             enum=op.type.decl.name)
        return self.step("put_int", off=off, x=x, bits=op.bits)

    def encode_var(self, op):
        """The step writing one payload."""
        x, off = self.expr(op.path), offset_expr(op.off)
        self.uses.add("cur")
        if op.reserved_pos is not None and self.root == "out":
            return self.step("put_reserved", off=off, pos=op.reserved_pos,
                             len=self.len_expr(op.path), bound=op.bound)
        if op.string:
            return self.step("put_string", off=off, x=x, bound=op.bound)
        return self.step("put_bytes", off=off, x=x, len=self.len_expr(op.path), bound=op.bound)

    # Decoding.

    def decode(self, program):
        """Decoder steps for a program."""
        out = []
        for op in program:
            if op.op == "loop":
                out.append(self.step("loop", var=op.var, count=op.count,
                                     body=self.decode(op.body)))
            elif op.op == "scalar":
                out.append(self.decode_scalar(op))
            elif op.op == "var":
                out.append(self.decode_var(op))
            elif op.op == "cap":
                out.append(self.step("get_cap", index=op.index, rights=rights_expr(op.rights),
                                     object=object_expr(op.object),
                                     addr=self.addr(self.expr(op.path))))
            elif op.op == "lease":
                out.append(self.step("get_lease", index=op.index, bound=op.bound,
                                     access=access_expr(op.access),
                                     addr=self.addr(self.expr(op.path))))
        return out

    def decode_scalar(self, op):
        """The step reading one scalar from the private fixed copy."""
        x, off = self.expr(op.path), offset_expr(op.off)
        if isinstance(op.type, ast.Primitive) and op.type.is_bool:
            return self.step("get_bool", off=off, addr=self.addr(x))
        if isinstance(op.type, ast.EnumType):
            self.uses.add("v")
            return self.step("get_enum", off=off, x=x, bits=op.bits, signed=op.signed,
                             enum=op.type.decl.name)
        return self.step("get_int", off=off, x=x, bits=op.bits, signed=op.signed)

    def decode_var(self, op):
        """The step taking one payload (copied, or by pointer if opaque)."""
        x, off = self.expr(op.path), offset_expr(op.off)
        self.uses.update(("cur", "len"))
        if op.string:
            return self.step("get_string", off=off, x=x, bound=op.bound)
        self.uses.add("n")
        return self.step("get_bytes", off=off, x=x, bound=op.bound,
                         opaque=op.opaque and self.root in ("in", "ev"),
                         len=self.len_expr(op.path), narrow=len(op.path) > 1)


def encoder(msg, params, root):
    """What codec.j2's encoder() prints for one message."""
    codec = Codec(root, params)
    steps = codec.encode(msg.program)
    return {"steps": steps, "uses_cur": "cur" in codec.uses, "var_start": msg.var_start,
            "fixed_bytes": msg.fixed_bytes, "caps": len(msg.caps), "leases": len(msg.leases)}


def decoder(head, msg, params, root, holder, out_decls=None):
    """What codec.j2's decoder() prints, with the prototype (None: nothing to decode)."""
    if not msg.program:
        return None
    codec = Codec(root, params)
    steps = codec.decode(msg.program)
    params_c = ["const struct sel_idl_msg *idl_m"]
    if "len" in codec.uses:
        params_c.append("size_t idl_len")
    if holder is not None:
        params_c.append("%s *idl_%s" % (holder, root))
    else:
        params_c.extend(out_decls or [])
    return {"steps": steps, "proto": proto(head, params_c), "var_start": msg.var_start,
            "fixed_bytes": msg.fixed_bytes, "fixed_words": msg.fixed_bytes // 8,
            "uses_len": "len" in codec.uses, "uses_cur": "cur" in codec.uses,
            "uses_n": "n" in codec.uses, "uses_v": "v" in codec.uses,
            "uses_rc": "rc" in codec.uses}
