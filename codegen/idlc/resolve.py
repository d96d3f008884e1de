"""Resolve: load a file and its imports, build the symbol table, bind type names.

Imports are searched next to the importing file, then in each `-I` directory.
Files load depth first; a file that imports itself, directly or through
others, is an import cycle (E031) reported with the whole chain. C has one
namespace, so every declaration in the import closure must have a distinct
name (E022), and a file may use only what it declares or directly imports
(E034) — so the imports of a file list everything its C output needs.

Afterwards every `TypeRef.resolved` holds an `ast.Type`, or None where the
type was invalid (already reported).
"""

import difflib
import os

from . import ast
from .diagnostics import Source, Span
from .lexer import decode, lex
from .parser import parse

# Import chains deeper than this are refused (a cycle is caught earlier).
MAX_IMPORT_DEPTH = 64

# Default limit on one source file, in bytes (--max-file-bytes).
DEFAULT_MAX_FILE_BYTES = 1 << 20

# Largest bound of bytes/string and count of an array.
MAX_BYTES_BOUND = 4096
MAX_ARRAY_COUNT = 65535
MAX_LEASE_BOUND = 1 << 24  # the kernel lends at most 16 MiB (SEL_LEASE_MAX)

RIGHTS = ("read", "write", "grant", "grant_reply", "execute")

OBJECT_TYPES = ("untyped", "cnode", "tcb", "endpoint", "notification", "frame",
                "page_table", "vspace", "asid_control", "asid_pool", "irq_control",
                "irq_handler", "uintr_receiver", "uintr_sender", "window", "debug")

LEASE_DIRECTIONS = ("in", "out", "inout")

# Type constructors that need arguments: name -> how to write them.
PARAMETRIC = {"bytes": "bytes<N>", "string": "string<N>", "array": "array<T, N>",
              "lease": "lease<in, N>"}


class Program:
    """The root file, every file it pulls in, and the declarations by name."""

    def __init__(self, root, files, decls):
        self.root = root
        self.files = files
        self.decls = decls
        self.layouts = {}  # version -> layout.Layouter, filled by layout.at()
        self.kernel_layouts = {}  # id(kernel method) -> kernel.MethodLayout, by check_kernel()


def display_path(path, root):
    """Path shown in diagnostics and headers: relative to `root` when inside it."""
    try:
        rel = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    except ValueError:
        return path
    if rel.startswith(".."):
        return path
    return rel.replace(os.sep, "/")


