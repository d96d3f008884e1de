"""Diagnostics: source positions, the error-code catalog and message rendering.

Every error idlc reports is a `Diagnostic` with a stable code from `CODES`.
It renders as

    path:line:col: error[E024]: unknown type 'u33'
      4 |     x: u33;
        |        ^~~
    help: did you mean 'u32'?

Errors are collected in a `Sink`; a compiler step keeps going after an error
where the rest of its input still makes sense, so one run reports several
problems. `docs/idl-errors.md` documents every code in `CODES` (a test keeps
the two in step).
"""

import unicodedata

# The catalog: code -> one-line title. Codes are stable; retire, never reuse.
CODES = {
    # Input and lexical structure.
    "E001": "invalid character",
    "E002": "unterminated string literal",
    "E003": "unterminated block comment",
    "E004": "invalid integer literal",
    "E005": "source is not valid UTF-8",
    "E006": "nesting too deep",
    "E007": "file too large",
    # Syntax.
    "E010": "unexpected token",
    "E011": "unexpected end of file",
    "E012": "doc comment documents nothing",
    "E013": "unknown attribute",
    "E014": "malformed attribute argument",
    "E015": "duplicate attribute",
    # Names.
    "E020": "name is not lower_snake_case",
    "E021": "reserved name",
    "E022": "duplicate declaration",
    "E023": "duplicate member name",
    "E024": "unknown type",
    "E025": "generated C names collide",
    "E026": "name too long",
    # Imports.
    "E030": "file not found",
    "E031": "import cycle",
    "E032": "cannot read file",
    "E033": "import after declarations",
    "E034": "declaration used without importing its file",
    # Types.
    "E040": "wrong type arguments",
    "E041": "bound out of range",
    "E042": "opaque applies only to bytes",
    "E043": "opaque payload not at top level",
    "E044": "capability not at top level",
    "E045": "lease outside a method's request",
    "E046": "unknown right or object type",
    "E047": "duplicate right or object type",
    "E048": "struct contains itself",
    "E049": "struct has no fields",
    "E050": "enum underlying type is not an integer",
    "E051": "enum value out of range",
    "E052": "duplicate enum value",
    "E053": "enum has no members",
    "E054": "array element cannot be variable-sized",
    "E055": "not a type",
    "E056": "type too large",
    # Services and methods.
    "E060": "duplicate method id",
    "E061": "id out of range",
    "E062": "one-way method with results or errors",
    "E063": "invalid error type",
    "E064": "error enum used as a data type",
    "E065": "too many capabilities in one message",
    "E066": "too many leases in one message",
    "E067": "message too large",
    "E068": "duplicate event id",
    "E069": "method needs results or `oneway`",
    "E070": "one-way method lends memory",
    "E071": "method that lends memory has large messages",
    # The kernel interface (kernel services, idl/kernel/).
    "E100": "kernel attribute misplaced",
    "E101": "kernel method does not fit in registers",
    "E102": "unknown right in `needs`",
    "E103": "unknown error in `errors`",
    "E104": "not allowed in a kernel service",
    "E105": "duplicate invocation label",
    "E106": "register placement goes backwards",
    "E107": "kernel service names no object type",
    # Versioning.
    "E080": "removed before added",
    "E081": "version out of range",
    "E082": "member outlives its parent",
    "E083": "type not available where used",
    # The command line and output.
    "E090": "invalid command line",
    "E092": "cannot write output",
    # The compiler itself.
    "E0999": "internal compiler error",
}

# Error limit per run: enough to fix a file in one go, few enough to read.
MAX_ERRORS = 20

# Longest source excerpt printed; longer lines are shown as a window.
MAX_EXCERPT = 100


class Source:
    """One input file: its display path and decoded text split into lines."""

    def __init__(self, path, display, text):
        self.path = path
        self.display = display
        self.text = text
        self.lines = text.split("\n")

    def line(self, number):
        """Return line `number` (1-based) without its newline, or ''."""
        if 1 <= number <= len(self.lines):
            return self.lines[number - 1].rstrip("\r")
        return ""


