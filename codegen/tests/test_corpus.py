"""IDL_0001 and IDL_0002: the good and bad corpora, discovered automatically.

Every codegen/tests/idl/good/*.idl must compile without a diagnostic.
Every codegen/tests/idl/bad/*.idl declares what it must produce in its
header:

    // expect: E024 at 4:8      one line per diagnostic, in report order
    // expect: E090             (no position: command-line errors)
    // args: --version 0        extra idlc arguments (optional)

and must produce exactly those diagnostics: no fewer (the error is found)
and no more (no cascade of follow-on errors). Files in subdirectories are
helpers that cases import, not cases.
"""

import glob
import os
import re
import unittest

import idltest
from idlc.diagnostics import CODES

DIAG = re.compile(r"^(?:(.+):(\d+):(\d+)|idlc): error\[(E\d{3,4})\]: ")


def diagnostics(err):
    """(code, (line, col) or None) for each error line of idlc's output."""
    out = []
    for line in err.splitlines():
        m = DIAG.match(line)
        if m:
            pos = (int(m.group(2)), int(m.group(3))) if m.group(2) else None
            out.append((m.group(4), pos))
    return out


def cases(directory):
    """The .idl files directly in `directory`, sorted."""
    return sorted(glob.glob(os.path.join(directory, "*.idl")))


class GoodCorpus(unittest.TestCase):
    """IDL_0001: valid files compile cleanly."""

    def test_good_files_compile(self):
        files = cases(idltest.GOOD)
        self.assertGreaterEqual(len(files), 10, "the good corpus is too small")
        for path in files:
            with self.subTest(case=os.path.basename(path)):
                status, _, err = idltest.run_idlc(["--check", path])
                self.assertEqual((status, err), (0, ""),
                                 "%s must compile cleanly:\n%s" % (path, err))

    def test_good_files_at_every_version(self):
        for path in cases(idltest.GOOD):
            for version in ("1", "2", "3", "4"):
                with self.subTest(case=os.path.basename(path), version=version):
                    status, _, err = idltest.run_idlc(["--check", "--version", version, path])
                    self.assertEqual((status, err), (0, ""), err)


class BadCorpus(unittest.TestCase):
    """IDL_0002: invalid files produce exactly the declared diagnostics."""

    def test_bad_files_report_declared_errors(self):
        files = cases(idltest.BAD)
        self.assertGreaterEqual(len(files), 30, "the bad corpus needs at least 30 cases")
        for path in files:
            name = os.path.basename(path)
            with self.subTest(case=name):
                expects, args = idltest.read_expectations(path)
                self.assertTrue(expects, "%s has no '// expect:' header" % name)
                argv = list(args) if "-o" in args else ["--check"] + list(args)
                status, _, err = idltest.run_idlc(argv + [path])
                self.assertEqual(status, 1, "%s: exit status %s\n%s" % (name, status, err))
                self.assertNotIn("Traceback", err)
                got = diagnostics(err)
                self.assertEqual(got, expects,
                                 "%s: expected %s, idlc reported:\n%s" % (name, expects, err))

    def test_every_code_has_a_bad_case(self):
        seen = set()
        for path in cases(idltest.BAD):
            seen.update(code for code, _ in idltest.read_expectations(path)[0])
        missing = sorted(set(CODES) - seen)
        self.assertEqual(missing, [], "codes without a bad case: %s" % ", ".join(missing))

    def test_diagnostic_format(self):
        """Source line, caret/underline and help, as documented."""
        path = os.path.join(idltest.BAD, "e024_unknown_type.idl")
        _, _, err = idltest.run_idlc(["--check", path])
        lines = err.splitlines()
        self.assertRegex(lines[0], r"e024_unknown_type\.idl:4:8: error\[E024\]: "
                                   r"unknown type 'u33'$")
        self.assertEqual(lines[1], "4 |     x: u33;")
        self.assertEqual(lines[2], "  |        ^~~")
        self.assertEqual(lines[3], "help: did you mean 'u32'?")


if __name__ == "__main__":
    unittest.main()
