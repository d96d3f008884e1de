"""The register layout of every kernel object method, from idl/kernel/ through idlc.

docs/kernel-api.md is generated from the same declarations by the same code
(codegen/idlc/kernel.py, `method_layout`), so what the model checks before a
method runs is what that document says: the rights the invoked cap needs,
the reserved bits of a2-a6, each field's @max and each capability argument
(its register, type, rights and whether 0 means none).

`load()` returns {label: Method}; a Method's fields are in declaration
order, which is the order the kernel's generated unpack checks them in.
Standard library only (idlc's parser and layout do not need jinja2).
"""
import os
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
KERNEL_IDL = os.path.join(ROOT, "idl", "kernel", "kernel.idl")


class Field:
    """One argument: register, shift, value mask; for a cap its object type
    (enum sel_object_type), rights and whether 0 means none."""

    def __init__(self, f, obj):
        self.name, self.kind, self.reg, self.shift = f.name, f.kind, f.reg, f.shift
        self.mask, self.max, self.optional = f.value_mask, f.max, f.optional
        self.obj, self.rights = obj, f.rights

    def value(self, a):
        return (a[self.reg] >> self.shift) & self.mask


class Method:
    """What the kernel checks of one label before the method's own checks."""

    def __init__(self, label, obj, needs, reserved, fields):
        self.label, self.obj, self.needs = label, obj, needs
        self.reserved = reserved  # {register: the bits that must be zero}
        self.fields = fields


def load(path=KERNEL_IDL):
    sys.path.insert(0, os.path.join(ROOT, "codegen"))
    try:
        from idlc import kernel
        from idlc.check import check
        from idlc.diagnostics import Sink
        from idlc.resolve import OBJECT_TYPES, load as idl_load
        from idlc.version import annotate
    finally:
        sys.path.pop(0)
    sink = Sink()
    program = idl_load(path, sink, root=ROOT)
    if program is None:
        raise RuntimeError(f"idlc cannot load {path}")
    check(program, sink, annotate(program, sink))
    if sink.has_errors:
        raise RuntimeError(f"idlc reports errors in {path}")
    # enum sel_object_type numbers idlc's object types in order, from 1.
    obj_number = {name: i + 1 for i, name in enumerate(OBJECT_TYPES)}
    methods = {}
    for svc in kernel.kernel_services(program):
        for m in svc.methods:
            lay = kernel.method_layout(m)
            fields = [Field(f, obj_number.get(f.obj)) for f in lay.fields]
            methods[m.ordinal] = Method(m.ordinal, obj_number[svc.name],
                                        kernel.needed_rights(svc, m),
                                        {r: b for r, b in lay.reserved.items() if b}, fields)
    return methods
