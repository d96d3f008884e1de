"""The kernel backend: object methods passed in registers (idl/kernel/).

A `kernel service` declares the methods of one kernel object type (its name
is the type: `tcb`, `cnode`, ...). A method's id is its invocation label,
unique across every kernel service of the program. An invocation is
SEL_SYS_CALL with a0 = the object's cptr, a1 = the label, a2-a6 = the
arguments; the kernel answers a0 = enum sel_error, a1-a6 = the results.

The register layout (`method_layout`):

  - arguments fill a2..a6 in order. A u64 or a capability takes a whole
    register; u8, u16, u32 and bool are packed, least significant bits first
    and naturally aligned, into one register until the next does not fit;
    `@reg(n)` starts a parameter at an, leaving the registers it skips
    unused;
  - every bit no parameter owns is reserved and must be zero, whole unused
    registers included: the kernel refuses a nonzero reserved bit with
    SEL_ERR_INVALID_ARG. `@mask(m)` on a packed field makes the bits outside
    m reserved too; `@max(n)` refuses a greater value with SEL_ERR_RANGE;
  - a `cap<type, rights>` parameter is a cptr in the caller's CSpace, which
    the kernel resolves and checks (type and rights) before the object's
    decoder sees it; `@optional` lets 0 mean none;
  - results fill a1..a6, one register each.

`needs (rights)` names the rights the invoked capability must hold (the
debug capability names its services: info, write, shutdown, bench, check);
`errors (names)` lists the enum sel_error values the method can return
beyond those of the layout (documentation only).

`check_kernel` reports what does not fit (E100-E107, with file:line:col);
`kernel_view` prepares what the templates in templates/kernel/ print: the
label enum and ABI hash (<selene/kernel_abi.h>), the kernel's argument
structs and unpack functions (kernel_unpack.h), libsel's typed stubs
(<sel/kernel_stubs.h>), the table of every method's checks the ABI tests
walk (kernel_cases.h) and the reference, docs/kernel-api.md.
"""

import hashlib

from . import ast
from .names import C_PRIM, object_expr, rights_expr, type_text
from .resolve import OBJECT_TYPES, RIGHTS

ARG_REGS = (2, 3, 4, 5, 6)
RESULT_REGS = (1, 2, 3, 4, 5, 6)
ATTRIBUTES = ("reg", "mask", "max", "optional")
WIDTHS = {"u8": 8, "u16": 16, "u32": 32, "u64": 64, "bool": 1}
DEBUG_RIGHTS = {"info": "read", "write": "write", "shutdown": "grant",
                "bench": "grant_reply", "check": "execute"}
RIGHT_BITS = {"read": 1, "write": 2, "grant": 4, "grant_reply": 8, "execute": 16}
# enum sel_error (kernel/abi/selene/error.h), without SEL_ERR_; a test compares them.
ERRORS = ("invalid_cap", "empty_slot", "wrong_type", "slot_occupied", "no_rights", "range",
          "no_memory", "invalid_arg", "bad_address", "illegal_op", "badge_set",
          "has_children", "deleted", "would_block", "preempted", "unknown_syscall",
          "cancelled", "not_supported", "busy", "peer_dead", "peer_closed", "transport",
          "unknown_method", "protocol", "timeout", "full", "empty", "no_page_table",
          "already_mapped", "no_reply")


def kernel_services(program):
    """Every kernel service of the program, in file then declaration order."""
    return [d for tree in program.files for d in tree.decls
            if isinstance(d, ast.Service) and d.policy == "kernel"]


def _attr(elem, name):
    for a in elem.attrs:
        if a.name == name:
            return a
    return None


class Field:
    """One argument: where it lives and what the kernel checks."""

    def __init__(self, param, kind, reg, shift, width):
        self.param = param
        self.name = param.name
        self.kind = kind  # "int" or "cap"
        self.reg, self.shift, self.width = reg, shift, width
        mask = _attr(param, "mask")
        full = (1 << width) - 1
        self.value_mask = (mask.arg & full) if mask else full
        top = _attr(param, "max")
        self.max = top.arg if top else None
        self.optional = _attr(param, "optional") is not None
        self.idl_type = None
        self.obj = None
        self.rights = 0

    @property
    def owned(self):
        """The bits of its register this field owns (not reserved)."""
        return (self.value_mask << self.shift) & ((1 << 64) - 1)


class MethodLayout:
    """The registers of one method: fields, reserved bits, results."""

    def __init__(self):
        self.fields = []
        self.reserved = {r: (1 << 64) - 1 for r in ARG_REGS}
        self.results = []  # (param, register)
        self.overflow = None  # the first parameter or result that does not fit


