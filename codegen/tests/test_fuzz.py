"""IDL_0010: fuzzing the compiler.

Thousands of inputs with a fixed seed: the good, bad and example files
mutated (byte flips, truncation, token shuffles, insertions, invalid UTF-8)
plus random and pathological files (garbage bytes, absurd nesting and
lengths). For every input idlc must exit 0 or 1 without a traceback, and a
failure must consist of well-formed diagnostics with codes; an internal
compiler error (E0999) fails the test too. A failing input is written to
IDL_FUZZ_ARTIFACTS (or the temporary directory) and named in the output.
"""

import glob
import os
import random
import re
import time
import unittest

import idltest

SEED = 0x1d1c
CASES = int(os.environ.get("IDL_FUZZ_CASES", "3000"))
DIAG = re.compile(r"^(?:[^\n]*:\d+:\d+|idlc): error\[(E\d{3,4})\]: ")
TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|\d[\w]*|///[^\n]*|//[^\n]*|\"[^\"\n]*\"|->|\S")
VOCAB = ["struct", "enum", "service", "strict", "flexible", "oneway", "event", "error", "import",
         "bytes", "string", "array", "cap", "lease", "opaque", "in", "out", "inout", "u8", "u64",
         "i32", "bool", "read", "write", "grant", "@added(2)", "@removed(1)", "@added",
         "@bogus(3)", "{", "}", "(", ")", "<", ">", ",", ";", ":", "=", "->", "-", "@", "0",
         "1", "65535", "65536", "4096", "0x", "0xffffffffffffffffff", "99999999999999999999",
         "1_000", '"common.idl"', '"missing.idl"', '"a.idl"', "/// doc", "/*", "*/", "\"",
         "x", "Foo", "conn", "int", "sel_x", "\t", "\n"]


def seeds():
    """Source texts to mutate."""
    paths = sorted(glob.glob(os.path.join(idltest.GOOD, "*.idl")) +
                   glob.glob(os.path.join(idltest.BAD, "*.idl")) +
                   glob.glob(os.path.join(idltest.EXAMPLES, "*.idl")) +
                   glob.glob(os.path.join(idltest.GOLDEN, "*.idl")) +
                   [os.path.join(idltest.C_DIR, "rt.idl")])
    out = []
    for p in paths:
        with open(p, "rb") as handle:
            out.append(handle.read())
    return out


def pathological(rng):
    """Inputs built to hurt: nesting, lengths, numbers, garbage."""
    n = rng.choice([50, 300, 1000])
    kinds = [
        b"struct s { x: " + b"array<" * n + b"u8" + b", 1>" * n + b"; }",
        b"service s { 1: m(" + b"a: u8, " * n + b") -> (); }",
        b"struct " + b"x" * (n * 20) + b" { a: u8; }",
        b"enum e : u8 { a = " + b"9" * n + b"; }",
        b"{" * n + b"}" * n,
        b"(" * n,
        b"/// doc\n" * n,
        b"@added(1) " * n + b"struct s { a: u8; }",
        b"".join(b"struct s%d { a: s%d; }\n" % (i, i + 1) for i in range(n)) +
        b"struct s%d { a: u8; }\n" % n,
        b"".join(b"struct s%d { a: s%d; }\n" % (i, (i + 1) % n) for i in range(n)),
        rng.randbytes(rng.randrange(1, 4000)),
        b"\xff\xfe" + b"struct s { a: u8; }",
        b"struct s { a: u8; }\x00\x01\x02",
        b"service s { " + b"".join(b"%d: m%d() -> ();" % (i, i) for i in range(1, min(n, 300)))
        + b" }",
        b"import \"" + b"../" * n + b"x.idl\";",
        b"struct s { a: string<" + b"1" * 30 + b">; }",
    ]
    return rng.choice(kinds)


