"""Syntax tree of an IDL file, and the resolved types the later steps attach.

The parser builds `File` with declarations (`Struct`, `Enum`, `Service`),
their members and `TypeRef`s exactly as written. `resolve` sets
`TypeRef.resolved` to one of the `Type` classes at the bottom; `version`
sets `avail` (the versions an element exists at) on every element. Nothing
here knows about C or the wire.
"""


class Node:
    """Base: every node has a span; elements also carry doc, attrs, avail."""

    span = None


class Attribute(Node):
    """`@name` or `@name(arg)`; arg is an int token value or None."""

    def __init__(self, name, name_span, arg, arg_span, span):
        self.name = name
        self.name_span = name_span
        self.arg = arg
        self.arg_span = arg_span
        self.span = span


class Element(Node):
    """Something with a name, doc comment, attributes and availability."""

    kind = "element"

    def __init__(self, name, name_span, doc, attrs, span):
        self.name = name
        self.name_span = name_span
        self.doc = doc
        self.attrs = attrs
        self.span = span
        self.avail = None  # (added, removed), set by version.py
        self.parent = None

    def where(self):
        """Human-readable kind and name, e.g. "field 'x'"."""
        return "%s '%s'" % (self.kind, self.name)


# Type references as written.

class TypeRef(Node):
    """A type as written; `resolved` is set by resolve.py (None if invalid)."""

    resolved = None


class NamedRef(TypeRef):
    """A bare name: a primitive (u32, bool) or a declared struct/enum."""

    def __init__(self, name, span):
        self.name = name
        self.span = span
        self.args = None  # '<...>' given after a plain name: an error


class BytesRef(TypeRef):
    """`bytes<N>` or `opaque bytes<N>`."""

    def __init__(self, bound, bound_span, opaque, opaque_span, span):
        self.bound = bound
        self.bound_span = bound_span
        self.opaque = opaque
        self.opaque_span = opaque_span
        self.span = span


class StringRef(TypeRef):
    """`string<N>`; `opaque string` is parsed so that it can be refused."""

    def __init__(self, bound, bound_span, opaque, opaque_span, span):
        self.bound = bound
        self.bound_span = bound_span
        self.opaque = opaque
        self.opaque_span = opaque_span
        self.span = span


class ArrayRef(TypeRef):
    """`array<T, N>`."""

    def __init__(self, elem, count, count_span, span):
        self.elem = elem
        self.count = count
        self.count_span = count_span
        self.span = span


class CapRef(TypeRef):
    """`cap` or `cap<items>`; items are (name, span): rights or an object type."""

    def __init__(self, items, span):
        self.items = items
        self.span = span


class LeaseRef(TypeRef):
    """`lease<in|out|inout, N>`."""

    def __init__(self, direction, direction_span, bound, bound_span, span):
        self.direction = direction
        self.direction_span = direction_span
        self.bound = bound
        self.bound_span = bound_span
        self.span = span


# Declarations and members.

class Field(Element):
    """A struct field."""

    kind = "field"

    def __init__(self, name, name_span, type_ref, doc, attrs, span):
        Element.__init__(self, name, name_span, doc, attrs, span)
        self.type = type_ref


class Param(Element):
    """A method/event parameter or result."""

    kind = "parameter"

    def __init__(self, name, name_span, type_ref, doc, attrs, span):
        Element.__init__(self, name, name_span, doc, attrs, span)
        self.type = type_ref
        self.is_result = False


class Struct(Element):
    """`struct name { fields }`."""

    kind = "struct"

    def __init__(self, name, name_span, fields, doc, attrs, span):
        Element.__init__(self, name, name_span, doc, attrs, span)
        self.fields = fields
        self.file = None


class EnumMember(Element):
    """`name = value;` inside an enum."""

    kind = "enum member"

    def __init__(self, name, name_span, value, value_span, doc, attrs, span):
        Element.__init__(self, name, name_span, doc, attrs, span)
        self.value = value
        self.value_span = value_span


class Enum(Element):
    """`enum name : int_type { members }`."""

    kind = "enum"

    def __init__(self, name, name_span, underlying, members, doc, attrs, span):
        Element.__init__(self, name, name_span, doc, attrs, span)
        self.underlying = underlying
        self.members = members
        self.file = None
        self.is_error = False  # set by check.py when a method names it in `error`


