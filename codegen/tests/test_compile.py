"""IDL_0005 and IDL_0006: all generated code compiles warning-free.

Every good corpus file (at every version its availability annotations
name), every example service in idl/, and the round-trip service are
generated into their own directory and compiled with

    -std=c11 -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes
    -Wundef -Wshadow

for the host (cc) and for RISC-V (riscv64-unknown-elf-gcc, freestanding,
-nostdlib), together with the runtime. One extra translation unit per
directory includes every generated header at once, so headers of several
services (sharing types) can be used together.
"""

import concurrent.futures
import glob
import os
import unittest

import idltest

VERSIONED = ("versioned.idl",)


def inputs():
    """(label, .idl path, extra idlc args) of everything to compile."""
    out = []
    for path in sorted(glob.glob(os.path.join(idltest.GOOD, "*.idl"))):
        name = os.path.basename(path)
        versions = ["HEAD", "1", "2", "3", "4"] if name in VERSIONED else ["HEAD"]
        out += [("%s@%s" % (name, v), path, ["--version", v]) for v in versions]
    for path in sorted(glob.glob(os.path.join(idltest.EXAMPLES, "*.idl"))):
        out.append(("idl/" + os.path.basename(path), path, []))
    out.append(("rt.idl", os.path.join(idltest.C_DIR, "rt.idl"), []))
    return out


class Compile:
    """Shared body: generate, then compile every .c and an all-headers unit."""

    cc = None
    flags = []

    def compile_all(self):
        """Generate every input and compile all of it; fail listing what did not build."""
        work = idltest.tempdir(self)
        jobs = []
        for i, (label, path, extra) in enumerate(inputs()):
            gen = os.path.join(work, "gen%d" % i)
            idltest.generate(path, gen, extra)
            headers = sorted(glob.glob(os.path.join(gen, "*.h")))
            unit = os.path.join(gen, "all_headers.c")
            with open(unit, "w") as handle:
                handle.write("/* Every generated header in one unit. */\n")
                handle.write("".join('#include "%s"\n' % os.path.basename(h) for h in headers))
            jobs.append((label, gen, sorted(glob.glob(os.path.join(gen, "*.c")))))
        jobs.append(("runtime", work, idltest.runtime_sources()))
        failures = []

        def build(job):
            # One compiler run per directory; objects land in that directory.
            label, gen, sources = job
            ok, log = idltest.compile_c(self.cc, idltest.WARNINGS + self.flags +
                                        idltest.includes(gen) + ["-c"], sources, cwd=gen)
            return label, sources, ok, log

        with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            for label, sources, ok, log in pool.map(build, jobs):
                if not ok:
                    failures.append("%s (%s):\n%s" % (label, ", ".join(
                        os.path.basename(s) for s in sources), log))
        count = sum(len(sources) for _, _, sources in jobs)
        print("compiled %d files in %d runs of %s" % (count, len(jobs), self.cc))
        self.assertEqual(failures, [], "\n".join(failures))


class HostCompile(Compile, unittest.TestCase):
    """IDL_0005: host compiler."""

    def setUp(self):
        self.cc = idltest.host_cc()
        self.flags = ["-O1"]

    def test_host(self):
        self.compile_all()


class RiscvCompile(Compile, unittest.TestCase):
    """IDL_0006: riscv64-unknown-elf-gcc, freestanding."""

    def setUp(self):
        self.cc = idltest.riscv_cc()
        if not self.cc:
            self.skipTest("riscv64-unknown-elf-gcc not found")
        self.flags = ["-O1"] + [f for f in idltest.RISCV_FLAGS if f != "-c"]

    def test_riscv(self):
        self.compile_all()


if __name__ == "__main__":
    unittest.main()