def method_layout(m, sink=None):
    """Compute the register layout of method m (reporting E106 with a sink)."""
    lay = MethodLayout()
    reg, bit = ARG_REGS[0], 0
    for p in m.params:
        t = p.type.resolved
        if isinstance(t, ast.CapType):
            kind, width = "cap", 64
        elif isinstance(t, ast.Primitive) and t.name in WIDTHS:
            kind, width = "int", WIDTHS[t.name]
        else:
            continue  # E104, reported by the checker
        at = _attr(p, "reg")
        if at is not None and at.arg is not None:
            if at.arg < reg or (at.arg == reg and bit > 0) or at.arg > ARG_REGS[-1]:
                if sink:
                    sink.error("E106", "'@reg(%d)' does not follow the registers before it: "
                               "the parameter would start at a%d" % (at.arg, reg + (bit > 0)),
                               at.span, help="registers are filled in order, a%d..a%d; @reg "
                               "may only skip forward" % (ARG_REGS[0], ARG_REGS[-1]))
            else:
                reg, bit = at.arg, 0
        if width == 64 or bit + width > 64:
            if bit:
                reg, bit = reg + 1, 0
        else:
            bit = (bit + width - 1) // width * width
        f = Field(p, kind, reg, bit, width)
        f.idl_type = t
        if kind == "cap":
            f.obj, f.rights = t.object, sum(RIGHT_BITS[r] for r in t.rights)
        if reg > ARG_REGS[-1]:
            lay.overflow = lay.overflow or p
        else:
            lay.fields.append(f)
            lay.reserved[reg] &= ~f.owned & ((1 << 64) - 1)
        bit += width
        if bit >= 64:
            reg, bit = reg + 1, 0
    for i, r in enumerate(m.results or []):
        if i >= len(RESULT_REGS):
            lay.overflow = lay.overflow or r
            break
        lay.results.append((r, RESULT_REGS[i]))
    return lay


def needed_rights(svc, m):
    """The rights bits the invoked cap needs."""
    names = DEBUG_RIGHTS if svc.name == "debug" else {r: r for r in RIGHTS}
    return sum(RIGHT_BITS[names[n]] for n, _ in m.needs if n in names)


def check_kernel(program, sink):
    """Every kernel-interface rule (E100-E107); keeps each method's layout in the program."""
    labels = {}
    for tree in program.files:
        for decl in tree.decls:
            kernel = isinstance(decl, ast.Service) and decl.policy == "kernel"
            _misplaced_attributes(decl, kernel, sink)
            if kernel:
                _check_service(decl, labels, program.kernel_layouts, sink)


def _misplaced_attributes(decl, kernel, sink):
    """E100: a kernel attribute where it means nothing."""
    elems = [decl]
    if isinstance(decl, ast.Struct):
        elems += decl.fields
    elif isinstance(decl, ast.Enum):
        elems += decl.members
    elif isinstance(decl, ast.Service):
        for m in decl.methods:
            elems.append(m)
            for p in m.params:
                if not kernel:
                    elems.append(p)
                else:
                    _check_param_attributes(p, sink)
            elems += m.results or []
        for e in decl.events:
            elems += [e] + e.params
    for elem in elems:
        for a in elem.attrs:
            if a.name in ATTRIBUTES:
                sink.error("E100", "'@%s' applies only to a parameter of a kernel service "
                           "method" % a.name, a.span,
                           help="@reg, @mask, @max and @optional place and check kernel "
                                "invocation arguments (idl/kernel/)")


def _check_param_attributes(p, sink):
    """E100: a kernel attribute on the wrong kind of parameter or without its value."""
    t = p.type.resolved
    is_cap = isinstance(t, ast.CapType)
    width = WIDTHS.get(getattr(t, "name", None), 0)
    for a in p.attrs:
        if a.name not in ATTRIBUTES:
            continue
        wrong = None
        if a.name == "optional" and (not is_cap or a.arg is not None):
            wrong = "'@optional' (without a value) applies only to a capability"
        elif a.name in ("reg", "mask", "max") and a.arg is None:
            wrong = "'@%s' needs a value" % a.name
        elif a.name == "mask" and not 0 < width < 64:
            wrong = "'@mask' applies only to a packed field (u8, u16, u32)"
        elif a.name == "mask" and not 0 < a.arg < (1 << width):
            wrong = "'@mask(%d)' does not fit a %d-bit field" % (a.arg, width)
        elif a.name == "max" and (is_cap or not width or a.arg < 0
                                  or a.arg >= (1 << width) - 1):
            wrong = "'@max' must be below the largest value of an integer parameter"
        if wrong:
            sink.error("E100", "%s (parameter '%s')" % (wrong, p.name), a.span)


