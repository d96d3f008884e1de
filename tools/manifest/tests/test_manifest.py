#!/usr/bin/env python3
"""Tests of the manifest checker (tools/manifest/manifest.py).

    test_manifest.py good    every manifest of tests/good checks clean and generates tables
                             (which compile, when riscv64-unknown-elf-gcc is there)
    test_manifest.py bad     every manifest of tests/bad gives exactly the errors it lists
                             (its `# expect: LINE: error: MESSAGE` comments), in order
    test_manifest.py apps    every apps/*/system.toml checks clean against idl/
    test_manifest.py devices-bad   every manifest of tests/devices/bad gives exactly the
                             errors it lists (devices, own Untyped, supervisor rights,
                             sessions, events)
    test_manifest.py devices-good  every manifest of tests/devices/good generates the table
                             lines it lists (`# table: LINE`, in order), and `tables`
                             writes the same tables without any program image

CTest runs each as one test ID (tools/manifest/CMakeLists.txt).
"""

import glob
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TOOL = os.path.join(os.path.dirname(HERE), "manifest.py")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))


def run(*args):
    p = subprocess.run([sys.executable, TOOL, *args], capture_output=True, text=True,
                       check=False)
    return p.returncode, p.stderr.splitlines()


class Good(unittest.TestCase):
    def test_good(self):
        files = sorted(glob.glob(os.path.join(HERE, "good", "*.toml")))
        self.assertTrue(files)
        for f in files:
            with self.subTest(f=os.path.basename(f)), tempfile.TemporaryDirectory() as d:
                out = os.path.join(d, "tables.c")
                rc, err = run("generate", f, "--out", out)
                self.assertEqual((rc, err), (0, []))
                with open(out, encoding="utf-8") as t:
                    text = t.read()
                self.assertIn("const struct sys_component sys_components[]", text)
                self.assertIn("const struct sys_connection sys_connections[]", text)
                cc = shutil.which("riscv64-unknown-elf-gcc")
                if cc:  # the tables compile against the root task's declarations
                    p = subprocess.run(
                        [cc, "-std=c11", "-ffreestanding", "-Wall", "-Wextra", "-Werror",
                         "-Wmissing-prototypes", "-c", out, "-o", os.path.join(d, "t.o")] +
                        ["-I" + os.path.join(ROOT, x) for x in
                         ("servers/root", "libsel/include", "kernel/abi",
                          "codegen/runtime/include")],
                        capture_output=True, text=True, check=False)
                    self.assertEqual(p.returncode, 0, p.stderr)


class Bad(unittest.TestCase):
    def test_bad(self):
        files = sorted(glob.glob(os.path.join(HERE, "bad", "*.toml")))
        self.assertGreaterEqual(len(files), 15)
        for f in files:
            with self.subTest(f=os.path.basename(f)):
                with open(f, encoding="utf-8") as t:
                    want = [line[len("# expect: "):].rstrip("\n") for line in t
                            if line.startswith("# expect: ")]
                self.assertTrue(want, "a bad manifest lists the errors it expects")
                args = ["check", f]
                if os.path.basename(f).startswith("idl_"):
                    args += ["--idl-dir", os.path.join(HERE, "idl")]
                rc, err = run(*args)
                self.assertEqual(rc, 1)
                self.assertEqual(err, [f"{f}:{w}" for w in want])


def expected(path, tag):
    """The `# tag: ...` comments of a test manifest."""
    with open(path, encoding="utf-8") as t:
        return [line[len(f"# {tag}: "):].rstrip("\n") for line in t
                if line.startswith(f"# {tag}: ")]


class DevicesBad(unittest.TestCase):
    def test_devices_bad(self):
        files = sorted(glob.glob(os.path.join(HERE, "devices", "bad", "*.toml")))
        self.assertGreaterEqual(len(files), 5)
        for f in files:
            with self.subTest(f=os.path.basename(f)):
                want = expected(f, "expect")
                self.assertTrue(want, "a bad manifest lists the errors it expects")
                rc, err = run("check", f)
                self.assertEqual(rc, 1)
                self.assertEqual(err, [f"{f}:{w}" for w in want])


class DevicesGood(unittest.TestCase):
    def test_devices_good(self):
        files = sorted(glob.glob(os.path.join(HERE, "devices", "good", "*.toml")))
        self.assertTrue(files)
        for f in files:
            with self.subTest(f=os.path.basename(f)), tempfile.TemporaryDirectory() as d:
                want = expected(f, "table")
                self.assertTrue(want, "a good manifest lists the table lines it expects")
                texts = {}
                for cmd in ("generate", "tables"):
                    out = os.path.join(d, cmd + ".c")
                    self.assertEqual(run(cmd, f, "--out", out), (0, []))
                    with open(out, encoding="utf-8") as t:
                        texts[cmd] = t.read()
                lines = [line.strip() for line in texts["generate"].splitlines()]
                at = 0
                for w in want:
                    self.assertIn(w, lines[at:], f"{w!r} not generated (after line {at})")
                    at = lines.index(w, at) + 1
                self.assertIn("embedded_", texts["generate"])
                self.assertNotIn("embedded_", texts["tables"])
                strip = [line for line in texts["tables"].splitlines()
                         if ".elf" not in line and "Generated" not in line]
                self.assertEqual(strip, [line for line in texts["generate"].splitlines()
                                         if ".elf" not in line and "Generated" not in line
                                         and "embedded_" not in line])


class Apps(unittest.TestCase):
    def test_apps(self):
        for f in sorted(glob.glob(os.path.join(ROOT, "apps", "*", "system.toml"))):
            with self.subTest(f=f):
                rc, err = run("check", f, "--idl-dir", os.path.join(ROOT, "idl"))
                self.assertEqual((rc, err), (0, []))


if __name__ == "__main__":
    names = {"good": Good, "bad": Bad, "apps": Apps, "devices-bad": DevicesBad,
             "devices-good": DevicesGood}
    which = sys.argv[1:] or list(names)
    suite = unittest.TestSuite()
    for n in which:
        suite.addTests(unittest.defaultTestLoader.loadTestsFromTestCase(names[n]))
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    sys.exit(0 if result.wasSuccessful() else 1)
