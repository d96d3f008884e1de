#!/usr/bin/env python3
"""scenc: the capability-rights scenario compiler (docs/scenarios.md).

    scenc.py FILE.toml -o OUT.c     check FILE and write its C tables and tests
    scenc.py FILE.toml --list       check FILE and print "ID" or "ID CONTROL-TEXT" per scenario

Diagnostics go to stderr as `file:line: error: message`; the exit status is 1.
Steps: source.py (TOML and lines) -> check.py (rules, slots) -> render.py (C);
every message is in diagnostics.py.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from check import check, read_errors  # noqa: E402
from render import render  # noqa: E402
from diagnostics import ScenarioError  # noqa: E402
from source import load  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file")
    ap.add_argument("-o", "--output")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--errors", default=os.path.join(ROOT, "kernel/abi/selene/error.h"))
    ap.add_argument("--name", help="the file's name in messages and generated code")
    args = ap.parse_args(argv)
    name = args.name or os.path.relpath(args.file, ROOT)
    errors = read_errors(args.errors)
    if not os.path.isfile(args.file):
        print(f"scenc: {args.file}: no such file", file=sys.stderr)
        return 1
    try:
        scenarios = check(args.file, load(args.file), errors)
    except ScenarioError as e:
        print(str(e.renamed(name)), file=sys.stderr)
        return 1
    if args.list:
        for sc in scenarios:
            print(sc["id"] + (" " + sc["control"] if sc["control"] else ""))
    if args.output:
        text = render(name, scenarios, errors)
        old = open(args.output).read() if os.path.exists(args.output) else None
        if old != text:
            with open(args.output, "w") as f:
                f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