def mutate(rng, pool):
    """One mutated input and the name of the mutation."""
    data = bytearray(rng.choice(pool))
    how = rng.randrange(9)
    if how == 0 and data:
        for _ in range(rng.randrange(1, 10)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data), "byte flips"
    if how == 1 and data:
        return bytes(data[:rng.randrange(len(data))]), "truncation"
    text = data.decode("utf-8", "replace")
    tokens = TOKEN.findall(text)
    if how in (2, 3, 4) and tokens:
        for _ in range(rng.randrange(1, 6)):
            i = rng.randrange(len(tokens))
            if how == 2:
                j = rng.randrange(len(tokens))
                tokens[i], tokens[j] = tokens[j], tokens[i]
            elif how == 3:
                del tokens[i]
                if not tokens:
                    break
            else:
                tokens.insert(i, rng.choice(VOCAB))
        return " ".join(tokens).encode("utf-8"), "token shuffle"
    if how == 5 and data:
        pos = rng.randrange(len(data) + 1)
        bad = rng.choice([b"\xff", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80", b"\xf5\x80\x80\x80"])
        return bytes(data[:pos] + bad + data[pos:]), "invalid UTF-8"
    if how == 6:
        other = rng.choice(pool).split(b"\n")
        lines = bytes(data).split(b"\n")
        pos = rng.randrange(len(lines) + 1)
        start = rng.randrange(len(other))
        return b"\n".join(lines[:pos] + other[start:start + rng.randrange(1, 8)] +
                          lines[pos:]), "line splice"
    if how == 7:
        return pathological(rng), "pathological"
    if tokens:
        i = rng.randrange(len(tokens))
        tokens[i] = tokens[i] * rng.choice([2, 50, 1000])
        return " ".join(tokens).encode("utf-8"), "token repeat"
    return bytes(data), "unchanged"


def problem(status, err):
    """Why an idlc run is not acceptable, or None."""
    if "Traceback" in err:
        return "a Python traceback escaped"
    if status not in (0, 1):
        return "exit status %r" % status
    if status == 0:
        return None if "error[" not in err else "errors with exit status 0"
    codes = [m.group(1) for m in (DIAG.match(line) for line in err.splitlines()) if m]
    if not codes:
        return "exit status 1 without a diagnostic"
    if "E0999" in codes:
        return "internal compiler error"
    return None


class Fuzz(unittest.TestCase):
    """Mutated and random IDL never crashes idlc."""

    def test_fuzz(self):
        rng = random.Random(SEED)
        pool = seeds()
        work = os.environ.get("IDL_FUZZ_ARTIFACTS") or idltest.tempdir(self, "idlc-fuzz-")
        os.makedirs(work, exist_ok=True)
        with open(os.path.join(work, "common.idl"), "w") as handle:
            handle.write("struct common_point { x: i32; y: i32; }\n")
        path = os.path.join(work, "case.idl")
        start = time.monotonic()
        failures, outcomes = [], {0: 0, 1: 0}
        for case in range(CASES):
            data, how = mutate(rng, pool)
            with open(path, "wb") as handle:
                handle.write(data)
            try:
                status, _, err = idltest.run_idlc(["--check", path])
            except BaseException as exc:  # noqa: B902 - report, do not crash the test
                status, err = "raised %s: %s" % (type(exc).__name__, exc), ""
            why = problem(status, err)
            if why is not None:
                keep = os.path.join(work, "failure-%d.idl" % case)
                with open(keep, "wb") as handle:
                    handle.write(data)
                failures.append("case %d (%s): %s; input saved as %s\n%s"
                                % (case, how, why, keep, err[-2000:]))
                if len(failures) >= 5:
                    break
            else:
                outcomes[status] = outcomes.get(status, 0) + 1
        elapsed = time.monotonic() - start
        print("fuzz: %d cases in %.1f s (%d accepted, %d rejected with diagnostics), seed %#x"
              % (case + 1, elapsed, outcomes.get(0, 0), outcomes.get(1, 0), SEED))
        self.assertEqual(failures, [], "\n\n".join(failures))


if __name__ == "__main__":
    unittest.main()
