#!/usr/bin/env python3
"""Checks a ported program's output on Selene (docs/porting.md), run by CTest.

    expect_output.py --system-dir DIR --qemu QEMU --component NAME --expected FILE SYSTEM

Boots images/SYSTEM.elf (1 hart, -icount); it must power off with status 0
after `root: system SYSTEM done` and NAME must exit with 0. What the
program printed -- every line after the root task's first line and before
`root: NAME exited with 0` that is not the root task's -- must be FILE,
line by line (trailing blanks aside: the console does not keep them apart).
"""

import argparse
import difflib
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "tests", "harness"))
import qemu as harness  # noqa: E402  (tests/harness/qemu.py)


def main(argv):
    ap = argparse.ArgumentParser(prog="expect_output.py")
    ap.add_argument("--system-dir", required=True)
    ap.add_argument("--qemu", required=True)
    ap.add_argument("--component", required=True)
    ap.add_argument("--expected", required=True)
    ap.add_argument("--timeout", type=int, default=60)
    ap.add_argument("system")
    args = ap.parse_args(argv)
    image = os.path.join(args.system_dir, "images", args.system + ".elf")
    status, lines = harness.boot(harness.qemu_command(args.qemu, image, 1, "virt", True),
                                 args.timeout)
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
