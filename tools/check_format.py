#!/usr/bin/env python3
"""Formatting check: every hand-written C/H file in the tree must be unchanged
by clang-format (.clang-format at the root). Prints the offending files with a
diff and exits 1; exits 0 when all are clean. Generated code lives only in
build trees and golden fixtures (codegen/tests/golden), which are skipped.

Usage: check_format.py [--clang-format PATH] [--fix] ROOT
"""
import argparse
import difflib
import os
import subprocess
import sys

SKIP_DIRS = {".git", "build", "golden"}


def c_files(root):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS and not d.startswith("build")]
        for name in sorted(filenames):
            if name.endswith((".c", ".h")):
                yield os.path.join(dirpath, name)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clang-format", default="clang-format")
    ap.add_argument("--fix", action="store_true", help="rewrite files in place")
    ap.add_argument("root")
    args = ap.parse_args()
    bad = 0
    files = list(c_files(args.root))
    for path in files:
        with open(path, encoding="utf-8") as f:
            original = f.read()
        res = subprocess.run([args.clang_format, "--style=file", path],
                             capture_output=True, text=True, check=False)
        if res.returncode != 0:
            print(f"{path}: clang-format failed: {res.stderr.strip()}")
            bad += 1
            continue
        if res.stdout != original:
            bad += 1
            if args.fix:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(res.stdout)
                print(f"fixed {path}")
                continue
            rel = os.path.relpath(path, args.root)
            diff = difflib.unified_diff(original.splitlines(), res.stdout.splitlines(),
                                        f"a/{rel}", f"b/{rel}", lineterm="", n=1)
            print("\n".join(list(diff)[:40]))
    if bad and not args.fix:
        print(f"format: {bad} of {len(files)} files differ from clang-format; "
              f"fix with: tools/check_format.py --fix {args.root}")
        return 1
    print(f"format: {len(files)} files checked, {bad} fixed" if args.fix else
          f"format: {len(files)} files clean")
    return 0


if __name__ == "__main__":
    sys.exit(main())
