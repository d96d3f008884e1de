"""IDL_0003: generated files equal the committed golden outputs.

golden/cases.txt lists the cases (name, input, idlc arguments); the expected
files of case <name> are in golden/<name>/. A difference fails with a diff.
After an intended change to the output, refresh the goldens with

    python3 codegen/tests/run.py test_golden --update-golden

and review the diff before committing: goldens are the one place generated
text is committed.
"""

import difflib
import os
import shlex
import shutil
import unittest

import idltest

CASES = os.path.join(idltest.GOLDEN, "cases.txt")


def cases():
    """(name, input path, args) from cases.txt."""
    out = []
    with open(CASES) as handle:
        for line in handle:
            words = shlex.split(line, comments=True)
            if words:
                out.append((words[0], os.path.normpath(os.path.join(idltest.TESTS, words[1])),
                            words[2:]))
    return out


def read_tree(path):
    """{file name: text} of a directory (no subdirectories)."""
    out = {}
    if os.path.isdir(path):
        for name in sorted(os.listdir(path)):
            with open(os.path.join(path, name), encoding="utf-8") as handle:
                out[name] = handle.read()
    return out


class Golden(unittest.TestCase):
    """Compare (or refresh) every golden case."""

    def test_golden_outputs(self):
        update = os.environ.get("IDLC_UPDATE_GOLDEN") == "1"
        for name, idl, args in cases():
            with self.subTest(case=name):
                work = idltest.tempdir(self)
                idltest.generate(idl, work, args)
                got = read_tree(work)
                expected_dir = os.path.join(idltest.GOLDEN, name)
                if update:
                    shutil.rmtree(expected_dir, True)
                    shutil.copytree(work, expected_dir)
                    print("updated golden/%s (%d files)" % (name, len(got)))
                    continue
                want = read_tree(expected_dir)
                self.assertEqual(sorted(got), sorted(want),
                                 "case %s: generated files differ from golden/%s" % (name, name))
                for file_name in sorted(want):
                    if got[file_name] != want[file_name]:
                        diff = "".join(list(difflib.unified_diff(
                            want[file_name].splitlines(True), got[file_name].splitlines(True),
                            "golden/%s/%s" % (name, file_name), "generated"))[:80])
                        self.fail("case %s: %s differs from the golden file (run with "
                                  "--update-golden if intended):\n%s" % (name, file_name, diff))


if __name__ == "__main__":
    unittest.main()
