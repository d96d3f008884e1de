"""ABI_0001: the kernel backend (idlc --kernel) and the kernel interface it generates.

The register layout of small declarations, the error names against
kernel/abi/selene/error.h, the labels of idl/kernel/ against the numbers the
ABI has always had, the generated C compiling cleanly (host and RISC-V),
and docs/kernel-api.md equal to what idlc generates now.
"""

import os
import re
import subprocess
import tempfile
import unittest

import idltest
from idlc import kernel
from idlc.check import check
from idlc.diagnostics import Sink
from idlc.resolve import load
from idlc.version import annotate

KERNEL_IDL = os.path.join(idltest.REPO, "idl", "kernel", "kernel.idl")
DOC = os.path.join(idltest.REPO, "docs", "kernel-api.md")

# The labels of the ABI before idl/kernel/ existed (kernel/abi/selene/invocation.h).
LABELS = {
    "cnode": (1, 7), "untyped": (16, 18), "tcb": (32, 45), "page_table": (48, 49),
    "frame": (56, 58), "vspace": (60, 60), "asid_control": (61, 61),
    "irq_control": (62, 63), "irq_handler": (66, 68), "uintr_receiver": (70, 71),
    "uintr_sender": (72, 72), "window": (80, 83),
}
DEBUG_LABELS = {64, 90, 91, 92, 93, 94, 95, 96}


def compile_text(text, name="k.idl"):
    """(program, sink) of IDL text, checked."""
    work = tempfile.mkdtemp(prefix="idlc-kernel-")
    path = os.path.join(work, name)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    sink = Sink()
    program = load(path, sink, root=work)
    if program is not None:
        check(program, sink, annotate(program, sink))
    return program, sink


def generate(out):
    """Run idlc --kernel on idl/kernel/ into out."""
    status, _, err = idltest.run_idlc(["--kernel", "--root", idltest.REPO, "-o", out,
                                       KERNEL_IDL])
    if status != 0:
        raise AssertionError("idlc --kernel failed:\n" + err)


class Layout(unittest.TestCase):
    """Registers: packing, @reg, reserved bits, results."""

    def method(self, decl):
        program, sink = compile_text("kernel service tcb {\n    1: " + decl + "\n}\n")
        self.assertFalse(sink.has_errors, sink.render())
        return kernel.method_layout(kernel.kernel_services(program)[0].methods[0])

    def test_packing(self):
        lay = self.method("m(a: u64, b: u8, c: u8, @mask(0x1f) d: u16, e: u32, f: u64) -> ();")
        where = [(f.name, f.reg, f.shift) for f in lay.fields]
        self.assertEqual(where, [("a", 2, 0), ("b", 3, 0), ("c", 3, 8), ("d", 3, 16),
                                 ("e", 3, 32), ("f", 4, 0)])
        self.assertEqual(lay.reserved[3], 0x1f << 16 ^ 0xffff << 16)
        self.assertEqual(lay.reserved[5], (1 << 64) - 1)
        self.assertEqual(lay.reserved[2], 0)

    def test_reg_skips_forward_and_results(self):
        lay = self.method("m(index: u64, @reg(5) depth: u8) -> (x: u64, y: u64);")
        self.assertEqual([(f.reg, f.shift) for f in lay.fields], [(2, 0), (5, 0)])
        self.assertEqual([lay.reserved[r] for r in (3, 4)], [(1 << 64) - 1] * 2)
        self.assertEqual(lay.reserved[5], ~0xff & ((1 << 64) - 1))
        self.assertEqual([reg for _, reg in lay.results], [1, 2])

    def test_caps_take_a_register(self):
        lay = self.method("m(x: u8, c: cap<cnode, write>, @optional e: cap<endpoint>) -> ();")
        self.assertEqual([(f.kind, f.reg) for f in lay.fields],
                         [("int", 2), ("cap", 3), ("cap", 4)])
        self.assertEqual((lay.fields[1].obj, lay.fields[1].rights), ("cnode", 2))
        self.assertTrue(lay.fields[2].optional)


class Interface(unittest.TestCase):
    """idl/kernel/ as the kernel and libsel build it."""

    @classmethod
    def setUpClass(cls):
        cls.out = tempfile.mkdtemp(prefix="idlc-kernel-out-")
        generate(cls.out)

    def read(self, name):
        with open(os.path.join(self.out, name), encoding="utf-8") as handle:
            return handle.read()

    def test_errors_are_enum_sel_error(self):
        with open(os.path.join(idltest.ABI, "selene", "error.h"), encoding="utf-8") as handle:
            names = re.findall(r"SEL_ERR_([A-Z_]+) = \d+", handle.read())
        self.assertEqual(list(kernel.ERRORS), [n.lower() for n in names])

    def test_labels_keep_their_numbers(self):
        sink = Sink()
        program = load(KERNEL_IDL, sink, root=idltest.REPO)
        check(program, sink, annotate(program, sink))
        self.assertFalse(sink.has_errors, sink.render())
        view = kernel.kernel_view(program, "idl/kernel/kernel.idl")
        got = {s["name"]: {m["label"] for m in s["methods"]} for s in view["services"]}
        want = {name: set(range(first, last + 1)) for name, (first, last) in LABELS.items()}
        want["debug"] = DEBUG_LABELS
        self.assertEqual(got, want)

    def test_generated_c_compiles(self):
        compilers = [c for c in (idltest.riscv_cc(),) if c]
        self.assertTrue(compilers, "riscv64-unknown-elf-gcc is needed to compile the stubs")
        src = os.path.join(self.out, "all.c")
        with open(src, "w", encoding="utf-8") as handle:
            handle.write('#include "kernel_unpack.h"\n#include "kernel_cases.h"\n'
                         '#include <sel/kernel_stubs.h>\n')
        for cc in compilers:
            cmd = [cc] + idltest.WARNINGS + idltest.RISCV_FLAGS + [
                "-ffreestanding", "-Wno-unused-const-variable", "-c", "-o",
                os.path.join(self.out, "all.o"), "-I", self.out, "-I", idltest.ABI,
                "-I", os.path.join(idltest.REPO, "libsel", "include"), src]
            proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
            self.assertEqual(proc.returncode, 0, proc.stderr)

    def test_kernel_api_doc_is_current(self):
        with open(DOC, encoding="utf-8") as handle:
            committed = handle.read()
        self.assertEqual(committed, self.read("kernel-api.md"),
                         "docs/kernel-api.md is stale: regenerate it as its header says")

    def test_hash_follows_the_declarations(self):
        program, sink = compile_text("kernel service tcb {\n    1: m(a: u8) -> ();\n}\n")
        self.assertFalse(sink.has_errors)
        one = kernel.abi_hash(kernel.kernel_services(program), program.kernel_layouts)
        program, _ = compile_text("kernel service tcb {\n    1: m(a: u16) -> ();\n}\n")
        self.assertNotEqual(one, kernel.abi_hash(kernel.kernel_services(program),
                                                program.kernel_layouts))


if __name__ == "__main__":
    unittest.main()
