#!/usr/bin/env python3
"""Packs a folder into the ustar archive the file system server loads (servers/fs).

    mkarchive.py FOLDER OUT.tar [--file PATH=SOURCE]... [--depfile OUT.d]

Every directory and regular file under FOLDER, sorted by path, with its
permission bits, then each --file SOURCE as PATH in the archive (files
fetched at build time: fonts of a ported program), with the directories
above it; owner, group and times are zeroed so the archive depends only on
the contents. Symbolic links and other kinds are refused.
"""

import argparse
import os
import sys
import tarfile


def entries(root):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        rel = os.path.relpath(dirpath, root)
        if rel != ".":
            yield rel, dirpath
        for f in sorted(filenames):
            yield os.path.normpath(os.path.join(rel, f)), os.path.join(dirpath, f)


def main(argv):
    ap = argparse.ArgumentParser(prog="mkarchive.py")
    ap.add_argument("folder")
    ap.add_argument("out")
    ap.add_argument("--file", action="append", default=[])
    ap.add_argument("--depfile")
    args = ap.parse_args(argv)
    if not os.path.isdir(args.folder):
        print(f"mkarchive.py: {args.folder}: not a folder", file=sys.stderr)
        return 1
    deps = []
    tmp = args.out + ".tmp"
    items = list(entries(args.folder))
    names = {n for n, _ in items}
    for spec in args.file:
        name, _, src = spec.partition("=")
        name = name.strip("/")
        parts = name.split("/")
        for k in range(1, len(parts)):
            d = "/".join(parts[:k])
            if d not in names:
                items.append((d, args.folder))  # a directory: the folder's mode
                names.add(d)
        items.append((name, src))
    with tarfile.open(tmp, "w", format=tarfile.USTAR_FORMAT) as tar:
        for name, path in items:
            if os.path.islink(path) or not (os.path.isfile(path) or os.path.isdir(path)):
                print(f"mkarchive.py: {path}: only files and folders go in", file=sys.stderr)
                return 1
            info = tar.gettarinfo(path, arcname=name)
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.mtime = 0
            deps.append(path)
            if info.isfile():
                with open(path, "rb") as f:
                    tar.addfile(info, f)
            else:
                tar.addfile(info)
    os.replace(tmp, args.out)
    if args.depfile:
        with open(args.depfile, "w", encoding="utf-8") as f:
            f.write(args.out + ": " + " ".join(p.replace(" ", "\\ ") for p in deps) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
