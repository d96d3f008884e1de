"""Layout: the wire format, in one place (the backend layer).

A message is a buffer of bytes in native (little-endian) order:

    word 0     header: ordinal (bits 0-15), kind (16-19), flags (20-23),
               wire version (24-31), status (32-63, replies only)
    bytes 8..  the fixed part: every in-line field at its natural alignment,
               in declaration order; bytes/string fields are an
               (offset u32, length u32) pair pointing into the variable part
    then       the variable part: payloads, each at an 8-byte boundary,
               opaque payloads first, then the others in traversal order

Capabilities travel in the message descriptor's cap array (at most
MAX_CAPS), leases in its lease array (at most MAX_LEASES); neither takes
room in the buffer. A reply's opaque payloads are written by the handler
straight into reserved areas at fixed positions after the fixed part.

`message()` turns a parameter list into a `MessageLayout` whose `program` is
a list of codec operations (scalar, loop, variable payload, cap, lease) in
wire order. codec.py turns that program into the steps the templates print
and never computes an offset itself, so a new wire format changes this module
and the runtime, not the front end or the templates. The constants below are
mirrored in codegen/runtime/include/sel/idl_runtime.h (a test compares them).
"""

from . import ast
from .version import present

WIRE_VERSION = 1
HEADER_BYTES = 8
MAX_MESSAGE_BYTES = 4096
MAX_CAPS = 3
MAX_LEASES = 1  # the kernel lends one range per Call
# A request that lends memory, and its reply, travel in the Call's message registers
# (62 of 64 words; the last two describe the lease): <sel/idl_sync.h>.
LEASE_MESSAGE_BYTES = 496
MAX_TYPE_BYTES = 65536
PAIR_BYTES = 8
PAIR_ALIGN = 4
PAYLOAD_ALIGN = 8
APP_ERROR_BASE = 0x10000
MAX_ERROR_VALUE = 0xFFFF
MAX_ORDINAL = 0xFFFF

KIND_REQUEST = 1
KIND_ONEWAY = 2
KIND_REPLY = 3
KIND_EVENT = 4

LEASE_ACCESS = {"in": 1, "out": 2, "inout": 3}  # bit 0: server reads, bit 1: writes


def round_up(value, align):
    """value rounded up to a multiple of align."""
    return (value + align - 1) // align * align


class Offset:
    """A byte offset in the fixed part: const + sum(stride * loop index)."""

    __slots__ = ("const", "terms")

    def __init__(self, const, terms=()):
        self.const = const
        self.terms = tuple(terms)

    def plus(self, n):
        """This offset moved by n bytes."""
        return Offset(self.const + n, self.terms)

    def indexed(self, stride, var):
        """This offset plus stride * var."""
        return Offset(self.const, self.terms + ((stride, var),))


# Codec operations. `path` is a tuple: ("param", name) then ("field", name)
# or ("index", var) steps. Offsets are relative to the start of the fixed part.

class Scalar:
    """An integer, bool or enum value of `wire` type at `off`."""

    def __init__(self, off, path, type_):
        self.op = "scalar"
        self.off = off
        self.path = path
        self.type = type_
        prim = type_.decl.underlying.resolved if isinstance(type_, ast.EnumType) else type_
        self.wire = prim.name if not prim.is_bool else "u8"
        self.bits = prim.size * 8
        self.signed = prim.signed


class Loop:
    """Repeat `body` for var = 0..count-1."""

    def __init__(self, var, count, body):
        self.op = "loop"
        self.var = var
        self.count = count
        self.body = body


class Var:
    """A bytes/string payload whose (offset, length) pair is at `off`."""

    def __init__(self, off, path, type_, reserved_pos=None):
        self.op = "var"
        self.off = off
        self.path = path
        self.bound = type_.bound
        self.string = isinstance(type_, ast.StringType)
        self.opaque = isinstance(type_, ast.BytesType) and type_.opaque
        self.reserved_pos = reserved_pos


class Jump:
    """Encoders: move the payload cursor past the reserved opaque areas."""

    def __init__(self, pos):
        self.op = "jump"
        self.pos = pos


class Cap:
    """Capability number `index` of the message."""

    def __init__(self, index, path, type_):
        self.op = "cap"
        self.index = index
        self.path = path
        self.rights = type_.rights
        self.object = type_.object


class Lease:
    """Lease number `index` of the message."""

    def __init__(self, index, path, type_):
        self.op = "lease"
        self.index = index
        self.path = path
        self.direction = type_.direction
        self.access = LEASE_ACCESS[type_.direction]
        self.bound = type_.bound


class StructLayout:
    """Offsets of a struct's fields present at one version."""

    def __init__(self, fields, size, align):
        self.fields = fields  # [(Field, offset)]
        self.size = size
        self.align = align


class MessageLayout:
    """Where every parameter of one message goes."""

    def __init__(self):
        self.fields = []  # [(Param, offset or None)]
        self.fixed_size = 0
        self.fixed_bytes = 0
        self.var_start = HEADER_BYTES
        self.max_bytes = HEADER_BYTES
        self.caps = []
        self.leases = []
        self.reserved = []  # [(Param, position)] reply opaque areas
        self.reserved_end = HEADER_BYTES
        self.program = []


def at(program, version):
    """The Layouter of `program` at `version`: one per version, shared by check and views."""
    lay = program.layouts.get(version)
    if lay is None:
        lay = program.layouts[version] = Layouter(version)
    return lay


