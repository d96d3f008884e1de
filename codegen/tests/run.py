#!/usr/bin/env python3
"""Runs one idlc test module with unittest: `run.py test_corpus [--update-golden]`.

CTest calls this once per test ID (codegen/CMakeLists.txt). Output is
verbose so a failure names the case (file, method, seed) that failed.
"""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(1, os.path.dirname(HERE))


def main(argv):
    """Run the named test modules; exit status 0 if all passed."""
    names = [a for a in argv if not a.startswith("--")]
    if "--update-golden" in argv:
        os.environ["IDLC_UPDATE_GOLDEN"] = "1"
    if not names:
        sys.stderr.write("usage: run.py MODULE... [--update-golden]\n")
        return 2
    suite = unittest.TestSuite()
    loader = unittest.defaultTestLoader
    for name in names:
        suite.addTests(loader.loadTestsFromName(name))
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 4000))
    sys.exit(main(sys.argv[1:]))