class Span:
    """A range in one source: start line/col and end col on the start line.

    Columns are 1-based character positions; `end_col` is exclusive. A span
    that crosses lines is underlined to the end of its first line.
    """

    __slots__ = ("source", "line", "col", "end_col")

    def __init__(self, source, line, col, end_col=None):
        self.source = source
        self.line = line
        self.col = col
        self.end_col = end_col if end_col is not None and end_col > col else col + 1

    def to(self, other):
        """Span from the start of self to the end of other (same line only)."""
        if other is None or other.line != self.line:
            return self
        return Span(self.source, self.line, self.col, max(self.end_col, other.end_col))

    def __repr__(self):
        return "%s:%d:%d" % (self.source.display, self.line, self.col)


class Diagnostic:
    """An error with a code, a message and optional position, help and notes."""

    def __init__(self, code, message, span=None, help=None, notes=()):
        assert code in CODES, code
        self.code = code
        self.message = message
        self.span = span
        self.help = help
        self.notes = list(notes)

    def key(self):
        """Identity used to drop duplicates (same code, place and text)."""
        pos = (self.span.source.display, self.span.line, self.span.col) if self.span else None
        return (self.code, pos, self.message)

    def render(self):
        """The diagnostic as printed, ending with a newline."""
        out = []
        if self.span is not None:
            out.append("%s:%d:%d: error[%s]: %s" % (self.span.source.display, self.span.line,
                                                   self.span.col, self.code, self.message))
            out.extend(_excerpt(self.span))
        else:
            out.append("idlc: error[%s]: %s" % (self.code, self.message))
        for span, text in self.notes:
            if span is None:
                out.append("note: %s" % text)
                continue
            out.append("%s:%d:%d: note: %s" % (span.source.display, span.line, span.col, text))
            out.extend(_excerpt(span))
        if self.help:
            out.append("help: %s" % self.help)
        return "\n".join(out) + "\n"


def _printable(ch):
    """Replace characters a terminal would interpret (controls, bidi marks)."""
    if ch == "\t":
        return ch
    cat = unicodedata.category(ch)
    if cat.startswith("C") or cat in ("Zl", "Zp"):
        return "?"
    return ch


def _excerpt(span):
    """Source line and caret/underline lines for a span."""
    text = span.source.line(span.line)
    start = max(0, span.col - 1)
    end = max(start + 1, span.end_col - 1)
    # Window long lines around the span so a 1 MB line prints as 100 chars.
    first = 0
    if len(text) > MAX_EXCERPT:
        first = max(0, min(start - 20, len(text) - MAX_EXCERPT))
        text = text[first:first + MAX_EXCERPT]
    shown_start = start - first
    shown_end = min(end - first, len(text) + 1)
    text = "".join(_printable(c) for c in text)
    gutter = str(span.line)
    pad = " " * len(gutter)
    prefix = "".join(c if c == "\t" else " " for c in text[:shown_start])
    width = max(1, shown_end - shown_start)
    marker = "^" + "~" * (width - 1)
    return ["%s | %s" % (gutter, text), "%s | %s%s" % (pad, prefix, marker)]


class TooManyErrors(Exception):
    """Raised by a Sink once MAX_ERRORS errors have been reported."""


class Sink:
    """Collects diagnostics for one run, dropping exact duplicates."""

    def __init__(self, limit=MAX_ERRORS):
        self.limit = limit
        self.diagnostics = []
        self._seen = set()

    def error(self, code, message, span=None, help=None, notes=()):
        """Record an error; raise TooManyErrors once the limit is reached."""
        diag = Diagnostic(code, message, span, help, notes)
        if diag.key() in self._seen:
            return diag
        self._seen.add(diag.key())
        self.diagnostics.append(diag)
        if len(self.diagnostics) >= self.limit:
            raise TooManyErrors()
        return diag

    @property
    def has_errors(self):
        """True once any error has been recorded."""
        return bool(self.diagnostics)

    def count(self):
        """Number of errors recorded so far."""
        return len(self.diagnostics)

    def sorted(self):
        """Diagnostics ordered by file and position (errors without one first)."""
        def key(d):
            if d.span is None:
                return ("", 0, 0)
            return (d.span.source.display, d.span.line, d.span.col)
        return sorted(self.diagnostics, key=key)

    def render(self):
        """All diagnostics, ordered by position, as one string."""
        return "".join(d.render() for d in self.sorted())


class Stop(Exception):
    """A step found errors that make the following steps meaningless."""
