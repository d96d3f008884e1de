#!/usr/bin/env python3
"""Tests of run_spin.py: a run cannot pass vacuously.

Each test writes a tiny Promela model into a temporary directory and runs
run_spin.py on it: a correct model passes only with --expect pass, a model
with a failing assertion passes only with --expect fail (and only when the
error matches --error-match), and a syntax error, a search cut short by the
depth limit, and a search that runs out of memory fail whatever the
expectation. A non-progress-cycle search (--np) finds a plain loop.

Usage: test_run_spin.py [--spin PATH] [--cc PATH]   (unittest options after --)
"""
import argparse
import os
import subprocess
import sys
import tempfile
import unittest

RUNNER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "run_spin.py")
TOOLS = {"spin": "spin", "cc": "cc"}

GOOD = """
byte x;
active [2] proctype p() { atomic { x < 2 -> x++ } }
active proctype q() { (x == 2); assert(x == 2) }
"""

BAD = """
byte x;
active [2] proctype p() { x++ }
active proctype q() { (x > 0); assert(x == 2) }
"""

SYNTAX = """
active proctype p() { byte bit; skip }
"""

DEEP = """
int n;
active proctype p() { do :: n < 300 -> n++ :: else -> break od; assert(n == 0) }
"""

CYCLE = """
byte x;
active proctype p() { do :: x < 3 -> x++ :: x == 3 -> x = 0 od }
"""

BIG = """
byte a, b, c;
active proctype p() {
	do :: a < 250 -> a++ :: b < 250 -> b++ :: c < 250 -> c++ :: else -> break od
}
"""


class RunSpinTest(unittest.TestCase):
    def runner(self, text, *args):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "m.pml")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            res = subprocess.run([sys.executable, RUNNER, path, "--spin", TOOLS["spin"],
                                  "--cc", TOOLS["cc"], *args],
                                 capture_output=True, text=True, check=False)
            self.assertEqual(os.listdir(d), ["m.pml"], "the runner wrote next to the model")
        return res.returncode, res.stdout + res.stderr

    def test_good_model_passes(self):
        rc, out = self.runner(GOOD)
        self.assertEqual(rc, 0, out)
        self.assertIn("errors: 0", out)
        self.assertRegex(out, r"states stored: \d+")

    def test_good_model_is_not_a_mutant(self):
        rc, out = self.runner(GOOD, "--expect", "fail")
        self.assertEqual(rc, 1, out)

    def test_bad_model_fails(self):
        rc, out = self.runner(BAD)
        self.assertEqual(rc, 1, out)
        self.assertIn("counterexample", out)

    def test_bad_model_as_mutant(self):
        rc, out = self.runner(BAD, "--expect", "fail", "--error-match", r"assertion violated")
        self.assertEqual(rc, 0, out)
        self.assertIn("errors: 1", out)

    def test_mutant_must_fail_for_the_stated_reason(self):
        rc, out = self.runner(BAD, "--expect", "fail", "--error-match", r"invalid end state")
        self.assertEqual(rc, 1, out)

    def test_syntax_error_fails_either_way(self):
        for expect in ("pass", "fail"):
            rc, out = self.runner(SYNTAX, "--expect", expect)
            self.assertEqual(rc, 1, out)
            self.assertIn("spin -a failed", out)

    def test_depth_truncation_fails_either_way(self):
        for expect in ("pass", "fail"):
            rc, out = self.runner(DEEP, "--expect", expect, "--depth", "50")
            self.assertEqual(rc, 1, out)
            self.assertIn("max search depth too small", out)

    def test_memory_exhaustion_fails_either_way(self):
        for expect in ("pass", "fail"):
            rc, out = self.runner(BIG, "--expect", expect, "--memlim", "4", "--hash-bits", "16")
            self.assertEqual(rc, 1, out)
            self.assertIn("out of memory", out)

    def test_np_finds_a_cycle(self):
        rc, out = self.runner(CYCLE, "--np")
        self.assertEqual(rc, 1, out)
        self.assertIn("non-progress cycle", out)
        rc, out = self.runner(GOOD, "--np")
        self.assertEqual(rc, 0, out)

    def test_undefined_macro_value_is_reported(self):
        rc, out = self.runner(GOOD, "-D", "NOT A MACRO")
        self.assertEqual(rc, 2, out)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(add_help=False)
    ap.add_argument("--spin", default="spin")
    ap.add_argument("--cc", default="cc")
    known, rest = ap.parse_known_args()
    TOOLS.update(spin=known.spin, cc=known.cc)
    unittest.main(argv=[sys.argv[0]] + rest)