class Layouter:
    """Computes layouts at one version, each struct and message once.

    Invariant: a cached layout is that of the program as it was resolved;
    the program is not changed after resolution.
    """

    def __init__(self, version):
        self.version = version
        self._structs = {}
        self._messages = {}  # id(method or event) -> its layouts

    def method(self, m):
        """(request, reply) MessageLayouts of method m; reply is None if one-way."""
        cached = self._messages.get(id(m))
        if cached is None:
            kind = KIND_ONEWAY if m.oneway else KIND_REQUEST
            rep = None if m.oneway else self.message(m.results or [], KIND_REPLY)
            cached = self._messages[id(m)] = (self.message(m.params, kind), rep)
        return cached

    def event(self, e):
        """MessageLayout of event e."""
        cached = self._messages.get(id(e))
        if cached is None:
            cached = self._messages[id(e)] = self.message(e.params, KIND_EVENT)
        return cached

    def struct(self, decl):
        """StructLayout of decl at this version."""
        cached = self._structs.get(id(decl))
        if cached is not None:
            return cached
        off, align, fields = 0, 1, []
        for f in decl.fields:
            if not present(f, self.version) or f.type.resolved is None:
                continue
            size, a = self.size_align(f.type.resolved)
            off = round_up(off, a)
            fields.append((f, off))
            off += size
            align = max(align, a)
        result = StructLayout(fields, round_up(off, align), align)
        self._structs[id(decl)] = result
        return result

    def size_align(self, t):
        """(size, alignment) of t in the fixed part."""
        if isinstance(t, ast.Primitive):
            return t.size, t.size
        if isinstance(t, ast.EnumType):
            prim = t.decl.underlying.resolved
            return (prim.size, prim.size) if isinstance(prim, ast.Primitive) else (1, 1)
        if isinstance(t, ast.StructType):
            s = self.struct(t.decl)
            return s.size, s.align
        if isinstance(t, (ast.BytesType, ast.StringType)):
            return PAIR_BYTES, PAIR_ALIGN
        if isinstance(t, ast.ArrayType):
            size, align = self.size_align(t.elem)
            return size * t.count, align
        return 0, 1  # caps and leases take no room in the buffer

    def var_bytes(self, t):
        """Most bytes t can add to the variable part."""
        if isinstance(t, (ast.BytesType, ast.StringType)):
            return round_up(t.bound, PAYLOAD_ALIGN)
        if isinstance(t, ast.StructType):
            return sum(self.var_bytes(f.type.resolved) for f, _ in self.struct(t.decl).fields)
        if isinstance(t, ast.ArrayType):
            return t.count * self.var_bytes(t.elem)
        return 0

    def ops(self, t, off, path, depth):
        """Codec operations for a value of type t at `off` (not caps/leases)."""
        if isinstance(t, (ast.Primitive, ast.EnumType)):
            return [Scalar(off, path, t)]
        if isinstance(t, (ast.BytesType, ast.StringType)):
            return [Var(off, path, t)]
        if isinstance(t, ast.StructType):
            out = []
            for f, f_off in self.struct(t.decl).fields:
                out.extend(self.ops(f.type.resolved, off.plus(f_off), path + (("field", f.name),),
                                    depth))
            return out
        if isinstance(t, ast.ArrayType):
            var = "i%d" % depth
            stride, _ = self.size_align(t.elem)
            body = self.ops(t.elem, off.indexed(stride, var), path + (("index", var),), depth + 1)
            return [Loop(var, t.count, body)] if body else []
        return []

    def message(self, params, kind):
        """MessageLayout of `params` (those present at this version)."""
        lay = MessageLayout()
        off = 0
        present_params = [p for p in params if present(p, self.version)
                          and p.type.resolved is not None]
        for p in present_params:
            t = p.type.resolved
            if isinstance(t, ast.CapType):
                lay.caps.append(p)
                lay.fields.append((p, None))
                continue
            if isinstance(t, ast.LeaseType):
                lay.leases.append(p)
                lay.fields.append((p, None))
                continue
            size, align = self.size_align(t)
            off = round_up(off, align)
            lay.fields.append((p, off))
            off += size
        lay.fixed_size = off
        lay.fixed_bytes = round_up(off, 8)
        lay.var_start = HEADER_BYTES + lay.fixed_bytes
        opaque, others = [], []
        pos = lay.var_start
        for p, p_off in lay.fields:
            t = p.type.resolved
            if p_off is None:
                continue
            path = (("param", p.name),)
            if isinstance(t, ast.BytesType) and t.opaque:
                reserved = None
                if kind == KIND_REPLY:
                    reserved = pos
                    lay.reserved.append((p, pos))
                    pos += round_up(t.bound, PAYLOAD_ALIGN)
                opaque.append(Var(Offset(p_off), path, t, reserved))
            else:
                others.extend(self.ops(t, Offset(p_off), path, 0))
        lay.reserved_end = pos
        lay.program = opaque
        if lay.reserved and any(_has_var(o) for o in others):
            lay.program.append(Jump(lay.reserved_end))
        lay.program.extend(others)
        for i, p in enumerate(lay.caps):
            lay.program.append(Cap(i, (("param", p.name),), p.type.resolved))
        for i, p in enumerate(lay.leases):
            lay.program.append(Lease(i, (("param", p.name),), p.type.resolved))
        lay.max_bytes = lay.var_start + sum(self.var_bytes(p.type.resolved)
                                            for p, o in lay.fields if o is not None)
        return lay


def _has_var(op):
    """True if op is or contains a variable payload."""
    if op.op == "var":
        return True
    if op.op == "loop":
        return any(_has_var(o) for o in op.body)
    return False


def header_word(ordinal, kind):
    """The header word of a request or event (for documentation and tests)."""
    return ordinal | (kind << 16) | (WIRE_VERSION << 24)
