"""IDL_0011: idlc on a 200-method service: the time is printed (goal < 1 s).

The service mixes every kind of parameter so that every template path runs.
The figure is a whole `python3 -m idlc` process (start-up included), best
of three runs; the test fails only far beyond the goal (LIMIT seconds), so
a slow machine does not make it flaky while a real regression still shows.
"""

import os
import sys
import time
import unittest

import idltest

GOAL = 1.0
LIMIT = 5.0
METHODS = 200

KINDS = [
    "a: u32, b: i64) -> (c: u64",
    "p: big_point, flag: bool) -> (q: big_point",
    "name: string<64>, data: bytes<128>) -> (reply: string<64>",
    "blob: opaque bytes<1024>) -> (out: opaque bytes<1024>",
    "grid: array<array<u16, 4>, 4>, mode: big_mode) -> (sum: u64",
    "c: cap<endpoint, read>, l: lease<in, 65536>) -> (n: u64",
    "rec: big_record) -> (",
]


def big_service():
    """IDL text of the 200-method service."""
    out = ["// A large generated service for timing idlc.",
           "enum big_mode : u8 {", "    a = 1;", "    b = 2;", "}",
           "enum big_error : u16 {", "    failed = 1;", "}",
           "struct big_point {", "    x: i32;", "    y: i32;", "    tag: string<8>;", "}",
           "struct big_record {", "    points: array<big_point, 4>;", "    mode: big_mode;",
           "    note: bytes<32>;", "}",
           "/// Two hundred methods.", "flexible service big {"]
    for i in range(1, METHODS + 1):
        kind = KINDS[i % len(KINDS)]
        err = " error big_error" if i % 3 == 0 else ""
        out.append("    /// Method %d." % i)
        out.append("    %d: m%d(%s)%s;" % (i, i, kind, err))
    for i in range(1, 11):
        out.append("    event %d: e%d(n: u32, blob: opaque bytes<64>);" % (i, i))
    out.append("}")
    return "\n".join(out) + "\n"


class Timing(unittest.TestCase):
    """Measure and report."""

    def test_two_hundred_methods(self):
        work = idltest.tempdir(self)
        idl = os.path.join(work, "big.idl")
        with open(idl, "w") as handle:
            handle.write(big_service())
        best = None
        for run in range(3):
            out = os.path.join(work, "out%d" % run)
            start = time.monotonic()
            proc = idltest.run_idlc_process(["-o", out, idl])
            elapsed = time.monotonic() - start
            self.assertEqual(proc.returncode, 0, proc.stderr)
            best = elapsed if best is None else min(best, elapsed)
        size = sum(os.path.getsize(os.path.join(out, f)) for f in os.listdir(out))
        print("idlc: %d-method service in %.3f s (best of 3, %s; %d KiB generated); goal < %.1f s:"
              " %s" % (METHODS, best, os.path.basename(sys.executable), size // 1024, GOAL,
                       "met" if best < GOAL else "NOT met"))
        self.assertLess(best, LIMIT, "idlc took %.2f s on %d methods" % (best, METHODS))


if __name__ == "__main__":
    unittest.main()
