#!/usr/bin/env python3
"""Checks a system's output on Selene (docs/porting.md, docs/posix.md), run by CTest.

    expect_output.py --system-dir DIR --qemu QEMU [--smp N] --component NAME --expected FILE SYSTEM
    expect_output.py --system-dir DIR --qemu QEMU [--smp N] --line RE... SYSTEM

Boots images/SYSTEM.elf (1 hart under -icount, or N harts under
multi-threaded TCG); it must power off with status 0 after
`root: system SYSTEM done`. With --component, NAME must exit with 0 and what
it printed -- every line after the root task's first line and before
`root: NAME exited with 0` that is not the root task's -- must be FILE, line
by line (trailing blanks aside: the console does not keep them apart). With
--line, each RE must match some line entirely.
"""

import argparse
import difflib
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "tests", "harness"))
import qemu as harness  # noqa: E402  (tests/harness/qemu.py)


def expect_lines(args, status, lines):
    done = f"root: system {args.system} done" in lines
    missing = [r for r in args.line if not any(re.fullmatch(r, line) for line in lines)]
    print("\n".join(line for line in lines if not line.startswith(("OpenSBI", " "))))
    print(f"{args.system}: exit {status}, {'done' if done else 'NOT done'}")
    for r in missing:
        print(f"missing: a line matching {r}")
    return 0 if status == 0 and done and not missing else 1


def main(argv):
    ap = argparse.ArgumentParser(prog="expect_output.py")
    ap.add_argument("--system-dir", required=True)
    ap.add_argument("--qemu", required=True)
    ap.add_argument("--component")
    ap.add_argument("--expected")
    ap.add_argument("--line", action="append", default=[])
    ap.add_argument("--smp", type=int, default=1)
    ap.add_argument("--timeout", type=int, default=60)
    ap.add_argument("system")
    args = ap.parse_args(argv)
    image = os.path.join(args.system_dir, "images", args.system + ".elf")
    status, lines = harness.boot(
        harness.qemu_command(args.qemu, image, args.smp, "virt", args.smp == 1), args.timeout)
    if args.line:
        return expect_lines(args, status, lines)
    start = f"root: system {args.system}:"
    end = f"root: {args.component} exited with 0"
    first = next((i for i, l in enumerate(lines) if l.startswith(start)), None)
    last = next((i for i, l in enumerate(lines) if l == end), None)
    done = f"root: system {args.system} done" in lines
    if status != 0 or first is None or last is None or not done:
        print("\n".join(lines[-30:]))
        print(f"{args.system}: exit {status}, {end!r} {'seen' if last else 'missing'}, "
              f"{'done' if done else 'NOT done'}")
        return 1
    got = [l.rstrip() for l in lines[first + 1:last] if not l.startswith("root: ")]
    with open(args.expected, encoding="utf-8") as f:
        want = [l.rstrip() for l in f.read().splitlines()]
    if got != want:
        print("\n".join(difflib.unified_diff(want, got, "expected", "Selene", lineterm="")))
        return 1
    print(f"{args.system}: {args.component} printed the {len(want)} expected lines")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
