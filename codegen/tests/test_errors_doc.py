"""IDL_0004: docs/idl-errors.md documents every code, and its examples work.

Each code of idlc's catalog (idlc/diagnostics.py) has a section with a bad
example and its fix, and no section names an unknown code. A bad `idl`
example must produce exactly its code; the fix must compile cleanly.
Command-line examples (`sh` blocks) that run idlc are run too, with their
output directory redirected to a temporary one.
"""

import os
import re
import shlex
import unittest

import idltest
from idlc.diagnostics import CODES

DOC = os.path.join(idltest.REPO, "docs", "idl-errors.md")
DIAG = re.compile(r"^(?:.+:\d+:\d+|idlc): error\[(E\d{3,4})\]: ")
HELPERS = {
    "geometry.idl": 'import "units.idl";\n\nstruct geometry_vec {\n    x: units_meters;\n'
                    '    y: units_meters;\n}\n',
    "units.idl": "struct units_meters {\n    value: i64;\n}\n",
}


def sections():
    """{code: {"Bad": (lang, text), "Fix": (lang, text)}} parsed from the doc."""
    with open(DOC, encoding="utf-8") as handle:
        text = handle.read()
    out = {}
    for part in re.split(r"^## ", text, flags=re.M)[1:]:
        code = part.split("\n", 1)[0].strip()
        blocks = {}
        for label, lang, body in re.findall(r"^(Bad|Fix):\s*\n\s*\n```(\w+)\n(.*?)\n```",
                                            part, flags=re.M | re.S):
            blocks[label] = (lang, body + "\n")
        out[code] = blocks
    return out


class ErrorsDoc(unittest.TestCase):
    """The error reference matches the compiler."""

    @classmethod
    def setUpClass(cls):
        cls.sections = sections()

    def test_every_code_documented(self):
        self.assertEqual(sorted(set(CODES) - set(self.sections)), [],
                         "codes missing from docs/idl-errors.md")
        self.assertEqual(sorted(set(self.sections) - set(CODES)), [],
                         "docs/idl-errors.md documents codes idlc does not have")
        for code, blocks in self.sections.items():
            with self.subTest(code=code):
                self.assertIn("Bad", blocks, "%s has no bad example" % code)
                self.assertIn("Fix", blocks, "%s has no fix" % code)

    def workdir(self):
        """A directory with the helper files the examples import."""
        work = idltest.tempdir(self)
        os.mkdir(os.path.join(work, "shapes"))
        for name, text in HELPERS.items():
            with open(os.path.join(work, name), "w") as handle:
                handle.write(text)
        return work

    def check_idl(self, work, text):
        """Check IDL text; return (status, codes, stderr)."""
        path = os.path.join(work, "example.idl")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        status, _, err = idltest.run_idlc(["--check", path])
        return status, [m.group(1) for m in map(DIAG.match, err.splitlines()) if m], err

    def run_sh(self, work, text):
        """Run the idlc command lines of an sh example; return their codes."""
        codes, ran = [], False
        for line in text.splitlines():
            words = shlex.split(line, comments=True)
            if words[:3] != ["python3", "-m", "idlc"]:
                continue
            args = words[3:]
            for i, arg in enumerate(args[:-1]):
                if arg == "-o" and not args[i + 1].startswith("/dev/null"):
                    args[i + 1] = os.path.join(work, "out")
            files = [a for a in args if a.endswith(".idl")]
            if not all(os.path.exists(os.path.join(idltest.REPO, f)) for f in files):
                continue  # an example about a file the reader makes (bad.idl)
            args = [os.path.join(idltest.REPO, a) if a in files else a for a in args]
            _, _, err = idltest.run_idlc(args)
            codes += [m.group(1) for m in map(DIAG.match, err.splitlines()) if m]
            ran = True
        return ran, codes

    def test_examples(self):
        for code, blocks in sorted(self.sections.items()):
            if "Bad" not in blocks or "Fix" not in blocks:
                continue
            with self.subTest(code=code):
                work = self.workdir()
                lang, bad = blocks["Bad"]
                if lang == "idl":
                    status, codes, err = self.check_idl(work, bad)
                    self.assertEqual((status, set(codes)), (1, {code}),
                                     "the bad example of %s reported:\n%s" % (code, err))
                    fix_lang, fix = blocks["Fix"]
                    self.assertEqual(fix_lang, "idl")
                    status, codes, err = self.check_idl(work, fix)
                    self.assertEqual(status, 0, "the fix of %s reported:\n%s" % (code, err))
                else:
                    self.assertEqual(lang, "sh")
                    ran, codes = self.run_sh(work, bad)
                    if ran:
                        self.assertIn(code, codes, "the bad command of %s" % code)
                        ran, codes = self.run_sh(work, blocks["Fix"][1])
                        self.assertEqual(codes, [], "the fixed command of %s" % code)


if __name__ == "__main__":
    unittest.main()