class Method(Element):
    """`[oneway] id: name(params) [-> (results)] [error type];`."""

    kind = "method"

    def __init__(self, name, name_span, ordinal, ordinal_span, oneway, oneway_span,
                 params, results, arrow_span, error, doc, attrs, span):
        Element.__init__(self, name, name_span, doc, attrs, span)
        self.ordinal = ordinal
        self.ordinal_span = ordinal_span
        self.oneway = oneway
        self.oneway_span = oneway_span
        self.params = params
        self.results = results  # None when no '->' was written
        self.arrow_span = arrow_span
        self.error = error  # NamedRef or None
        self.needs = []  # kernel services: (right, span) the invoked cap needs
        self.errors = []  # kernel services: (error name, span) the method returns


class Event(Element):
    """`event id: name(params);` sent from server to client."""

    kind = "event"

    def __init__(self, name, name_span, ordinal, ordinal_span, params, doc, attrs, span):
        Element.__init__(self, name, name_span, doc, attrs, span)
        self.ordinal = ordinal
        self.ordinal_span = ordinal_span
        self.params = params


class Service(Element):
    """`[strict|flexible] service name { methods and events }`."""

    kind = "service"

    def __init__(self, name, name_span, policy, policy_span, methods, events, doc, attrs, span):
        Element.__init__(self, name, name_span, doc, attrs, span)
        self.policy = policy  # "strict" (default), "flexible" or "kernel" (idl/kernel/)
        self.policy_span = policy_span
        self.methods = methods
        self.events = events
        self.file = None


class Import(Node):
    """`import "path";`."""

    def __init__(self, path, span):
        self.path = path
        self.span = span
        self.file = None  # the File it names, set by resolve.py


class File(Node):
    """One parsed .idl file."""

    def __init__(self, source, imports, decls):
        self.source = source
        self.imports = imports
        self.decls = decls
        self.imported_files = []  # Files named by this file's imports


# Resolved types (set on TypeRef.resolved).

class Type:
    """Base of resolved types."""

    name = "?"


class Primitive(Type):
    """u8..u64, i8..i64, bool."""

    def __init__(self, name, size, signed):
        self.name = name
        self.size = size
        self.signed = signed

    @property
    def is_bool(self):
        """True for bool."""
        return self.name == "bool"

    def range(self):
        """(min, max) values of the integer type."""
        bits = self.size * 8
        if self.signed:
            return -(1 << (bits - 1)), (1 << (bits - 1)) - 1
        return 0, (1 << bits) - 1


PRIMITIVES = {name: Primitive(name, size, signed) for name, size, signed in [
    ("u8", 1, False), ("u16", 2, False), ("u32", 4, False), ("u64", 8, False),
    ("i8", 1, True), ("i16", 2, True), ("i32", 4, True), ("i64", 8, True),
    ("bool", 1, False),
]}


class EnumType(Type):
    """A declared enum."""

    def __init__(self, decl):
        self.decl = decl
        self.name = decl.name


class StructType(Type):
    """A declared struct."""

    def __init__(self, decl):
        self.decl = decl
        self.name = decl.name


class BytesType(Type):
    """Bounded bytes; `opaque` keeps the payload in the message buffer."""

    def __init__(self, bound, opaque):
        self.bound = bound
        self.opaque = opaque
        self.name = "bytes"


class StringType(Type):
    """Bounded UTF-8 string without NUL bytes."""

    def __init__(self, bound):
        self.bound = bound
        self.name = "string"


class ArrayType(Type):
    """Fixed-size array."""

    def __init__(self, elem, count):
        self.elem = elem
        self.count = count
        self.name = "array"


class CapType(Type):
    """A capability; `rights` is a list of right names, `object` a type name or None."""

    def __init__(self, rights, obj):
        self.rights = rights
        self.object = obj
        self.name = "cap"


class LeaseType(Type):
    """A lease of the caller's memory: direction in/out/inout, bound in bytes."""

    def __init__(self, direction, bound):
        self.direction = direction
        self.bound = bound
        self.name = "lease"


def is_variable(t):
    """True for types whose payload is out of line (bytes, string)."""
    return isinstance(t, (BytesType, StringType))