class Loader:
    """Loads files and their imports, detecting cycles."""

    def __init__(self, sink, root, search_paths, max_bytes):
        self.sink = sink
        self.root = root
        self.search_paths = list(search_paths)
        self.max_bytes = max_bytes
        self.loaded = {}  # realpath -> File (or None if it failed)
        self.order = []  # Files, dependencies first
        self.stack = []  # realpaths being loaded (for cycle detection)

    def read_file(self, path, span):
        """Bytes of `path`, or None after reporting why it could not be read."""
        try:
            with open(path, "rb") as handle:
                data = handle.read(self.max_bytes + 1)
        except FileNotFoundError:
            self.sink.error("E030", "file not found: %s" % display_path(path, self.root), span)
            return None
        except (IsADirectoryError, PermissionError, OSError, ValueError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            self.sink.error("E032", "cannot read %s: %s" % (display_path(path, self.root),
                                                             reason), span)
            return None
        if len(data) > self.max_bytes:
            head = Source(path, display_path(path, self.root),
                          data[:200].decode("utf-8", "replace"))
            self.sink.error("E007", "file is larger than the %d-byte limit" % self.max_bytes,
                            Span(head, 1, 1),
                            help="split it into several files joined by imports, or raise "
                                 "--max-file-bytes")
            return None
        return data

    def load(self, path, span=None):
        """Load `path` and, depth first, everything it imports."""
        real = os.path.realpath(path)
        if real in self.loaded:
            return self.loaded[real]
        data = self.read_file(path, span)
        if data is None:
            self.loaded[real] = None
            return None
        shown = display_path(path, self.root)
        source = decode(data, lambda text: Source(path, shown, text), self.sink)
        if source is None:
            self.loaded[real] = None
            return None
        before = self.sink.count()
        tokens = lex(source, self.sink)
        lexical = [d for d in self.sink.diagnostics[before:] if d.code != "E004"]
        if lexical:
            # Dropped characters or strings would make the parser report
            # follow-on errors; the lexical errors alone say what is wrong.
            tokens = tokens[-1:]
        tree = parse(tokens, source, self.sink)
        self.loaded[real] = tree
        self.stack.append(real)
        for imp in tree.imports:
            self.load_import(tree, path, imp)
        self.stack.pop()
        self.order.append(tree)
        return tree

    def load_import(self, tree, importer, imp):
        """Find and load one import of `tree`."""
        target = self.find(importer, imp.path)
        if target is None:
            self.sink.error("E030", 'cannot find import "%s"' % imp.path, imp.span,
                            help="imports are looked up next to %s, then in each -I directory"
                            % os.path.basename(importer))
            return
        real = os.path.realpath(target)
        if real in self.stack:
            chain = self.stack[self.stack.index(real):] + [real]
            names = " -> ".join(os.path.basename(p) for p in chain)
            self.sink.error("E031", "import cycle: %s" % names, imp.span,
                            help="move the shared declarations into a file that both import")
            return
        if len(self.stack) >= MAX_IMPORT_DEPTH:
            self.sink.error("E006", "imports nested more than %d deep" % MAX_IMPORT_DEPTH,
                            imp.span)
            return
        imp.file = self.load(target, imp.span)
        if imp.file is not None and imp.file not in tree.imported_files:
            tree.imported_files.append(imp.file)

    def find(self, importer, name):
        """Path of import `name` seen from `importer`, or None."""
        if "\0" in name or not name:
            return None
        if os.path.isabs(name):
            return name if os.path.exists(name) else None
        for base in [os.path.dirname(importer) or "."] + self.search_paths:
            candidate = os.path.join(base, name)
            if os.path.exists(candidate):
                return candidate
        return None


def build_table(files, sink):
    """Map every declaration name to its declaration; report duplicates."""
    decls = {}
    for tree in files:
        for decl in tree.decls:
            decl.file = tree
            first = decls.get(decl.name)
            if first is not None:
                sink.error("E022", "'%s' is declared twice" % decl.name, decl.name_span,
                           notes=[(first.name_span, "'%s' was first declared here" % decl.name)],
                           help="C has a single namespace: every struct, enum and service "
                                "needs its own name")
                continue
            decls[decl.name] = decl
    return decls


class Binder:
    """Binds the TypeRefs of one file to declarations and builtin types."""

    def __init__(self, decls, tree, sink):
        self.decls = decls
        self.tree = tree
        self.visible = {tree} | set(tree.imported_files)
        self.sink = sink

    def bind(self, ref):
        """Set and return ref.resolved (None if the type is invalid)."""
        if ref is None:
            return None
        method = getattr(self, "bind_" + type(ref).__name__)
        ref.resolved = method(ref)
        return ref.resolved

    def bind_NamedRef(self, ref):
        """A primitive or a declared name."""
        opaque_span = getattr(ref, "opaque_span", None)
        if opaque_span is not None:
            self.sink.error("E042", "'opaque' applies only to bytes, not to '%s'" % ref.name,
                            opaque_span,
                            help="only bytes<N> payloads can stay in the shared window")
            return None
        if ref.name in PARAMETRIC:
            self.sink.error("E040", "'%s' needs arguments" % ref.name, ref.span,
                            help="write %s" % PARAMETRIC[ref.name])
            return None
        if ref.args is not None:
            self.sink.error("E040", "'%s' takes no type arguments" % ref.name, ref.span)
            return None
        prim = ast.PRIMITIVES.get(ref.name)
        if prim is not None:
            return prim
        decl = self.decls.get(ref.name)
        if decl is None:
            self.unknown(ref)
            return None
        if decl.file not in self.visible:
            self.sink.error("E034", "'%s' is declared in %s, which this file does not import"
                            % (ref.name, decl.file.source.display), ref.span,
                            help='add: import "%s";'
                            % os.path.basename(decl.file.source.path))
            return None
        if isinstance(decl, ast.Struct):
            return ast.StructType(decl)
        if isinstance(decl, ast.Enum):
            return ast.EnumType(decl)
        self.sink.error("E055", "'%s' is a service, not a type" % ref.name, ref.span,
                        help="pass a capability to a service as 'cap<endpoint>'")
        return None

    def unknown(self, ref):
        """Report an unknown type name, suggesting a close match."""
        known = list(ast.PRIMITIVES) + list(PARAMETRIC) + ["cap"] + [
            n for n, d in self.decls.items() if not isinstance(d, ast.Service)]
        close = difflib.get_close_matches(ref.name, known, n=1)
        self.sink.error("E024", "unknown type '%s'" % ref.name, ref.span,
                        help="did you mean '%s'?" % close[0] if close else
                        "declare it, or import the file that declares it")

    def check_bound(self, value, span, what, limit):
        """Report a bound outside 1..limit; return whether it is valid."""
        if 1 <= value <= limit:
            return True
        self.sink.error("E041", "%s %d is out of range" % (what, value), span,
                        help="it must be between 1 and %d" % limit)
        return False

    def bind_BytesRef(self, ref):
        """bytes<N>, maybe opaque."""
        if not self.check_bound(ref.bound, ref.bound_span, "bytes bound", MAX_BYTES_BOUND):
            return None
        return ast.BytesType(ref.bound, ref.opaque)

    def bind_StringRef(self, ref):
        """string<N>; strings cannot be opaque."""
        if ref.opaque:
            self.sink.error("E042", "'opaque' applies only to bytes, not to strings",
                            ref.opaque_span,
                            help="strings are checked (UTF-8, no NUL), so they are copied; "
                                 "use 'opaque bytes<N>' for raw data")
            return None
        if not self.check_bound(ref.bound, ref.bound_span, "string bound", MAX_BYTES_BOUND):
            return None
        return ast.StringType(ref.bound)

    def bind_ArrayRef(self, ref):
        """array<T, N>."""
        elem = self.bind(ref.elem)
        ok = self.check_bound(ref.count, ref.count_span, "array length", MAX_ARRAY_COUNT)
        if elem is None or not ok:
            return None
        if ast.is_variable(elem):
            self.sink.error("E054", "an array cannot hold %s" % elem.name, ref.elem.span,
                            help="wrap it in a struct with one %s field" % elem.name)
            return None
        if isinstance(elem, ast.CapType):
            self.sink.error("E044", "capabilities cannot be array elements", ref.elem.span,
                            help="pass each capability as its own parameter (at most %d)" % 3)
            return None
        if isinstance(elem, ast.LeaseType):
            self.sink.error("E045", "leases cannot be array elements", ref.elem.span,
                            help="pass each lease as its own request parameter")
            return None
        return ast.ArrayType(elem, ref.count)

    def bind_CapRef(self, ref):
        """cap<rights and object type>."""
        rights, obj, ok = [], None, True
        for name, span in ref.items:
            if name in RIGHTS:
                if name in rights:
                    self.sink.error("E047", "right '%s' is listed twice" % name, span)
                    ok = False
                rights.append(name)
            elif name in OBJECT_TYPES:
                if obj is not None:
                    self.sink.error("E047", "a capability has one object type, '%s' is a "
                                    "second" % name, span)
                    ok = False
                obj = name
            else:
                close = difflib.get_close_matches(name, RIGHTS + OBJECT_TYPES, n=1)
                self.sink.error("E046", "'%s' is neither a right nor an object type" % name,
                                span,
                                help=("did you mean '%s'? " % close[0] if close else "")
                                + "rights are: " + ", ".join(RIGHTS))
                ok = False
        return ast.CapType(rights, obj) if ok else None

    def bind_LeaseRef(self, ref):
        """lease<direction, N>."""
        ok = True
        if ref.direction not in LEASE_DIRECTIONS:
            self.sink.error("E040", "lease direction must be in, out or inout, not '%s'"
                            % ref.direction, ref.direction_span,
                            help="'in': the server reads; 'out': it writes; 'inout': both")
            ok = False
        if not self.check_bound(ref.bound, ref.bound_span, "lease bound", MAX_LEASE_BOUND):
            ok = False
        return ast.LeaseType(ref.direction, ref.bound) if ok else None

    def bind_file(self):
        """Bind every type reference in the file."""
        for decl in self.tree.decls:
            if isinstance(decl, ast.Struct):
                for f in decl.fields:
                    self.bind(f.type)
            elif isinstance(decl, ast.Enum):
                self.bind(decl.underlying)
            elif isinstance(decl, ast.Service):
                for m in decl.methods:
                    for p in m.params + (m.results or []):
                        self.bind(p.type)
                    self.bind(m.error)
                for e in decl.events:
                    for p in e.params:
                        self.bind(p.type)


def load(path, sink, root=".", search_paths=(), max_bytes=DEFAULT_MAX_FILE_BYTES):
    """Load and bind `path` and its imports. Returns a Program or None."""
    loader = Loader(sink, root, search_paths, max_bytes)
    tree = loader.load(path)
    if tree is None or sink.has_errors:
        return None
    decls = build_table(loader.order, sink)
    for tree_i in loader.order:
        Binder(decls, tree_i, sink).bind_file()
    return Program(tree, loader.order, decls)
