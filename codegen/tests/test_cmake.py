"""IDL_0013: selene_idl() in a native and in a RISC-V cross build.

A small project (cmake_project/) builds a client and a server library from
one .idl that imports another. The test configures and builds it natively,
checks where the outputs go, that a second build does nothing, and that
editing the imported file regenerates the code (the depfile at work); then
configures and builds the same project with riscv64-unknown-elf-gcc.
"""

import os
import shutil
import sys
import subprocess
import unittest

import idltest

PROJECT = os.path.join(idltest.TESTS, "cmake_project")
DEMO = """// The selene_idl() test service.
import "common.idl";

service demo {
    1: add(p: demo_pair) -> (sum: i64);
}
"""
COMMON = """// Imported by demo.idl.
struct demo_pair {
    a: i64;
    b: i64;
%s}
"""
TOOLCHAIN = """set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv64)
set(CMAKE_C_COMPILER "%s")
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_C_FLAGS_INIT "-march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany \
-ffreestanding -nostdlib")
"""


def cmake():
    """The cmake binary."""
    return os.environ.get("IDL_TEST_CMAKE") or shutil.which("cmake")


def generator():
    """Ninja if available (it reports no-op builds), else Unix Makefiles."""
    return "Ninja" if shutil.which("ninja") else "Unix Makefiles"


class SeleneIdlFunction(unittest.TestCase):
    """Configure, build, rebuild."""

    def setUp(self):
        if not cmake():
            self.skipTest("cmake not found")
        self.work = idltest.tempdir(self, "idlc-cmake-")
        self.idl_dir = os.path.join(self.work, "idl")
        os.mkdir(self.idl_dir)
        self.write("demo.idl", DEMO)
        self.write("common.idl", COMMON % "")

    def write(self, name, text):
        """Write a file of the test's IDL directory."""
        with open(os.path.join(self.idl_dir, name), "w") as handle:
            handle.write(text)

    def run_cmd(self, cmd):
        """Run a command that must succeed; return its output."""
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        self.assertEqual(proc.returncode, 0, "%s failed:\n%s%s" % (" ".join(cmd), proc.stdout,
                                                                   proc.stderr))
        return proc.stdout

    def configure(self, build, extra=()):
        """Configure the test project into `build`."""
        python = sys.executable  # the resolved interpreter (no launcher shim)
        self.run_cmd([cmake(), "-S", PROJECT, "-B", build, "-G", generator(),
                      "-DSELENE_PYTHON=" + python, "-DSELENE_ROOT=" + idltest.REPO,
                      "-DIDL_DIR=" + self.idl_dir] + list(extra))

    def build(self, build):
        """Build; return the build tool's output."""
        return self.run_cmd([cmake(), "--build", build])

    def test_native_build_and_regeneration(self):
        build = os.path.join(self.work, "native")
        self.configure(build)
        self.build(build)
        out = os.path.join(build, "idl")
        self.assertTrue({"demo_types.h", "demo_client.c", "demo_client.h", "demo_server.c",
                         "demo_server.h", "demo.md"} <= set(os.listdir(out)))
        if generator() == "Ninja":
            self.assertIn("no work to do", self.build(build))
        self.write("common.idl", COMMON % "    c: i64;\n")
        self.build(build)
        with open(os.path.join(out, "demo_types.h")) as handle:
            self.assertIn("int64_t c;", handle.read(), "editing an import did not regenerate")

    def test_cross_build(self):
        cc = idltest.riscv_cc()
        if not cc:
            self.skipTest("riscv64-unknown-elf-gcc not found")
        toolchain = os.path.join(self.work, "riscv.cmake")
        with open(toolchain, "w") as handle:
            handle.write(TOOLCHAIN % cc)
        build = os.path.join(self.work, "riscv")
        self.configure(build, ["-DCMAKE_TOOLCHAIN_FILE=" + toolchain])
        self.build(build)
        lib = os.path.join(build, "libdemo_server.a")
        self.assertTrue(os.path.exists(lib))
        objdump = shutil.which("riscv64-unknown-elf-objdump")
        if objdump:
            self.assertIn("elf64-littleriscv", self.run_cmd([objdump, "-f", lib]))


if __name__ == "__main__":
    unittest.main()
