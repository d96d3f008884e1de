#!/usr/bin/env python3
"""Host tests of the scenario compiler (SCEN_0901, labels host;scenario).

- tests/bad/<name>.toml triggers the diagnostic <name> of diagnostics.py; its
  first line says `# expect: <line>: error: <message>`, and the compiler must
  print exactly `<file>:<line>: error: <message>` and exit 1.
- every diagnostic of the catalog has such a file, and docs/scenarios.md
  lists every message template, and every operation, key, kind, right and
  error name a scenario may use;
- every scenario file under tests/scenarios compiles, and the C it renders
  is what the tables promise (ids, slots, lines).
"""
import glob
import io
import os
import re
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TOOL = os.path.dirname(HERE)
ROOT = os.path.normpath(os.path.join(TOOL, "..", ".."))
sys.path.insert(0, TOOL)

import scenc  # noqa: E402
from diagnostics import MESSAGES  # noqa: E402

BAD = sorted(glob.glob(os.path.join(HERE, "bad", "*.toml")))


def run(path, *extra):
    """(exit status, stdout, stderr) of the compiler in this process."""
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        rc = scenc.main([path, "--name", os.path.basename(path), *extra])
    finally:
        sys.stdout, sys.stderr = old
    return rc, out.getvalue(), err.getvalue()


class Diagnostics(unittest.TestCase):
    def test_every_bad_file(self):
        for path in BAD:
            with self.subTest(file=os.path.basename(path)):
                with open(path, "rb") as f:
                    first = f.readline().decode("ascii").rstrip("\n")
                m = re.match(r"^# expect: (\d+: error: .*)$", first)
                self.assertIsNotNone(m, "first line must be '# expect: LINE: error: MESSAGE'")
                rc, out, err = run(path)
                self.assertEqual(rc, 1)
                self.assertEqual(out, "")
                self.assertEqual(err, f"{os.path.basename(path)}:{m.group(1)}\n")

    def test_every_diagnostic_has_a_bad_file(self):
        names = {os.path.basename(p)[:-5] for p in BAD}
        self.assertEqual(sorted(set(MESSAGES) - names), [])
        self.assertEqual(sorted(names - set(MESSAGES)), [])

    def test_the_bad_file_triggers_its_own_diagnostic(self):
        for path in BAD:
            code = os.path.basename(path)[:-5]
            rc, _, err = run(path)
            template = re.escape(MESSAGES[code])
            template = re.sub(r"\\\{[a-z]+\\\}", ".*", template)
            with self.subTest(code=code):
                self.assertRegex(err.split(": error: ", 1)[1].rstrip("\n"), "^" + template + "$")

    def test_docs_list_every_message(self):
        with open(os.path.join(ROOT, "docs", "scenarios.md"), encoding="utf-8") as f:
            doc = f.read()
        for code, template in MESSAGES.items():
            with self.subTest(code=code):
                self.assertIn(f"`{template}`", doc)

    def test_docs_list_every_keyword_and_error(self):
        """Every operation, key, kind, right and outcome the compiler knows is documented."""
        import check  # noqa: E402  (tools/scenario/check.py)
        with open(os.path.join(ROOT, "docs", "scenarios.md"), encoding="utf-8") as f:
            doc = f.read()
        words = set(check.OPS) | set(check.KINDS) | set(check.RIGHTS) | set(check.OBJ_TYPE)
        words |= {k for keys in check.OP_KEYS.values() for k in keys}
        words |= {"id", "what", "parties", "control", "name", "kind", "bits", "party", "object",
                  "from", "rights", "badge", "vector", "op", "expect", "allowed", "fault",
                  "blocked", "all"}
        words |= set(check.read_errors(os.path.join(ROOT, "kernel", "abi", "selene",
                                                    "error.h"))) - {"SEL_OK", "SEL_ERR_COUNT"}
        for w in sorted(words):
            with self.subTest(word=w):
                self.assertIn(f"`{w}`", doc)

    def test_command_line(self):
        path = os.path.join(HERE, "bad", "op.toml")
        p = subprocess.run([sys.executable, os.path.join(TOOL, "scenc.py"), path],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 1)
        self.assertRegex(p.stderr, r"^tools/scenario/tests/bad/op\.toml:\d+: error: unknown "
                         r"operation 'frobnicate'\n$")


class GoodFiles(unittest.TestCase):
    def test_scenario_files_compile(self):
        files = sorted(glob.glob(os.path.join(ROOT, "tests", "scenarios", "*.toml")))
        self.assertTrue(files)
        ids = []
        for path in files:
            rc, out, err = run(path, "--list")
            with self.subTest(file=os.path.basename(path)):
                self.assertEqual((rc, err), (0, ""))
            ids += [line.split()[0] for line in out.splitlines()]
        self.assertEqual(len(ids), len(set(ids)), "scenario IDs are unique across files")
        self.assertGreaterEqual(len([i for i in ids if i < "SCEN_0900"]), 20)

    def test_rendered_tables(self):
        path = os.path.join(ROOT, "tests", "scenarios", "ipc.toml")
        out_c = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"scen-test-{os.getpid()}.c")
        try:
            rc, _, _ = run(path, "-o", out_c)
            self.assertEqual(rc, 0)
            with open(out_c, encoding="utf-8") as f:
                c = f.read()
        finally:
            if os.path.exists(out_c):
                os.remove(out_c)
        self.assertIn("/* Generated by tools/scenario from ipc.toml. Edit the scenario file. */", c)
        self.assertIn('TEST(SCEN_0001, "', c)
        self.assertIn('[5] = "SEL_ERR_NO_RIGHTS",', c)
        # The first cap of each party gets the first scenario slot, 32.
        self.assertRegex(c, r"\{\.party = 1, \.slot = 32, \.object = 0, .*\.rights = 0x1, "
                         r"\.badge = 0x0ull\}")
        self.assertRegex(c, r"\.badge = 0x77ull\}")


if __name__ == "__main__":
    unittest.main(verbosity=1)