def _check_service(svc, labels, layouts, sink):
    if svc.name not in OBJECT_TYPES:
        sink.error("E107", "kernel service '%s' names no kernel object type" % svc.name,
                   svc.name_span, help="a kernel service is named after the object type "
                   "whose methods it declares: " + ", ".join(OBJECT_TYPES))
    for e in svc.events:
        sink.error("E104", "kernel service '%s' cannot have events" % svc.name, e.name_span,
                   help="the kernel answers invocations; it sends nothing unasked")
    for m in svc.methods:
        first = labels.get(m.ordinal)
        if first is not None:
            sink.error("E105", "label %d is already used by '%s.%s'"
                       % (m.ordinal, first[0].name, first[1].name), m.ordinal_span,
                       notes=[(first[1].ordinal_span, "first used here")],
                       help="invocation labels are one number space for every object type")
        else:
            labels[m.ordinal] = (svc, m)
        if m.oneway:
            sink.error("E104", "kernel method '%s' cannot be one-way" % m.name, m.oneway_span,
                       help="every invocation returns an error code")
        if m.error is not None:
            sink.error("E104", "kernel method '%s' names its errors with 'errors (...)'"
                       % m.name, m.error.span,
                       help="kernel methods return enum sel_error: 'errors (busy, range)'")
        _check_names(svc, m, sink)
        for p in list(m.params) + list(m.results or []):
            _check_type(p, p in m.params, sink)
        lay = layouts[id(m)] = method_layout(m, sink)
        if lay.overflow is not None:
            what = "results" if lay.overflow in (m.results or []) else "arguments"
            regs = "a1-a6" if what == "results" else "a2-a6"
            sink.error("E101", "the %s of kernel method '%s' do not fit in registers %s"
                       % (what, m.name, regs), lay.overflow.name_span,
                       help="pack small fields (u8, u16, u32) together, or pass a user "
                            "pointer to a struct")


def _check_names(svc, m, sink):
    rights = DEBUG_RIGHTS if svc.name == "debug" else RIGHTS
    for name, span in m.needs:
        if name not in rights:
            sink.error("E102", "unknown right '%s' in 'needs'" % name, span,
                       help="the rights are: " + ", ".join(rights))
    for name, span in m.errors:
        if name not in ERRORS:
            sink.error("E103", "unknown error '%s' in 'errors'" % name, span,
                       help="the names are enum sel_error's without SEL_ERR_, in lower "
                            "case (kernel/abi/selene/error.h)")


def _check_type(p, argument, sink):
    t = p.type.resolved
    if t is None:
        return
    if isinstance(t, ast.CapType) and argument:
        if t.object is None:
            sink.error("E104", "capability parameter '%s' needs an object type" % p.name,
                       p.type.span, help="write cap<cnode> or cap<frame, read>")
        return
    if isinstance(t, ast.Primitive) and t.name in WIDTHS:
        return
    sink.error("E104", "'%s' cannot pass in a register: kernel methods take u8, u16, u32, "
               "u64, bool%s" % (p.name, " and cap<...>" if argument else ""), p.type.span,
               help="pass larger data through a user pointer (u64)")


# The view.

def _c_right(svc, m):
    """C expression of the rights the invoked cap needs (the debug cap names its own)."""
    if svc.name == "debug":
        consts = ["SEL_DEBUG_RIGHT_%s" % n.upper() for n, _ in m.needs if n in DEBUG_RIGHTS]
        return " | ".join(consts) or "0"
    return rights_expr([n for n, _ in m.needs if n in RIGHTS])


def _doc(text):
    """Doc text as lines without trailing blanks."""
    return [line.rstrip() for line in (text or "").split("\n")] if text else []


def _field_view(f):
    ctype = "sel_cptr_t" if f.kind == "cap" else C_PRIM[f.idl_type.name]
    where = "a%d" % f.reg if f.width == 64 else "a%d bits %d-%d" % (
        f.reg, f.shift, f.shift + f.width - 1)
    return {
        "name": f.name, "kind": f.kind, "reg": f.reg, "ctype": ctype, "shift": f.shift,
        "where": where, "max": f.max, "optional": f.optional,
        "obj": f.obj, "obj_c": object_expr(f.obj) if f.obj else None,
        "rights_c": rights_expr(f.idl_type.rights) if f.kind == "cap" else None,
        "rights_names": list(f.idl_type.rights) if f.kind == "cap" else [],
        "idl_type": type_text(f.idl_type), "doc": _doc(f.param.doc),
        "mask": "0x%x" % f.value_mask if f.width < 64 else None,
    }


