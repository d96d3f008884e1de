#!/usr/bin/env python3
"""Holds docs/tutorial.md to the tree (PLACE_0010).

    tutorial_check.py --system-dir DIR --qemu QEMU [docs/tutorial.md]

The tutorial marks what it shows with HTML comments before a fenced block:
    <!-- file: PATH -->     the block is the whole file PATH of the repository
    <!-- run -->           the block's commands run (bash, from the top of the
                           tree); what they print (stdout, then stderr) is the
                           next block marked <!-- output -->, or nothing
    <!-- boot: SYSTEM -->  the block is what images/SYSTEM.elf prints on lines
                           starting with `root:` or `client:`
Every marked block is checked; a mismatch prints both versions.
"""

import argparse
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, os.path.join(ROOT, "tests", "harness"))
import qemu as harness  # noqa: E402  (tests/harness/qemu.py)

MARK = re.compile(r"^<!-- (file: (\S+)|run|output|boot: (\S+)) -->$")


def blocks(text):
    """[(marker, argument, block text)] for every marked fenced block, in order."""
    lines = text.split("\n")
    out = []
    i = 0
    while i < len(lines):
        m = MARK.match(lines[i])
        i += 1
        if not m:
            continue
        while i < len(lines) and not lines[i].startswith("```"):
            i += 1
        start = i + 1
        i = start
        while i < len(lines) and lines[i] != "```":
            i += 1
        kind = m.group(1).split(":")[0]
        out.append((kind, m.group(2) or m.group(3), "\n".join(lines[start:i]) + "\n"))
        i += 1
    return out


def boot_lines(args, system):
    image = os.path.join(args.system_dir, "images", system + ".elf")
    status, lines = harness.boot(harness.qemu_command(args.qemu, image, 1, "virt", True), 60)
    shown = [line for line in lines if line.startswith(("root:", "client:"))]
    return status, "\n".join(shown) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--system-dir", required=True)
    ap.add_argument("--qemu", required=True)
    ap.add_argument("tutorial", nargs="?", default=os.path.join(ROOT, "docs", "tutorial.md"))
    args = ap.parse_args()
    with open(args.tutorial, encoding="utf-8") as f:
        marked = blocks(f.read())
    failures = 0
    for n, (kind, arg, text) in enumerate(marked):
        want, got, what = text, None, kind
        if kind == "file":
            with open(os.path.join(ROOT, arg), encoding="utf-8") as f:
                got, what = f.read(), f"file {arg}"
        elif kind == "run":
            p = subprocess.run(["bash", "-c", text], cwd=ROOT, capture_output=True, text=True,
                               check=False)
            got = p.stdout + p.stderr
            follows = n + 1 < len(marked) and marked[n + 1][0] == "output"
            want = marked[n + 1][2] if follows else ""
            what = f"the output of: {text.strip()}"
        elif kind == "boot":
            status, got = boot_lines(args, arg)
            what = f"the boot of {arg} (exit {status})"
            if status != 0:
                got += f"(exit status {status})\n"
        else:
            continue
        ok = got == want
        failures += not ok
        print(f"{'ok' if ok else 'DIFFERS'}: {what}")
        if not ok:
            print(f"--- the tutorial shows:\n{want}--- the tree gives:\n{got}---")
    print(f"tutorial: {len(marked)} marked blocks, {failures} differ")
    return 1 if failures or not marked else 0


if __name__ == "__main__":
    sys.exit(main())
