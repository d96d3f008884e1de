"""Versioning: which elements exist at which version.

`@added(N)` and `@removed(N)` mark the versions an element exists at: from
N added (inclusive) to N removed (exclusive). An element without them lives
as long as its parent; a file-level declaration's parent is "always" (1 to
HEAD). A child may narrow its parent's availability but never widen it
(E082). `--version N` selects one version to generate; the default, HEAD,
is after every numbered version.

This step sets `element.avail = (added, removed)` on every element and
checks the attributes themselves; `present()` answers "does it exist at v".
"""

from . import ast

HEAD = 1 << 62
NEVER = HEAD + 1  # "removed" of an element that is never removed
MAX_VERSION = 65535
ALWAYS = (1, NEVER)
ATTRIBUTES = ("added", "removed")
KERNEL_ATTRIBUTES = ("reg", "mask", "max", "optional")  # kernel methods' arguments


def show(v):
    """A version for messages: a number or HEAD."""
    return "HEAD" if v >= HEAD else str(v)


def show_range(avail):
    """Availability for messages, e.g. 'versions 2 to HEAD'."""
    added, removed = avail
    if removed >= NEVER:
        return "from version %d on" % added
    return "from version %d until %d" % (added, removed)


def present(elem, v):
    """True if `elem` exists at version v."""
    added, removed = elem.avail or ALWAYS
    return added <= v < removed


def children(elem):
    """Direct versioned children of an element."""
    if isinstance(elem, ast.Struct):
        return elem.fields
    if isinstance(elem, ast.Enum):
        return elem.members
    if isinstance(elem, ast.Service):
        return elem.methods + elem.events
    if isinstance(elem, ast.Method):
        return elem.params + (elem.results or [])
    if isinstance(elem, ast.Event):
        return elem.params
    return []


class Annotator:
    """Reads @added/@removed and sets avail on every element."""

    def __init__(self, sink):
        self.sink = sink
        self.points = {1}

    def attributes(self, elem):
        """The declared (added, removed) of elem; None for unset."""
        found = {}
        for attr in elem.attrs:
            if attr.name in KERNEL_ATTRIBUTES:
                continue  # checked by kernel.py
            if attr.name not in ATTRIBUTES:
                self.sink.error("E013", "unknown attribute '@%s'" % attr.name, attr.span,
                                help="the attributes are @added(N) and @removed(N)")
                continue
            if attr.name in found:
                self.sink.error("E015", "'@%s' is given twice" % attr.name, attr.span,
                                notes=[(found[attr.name].span, "first given here")])
                continue
            if attr.arg is None:
                self.sink.error("E014", "'@%s' needs a version number" % attr.name, attr.span,
                                help="write @%s(2)" % attr.name)
                continue
            if not 1 <= attr.arg <= MAX_VERSION:
                self.sink.error("E081", "version %d is out of range" % attr.arg, attr.arg_span,
                                help="versions are numbered from 1 to %d" % MAX_VERSION)
                continue
            found[attr.name] = attr
        added = found["added"].arg if "added" in found else None
        removed = found["removed"].arg if "removed" in found else None
        if added is not None and removed is not None and removed <= added:
            self.sink.error("E080", "%s is removed at version %d, not after it is added at %d"
                            % (elem.where(), removed, added), found["removed"].span,
                            help="@removed must name a later version than @added")
            removed = None
        return added, removed, found

    def annotate(self, elem, parent_avail, parent):
        """Set avail on elem and its children."""
        elem.parent = parent
        added, removed, found = self.attributes(elem)
        p_added, p_removed = parent_avail
        if added is not None:
            self.points.add(added)
            if added < p_added:
                self.sink.error("E082", "%s is added at version %d, before its %s (version %d)"
                                % (elem.where(), added, parent.where(), p_added),
                                found["added"].span)
        if removed is not None:
            self.points.add(removed)
            if removed > p_removed:
                self.sink.error("E082", "%s is removed at version %d, after its %s (version %s)"
                                % (elem.where(), removed, parent.where(), show(p_removed)),
                                found["removed"].span)
        a = max(added if added is not None else p_added, p_added)
        r = min(removed if removed is not None else p_removed, p_removed)
        elem.avail = (a, max(r, a + 1))
        for child in children(elem):
            self.annotate(child, elem.avail, elem)


def annotate(program, sink):
    """Annotate every element of every file; return the sorted version points.

    The version points are the versions at which anything changes (plus 1
    and HEAD); checking the model at each of them checks every version.
    """
    annotator = Annotator(sink)
    for tree in program.files:
        for decl in tree.decls:
            annotator.annotate(decl, ALWAYS, None)
    return sorted(annotator.points) + [HEAD]


def overlaps(a, b):
    """True if availabilities a and b share a version."""
    return a[0] < b[1] and b[0] < a[1]


def covers(outer, inner):
    """True if availability `outer` contains all of `inner`."""
    return outer[0] <= inner[0] and inner[1] <= outer[1]