def method_view(svc, m, lay):
    """What the templates print for one method laid out as `lay`."""
    fields = [_field_view(f) for f in lay.fields]
    regs = {}
    for f in fields:
        regs.setdefault(f["reg"], []).append(f)
    reserved = [{"reg": r, "mask": "0x%xull" % lay.reserved[r],
                 "whole": lay.reserved[r] == (1 << 64) - 1}
                for r in ARG_REGS if lay.reserved[r]]
    words = [{"reg": r, "fields": regs[r]} for r in sorted(regs)]
    base = "%s_%s" % (svc.name, m.name)
    return {
        "name": m.name, "base": base, "label": m.ordinal, "svc": svc.name,
        "obj_c": object_expr(svc.name),
        "label_c": "SEL_%s" % base.upper(), "doc": _doc(m.doc),
        "fields": fields, "words": words, "reserved": reserved,
        "results": [{"name": r.name, "reg": reg, "doc": _doc(r.doc)}
                    for r, reg in lay.results],
        "needs": [n for n, _ in m.needs], "needs_c": _c_right(svc, m),
        "errors": ["SEL_ERR_%s" % n.upper() for n, _ in m.errors],
        "has_caps": any(f["kind"] == "cap" for f in fields),
        "caps": [f for f in fields if f["kind"] == "cap"], "by_reg": {r: regs.get(r, []) for r in ARG_REGS},
        "has_max": any(f["max"] is not None for f in fields),
        "reserved_by_reg": {r: "0x%xull" % lay.reserved[r] for r in ARG_REGS},
        "max_field": next(({"reg": f.reg, "shift": f.shift, "max": f.max}
                           for f in lay.fields if f.max is not None), None),
    }


def abi_text(services, layouts):
    """The canonical text the ABI hash is taken over: every label and layout."""
    lines = []
    for svc in services:
        for m in sorted(svc.methods, key=lambda x: x.ordinal):
            lay = layouts[id(m)]
            parts = ["%s.%s=%d" % (svc.name, m.name, m.ordinal), "needs=%d"
                     % needed_rights(svc, m)]
            for f in lay.fields:
                parts.append("%s:a%d:%d:%d:%x:%s:%s:%d:%s" % (
                    f.kind, f.reg, f.shift, f.width, f.value_mask, f.max, f.obj, f.rights,
                    f.optional))
            parts.append("results=%d" % len(lay.results))
            lines.append(" ".join(parts))
    return "\n".join(lines) + "\n"


def abi_hash(services, layouts):
    """64 bits of SHA-256 over abi_text()."""
    text = abi_text(services, layouts)
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")


def kernel_view(program, source_name):
    """The view of every kernel service of the program (check_kernel() has laid them out)."""
    layouts = program.kernel_layouts
    services = sorted(kernel_services(program),
                      key=lambda s: min([m.ordinal for m in s.methods] or [0]))
    svcs = []
    for svc in services:
        methods = [method_view(svc, m, layouts[id(m)]) for m in sorted(svc.methods, key=lambda x: x.ordinal)]
        svcs.append({"name": svc.name, "obj_c": object_expr(svc.name),
                     "doc": _doc(svc.doc), "methods": methods,
                     "file": svc.file.source.display if svc.file else source_name})
    labels = sorted((m for s in svcs for m in s["methods"]), key=lambda m: m["label"])
    digest = abi_hash(services, layouts)
    return {"source": source_name, "services": svcs, "labels": labels,
            "abi_hash": "0x%016xull" % digest, "abi_hash_text": "%016x" % digest}


OUTPUTS = [("kernel/kernel_abi.h.j2", "selene/kernel_abi.h"),
           ("kernel/kernel_unpack.h.j2", "kernel_unpack.h"),
           ("kernel/kernel_stubs.h.j2", "sel/kernel_stubs.h"),
           ("kernel/kernel_cases.h.j2", "kernel_cases.h"),
           ("kernel/kernel-api.md.j2", "kernel-api.md")]


def render_kernel(view):
    """{relative file name: text} of the kernel interface."""
    from .render import environment

    env = environment()
    return {name: env.get_template(tpl).render(**view) for tpl, name in OUTPUTS}
