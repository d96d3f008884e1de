#!/usr/bin/env python3
"""The kernel's layering and file rules (kernel/README.md, "Layers"), checked.

  check_layers.py ROOT            every rule over the tree at ROOT
  check_layers.py --self-test     each rule must catch a planted violation

Rules:
  includes   a kernel file includes only the folders its layer may use
             (LAYERS below, the table in kernel/README.md); <selene/...> is
             the ABI, <common/...> the code shared with libsel, <sel/...>
             (libsel) never.
  basenames  no two files of kernel/ outside kernel/abi/, nor two of
             libsel/src/, share a basename.
  ifdef      no #if, #ifdef or #ifndef inside a function body in kernel/
             (variants are chosen per file by the build, or per function).
Prints one line per violation; exit status 1 if there is any.
"""
import os
import re
import sys

STD = {"stdint.h", "stddef.h", "stdbool.h", "stdarg.h"}

# folder -> the folders its files may include ("abi" = <selene/...>,
# "common" = <common/...>). arch/riscv is split: its headers are the machine
# floor; its .c and .S files also hand traps, ticks and harts to the core.
FLOOR = {"lib", "arch", "abi", "common"}
CORE = {"object", "ipc", "sched"}
LAYERS = {
    "abi": {"abi"},
    "cap": {"cap", "abi"},
    "lib": FLOOR,
    "arch.h": FLOOR,
    "arch": FLOOR | CORE,
    "uaccess": FLOOR | {"uaccess"},
    "object": FLOOR | CORE | {"cap", "uaccess"},
    "ipc": FLOOR | CORE | {"cap", "uaccess"},
    "sched": FLOOR | CORE | {"cap", "uaccess"},
    "syscall": FLOOR | CORE | {"cap", "uaccess", "syscall"},
    "boot": FLOOR | CORE | {"cap", "uaccess", "syscall", "boot"},
}

# Headers the build generates from idl/kernel/ (cmake/SeleneKernelAbi.cmake): part of the ABI.
GENERATED_ABI = {"kernel_unpack.h"}

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
CONDITIONAL = re.compile(r"^\s*#\s*if(n?def)?\b")


def layer_of(rel):
    """The layer of kernel/<rel>, or None for files no rule covers."""
    parts = rel.split("/")
    top = parts[0]
    if top == "arch":
        return "arch.h" if rel.endswith(".h") else "arch"
    return top if top in LAYERS else None


def target_of(kind, path):
    """The layer an include names, or None for a standard header."""
    if kind == "<":
        if path in STD:
            return None
        top = path.split("/")[0]
        return {"selene": "abi", "common": "common"}.get(top, "<%s>" % top)
    top = path.split("/")[0]
    if path in GENERATED_ABI:
        return "abi"
    return "abi" if top == "selene" else top


def include_violations(rel, text):
    layer = layer_of(rel)
    if layer is None:
        return []
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        m = INCLUDE.match(line)
        if not m:
            continue
        target = target_of(m.group(1), m.group(2))
        if target is not None and target not in LAYERS[layer]:
            out.append("kernel/%s:%d: %s/ may not include %s" % (rel, n, rel.split("/")[0],
                                                                  m.group(2)))
    return out


def ifdef_violations(rel, text):
    """#if inside a function body: the body runs from a line '{' to a line '}'."""
    out, inside = [], False
    for n, line in enumerate(text.splitlines(), 1):
        if line == "{":
            inside = True
        elif line.startswith("}"):
            inside = False
        elif inside and CONDITIONAL.match(line):
            out.append("kernel/%s:%d: #if inside a function body" % (rel, n))
    return out


def basename_violations(files, where):
    seen, out = {}, []
    for rel in sorted(files):
        seen.setdefault(os.path.basename(rel), []).append(rel)
    for name, rels in sorted(seen.items()):
        if len(rels) > 1:
            out.append("%s: basename %s is shared by %s" % (where, name, ", ".join(rels)))
    return out


def sources(folder):
    for dirpath, _, names in os.walk(folder):
        for name in names:
            if name.endswith((".c", ".h", ".S")):
                yield os.path.relpath(os.path.join(dirpath, name), folder)


def check_tree(root):
    kernel = os.path.join(root, "kernel")
    out = []
    files = sorted(sources(kernel))
    for rel in files:
        with open(os.path.join(kernel, rel), encoding="utf-8") as f:
            text = f.read()
        out += include_violations(rel, text)
        if rel.endswith((".c", ".h")):
            out += ifdef_violations(rel, text)
    out += basename_violations([f for f in files if not f.startswith("abi/")], "kernel")
    out += basename_violations(list(sources(os.path.join(root, "libsel", "src"))), "libsel/src")
    return out


def self_test():
    """Each rule must catch a planted violation and pass its clean twin."""
    cases = [
        (include_violations("lib/panic.c", '#include "object/tcb.h"\n'), 1),
        (include_violations("lib/panic.c", '#include "arch/riscv/hart.h"\n'), 0),
        (include_violations("cap/cdt.c", "#include <common/elf.h>\n"), 1),
        (include_violations("object/tcb.c", '#include "syscall/syscall.h"\n'), 1),
        (include_violations("arch/riscv/hart.h", '#include "object/tcb.h"\n'), 1),
        (include_violations("arch/riscv/trap.c", '#include "object/tcb.h"\n'), 0),
        (include_violations("ipc/call.c", "#include <sel/ipc.h>\n"), 1),
        (ifdef_violations("ipc/x.c", "void f(void)\n{\n#ifdef X\n\tg();\n#endif\n}\n"), 1),
        (ifdef_violations("ipc/x.c", "#ifdef X\nvoid f(void)\n{\n\tg();\n}\n#endif\n"), 0),
        (basename_violations(["ipc/uintr.c", "object/uintr.c"], "kernel"), 1),
        (basename_violations(["ipc/uintr.c", "object/uintr_cap.c"], "kernel"), 0),
    ]
    bad = [i for i, (found, want) in enumerate(cases) if len(found) != want]
    for i in bad:
        print("self-test case %d: found %r" % (i, cases[i][0]))
    return not bad


def main(argv):
    if argv[1:] == ["--self-test"]:
        ok = self_test()
        print("layers self-test: %s" % ("ok" if ok else "FAILED"))
        return 0 if ok else 1
    if len(argv) != 2:
        print(__doc__)
        return 2
    if not self_test():
        print("layers: the checker's self-test failed")
        return 1
    out = check_tree(argv[1])
    for line in out:
        print(line)
    print("layers: %d violation(s)" % len(out))
    return 1 if out else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
