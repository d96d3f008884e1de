#!/usr/bin/env python3
"""Fetches a third-party source archive and unpacks it into the build tree.

    fetch_source.py URL SHA256 DEST STAMP

Downloads URL (a Debian source archive: docs/porting.md), checks its SHA-256
against the one recorded in the tree, unpacks it into DEST (replacing what
was there) and touches STAMP. A download that fails (offline, no such file)
or a checksum that differs stops with a message naming the URL; nothing is
unpacked then.
"""

import hashlib
import os
import shutil
import sys
import tarfile
import urllib.request


def fail(msg):
    print(f"fetch_source.py: {msg}", file=sys.stderr)
    sys.exit(1)


def main(argv):
    if len(argv) != 4:
        fail("usage: fetch_source.py URL SHA256 DEST STAMP")
    url, sha, dest, stamp = argv
    archive = dest + ".download"
    if not (os.path.exists(archive) and
            hashlib.sha256(open(archive, "rb").read()).hexdigest() == sha):
        try:
            with urllib.request.urlopen(url, timeout=60) as r:
                data = r.read()
        except Exception as e:  # offline, proxy, 404: all say the same thing
            fail(f"cannot download {url}: {e}\n"
                 f"  (the build fetches this source; fetch it by hand into {archive} "
                 f"with SHA-256 {sha} to build offline)")
        got = hashlib.sha256(data).hexdigest()
        if got != sha:
            fail(f"{url}: SHA-256 {got}, expected {sha} (recorded in the tree)")
        with open(archive + ".tmp", "wb") as f:
            f.write(data)
        os.replace(archive + ".tmp", archive)
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest)
    with tarfile.open(archive) as tar:
        for m in tar.getmembers():
            if m.name.startswith("/") or ".." in m.name.split("/"):
                fail(f"{url}: unsafe path {m.name} in the archive")
        tar.extractall(dest)
    with open(stamp, "w", encoding="utf-8") as f:
        f.write(sha + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
