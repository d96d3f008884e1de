#!/usr/bin/env python3
"""Check that the C functions a model names have not changed since the model
was last checked against them.

Usage: model_hash.py HASHFILE            check (exit 0 iff every hash matches)
       model_hash.py --update HASHFILE   record the current hashes

HASHFILE (beside the model, e.g. verify/spin/uintr_wake.sha) has one line per
function, "SHA256  path/to/file.c  function", paths relative to the
repository root. The text hashed is the function's definition: from the line
that starts at column 0 with its name followed by "(" (after its return
type), up to the first line that is exactly "}". A function that cannot be
found is an error (exit 2), so a renamed or removed function is noticed too.
"""
import hashlib
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def function_text(path, name):
    with open(os.path.join(ROOT, path)) as f:
        lines = f.read().split("\n")
    head = re.compile(r"^[A-Za-z_].*\b" + re.escape(name) + r"\(")
    for i, line in enumerate(lines):
        if head.match(line) and not line.rstrip().endswith(";"):
            for j in range(i, len(lines)):
                if lines[j] == "}":
                    return "\n".join(lines[i:j + 1]) + "\n"
    return None


def digest(path, name):
    text = function_text(path, name)
    if text is None:
        print("model_hash: ERROR: no definition of %s in %s" % (name, path), file=sys.stderr)
        sys.exit(2)
    return hashlib.sha256(text.encode()).hexdigest()


def main():
    args = sys.argv[1:]
    update = "--update" in args
    args = [a for a in args if a != "--update"]
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    hashfile = args[0]
    entries = []
    with open(hashfile) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                h, path, name = line.split()
                entries.append((h, path, name))
    if not entries:
        print("model_hash: ERROR: no entries in " + hashfile, file=sys.stderr)
        return 2
    changed = []
    lines = []
    for h, path, name in entries:
        now = digest(path, name)
        lines.append("%s  %s  %s" % (now, path, name))
        if now != h:
            changed.append("%s:%s" % (path, name))
    if update:
        with open(hashfile) as f:
            header = [l.rstrip("\n") for l in f if l.startswith("#")]
        with open(hashfile, "w") as f:
            f.write("\n".join(header + lines) + "\n")
        print("model_hash: recorded %d functions in %s" % (len(lines), hashfile))
        return 0
    if changed:
        print("model_hash: FAIL: changed since the model was checked against them: " +
              ", ".join(changed))
        print("check the model against the new code, then: python3 verify/spin/model_hash.py "
              "--update " + os.path.relpath(hashfile, ROOT))
        return 1
    print("model_hash: PASS (%d functions unchanged)" % len(entries))
    return 0


if __name__ == "__main__":
    sys.exit(main())
